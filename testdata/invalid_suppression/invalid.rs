// Suppressions connlint cannot read: an unknown lint name, a malformed
// comment, and a lint attribute rustc rejects (E0710).

async fn typo(urls: Vec<String>) {
    for u in urls {
        // connlint: allow(client_in_lop) per-tenant TLS //~ invalid_suppression
        let c = reqwest::Client::new(); //~ client_in_loop
        c.get(u).send().await.unwrap().text().await.unwrap();
    }
}

async fn malformed(urls: Vec<String>) {
    for u in urls {
        // connlint: allow client_in_loop //~ invalid_suppression
        let c = reqwest::Client::new(); //~ client_in_loop
        c.get(u).send().await.unwrap().text().await.unwrap();
    }
}

#[allow(connlint::client_in_loop)] //~ invalid_suppression
async fn attribute(urls: Vec<String>) {
    for u in urls {
        let c = reqwest::Client::new(); //~ client_in_loop
        c.get(u).send().await.unwrap().text().await.unwrap();
    }
}
