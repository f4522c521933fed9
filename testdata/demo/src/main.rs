// connlint demo service: the five bugs of shared/seeds/ live in one module each (see README.md).
// This file is the correct pattern and must stay clean: one reqwest::Client is built once in
// `main`, shared with the handlers through axum `State`, and cloned (an Arc clone) into the
// background tasks.

mod consul;
mod health;
mod metrics;
mod poller;
mod proxy;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{any, get};
use axum::{Json, Router};
use tokio_cron_scheduler::JobScheduler;

#[derive(Clone)]
struct AppState {
    http: reqwest::Client,
}

async fn user_profile(
    State(state): State<AppState>,
    Path(id): Path<u64>,
) -> Result<Json<serde_json::Value>, StatusCode> {
    let resp = state
        .http
        .get(format!("http://users.internal/v1/users/{id}"))
        .send()
        .await
        .map_err(|_| StatusCode::BAD_GATEWAY)?;
    let profile = resp.json().await.map_err(|_| StatusCode::BAD_GATEWAY)?;
    Ok(Json(profile))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let http = reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(2))
        .timeout(Duration::from_secs(10))
        .build()?;

    let backends = ["http://orders.internal", "http://billing.internal"].map(String::from);
    tokio::spawn(health::watch(http.clone(), backends.to_vec()));
    tokio::spawn(poller::run("http://config.internal/v1/flags".to_string()));

    let tls = Arc::new(metrics::TlsMaterial {
        ca_pem: std::fs::read("/etc/demo/tls/ca.pem")?,
        identity_pem: std::fs::read("/etc/demo/tls/client.pem")?,
    });
    let sched = JobScheduler::new().await?;
    metrics::schedule(&sched, tls).await?;
    sched.start().await?;

    let app = Router::new()
        .route("/users/{id}", get(user_profile))
        .route("/services/{name}", get(consul::nodes))
        .route("/proxy/{*rest}", any(proxy::forward))
        .with_state(AppState { http });
    let listener = tokio::net::TcpListener::bind("0.0.0.0:8080").await?;
    axum::serve(listener, app).await?;
    Ok(())
}
