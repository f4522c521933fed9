// A helper that builds its client from its arguments, reached both from a
// request handler and from a loop over items: the handler cannot show that
// the configuration repeats (its arguments may be the request's), the loop
// can. The finding follows the loop, at the default level.
use axum::extract::Query;
use axum::routing::get;
use axum::Router;
use std::collections::HashMap;

fn fetch(url: &str, timeout_secs: u64) -> String {
    let http = reqwest::blocking::Client::builder() //~ client_per_call
        .timeout(std::time::Duration::from_secs(timeout_secs))
        .build()
        .unwrap();
    http.get(url).send().unwrap().text().unwrap()
}

fn crawl_pages(next: &mut Vec<String>) {
    while let Some(page) = next.pop() {
        let body = fetch(&page, 10);
        next.extend(body.lines().filter(|l| l.starts_with("http")).map(String::from));
    }
}

async fn preview(Query(q): Query<HashMap<String, String>>) -> String {
    let url = q.get("url").cloned().unwrap_or_default();
    let secs = q.get("t").and_then(|t| t.parse().ok()).unwrap_or(5);
    tokio::task::spawn_blocking(move || fetch(&url, secs)).await.unwrap()
}

// Only a handler reaches this one, with the request's values: pedantic.
fn probe(url: &str, timeout_secs: u64) -> bool {
    let http = reqwest::blocking::Client::builder() //~? client_per_call
        .timeout(std::time::Duration::from_secs(timeout_secs))
        .build()
        .unwrap();
    http.head(url).send().is_ok()
}

async fn check(Query(q): Query<HashMap<String, String>>) -> &'static str {
    let url = q.get("url").cloned().unwrap_or_default();
    let up = tokio::task::spawn_blocking(move || probe(&url, 3)).await.unwrap();
    if up { "up" } else { "down" }
}

#[tokio::main]
async fn main() {
    std::thread::spawn(|| loop {
        let mut next = vec!["http://seed".to_string()];
        crawl_pages(&mut next);
        std::thread::sleep(std::time::Duration::from_secs(1));
    });
    let app = Router::new().route("/preview", get(preview)).route("/check", get(check));
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    axum::serve(l, app).await.unwrap();
}
