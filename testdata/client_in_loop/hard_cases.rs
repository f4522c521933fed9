// Hard cases from the design notes (peers.md), each with its verdict.
use reqwest::Client;

// 23. A closure defined outside the loop, called inside it.
async fn closure_called_in_loop(urls: &[String]) -> reqwest::Result<()> {
    let mk = || reqwest::Client::builder().build().unwrap();
    for u in urls {
        mk().get(u).send().await?.text().await?; //~ client_in_loop
    }
    Ok(())
}

// 33. Generic over a client trait: `C::default()` is not resolved (stays clean).
trait HttpLike {
    fn fetch(&self, u: &str);
}
fn generic<C: HttpLike + Default>(urls: &[String]) {
    for u in urls {
        let c = C::default();
        c.fetch(u);
    }
}

// 34. A trait-object factory whose struct owns a client is a constructor.
trait Transport {
    fn send(&self, m: &str);
}
struct HttpTransport {
    c: Client,
}
impl Transport for HttpTransport {
    fn send(&self, m: &str) {
        let _ = (&self.c, m);
    }
}
fn make() -> Box<dyn Transport> {
    Box::new(HttpTransport { c: reqwest::Client::new() })
}
fn factory_in_loop(msgs: &[String]) {
    for m in msgs {
        make().send(m); //~ client_in_loop
    }
}

// 20. A long-lived task started once from main builds its client once.
#[tokio::main]
async fn main() {
    tokio::spawn(async move {
        let c = Client::new();
        loop {
            let _ = c.get("http://poll").send().await.map(|r| r.bytes());
        }
    });
}
