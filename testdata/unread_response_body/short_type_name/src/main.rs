mod db;

use db::Db;

#[tokio::main]
async fn main() {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(10));
    loop {
        tick.tick().await;
        let _ = Db::shared().get("http://inventory.internal/health").send().await; //~ unread_response_body
    }
}
