// A request sent to a host that the request being handled names (a settings
// action that checks a server the user typed in) goes where the code cannot
// know: whether the next request goes to the same host, and how often, it
// cannot show. The default level stays silent; --pedantic reports it.
use axum::extract::{Json, Path, State};

const API: &str = "https://api.example";

#[derive(serde::Deserialize)]
struct TwoFactorSettings {
    host: String,
    key: String,
}

// Clean at the default level: the host comes from the request body.
async fn check_settings(State(http): State<reqwest::Client>, Json(s): Json<TwoFactorSettings>) -> Result<(), String> {
    let url = format!("https://{}/auth/check", s.host);
    http.get(&url) //~? unread_response_body
        .bearer_auth(&s.key)
        .send()
        .await
        .map_err(|e| e.to_string())?
        .error_for_status()
        .map_err(|e| e.to_string())?;
    Ok(())
}

// The same through a helper that the handler hands the settings to.
async fn verify_host(http: &reqwest::Client, s: &TwoFactorSettings) -> bool {
    match http.get(format!("https://{}/ping", s.host)).send().await { //~? unread_response_body
        Ok(r) => r.status().is_success(),
        Err(_) => false,
    }
}

async fn save_settings(State(http): State<reqwest::Client>, Json(s): Json<TwoFactorSettings>) -> bool {
    verify_host(&http, &s).await
}

// True: only the path comes from the request; the host is the application's.
async fn item_exists(State(http): State<reqwest::Client>, Path(id): Path<String>) -> bool {
    match http.get(format!("{API}/items/{id}")).send().await { //~ unread_response_body
        Ok(r) => r.status().is_success(),
        Err(_) => false,
    }
}

// True: an error return that drops the body loses the server's error message,
// wherever the request went.
async fn fetch_remote(State(http): State<reqwest::Client>, Json(s): Json<TwoFactorSettings>) -> Result<String, String> {
    let resp = http.get(&s.host).send().await.map_err(|e| e.to_string())?; //~ unread_response_body
    if !resp.status().is_success() {
        return Err(format!("remote answered {}", resp.status()));
    }
    resp.text().await.map_err(|e| e.to_string())
}

// True: a workspace helper makes the request from the application's base URL
// and a token the request gives; the token is not where the request goes.
struct Admin {
    http: reqwest::Client,
    base_url: String,
}

impl Admin {
    fn with_auth(&self, method: reqwest::Method, url: &str, token: &str) -> reqwest::RequestBuilder {
        self.http.request(method, url).bearer_auth(token)
    }

    async fn delete_user(&self, token: &str, id: &str) -> Result<bool, reqwest::Error> {
        let url = format!("{}/admin/users/{}", self.base_url, id);
        let resp = self.with_auth(reqwest::Method::DELETE, &url, token).send().await?; //~ unread_response_body
        if resp.status().is_success() {
            return Ok(true);
        }
        Ok(resp.text().await?.is_empty())
    }
}

async fn delete_user(State(admin): State<std::sync::Arc<Admin>>, Path(id): Path<String>, Json(token): Json<String>) -> String {
    admin.delete_user(&token, &id).await.map(|ok| ok.to_string()).unwrap_or_default()
}

#[tokio::main]
async fn main() {
    let app = axum::Router::new()
        .route("/settings/check", axum::routing::post(check_settings))
        .route("/settings", axum::routing::put(save_settings))
        .route("/items/:id", axum::routing::head(item_exists))
        .route("/remote", axum::routing::post(fetch_remote))
        .with_state(reqwest::Client::new());
    let _admin = axum::Router::new()
        .route("/admin/users/:id", axum::routing::delete(delete_user))
        .with_state(std::sync::Arc::new(Admin { http: reqwest::Client::new(), base_url: "http://auth.example".into() }));
    let listener = tokio::net::TcpListener::bind("0.0.0.0:3000").await.unwrap();
    axum::serve(listener, app).await.unwrap();
}
