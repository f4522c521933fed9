// blocking reqwest, hyper, ureq, awc and isahc.
fn blocking(client: &reqwest::blocking::Client, urls: &[String]) {
    for u in urls {
        let resp = client.get(u).send().unwrap(); //~ unread_response_body
        if resp.status().is_success() {
            continue;
        }
        let _ = resp.text();
    }
}

async fn hyper_legacy(client: &hyper_util::client::legacy::Client<hyper_util::client::legacy::connect::HttpConnector, String>, uri: hyper::Uri) {
    let resp = client.get(uri).await.unwrap(); //~ unread_response_body
    println!("{}", resp.status());
}

async fn hyper_conn(mut sender: hyper::client::conn::http1::SendRequest<String>, req: hyper::Request<String>) {
    let resp = sender.send_request(req).await.unwrap(); //~ unread_response_body
    if resp.status().is_success() {
        return;
    }
    let _ = http_body_util::BodyExt::collect(resp.into_body()).await;
}

fn ureq_two(agent: &ureq::Agent, urls: &[String]) -> Result<(), ureq::Error> {
    for u in urls {
        let resp = agent.get(u).call()?; //~ unread_response_body
        if resp.status() == 200 {
            continue;
        }
        println!("{}", resp.into_string()?);
    }
    Ok(())
}

async fn awc_client(client: &awc::Client) {
    let resp = client.get("http://x").send().await.unwrap(); //~ unread_response_body
    println!("{}", resp.status());
}

fn isahc_client(client: &isahc::HttpClient) {
    let resp = client.get("http://x").unwrap(); //~ unread_response_body
    println!("{}", resp.status());
}

fn ureq_read(agent: &ureq::Agent) -> std::io::Result<String> {
    let resp = agent.get("http://x").call().unwrap();
    resp.into_string()
}

fn attohttpc_is_exempt() {
    let resp = attohttpc::get("http://x").send().unwrap();
    println!("{}", resp.status());
}

// The helpers above run once per queued item: `drain_queue` calls each of them
// in its loop, which makes their paths hot.
async fn drain_queue(queue: Vec<String>) {
    for _item in &queue {
        let _ = blocking(todo!(), todo!());
        let _ = hyper_legacy(todo!(), todo!()).await;
        let _ = hyper_conn(todo!(), todo!()).await;
        let _ = ureq_two(todo!(), todo!());
        let _ = awc_client(todo!()).await;
        let _ = isahc_client(todo!());
        let _ = ureq_read(todo!());
        let _ = attohttpc_is_exempt();
    }
}
