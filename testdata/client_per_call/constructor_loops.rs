// A constructor (an associated function that returns `Self`) that loops over
// its configuration builds one part per configured item, once per
// construction: the loop is not per item of work (found on a multi-level
// cache built from its configuration, one token fetch per level).
pub struct LevelConfig {
    pub token_url: String,
}

pub struct Level {
    token: String,
}

pub struct Storage {
    levels: Vec<Level>,
}

fn fetch_token(url: &str) -> Result<String, reqwest::Error> {
    let c = reqwest::blocking::Client::new(); //~? client_per_call
    c.get(url).send()?.text()
}

fn build_level(cfg: &LevelConfig) -> Result<Level, reqwest::Error> {
    Ok(Level { token: fetch_token(&cfg.token_url)? })
}

impl Storage {
    pub fn from_config(levels: &[LevelConfig]) -> Result<Option<Self>, reqwest::Error> {
        if levels.is_empty() {
            return Ok(None);
        }
        let mut built = Vec::new();
        for cfg in levels {
            built.push(build_level(cfg)?);
        }
        Ok(Some(Self { levels: built }))
    }

    pub fn tokens(&self) -> usize {
        self.levels.iter().map(|l| l.token.len()).sum()
    }
}

// True case beside it: a method that loops over work items on every call.
fn upload(url: &str, body: String) -> Result<String, reqwest::Error> {
    let c = reqwest::blocking::Client::new(); //~ client_per_call
    c.post(url).body(body).send()?.text()
}

impl Storage {
    pub fn put_all(&self, url: &str, entries: Vec<String>) -> Result<(), reqwest::Error> {
        for e in entries {
            upload(url, e)?;
        }
        Ok(())
    }
}
