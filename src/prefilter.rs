//! Which files need the full walk. A file that names nothing from the catalog
//! (no catalog crate, no local alias, field, struct, function or macro whose
//! type or body involves a catalog type) and no function on a path to a
//! construction cannot add a finding or a call edge that matters, so it is
//! not walked.
//!
//! The decision is made in rounds: round 1 walks files that mention a seed
//! name; each later round walks the files that mention a function the walked
//! facts put on a path to a construction or a response, until nothing new is
//! named. Names are matched as substrings of the text (an over-approximation):
//! the prefilter may walk a file for nothing, never skip one that matters.
//! `Options::prefilter = false` walks everything; the test suite checks both
//! give the same findings.

use std::collections::{BTreeSet, HashMap};

use aho_corasick::AhoCorasick;

use crate::catalog::{Catalog, split_path};
use crate::facts::{Callee, FileFacts};
use crate::index::WorkspaceIndex;

/// Names whose mention makes a file worth walking in round 1.
pub fn seeds(index: &WorkspaceIndex, catalog: &Catalog) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    // The crates that build clients or hand back responses (not the web
    // frameworks: a handler matters only if it builds or calls something).
    let mut heads: BTreeSet<String> = BTreeSet::new();
    for path in catalog.all_paths() {
        if let Some(first) = split_path(&path).into_iter().find(|s| s != "**") {
            // `aws_sdk_*` matches by its literal prefix, `*_client` by its suffix.
            let literal: String = first
                .split('*')
                .max_by_key(|p| p.len())
                .unwrap_or_default()
                .to_string();
            if literal.len() >= 3 {
                heads.insert(literal);
            }
        }
    }
    out.extend(heads.iter().cloned());
    let touches_catalog = |path: &[String]| path.first().is_some_and(|f| heads.contains(f));
    for module in 0..index.modules.len() {
        let scope = index.scope_of(module);
        for (alias, target) in &scope.uses {
            let resolved = index.resolve(module, target, catalog).path;
            if touches_catalog(&resolved) {
                out.insert(alias.clone());
            }
        }
        for (alias, ty) in &scope.type_aliases {
            if ty.all.iter().any(|p| {
                let r = index.resolve(module, p, catalog).path;
                touches_catalog(&r)
            }) {
                out.insert(alias.clone());
            }
        }
        for (name, text) in &scope.macros {
            if heads.iter().any(|h| text.contains(h.as_str())) {
                out.insert(name.clone());
            }
        }
    }
    for (key, st) in &index.structs {
        for (field, ty) in &st.fields {
            if touches_catalog(ty) {
                out.insert(field.clone());
                if let Some(name) = key.rsplit("::").next() {
                    out.insert(name.to_string());
                }
            }
        }
    }
    // `static CLIENT: LazyLock<reqwest::Client>`: its users send requests.
    for (key, ty) in &index.statics {
        if touches_catalog(ty)
            && let Some(name) = key.rsplit("::").next()
        {
            out.insert(name.to_string());
        }
    }
    for d in &index.fn_decls {
        if d.ret.as_ref().is_some_and(|r| touches_catalog(r)) {
            out.insert(d.sig.name.clone());
        }
    }
    // Tuple fields (`0`) and one- or two-letter names would match everything.
    out.retain(|n| n.len() >= 3 && n.starts_with(|c: char| c.is_alphabetic() || c == '_'));
    out
}

/// Function names that lead to a construction or a response in the walked facts.
pub fn relevant_names(facts: &[&FileFacts]) -> BTreeSet<String> {
    let mut keys: BTreeSet<&str> = BTreeSet::new();
    for f in facts.iter().flat_map(|f| f.fns.iter()) {
        if !f.responses.is_empty()
            || f.calls
                .iter()
                .any(|c| matches!(c.callee, Callee::Catalog { .. }))
        {
            keys.insert(f.key.as_str());
        }
    }
    // Callers of each function key, then breadth-first from the relevant
    // ones: each function is looked at once, however long the call chain.
    let mut callers: HashMap<&str, Vec<&str>> = HashMap::new();
    for f in facts.iter().flat_map(|f| f.fns.iter()) {
        for c in &f.calls {
            if let Callee::Crate(ks) = &c.callee {
                for k in ks {
                    callers.entry(k.as_str()).or_default().push(f.key.as_str());
                }
            }
        }
    }
    let mut queue: Vec<&str> = keys.iter().copied().collect();
    while let Some(k) = queue.pop() {
        for &caller in callers.get(k).into_iter().flatten() {
            if keys.insert(caller) {
                queue.push(caller);
            }
        }
    }
    keys.iter()
        .filter_map(|k| k.rsplit("::").next())
        .map(str::to_string)
        .collect()
}

/// The files (indexes into `texts`) that mention any of `names` as a whole
/// identifier (`Path` does not match `PathBuf`). Names with a wildcard part
/// (`aws_sdk_`, `_client`) match as prefixes or suffixes.
pub fn mentioning<'a>(
    names: &BTreeSet<String>,
    texts: impl Iterator<Item = (usize, &'a str)>,
) -> Vec<usize> {
    if names.is_empty() {
        return Vec::new();
    }
    let Ok(matcher) = AhoCorasick::new(names) else {
        return texts.map(|(i, _)| i).collect();
    };
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
    texts
        .filter(|(_, t)| {
            let bytes = t.as_bytes();
            matcher.find_overlapping_iter(*t).any(|m| {
                let name = names_pattern(names, m.pattern().as_usize());
                let open_start = name.starts_with('_');
                let open_end = name.ends_with('_');
                let before_ok = open_start || m.start() == 0 || !ident(bytes[m.start() - 1]);
                let after_ok = open_end || m.end() >= bytes.len() || !ident(bytes[m.end()]);
                before_ok && after_ok
            })
        })
        .map(|(i, _)| i)
        .collect()
}

fn names_pattern(names: &BTreeSet<String>, index: usize) -> &str {
    names
        .iter()
        .nth(index)
        .map(String::as_str)
        .unwrap_or_default()
}
