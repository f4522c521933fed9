// A workspace function passed as a value is called by whoever receives it:
// it counts as called where it is passed (`ws.on_upgrade(session)` runs
// `session` once per upgraded connection of the handler).
use axum::extract::ws::{WebSocket, WebSocketUpgrade};
use axum::routing::get;
use axum::Router;

async fn session(socket: WebSocket) {
    let http = reqwest::Client::new(); //~ client_per_call
    let who = http.get("http://auth/whoami").send().await;
    if let Ok(r) = who {
        let _ = r.text().await;
    }
    drop(socket);
}

async fn upgrade(ws: WebSocketUpgrade) -> axum::response::Response {
    ws.on_upgrade(session)
}

fn fallback_client() -> reqwest::Client {
    reqwest::Client::new()
}

// Passed as a value once, at start-up: built once.
#[tokio::main]
async fn main() {
    let http = None.unwrap_or_else(fallback_client);
    let app = Router::new()
        .route("/ws", get(upgrade))
        .with_state(http);
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    axum::serve(l, app).await.unwrap();
}
