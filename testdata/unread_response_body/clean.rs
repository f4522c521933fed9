// Responses whose body is read, moved elsewhere, or never had one.
use futures::SinkExt;
use reqwest::Client;

async fn read_on_every_path(client: &Client, u: &str) -> reqwest::Result<String> {
    let resp = client.get(u).send().await?;
    if !resp.status().is_success() {
        let body = resp.text().await?;
        return Ok(format!("error: {body}"));
    }
    resp.text().await
}

async fn returned(client: &Client, u: &str) -> reqwest::Result<reqwest::Response> {
    let resp = client.get(u).send().await?;
    Ok(resp)
}

async fn passed_by_value(client: &Client, u: &str) -> reqwest::Result<String> {
    let resp = client.get(u).send().await?;
    handle(resp).await
}

async fn handle(resp: reqwest::Response) -> reqwest::Result<String> {
    resp.text().await
}

async fn head_request(client: &Client, u: &str) -> reqwest::Result<bool> {
    let r = client.head(u).send().await?;
    Ok(r.status().is_success())
}

async fn error_path_is_exempt(client: &Client, u: &str) -> anyhow::Result<String> {
    let resp = client.get(u).send().await?;
    let len = resp.content_length().ok_or_else(|| anyhow::anyhow!("no length"))?;
    if len > 1_000_000 {
        return Err(anyhow::anyhow!("too big"));
    }
    Ok(resp.text().await?)
}

async fn streamed(client: &Client, u: &str, out: &mut Vec<u8>) -> reqwest::Result<()> {
    let mut resp = client.get(u).send().await?;
    while let Some(chunk) = resp.chunk().await? {
        out.extend_from_slice(&chunk);
    }
    Ok(())
}

async fn read_in_task(client: &Client, u: &str) -> reqwest::Result<()> {
    let resp = client.get(u).send().await?;
    tokio::spawn(async move {
        let _ = resp.text().await;
    });
    Ok(())
}

async fn error_for_status_then_read(client: &Client, u: &str) -> reqwest::Result<String> {
    let r = client.get(u).send().await?.error_for_status()?;
    r.json().await
}

async fn not_http(tx: tokio::sync::mpsc::Sender<String>, mut sink: futures::channel::mpsc::Sender<u8>) {
    tx.send("x".into()).await.unwrap();
    let _ = tx.send("y".into()).await;
    sink.send(1).await.unwrap();
}

fn blocking_read(client: &reqwest::blocking::Client, u: &str) -> std::io::Result<()> {
    let mut resp = client.get(u).send().unwrap();
    std::io::copy(&mut resp, &mut std::io::sink())?;
    Ok(())
}

fn stored(client: &reqwest::blocking::Client, u: &str, all: &mut Vec<reqwest::blocking::Response>) {
    let resp = client.get(u).send().unwrap();
    all.push(resp);
}

// A one-shot helper's throw-away client has no pool to return the connection to
// (the construction itself is `client_in_loop`'s business).
async fn one_shot_function(u: &str) -> reqwest::Result<bool> {
    let r = reqwest::get(u).await?;
    Ok(r.status().is_success())
}

// 204 No Content and 304 Not Modified carry no body (RFC 9110).
fn no_content(client: &reqwest::blocking::Client, u: &str) -> Result<(), String> {
    let res = client.delete(u).send().map_err(|e| e.to_string())?;
    if reqwest::StatusCode::NO_CONTENT != res.status() {
        return Err(res.text().map_err(|e| e.to_string())?);
    }
    Ok(())
}

async fn not_modified(client: &Client, u: &str) -> reqwest::Result<Option<String>> {
    let resp = client.get(u).send().await?;
    match resp.status() {
        reqwest::StatusCode::NOT_MODIFIED => Ok(None),
        _ => Ok(Some(resp.text().await?)),
    }
}

// A response handed to a macro whose body is not an expression (found on ollama-rs).
async fn streamed_in_macro(client: &Client, u: &str) -> reqwest::Result<()> {
    let res = client.get(u).send().await?;
    let _s = async_stream::stream! {
        let mut stream = res.bytes_stream();
        while let Some(chunk) = stream.next().await {
            yield chunk;
        }
    };
    Ok(())
}

// A task whose handle is awaited hands its response back to the caller.
async fn spawned_and_joined(client: Client, u: String) -> reqwest::Result<String> {
    let c = client.clone();
    let handle = tokio::spawn(async move { c.get(u).send().await });
    match handle.await {
        Ok(resp) => resp?.text().await,
        Err(_) => Ok(String::new()),
    }
}

async fn spawned_future_joined(client: Client, u: String) -> reqwest::Result<String> {
    let handle = tokio::spawn(client.get(u).send());
    match handle.await {
        Ok(resp) => resp?.text().await,
        Err(_) => Ok(String::new()),
    }
}

