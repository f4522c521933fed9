// Methods called on the items of a collection: a loop variable takes the item
// type of what it iterates (a function's `Result<Vec<Self>, E>` once
// unwrapped, a `Vec<T>` parameter or a typed local), so the call graph knows
// which method runs per item even when another type has a method of that name
// (rauthy's SCIM clients, one group update per client per request).
pub struct Mirror {
    url: String,
}

impl Mirror {
    pub async fn all() -> Result<Vec<Self>, String> {
        Ok(Vec::new())
    }

    async fn ping(&self) -> bool {
        let client = reqwest::Client::new(); //~ client_per_call
        client.head(&self.url).send().await.is_ok()
    }
}

pub async fn count_up() -> Result<usize, String> {
    let mut up = 0;
    for m in Mirror::all().await? {
        up += usize::from(m.ping().await);
    }
    Ok(up)
}

pub struct Feed {
    url: String,
}

impl Feed {
    async fn refresh(&self) -> Option<String> {
        let client = reqwest::Client::new(); //~ client_per_call
        client.get(&self.url).send().await.ok()?.text().await.ok()
    }

    async fn title(&self) -> Option<String> {
        let client = reqwest::Client::new(); //~ client_per_call
        client.get(&self.url).send().await.ok()?.text().await.ok()
    }
}

pub async fn refresh_all(feeds: Vec<Feed>) {
    for f in feeds {
        let _ = f.refresh().await;
    }
}

pub async fn titles(urls: &[String]) -> Vec<String> {
    let feeds: Vec<Feed> = urls.iter().map(|u| Feed { url: u.clone() }).collect();
    let mut out = Vec::new();
    for f in &feeds {
        out.extend(f.title().await);
    }
    out
}

// Clean: a method of the same names on another type runs once, at start-up.
pub struct Probe {
    url: String,
}

impl Probe {
    async fn ping(&self) -> bool {
        let client = reqwest::Client::new();
        client.head(&self.url).send().await.is_ok()
    }

    async fn refresh(&self) -> Option<String> {
        let client = reqwest::Client::new();
        client.get(&self.url).send().await.ok()?.text().await.ok()
    }

    async fn title(&self) -> Option<String> {
        let client = reqwest::Client::new();
        client.get(&self.url).send().await.ok()?.text().await.ok()
    }
}

#[tokio::main]
async fn main() {
    let probe = Probe { url: String::from("http://localhost") };
    if probe.ping().await {
        let _ = probe.refresh().await;
        let _ = probe.title().await;
    }
}
