use std::collections::{BTreeMap, BTreeSet};
fn main() {
    let heads: Vec<String> = std::env::args().skip(2).collect();
    let root = std::env::args().nth(1).unwrap();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut only: BTreeMap<String, usize> = BTreeMap::new();
    let mut any = 0;
    for e in walkdir::WalkDir::new(root).into_iter().flatten() {
        if e.path().extension().is_some_and(|x| x == "rs") {
            let Ok(t) = std::fs::read(e.path()) else { continue };
            let ids: BTreeSet<&[u8]> = connlint::prefilter::identifiers(&t).collect();
            let hit: Vec<&String> = heads.iter().filter(|h| ids.contains(h.as_bytes())).collect();
            for h in &hit { *counts.entry(h.to_string()).or_default() += 1; }
            if hit.len() == 1 { *only.entry(hit[0].clone()).or_default() += 1; }
            if !hit.is_empty() { any += 1; }
        }
    }
    let mut v: Vec<_> = counts.into_iter().collect();
    v.sort_by_key(|x| std::cmp::Reverse(x.1));
    for (h, c) in v.iter().take(25) { println!("{h}: {c} (only {})", only.get(h).unwrap_or(&0)); }
    println!("any: {any}");
}
