// A token cache refilled when it is empty or expired: the refresh (and the
// client it builds) runs once per expiry, not once per request.
pub struct Auth {
    token: Option<String>,
    expires: std::time::Instant,
}

impl Auth {
    pub async fn token(&mut self) -> String {
        if self.token.is_none() || self.expires <= std::time::Instant::now() {
            let fresh = self.refresh().await;
            self.token = Some(fresh);
        }
        self.token.clone().unwrap_or_default()
    }

    async fn refresh(&self) -> String {
        let client = reqwest::Client::new();
        client.post("http://auth/token").send().await.unwrap().text().await.unwrap()
    }

    // True case beside it: the same refresh on every call.
    pub async fn token_uncached(&mut self) -> String {
        self.refresh_each_time().await
    }

    async fn refresh_each_time(&self) -> String {
        let client = reqwest::Client::new(); //~ client_per_call
        client.post("http://auth/token").send().await.unwrap().text().await.unwrap()
    }
}

async fn handler(axum::extract::State(mut auth): axum::extract::State<Auth>) -> String {
    let a = auth.token().await;
    let b = auth.token_uncached().await;
    a + &b
}
