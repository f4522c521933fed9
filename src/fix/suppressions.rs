//! `--add-suppressions` (ruff's `--add-noqa`): one comment line
//! `// connlint: allow(lint) TODO: say why` above the line where each
//! reported finding starts, so that an existing code base can adopt
//! connlint and a rerun reports nothing.
//!
//! Invariant: only comments are added. A file whose tokens would change (a
//! line that starts inside a multi-line string literal) is left as it was.

use std::collections::BTreeMap;

use quote::ToTokens;

use crate::Analysis;
use crate::diagnostic::{Diagnostic, Level};
use crate::lints;

use super::Change;

/// The reason written into each comment, for the user to replace.
pub const REASON: &str = "TODO: say why";

/// The changes that add a suppression comment for every reported finding
/// (suppression findings themselves excepted), and the files left alone
/// because a comment would change their tokens.
pub fn add(analysis: &Analysis, findings: &[Diagnostic]) -> (Vec<Change>, Vec<String>) {
    // file -> line start -> lints, in order of first appearance.
    let mut lines: BTreeMap<usize, BTreeMap<usize, Vec<&'static str>>> = BTreeMap::new();
    for d in findings {
        if d.level < Level::Warning
            || lints::find(d.lint).is_none()
            || d.lint == lints::UNUSED_SUPPRESSION
            || d.lint == lints::INVALID_SUPPRESSION
        {
            continue;
        }
        let Some(file) = analysis.files.get(d.primary.file) else {
            continue;
        };
        let at = d.primary.span.start.min(file.text.len());
        let line_start = file.text[..at].rfind('\n').map_or(0, |n| n + 1);
        let names = lines
            .entry(d.primary.file)
            .or_default()
            .entry(line_start)
            .or_default();
        if !names.contains(&d.lint) {
            names.push(d.lint);
        }
    }
    let mut changes = Vec::new();
    let mut skipped = Vec::new();
    for (id, at_lines) in lines {
        let file = &analysis.files[id];
        let text = &file.text;
        let mut fixed = text.clone();
        for (&start, names) in at_lines.iter().rev() {
            let line = &text[start..];
            let indent: String = line
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            let eol = if line.split('\n').next().is_some_and(|l| l.ends_with('\r')) {
                "\r\n"
            } else {
                "\n"
            };
            let comment = format!(
                "{indent}// connlint: allow({}) {REASON}{eol}",
                names.join(", ")
            );
            fixed.insert_str(start, &comment);
        }
        if same_tokens(text, &fixed) {
            changes.push(Change {
                path: file.path.clone(),
                name: file.name.clone(),
                original: text.clone(),
                fixed,
            });
        } else {
            skipped.push(file.name.clone());
        }
    }
    (changes, skipped)
}

/// Both texts parse and have the same tokens: only comments differ.
fn same_tokens(a: &str, b: &str) -> bool {
    match (crate::parse_source(a), crate::parse_source(b)) {
        (Ok(a), Ok(b)) => a.to_token_stream().to_string() == b.to_token_stream().to_string(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_only() {
        assert!(same_tokens(
            "fn f() {\n    g();\n}\n",
            "fn f() {\n    // connlint: allow(x) y\n    g();\n}\n"
        ));
        assert!(!same_tokens(
            "fn f() {\n    let s = \"a\nb\";\n}\n",
            "fn f() {\n    let s = \"a\n// connlint: allow(x) y\nb\";\n}\n"
        ));
    }
}
