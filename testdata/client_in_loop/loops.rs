// Every kind of loop and per-item closure builds a new client each time round.
use futures::stream::{self, StreamExt};
use std::time::Duration;

async fn for_loop(urls: &[String]) {
    for url in urls {
        let client = reqwest::Client::new(); //~ client_in_loop
        let _ = client.get(url).send().await.map(|r| r.bytes());
    }
}

async fn while_let(mut rx: tokio::sync::mpsc::Receiver<String>) {
    while let Some(url) = rx.recv().await {
        let client = reqwest::Client::builder() //~ client_in_loop
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap();
        client.post(&url).send().await.unwrap().text().await.unwrap();
    }
}

fn plain_loop() {
    let mut n = 0;
    loop {
        let agent = ureq::Agent::new(); //~ client_in_loop
        n += 1;
        if n > 10 {
            break;
        }
        drop(agent);
    }
}

fn while_cond(mut n: u32) {
    while n > 0 {
        let _c = reqwest::blocking::Client::new(); //~ client_in_loop
        n -= 1;
    }
}

async fn periodic() {
    let mut interval = tokio::time::interval(Duration::from_secs(5));
    loop {
        interval.tick().await;
        let client = reqwest::Client::new(); //~ client_in_loop
        report(&client).await;
    }
}

fn iterator_closure(urls: Vec<String>) -> Vec<String> {
    urls.iter()
        .map(|u| {
            let c = reqwest::blocking::Client::new(); //~ client_in_loop
            c.get(u).send().unwrap().text().unwrap()
        })
        .collect()
}

fn for_each(urls: Vec<String>) {
    urls.into_iter().for_each(|u| {
        let c = reqwest::blocking::Client::new(); //~ client_in_loop
        c.get(&u).send().unwrap().text().unwrap();
    });
}

async fn buffered(urls: Vec<String>) {
    let bodies: Vec<_> = stream::iter(urls)
        .map(|u| async move { reqwest::Client::new().get(u).send().await?.text().await }) //~ client_in_loop
        .buffer_unordered(8)
        .collect()
        .await;
}

async fn join_all(urls: Vec<String>) {
    let futures = urls.iter().map(|u| async move {
        let c = reqwest::Client::new(); //~ client_in_loop
        c.get(u).send().await?.text().await
    });
    futures::future::join_all(futures).await;
}

async fn spawn_per_item(urls: Vec<String>) {
    for u in urls {
        tokio::spawn(async move { reqwest::Client::new().get(u).send().await?.text().await }); //~ client_in_loop
    }
}

async fn select_in_loop(mut tick: tokio::time::Interval, mut stop: tokio::sync::mpsc::Receiver<()>) {
    loop {
        tokio::select! {
            _ = tick.tick() => { let c = reqwest::Client::new(); report(&c).await; } //~ client_in_loop
            _ = stop.recv() => break,
        }
    }
}

async fn one_shot(urls: &[String]) -> anyhow::Result<()> {
    for u in urls {
        let body = reqwest::get(u).await?.text().await?; //~ client_in_loop
        println!("{body}");
    }
    Ok(())
}

async fn report(_c: &reqwest::Client) {}

// A crate-local macro whose rules build a client: reported at the invocation.
macro_rules! fetch {
    ($u:expr) => {
        reqwest::Client::new().get($u).send()
    };
}

async fn via_macro(urls: &[String]) -> reqwest::Result<()> {
    for u in urls {
        fetch!(u).await?.text().await?; //~ client_in_loop
    }
    Ok(())
}
