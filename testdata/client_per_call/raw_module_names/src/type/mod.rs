pub async fn kind(url: &str) -> String {
    let client = reqwest::Client::new(); //~ client_per_call
    match client.head(url).send().await {
        Ok(r) => r.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("").to_string(),
        Err(_) => String::new(),
    }
}
