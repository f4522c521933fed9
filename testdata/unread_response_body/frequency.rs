// An unread body costs a reconnect on the next request: it matters where the
// path runs often. Run-once code and functions nothing shows to run often
// are left to --pedantic.
use reqwest::Client;

// Once per run, from `main`: a version check at start-up.
async fn check_version(client: &Client) -> bool {
    let resp = client.get("http://api/version").send().await.unwrap(); //~? unread_response_body
    resp.status().is_success()
}

// Nothing calls this, and it is not public API.
async fn unused_helper(client: &Client) {
    client.delete("http://api/cache").send().await.ok(); //~? unread_response_body
}

// A 429 answer is dropped on the way to a retry: like an error path, it is
// not where the body matters (reported with `error_paths = true`).
async fn send_with_retry(client: &Client, url: &str, tries: u32) -> reqwest::Result<String> {
    let r = client.get(url).send().await?;
    if r.status() == reqwest::StatusCode::TOO_MANY_REQUESTS && tries > 0 {
        return Box::pin(send_with_retry(client, url, tries - 1)).await;
    }
    r.text().await
}

// An upload to object storage answers with an empty body.
async fn upload_all(client: &Client, blobs: Vec<Vec<u8>>) {
    for b in blobs {
        let r = client.put("http://bucket/key").body(b).send().await.unwrap(); //~? unread_response_body
        if !r.status().is_success() {
            eprintln!("upload failed: {}", r.status());
        }
    }
}

// The same upload through a helper that checks the status and hands the
// response back, whose result the caller discards (found on atuin).
async fn checked(r: reqwest::Response) -> reqwest::Result<reqwest::Response> {
    r.error_for_status()
}

async fn upload_checked(client: &Client, blobs: Vec<Vec<u8>>) -> reqwest::Result<()> {
    for b in blobs {
        let r = client.put("http://bucket/key").body(b).send().await?;
        checked(r).await?; //~? unread_response_body
    }
    Ok(())
}

// True cases: per item (nothing shows that `notify_all` runs only once), and
// per request.
async fn notify_all(client: &Client, users: &[String]) {
    for u in users {
        let r = client.post("http://api/notify").body(u.clone()).send().await.unwrap(); //~ unread_response_body
        if !r.status().is_success() {
            continue;
        }
        let _ = r.text().await;
    }
}

async fn forward(axum::extract::State(client): axum::extract::State<Client>) -> u16 {
    let _ = send_with_retry(&client, "http://upstream/a", 3).await;
    let r = client.get("http://upstream").send().await.unwrap(); //~ unread_response_body
    r.status().as_u16()
}

#[tokio::main]
async fn main() {
    let client = Client::new();
    check_version(&client).await;
    let _ = axum::Router::new().route("/", axum::routing::get(forward)).with_state(client);
}

// Only the `ETag` of each uploaded part is read: the reply of a multipart
// upload has an empty body.
async fn upload_parts(client: &Client, parts: Vec<Vec<u8>>) -> Vec<String> {
    let mut etags = Vec::new();
    for p in parts {
        let resp = client.post("http://bucket/key?partNumber=1").body(p).send().await.unwrap(); //~? unread_response_body
        etags.push(resp.headers()["etag"].to_str().unwrap_or_default().to_string());
    }
    etags
}
