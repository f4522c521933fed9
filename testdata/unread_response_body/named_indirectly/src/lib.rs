//! Files that reach reqwest without a path through `reqwest::` of their
//! own: the prefilter must still walk them (a field taken apart, a glob
//! import, a crate renamed by `use .. as`), while names like catalog crates
//! that are no paths into them (a field `http`, a variable `redis`) do not
//! make a file worth walking.
pub mod destructured;
pub mod glob;
pub mod renamed;
pub mod unrelated;

pub struct Api {
    pub client: reqwest::Client,
    pub base: String,
}

/// Public API: its users may call it per request.
pub async fn drain(api: &Api, jobs: Vec<String>) {
    for job in &jobs {
        let _ = destructured::remove(api, job).await;
    }
    glob::fetch_all(&jobs).await;
    renamed::fetch_all(&jobs).await;
    unrelated::describe();
}
