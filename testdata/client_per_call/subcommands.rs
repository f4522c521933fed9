// A CLI dispatches its subcommands by matching an enum whose variants carry
// each command's arguments: the variant's field has its declared type, so
// `args.exec()` resolves, and a command run once from `main` is one-shot.
pub struct SeedArgs {
    endpoints: Vec<String>,
}

pub struct ServeArgs {
    queue: std::sync::mpsc::Receiver<String>,
}

pub enum Command {
    Seed(SeedArgs),
    Serve(ServeArgs),
}

impl SeedArgs {
    async fn exec(&self) {
        for e in &self.endpoints {
            create_endpoint(e).await;
        }
    }
}

async fn create_endpoint(u: &str) {
    let c = reqwest::Client::new(); //~? client_per_call
    let _ = c.post(u).send().await.map(|r| r.text());
}

// True case: the other subcommand serves a queue, one message at a time.
impl ServeArgs {
    async fn exec(&self) {
        while let Ok(m) = self.queue.recv() {
            deliver(&m).await;
        }
    }
}

async fn deliver(u: &str) {
    let c = reqwest::Client::new(); //~ client_per_call
    let _ = c.post(u).send().await.map(|r| r.text());
}

fn parse() -> Command {
    Command::Seed(SeedArgs { endpoints: Vec::new() })
}

#[tokio::main]
async fn main() {
    match parse() {
        Command::Seed(args) => args.exec().await,
        Command::Serve(args) => args.exec().await,
    }
}
