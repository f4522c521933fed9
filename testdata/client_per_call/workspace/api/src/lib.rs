//! A library crate: its public functions are called by the server crate.
pub mod hooks;

/// Returns a fresh client: a constructor.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder().build().unwrap()
}

/// Public API nobody in the workspace calls: its users may call it per request.
pub async fn fetch_status(url: &str) -> u16 {
    let c = reqwest::Client::new(); //~ client_per_call
    let resp = c.get(url).send().await.unwrap();
    let status = resp.status().as_u16();
    let _ = resp.bytes().await;
    status
}
