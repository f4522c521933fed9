//! Any name: a `publish = false` library that only other members'
//! dev-dependencies use is test code.
pub async fn fake_upstream(url: &str) -> u16 {
    let client = reqwest::Client::new();
    client.get(url).send().await.unwrap().status().as_u16()
}

pub fn fake_many(urls: &[&str]) {
    for _url in urls {
        let _client = reqwest::blocking::Client::new();
    }
}
