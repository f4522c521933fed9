pub async fn post_form(u: &str) -> String {
    let c = reqwest::Client::new(); //~ client_per_call
    c.post(u).send().await.unwrap().text().await.unwrap()
}

// Look-alike: the client comes from the caller.
pub async fn post_with(c: &reqwest::Client, u: &str) -> String {
    c.post(u).send().await.unwrap().text().await.unwrap()
}
