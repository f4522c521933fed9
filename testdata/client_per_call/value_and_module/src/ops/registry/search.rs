pub fn search(query: &str) -> String {
    let client = reqwest::blocking::Client::new();
    let url = format!("https://index.example/search?q={query}");
    client.get(url).send().and_then(|r| r.text()).unwrap_or_default()
}
