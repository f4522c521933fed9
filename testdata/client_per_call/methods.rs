// Methods called through `self`, a field of known type, and trait impls.
use axum::extract::State;
use std::sync::Arc;

struct Notifier {
    url: String,
}

impl Notifier {
    async fn send(&self, msg: &str) {
        let c = reqwest::Client::new(); //~ client_per_call
        c.post(&self.url).body(msg.to_string()).send().await.unwrap().text().await.unwrap();
    }

    async fn send_twice(&self, msg: &str) {
        self.send(msg).await;
        self.send(msg).await;
    }
}

struct App {
    notifier: Notifier,
}

async fn on_event(State(app): State<Arc<App>>) -> &'static str {
    app.notifier.send_twice("event").await;
    "ok"
}

trait Exporter {
    fn export(&self, line: &str);
}

struct HttpExporter;

impl Exporter for HttpExporter {
    fn export(&self, line: &str) {
        let c = reqwest::blocking::Client::new(); //~ client_per_call
        c.post("http://collector").body(line.to_string()).send().unwrap().text().unwrap();
    }
}

fn export_all(exporter: &HttpExporter, lines: &[String]) {
    for l in lines {
        exporter.export(l);
    }
}
