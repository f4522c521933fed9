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
