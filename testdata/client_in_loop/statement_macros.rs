// Macros whose body is statements (`try_stream!`, `stream!`, `select!` arms,
// a crate's `macro_rules!` that takes a block) are read as code.
use std::sync::LazyLock;

use futures::Stream;

static HTTP: LazyLock<reqwest::Client> = LazyLock::new(reqwest::Client::new);

macro_rules! logged {
    ($($body:tt)*) => {{
        eprintln!("start");
        $($body)*
    }};
}

pub fn pages(urls: Vec<String>) -> impl Stream<Item = Result<String, reqwest::Error>> {
    async_stream::try_stream! {
        for u in urls {
            let c = reqwest::Client::new(); //~ client_in_loop
            let body = c.get(&u).send().await?.text().await?;
            yield body;
        }
    }
}

pub fn events(urls: Vec<String>) -> impl Stream<Item = String> {
    async_stream::stream! {
        for u in urls {
            let c = reqwest::Client::new(); //~ client_in_loop
            yield c.get(&u).send().await.unwrap().text().await.unwrap();
        }
    }
}

pub async fn pump(mut rx: tokio::sync::mpsc::Receiver<String>) {
    loop {
        tokio::select! {
            Some(u) = rx.recv() => {
                let c = reqwest::Client::new(); //~ client_in_loop
                let _ = c.get(&u).send().await.unwrap().text().await;
            }
            else => break,
        }
    }
}

pub fn sync_all(items: &[String]) {
    for it in items {
        logged! {
            let c = reqwest::blocking::Client::new(); //~ client_in_loop
            let _ = c.get(it).send().unwrap().text();
        }
    }
}

// Statement macros that only use the shared client: clean.
pub fn shared_pages(urls: Vec<String>) -> impl Stream<Item = Result<String, reqwest::Error>> {
    async_stream::try_stream! {
        for u in urls {
            let body = HTTP.get(&u).send().await?.text().await?;
            yield body;
        }
    }
}

pub fn shared_sync(items: &[String]) {
    let c = reqwest::blocking::Client::new();
    for it in items {
        logged! {
            let _ = c.get(it).send().unwrap().text();
        }
    }
}

// A body that is not Rust (a template) is skipped without failing the file.
pub fn template(items: &[String]) -> String {
    let mut out = String::new();
    for it in items {
        out += &html! { <li class="x">{ it }</li> }.to_string();
    }
    out
}

// Code generated as tokens is not code that runs here: clean.
pub fn codegen(names: &[String]) -> Vec<proc_macro2::TokenStream> {
    names
        .iter()
        .map(|n| quote::quote! { let c = reqwest::Client::new(); c.get(#n); })
        .collect()
}
