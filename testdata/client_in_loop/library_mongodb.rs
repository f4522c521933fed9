// mongodb: a Client (topology, pools, monitors) per iteration fires; database and
// collection handles, clones and option builders do not.
use mongodb::bson::{doc, Document};
use mongodb::options::ClientOptions;
use mongodb::Client;

async fn async_clients(uris: &[String]) -> mongodb::error::Result<()> {
    for uri in uris {
        let a = Client::with_uri_str(uri).await?; //~ client_in_loop
        a.database("app").collection::<Document>("events").insert_one(doc! { "x": 1 }).await?;
        let options = ClientOptions::parse(uri).await?;
        let b = Client::with_options(options)?; //~ client_in_loop
        drop(b);
    }
    Ok(())
}

fn sync_clients(uris: &[String]) -> mongodb::error::Result<()> {
    for uri in uris {
        let a = mongodb::sync::Client::with_uri_str(uri)?; //~ client_in_loop
        let options = ClientOptions::builder().app_name("worker".to_string()).build();
        let b = mongodb::sync::Client::with_options(options)?; //~ client_in_loop
        drop((a, b));
    }
    Ok(())
}

async fn shared(client: &Client, names: &[String]) -> mongodb::error::Result<()> {
    for name in names {
        let c = client.clone();
        let db = c.database("app");
        let coll = db.collection::<Document>(name);
        coll.insert_one(doc! { "name": name }).await?;
        let _opts = ClientOptions::builder().app_name(name.clone()).build();
    }
    Ok(())
}

// The functions above run once per queued job: `run_jobs` calls each of them
// in its loop, so a client their own loops build per item is built per job.
async fn run_jobs(jobs: Vec<String>) {
    for _job in &jobs {
        let _ = async_clients(todo!()).await;
        let _ = sync_clients(todo!());
        let _ = shared(todo!(), todo!()).await;
    }
}
