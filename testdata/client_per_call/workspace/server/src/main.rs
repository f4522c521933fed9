use acme_api::hooks::notify;
use axum::routing::post;
use axum::Router;

async fn signup() -> &'static str {
    notify("signup").await;
    "ok"
}

// `poll` runs once, from `main`: a start-up loop, reported only with --pedantic.
async fn poll(ids: Vec<u32>) {
    for id in ids {
        let c = acme_api::client(); //~? client_in_loop
        c.get(format!("http://x/{id}")).send().await.unwrap().text().await.unwrap();
    }
}

#[tokio::main]
async fn main() {
    let _once = acme_api::client();
    poll(vec![1]).await;
    let app: Router = Router::new().route("/signup", post(signup));
    let _ = app;
}
