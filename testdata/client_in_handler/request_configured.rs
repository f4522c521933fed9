// A client built from values in the request (an upstream URL, an API key) may
// serve a rare admin operation or repeat per request: the code cannot show
// which, so the default level stays silent and --pedantic reports it.
use axum::extract::{Json, State};

struct Recover {
    source_url: String,
    api_key: String,
}

async fn recover_snapshot(State(_db): State<()>, Json(req): Json<Recover>) -> u64 {
    let client = reqwest::Client::builder() //~? client_in_handler
        .default_headers(headers(&req.api_key))
        .build()
        .unwrap();
    let bytes = client.get(&req.source_url).send().await.unwrap().bytes().await.unwrap();
    bytes.len() as u64
}

fn headers(key: &str) -> reqwest::header::HeaderMap {
    let mut h = reqwest::header::HeaderMap::new();
    h.insert("api-key", key.parse().unwrap());
    h
}

// True case beside it: nothing in the configuration comes from the request.
async fn proxy_page(Json(req): Json<Recover>) -> String {
    let client = reqwest::Client::builder() //~ client_in_handler
        .timeout(std::time::Duration::from_secs(5))
        .build()
        .unwrap();
    let page = format!("http://upstream/pages/{}", req.api_key);
    client.get(&page).send().await.unwrap().text().await.unwrap()
}

// Application state written through a type alias is still application
// state: a client configured from it is the same on every request.
struct Settings {
    agent: String,
}

type SettingsState = State<std::sync::Arc<Settings>>;

async fn upstream_summary(State(settings): SettingsState) -> String {
    let client = reqwest::Client::builder() //~ client_in_handler
        .user_agent(settings.agent.clone())
        .build()
        .unwrap();
    client.get("http://upstream/summary").send().await.unwrap().text().await.unwrap()
}

// The same, with the alias imported from the module that defines the state.
mod appstate {
    pub type UpstreamState = axum::extract::State<std::sync::Arc<super::Settings>>;
}

use appstate::UpstreamState;

async fn upstream_status(State(settings): UpstreamState) -> String {
    let client = reqwest::Client::builder() //~ client_in_handler
        .user_agent(settings.agent.clone())
        .build()
        .unwrap();
    client.get("http://upstream/status").send().await.unwrap().text().await.unwrap()
}
