/// Named as its crate, like `anyhow::anyhow` or `async_trait::async_trait`.
pub fn netkit() -> &'static str {
    "netkit"
}

pub fn client() -> reqwest::Client {
    reqwest::Client::new()
}
