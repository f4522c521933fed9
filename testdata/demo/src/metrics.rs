// Mirrors shared/seeds/002_a05d9fda956984fe.txt (DBaaS goroutine leak, "@every 5s" job).
// The goroutine count grew by four every five seconds: AsyncMetricsPods, a cron job run
// every 5 s, built a TLS http.Transport (RootCAs + client certificate) and an http.Client on
// every run, with no idle limits, so each tick left a keep-alive TLS connection behind.
// Here the tokio-cron-scheduler job calls `collect_pod_metrics`, which builds a TLS-configured
// reqwest::Client per tick and drops it: connlint should report `client_per_call` on the
// `Client::builder()` line in `collect_pod_metrics`, reached from the periodic job.

use std::sync::Arc;

use serde::Deserialize;
use tokio_cron_scheduler::{Job, JobScheduler};

const METRICS_API: &str = "https://kubernetes.default.svc/apis/metrics.k8s.io/v1beta1/pods";

pub struct TlsMaterial {
    pub ca_pem: Vec<u8>,
    pub identity_pem: Vec<u8>,
}

#[derive(Deserialize)]
struct PodMetricsList {
    items: Vec<serde::de::IgnoredAny>,
}

async fn collect_pod_metrics(tls: &TlsMaterial) -> anyhow::Result<usize> {
    let client = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&tls.ca_pem)?)
        .identity(reqwest::Identity::from_pem(&tls.identity_pem)?)
        .build()?;
    let list: PodMetricsList = client.get(METRICS_API).send().await?.json().await?;
    Ok(list.items.len())
}

pub async fn schedule(sched: &JobScheduler, tls: Arc<TlsMaterial>) -> anyhow::Result<()> {
    let job = Job::new_async("*/5 * * * * *", move |_id, _sched| {
        let tls = Arc::clone(&tls);
        Box::pin(async move {
            match collect_pod_metrics(&tls).await {
                Ok(pods) => println!("metrics: {pods} pods"),
                Err(err) => eprintln!("metrics: {err:#}"),
            }
        })
    })?;
    sched.add(job).await?;
    Ok(())
}
