#[tokio::main]
async fn main() {
    let client = reqwest::Client::new();
    let file = chat_sdk::File { url: "http://files.example/a".into() };
    let _ = file.download_with(&client).await;
}
