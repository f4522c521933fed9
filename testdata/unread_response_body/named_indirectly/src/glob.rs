use reqwest::*;

pub async fn fetch_all(urls: &[String]) {
    for url in urls {
        let c = Client::new(); //~ client_in_loop
        if let Ok(r) = c.get(url).send().await {
            let _ = r.text().await;
        }
    }
}
