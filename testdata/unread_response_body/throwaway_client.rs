// A response whose client was built in the same function, and dies with it
// when the function returns: draining the body would hand the connection to a
// pool nobody uses again. The construction is what the client lints report.
// Where the same client sends again after the drop (later in the function, or
// on the next turn of a loop), the connection could have been reused.
use axum::extract::{Path, State};

const HOOKS: &str = "https://hooks.example";
const VOICE: &str = "https://voice.example";

fn fresh_client() -> reqwest::Client {
    reqwest::Client::builder().build().unwrap_or_default()
}

// Clean: one request on a client that lives for this request only.
async fn ping_hook(Path(id): Path<String>) -> Result<(), String> {
    let http = fresh_client(); //~ client_in_handler
    let answer = http.post(HOOKS).body(id).send().await.map_err(|e| e.to_string())?;
    if answer.status().as_u16() < 300 {
        return Ok(());
    }
    Err(answer.text().await.unwrap_or_default())
}

// Clean: the catch-all arm drops the response, and nothing follows it.
async fn crate_page(Path(name): Path<String>) -> Result<String, u16> {
    let http = fresh_client(); //~ client_in_handler
    match http.get(format!("{HOOKS}/crates/{name}")).send().await {
        Ok(page) => match page.status().as_u16() {
            200 => page.text().await.map_err(|_| 500),
            other => {
                eprintln!("unexpected status {other}");
                Err(404)
            }
        },
        Err(_) => Err(502),
    }
}

// True: the first answer is dropped after its status, then the same client
// asks the same host again.
async fn join_room(Path(room): Path<String>) -> Result<String, String> {
    let http = reqwest::Client::new(); //~ client_in_handler
    let exists = match http.get(format!("{VOICE}/room/{room}")).send().await { //~ unread_response_body
        Ok(found) => found.status().is_success(),
        Err(e) => return Err(e.to_string()),
    };
    if !exists {
        eprintln!("creating room {room}");
    }
    let user = http.post(format!("{VOICE}/room/{room}/user")).send().await;
    user.map_err(|e| e.to_string())?.text().await.map_err(|e| e.to_string())
}

// True: built once for the whole loop; the next turn reuses it.
async fn ping_peers(Path(peers): Path<String>) -> usize {
    let http = reqwest::Client::new(); //~ client_in_handler
    let mut up = 0;
    for peer in peers.split(',') {
        if let Ok(r) = http.get(format!("{HOOKS}/peers/{peer}")).send().await { //~ unread_response_body
            if r.status().is_success() {
                up += 1;
            }
        }
    }
    up
}

// True: a shared client from application state outlives the request.
async fn ping_shared(State(http): State<reqwest::Client>, Path(id): Path<String>) -> bool {
    match http.post(HOOKS).body(id).send().await { //~ unread_response_body
        Ok(answer) => answer.status().is_success(),
        Err(_) => false,
    }
}

#[tokio::main]
async fn main() {
    let app = axum::Router::new()
        .route("/hooks/:id", axum::routing::post(ping_hook))
        .route("/crates/:name", axum::routing::get(crate_page))
        .route("/rooms/:room", axum::routing::post(join_room))
        .route("/peers/:peers", axum::routing::get(ping_peers))
        .route("/shared/:id", axum::routing::post(ping_shared))
        .route("/pages/:peers", axum::routing::get(poll_pages))
        .with_state(reqwest::Client::new());
    let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await.unwrap();
    axum::serve(listener, app).await.unwrap();
}

// True: a failing peer is skipped and the next turn reuses the client (the
// response taken out of a `match` on the send).
async fn poll_pages(Path(peers): Path<String>) -> usize {
    let http = reqwest::Client::new(); //~ client_in_handler
    let mut total = 0;
    for peer in peers.split(',') {
        let response = match http.get(format!("{HOOKS}/pages/{peer}")).send().await { //~ unread_response_body
            Ok(r) => r,
            Err(_) => continue,
        };
        if !response.status().is_success() {
            continue;
        }
        total += response.text().await.map(|t| t.len()).unwrap_or(0);
    }
    total
}
