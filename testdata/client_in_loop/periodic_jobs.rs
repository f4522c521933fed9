// Scheduler jobs run every tick: a client built in one is built every tick.
use clokwerk::{AsyncScheduler, Scheduler, TimeUnits};
use tokio_cron_scheduler::{Job, JobScheduler};

async fn cron(sched: JobScheduler) {
    let job = Job::new_async("*/5 * * * * *", |_uuid, _l| {
        Box::pin(async move {
            let c = reqwest::Client::new(); //~ client_in_loop
            let _ = c.get("http://metrics").send().await.map(|r| r.bytes());
        })
    })
    .unwrap();
    sched.add(job).await.unwrap();
}

fn clokwerk_sync() {
    let mut scheduler = Scheduler::new();
    scheduler.every(10.seconds()).run(|| {
        let c = reqwest::blocking::Client::new(); //~ client_in_loop
        let _ = c.get("http://metrics").send().map(|r| r.bytes());
    });
}

// Every minute: an idle pooled connection would be gone by the next run, so
// reuse gains nothing (reported only with --pedantic).
async fn clokwerk_async() {
    let mut scheduler = AsyncScheduler::new();
    scheduler.every(1.minutes()).run(|| async {
        let pool = sqlx::PgPool::connect("postgres://db").await.unwrap(); //~? client_in_loop
        drop(pool);
    });
}

// A one-shot job runs once.
async fn one_shot(sched: JobScheduler) {
    let job = Job::new_one_shot_async(std::time::Duration::from_secs(5), |_uuid, _l| {
        Box::pin(async move {
            let c = reqwest::Client::new();
            let _ = c.get("http://warmup").send().await.map(|r| r.bytes());
        })
    })
    .unwrap();
    sched.add(job).await.unwrap();
}
