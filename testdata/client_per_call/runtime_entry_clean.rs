// `#[tokio::main] async fn main` stays the entry point: what it builds is built once.
#[tokio::main]
async fn main() {
    let c = reqwest::Client::new();
    for u in ["http://a", "http://b"] {
        let _ = c.get(u).send().await.unwrap().text().await;
    }
    run().await;
}

async fn run() {
    let c = reqwest::Client::new();
    let _ = c.get("http://x").send().await.unwrap().text().await;
}
