//! An end-to-end client crate: test code.
pub async fn check(url: &str) -> u16 {
    let client = reqwest::Client::new();
    client.get(url).send().await.unwrap().status().as_u16()
}

pub fn hammer(urls: &[&str]) {
    for _url in urls {
        let _client = reqwest::blocking::Client::new();
    }
}
