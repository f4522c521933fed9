// A response that is never bound: the help cannot name a variable.
async fn ping(client: &reqwest::Client) -> Result<(), reqwest::Error> {
    client.get("http://ping").send().await?; //~ unread_response_body
    Ok(())
}

fn ping_blocking(client: &reqwest::blocking::Client) {
    let _ = client.get("http://ping").send(); //~ unread_response_body
}

// `resp` is taken later in the block: the help picks another name.
async fn ping_then_status(client: &reqwest::Client) -> Result<u16, reqwest::Error> {
    client.get("http://ping").send().await?; //~ unread_response_body
    let resp = client.get("http://status").send().await?;
    let status = resp.status().as_u16();
    let _ = resp.bytes().await?;
    Ok(status)
}

// The helpers above run once per monitored host.
async fn monitor(client: reqwest::Client, blocking: reqwest::blocking::Client, hosts: Vec<String>) {
    for _host in &hosts {
        let _ = ping(&client).await;
        ping_blocking(&blocking);
        let _ = ping_then_status(&client).await;
    }
}
