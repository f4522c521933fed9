// An event callback registered in `main` runs once per event for as long as
// the program runs: registering it at start-up does not make it run once.
// A `for_each` over a list in `main` is a start-up loop.
struct Bus;

impl Bus {
    fn on_message(&self, _f: impl Fn(String) + Send + 'static) {}
}

fn store(msg: String) {
    let c = reqwest::blocking::Client::new(); //~ client_per_call
    let _ = c.post("http://store").body(msg).send().and_then(|r| r.text());
}

fn announce(peer: &str) {
    let c = reqwest::blocking::Client::new(); //~? client_per_call
    let _ = c.post(peer).send().and_then(|r| r.text());
}

fn main() {
    let bus = Bus;
    bus.on_message(store);
    bus.on_message(move |m| store(m));
    ["http://a", "http://b"].to_vec().iter().for_each(|p| announce(p));
}
