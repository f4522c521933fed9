// Mirrors shared/seeds/000_22f208380f5869ff.txt (caddy "idproxy" goroutine leak).
// The plugin picked the upstream `id-<id>.<namespace>` per request and returned an
// UpstreamHost without a ReverseProxy, so caddy built a fresh ReverseProxy, and with it a
// fresh http.Transport, for every request. Each transport kept its keep-alive connections
// open until the TCP timeout; the pod ran out of memory and was OOM-killed.
// Here `forward` builds a new reqwest::Client (own pool, TLS setup, DNS cache) per request:
// connlint should report `client_in_handler` on the `Client::builder()` line.

use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::extract::{Query, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

const NAMESPACE: &str = "tenants.svc.cluster.local";

#[derive(Deserialize)]
pub struct Target {
    id: u64,
}

pub async fn forward(
    Query(target): Query<Target>,
    req: Request<Body>,
) -> Result<Response, StatusCode> {
    let upstream = format!("http://id-{}.{NAMESPACE}{}", target.id, req.uri().path());
    let client = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(30))
        .pool_max_idle_per_host(16)
        .build()
        .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;

    let method = req.method().clone();
    let body = to_bytes(req.into_body(), 8 << 20)
        .await
        .map_err(|_| StatusCode::BAD_REQUEST)?;
    let resp = client
        .request(method, upstream)
        .body(body)
        .send()
        .await
        .map_err(|_| StatusCode::BAD_GATEWAY)?;
    let status = resp.status();
    let bytes = resp.bytes().await.map_err(|_| StatusCode::BAD_GATEWAY)?;
    Ok((status, bytes).into_response())
}
