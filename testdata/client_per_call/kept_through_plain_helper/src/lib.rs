// A client handed to a worker through a helper is the worker's to keep: a new
// one per request is no leak here (isahc hands each curl handle to its agent
// thread this way). The helpers in `worker.rs` name no client type, so the
// prefilter must walk them all the same to see what they do with their
// argument: `hand_over` keeps it, `discard` drops it.
mod worker;

use std::sync::mpsc::Sender;

type Handle = reqwest::blocking::Client;

pub enum Message {
    Execute(Handle),
}

pub struct Agent {
    tx: Sender<Message>,
}

impl Agent {
    fn submit(&self, handle: Handle) {
        worker::hand_over(&self.tx, Message::Execute(handle));
    }

    fn create(&self) -> Handle {
        reqwest::blocking::Client::new()
    }

    pub fn invoke(&self) {
        let handle = self.create();
        self.submit(handle);
    }
}

pub fn serve(agent: &Agent, requests: &[u32]) {
    for _ in requests {
        agent.invoke();
    }
}

// The same shape, but the helper drops what it is handed: a new client per
// request, reported.
pub struct Dropper;

impl Dropper {
    fn submit(&self, handle: Handle) {
        worker::discard(Message::Execute(handle));
    }

    fn create(&self) -> Handle {
        reqwest::blocking::Client::new()
    }

    pub fn invoke(&self) {
        let handle = self.create(); //~ client_per_call
        self.submit(handle);
    }
}

pub fn serve_dropping(dropper: &Dropper, requests: &[u32]) {
    for _ in requests {
        dropper.invoke();
    }
}
