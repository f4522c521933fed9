// A library that is not published and that no crate of the workspace uses
// (an integration-test harness kept as a crate of its own): every caller of
// its public API is in view, and there is none, so nothing shows that it
// runs per call.
pub async fn ping(url: &str) -> bool {
    let client = reqwest::Client::new(); //~? client_per_call
    client.get(url).send().await.is_ok_and(|r| r.status().is_success())
}
