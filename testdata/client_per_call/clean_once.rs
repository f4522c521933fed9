// Builders that run once: from main, a static initializer, app-state setup.
use std::sync::{Arc, LazyLock};

fn build_client() -> reqwest::Client {
    reqwest::Client::builder().user_agent("app").build().unwrap()
}

static SHARED: LazyLock<reqwest::Client> = LazyLock::new(build_client);

struct Api {
    http: reqwest::Client,
}

impl Api {
    fn new() -> Self {
        Api { http: reqwest::Client::new() }
    }
}

struct AppState {
    api: Arc<Api>,
}

fn init_state() -> AppState {
    AppState { api: Arc::new(Api::new()) }
}

fn warm_up() {
    let c = reqwest::blocking::Client::new();
    c.get("http://warm").send().unwrap().text().unwrap();
}

fn main() {
    let client = build_client();
    let state = init_state();
    warm_up();
    for _ in 0..3 {
        let _ = (&client, &state.api.http, &*SHARED);
    }
}

// Two types with a method of the same name and a receiver of unknown type:
// connlint does not guess which one is called.
struct A;
struct B;
impl A {
    fn run(&self) {}
}
impl B {
    fn run(&self) {
        let _c = reqwest::blocking::Client::new();
    }
}
trait Runner {
    fn run(&self);
}
fn dispatch(items: Vec<Box<dyn Runner>>) {
    for r in items {
        r.run();
    }
}

// A `lazycell::LazyCell` fills itself once: the handle it keeps is reused by
// every later call (reduced from cargo's `GlobalContext::http`, which a
// download loop calls).
struct Context {
    easy: lazycell::LazyCell<std::cell::RefCell<curl::easy::Easy>>,
    agent: lazycell::LazyCell<ureq::Agent>,
}

fn http_handle() -> Result<curl::easy::Easy, curl::Error> {
    let mut handle = curl::easy::Easy::new();
    handle.useragent("app")?;
    Ok(handle)
}

impl Context {
    fn http(&self) -> Result<&std::cell::RefCell<curl::easy::Easy>, curl::Error> {
        let http = self
            .easy
            .try_borrow_with(|| http_handle().map(std::cell::RefCell::new))?;
        http.borrow_mut().reset();
        Ok(http)
    }

    fn agent(&self) -> &ureq::Agent {
        self.agent.borrow_with(ureq::Agent::new)
    }
}

fn download_all(cx: &Context, urls: &[String]) {
    for u in urls {
        if let Ok(h) = cx.http() {
            let _ = h.borrow_mut().url(u);
        }
        let _ = cx.agent().get(u).call().map(|r| r.into_string());
    }
}
