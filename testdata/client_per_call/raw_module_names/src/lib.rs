// A module named by a raw identifier lives in a file without the `r#`:
// `mod r#match;` is `match.rs`, `mod r#type;` is `type/mod.rs`. Both are
// read and checked like any other module (found on apollo-router).
mod r#match;
mod r#type;

pub async fn score_all(urls: Vec<String>) -> usize {
    let mut n = 0;
    for u in urls {
        n += r#match::score(&u).await;
        n += r#type::kind(&u).await.len();
    }
    n
}
