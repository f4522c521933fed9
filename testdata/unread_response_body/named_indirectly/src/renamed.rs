// A two-letter alias is too short to be a name of its own: the `as` counts.
use reqwest as rq;

pub async fn fetch_all(urls: &[String]) {
    for url in urls {
        let c = rq::Client::new(); //~ client_in_loop
        if let Ok(r) = c.get(url).send().await {
            let _ = r.bytes().await;
        }
    }
}
