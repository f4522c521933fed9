// Functions that return a fresh client are constructors: calling them per
// request or per item is the same bug one level up.
use axum::routing::get;
use axum::Router;
use std::time::Duration;

fn make_client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(5)).build().unwrap()
}

// A wrapper of a wrapper.
fn tuned_client() -> Result<reqwest::Client, reqwest::Error> {
    Ok(make_client())
}

struct Api {
    http: reqwest::Client,
    base: String,
}

impl Api {
    // An owning struct: `Api::new()` builds a client.
    fn new(base: &str) -> Self {
        Api { http: reqwest::Client::new(), base: base.to_string() }
    }

    async fn user(&self, id: u64) -> String {
        self.http.get(format!("{}/users/{id}", self.base)).send().await.unwrap().text().await.unwrap()
    }
}

async fn handler() -> String {
    let api = Api::new("http://api"); //~ client_in_handler
    api.user(1).await
}

// `poll` runs once, from `main`: a start-up loop, reported only with --pedantic.
async fn poll(ids: Vec<u64>) {
    for id in ids {
        let c = tuned_client().unwrap(); //~? client_in_loop
        c.get(format!("http://x/{id}")).send().await.unwrap().text().await.unwrap();
    }
}

// A helper that drops what a wrapper built: per call, reported at the wrapper call.
async fn ping(url: &str) -> bool {
    let c = make_client(); //~ client_per_call
    c.head(url).send().await.is_ok()
}

async fn health() -> &'static str {
    if ping("http://db").await { "ok" } else { "down" }
}

fn router() -> Router {
    Router::new().route("/", get(handler)).route("/health", get(health))
}

#[tokio::main]
async fn main() {
    poll(vec![1, 2]).await;
    let _ = router();
}

// `#[derive(Default)]` builds a client for a client field.
#[derive(Default)]
struct Derived {
    http: reqwest::Client,
    base: String,
}

async fn per_item(ids: Vec<u64>, base: String) {
    for id in ids {
        let a = Derived { base: base.clone(), ..Default::default() }; //~ client_in_loop
        let b = Derived::default(); //~ client_in_loop
        let _ = (a.http.get(format!("{}/{id}", a.base)), b);
    }
}

// A hand-written `impl Default` that builds a client is a constructor too.
struct Handwritten {
    http: reqwest::Client,
}

impl Default for Handwritten {
    fn default() -> Self {
        Handwritten { http: reqwest::Client::new() }
    }
}

async fn per_item_handwritten(ids: Vec<u64>) {
    for id in ids {
        let h = Handwritten::default(); //~ client_in_loop
        let _ = (h.http.get(format!("http://x/{id}")),);
    }
}
