// One client per distinct configuration is correct: a loop whose item
// configures the client (a proxy, an address, a database URL) builds one per
// key. It is a finding only where the function runs per request or per tick.
use std::time::Duration;

// Nothing shows how often this runs: one pool per configured database, to
// check that each is reachable.
async fn check_shards(shard_urls: &[String]) {
    for url in shard_urls {
        let pool = sqlx::PgPool::connect(url).await.unwrap(); //~? client_in_loop
        sqlx::query("SELECT 1").execute(&pool).await.unwrap();
    }
}

// A loop over a literal list runs a fixed few times.
async fn warm_regions() {
    for region in ["eu", "us"] {
        let c = reqwest::Client::new(); //~? client_in_loop
        let _ = c.get(format!("http://{region}.api/health")).send().await.map(|r| r.bytes());
    }
}

// Polling every 2 s until a job completes is a poll, not a retry.
async fn wait_for_job(id: &str) -> String {
    loop {
        let c = reqwest::Client::new(); //~ client_in_loop
        let r = c.get(format!("http://jobs/{id}")).send().await.unwrap();
        if r.status().is_success() {
            return r.text().await.unwrap();
        }
        let _ = r.bytes().await;
        tokio::time::sleep(Duration::from_secs(2)).await;
    }
}

// True case: the same per-key loop in a request handler repeats per request.
async fn fan_out(axum::extract::Json(targets): axum::extract::Json<Vec<String>>) -> usize {
    let mut ok = 0;
    for t in &targets {
        let c = reqwest::Client::builder().proxy(reqwest::Proxy::all(t).unwrap()).build().unwrap(); //~ client_in_loop
        ok += usize::from(c.get("http://probe").send().await.is_ok());
    }
    ok
}
