// A helper that takes the response by value and looks only at its status
// drops it for every caller: each caller's response is the finding, with
// the helper's drop in a note.
use reqwest::{Client, Response};

fn ensure_ok(resp: Response) -> anyhow::Result<()> {
    if !resp.status().is_success() {
        anyhow::bail!("upstream answered {}", resp.status());
    }
    Ok(())
}

async fn notify(c: &Client, u: &str) -> anyhow::Result<()> {
    let resp = c.post(u).send().await?; //~ unread_response_body
    ensure_ok(resp)
}

// Look-alikes: a helper that reads the error body and hands the response
// back, and one that reads the body itself.
async fn checked(resp: Response) -> anyhow::Result<Response> {
    if !resp.status().is_success() {
        let msg = resp.text().await.unwrap_or_default();
        anyhow::bail!("upstream: {msg}");
    }
    Ok(resp)
}

async fn body_of(resp: Response) -> String {
    resp.text().await.unwrap_or_default()
}

async fn fetch(c: &Client, u: &str) -> anyhow::Result<String> {
    let resp = c.get(u).send().await?;
    let resp = checked(resp).await?;
    Ok(body_of(resp).await)
}

// Every queued job runs both.
async fn drain_queue(c: Client, jobs: Vec<String>) {
    for u in &jobs {
        let _ = notify(&c, u).await;
        let _ = fetch(&c, u).await;
    }
}

// The helper names its parameter differently: each drain names the binding
// that exists where it goes.
fn check_answer(answer: Response) -> anyhow::Result<()> {
    if !answer.status().is_success() {
        anyhow::bail!("upstream answered {}", answer.status());
    }
    Ok(())
}

async fn announce(c: &Client, u: &str) -> anyhow::Result<()> {
    let sent = c.post(u).send().await?; //~ unread_response_body
    check_answer(sent)
}

async fn announce_queue(c: Client, jobs: Vec<String>) {
    for u in &jobs {
        let _ = announce(&c, u).await;
    }
}
