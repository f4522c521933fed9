//! A test-utils crate: test code, though its functions are public.
pub async fn spawn_rpc_proxy(url: &str) -> u16 {
    let client = reqwest::Client::new();
    client.get(url).send().await.unwrap().status().as_u16()
}

/// Called by nobody in the workspace, like a normal library's public API.
pub async fn spawn_rpc_proxy_rejecting_method(url: &str, method: &str) -> u16 {
    let client = reqwest::Client::new();
    let body = format!("{{\"method\":\"{method}\"}}");
    client.post(url).body(body).send().await.unwrap().status().as_u16()
}
