// Helpers that build a client on every call, reached from handlers, loops and jobs.
use axum::extract::Path;
use axum::routing::get;
use axum::Router;

// depth 1: a handler calls the helper.
async fn notify(msg: &str) {
    let client = reqwest::Client::new(); //~ client_per_call
    client.post("http://hooks").body(msg.to_string()).send().await.unwrap().text().await.unwrap();
}

async fn register(Path(user): Path<String>) -> String {
    notify(&user).await;
    user
}

// depth 2: handler -> audit -> send_audit.
async fn send_audit(line: String) {
    let agent = ureq::Agent::new(); //~ client_per_call
    agent.post("http://audit").send_string(&line).unwrap().into_string().unwrap();
}

async fn audit(what: &str) {
    send_audit(what.to_string()).await;
}

async fn delete_user(Path(user): Path<String>) -> String {
    audit(&user).await;
    user
}

// depth 3 from a loop: sync_all -> sync_one -> fetch -> load. `sync_all` runs
// once, from `main`, and passes each url on: once per configured item at
// start-up, which only --pedantic reports.
async fn load(url: &str) -> String {
    let c = reqwest::Client::builder().build().unwrap(); //~? client_per_call
    c.get(url).send().await.unwrap().text().await.unwrap()
}

async fn fetch(url: &str) -> String {
    load(url).await
}

async fn sync_one(url: &str) -> String {
    fetch(url).await
}

async fn sync_all(urls: Vec<String>) {
    for u in &urls {
        sync_one(u).await;
    }
}

// A periodic job registered by path.
async fn collect() {
    let pool = sqlx::PgPool::connect("postgres://metrics").await.unwrap(); //~ client_per_call
    let _ = pool;
}

async fn schedule(sched: tokio_cron_scheduler::JobScheduler) {
    let job = tokio_cron_scheduler::Job::new_async("*/5 * * * * *", |_id, _s| Box::pin(async { collect().await })).unwrap();
    sched.add(job).await.unwrap();
}

// Recursion: hot even when first called from main.
async fn crawl(url: String, depth: u8) {
    let c = reqwest::Client::new(); //~ client_per_call
    let links: Vec<String> = c.get(&url).send().await.unwrap().json().await.unwrap();
    for link in links {
        if depth > 0 {
            Box::pin(crawl(link, depth - 1)).await;
        }
    }
}

fn router() -> Router {
    Router::new().route("/register/{user}", get(register)).route("/delete/{user}", get(delete_user))
}

#[tokio::main]
async fn main() {
    crawl("http://start".into(), 3).await;
    sync_all(vec![]).await;
    let _ = router();
}
