//! `integration_tests` (underscores count as dashes): test code.
pub async fn call(url: &str) -> u16 {
    let client = reqwest::Client::new();
    client.get(url).send().await.unwrap().status().as_u16()
}
