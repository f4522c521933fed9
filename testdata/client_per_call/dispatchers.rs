// A dispatcher matches a command or event, taken from its argument, over the
// kinds of an enum: each arm runs for one kind, and how often that kind comes
// the code cannot show. A call from such an arm is left to the pedantic level;
// what the dispatcher does for every message still fires.
use axum::{routing::post, Router};

pub enum Command {
    Whoami,
    Rebuild,
    Stats(String),
}

fn parse(text: &str) -> Command {
    match text {
        "whoami" => Command::Whoami,
        "rebuild" => Command::Rebuild,
        t => Command::Stats(t.to_string()),
    }
}

// A chat webhook: every message is audited, then one command runs.
async fn on_message(body: String) -> String {
    audit(&body).await;
    let cmd = parse(&body);
    match cmd {
        Command::Whoami => "me".to_string(),
        Command::Rebuild => rebuild_docs().await,
        Command::Stats(team) => team,
    }
}

async fn rebuild_docs() -> String {
    let c = reqwest::Client::new(); //~? client_per_call
    let r = c.post("https://ci.example/rebuild").send().await;
    r.map(|_| "started".to_string()).unwrap_or_default()
}

// True case: the audit runs for every message, whatever its kind.
async fn audit(body: &str) {
    let c = reqwest::Client::new(); //~ client_per_call
    let _ = c.post("https://audit.example").body(body.to_string()).send().await.map(|r| r.text());
}

// A two-way split on success is no dispatcher.
async fn on_lookup(body: String) -> String {
    match body.parse::<u64>() {
        Ok(id) => profile(id).await,
        Err(_) => String::new(),
    }
}

async fn profile(id: u64) -> String {
    let c = reqwest::Client::new(); //~ client_per_call
    let r = c.get(format!("https://users.example/{id}")).send().await;
    match r {
        Ok(r) => r.text().await.unwrap_or_default(),
        Err(_) => String::new(),
    }
}

// Events from a queue: a rare kind reloads the repositories, as start-up does.
pub enum Event {
    InstallationsChanged,
    RefreshConfig,
    Ping,
}

pub struct Team {
    base: String,
}

impl Team {
    async fn load_permissions(&self, repo: &str) -> Option<String> {
        let r = reqwest::get(format!("{}/perms/{repo}", self.base)).await.ok()?; //~? client_per_call
        r.text().await.ok()
    }

    async fn notify(&self) {
        let r = reqwest::get(format!("{}/seen", self.base)).await; //~ client_per_call
        let _ = r.map(|r| r.text());
    }
}

async fn load_repositories(team: &Team, repos: &[String]) {
    for repo in repos {
        let _ = team.load_permissions(repo).await;
    }
}

async fn handle_event(event: Event, team: &Team) {
    match event {
        Event::InstallationsChanged => load_repositories(team, &[]).await,
        Event::RefreshConfig => {}
        Event::Ping => {}
    }
}

// True case: every event is acknowledged.
async fn consume(mut rx: tokio::sync::mpsc::Receiver<Event>, team: Team) {
    while let Some(event) = rx.recv().await {
        handle_event(event, &team).await;
        acknowledge(&team).await;
    }
}

async fn acknowledge(team: &Team) {
    team.notify().await;
}

#[tokio::main]
async fn main() {
    let team = Team { base: "https://team.example".into() };
    load_repositories(&team, &["a/b".to_string()]).await;
    let (_tx, rx) = tokio::sync::mpsc::channel(8);
    tokio::spawn(consume(rx, team));
    let app = Router::new()
        .route("/chat", post(on_message))
        .route("/lookup", post(on_lookup));
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    axum::serve(l, app).await.unwrap();
}
