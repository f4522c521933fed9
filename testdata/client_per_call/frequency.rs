// Per-call findings follow the frequency of the caller.
use std::time::Duration;

async fn probe(url: &str) -> bool {
    let c = reqwest::Client::new(); //~? client_per_call
    c.get(url).send().await.map(|r| r.status().is_success()).unwrap_or(false)
}

// A one-shot connectivity check, once per configured source, from `main`.
async fn check_sources(sources: &[String]) {
    for s in sources {
        probe(s).await;
    }
}

// A worker per partner: `replicate` builds its client once and keeps it for
// as long as its own loop runs.
async fn replicate(partner: String) {
    let c = reqwest::Client::new(); //~? client_per_call
    loop {
        let _ = c.get(&partner).send().await.map(|r| r.bytes());
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

async fn start_replication(partners: Vec<String>) {
    for p in partners {
        tokio::spawn(replicate(p));
    }
}

// A function that calls itself once to hand off is not a loop.
async fn resume(url: String, handed_off: bool) {
    let c = reqwest::Client::new();
    let _ = c.get(&url).send().await.map(|r| r.bytes());
    if !handed_off {
        Box::pin(resume(url, true)).await;
    }
}

// True case beside them: the same probe reached per request.
async fn health(axum::extract::Path(target): axum::extract::Path<String>) -> &'static str {
    if ping(&target).await { "up" } else { "down" }
}

async fn ping(url: &str) -> bool {
    let c = reqwest::Client::new(); //~ client_per_call
    c.head(url).send().await.is_ok()
}

#[tokio::main]
async fn main() {
    check_sources(&["http://a".to_string()]).await;
    start_replication(vec!["http://b".into()]).await;
    resume("http://c".into(), false).await;
    let _ = axum::Router::<()>::new().route("/health/{t}", axum::routing::get(health));
}
