// A function is taken for a handler by its extractor parameters only while
// nothing in the workspace calls it: one that the workspace's own code calls
// (a queue worker or a CLI handed `web::Data<Pool>`, trieve's workers) runs
// as often as its callers do.
use actix_web::web;

pub struct Pool;

// Registered by a macro connlint cannot expand: its extractor says handler.
pub async fn list_users(_pool: web::Data<Pool>) -> String {
    let client = reqwest::Client::new(); //~ client_in_handler
    match client.get("http://users/list").send().await {
        Ok(r) => r.text().await.unwrap_or_default(),
        Err(e) => e.to_string(),
    }
}

// Clean: the same signature, called once by `main`.
pub async fn nightly_report(_pool: web::Data<Pool>) -> String {
    let client = reqwest::Client::new();
    match client.get("http://reports/nightly").send().await {
        Ok(r) => r.text().await.unwrap_or_default(),
        Err(e) => e.to_string(),
    }
}

#[tokio::main]
async fn main() {
    let pool = web::Data::new(Pool);
    println!("{}", nightly_report(pool).await);
}
