// A client built without a connection pool closes every connection after its
// request: a dropped body costs nothing more.
use std::time::Duration;

struct Prober {
    http: reqwest::Client,
}

impl Prober {
    fn new() -> reqwest::Result<Prober> {
        Ok(Prober {
            http: reqwest::Client::builder()
                .pool_max_idle_per_host(0)
                .timeout(Duration::from_secs(2))
                .build()?,
        })
    }

    async fn probe_all(&self, targets: &[String]) -> usize {
        let mut up = 0;
        for t in targets {
            if let Ok(r) = self.http.get(t).send().await {
                if r.status().is_success() {
                    up += 1;
                }
            }
        }
        up
    }
}

async fn check_all(targets: Vec<String>) {
    let oneshot = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    for t in &targets {
        let _ = oneshot.head(t).send().await;
        let _ = oneshot.get(t).send().await;
    }
}

// True case beside them: the same loop with a pooled client.
async fn check_all_pooled(client: &reqwest::Client, targets: Vec<String>) {
    for t in &targets {
        let _ = client.get(t).send().await; //~ unread_response_body
    }
}
