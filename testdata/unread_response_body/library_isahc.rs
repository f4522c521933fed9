// isahc: blocking and async responses (http::Response<isahc::Body/AsyncBody>)
// dropped unread on some path, and read to the end. The shared-client helpers
// (isahc::get, ...) use one pooled client, so their responses count too.
use isahc::prelude::*;
use isahc::{HttpClient, Request};

fn blocking_status_then_continue(client: &HttpClient, urls: &[String]) -> Result<(), isahc::Error> {
    for u in urls {
        let mut resp = client.get(u)?; //~ unread_response_body
        if resp.status().is_client_error() {
            continue;
        }
        println!("{}", resp.text()?);
    }
    Ok(())
}

fn blocking_free_helper(u: &str) -> Result<bool, isahc::Error> {
    let resp = isahc::post(u, "payload")?; //~ unread_response_body
    Ok(resp.status().is_success())
}

fn blocking_request_ext(req: Request<&'static str>) -> Result<(), Box<dyn std::error::Error>> {
    let resp = req.send()?; //~ unread_response_body
    println!("{:?}", resp.headers());
    Ok(())
}

fn blocking_read(client: &HttpClient, u: &str) -> Result<Vec<u8>, isahc::Error> {
    let mut resp = client.get(u)?;
    if !resp.status().is_success() {
        resp.consume()?;
        return Ok(Vec::new());
    }
    Ok(resp.bytes()?)
}

fn blocking_copy(u: &str, out: &mut std::fs::File) -> Result<u64, isahc::Error> {
    let mut resp = isahc::get(u)?;
    Ok(resp.copy_to(out)?)
}

async fn async_free_helper(u: &str) -> Result<(), isahc::Error> {
    isahc::delete_async(u).await?; //~ unread_response_body
    Ok(())
}

async fn async_read(client: &HttpClient, u: &str) -> Result<String, isahc::Error> {
    let mut resp = client.post_async(u, "payload").await?;
    Ok(resp.text().await?)
}

async fn async_request_ext(u: &str) -> Result<serde_json::Value, Box<dyn std::error::Error>> {
    let mut resp = Request::get(u).header("accept", "application/json").body(())?.send_async().await?;
    Ok(resp.json().await?)
}

fn head_request(client: &HttpClient, u: &str) -> Result<bool, isahc::Error> {
    let resp = client.head(u)?;
    Ok(resp.status().is_success())
}

// The helpers above run once per queued item: `drain_queue` calls each of them
// in its loop, which makes their paths hot.
async fn drain_queue(queue: Vec<String>) {
    for _item in &queue {
        let _ = blocking_status_then_continue(todo!(), todo!());
        let _ = blocking_free_helper(todo!());
        let _ = blocking_request_ext(todo!());
        let _ = blocking_read(todo!(), todo!());
        let _ = blocking_copy(todo!(), todo!());
        let _ = async_free_helper(todo!()).await;
        let _ = async_read(todo!(), todo!()).await;
        let _ = async_request_ext(todo!()).await;
        let _ = head_request(todo!(), todo!());
    }
}
