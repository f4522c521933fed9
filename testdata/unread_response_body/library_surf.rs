// surf: responses dropped unread on some path, and read to the end. The
// recv_* helpers send and read in one step.
use surf::{Client, StatusCode};

async fn status_then_continue(client: &Client, urls: &[String]) -> surf::Result<()> {
    for u in urls {
        let mut resp = client.get(u).send().await?; //~ unread_response_body
        if resp.status() == StatusCode::TooManyRequests {
            continue;
        }
        println!("{}", resp.body_string().await?);
    }
    Ok(())
}

async fn client_send(client: &Client, req: surf::Request) -> surf::Result<bool> {
    let resp = client.send(req).await?; //~ unread_response_body
    Ok(resp.status().is_success())
}

async fn read_json(client: &Client, u: &str) -> surf::Result<serde_json::Value> {
    let mut resp = client.get(u).send().await?;
    if !resp.status().is_success() {
        let _ = resp.body_bytes().await;
        return Err(surf::Error::from_str(resp.status(), "bad status"));
    }
    resp.body_json().await
}

async fn recv_helpers(client: &Client, u: &str) -> surf::Result<String> {
    let _bytes = client.get(u).recv_bytes().await?;
    client.post(u).recv_string().await
}

async fn head_request(client: &Client, u: &str) -> surf::Result<bool> {
    let resp = client.head(u).send().await?;
    Ok(resp.status().is_success())
}

// The helpers above run once per queued item: `drain_queue` calls each of them
// in its loop, which makes their paths hot.
async fn drain_queue(queue: Vec<String>) {
    for _item in &queue {
        let _ = status_then_continue(todo!(), todo!()).await;
        let _ = client_send(todo!(), todo!()).await;
        let _ = read_json(todo!(), todo!()).await;
        let _ = recv_helpers(todo!(), todo!()).await;
        let _ = head_request(todo!(), todo!()).await;
    }
}
