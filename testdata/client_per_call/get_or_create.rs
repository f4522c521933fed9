// A function that hands back a client it kept (`self.client.take()`, a cached
// value) on some path and builds one on another is a get-or-create, not a
// constructor: its callers are not flagged, whether the choice is returned
// directly or bound to a variable first (found on spider's `setup_base`).
use std::time::Duration;

pub struct Crawler {
    client: Option<reqwest::Client>,
    timeout: Option<Duration>,
}

impl Crawler {
    fn build(&self) -> reqwest::Client {
        reqwest::Client::new()
    }

    /// Returned directly from the match.
    fn get_or_build(&mut self) -> reqwest::Client {
        match self.client.take() {
            Some(client) => client,
            None => self.build(),
        }
    }

    /// Bound to a variable, then returned inside a tuple.
    fn setup_base(&mut self) -> (reqwest::Client, usize) {
        let client = match self.client.take() {
            Some(client) => client,
            _ => self.build(),
        };
        (client, 1)
    }

    /// `if let` on a kept value.
    fn cached(&mut self) -> reqwest::Client {
        let client = if let Some(c) = self.client.clone() {
            c
        } else {
            self.build()
        };
        client
    }

    /// Every path builds: a constructor, even though it matches on a field.
    fn with_timeout(&self) -> reqwest::Client {
        let client = match self.timeout {
            Some(t) => reqwest::Client::builder().timeout(t).build().unwrap_or_default(),
            None => self.build(),
        };
        client
    }

    /// A built client matched through a local is still fresh.
    fn checked(&self) -> Option<reqwest::Client> {
        let built = reqwest::Client::builder().build();
        match built {
            Ok(client) => Some(client),
            Err(_) => None,
        }
    }
}

pub fn crawl(crawler: &mut Crawler, pages: &[String]) {
    for _page in pages {
        let _ = crawler.get_or_build();
        let _ = crawler.setup_base();
        let _ = crawler.cached();
        let _ = crawler.with_timeout(); //~ client_in_loop
        let _ = crawler.checked(); //~ client_in_loop
    }
}
