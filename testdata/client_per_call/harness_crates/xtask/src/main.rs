//! Build tooling: test code.
fn fetch_all(urls: &[String]) {
    for url in urls {
        let client = reqwest::blocking::Client::new();
        let _ = client.get(url).send();
    }
}

fn main() {
    let urls: Vec<String> = std::env::args().skip(1).collect();
    std::thread::spawn(move || loop {
        fetch_all(&urls);
        std::thread::sleep(std::time::Duration::from_secs(5));
    });
}
