// A `Result` that holds a response: `is_ok()`/`is_err()` only look at it, an
// `and_then(|r| r.error_for_status())` keeps the response in it, and
// `res.unwrap().status()` moves it into a temporary dropped right there.
use reqwest::Client;

pub async fn heartbeat(client: &Client, nodes: &[String]) -> usize {
    let mut down = 0;
    for n in nodes {
        let resp = client.get(format!("{n}/healthz")).send().await; //~ unread_response_body
        if resp.is_err() || !resp.unwrap().status().is_success() {
            down += 1;
        }
    }
    down
}

pub async fn track(client: &Client, events: Vec<String>) -> usize {
    let mut failed = 0;
    for e in events {
        let res = client
            .post("https://t.example/e")
            .body(e)
            .send() //~ unread_response_body
            .await
            .and_then(|r| r.error_for_status());
        if res.is_err() {
            failed += 1;
        }
    }
    failed
}

pub async fn notify(client: &Client, urls: &[String]) {
    for u in urls {
        let res = client.post(u).send().await; //~ unread_response_body
        if res.is_err() {
            eprintln!("notify {u} failed");
        }
    }
}

// Look-alikes: the body is read after the look.
pub async fn heartbeat_read(client: &Client, nodes: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for n in nodes {
        let resp = client.get(format!("{n}/healthz")).send().await;
        if resp.is_ok() {
            let r = resp.unwrap();
            let ok = r.status().is_success();
            let text = r.text().await.unwrap_or_default();
            if ok {
                out.push(text);
            }
        }
    }
    out
}

pub async fn track_read(client: &Client, events: Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    for e in events {
        let res = client
            .post("https://t.example/e")
            .body(e)
            .send()
            .await
            .and_then(|r| r.error_for_status());
        if let Ok(r) = res {
            out.extend(r.text().await.ok());
        }
    }
    out
}

pub async fn notify_read(client: &Client, urls: &[String]) -> usize {
    let mut bytes = 0;
    for u in urls {
        let res = client.post(u).send().await;
        if res.is_err() {
            continue;
        }
        bytes += res.unwrap().bytes().await.map(|b| b.len()).unwrap_or(0);
    }
    bytes
}
