pub struct Client {
    pub retries: u32,
}

impl Client {
    pub fn new() -> Client {
        Client { retries: 3 }
    }
}
