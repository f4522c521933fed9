//! A bench runner: test code.
fn main() {
    for _ in 0..1000 {
        let client = reqwest::blocking::Client::new();
        let _ = client.get("http://localhost:8080").send();
    }
}
