// isahc: HttpClient constructions inside a loop fire; the free helpers (which use
// the shared static client) and clones do not.
use std::time::Duration;

use isahc::config::Configurable;
use isahc::prelude::*;
use isahc::{HttpClient, HttpClientBuilder, Request};

fn clients(urls: &[String]) -> Result<(), isahc::Error> {
    for u in urls {
        let a = HttpClient::new()?; //~ client_in_loop
        let b = HttpClient::builder().timeout(Duration::from_secs(5)).build()?; //~ client_in_loop
        let c = HttpClientBuilder::new().max_connections(4).build()?; //~ client_in_loop
        let d = HttpClientBuilder::default().build()?; //~ client_in_loop
        let _ = a.get(u)?.text()?;
        drop((b, c, d));
    }
    Ok(())
}

async fn shared(client: &HttpClient, urls: &[String]) -> Result<(), isahc::Error> {
    for u in urls {
        let c = client.clone();
        let _ = c.get(u)?.text()?;
        let _ = isahc::get(u)?.text()?;
        let _ = isahc::get_async(u).await?.text().await?;
        let _ = isahc::head(u)?;
        let _ = isahc::head_async(u).await?;
        let _ = isahc::post(u, "x")?.consume()?;
        let _ = isahc::post_async(u, "x").await?.consume().await?;
        let _ = isahc::put(u, "x")?.consume()?;
        let _ = isahc::put_async(u, "x").await?.consume().await?;
        let _ = isahc::delete(u)?.consume()?;
        let _ = isahc::delete_async(u).await?.consume().await?;
        let _ = isahc::send(Request::get(u).body(())?)?.consume()?;
        let _ = isahc::send_async(Request::get(u).body(())?).await?.consume().await?;
    }
    Ok(())
}
