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

// A response lent mutably to a helper can be read through it (`Read`,
// `decompress(&mut resp)`): the helper decides (found on xh's download). A
// shared borrow cannot read it.
fn copy_body(resp: &mut reqwest::blocking::Response) -> std::io::Result<u64> {
    std::io::copy(resp, &mut std::io::sink())
}

fn log_status(resp: &reqwest::blocking::Response) {
    eprintln!("{}", resp.status());
}

fn lent_mutably(client: &reqwest::blocking::Client, urls: &[String]) -> reqwest::Result<()> {
    for u in urls {
        let mut resp = client.get(u).send()?;
        let _ = copy_body(&mut resp);
        let shared = client.get(u).send()?; //~ unread_response_body
        log_status(&shared);
    }
    Ok(())
}
