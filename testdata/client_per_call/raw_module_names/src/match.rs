pub async fn score(url: &str) -> usize {
    let client = reqwest::Client::new(); //~ client_per_call
    match client.get(url).send().await {
        Ok(r) => r.text().await.map(|t| t.len()).unwrap_or(0),
        Err(_) => 0,
    }
}
