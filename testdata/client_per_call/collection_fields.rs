// The items of a collection field have the field's item type: a method
// called on each of them is followed through the call graph.
pub struct Image {
    url: String,
}

impl Image {
    async fn save(&self) -> usize {
        let c = reqwest::Client::new(); //~ client_per_call
        match c.get(&self.url).send().await {
            Ok(r) => r.text().await.map(|t| t.len()).unwrap_or(0),
            Err(_) => 0,
        }
    }

    // Look-alike: the client comes from the caller.
    async fn save_with(&self, c: &reqwest::Client) -> usize {
        match c.get(&self.url).send().await {
            Ok(r) => r.text().await.map(|t| t.len()).unwrap_or(0),
            Err(_) => 0,
        }
    }
}

pub struct Gallery {
    images: Vec<Image>,
}

impl Gallery {
    pub async fn save_all(&self, c: &reqwest::Client) -> usize {
        let mut n = 0;
        for image in self.images.iter() {
            n += image.save().await;
            n += image.save_with(c).await;
        }
        n
    }
}
