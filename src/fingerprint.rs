//! Fingerprints: a key per finding that stays the same when lines move.
//!
//! The key hashes the lint, the file's path, the function the finding is in
//! (block offsets removed), the source text of the primary span with all
//! whitespace removed, and the number of earlier findings in the same file
//! with the same four parts. Line numbers and columns are not part of it, so
//! inserting or removing lines elsewhere, or reindenting, keeps every key.
//!
//! Invariant: the hash is FNV-1a 64, spelled out here, so keys do not change
//! with the Rust version (std's `DefaultHasher` may).

use std::collections::HashMap;

use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

/// The version prefix of the keys; a change of what is hashed bumps it.
pub const VERSION: &str = "connlint/v1";

/// Source text of a span taken into the key, at most (chars, whitespace removed).
const SPAN_TEXT: usize = 240;

/// One fingerprint per diagnostic, in the same order.
pub fn fingerprints(diagnostics: &[Diagnostic], files: &[SourceFile]) -> Vec<String> {
    let mut seen: HashMap<u64, usize> = HashMap::new();
    diagnostics
        .iter()
        .map(|d| {
            let base = base_hash(d, files);
            let occurrence = seen.entry(base).or_insert(0);
            let key = fnv1a(&[&base.to_le_bytes(), &occurrence.to_le_bytes()]);
            *occurrence += 1;
            format!("{key:016x}")
        })
        .collect()
}

/// The function path with the byte offsets of inner blocks dropped
/// (`f::{block@120}::g` becomes `f::{block}::g`).
pub fn stable_item(item: &str) -> String {
    let mut out = String::with_capacity(item.len());
    let mut rest = item;
    while let Some(at) = rest.find("{block@") {
        out.push_str(&rest[..at]);
        out.push_str("{block}");
        rest = &rest[at..];
        rest = rest.find('}').map_or("", |end| &rest[end + 1..]);
    }
    out.push_str(rest);
    out
}

fn base_hash(d: &Diagnostic, files: &[SourceFile]) -> u64 {
    let (path, text) = match files.get(d.primary.file) {
        Some(f) => {
            let text: String = f
                .snippet(d.primary.span.clone())
                .chars()
                .filter(|c| !c.is_whitespace())
                .take(SPAN_TEXT)
                .collect();
            (f.name.as_str(), text)
        }
        None => ("", d.message.clone()),
    };
    let item = stable_item(d.item.as_deref().unwrap_or(""));
    fnv1a(&[
        d.lint.as_bytes(),
        path.as_bytes(),
        item.as_bytes(),
        text.as_bytes(),
    ])
}

/// FNV-1a over the parts, each followed by a 0xff separator (not valid UTF-8,
/// so no two part lists hash the same bytes).
fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in part.iter().chain(&[0xff]) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Level;

    fn finding(text: &str, needle: &str, item: &str) -> (Diagnostic, SourceFile) {
        let at = text.find(needle).unwrap_or(0);
        let file = SourceFile::new("src/a.rs".into(), "src/a.rs".into(), text.into());
        let d = Diagnostic::new(
            "client_in_loop",
            Level::Warning,
            "m",
            0,
            at..at + needle.len(),
            "",
        )
        .in_item(item);
        (d, file)
    }

    #[test]
    fn keys_survive_moved_lines_and_reindenting() {
        let call = "reqwest::Client::new()";
        let a = finding(&format!("fn f() {{\n    {call};\n}}\n"), call, "k::f");
        let b = finding(
            &format!("// new\n\nfn f() {{\n        {call};\n}}\n"),
            call,
            "k::{block@10}::f",
        );
        let c = finding(
            &format!("fn f() {{\n    {call};\n}}\n"),
            call,
            "k::{block@99}::f",
        );
        let key = |(d, f): &(Diagnostic, SourceFile)| {
            fingerprints(std::slice::from_ref(d), std::slice::from_ref(f))
        };
        assert_eq!(key(&b), key(&c));
        assert_ne!(key(&a), key(&b), "the enclosing item counts");
    }

    #[test]
    fn identical_findings_are_numbered() {
        let text = "fn f() {\n    x();\n    x();\n}\n";
        let file = SourceFile::new("a.rs".into(), "a.rs".into(), text.into());
        let first = text.find("x()").unwrap_or(0);
        let second = text.rfind("x()").unwrap_or(0);
        let d = |at: usize| {
            Diagnostic::new("client_in_loop", Level::Warning, "m", 0, at..at + 3, "").in_item("f")
        };
        let keys = fingerprints(&[d(first), d(second)], std::slice::from_ref(&file));
        assert_eq!(keys.len(), 2);
        assert_ne!(keys[0], keys[1]);
        assert!(keys.iter().all(|k| k.len() == 16));
    }

    #[test]
    fn block_offsets_are_dropped() {
        assert_eq!(
            stable_item("a::{block@12}::b::{block@7}::c"),
            "a::{block}::b::{block}::c"
        );
        assert_eq!(stable_item("a::b"), "a::b");
    }
}
