// A client passed to a workspace function that keeps it (a setter storing it in
// a field, directly or through another function) escapes; one passed to a
// function that only uses it is still dropped per call (found on spider's
// `website.set_http_client(client)` after a configuration change).
pub struct Site {
    client: Option<reqwest::Client>,
    hits: usize,
}

impl Site {
    pub fn set_http_client(&mut self, client: reqwest::Client) -> &Option<reqwest::Client> {
        self.client = Some(client);
        &self.client
    }

    fn install(&mut self, client: reqwest::Client) {
        self.set_http_client(client);
    }

    fn probe(&mut self, client: reqwest::Client) {
        self.hits += 1;
        drop(client);
    }

    pub fn rebuild(&mut self) {
        let client = reqwest::Client::new();
        self.set_http_client(client);
    }

    pub fn rebuild_through(&mut self) {
        let client = reqwest::Client::new();
        self.install(client);
    }

    pub fn rebuild_by_path(&mut self) {
        let client = reqwest::Client::new();
        Site::set_http_client(self, client);
        keep(self, reqwest::Client::new());
    }

    pub fn check(&mut self) {
        let client = reqwest::Client::new(); //~ client_per_call
        self.probe(client);
    }
}

fn keep(site: &mut Site, client: reqwest::Client) {
    site.client = Some(client);
}

/// Uses the client and drops it: the caller's client is dropped per call.
fn fetch_with(client: reqwest::Client, url: &str) -> reqwest::RequestBuilder {
    client.get(url)
}

pub fn crawl(site: &mut Site, pages: &[String]) {
    for page in pages {
        site.rebuild();
        site.rebuild_through();
        site.rebuild_by_path();
        site.check();
        let _request = fetch_with(reqwest::Client::new(), page); //~ client_in_loop
    }
}
