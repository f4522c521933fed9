// The `static` suggestion of helpers that a handler calls on every request.
use axum::extract::Path;
use axum::routing::get;
use axum::Router;

// `?`: the error of one request would become a panic that poisons the static.
async fn with_try(url: &str) -> Result<String, reqwest::Error> {
    let client = reqwest::Client::builder().build()?; //~ client_per_call
    client.get(url).send().await?.text().await
}

// `map_err(..)?`: no dead `map_err` in front of the `expect`.
async fn with_map_err(url: &str) -> Result<String, String> {
    let client = reqwest::Client::builder() //~ client_per_call
        .timeout(std::time::Duration::from_secs(5))
        .build()
        .map_err(|e| e.to_string())?;
    let resp = client.get(url).send().await.map_err(|e| e.to_string())?;
    resp.text().await.map_err(|e| e.to_string())
}

// Already a panic: the message need not warn.
async fn with_expect(url: &str) -> String {
    let client = reqwest::Client::builder().build().expect("client"); //~ client_per_call
    client.get(url).send().await.unwrap().text().await.unwrap()
}

// A call of a path without arguments: `LazyLock::new(reqwest::Client::new)`.
async fn infallible(url: &str) -> String {
    let client = reqwest::Client::new(); //~ client_per_call
    client.get(url).send().await.unwrap().text().await.unwrap()
}

// The initializer sends the request too: only the client may go in the static.
fn whole_request() -> String {
    let body = reqwest::blocking::Client::new().get("http://status").send().unwrap().text().unwrap(); //~ client_per_call
    body
}

async fn handler(Path(url): Path<String>) -> String {
    let a = with_try(&url).await.unwrap_or_default();
    let b = with_map_err(&url).await.unwrap_or_default();
    let c = with_expect(&url).await;
    let d = infallible(&url).await;
    let e = whole_request();
    a + &b + &c + &d + &e
}

fn router() -> Router {
    Router::new().route("/fetch/{url}", get(handler))
}

#[tokio::main]
async fn main() {
    let _ = router();
}
