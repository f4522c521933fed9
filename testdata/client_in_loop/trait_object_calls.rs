// A method called on a trait object of another crate's trait
// (`Box<dyn db_core::Store>`) reaches only impls of traits of other crates
// (that trait or a supertrait): it hides no
// caller of a same-named method of another impl, so the start-up chain to
// `Peers::announce` is still proven run-once, and so is a call in test code
// on a receiver of unknown type (test code says nothing about how often the
// program runs a function). An impl of that trait may be
// called through the trait object from anywhere, so its loop still fires.
use axum::{extract::State, routing::post, Router};
use db_core::Store;

pub struct App {
    db: Box<dyn Store + Send + Sync>,
}

pub trait Announce {
    async fn announce(&self);
}

pub struct Peers {
    nodes: Vec<String>,
}

impl Announce for Peers {
    async fn announce(&self) {
        for node in &self.nodes {
            let c = reqwest::Client::new(); //~? client_in_loop
            let _ = c.post(node).send().await.map(|r| r.text());
        }
    }
}

// True case: the trait object may run this impl per request.
pub struct Mirror {
    peers: Vec<String>,
}

impl Store for Mirror {
    async fn announce(&self, who: &str) {
        for p in &self.peers {
            let c = reqwest::Client::new(); //~ client_in_loop
            let _ = c.post(p).body(who.to_string()).send().await.map(|r| r.text());
        }
    }
}

async fn signup(State(app): State<std::sync::Arc<App>>, who: String) -> &'static str {
    app.db.announce(&who).await;
    "ok"
}

// The same through a workspace trait object: `Box<dyn Queue>` reaches impls
// of `Queue` and of its supertrait `Drain`, not `Archive`'s `drain`.
pub trait Drain {
    async fn drain(&self);
}

pub trait Queue: Drain + Send {}

pub trait Archive {
    async fn drain(&self);
}

pub struct Shelf(Vec<String>);

impl Archive for Shelf {
    async fn drain(&self) {
        self.0.iter().for_each(|b| {
            let c = reqwest::blocking::Client::new(); //~? client_in_loop
            let _ = c.delete(b).send().map(|r| r.text());
        });
    }
}

// True case: an impl of the supertrait, reachable through the trait object.
pub struct Inbox {
    items: Vec<String>,
}

impl Drain for Inbox {
    async fn drain(&self) {
        for i in &self.items {
            let c = reqwest::Client::new(); //~ client_in_loop
            let _ = c.post(i).send().await.map(|r| r.text());
        }
    }
}

impl Queue for Inbox {}

async fn flush(State(q): State<std::sync::Arc<Box<dyn Queue + Sync>>>) -> &'static str {
    q.drain().await;
    "ok"
}

#[cfg(test)]
mod tests {
    async fn announces<A: super::Announce>(a: &A) {
        a.announce().await;
    }
}

#[tokio::main]
async fn main() {
    let peers = Peers { nodes: vec![] };
    peers.announce().await;
    let mirror = Mirror { peers: vec![] };
    mirror.announce("start-up").await;
    Shelf(vec![]).drain().await;
    let inbox = Inbox { items: vec![] };
    inbox.drain().await;
    let _flush = post(flush).with_state(std::sync::Arc::new(Box::new(inbox) as Box<dyn Queue + Sync>));
    let app = std::sync::Arc::new(App { db: Box::new(mirror) });
    let r = Router::new().route("/signup", post(signup)).with_state(app);
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    axum::serve(l, r).await.unwrap();
}
