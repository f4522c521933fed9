pub struct Prober;

#[bon::bon]
impl Prober {
    pub async fn probe(&self, url: &str) {
        let c = reqwest::Client::new(); //~? client_per_call
        if let Ok(r) = c.get(url).send().await {
            let _ = r.text().await;
        }
    }

    pub async fn check(&self, url: &str) {
        let c = reqwest::Client::new(); //~ client_per_call
        if let Ok(r) = c.get(url).send().await {
            let _ = r.bytes().await;
        }
    }

    // `#[builder]` makes the call `p.fetch().url(u).call()`: no argument.
    #[builder]
    pub async fn fetch(&self, url: &str) {
        let c = reqwest::Client::new(); //~? client_per_call
        if let Ok(r) = c.get(url).send().await {
            let _ = r.text().await;
        }
    }
}
