// A function that builds its own runtime (`#[tokio::main]` on a function other
// than `main`, or `Runtime::new()` + `block_on`) runs as often as it is called:
// it is no entry point, and what it builds is built per call.
use std::sync::LazyLock;

static HTTP: LazyLock<reqwest::Client> = LazyLock::new(reqwest::Client::new);

#[tokio::main]
async fn fetch_one(url: &str) -> String {
    let c = reqwest::Client::new(); //~ client_per_call
    c.get(url).send().await.unwrap().text().await.unwrap()
}

fn fetch_blocking(url: &str) -> String {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let c = reqwest::Client::new(); //~ client_per_call
        c.get(url).send().await.unwrap().text().await.unwrap()
    })
}

// A shared client in a per-call runtime: the client is clean.
#[tokio::main(flavor = "current_thread")]
async fn fetch_shared(url: &str) -> String {
    HTTP.get(url).send().await.unwrap().text().await.unwrap()
}

pub fn sync_all(urls: &[String]) -> usize {
    let mut n = 0;
    for u in urls {
        n += fetch_one(u).len() + fetch_blocking(u).len() + fetch_shared(u).len();
    }
    n
}

// Called only from `main`: runs once, clean.
#[tokio::main]
async fn serve() {
    let c = reqwest::Client::new();
    let _ = c.get("http://x").send().await.unwrap().text().await;
}

fn main() {
    serve();
}
