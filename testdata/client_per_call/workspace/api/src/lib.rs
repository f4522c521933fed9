//! A library crate: its public functions are called by the server crate.
pub mod hooks;

/// Returns a fresh client: a constructor.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder().build().unwrap()
}

/// Public API nobody in the workspace calls, in a library the server crate
/// uses: its callers are in view, so an uncalled function is more likely dead
/// than called per request (reported only with --pedantic).
pub async fn fetch_status(url: &str) -> u16 {
    let c = reqwest::Client::new(); //~? client_per_call
    let resp = c.get(url).send().await.unwrap();
    let status = resp.status().as_u16();
    let _ = resp.bytes().await;
    status
}

/// An entry point a program calls once: not per-call API.
pub async fn run() {
    let c = reqwest::Client::new();
    let _ = c.get("http://start").send().await.map(|r| r.bytes());
}

/// Middleware and transport wrappers keep the client they are given: this
/// function returns it (a constructor), it does not drop it.
pub fn middleware_client() -> reqwest_middleware::ClientWithMiddleware {
    let client = reqwest::Client::builder().build().unwrap();
    let builder = reqwest_middleware::ClientBuilder::new(client);
    let builder = builder.with(Logger);
    builder.build()
}

pub fn transport() -> opendal::HttpTransporter {
    let client = reqwest::ClientBuilder::new().user_agent("x").build().unwrap();
    opendal::HttpTransporter::new(ReqwestTransport::new(client))
}

pub struct Logger;
pub struct ReqwestTransport;
impl ReqwestTransport {
    pub fn new(_c: reqwest::Client) -> Self {
        ReqwestTransport
    }
}

macro_rules! or_retry {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(_) => return None,
        }
    };
}

/// A value handed through a user macro still reaches the return value.
pub fn through_macro() -> Option<Holder> {
    let c = reqwest::Client::builder().build();
    let c = or_retry!(c);
    Some(Holder { c })
}

pub struct Holder {
    pub c: reqwest::Client,
}
