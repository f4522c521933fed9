//! The findings about suppressions themselves: `unused_suppression` and
//! `invalid_suppression` (unknown lint, malformed comment, missing reason,
//! `#[allow(connlint::..)]` attribute).

use crate::diagnostic::{Applicability, Diagnostic, Edit, Level, Suggestion};
use crate::lints::{self, INVALID_SUPPRESSION, UNUSED_SUPPRESSION};
use crate::source::{FileId, SourceFile};

use super::{FileSuppressions, Name, Scope, Suppression};

impl FileSuppressions {
    /// The unused and invalid suppressions, as diagnostics (level `Warning`;
    /// the caller applies the configured levels).
    pub fn report(
        &self,
        source: &SourceFile,
        require_reasons: bool,
        include_tests: bool,
    ) -> Vec<Diagnostic> {
        let file = self.file;
        let mut out = Vec::new();
        for (span, why) in &self.malformed {
            out.push(
                Diagnostic::new(
                    INVALID_SUPPRESSION,
                    Level::Warning,
                    format!("malformed suppression: {why}"),
                    file,
                    span.clone(),
                    "connlint does not read this comment",
                )
                .with_help("write `// connlint: allow(lint_name) reason`", None),
            );
        }
        for span in &self.tool_attributes {
            out.push(
                Diagnostic::new(
                    INVALID_SUPPRESSION,
                    Level::Warning,
                    "`connlint::` lint attributes break the build",
                    file,
                    span.clone(),
                    "rustc rejects the unknown tool `connlint` (E0710)",
                )
                .with_note("only `clippy`, `rustdoc` and `rustfmt` lints can be named in `#[allow(..)]` on stable Rust; `#![register_tool]` is nightly-only")
                .with_help("use a comment instead: `// connlint: allow(lint_name) reason` on or above the line, or above the item", None),
            );
        }
        for s in &self.list {
            for name in s
                .names
                .iter()
                .filter(|n| n.text != "all" && n.lint().is_none())
            {
                out.push(unknown_name(file, name));
            }
            if require_reasons && s.reason.is_none() {
                out.push(
                    Diagnostic::new(
                        INVALID_SUPPRESSION,
                        Level::Warning,
                        "suppression without a reason",
                        file,
                        s.comment.clone(),
                        "say why the finding is acceptable here",
                    )
                    .with_note("`--require-reasons` (config `require_reasons = true`) asks every suppression for a reason")
                    .with_help("add the reason after the list: `// connlint: allow(client_in_loop) one client per tenant certificate`", None),
                );
            }
            if s.in_test && !include_tests {
                continue;
            }
            out.extend(self.unused(source, s));
        }
        out
    }

    fn unused(&self, source: &SourceFile, s: &Suppression) -> Vec<Diagnostic> {
        let known: Vec<&Name> = s
            .names
            .iter()
            .filter(|n| n.text == "all" || n.lint().is_some())
            .collect();
        let unused: Vec<&Name> = known.iter().copied().filter(|n| n.count == 0).collect();
        let scope = match s.scope {
            Scope::Line => "on the line it covers",
            Scope::Item => "in the item it covers",
            Scope::File => "in this file",
        };
        if !unused.is_empty() && unused.len() == s.names.len() {
            let names: Vec<String> = unused.iter().map(|n| format!("`{}`", n.text)).collect();
            let removal = if s.own_line {
                let start = source.line_start(source.line_index(s.comment.start));
                start..(s.comment.end + 1).min(source.text.len())
            } else {
                let before = source.text[..s.comment.start].trim_end().len();
                before..s.comment.end
            };
            return vec![
                Diagnostic::new(
                    UNUSED_SUPPRESSION,
                    Level::Warning,
                    "unused suppression",
                    self.file,
                    s.comment.clone(),
                    format!("no {} finding {scope}", names.join(" or ")),
                )
                .with_help(
                    "remove the comment",
                    Some(Suggestion {
                        edits: vec![Edit {
                            file: self.file,
                            span: removal,
                            replacement: String::new(),
                        }],
                        applicability: Applicability::MachineApplicable,
                    }),
                ),
            ];
        }
        unused
            .into_iter()
            .map(|n| {
                Diagnostic::new(
                    UNUSED_SUPPRESSION,
                    Level::Warning,
                    format!("unused suppression of `{}`", n.text),
                    self.file,
                    n.span.clone(),
                    format!("no `{}` finding {scope}", n.text),
                )
                .with_help("remove this name from the list", None)
            })
            .collect()
    }
}

fn unknown_name(file: FileId, name: &Name) -> Diagnostic {
    let known: Vec<&str> = lints::LINTS.iter().map(|l| l.name).collect();
    let close = known
        .iter()
        .copied()
        .min_by_key(|k| edit_distance(k, &name.text))
        .filter(|k| edit_distance(k, &name.text) <= 3);
    let d = Diagnostic::new(
        INVALID_SUPPRESSION,
        Level::Warning,
        format!("unknown lint `{}` in a suppression", name.text),
        file,
        name.span.clone(),
        "no connlint lint has this name",
    );
    match close {
        Some(k) => d.with_help(
            format!("a lint with a similar name exists: `{k}`"),
            Some(Suggestion {
                edits: vec![Edit {
                    file,
                    span: name.span.clone(),
                    replacement: k.to_string(),
                }],
                applicability: Applicability::MaybeIncorrect,
            }),
        ),
        None => d.with_help(format!("the lints are {}", known.join(", ")), None),
    }
}

/// Levenshtein distance, for "a lint with a similar name".
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}
