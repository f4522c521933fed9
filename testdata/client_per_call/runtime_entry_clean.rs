// `#[tokio::main] async fn main` stays the entry point: what it builds is built once.
#[tokio::main]
async fn main() {
    let c = reqwest::Client::new();
    for u in ["http://a", "http://b"] {
        let _ = c.get(u).send().await.unwrap().text().await;
    }
    run().await;
    dispatch("monitor");
}

async fn run() {
    let c = reqwest::Client::new();
    let _ = c.get("http://x").send().await.unwrap().text().await;
}

// `#[tokio::main]` on a subcommand's `run`, called once from `main` (its name is
// also called on receivers of unknown type elsewhere): still run-once, so the
// loop it reaches is a start-up loop.
mod monitor {
    #[tokio::main]
    pub async fn run() {
        let results = vec!["http://a".to_string()];
        report(&results).await;
    }

    async fn report(results: &[String]) {
        for r in results {
            send(r).await;
        }
    }

    async fn send(r: &str) {
        let c = reqwest::Client::new(); //~? client_per_call
        let _ = c.post(r).send().await.unwrap().text().await;
    }
}

// With no caller at all, it is an entry point too.
#[tokio::main]
pub async fn standalone() {
    for u in std::env::args() {
        let c = reqwest::Client::new(); //~? client_in_loop
        let _ = c.get(u).send().await.unwrap().text().await;
    }
}

pub trait Runner {
    fn run(&self);
}

pub fn go(r: &dyn Runner) {
    r.run();
}

fn dispatch(cmd: &str) {
    if cmd == "monitor" {
        monitor::run();
    }
}
