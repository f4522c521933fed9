// Mirrors shared/seeds/001_f2cd9c69faa83eca.txt (Go transport keep-alive goroutine leak).
// pprof showed 20,000+ goroutines parked in persistConn.readLoop and lsof showed as many
// ESTABLISHED connections to the local consul agent: the service lookup created a new
// http.Transport on every call instead of reusing one global transport.
// Here `lookup_service` builds a reqwest::Client on every call and drops it on return, and
// the `nodes` handler calls it per request: connlint should report `client_per_call` on the
// `Client::builder()` line in `lookup_service`, with the chain `nodes` -> `lookup_service`.

use std::time::Duration;

use axum::extract::Path;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;

const CONSUL: &str = "http://127.0.0.1:8500";

#[derive(Deserialize)]
struct HealthEntry {
    #[serde(rename = "Service")]
    service: ServiceInfo,
}

#[derive(Deserialize)]
struct ServiceInfo {
    #[serde(rename = "Address")]
    address: String,
    #[serde(rename = "Port")]
    port: u16,
}

pub async fn lookup_service(name: &str) -> anyhow::Result<Vec<String>> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(3))
        .build()?;
    let url = format!("{CONSUL}/v1/health/service/{name}?passing=true");
    let entries: Vec<HealthEntry> = client.get(url).send().await?.json().await?;
    Ok(entries
        .into_iter()
        .map(|e| format!("{}:{}", e.service.address, e.service.port))
        .collect())
}

pub async fn nodes(Path(service): Path<String>) -> Result<Json<Vec<String>>, StatusCode> {
    let nodes = lookup_service(&service)
        .await
        .map_err(|_| StatusCode::BAD_GATEWAY)?;
    Ok(Json(nodes))
}
