// `or_else(|_| ..)` and `unwrap_or_else(|| ..)` run their closure in place and
// hand back its value: a fallback build is part of the value returned (found
// on spider's DNS resolver, built once into a `OnceLock`). On a value kept
// elsewhere (`self.client.clone().unwrap_or_else(..)`) it is a get-or-create.
use std::sync::OnceLock;

fn build_client() -> Option<reqwest::Client> {
    reqwest::Client::builder()
        .https_only(true)
        .build()
        .or_else(|_| reqwest::Client::builder().build())
        .ok()
}

fn shared() -> Option<&'static reqwest::Client> {
    static CLIENT: OnceLock<Option<reqwest::Client>> = OnceLock::new();
    if let Some(slot) = CLIENT.get() {
        return slot.as_ref();
    }
    let built = build_client();
    let _ = CLIENT.set(built);
    CLIENT.get().and_then(|slot| slot.as_ref())
}

fn fallback() -> reqwest::Client {
    reqwest::Client::builder()
        .build()
        .unwrap_or_else(|_| reqwest::Client::new())
}

pub struct Holder {
    client: Option<reqwest::Client>,
}

impl Holder {
    fn client(&self) -> reqwest::Client {
        self.client.clone().unwrap_or_else(reqwest::Client::new)
    }

    fn client_or_default(&self) -> reqwest::Client {
        self.client.clone().unwrap_or_else(|| reqwest::Client::new())
    }
}

/// A default for a configuration string is not a kept client: `from_env`
/// still builds a client on every call (found on triagebot's `new_from_env`).
pub struct Api {
    client: reqwest::Client,
    url: String,
}

impl Api {
    fn new(url: String) -> Self {
        Api {
            client: reqwest::Client::new(),
            url,
        }
    }

    fn from_env() -> Self {
        Self::new(std::env::var("API_URL").unwrap_or_else(|_| "https://api.example".to_string()))
    }
}

pub fn poll(holder: &Holder, rounds: usize) {
    for _ in 0..rounds {
        let _ = shared();
        let _ = fallback(); //~ client_in_loop
        let _ = holder.client();
        let _ = holder.client_or_default();
        let _ = Api::from_env(); //~ client_in_loop
    }
}
