// A job function registered with apalis runs once per job its backend yields
// (a queued task, a cron tick): what it calls per item of a job runs per item
// (reduced from hatsu's feed updater, which fetched every user's feed with a
// throw-away client every five minutes).
use apalis::prelude::{Data, Monitor, WorkerBuilder, WorkerFactoryFn};
use apalis_cron::{CronStream, Schedule};
use std::str::FromStr;

pub struct Feed {
    pub items: Vec<String>,
}

async fn fetch_feed(url: String) -> reqwest::Result<Feed> {
    let text = reqwest::get(url).await?.text().await?; //~ client_per_call
    Ok(Feed {
        items: text.lines().map(str::to_string).collect(),
    })
}

async fn update_all(users: Vec<String>) -> usize {
    let mut seen = 0;
    for user in users {
        if let Ok(feed) = fetch_feed(format!("https://{user}/feed.json")).await {
            seen += feed.items.len();
        }
    }
    seen
}

#[derive(Default, Debug)]
pub struct Tick;

async fn update_job(_tick: Tick, users: Data<Vec<String>>) -> bool {
    update_all(users.to_vec()).await > 0
}

async fn run(users: Vec<String>) -> std::io::Result<()> {
    let schedule = Schedule::from_str("0 */5 * * * *").expect("cron");
    let worker = WorkerBuilder::new("feeds")
        .data(users)
        .backend(CronStream::new(schedule))
        .build_fn(update_job);
    Monitor::new().register(worker).run().await
}

// From a request handler, the URL a one-shot helper fetches is the request,
// not the client's configuration: the throw-away client is per request.
// A pool whose configuration comes from the request (a database URL) may
// serve a rare operation: pedantic.
async fn preview(url: String) -> reqwest::Result<String> {
    reqwest::get(url).await?.text().await //~ client_per_call
}

async fn ping_store(url: String) -> bool {
    let pool = sqlx::PgPool::connect(&url).await; //~? client_per_call
    pool.is_ok()
}

async fn preview_handler(axum::extract::Query(url): axum::extract::Query<String>) -> String {
    let _ = ping_store(url.clone()).await;
    preview(url).await.unwrap_or_default()
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let app: axum::Router = axum::Router::new().route("/preview", axum::routing::get(preview_handler));
    let _ = app;
    run(vec!["a.example".into()]).await
}
