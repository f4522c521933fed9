// A `&self` method that hands back a value holding a client (`Api`) can only
// have cloned the receiver's: the receiver's client lives where that value
// goes. (hyper-openssl's `HttpsLayer::layer` clones its connector into the
// `HttpsConnector` it returns.)

pub struct Holder {
    client: reqwest::Client,
}

pub struct Api {
    client: reqwest::Client,
}

impl Holder {
    pub fn new() -> Holder {
        Holder {
            client: reqwest::Client::new(),
        }
    }

    pub fn api(&self) -> Api {
        Api {
            client: self.client.clone(),
        }
    }

    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }
}

impl Api {
    pub async fn status(&self, url: &str) -> u16 {
        let resp = self.client.get(url).send().await.unwrap();
        let code = resp.status().as_u16();
        resp.text().await.unwrap();
        code
    }
}

// The clone goes back to the caller with the `Api`: no finding.
pub fn make_api() -> Api {
    let h = Holder::new();
    h.api()
}

// The `Api` (and with it the clone) is dropped when this returns.
pub async fn check(url: &str) -> u16 {
    let h = Holder::new(); //~ client_per_call
    let api = h.api();
    api.status(url).await
}

// A reference to the client cannot outlive the holder.
pub async fn check_by_ref(url: &str) -> u16 {
    let h = Holder::new(); //~ client_per_call
    let resp = h.client().get(url).send().await.unwrap();
    let code = resp.status().as_u16();
    resp.text().await.unwrap();
    code
}

pub async fn serve(urls: Vec<String>) -> Vec<Api> {
    let mut apis = Vec::new();
    for url in &urls {
        apis.push(make_api());
        check(url).await;
        check_by_ref(url).await;
    }
    apis
}
