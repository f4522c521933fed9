// reqwest (async): responses dropped on some path with their body unread.
use reqwest::{Client, StatusCode};

async fn status_then_continue(client: &Client, urls: &[String]) -> reqwest::Result<()> {
    for u in urls {
        let resp = client.get(u).send().await?; //~ unread_response_body
        if resp.status() == StatusCode::OK {
            continue;
        }
        println!("{}", resp.text().await?);
    }
    Ok(())
}

async fn fire_and_forget(client: &Client, ev: &str) {
    let _ = client.post("http://hook").body(ev.to_string()).send().await; //~ unread_response_body
}

async fn statement(client: &Client, u: &str) -> reqwest::Result<()> {
    client.delete(u).send().await?; //~ unread_response_body
    Ok(())
}

async fn explicit_drop(client: &Client, u: &str) -> reqwest::Result<()> {
    let r = client.get(u).send().await?; //~ unread_response_body
    drop(r);
    Ok(())
}

async fn one_branch(client: &Client, u: &str, verbose: bool) -> reqwest::Result<()> {
    let resp = client.get(u).send().await?; //~ unread_response_body
    if verbose {
        println!("{}", resp.text().await?);
    }
    Ok(())
}

async fn early_return(client: &Client, u: &str) -> reqwest::Result<Option<String>> {
    let resp = client.get(u).send().await?; //~ unread_response_body
    match resp.status() {
        StatusCode::NOT_FOUND => return Ok(None),
        _ => {}
    }
    Ok(Some(resp.text().await?))
}

async fn retry(client: &Client, u: &str) -> reqwest::Result<String> {
    for _ in 0..3 {
        let r = client.get(u).send().await?; //~ unread_response_body
        if r.status().is_server_error() {
            continue;
        }
        return r.text().await;
    }
    Ok(String::new())
}

async fn error_for_status_statement(client: &Client, u: &str) -> reqwest::Result<()> {
    client.post(u).send().await?.error_for_status()?; //~ unread_response_body
    Ok(())
}

async fn by_reference_only(client: &Client, u: &str) -> reqwest::Result<()> {
    let resp = client.get(u).send().await?; //~ unread_response_body
    log_status(&resp);
    Ok(())
}

async fn spawned_send(client: Client) {
    tokio::spawn(client.post("http://hook").send()); //~ unread_response_body
}

// The task's output is the response; the discarded handle drops it unread.
async fn spawned_block(client: Client, urls: Vec<String>) {
    for u in urls {
        let c = client.clone();
        tokio::spawn(async move { c.get(u).send().await }); //~ unread_response_body
    }
}


fn log_status(r: &reqwest::Response) {
    println!("{}", r.status());
}

// `join!` awaits its futures: each name of the pattern holds one response.
async fn joined(client: &Client) -> reqwest::Result<()> {
    let (a, b) = tokio::join!(
        client.get("http://a").send(),
        client.get("http://b").send(), //~ unread_response_body
    );
    let _ = a?.text().await?;
    let b = b?;
    println!("{}", b.status());
    Ok(())
}

async fn joined_and_dropped(client: &Client) {
    tokio::join!(
        client.post("http://hook-a").send(), //~ unread_response_body
        tokio::time::sleep(std::time::Duration::from_millis(1)),
    );
    let _ = futures::join!(
        client.post("http://hook-b").send(), //~ unread_response_body
        async {},
    );
}

// The helpers above run once per queued item: `drain_queue` calls each of them
// in its loop, which makes their paths hot.
async fn drain_queue(queue: Vec<String>) {
    for _item in &queue {
        let _ = status_then_continue(todo!(), todo!()).await;
        let _ = fire_and_forget(todo!(), todo!()).await;
        let _ = statement(todo!(), todo!()).await;
        let _ = explicit_drop(todo!(), todo!()).await;
        let _ = one_branch(todo!(), todo!(), todo!()).await;
        let _ = early_return(todo!(), todo!()).await;
        let _ = retry(todo!(), todo!()).await;
        let _ = error_for_status_statement(todo!(), todo!()).await;
        let _ = by_reference_only(todo!(), todo!()).await;
        let _ = spawned_send(todo!()).await;
        let _ = spawned_block(todo!(), todo!()).await;
        let _ = log_status(todo!());
        let _ = joined(todo!()).await;
        let _ = joined_and_dropped(todo!()).await;
    }
}
