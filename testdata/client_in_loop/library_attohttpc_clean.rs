// attohttpc has no connection pool: every request opens its own connection with or
// without a Session, so hoisting changes nothing and nothing here is reported.
fn requests(urls: &[String]) -> attohttpc::Result<()> {
    for u in urls {
        let _ = attohttpc::get(u).send()?.text()?;
        let _ = attohttpc::post(u).text("x").send()?.text()?;
        let _ = attohttpc::put(u).bytes(b"x".to_vec()).send()?.bytes()?;
        let _ = attohttpc::delete(u).send()?.bytes()?;
        let _ = attohttpc::head(u).send()?;
        let _ = attohttpc::options(u).send()?.bytes()?;
        let _ = attohttpc::patch(u).send()?.bytes()?;
        let _ = attohttpc::trace(u).send()?.bytes()?;
        let mut session = attohttpc::Session::new();
        session.header("user-agent", "bot/1");
        let _ = session.get(u).send()?.text()?;
    }
    Ok(())
}
