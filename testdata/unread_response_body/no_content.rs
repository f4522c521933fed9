// Where the code itself says the answer has no body (a "no content" flag on
// the branch, or a function that serves only no-content endpoints), dropping
// the response costs nothing: an empty body is free in every library.
use axum::extract::{Path, State};

const API: &str = "https://api.example";

struct Request {
    path: String,
    no_content: bool,
}

// Clean: the SDK's generic path; the no-content branch drops the response.
async fn execute(http: &reqwest::Client, req: Request) -> Result<Option<String>, String> {
    let resp = http.get(format!("{API}{}", req.path)).send().await.map_err(|e| e.to_string())?;
    if !resp.status().is_success() {
        return Err(resp.text().await.unwrap_or_default());
    }
    if req.no_content {
        return Ok(None);
    }
    resp.text().await.map(Some).map_err(|e| e.to_string())
}

// Clean: a function that serves only no-content endpoints.
async fn send_no_content(http: &reqwest::Client, path: &str) -> Result<(), String> {
    let resp = http.delete(format!("{API}{path}")).send().await.map_err(|e| e.to_string())?;
    if resp.status().is_success() { Ok(()) } else { Err(resp.text().await.unwrap_or_default()) }
}

// True case beside them: a flag that says nothing about the body.
async fn execute_quiet(http: &reqwest::Client, req: Request, quiet: bool) -> Result<Option<String>, String> {
    let resp = http.get(format!("{API}{}", req.path)).send().await.map_err(|e| e.to_string())?; //~ unread_response_body
    if quiet {
        return Ok(None);
    }
    resp.text().await.map(Some).map_err(|e| e.to_string())
}

async fn delete_item(State(http): State<reqwest::Client>, Path(id): Path<String>) -> String {
    let req = Request { path: format!("/items/{id}"), no_content: true };
    let _ = send_no_content(&http, &req.path).await;
    let _ = execute_quiet(&http, Request { path: req.path.clone(), no_content: false }, true).await;
    execute(&http, req).await.ok().flatten().unwrap_or_default()
}

#[tokio::main]
async fn main() {
    let app = axum::Router::new()
        .route("/items/:id", axum::routing::delete(delete_item))
        .with_state(reqwest::Client::new());
    let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await.unwrap();
    axum::serve(listener, app).await.unwrap();
}
