// Suppressions that silence nothing: the code was fixed, or the comment names
// another lint than the finding on its line.

async fn fixed(client: &reqwest::Client, urls: Vec<String>) {
    for u in urls {
        // connlint: allow(client_in_loop) the client is passed in now //~ unused_suppression
        client.get(u).send().await.unwrap().text().await.unwrap();
    }
}

async fn wrong_lint(urls: Vec<String>) {
    for u in urls {
        let c = reqwest::Client::new(); //~ client_in_loop
        // connlint: allow(unread_response_body, client_in_loop) one of the two is needed //~ unused_suppression
        let d = reqwest::Client::new();
        c.get(&u).send().await.unwrap().text().await.unwrap();
        d.get(&u).send().await.unwrap().text().await.unwrap();
    }
}

// connlint: allow(client_per_call) nothing in this item builds a client //~ unused_suppression
fn quiet() {
    let _ = 1;
}
