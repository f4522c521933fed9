// An arm that answers one expected status (`404`: not there) with an error
// value that `?` propagates is on an error path, like `return Err(NotFound)`:
// not reported by default. An arm whose guard tests for failure in general
// drops the server's error message, as an `if !ok { return Err(..) }` does.
use reqwest::{Client, StatusCode};

enum FetchError {
    NotFound,
    Status(StatusCode),
    Http(reqwest::Error),
}

// Clean: the 404 and 403 arms' errors go out through `?`.
async fn download(c: &Client, url: &str) -> Result<Vec<u8>, FetchError> {
    let resp = match c.get(url).send().await {
        Ok(r) if r.status() == 404 => Err(FetchError::NotFound),
        Ok(r) if r.status() == StatusCode::FORBIDDEN => Err(FetchError::NotFound),
        Ok(r) => Ok(r),
        Err(e) => Err(FetchError::Http(e)),
    }?;
    resp.bytes().await.map(|b| b.to_vec()).map_err(FetchError::Http)
}

// True: the arm for any failing status drops the error message.
async fn download_checked(c: &Client, url: &str) -> Result<Vec<u8>, FetchError> {
    let resp = match c.get(url).send().await { //~ unread_response_body
        Ok(r) if r.status() == 404 => Err(FetchError::NotFound),
        Ok(r) if !r.status().is_success() => Err(FetchError::Status(r.status())),
        Ok(r) => Ok(r),
        Err(e) => Err(FetchError::Http(e)),
    }?;
    resp.bytes().await.map(|b| b.to_vec()).map_err(FetchError::Http)
}

// True: without `?` the arm's value is not an error path; the 404 answer is
// dropped and the loop goes on.
async fn exists(c: &Client, url: &str) -> bool {
    match c.get(url).send().await { //~ unread_response_body
        Ok(r) if r.status() == 404 => false,
        Ok(r) => r.bytes().await.is_ok(),
        Err(_) => false,
    }
}

async fn mirror(c: Client, urls: Vec<String>) {
    for u in &urls {
        let _ = download(&c, u).await;
        let _ = download_checked(&c, u).await;
        let _ = exists(&c, u).await;
    }
}
