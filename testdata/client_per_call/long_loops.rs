// "Runs a long loop of its own" is for a consumer that lives until an error
// or a shutdown: its client is amortised over that loop. A loop that only
// drains a body into memory, or workers fed by a channel the call made
// itself, end with the call: the client is still built per call.
use axum::extract::ws::{WebSocket, WebSocketUpgrade};
use axum::extract::Path;
use axum::routing::{get, post};
use axum::Router;
use futures::StreamExt;

async fn download(key: &str) -> Option<Vec<u8>> {
    let http = reqwest::Client::new(); //~ client_per_call
    let resp = http.get(format!("http://store/{key}")).send().await.ok()?;
    let mut body = resp.bytes_stream();
    let mut buf = Vec::new();
    while let Some(chunk) = body.next().await {
        buf.extend_from_slice(&chunk.ok()?);
    }
    Some(buf)
}

async fn fan_out(note: String, inboxes: Vec<String>) {
    let http = reqwest::Client::new(); //~ client_per_call
    let (tx, rx) = flume::bounded::<String>(4);
    let mut workers = Vec::new();
    for _ in 0..4 {
        let rx = rx.clone();
        let http = http.clone();
        let note = note.clone();
        workers.push(tokio::spawn(async move {
            while let Ok(inbox) = rx.recv_async().await {
                if let Ok(r) = http.post(inbox).body(note.clone()).send().await {
                    let _ = r.bytes().await;
                }
            }
        }));
    }
    for inbox in inboxes {
        let _ = tx.send_async(inbox).await;
    }
    drop(tx);
    for w in workers {
        let _ = w.await;
    }
}

// A consumer: it runs as long as the socket stays open, and its client
// serves every message of it.
async fn relay(mut socket: WebSocket) {
    let http = reqwest::Client::new(); //~? client_per_call
    while let Some(Ok(msg)) = socket.next().await {
        if let Ok(text) = msg.to_text() {
            let _ = http.post("http://sink").body(text.to_string()).send().await.map(|r| r.bytes());
        }
    }
}

async fn file(Path(key): Path<String>) -> Vec<u8> {
    download(&key).await.unwrap_or_default()
}

async fn publish(body: String) -> &'static str {
    fan_out(body, vec!["http://a/inbox".into()]).await;
    "ok"
}

async fn live(ws: WebSocketUpgrade) -> axum::response::Response {
    ws.on_upgrade(|socket| relay(socket))
}

#[tokio::main]
async fn main() {
    let app = Router::new()
        .route("/files/{key}", get(file))
        .route("/notes", post(publish))
        .route("/live", get(live));
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    axum::serve(l, app).await.unwrap();
}
