//! Build tooling: test code.
fn main() {
    for url in std::env::args().skip(1) {
        let client = reqwest::blocking::Client::new();
        let _ = client.get(url).send();
    }
}
