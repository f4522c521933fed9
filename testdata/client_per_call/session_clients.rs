// A client built with a cookie jar of its own (`cookie_store(true)`,
// `cookie_provider(jar)`) carries session state: one client per check gives
// each check a fresh session, which is deliberate. It is a per-session
// client, left to the pedantic level; a client without a jar still fires.
use axum::{routing::get, Router};

async fn check_site(u: &str) -> String {
    let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
    let c = reqwest::Client::builder().cookie_provider(jar).build().unwrap(); //~? client_per_call
    let r = c.get(u).send().await.unwrap();
    r.text().await.unwrap_or_default()
}

async fn check_login(u: &str) -> String {
    let c = reqwest::Client::builder() //~? client_per_call
        .user_agent("probe")
        .cookie_store(true)
        .build()
        .unwrap();
    let r = c.get(u).send().await.unwrap();
    r.text().await.unwrap_or_default()
}

// True cases: no jar, or a jar turned off.
async fn ping(u: &str) -> String {
    let c = reqwest::Client::builder().user_agent("probe").build().unwrap(); //~ client_per_call
    let r = c.get(u).send().await.unwrap();
    r.text().await.unwrap_or_default()
}

async fn ping_without_cookies(u: &str) -> String {
    let c = reqwest::Client::builder().cookie_store(false).build().unwrap(); //~ client_per_call
    let r = c.get(u).send().await.unwrap();
    r.text().await.unwrap_or_default()
}

async fn status() -> String {
    let a = check_site("https://a.example").await;
    let b = check_login("https://b.example").await;
    let c = ping("https://c.example").await;
    let d = ping_without_cookies("https://d.example").await;
    a + &b + &c + &d
}

#[tokio::main]
async fn main() {
    let app = Router::new().route("/status", get(status));
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    axum::serve(l, app).await.unwrap();
}
