// Setup code that runs once: routers, state, main, worker factories.
use axum::extract::State;
use axum::routing::get;
use axum::Router;
use std::sync::Arc;

#[derive(Clone)]
struct AppState {
    http: reqwest::Client,
    db: sqlx::PgPool,
}

async fn handler(State(state): State<Arc<AppState>>) -> String {
    let c = state.http.clone();
    c.get("http://x").send().await.unwrap().text().await.unwrap()
}

async fn build_state() -> AppState {
    AppState {
        http: reqwest::Client::builder().build().unwrap(),
        db: sqlx::PgPool::connect("postgres://db").await.unwrap(),
    }
}

#[tokio::main]
async fn main() {
    let state = Arc::new(build_state().await);
    let app = Router::new().route("/", get(handler)).with_state(state);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await.unwrap();
    axum::serve(listener, app).await.unwrap();
}

// A function named like a handler that nobody registers and that takes no extractor.
async fn get_users() -> Vec<String> {
    Vec::new()
}
