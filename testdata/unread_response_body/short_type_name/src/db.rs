// A type named in two letters, whose associated function hands out the
// shared client: the file that calls it names only `Db` and `shared`, so
// `shared` (a function returning a client) must count for it.
pub struct Db {
    inner: reqwest::Client,
}

static DB: std::sync::OnceLock<Db> = std::sync::OnceLock::new();

/// Called once at start-up by the program that embeds this module.
pub fn install(inner: reqwest::Client) {
    let _ = DB.set(Db { inner });
}

impl Db {
    pub fn shared() -> reqwest::Client {
        DB.get().expect("installed at start-up").inner.clone()
    }
}
