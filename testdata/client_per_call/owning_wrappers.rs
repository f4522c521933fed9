// Owning structs returned through `Ok(Box::new(..))` and builder-style methods
// that hand back `Self` are constructors, not per-call drops (found on rust-s3).
pub struct Bucket {
    name: String,
    http: reqwest::Client,
    path_style: bool,
}

impl Bucket {
    pub fn new(name: &str) -> Result<Box<Bucket>, reqwest::Error> {
        Ok(Box::new(Bucket {
            name: name.into(),
            http: reqwest::Client::builder().build()?,
            path_style: false,
        }))
    }

    pub fn with_path_style(mut self: Box<Self>) -> Box<Self> {
        self.path_style = true;
        self
    }

    pub fn create(name: &str) -> Result<Box<Bucket>, reqwest::Error> {
        let bucket = Bucket::new(name)?.with_path_style();
        Ok(bucket)
    }

    /// Builds a throw-away bucket (and so a client) per call.
    pub async fn list(name: &str) -> Result<String, reqwest::Error> {
        let dummy = Bucket::new(name)?.with_path_style(); //~ client_per_call
        dummy.http.get(&dummy.name).send().await?.text().await
    }
}

async fn report(names: Vec<String>) {
    for n in names {
        let _ = Bucket::list(&n).await;
    }
}

// A ureq 3 config value read through a getter is not a construction.
fn idle(config: &ureq::config::Config) -> std::time::Duration {
    let d: std::time::Duration = config.max_idle_age().into();
    d
}

// A workspace builder consumed by `build(self)` hands its client to what it
// builds (found on rspotify's `HttpClientBuilder::default().with(m).build()`):
// `with_retries` returns a fresh client inside an `Api`, `fetch_once` drops one.
pub struct HttpBuilder {
    client: reqwest::Client,
    retries: u32,
}

pub struct Http {
    client: reqwest::Client,
    retries: u32,
}

impl Default for HttpBuilder {
    fn default() -> Self {
        HttpBuilder {
            client: reqwest::Client::new(),
            retries: 0,
        }
    }
}

impl HttpBuilder {
    pub fn retries(mut self, n: u32) -> Self {
        self.retries = n;
        self
    }

    pub fn build(self) -> Http {
        Http {
            client: self.client,
            retries: self.retries,
        }
    }
}

pub struct Api {
    http: Http,
    name: String,
}

impl Api {
    pub fn with_retries(&self, n: u32) -> Api {
        let http = HttpBuilder::default().retries(n).build();
        Api {
            http,
            name: self.name.clone(),
        }
    }

    pub fn fetch_once(&self, n: u32) -> u32 {
        let http = HttpBuilder::default().retries(n).build(); //~ client_per_call
        http.retries
    }
}

pub fn poll_apis(api: &Api, rounds: u32) {
    for i in 0..rounds {
        let tuned = api.with_retries(i); //~ client_in_loop
        let _ = api.fetch_once(i);
        drop(tuned);
    }
}
