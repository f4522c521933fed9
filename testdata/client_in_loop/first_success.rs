// A loop that stops at the first response that succeeds tries the next
// candidate only when one fails: a search or a fallback over mirrors, one
// request in the usual case (found on a bot that looks for this week's
// report among a few days' files).
use reqwest::StatusCode;

pub async fn first_mirror(mirrors: &[String]) -> Option<String> {
    for m in mirrors {
        let resp = reqwest::get(m).await.ok()?; //~? client_in_loop
        if resp.status() == StatusCode::OK {
            return resp.text().await.ok();
        }
    }
    None
}

pub async fn latest_report(days: &[String], files: &[(String, String)]) -> Option<String> {
    for day in days {
        for (name, url) in files {
            if name.starts_with(day.as_str()) {
                let c = reqwest::Client::new(); //~? client_in_loop
                let resp = c.get(url).send().await.ok()?; //~? unread_response_body
                if !resp.status().is_success() {
                    continue;
                } else {
                    return resp.text().await.ok();
                }
            }
        }
    }
    None
}

// True case beside them: the loop leaves on the first failure and goes on
// after every success, so it sends once per item.
pub async fn upload_all(items: &[String]) -> Result<(), String> {
    for it in items {
        let c = reqwest::Client::new(); //~ client_in_loop
        let resp = c.post("http://store.example/put").body(it.clone()).send().await.map_err(|e| e.to_string())?;
        if !resp.status().is_success() {
            return Err(resp.text().await.unwrap_or_default());
        }
        let _ = resp.bytes().await;
    }
    Ok(())
}
