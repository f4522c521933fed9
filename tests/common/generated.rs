//! A generated five-package workspace for the pipeline tests: a library
//! with client wrappers, a service that calls them from handlers and loops,
//! an unrelated tool package whose names collide with the library's, a
//! helper library with no catalog dependency that the library uses (a
//! generic retry loop), and a web package with no catalog dependency in its
//! closure (handlers, the library's names called on receivers of unknown
//! type), which the prefilter skips unread.
//! Most files are filler that names the catalog only in comments and strings,
//! which the prefilter must skip without changing a finding.

use std::path::Path;

use super::write;

const WORKSPACE: &str =
    "[workspace]\nmembers = [\"core\", \"api\", \"tools\", \"util\", \"web\"]\nresolver = \"2\"\n";

fn manifest(name: &str, deps: &str) -> String {
    format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n{deps}"
    )
}

/// A module that names reqwest, hyper and `fetch_status` only in comments
/// and strings, with some ordinary code.
pub fn filler(i: usize) -> String {
    format!(
        r#"//! Filler {i}: see the reqwest and hyper docs, and `fetch_status`.

/// Talks to http://redis.example/{i} in production (reqwest::Client).
pub struct Row{i} {{
    pub id: u64,
    pub label: String,
}}

impl Row{i} {{
    /* a block comment naming reqwest::Client::new() and make_client() */
    pub fn describe(&self) -> String {{
        let url = "https://reqwest.example/fetch_status?x=1";
        let c = 'r';
        format!("{{}} {{}} {{url}} {{c}}", self.id, self.label)
    }}

    pub fn total(&self, xs: &[u64]) -> u64 {{
        xs.iter().filter(|x| **x % {k} == 0).map(|x| x + self.id).sum()
    }}
}}
"#,
        k = i % 7 + 2
    )
}

/// Writes the workspace under `dir` with `fillers` filler modules per package.
pub fn workspace(dir: &Path, fillers: usize) {
    write(dir, "Cargo.toml", WORKSPACE);
    write(
        dir,
        "core/Cargo.toml",
        manifest(
            "core",
            "reqwest = \"0.12\"\nutil = { path = \"../util\" }\n",
        ),
    );
    write(dir, "util/Cargo.toml", manifest("util", "serde = \"1\"\n"));
    write(
        dir,
        "web/Cargo.toml",
        manifest(
            "web",
            "util = { path = \"../util\" }\naxum = \"0.8\"\nserde = \"1\"\n",
        ),
    );
    write(
        dir,
        "api/Cargo.toml",
        manifest(
            "api",
            "core = { path = \"../core\" }\naxum = \"0.8\"\ntokio = \"1\"\n",
        ),
    );
    write(dir, "tools/Cargo.toml", manifest("tools", "ureq = \"2\"\n"));
    let mods = |prefix: &str| -> String {
        (0..fillers)
            .map(|i| format!("pub mod {prefix}{i};\n"))
            .collect()
    };
    write(
        dir,
        "core/src/lib.rs",
        format!("pub mod net;\npub mod shared;\n{}", mods("row")),
    );
    write(
        dir,
        "core/src/net.rs",
        r#"use reqwest::Client;

/// A new client on every call.
pub fn make_client() -> Client {
    Client::builder().build().unwrap()
}

/// A client per attempt, through a helper of another package.
pub fn retrying_client() -> Option<Client> {
    util::attempts(3, || Some(make_client()))
}

pub async fn fetch_status(url: &str) -> u16 {
    let client = make_client();
    let resp = client.get(url).send().await.unwrap();
    resp.status().as_u16()
}

pub struct Api {
    pub http: Client,
}

impl Api {
    pub async fn ping(&self, url: &str) -> bool {
        let resp = self.http.get(url).send().await.unwrap();
        if !resp.status().is_success() {
            return false;
        }
        resp.text().await.is_ok()
    }
}
"#,
    );
    write(
        dir,
        "core/src/shared.rs",
        "pub static SHARED: std::sync::LazyLock<reqwest::Client> = std::sync::LazyLock::new(reqwest::Client::new);\n\npub fn shared() -> &'static reqwest::Client {\n    &SHARED\n}\n",
    );
    write(
        dir,
        "api/src/main.rs",
        format!(
            r#"use axum::{{routing::get, Router}};
use core::net::{{fetch_status, Api}};

{}
async fn health() -> String {{
    let mut codes = Vec::new();
    for url in ["http://a", "http://b", "http://c", "http://d"] {{
        codes.push(fetch_status(url).await);
    }}
    format!("{{codes:?}}")
}}

async fn ping(api: Api) -> bool {{
    api.ping("http://svc").await
}}

pub async fn poll(urls: Vec<String>) {{
    for url in urls {{
        let _ = core::shared::shared().get(&url).send().await;
        let _ = rows::helper(&url);
    }}
}}

#[tokio::main]
async fn main() {{
    let app: Router = Router::new().route("/health", get(health));
    let _ = (app, ping);
}}
"#,
            mods("row").replace("pub mod row", "mod row") + "mod rows;\n"
        ),
    );
    write(
        dir,
        "api/src/rows.rs",
        "pub fn helper(url: &str) -> usize {\n    url.len()\n}\n",
    );
    write(
        dir,
        "tools/src/lib.rs",
        format!(
            r#"{}
/// Same name as core's, no relation.
pub fn fetch_status(code: u16) -> bool {{
    code < 400
}}

pub fn check_all(urls: &[&str]) -> usize {{
    let mut ok = 0;
    for url in urls {{
        let agent = ureq::AgentBuilder::new().build();
        if agent.get(url).call().is_ok() {{
            ok += 1;
        }}
    }}
    ok
}}
"#,
            mods("row")
        ),
    );
    write(
        dir,
        "util/src/lib.rs",
        r#"/// Calls `f` until it gives a value, at most `n` times.
pub fn attempts<T>(n: usize, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    for _ in 0..n {
        if let Some(v) = f() {
            return Some(v);
        }
    }
    None
}
"#,
    );
    write(
        dir,
        "web/src/lib.rs",
        format!(
            r#"{}
use axum::extract::State;

/// A handler that names the library's functions on receivers of unknown
/// type: the library is in no build with this package.
pub async fn status<S: Probe>(State(s): State<S>) -> String {{
    let code = s.fetch_status("http://svc");
    let up = util::attempts(2, || s.ping());
    format!("{{code}} {{up:?}}")
}}

pub trait Probe {{
    fn fetch_status(&self, url: &str) -> u16;
    fn ping(&self) -> Option<bool>;
}}
"#,
            mods("row")
        ),
    );
    for package in ["core", "api", "tools", "web"] {
        for i in 0..fillers {
            write(dir, &format!("{package}/src/row{i}.rs"), filler(i));
        }
    }
}
