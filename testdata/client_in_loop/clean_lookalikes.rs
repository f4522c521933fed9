// Look-alikes and run-once constructions that must stay clean.
use std::collections::HashMap;
use std::sync::{LazyLock, OnceLock};

mod local_type {
    pub struct Client;
    impl Client {
        pub fn new() -> Self {
            Client
        }
    }

    pub fn run() {
        for _ in 0..3 {
            let _c = Client::new();
        }
    }
}

mod glob_shadowed {
    use reqwest::*;
    struct Client;
    impl Client {
        fn new() -> Self {
            Client
        }
    }

    fn run() {
        for _ in 0..3 {
            let _c = Client::new();
        }
    }
}

struct ClientCache;
impl ClientCache {
    fn new() -> Self {
        ClientCache
    }
}

static HTTP: LazyLock<reqwest::Client> = LazyLock::new(reqwest::Client::new);
static HTTP2: OnceLock<reqwest::Client> = OnceLock::new();

lazy_static::lazy_static! {
    static ref HTTP3: reqwest::Client = reqwest::Client::new();
}

thread_local! {
    static AGENT: ureq::Agent = ureq::Agent::new();
}

async fn shared(urls: Vec<String>, client: reqwest::Client) {
    for u in urls {
        let c = client.clone();
        tokio::spawn(async move { c.get(u).send().await.unwrap().text().await });
    }
    for _k in 0..3 {
        let _cache = ClientCache::new();
        let _b = reqwest::Client::builder().timeout(std::time::Duration::from_secs(1));
        let _c = HTTP2.get_or_init(reqwest::Client::new);
        let _d = HTTP2.get_or_init(|| reqwest::Client::builder().build().unwrap());
        let _o = redis::Client::open("redis://localhost").unwrap();
        let _i = isahc::get("https://example.com").and_then(|mut r| r.consume());
        let _a = attohttpc::get("https://example.com").send();
    }
}

#[tokio::main]
async fn main() {
    let client = reqwest::Client::new();
    for u in ["a", "b"] {
        client.get(u).send().await.unwrap().text().await.unwrap();
    }
}

fn per_host_cache(urls: &[String], cache: &mut HashMap<String, reqwest::Client>) {
    for u in urls {
        let c = cache.entry(u.clone()).or_insert_with(|| reqwest::Client::builder().build().unwrap());
        let _ = c;
    }
}

fn collected(tenants: &[String]) -> HashMap<String, reqwest::Client> {
    let mut per_tenant = HashMap::new();
    for t in tenants {
        per_tenant.insert(t.clone(), reqwest::Client::new());
    }
    let _all: Vec<reqwest::Client> = tenants.iter().map(|_| reqwest::Client::new()).collect();
    per_tenant
}

async fn break_after(lines: Vec<String>) {
    for line in lines {
        if line.contains("ready") {
            let c = reqwest::Client::new();
            c.get("http://localhost").send().await.unwrap().text().await.unwrap();
            break;
        }
    }
}

fn optional(proxy: Option<String>) -> Option<reqwest::blocking::Client> {
    proxy.map(|p| reqwest::blocking::Client::builder().proxy(reqwest::Proxy::all(p).unwrap()).build().unwrap())
}

fn lazily_filled(slot: &mut Option<reqwest::Client>, n: usize) {
    for _ in 0..n {
        if slot.is_none() {
            *slot = Some(reqwest::Client::new());
        }
    }
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn many() {
        for _ in 0..10 {
            reqwest::Client::new();
        }
    }
}

// Fuzz harnesses (`cargo fuzz` builds with `--cfg fuzzing`) are test code.
#[cfg(fuzzing)]
pub mod fuzz_logic {
    pub async fn fuzz_entry(data: &[String]) {
        for _ in data {
            let _ = reqwest::Client::new();
        }
    }
}

#[cfg(any(test, fuzzing))]
pub fn test_helper(n: usize) {
    for _ in 0..n {
        let _ = reqwest::Client::new();
    }
}

#[test]
fn top_level_test() {
    for _ in 0..10 {
        let _ = reqwest::Client::new();
    }
}

macro_rules! not_an_expression {
    ($($t:tt)*) => {};
}

fn in_macro() {
    for _ in 0..3 {
        not_an_expression!(let x => reqwest::Client::new() ;; ?);
    }
}

// An initializer bound to a variable and handed to a per-key cache runs once
// per key (found on symbolicator's S3 client cache).
async fn cached_by_key(cache: &moka::future::Cache<String, reqwest::Client>, keys: &[String]) {
    for k in keys {
        let init = Box::pin(async { reqwest::Client::builder().build().unwrap() });
        let _c = cache.entry_by_ref(k).or_insert_with(init).await.into_value();
        let make = || reqwest::blocking::Client::new();
        let _d = HTTP_BLOCKING.get_or_init(make);
    }
}

static HTTP_BLOCKING: OnceLock<reqwest::blocking::Client> = OnceLock::new();

// `next()` and `find(..)` end the iterator: the closure of the `Option` they
// give runs once, not per item.
mod consumed_iterators {
    pub fn first_mirror(mirrors: &[String]) -> Option<String> {
        mirrors.iter().next().and_then(|m| {
            let c = reqwest::blocking::Client::new();
            c.get(m).send().ok()?.text().ok()
        })
    }

    pub fn chosen_mirror(mirrors: &[String]) -> Option<reqwest::blocking::Client> {
        mirrors
            .iter()
            .find(|m| m.starts_with("https"))
            .map(|_| reqwest::blocking::Client::new())
    }
}
