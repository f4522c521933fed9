// hyper 1.x (hyper-util legacy client, raw connections) and hyper 0.14: responses
// dropped with their body unread on some path, and responses read to the end.
use bytes::Bytes;
use http_body_util::{BodyExt, Empty};
use hyper::body::Incoming;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;

type Http = Client<HttpConnector, Empty<Bytes>>;

async fn legacy_status_only(client: &Http, uris: Vec<hyper::Uri>) -> Result<(), Box<dyn std::error::Error>> {
    for uri in uris {
        let resp = client.get(uri).await?; //~ unread_response_body
        if !resp.status().is_success() {
            continue;
        }
        let body = resp.into_body().collect().await?.to_bytes();
        println!("{} bytes", body.len());
    }
    Ok(())
}

async fn legacy_read(client: &Http, uri: hyper::Uri) -> Result<Bytes, Box<dyn std::error::Error>> {
    let req = hyper::Request::get(uri).body(Empty::<Bytes>::new())?;
    let resp = client.request(req).await?;
    if !resp.status().is_success() {
        let _ = resp.into_body().collect().await?;
        return Err("bad status".into());
    }
    Ok(resp.collect().await?.to_bytes())
}

async fn http2_status_only(sender: &mut hyper::client::conn::http2::SendRequest<Empty<Bytes>>, req: hyper::Request<Empty<Bytes>>) -> hyper::Result<u16> {
    let resp = sender.send_request(req).await?; //~ unread_response_body
    Ok(resp.status().as_u16())
}

async fn http1_streamed(mut sender: hyper::client::conn::http1::SendRequest<Empty<Bytes>>, req: hyper::Request<Empty<Bytes>>) -> hyper::Result<usize> {
    let mut resp = sender.send_request(req).await?;
    let mut total = 0;
    while let Some(frame) = resp.frame().await {
        if let Some(chunk) = frame?.data_ref() {
            total += chunk.len();
        }
    }
    Ok(total)
}

async fn moved_out(client: &Http, uri: hyper::Uri) -> hyper::Result<Incoming> {
    let resp = client.get(uri).await.unwrap();
    Ok(resp.into_body())
}

async fn hyper_014_status_only(client: &hyper::Client<hyper::client::HttpConnector>, uri: hyper::Uri) -> hyper::Result<bool> {
    let resp = client.get(uri).await?; //~ unread_response_body
    Ok(resp.status() == hyper::StatusCode::OK)
}

async fn hyper_014_read(client: &hyper::Client<hyper::client::HttpConnector>, uri: hyper::Uri) -> hyper::Result<hyper::body::Bytes> {
    let resp = client.get(uri).await?;
    if resp.status() == hyper::StatusCode::NOT_FOUND {
        let _ = hyper::body::to_bytes(resp.into_body()).await;
        return Ok(hyper::body::Bytes::new());
    }
    hyper::body::to_bytes(resp.into_body()).await
}

async fn hyper_014_conn(mut sender: hyper::client::conn::SendRequest<hyper::Body>, req: hyper::Request<hyper::Body>) -> hyper::Result<()> {
    let resp = sender.send_request(req).await?; //~ unread_response_body
    println!("{:?}", resp.headers());
    Ok(())
}

async fn hyper_014_aggregate(mut sender: hyper::client::conn::SendRequest<hyper::Body>, req: hyper::Request<hyper::Body>) -> hyper::Result<()> {
    let resp = sender.send_request(req).await?;
    let _buf = hyper::body::aggregate(resp.into_body()).await?;
    Ok(())
}

// The helpers above run once per queued item: `drain_queue` calls each of them
// in its loop, which makes their paths hot.
async fn drain_queue(queue: Vec<String>) {
    for _item in &queue {
        let _ = legacy_status_only(todo!(), todo!()).await;
        let _ = legacy_read(todo!(), todo!()).await;
        let _ = http2_status_only(todo!(), todo!()).await;
        let _ = http1_streamed(todo!(), todo!()).await;
        let _ = moved_out(todo!(), todo!()).await;
        let _ = hyper_014_status_only(todo!(), todo!()).await;
        let _ = hyper_014_read(todo!(), todo!()).await;
        let _ = hyper_014_conn(todo!(), todo!()).await;
        let _ = hyper_014_aggregate(todo!(), todo!()).await;
    }
}
