// awc: ClientResponse dropped unread on some path, and read or handed on.
use awc::Client;
use futures::StreamExt;

async fn status_then_continue(client: &Client, urls: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    for u in urls {
        let mut resp = client.get(u).send().await?; //~ unread_response_body
        if resp.status().is_redirection() {
            continue;
        }
        let body = resp.body().await?;
        println!("{} bytes", body.len());
    }
    Ok(())
}

async fn post_json_ignored(client: &Client, ev: &serde_json::Value) {
    let _ = client.post("http://hook.local").send_json(ev).await; //~ unread_response_body
}

async fn frozen(client: &Client, urls: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let req = client.get("http://api.local/health").freeze()?;
    for _ in urls {
        let resp = req.send().await?; //~ unread_response_body
        println!("{}", resp.status());
    }
    Ok(())
}

async fn read_json(client: &Client, u: &str) -> Result<serde_json::Value, Box<dyn std::error::Error>> {
    let mut resp = client.get(u).insert_header(("accept", "application/json")).send().await?;
    if !resp.status().is_success() {
        let _ = resp.body().await;
        return Err("bad status".into());
    }
    Ok(resp.json().await?)
}

async fn streamed(client: &Client, u: &str) -> Result<usize, Box<dyn std::error::Error>> {
    let mut resp = client.get(u).send().await?;
    let mut n = 0;
    while let Some(chunk) = resp.next().await {
        n += chunk?.len();
    }
    Ok(n)
}

async fn head_only(client: &Client, u: &str) -> Result<bool, Box<dyn std::error::Error>> {
    let resp = client.head(u).send().await?;
    Ok(resp.status().is_success())
}

// The helpers above run once per queued item: `drain_queue` calls each of them
// in its loop, which makes their paths hot.
async fn drain_queue(queue: Vec<String>) {
    for _item in &queue {
        let _ = status_then_continue(todo!(), todo!()).await;
        let _ = post_json_ignored(todo!(), todo!()).await;
        let _ = frozen(todo!(), todo!()).await;
        let _ = read_json(todo!(), todo!()).await;
        let _ = streamed(todo!(), todo!()).await;
        let _ = head_only(todo!(), todo!()).await;
    }
}
