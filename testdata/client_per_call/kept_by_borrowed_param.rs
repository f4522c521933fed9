// A value moved into a foreign method of a parameter taken by reference, or
// of a field of one (`site.tera.register_function("load", Loader::new())`),
// lives in the caller's value: its client is kept, not dropped on return.
// (zola registers its template functions, one with a client, this way on
// every rebuild.)

pub struct Loader {
    client: reqwest::blocking::Client,
}

impl Loader {
    pub fn new() -> Loader {
        Loader {
            client: reqwest::blocking::Client::new(),
        }
    }

    pub fn fetch(&self, url: &str) -> reqwest::Result<String> {
        self.client.get(url).send()?.text()
    }
}

pub struct Site {
    pub tera: tera::Tera,
}

// Kept in `site.tera`: no finding.
pub fn register(site: &mut Site) {
    site.tera.register_function("load_data", Loader::new());
}

// Kept in `tera`, a parameter taken by reference: no finding.
pub fn register_into(tera: &mut tera::Tera) {
    tera.register_function("load_data", Loader::new());
}

// Moved into a foreign method of a local that is dropped: the client goes with it.
pub fn render_once(name: &str) -> String {
    let mut tera = tera::Tera::default();
    tera.register_function("load_data", Loader::new()); //~ client_per_call
    tera.render(name).unwrap_or_default()
}

pub fn rebuild_all(sites: &mut [Site], names: &[String]) {
    for site in sites.iter_mut() {
        register(site);
        register_into(&mut site.tera);
    }
    for name in names {
        render_once(name);
    }
}
