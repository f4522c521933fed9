// attohttpc: no connection pool (every request carries `Connection: close`), so an
// unread body costs nothing and is never reported, with or without a Session.
fn session_status_only(session: &attohttpc::Session, urls: &[String]) -> attohttpc::Result<()> {
    for u in urls {
        let resp = session.get(u).send()?;
        if resp.is_success() {
            continue;
        }
        println!("{}", resp.text()?);
    }
    Ok(())
}

fn error_for_status(u: &str) -> attohttpc::Result<()> {
    attohttpc::post(u).text("payload").send()?.error_for_status()?;
    Ok(())
}

fn prepared(u: &str) -> attohttpc::Result<u16> {
    let mut req = attohttpc::get(u).header("accept", "text/plain").prepare();
    let resp = req.send()?;
    Ok(resp.status().as_u16())
}