// A response bound in a match arm and read there.
fn arm_reads(client: &reqwest::blocking::Client, u: &str) -> Result<String, String> {
    match client.get(u).send() {
        Ok(response) => response.text().map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    }
}

fn if_let_reads(client: &reqwest::blocking::Client, u: &str) -> String {
    if let Ok(response) = client.get(u).send() {
        response.text().unwrap_or_default()
    } else {
        String::new()
    }
}

// A `HEAD` request built as `Request::new(Method::HEAD, ..)`, sent by a helper
// and matched later: no body to read (found on cargo-binstall).
async fn send_request(client: &Client, request: reqwest::Request) -> reqwest::Result<reqwest::Response> {
    client.execute(request).await
}

async fn head_or_get(client: &Client, url: reqwest::Url) -> reqwest::Result<reqwest::Response> {
    let res = send_request(client, reqwest::Request::new(reqwest::Method::HEAD, url.clone())).await;
    match res {
        Ok(response) if response.status() == reqwest::StatusCode::METHOD_NOT_ALLOWED => {
            send_request(client, reqwest::Request::new(reqwest::Method::GET, url)).await
        }
        res => res,
    }
}

// A client built in the same chain dies with the request: no pool to return the
// connection to (found on reqwest's form example; the construction is the
// construction lints' business).
async fn throwaway_client(u: &str) -> reqwest::Result<bool> {
    let response = reqwest::Client::new().post(u).form(&[("one", "1")]).send().await?;
    Ok(response.status().is_success())
}

async fn joined_and_read(client: &Client) -> reqwest::Result<String> {
    let (a, b) = tokio::try_join!(client.get("http://a").send(), client.get("http://b").send())?;
    Ok(a.text().await? + &b.text().await?)
}

// Matching on a borrowed `Result` binds a reference: the caller owns the
// response and reads it (found on hf-hub's retry logging and minio's hooks).
fn log_exhausted(result: &reqwest::Result<reqwest::Response>) {
    let url = match result {
        Ok(resp) => resp.url().to_string(),
        Err(e) => e.to_string(),
    };
    eprintln!("retries exhausted for {url}");
}

fn log_outcome(result: &reqwest::Result<reqwest::Response>) {
    if let Ok(resp) = result {
        eprintln!("{} answered {}", resp.url(), resp.status());
    }
}

async fn retried(client: &Client, urls: &[String]) -> reqwest::Result<Vec<String>> {
    let mut out = Vec::new();
    for u in urls {
        let result = client.get(u).send().await;
        log_outcome(&result);
        log_exhausted(&result);
        out.push(result?.text().await?);
    }
    Ok(out)
}

// A `HEAD` request built in the closure a retry helper runs: the helper hands
// back a response without a body (found on hf-hub's `file_exists`).
async fn with_retries<F, Fut>(mut attempt: F) -> reqwest::Result<reqwest::Response>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = reqwest::Result<reqwest::Response>>,
{
    let mut last = attempt().await;
    for _ in 0..3 {
        if last.is_ok() {
            break;
        }
        last = attempt().await;
    }
    last
}

async fn files_exist(client: &Client, urls: &[String]) -> reqwest::Result<usize> {
    let mut found = 0;
    for u in urls {
        let response = with_retries(|| client.head(u).send()).await?;
        if response.status() == reqwest::StatusCode::NOT_FOUND {
            continue;
        }
        found += 1;
    }
    Ok(found)
}

// A client built for one paging walk: an error return leaves the loop and
// the function, and the client with them (found on rsky's backfill queue).
async fn queue_all(host: &str) -> Result<usize, Box<dyn std::error::Error>> {
    let http = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .build()?;
    let mut cursor: Option<String> = None;
    let mut total = 0;
    loop {
        let url = format!("{host}/list?cursor={}", cursor.clone().unwrap_or_default());
        let response = http.get(url).send().await?;
        if !response.status().is_success() {
            return Err(format!("HTTP error: {}", response.status()).into());
        }
        let page: Vec<String> = response.json().await?;
        total += page.len();
        cursor = page.last().cloned();
        if cursor.is_none() {
            break;
        }
    }
    Ok(total)
}

// The same walk with the response taken out of a `match` on the send: it
// still comes from the throw-away client.
async fn queue_all_matched(host: &str) -> Result<usize, String> {
    let http = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .map_err(|e| e.to_string())?;
    let mut total = 0;
    loop {
        let response = match http.get(host).send().await {
            Ok(r) => r,
            Err(e) => return Err(e.to_string()),
        };
        if !response.status().is_success() {
            return Err(format!("HTTP error: {}", response.status()));
        }
        let page: Vec<String> = response.json().await.map_err(|e| e.to_string())?;
        total += page.len();
        if page.is_empty() {
            break;
        }
    }
    Ok(total)
}
