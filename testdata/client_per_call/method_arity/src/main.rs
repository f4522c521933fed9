//! A prober whose methods build a client on every call, run from loops of a
//! `Runner` in files that name no catalog crate. A method is reached by a
//! call with as many arguments (`.probe(url)`), a path (`Prober::check`), or,
//! when an attribute macro may rewrite it, any call of its name (`.fetch()`).
//! A call of its name with another number of arguments, on a value of
//! unknown type, cannot be it: it hides no caller (`h.sweep()` is no call of
//! `Runner::sweep(&self, p, urls)`), so `sweep` is still proven to run once.
mod each;
mod hidden;
mod prober;
mod refresh;
mod sweep;
mod unrelated;

pub struct Runner;

#[tokio::main]
async fn main() {
    let p = prober::Prober;
    let runner = Runner;
    let urls = vec![String::from("https://config.example")];
    runner.sweep(&p, &urls).await;
    runner.each(&p, &urls).await;
    runner.refresh(&p, &urls).await;
    hidden::poke(&unrelated::handle());
    println!("{}", unrelated::sizes(&[]));
}
