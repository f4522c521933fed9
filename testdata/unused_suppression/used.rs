// Suppressions that silence a finding: at the end of the line, above it, above
// an item (covering all of it), and one whose finding is reported only with
// `--pedantic` (a fixed-count loop): it is used at the default level too.

async fn trailing(urls: Vec<String>) {
    for u in urls {
        let c = reqwest::Client::new(); // connlint: allow(client_in_loop) per-tenant TLS
        c.get(u).send().await.unwrap().text().await.unwrap();
    }
}

async fn above(urls: Vec<String>) {
    for u in urls {
        // connlint: allow(connlint::client_in_loop) per-tenant TLS

        let c = reqwest::Client::new();
        c.get(u).send().await.unwrap().text().await.unwrap();
    }
}

// connlint: allow(client_in_loop) a migration tool, run by hand
#[allow(clippy::needless_collect)]
async fn whole_item(urls: Vec<String>) {
    for u in urls {
        let c = reqwest::Client::new();
        c.get(u).send().await.unwrap().text().await.unwrap();
    }
}

async fn fixed_count() {
    for u in ["http://a", "http://b"] {
        // connlint: allow(client_in_loop) two hosts with their own certificates
        let c = reqwest::Client::new();
        c.get(u).send().await.unwrap().text().await.unwrap();
    }
}
