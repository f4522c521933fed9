// surf: surf::Client constructions (each brings a new backend client) inside a
// loop fire; the one-off helpers on the global client and clones do not.
use std::convert::TryFrom;
use std::convert::TryInto;
use std::time::Duration;

use surf::{Client, Config};

async fn clients(urls: &[String], backend: http_client::isahc::IsahcClient) -> surf::Result<()> {
    for u in urls {
        let a = Client::new(); //~ client_in_loop
        let b = Client::default(); //~ client_in_loop
        let c = surf::client(); //~ client_in_loop
        let d = Client::with_http_client(backend.clone()); //~ client_in_loop
        let e = Client::try_from(Config::new().set_timeout(Some(Duration::from_secs(5))))?; //~ client_in_loop
        let f: Client = Config::new().set_base_url(surf::Url::parse(u)?).try_into()?; //~ client_in_loop
        let g: Client = Config::default().try_into()?; //~ client_in_loop
        let _ = a.get(u).recv_string().await?;
        drop((b, c, d, e, f, g));
    }
    Ok(())
}

async fn shared(client: &Client, urls: &[String]) -> surf::Result<()> {
    for u in urls {
        let c = client.clone();
        let _ = c.get(u).recv_string().await?;
        let _ = surf::get(u).recv_string().await?;
        let _ = surf::post(u).body_string("x".into()).recv_bytes().await?;
        let _ = surf::put(u).recv_bytes().await?;
        let _ = surf::delete(u).recv_bytes().await?;
        let _ = surf::head(u).send().await?;
        let _ = surf::patch(u).recv_bytes().await?;
        let _ = surf::connect(u).recv_bytes().await?;
        let _ = surf::options(u).recv_bytes().await?;
        let _ = surf::trace(u).recv_bytes().await?;
        let mut resp = surf::get(u).send().await?;
        let _ = resp.body_bytes().await?;
    }
    Ok(())
}

// The functions above run once per queued job: `run_jobs` calls each of them
// in its loop, so a client their own loops build per item is built per job.
async fn run_jobs(jobs: Vec<String>) {
    for _job in &jobs {
        let _ = clients(todo!(), todo!()).await;
        let _ = shared(todo!(), todo!()).await;
    }
}
