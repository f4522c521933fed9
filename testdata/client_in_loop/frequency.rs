// How often a loop runs decides a finding. Loops that run once per configured
// item at start-up, once per reconnect, or less often than a pooled connection
// stays idle are left to --pedantic; loops over data and short ticks fire.
use std::time::Duration;

const DISCOVERY_INTERVAL: Duration = Duration::from_secs(60);
const SCRAPE_EVERY: Duration = Duration::from_secs(5);

struct Backend {
    url: String,
    proxy: String,
}

// Start-up: one probe per configured backend, with the backend's own proxy.
async fn check_backends(backends: &[Backend]) {
    for b in backends {
        let c = reqwest::Client::builder() //~? client_in_loop
            .proxy(reqwest::Proxy::all(&b.proxy).unwrap())
            .build()
            .unwrap();
        let _ = c.get(&b.url).send().await.map(|r| r.bytes());
    }
}

// A discovery loop that runs every minute (the const says so).
async fn discovery_loop() {
    loop {
        let c = reqwest::Client::new(); //~? client_in_loop
        let _ = c.get("http://consul/v1/catalog").send().await.map(|r| r.bytes());
        tokio::time::sleep(DISCOVERY_INTERVAL).await;
    }
}

// An hourly report through an interval.
async fn hourly_report() {
    let mut every_hour = tokio::time::interval(Duration::from_secs(60 * 60));
    loop {
        every_hour.tick().await;
        let c = reqwest::Client::new(); //~? client_in_loop
        let _ = c.post("http://reports").send().await.map(|r| r.bytes());
    }
}

// A reconnect loop: connect, consume the stream until it ends, back off.
async fn consume_events() {
    loop {
        let c = reqwest::Client::new(); //~? client_in_loop
        let mut events = match c.get("http://events/stream").send().await {
            Ok(r) => r.bytes_stream(),
            Err(_) => {
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        while let Some(chunk) = futures::StreamExt::next(&mut events).await {
            let _ = chunk;
        }
    }
}

// Connect with back-off: the loop ends as soon as a connection is made.
async fn connect_with_backoff() -> redis::aio::MultiplexedConnection {
    let client = redis::Client::open("redis://cache").unwrap();
    loop {
        match client.get_multiplexed_async_connection().await { //~? client_in_loop
            Ok(conn) => break conn,
            Err(_) => tokio::time::sleep(Duration::from_secs(2)).await,
        }
    }
}

// True cases beside them: a scrape every 5 s, and a loop over data.
async fn scrape_loop() {
    loop {
        let c = reqwest::Client::new(); //~ client_in_loop
        let _ = c.get("http://metrics").send().await.map(|r| r.bytes());
        tokio::time::sleep(SCRAPE_EVERY).await;
    }
}

async fn fetch_all(urls: Vec<String>) {
    for u in &urls {
        let c = reqwest::Client::new(); //~ client_in_loop
        let _ = c.get(u).send().await.map(|r| r.bytes());
    }
}

#[tokio::main]
async fn main() {
    let backends = vec![Backend { url: "http://a".into(), proxy: "http://p".into() }];
    check_backends(&backends).await;
    tokio::spawn(discovery_loop());
    tokio::spawn(hourly_report());
    tokio::spawn(consume_events());
    let _ = connect_with_backoff().await;
    boot().await;
    tokio::spawn(cleanup_daemon());
}

// A daemon started once from `main` whose per-item loop runs again on every
// round of its endless loop: not a start-up loop.
async fn cleanup_daemon() {
    loop {
        for key in pending_deletions().await {
            let c = reqwest::Client::new(); //~ client_in_loop
            let _ = c.delete(key).send().await.map(|r| r.bytes());
        }
        tokio::time::sleep(std::time::Duration::from_secs(300)).await;
    }
}

async fn pending_deletions() -> Vec<String> {
    Vec::new()
}

enum Effect {
    FetchModels,
    Redraw,
}

// A dispatch loop: the arm that builds runs for one kind of effect, whose
// frequency (a user action) the code cannot show.
async fn handle_effects(effects: Vec<Effect>) {
    for effect in effects {
        match effect {
            Effect::FetchModels => {
                let c = reqwest::Client::new(); //~? client_in_loop
                let _ = c.get("http://models").send().await.map(|r| r.bytes());
            }
            Effect::Redraw => {}
        }
    }
}

// Called from `main`, and by name on a receiver of unknown type (a job runner
// behind a trait object): the hidden caller may run it per job, so it is not
// proven to run once and its loop over data still fires.
pub struct Feeds;

impl Feeds {
    async fn sync_feeds(&self, feeds: Vec<String>) {
        for f in &feeds {
            let c = reqwest::Client::new(); //~ client_in_loop
            let _ = c.get(f).send().await.map(|r| r.bytes());
        }
    }
}

async fn scheduled(queue: impl std::fmt::Debug) {
    let q = queue;
    q.sync_feeds(vec![]).await;
    q.sync_mirrors(vec![]).await;
}

// Look-alike: a free function of the same name as a method called on an
// unknown receiver; a method call cannot reach it, so `main` is its only
// caller and its loop runs once per configured mirror.
async fn sync_mirrors(mirrors: Vec<String>) {
    for m in &mirrors {
        let c = reqwest::Client::new(); //~? client_in_loop
        let _ = c.get(m).send().await.map(|r| r.bytes());
    }
}

async fn boot() {
    Feeds.sync_feeds(vec!["http://a".into()]).await;
    sync_mirrors(vec!["http://m".into()]).await;
}
