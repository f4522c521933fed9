// Text that looks like a suppression but is not one, and well-formed
// suppressions: nothing to report.

const HELP: &str = "write // connlint: allow(client_in_lop) to silence a finding";

/// Mentions connlint: allow(whatever) in prose, not at the start of the comment.
async fn documented(urls: Vec<String>) {
    for u in urls {
        // connlint: allow(client_in_loop) per-tenant TLS
        let c = reqwest::Client::new();
        c.get(u).send().await.unwrap().text().await.unwrap();
        let _ = HELP;
    }
}

#[allow(clippy::all)]
fn other_tools() {}
