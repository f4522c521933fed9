// A closure handed to an event registration runs once per event.
pub struct Bus;

impl Bus {
    pub fn subscribe(&mut self, _f: impl Fn(String) + 'static) {}
}

fn create_user(name: &str) {
    let c = reqwest::blocking::Client::new(); //~ client_per_call
    let _ = c.post("http://users").body(name.to_string()).send().and_then(|r| r.text());
}

fn audit(c: &reqwest::blocking::Client, name: &str) {
    let _ = c.post("http://audit").body(name.to_string()).send().and_then(|r| r.text());
}

pub fn wire(bus: &mut Bus) {
    bus.subscribe(move |event| create_user(&event));
    // Look-alike: the callback uses a client built once, when it is wired.
    let c = reqwest::blocking::Client::new();
    bus.subscribe(move |event| audit(&c, &event));
}
