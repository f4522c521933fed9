// reqwest: every construction of reqwest::Client and reqwest::blocking::Client
// inside a loop fires; clones, request builders and unterminated builders do not.
use std::time::Duration;

use reqwest::{Certificate, Client, ClientBuilder, Proxy};

async fn async_client(urls: &[String]) -> reqwest::Result<()> {
    for u in urls {
        let a = Client::new(); //~ client_in_loop
        let b = Client::default(); //~ client_in_loop
        let c = Client::builder().timeout(Duration::from_secs(10)).build()?; //~ client_in_loop
        let d = ClientBuilder::new().user_agent("crawler/1.0").build()?; //~ client_in_loop
        let e = ClientBuilder::default().gzip(true).build()?; //~ client_in_loop
        let body = reqwest::get(u).await?.text().await?; //~ client_in_loop
        println!("{body}");
        drop((a, b, c, d, e));
    }
    Ok(())
}

fn blocking_client(urls: &[String]) -> reqwest::Result<()> {
    for u in urls {
        let a = reqwest::blocking::Client::new(); //~ client_in_loop
        let b = reqwest::blocking::Client::default(); //~ client_in_loop
        let c = reqwest::blocking::Client::builder() //~ client_in_loop
            .timeout(Duration::from_secs(10))
            .build()?;
        let d = reqwest::blocking::ClientBuilder::new().build()?; //~ client_in_loop
        let e = reqwest::blocking::ClientBuilder::default().build()?; //~ client_in_loop
        let body = reqwest::blocking::get(u)?.text()?; //~ client_in_loop
        println!("{body}");
        drop((a, b, c, d, e));
    }
    Ok(())
}

async fn shared_client(client: &Client, blocking: &reqwest::blocking::Client, urls: &[String], pem: &[u8]) -> reqwest::Result<()> {
    for u in urls {
        let c = client.clone();
        let bc = blocking.clone();
        let req = c.get(u).header("accept", "application/json").query(&[("page", "1")]);
        let _ = req.send().await?.text().await?;
        let _ = c.post(u).json(&serde_json::json!({ "k": 1 })).send().await?.bytes().await?;
        let _ = c.put(u).body("x").send().await?.text().await?;
        let _ = c.patch(u).send().await?.text().await?;
        let _ = c.delete(u).send().await?.text().await?;
        let _ = c.head(u).send().await?;
        let _ = c.request(reqwest::Method::GET, u).send().await?.text().await?;
        let request = reqwest::Request::new(reqwest::Method::GET, u.parse().unwrap());
        let _ = c.execute(request).await?.text().await?;
        let _ = bc.get(u).send()?.text()?;
        let _proxy = Proxy::http(u)?;
        let _proxy = Proxy::https(u)?;
        let _proxy = Proxy::all(u)?;
        let _cert = Certificate::from_pem(pem)?;
        let _id = reqwest::Identity::from_pem(pem)?;
        let _unbuilt = ClientBuilder::new().timeout(Duration::from_secs(1));
        let _unbuilt = Client::builder().user_agent("x");
    }
    Ok(())
}
