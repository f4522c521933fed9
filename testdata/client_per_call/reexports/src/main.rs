// A helper reached through a glob re-export (`pub use helpers::post::*`)
// and a glob import of the crate root in the module of the handlers.
mod helpers;
pub use helpers::post::*;

mod api {
    use crate::*;

    pub async fn create(axum::extract::State(http): axum::extract::State<reqwest::Client>) -> String {
        let body = post_form("http://users/new").await;
        body + &post_with(&http, "http://audit").await
    }
}

#[tokio::main]
async fn main() {
    let app: axum::Router = axum::Router::new().route("/users", axum::routing::post(api::create));
    let _ = app;
}
