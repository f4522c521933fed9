// awc (actix-web client): clients, client builders and connectors built inside a
// loop fire; clones and requests on an existing client do not.
use std::time::Duration;

use awc::{Client, ClientBuilder, Connector};

async fn clients(urls: Vec<String>) {
    for u in urls {
        let a = Client::new(); //~ client_in_loop
        let b = Client::default(); //~ client_in_loop
        let c = Client::builder().timeout(Duration::from_secs(5)).finish(); //~ client_in_loop
        let d = ClientBuilder::new().add_default_header(("user-agent", "bot")).finish(); //~ client_in_loop
        let connector = Connector::new().timeout(Duration::from_secs(2)).finish(); //~ client_in_loop
        let e = actix_web::client::Client::new(); //~ client_in_loop
        let mut resp = a.get(&u).send().await.unwrap();
        let _ = resp.body().await;
        drop((b, c, d, connector, e));
    }
}

async fn shared(client: &Client, urls: Vec<String>) {
    for u in urls {
        let c = client.clone();
        let mut r = c.get(&u).send().await.unwrap();
        let _ = r.body().await;
        let mut r = c.post(&u).send_body("x").await.unwrap();
        let _ = r.body().await;
        let mut r = c.request(awc::http::Method::PUT, &u).send().await.unwrap();
        let _ = r.body().await;
    }
}
