// Responses looked at only for their status: the error return that drops
// the body drops the server's error message with it, and the connection.
use reqwest::Client;

async fn fetch_doc(c: &Client, u: &str) -> anyhow::Result<String> {
    let resp = c.get(u).send().await?; //~ unread_response_body
    if !resp.status().is_success() {
        anyhow::bail!("fetching {u} failed: {}", resp.status());
    }
    Ok(resp.text().await?)
}

async fn fetch_arm(c: &Client, u: &str) -> Result<String, String> {
    let resp = c.get(u).send().await.map_err(|e| e.to_string())?; //~ unread_response_body
    match resp.status() {
        reqwest::StatusCode::OK => resp.text().await.map_err(|e| e.to_string()),
        other => Err(format!("status {other}")),
    }
}

async fn succeeded(c: &Client, u: &str) -> bool {
    c.get(u).send().await.map(|r| r.status().is_success()).unwrap_or(false) //~ unread_response_body
}

async fn notify(c: &Client, u: &str) {
    if let Err(e) = c.post(u).send().await { //~ unread_response_body
        eprintln!("notify {u}: {e}");
    }
}

async fn notify_match(c: &Client, u: &str) {
    match c.post(u).send().await { //~ unread_response_body
        Err(e) => eprintln!("notify {u}: {e}"),
        Ok(_) => {}
    }
}

// Look-alikes: the error message is read, the error is someone else's, the
// closure reads the body, the match binds the response, a self-retry, and a
// `Result` that is not a response.
async fn fetch_reads_error(c: &Client, u: &str) -> anyhow::Result<String> {
    let resp = c.get(u).send().await?;
    if !resp.status().is_success() {
        let msg = resp.text().await?;
        anyhow::bail!("fetching {u} failed: {msg}");
    }
    Ok(resp.text().await?)
}

async fn fetch_other_error(c: &Client, u: &str, limit: usize) -> anyhow::Result<String> {
    let resp = c.get(u).send().await?;
    if limit == 0 {
        return Err(anyhow::anyhow!("no budget"));
    }
    Ok(resp.text().await?)
}

async fn decoded(c: &Client, u: &str) -> Option<u32> {
    c.get(u).send().await.map(|r| r.json::<u32>()).ok()?.await.ok()
}

async fn notify_bound(c: &Client, u: &str) -> String {
    match c.post(u).send().await {
        Ok(r) => r.text().await.unwrap_or_default(),
        Err(e) => e.to_string(),
    }
}

async fn with_retry(c: &Client, u: &str, tries: u32) -> anyhow::Result<String> {
    let resp = c.get(u).send().await?;
    if resp.status() == reqwest::StatusCode::TOO_MANY_REQUESTS && tries > 0 {
        return Box::pin(with_retry(c, u, tries - 1)).await;
    }
    Ok(resp.text().await?)
}

fn queue_full(tx: &std::sync::mpsc::SyncSender<u8>) {
    if let Err(e) = tx.try_send(1) {
        eprintln!("{e}");
    }
}

// One expected status (a lookup that found nothing) is an answer, not a
// failure with a message to read.
async fn lookup(c: &Client, u: &str) -> Result<String, u16> {
    let resp = c.get(u).send().await.map_err(|_| 0u16)?;
    if resp.status() == 404 {
        return Err(404);
    }
    match resp.status() {
        reqwest::StatusCode::GONE => Err(410),
        _ => resp.text().await.map_err(|_| 0),
    }
}

// A failed status that ends the task with a panic: nothing reads an error.
async fn must_fetch(c: &Client, u: &str) -> String {
    let resp = c.get(u).send().await.unwrap();
    if !resp.status().is_success() {
        panic!("cannot continue without {u}");
    }
    resp.text().await.unwrap()
}

// An accessor of a request (not a send) that yields an `Option`.
fn peer(req: &http::Request<()>) -> Option<String> {
    req.extensions().get::<std::net::SocketAddr>().map(|a| a.to_string())
}

// Every job of the queue runs all of them.
async fn drain_queue(c: Client, jobs: Vec<String>, tx: std::sync::mpsc::SyncSender<u8>) {
    for u in &jobs {
        let _ = fetch_doc(&c, u).await;
        let _ = fetch_arm(&c, u).await;
        succeeded(&c, u).await;
        notify(&c, u).await;
        notify_match(&c, u).await;
        let _ = fetch_reads_error(&c, u).await;
        let _ = fetch_other_error(&c, u, 1).await;
        decoded(&c, u).await;
        notify_bound(&c, u).await;
        let _ = with_retry(&c, u, 3).await;
        queue_full(&tx);
        must_fetch(&c, u).await;
        let _ = lookup(&c, u).await;
        peer(&http::Request::new(()));
    }
}
