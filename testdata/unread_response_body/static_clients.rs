// Responses from a shared client kept in a `static` (the fix connlint suggests
// for the construction lints) are tracked too: the static's written type says
// what it holds (found on zola's link checker).
use std::sync::LazyLock;

use once_cell::sync::Lazy;

static CLIENT: LazyLock<reqwest::Client> = LazyLock::new(reqwest::Client::new);
static BLOCKING: Lazy<reqwest::blocking::Client> = Lazy::new(reqwest::blocking::Client::new);

async fn ping(u: &str) -> reqwest::Result<bool> {
    let resp = CLIENT.get(u).send().await?; //~ unread_response_body
    Ok(resp.status().is_success())
}

async fn ping_deref(u: &str) -> reqwest::Result<bool> {
    let client = &*CLIENT;
    let resp = client.get(u).send().await?; //~ unread_response_body
    Ok(resp.status().is_success())
}

fn check_link(u: &str) -> Result<u16, String> {
    match BLOCKING.get(u).send() { //~ unread_response_body
        Ok(response) => Ok(response.status().as_u16()),
        Err(e) => Err(e.to_string()),
    }
}

async fn block_static(u: &str) -> reqwest::Result<bool> {
    static LOCAL: LazyLock<reqwest::Client> = LazyLock::new(|| reqwest::Client::new());
    let client = LOCAL.clone();
    let resp = client.get(u).send().await?; //~ unread_response_body
    Ok(resp.status().is_success())
}

// Read on every path: clean.
async fn fetch(u: &str) -> reqwest::Result<String> {
    let resp = CLIENT.get(u).send().await?;
    resp.text().await
}

// `if let` on a send: the binding's scope ends with the branch.
fn if_let_status(u: &str) -> u16 {
    if let Ok(response) = BLOCKING.get(u).send() { //~ unread_response_body
        response.status().as_u16()
    } else {
        0
    }
}

// The helpers above run once per queued item: `drain_queue` calls each of them
// in its loop, which makes their paths hot.
async fn drain_queue(queue: Vec<String>) {
    for _item in &queue {
        let _ = ping(todo!()).await;
        let _ = ping_deref(todo!()).await;
        let _ = check_link(todo!());
        let _ = block_static(todo!()).await;
        let _ = fetch(todo!()).await;
        let _ = if_let_status(todo!());
    }
}
