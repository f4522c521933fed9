// An expensive value moved into the construction of another client (a TLS config
// into a reqwest builder, a connector into a hyper client) belongs to that client:
// one finding on the outer construction, none when the outer client escapes
// (found on rustup's download client, kept in a `OnceLock`).
use std::sync::OnceLock;

use bytes::Bytes;
use http_body_util::Empty;
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;
use reqwest::ClientBuilder;

static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();

fn roots() -> rustls::RootCertStore {
    rustls::RootCertStore::empty()
}

fn generic() -> ClientBuilder {
    reqwest::Client::builder().gzip(false)
}

/// Built once, kept in a static: neither the config nor the client fires.
pub fn shared_client() -> &'static reqwest::Client {
    if let Some(client) = CLIENT.get() {
        return client;
    }
    let tls = rustls::ClientConfig::builder()
        .with_root_certificates(roots())
        .with_no_client_auth();
    let client = generic()
        .use_preconfigured_tls(tls)
        .build()
        .expect("client");
    let _ = CLIENT.set(client);
    CLIENT.get().expect("set above")
}

/// Both built per call: one finding, on the client that owns the config.
pub async fn per_call(url: &str) -> reqwest::Result<String> {
    let tls = rustls::ClientConfig::builder()
        .with_root_certificates(roots())
        .with_no_client_auth();
    let client = reqwest::Client::builder().use_preconfigured_tls(tls).build()?; //~ client_per_call
    client.get(url).send().await?.text().await
}

/// The connector goes into the hyper client: one finding per iteration.
pub async fn per_host(hosts: Vec<hyper::Uri>) {
    for uri in hosts {
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        let client: Client<_, Empty<Bytes>> = Client::builder(TokioExecutor::new()).build(http); //~ client_in_loop
        if let Ok(resp) = client.get(uri).await {
            let _ = http_body_util::BodyExt::collect(resp.into_body()).await;
        }
    }
}

/// A TLS config built per call and then dropped on its own still fires.
pub fn config_only() -> usize {
    let tls = rustls::ClientConfig::builder() //~ client_per_call
        .with_root_certificates(roots())
        .with_no_client_auth();
    tls.alpn_protocols.len()
}

/// The caller that makes every function above run per tick.
pub async fn poll(urls: Vec<String>) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        tick.tick().await;
        for url in &urls {
            let _ = shared_client();
            let _ = per_call(url).await;
            let _ = config_only();
        }
    }
}
