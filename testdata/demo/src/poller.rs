// Mirrors shared/seeds/003_352ee5db84418b84.txt (memory leak in net/http internals).
// The goroutine dumps were all persistConn readLoop/writeLoop: a new http.Transport was
// created over and over, each one keeping its keep-alive connection and goroutines alive.
// The fix in the post was one transport created at init and reused by every request.
// Here the polling loop calls `new_transport()` (a constructor: it returns a fresh client)
// on every iteration: connlint should report `client_in_loop` on the
// `let client = new_transport();` line in `run`.

use std::time::Duration;

use serde::Deserialize;

#[derive(Deserialize)]
struct Flags {
    maintenance: bool,
    rate_limit: u32,
}

fn new_transport() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(5))
        .tcp_keepalive(Duration::from_secs(60))
        .build()
        .expect("TLS backend available")
}

pub async fn run(config_url: String) {
    let mut ticker = tokio::time::interval(Duration::from_secs(10));
    loop {
        ticker.tick().await;
        let client = new_transport();
        match client.get(&config_url).send().await {
            Ok(resp) => match resp.json::<Flags>().await {
                Ok(flags) => println!(
                    "poller: maintenance={} rate_limit={}",
                    flags.maintenance, flags.rate_limit
                ),
                Err(err) => eprintln!("poller: bad flags: {err}"),
            },
            Err(err) => eprintln!("poller: {err}"),
        }
    }
}
