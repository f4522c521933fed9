// `matches!` on a sent request looks only at how it went (`Ok(r) if
// r.status().is_success()`) and drops the response unread, like `.is_ok()`.
use reqwest::StatusCode;

async fn alive(http: &reqwest::Client, url: &str) -> bool {
    matches!(http.get(url).send().await, Ok(r) if r.status().is_success()) //~ unread_response_body
}

async fn missing(http: &reqwest::Client, url: &str) -> bool {
    matches!(
        http.head(url).send().await, // a `HEAD` answer has no body: clean
        Ok(r) if r.status() == StatusCode::NOT_FOUND
    )
}

// Clean: the response is bound first, and its body is read after the test.
async fn fetch(http: &reqwest::Client, url: &str) -> Option<String> {
    let resp = http.get(url).send().await.ok()?;
    if matches!(resp.status(), StatusCode::OK | StatusCode::CREATED) {
        return resp.text().await.ok();
    }
    let _ = resp.bytes().await;
    None
}

pub async fn sweep(http: &reqwest::Client, urls: &[String]) -> usize {
    let mut n = 0;
    for u in urls {
        if alive(http, u).await && !missing(http, u).await {
            n += fetch(http, u).await.map_or(0, |s| s.len());
        }
    }
    n
}
