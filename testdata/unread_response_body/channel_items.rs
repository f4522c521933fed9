// Requests handed to workers through a channel: the item type written on
// the channel (`flume::bounded::<RequestBuilder>`, an annotated receiver)
// is what the workers receive, so a worker that sends it and looks only at
// the status drops the body of every delivery.
use reqwest::{Client, RequestBuilder};
use std::sync::mpsc;

async fn deliver_all(client: Client, inboxes: Vec<String>) {
    let (tx, rx) = flume::bounded::<RequestBuilder>(6);
    for _ in 0..6 {
        let rx = rx.clone();
        tokio::spawn(async move {
            while let Ok(request) = rx.recv_async().await {
                let _ = request
                    .send() //~ unread_response_body
                    .await
                    .map(|r| {
                        if !r.status().is_success() {
                            eprintln!("inbox refused: {}", r.status());
                        }
                    });
            }
        });
    }
    for inbox in inboxes {
        let _ = tx.send_async(client.post(&inbox).body("{}")).await;
    }
}

fn blocking_workers(rx: mpsc::Receiver<reqwest::blocking::RequestBuilder>) {
    while let Ok(request) = rx.recv() {
        let _ = request.send(); //~ unread_response_body
    }
}

// Look-alikes: a worker that reads what it sent for, and a channel of plain
// strings whose `send` is no HTTP request.
async fn deliver_read(client: Client, inboxes: Vec<String>) {
    let (tx, rx) = tokio::sync::mpsc::channel::<RequestBuilder>(8);
    let mut rx = rx;
    tokio::spawn(async move {
        while let Some(request) = rx.recv().await {
            if let Ok(r) = request.send().await {
                let _ = r.text().await;
            }
        }
    });
    for inbox in inboxes {
        let _ = tx.send(client.post(&inbox)).await;
    }
}

fn relay(lines: Vec<String>) {
    let (tx, rx) = mpsc::channel::<String>();
    for l in lines {
        let _ = tx.send(l);
    }
    while let Ok(line) = rx.recv() {
        println!("{line}");
    }
}
