// A client moved into a closure or task that outlives the call is kept, not
// dropped: one client per transport, per worker.
use std::time::Duration;

pub struct Transport {
    sender: std::sync::mpsc::Sender<String>,
}

impl Transport {
    // The client is captured by the `move` closure that the worker thread owns.
    pub fn new(url: String) -> Transport {
        let client = reqwest::blocking::Client::new();
        let send = move |body: String| {
            let _ = client.post(&url).body(body).send().map(|r| r.bytes());
        };
        let (tx, rx) = std::sync::mpsc::channel::<String>();
        std::thread::spawn(move || loop {
            match rx.recv() {
                Ok(body) => send(body),
                Err(_) => break,
            }
        });
        Transport { sender: tx }
    }
}

// A long-lived task owns its client.
pub async fn start_worker(queue: tokio::sync::mpsc::Receiver<String>) {
    let client = reqwest::Client::new();
    let mut queue = queue;
    tokio::spawn(async move {
        while let Some(url) = queue.recv().await {
            let _ = client.get(&url).send().await.map(|r| r.bytes());
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    });
}

// True case beside them: a task that makes one request and ends takes the
// client with it, so every call still builds one.
pub async fn fire(url: String) {
    let client = reqwest::Client::new(); //~ client_per_call
    tokio::spawn(async move {
        let _ = client.get(&url).send().await.map(|r| r.bytes());
    });
}

async fn on_event(axum::extract::Path(url): axum::extract::Path<String>) {
    let transport = Transport::new(url.clone());
    let _ = transport.sender.send(url.clone());
    let (_tx, rx) = tokio::sync::mpsc::channel(8);
    start_worker(rx).await;
    fire(url).await;
}
