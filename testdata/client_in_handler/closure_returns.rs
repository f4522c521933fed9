// A `return` inside a closure leaves the closure, not the function around it.
use axum::extract::Path;
use axum::routing::get;
use axum::Router;
use std::sync::OnceLock;

// The redirect policy's closure returns early: the helper still returns the
// client its builder makes.
fn hardened(b: reqwest::ClientBuilder) -> reqwest::Result<reqwest::Client> {
    b.redirect(reqwest::redirect::Policy::custom(|attempt| {
        if attempt.previous().len() >= 5 {
            return attempt.error("too many redirects");
        }
        attempt.follow()
    }))
    .build()
}

async fn proxy(Path(target): Path<String>) -> String {
    let client = match hardened(reqwest::Client::builder()) { //~ client_in_handler
        Ok(c) => c,
        Err(e) => return e.to_string(),
    };
    match client.get(&target).send().await {
        Ok(r) => r.text().await.unwrap_or_default(),
        Err(e) => e.to_string(),
    }
}

// Clean: the closure's `return` gives the client to the cell, once.
static SHARED: OnceLock<reqwest::Client> = OnceLock::new();

fn shared(proxy: Option<&str>) -> reqwest::Client {
    SHARED
        .get_or_init(|| {
            let Some(url) = proxy else {
                return reqwest::Client::new();
            };
            match reqwest::Proxy::all(url) {
                Ok(p) => reqwest::Client::builder().proxy(p).build().unwrap_or_default(),
                Err(_) => reqwest::Client::new(),
            }
        })
        .clone()
}

async fn relay(Path(target): Path<String>) -> String {
    let client = shared(None);
    match client.get(&target).send().await {
        Ok(r) => r.text().await.unwrap_or_default(),
        Err(e) => e.to_string(),
    }
}

pub fn routes() -> Router {
    Router::new()
        .route("/proxy/*t", get(proxy))
        .route("/relay/*t", get(relay))
}
