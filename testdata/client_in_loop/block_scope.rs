// `use`, `type` and type definitions written inside a function body are in
// scope there (peers.md hard cases 1-5 in block position): imports and aliases
// resolve, a local struct shadows the outer import.
use reqwest::Client;

async fn local_alias(urls: Vec<String>) {
    use reqwest as http;
    for _u in &urls {
        let _c = http::Client::new(); //~ client_in_loop
    }
}

async fn local_group(urls: Vec<String>) {
    use reqwest::{Client as Http, StatusCode};
    for _u in &urls {
        let _c = Http::new(); //~ client_in_loop
        let _ = StatusCode::OK;
    }
}

async fn local_glob(urls: Vec<String>) {
    use reqwest::*;
    for _u in &urls {
        let _c = ClientBuilder::new().build(); //~ client_in_loop
    }
}

async fn local_type_alias(urls: Vec<String>) {
    type Http = reqwest::Client;
    for _u in &urls {
        let _c = Http::new(); //~ client_in_loop
    }
}

async fn nested_block(urls: Vec<String>) {
    for _u in &urls {
        {
            use reqwest::blocking::Client as Blocking;
            let _c = Blocking::new(); //~ client_in_loop
        }
    }
}

fn local_struct_shadows_import(n: usize) {
    struct Client;
    impl Client {
        fn new() -> Self {
            Client
        }
    }
    for _ in 0..n {
        let _c = Client::new();
    }
}

fn outer_import_still_resolves(n: usize) {
    for _ in 0..n {
        let _c = Client::new(); //~ client_in_loop
    }
}
