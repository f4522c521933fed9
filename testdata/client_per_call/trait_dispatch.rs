// Calls through a trait: a receiver typed `dyn Trait`, `impl Trait` or a
// generic `T: Trait` reaches every workspace impl of the method, and a
// blanket `impl<T: Bound> Trait for T` forwards to the bound's methods.
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

type Fut<'a> = Pin<Box<dyn Future<Output = String> + Send + 'a>>;

trait Plugin: Send {
    fn call(&mut self, arg: String) -> impl Future<Output = String> + Send;
}

struct Lookup;

impl Plugin for Lookup {
    async fn call(&mut self, arg: String) -> String {
        let http = reqwest::Client::new(); //~ client_per_call
        http.get(arg).send().await.unwrap().text().await.unwrap()
    }
}

// Keeps its client: nothing to report whichever way it is reached.
struct Shared {
    http: reqwest::Client,
}

impl Plugin for Shared {
    async fn call(&mut self, arg: String) -> String {
        self.http.get(arg).send().await.unwrap().text().await.unwrap()
    }
}

// Same method name as the bound trait's: the blanket impl forwards with
// `T::call`, it does not call itself.
trait Erased: Send {
    fn call<'a>(&'a mut self, arg: String) -> Fut<'a>;
}

impl<T: Plugin> Erased for T {
    fn call<'a>(&'a mut self, arg: String) -> Fut<'a> {
        Box::pin(async move { T::call(self, arg).await })
    }
}

struct Agent {
    plugins: Vec<Box<dyn Erased>>,
    named: HashMap<String, Box<dyn Erased>>,
}

impl Agent {
    async fn turn(&mut self, calls: Vec<(usize, String)>) -> Vec<String> {
        let mut out = Vec::new();
        for (i, arg) in calls {
            out.push(self.plugins[i].call(arg).await);
        }
        out
    }

    async fn by_name(&mut self, calls: Vec<(String, String)>) -> Option<String> {
        let mut last = None;
        for (name, arg) in calls {
            let Some(p) = self.named.get_mut(&name) else {
                return None;
            };
            last = Some(p.call(arg).await);
        }
        last
    }
}

trait Probe {
    fn probe(&self, host: &str) -> bool;
}

struct Ping;

impl Probe for Ping {
    fn probe(&self, host: &str) -> bool {
        let c = reqwest::blocking::Client::new(); //~ client_per_call
        c.head(host).send().is_ok()
    }
}

fn sweep<P>(p: &P, hosts: &[String]) -> usize
where
    P: Probe,
{
    hosts.iter().filter(|h| p.probe(h)).count()
}

trait Setup {
    fn connect(&self) -> reqwest::Client;
}

struct Prod;

impl Setup for Prod {
    fn connect(&self) -> reqwest::Client {
        reqwest::Client::new()
    }
}

// Reached through `impl Setup` once, from `main`: a start-up client.
fn boot(s: impl Setup) -> reqwest::Client {
    s.connect()
}

#[tokio::main]
async fn main() {
    let http = boot(Prod);
    let mut agent = Agent {
        plugins: vec![Box::new(Lookup), Box::new(Shared { http })],
        named: HashMap::new(),
    };
    loop {
        let hosts = vec!["http://a".to_string()];
        if sweep(&Ping, &hosts) == 0 {
            break;
        }
        let out = agent.turn(vec![(0, "http://x".into())]).await;
        if out.is_empty() || agent.by_name(Vec::new()).await.is_none() {
            break;
        }
    }
}
