// `#[cfg]` is not evaluated: every variant is checked, the note names its cfg,
// and a caller under one cfg reaches the variant under the same cfg only
// (peers.md hard case 49).
#[cfg(feature = "blocking")]
fn get(u: &str) -> String {
    reqwest::blocking::get(u).unwrap().text().unwrap() //~ client_per_call
}

#[cfg(not(feature = "blocking"))]
async fn get(u: &str) -> String {
    reqwest::get(u).await.unwrap().text().await.unwrap()
}

#[cfg(feature = "blocking")]
fn run(urls: Vec<String>) {
    for u in &urls {
        let _ = get(u);
    }
}

// Two variants, each called from a loop under its own cfg: both fire.
#[cfg(unix)]
fn token() -> reqwest::blocking::Client {
    reqwest::blocking::Client::new()
}

#[cfg(not(unix))]
fn token() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder().build().unwrap()
}

#[cfg(unix)]
fn poll_unix(n: usize) {
    for _ in 0..n {
        let _ = token(); //~ client_in_loop
    }
}

#[cfg(not(unix))]
fn poll_other(n: usize) {
    for _ in 0..n {
        let _ = token(); //~ client_in_loop
    }
}
