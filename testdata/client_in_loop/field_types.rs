// Types that arrive through fields: a one-field wrapper around reqwest's
// builder, used as `self.0`, builds a client on every `make`.
use std::time::Duration;

pub struct Builder(reqwest::ClientBuilder);

impl Builder {
    pub fn new() -> Self {
        Builder(reqwest::Client::builder())
    }

    pub fn make(self) -> reqwest::Client {
        self.0.timeout(Duration::from_secs(5)).build().unwrap()
    }
}

pub fn poll_each(urls: &[String]) {
    for u in urls {
        let c = Builder::new().make(); //~ client_in_loop
        let _ = c.get(u);
    }
}

// Look-alike: built once, before the loop.
pub fn poll_shared(urls: &[String]) {
    let c = Builder::new().make();
    for u in urls {
        let _ = c.get(u);
    }
}

// A unit struct bound to a name is a value of that type: its methods are
// followed like any other.
pub struct WebSearch;

impl WebSearch {
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::new()
    }
}

pub fn search_each(queries: &[String]) {
    for q in queries {
        let w = WebSearch;
        let c = w.client(); //~ client_in_loop
        let _ = c.get(q);
    }
}
