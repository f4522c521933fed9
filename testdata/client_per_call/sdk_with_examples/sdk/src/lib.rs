// An SDK whose only workspace dependents are its example packages: the
// examples show how outsiders call it, not all of its callers, so its public
// API runs as often as its users like.
pub struct File {
    pub url: String,
}

impl File {
    /// Downloads the file: a new client per download.
    pub async fn download(&self) -> Result<Vec<u8>, reqwest::Error> {
        let client = reqwest::Client::new(); //~ client_per_call
        Ok(client.get(&self.url).send().await?.bytes().await?.to_vec())
    }

    /// Shared client: clean.
    pub async fn download_with(&self, client: &reqwest::Client) -> Result<Vec<u8>, reqwest::Error> {
        Ok(client.get(&self.url).send().await?.bytes().await?.to_vec())
    }
}
