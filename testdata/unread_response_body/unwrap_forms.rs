// A response unwrapped by `match` or `let .. else` is the same response.
use reqwest::Client;

async fn via_match(c: &Client, u: &str) -> Result<String, String> {
    let resp = match c.get(u).send().await { //~ unread_response_body
        Ok(r) => r,
        Err(e) => return Err(e.to_string()),
    };
    if !resp.status().is_success() {
        return Err("upstream failed".into());
    }
    resp.text().await.map_err(|e| e.to_string())
}

async fn via_let_else(c: &Client, u: &str) -> u16 {
    let sent = c.get(u).send().await; //~ unread_response_body
    let Ok(resp) = sent else {
        return 0;
    };
    resp.status().as_u16()
}

// Look-alikes: both forms, with the body read on every path.
async fn read_match(c: &Client, u: &str) -> Result<String, String> {
    let resp = match c.get(u).send().await {
        Ok(r) => r,
        Err(e) => return Err(e.to_string()),
    };
    resp.text().await.map_err(|e| e.to_string())
}

async fn read_let_else(c: &Client, u: &str) -> String {
    let sent = c.get(u).send().await;
    let Ok(resp) = sent else {
        return String::new();
    };
    resp.text().await.unwrap_or_default()
}

// A `HEAD` request built by a helper and kept in a local has no body.
fn request(c: &Client, method: reqwest::Method, u: &str) -> Result<reqwest::RequestBuilder, String> {
    Ok(c.request(method, u))
}

async fn reachable(c: &Client, u: &str) -> bool {
    let Ok(req) = request(c, reqwest::Method::HEAD, u) else {
        return false;
    };
    match req.send().await {
        Ok(r) => r.status().is_success(),
        _ => false,
    }
}

// Every queued job runs all of them.
async fn drain_queue(c: Client, jobs: Vec<String>) {
    for u in &jobs {
        let _ = via_match(&c, u).await;
        via_let_else(&c, u).await;
        let _ = read_match(&c, u).await;
        read_let_else(&c, u).await;
        reachable(&c, u).await;
    }
}
