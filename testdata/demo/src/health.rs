// Mirrors shared/seeds/004_aa31d344e3dbd1ab.txt (http client connections not reused).
// The caller looped over URLs, did `if resp.StatusCode == http.StatusOK { continue }` and
// only closed the body on the other path. A response dropped with its body unread makes the
// transport close the connection (the client sent RST with bytes still in Recv-Q), so every
// request paid a new TCP handshake: 1500 QPS over 10 connections that were never reused.
// Here the client is shared (built once in main), but on 200 the loop `continue`s without
// reading the body: connlint should report `unread_response_body` on the `let resp = ...`
// line in `probe_all` (the response is dropped unread by the `continue`).

use std::time::Duration;

use reqwest::StatusCode;

pub async fn probe_all(client: &reqwest::Client, backends: &[String]) -> anyhow::Result<()> {
    for base in backends {
        let resp = client.get(format!("{base}/healthz")).send().await?;
        if resp.status() == StatusCode::OK {
            continue;
        }
        let status = resp.status();
        let detail = resp.text().await.unwrap_or_default();
        eprintln!("health: {base} is {status}: {detail}");
    }
    Ok(())
}

pub async fn watch(client: reqwest::Client, backends: Vec<String>) {
    let mut ticker = tokio::time::interval(Duration::from_secs(15));
    loop {
        ticker.tick().await;
        if let Err(err) = probe_all(&client, &backends).await {
            eprintln!("health: probe round failed: {err:#}");
        }
    }
}
