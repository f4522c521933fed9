// A one-shot command checks each configured chain once. Another crate's
// function of the same name (`other_tool::run()`) is no caller of the
// command's `cli::run`: a path qualified by a module names only functions of
// a module of that name, so the command is still proven run-once.
mod cli {
    pub async fn run(chains: &[String]) {
        for chain in chains {
            crate::check::probe(chain).await;
        }
    }
}

mod check {
    pub async fn probe(chain: &str) {
        let c = reqwest::Client::new(); //~? client_per_call
        let _ = c.get(chain).send().await.map(|r| r.text());
    }
}

// True case: a queue consumer delivers one message per iteration.
mod worker {
    pub async fn run(queue: std::sync::mpsc::Receiver<String>) {
        while let Ok(m) = queue.recv() {
            deliver(&m).await;
        }
    }

    async fn deliver(u: &str) {
        let c = reqwest::Client::new(); //~ client_per_call
        let _ = c.post(u).send().await.map(|r| r.text());
    }
}

#[tokio::main]
async fn main() {
    other_tool::run();
    cli::run(&[]).await;
    let (_tx, rx) = std::sync::mpsc::channel();
    worker::run(rx).await;
}
