pub fn poll(feed: &str) -> String {
    let client = reqwest::blocking::Client::new(); //~? client_per_call
    client.get(feed).send().and_then(|r| r.text()).unwrap_or_default()
}
