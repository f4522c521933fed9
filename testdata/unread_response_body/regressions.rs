// ureq 3 calls share `ureq::Agent` with ureq 2: the method picks the kind.
fn ureq3_send_empty(agent: &ureq::Agent, urls: &[String]) -> Result<(), ureq::Error> {
    for u in urls {
        let resp = agent.post(u).send_empty()?; //~ unread_response_body
        if resp.status() == 200 {
            continue;
        }
        let _ = resp.into_body().read_to_string();
    }
    Ok(())
}
