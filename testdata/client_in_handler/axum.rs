// axum handlers: registered functions, inline closures, extractor signatures.
use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};

#[derive(Clone)]
struct AppState {
    http: reqwest::Client,
}

async fn list_users() -> String {
    let client = reqwest::Client::new(); //~ client_in_handler
    client.get("http://users").send().await.unwrap().text().await.unwrap()
}

async fn by_extractor(Path(id): Path<u64>) -> String {
    let pool = sqlx::PgPool::connect("postgres://db").await.unwrap(); //~ client_in_handler
    format!("{id} {pool:?}")
}

#[axum::debug_handler]
async fn debugged() -> &'static str {
    let _c = reqwest::Client::builder().build().unwrap(); //~ client_in_handler
    "ok"
}

async fn create(Json(body): Json<String>) -> String {
    body
}

// The fix: a client built once and shared through state.
async fn with_state(State(app): State<AppState>) -> String {
    app.http.get("http://users").send().await.unwrap().text().await.unwrap()
}

fn router(state: AppState) -> Router {
    Router::new()
        .route("/users", get(list_users).post(create))
        .route("/users/{id}", get(by_extractor))
        .route("/debug", post(debugged))
        .route("/state", get(with_state))
        .route("/proxy", get(|| async { reqwest::get("http://upstream").await.unwrap().text().await.unwrap() })) //~ client_in_handler
        .with_state(state)
}

#[tokio::main]
async fn main() {
    let state = AppState { http: reqwest::Client::new() };
    let app = router(state);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await.unwrap();
    axum::serve(listener, app).await.unwrap();
}

// 25. `join!` in a handler: two clients, two findings.
async fn compare(Path(id): Path<u64>) -> String {
    let (a, b) = tokio::join!(reqwest::Client::new().get("http://a").send(), reqwest::Client::new().get("http://b").send()); //~ client_in_handler client_in_handler
    format!("{id} {} {}", a.is_ok(), b.is_ok())
}
