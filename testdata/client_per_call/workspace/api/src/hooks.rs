pub async fn notify(event: &str) {
    let c = crate::client(); //~ client_per_call
    c.post("http://hooks").body(event.to_string()).send().await.unwrap().text().await.unwrap();
}
