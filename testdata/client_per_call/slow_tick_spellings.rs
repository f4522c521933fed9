// A job whose period outlives the pool's idle timeout (90 s) gains nothing
// from a shared client, however the period is spelled: a `const` local to
// the function, a blocking `std::thread::sleep`, or an interval ticked in a
// `select!` arm. The same spellings with a short period still fire.
use std::time::Duration;

fn version_check() -> Result<(), reqwest::Error> {
    let c = reqwest::blocking::Client::builder().build()?; //~? client_per_call
    let _ = c.get("http://updates.example/latest").send()?.bytes()?;
    Ok(())
}

// Once a day, on a thread of its own.
pub fn spawn_version_checks() {
    const ONE_DAY_IN_SECONDS: u64 = 60 * 60 * 24;
    std::thread::spawn(move || loop {
        let _ = version_check();
        std::thread::sleep(Duration::from_secs(ONE_DAY_IN_SECONDS));
    });
}

async fn report_usage() -> Result<(), reqwest::Error> {
    let c = reqwest::Client::new(); //~? client_per_call
    let _ = c.post("http://stats.example/usage").send().await?.bytes().await?;
    Ok(())
}

// Every six hours, until cancelled.
pub async fn usage_loop(stop: tokio::sync::watch::Receiver<bool>) {
    let mut interval = tokio::time::interval(Duration::from_secs(6 * 60 * 60));
    let mut stop = stop;
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            _ = interval.tick() => {}
        }
        tokio::spawn(async move {
            let _ = report_usage().await;
        });
    }
}

// True cases beside them: the same jobs every five seconds.
fn heartbeat() -> Result<(), reqwest::Error> {
    let c = reqwest::blocking::Client::new(); //~ client_per_call
    let _ = c.get("http://monitor.example/beat").send()?.bytes()?;
    Ok(())
}

pub fn spawn_heartbeats() {
    const BEAT_SECONDS: u64 = 5;
    std::thread::spawn(move || loop {
        let _ = heartbeat();
        std::thread::sleep(Duration::from_secs(BEAT_SECONDS));
    });
}

async fn push_metrics() -> Result<(), reqwest::Error> {
    let c = reqwest::Client::new(); //~ client_per_call
    let _ = c.post("http://metrics.example/push").send().await?.bytes().await?;
    Ok(())
}

pub async fn metrics_loop(stop: tokio::sync::watch::Receiver<bool>) {
    let mut interval = tokio::time::interval(Duration::from_secs(5));
    let mut stop = stop;
    loop {
        tokio::select! {
            _ = stop.changed() => break,
            _ = interval.tick() => {}
        }
        let _ = push_metrics().await;
    }
}

fn main() {
    spawn_version_checks();
    spawn_heartbeats();
    let (_tx, rx) = tokio::sync::watch::channel(false);
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        tokio::spawn(usage_loop(rx.clone()));
        metrics_loop(rx).await;
    });
}
