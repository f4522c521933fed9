//! Build tooling: test code.
fn main() {
    for url in ["https://a", "https://b"] {
        let client = reqwest::blocking::Client::new();
        let _ = client.get(url).send();
    }
}
