// A `while` loop that counts a few attempts (`while attempts > 0 {
// attempts -= 1; .. }`) tries a request at most that many times: it is a
// retry, not a loop per item (found on an identity client's "go online"
// check, three tries of `whoami`).
use reqwest::StatusCode;

const MAX_TRIES: u32 = 3;

async fn whoami(client: &reqwest::Client) -> Result<Option<String>, reqwest::Error> {
    let resp = client.get("http://idm.example/v1/self").send().await?; //~? unread_response_body
    match resp.status() {
        StatusCode::OK => {}
        StatusCode::UNAUTHORIZED => return Ok(None),
        _ => return Ok(Some(resp.text().await?)),
    }
    Ok(Some(resp.text().await?))
}

pub async fn go_online(client: &reqwest::Client) -> bool {
    let mut attempts = 3;
    while attempts > 0 {
        attempts -= 1;
        if let Ok(Some(_)) = whoami(client).await {
            return true;
        }
    }
    false
}

pub async fn go_online_counting_up(client: &reqwest::Client) -> bool {
    let mut tried = 0;
    while tried < MAX_TRIES {
        tried += 1;
        if let Ok(Some(_)) = whoami(client).await {
            return true;
        }
    }
    false
}

async fn lookup(client: &reqwest::Client, id: &str) -> Result<Option<String>, reqwest::Error> {
    let resp = client.get(format!("http://idm.example/v1/person/{id}")).send().await?; //~ unread_response_body
    if resp.status() == StatusCode::UNAUTHORIZED {
        return Ok(None);
    }
    Ok(Some(resp.text().await?))
}

// True case beside them: a `while` over work items, as many as there are.
pub async fn lookup_all(client: &reqwest::Client, ids: &[String]) -> usize {
    let mut i = 0;
    let mut found = 0;
    while i < ids.len() {
        if let Ok(Some(_)) = lookup(client, &ids[i]).await {
            found += 1;
        }
        i += 1;
    }
    found
}
