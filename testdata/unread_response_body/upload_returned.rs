// A helper that sends a `PUT` and hands the response back: the caller's
// response answers an upload, which usually comes back with an empty body
// (found on a push service that tells a connection node to check its
// storage, per notification).
use reqwest::StatusCode;

struct Router {
    http: reqwest::Client,
}

impl Router {
    async fn notify_node(&self, node: &str, id: &str) -> Result<reqwest::Response, reqwest::Error> {
        let url = format!("{node}/notif/{id}");
        let result = self.http.put(&url).send().await;
        result
    }

    async fn fetch_state(&self, node: &str, id: &str) -> Result<reqwest::Response, reqwest::Error> {
        self.http.get(format!("{node}/state/{id}")).send().await
    }

    async fn route(&self, node: &str, id: &str) -> bool {
        match self.notify_node(node, id).await { //~? unread_response_body
            Ok(response) => response.status() == StatusCode::OK,
            Err(_) => false,
        }
    }

    // True case beside it: the helper's `GET` answers with a body.
    async fn state(&self, node: &str, id: &str) -> bool {
        match self.fetch_state(node, id).await { //~ unread_response_body
            Ok(response) => response.status() == StatusCode::OK,
            Err(_) => false,
        }
    }
}

async fn push(
    axum::extract::State(r): axum::extract::State<std::sync::Arc<Router>>,
    axum::extract::Path(id): axum::extract::Path<String>,
) -> &'static str {
    if r.route("http://node.internal", &id).await && r.state("http://node.internal", &id).await {
        "delivered"
    } else {
        "stored"
    }
}

#[tokio::main]
async fn main() {
    let router = std::sync::Arc::new(Router { http: reqwest::Client::new() });
    let app = axum::Router::new().route("/push/:id", axum::routing::put(push)).with_state(router);
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8000").await.expect("bind");
    axum::serve(listener, app).await.expect("serve");
}
