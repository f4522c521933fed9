//! Suppression comments: `// connlint: allow(lint, ..) reason`.
//!
//! - at the end of a line, it covers that line;
//! - alone on a line, it covers the next line of code, or, when that line
//!   starts an item (`fn`, `impl`, `mod`, `struct`, ... after its
//!   attributes), the whole item;
//! - `//! connlint: allow(..)` or `// connlint: allow-file(..)` covers the file.
//!
//! Each suppression counts the findings it silences (pedantic-only ones
//! included, so switching levels does not make it unused). What silences
//! nothing is `unused_suppression`; an unknown lint name, a malformed
//! comment, a missing reason under `--require-reasons` and a
//! `#[allow(connlint::..)]` attribute (rustc rejects the unknown tool) are
//! `invalid_suppression`.

mod findings;
mod scan;

use std::ops::Range;

use crate::lints;
use crate::source::{FileId, SourceFile};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Line,
    Item,
    File,
}

#[derive(Debug, Clone)]
pub struct Suppression {
    /// The comment, from `//` to the end of its line.
    pub comment: Range<usize>,
    /// The names as written (`client_in_loop`, `connlint::client_in_loop`,
    /// `all`), with their byte ranges and how many findings each silenced.
    pub names: Vec<Name>,
    pub reason: Option<String>,
    pub scope: Scope,
    /// The bytes it covers.
    pub covers: Range<usize>,
    /// Alone on its line (removing it removes the line).
    pub own_line: bool,
    /// Inside test code.
    pub in_test: bool,
}

#[derive(Debug, Clone)]
pub struct Name {
    pub text: String,
    pub span: Range<usize>,
    pub count: usize,
}

impl Name {
    fn lint(&self) -> Option<&'static str> {
        lints::find(&self.text).map(|l| l.name)
    }

    fn matches(&self, lint: &str) -> bool {
        self.text == "all" || self.lint() == Some(lint)
    }
}

/// The suppressions of one file and what else the scan found.
#[derive(Debug, Default)]
pub struct FileSuppressions {
    pub file: FileId,
    pub list: Vec<Suppression>,
    /// Comments that start `connlint:` but do not parse, with the reason.
    malformed: Vec<(Range<usize>, String)>,
    tool_attributes: Vec<Range<usize>>,
}

const MARK: &str = "connlint:";

/// Reads the suppressions of a file (cheap when the file never says `connlint`).
pub fn read(file: FileId, source: &SourceFile) -> FileSuppressions {
    let mut out = FileSuppressions {
        file,
        ..FileSuppressions::default()
    };
    let text = &source.text;
    if !text.contains("connlint") {
        return out;
    }
    let found = scan::scan(text);
    out.tool_attributes = found.tool_attributes;
    for comment in found.comments {
        let body = &text[comment.clone()];
        let after_slashes = body.trim_start_matches('/');
        let inner_doc = body.starts_with("//!");
        let trimmed = after_slashes.trim_start_matches('!').trim_start();
        let Some(rest) = trimmed.strip_prefix(MARK) else {
            continue;
        };
        let rest_at = comment.end - rest.len();
        match parse_comment(rest, rest_at) {
            Ok((file_wide, names, reason)) => {
                let line_start = text[..comment.start].rfind('\n').map_or(0, |n| n + 1);
                let own_line = text[line_start..comment.start].trim().is_empty();
                let (scope, covers) = if file_wide || inner_doc {
                    (Scope::File, 0..text.len())
                } else if own_line {
                    let next = scan::skip_trivia_and_attributes(text, comment.end);
                    let next_line = text[..next].rfind('\n').map_or(0, |n| n + 1);
                    if scan::starts_item(text, next) {
                        (Scope::Item, next_line..scan::item_end(text, next))
                    } else {
                        let end = text[next..].find('\n').map_or(text.len(), |n| next + n);
                        (Scope::Line, next_line..end)
                    }
                } else {
                    (Scope::Line, line_start..comment.end)
                };
                let in_test = found
                    .test_regions
                    .iter()
                    .any(|r| r.contains(&comment.start));
                out.list.push(Suppression {
                    comment: comment.clone(),
                    names,
                    reason,
                    scope,
                    covers,
                    own_line,
                    in_test,
                });
            }
            Err(why) => out.malformed.push((comment, why)),
        }
    }
    out
}

type Parsed = (bool, Vec<Name>, Option<String>);

/// `allow(a, b) reason` or `allow-file(a) reason`; `at` is the byte offset of `rest`.
fn parse_comment(rest: &str, at: usize) -> Result<Parsed, String> {
    let body = rest.trim_start();
    let at = at + (rest.len() - body.len());
    let (file_wide, open) = if let Some(b) = body.strip_prefix("allow-file(") {
        (true, body.len() - b.len())
    } else if let Some(b) = body.strip_prefix("allow(") {
        (false, body.len() - b.len())
    } else {
        return Err(
            "expected `allow(lint, ..)` or `allow-file(lint, ..)` after `connlint:`".into(),
        );
    };
    let Some(close) = body[open..].find(')').map(|c| open + c) else {
        return Err("the list of lints has no closing `)`".into());
    };
    let mut names = Vec::new();
    let mut offset = open;
    for part in body[open..close].split(',') {
        let name = part.trim();
        let start = offset + (part.len() - part.trim_start().len());
        offset += part.len() + 1;
        if !name.is_empty() {
            names.push(Name {
                text: name.to_string(),
                span: at + start..at + start + name.len(),
                count: 0,
            });
        }
    }
    if names.is_empty() {
        return Err("the list of lints is empty".into());
    }
    let reason = body[close + 1..]
        .trim()
        .trim_start_matches(['-', ':', '—'])
        .trim();
    Ok((
        file_wide,
        names,
        (!reason.is_empty()).then(|| reason.to_string()),
    ))
}

impl FileSuppressions {
    /// Whether a finding of `lint` starting at byte `at` is silenced; counts it
    /// on the narrowest suppression that covers it.
    pub fn silence(&mut self, lint: &str, at: usize) -> bool {
        let best = self
            .list
            .iter_mut()
            .filter(|s| s.covers.contains(&at) || (s.covers.is_empty() && s.covers.start == at))
            .filter_map(|s| {
                let width = s.covers.len();
                s.names
                    .iter_mut()
                    .find(|n| n.matches(lint))
                    .map(|n| (width, n))
            })
            .min_by_key(|(width, _)| *width);
        match best {
            Some((_, name)) => {
                name.count += 1;
                true
            }
            None => false,
        }
    }

    /// Findings silenced in this file.
    pub fn silenced(&self) -> usize {
        self.list
            .iter()
            .flat_map(|s| &s.names)
            .map(|n| n.count)
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("a.rs".into(), "a.rs".into(), text.into())
    }

    fn at(text: &str, needle: &str) -> usize {
        text.find(needle).unwrap_or(usize::MAX)
    }

    #[test]
    fn scopes_line_item_and_file() {
        let text = "fn a() {\n    let x = f(); // connlint: allow(client_in_loop) trailing\n    // connlint: allow(client_per_call)\n\n    let y = g();\n    let z = h();\n}\n// connlint: allow(unread_response_body) whole item\n#[inline]\nfn b() {\n    one();\n    two();\n}\nfn c() { three(); }\n";
        let source = file(text);
        let mut s = read(0, &source);
        assert_eq!(s.list.len(), 3);
        assert_eq!(s.list[0].scope, Scope::Line);
        assert_eq!(s.list[0].reason.as_deref(), Some("trailing"));
        assert!(s.silence("client_in_loop", at(text, "f()")));
        assert!(!s.silence("client_in_loop", at(text, "g()")));
        assert!(
            s.silence("client_per_call", at(text, "g()")),
            "the next line of code"
        );
        assert!(!s.silence("client_per_call", at(text, "h()")));
        assert_eq!(s.list[2].scope, Scope::Item);
        assert!(s.silence("unread_response_body", at(text, "two()")));
        assert!(!s.silence("unread_response_body", at(text, "three()")));
        assert_eq!(s.silenced(), 3);
        assert!(s.report(&source, false, false).is_empty());

        let text =
            "//! connlint: allow(connlint::client_in_loop)\nfn a() { f(); }\nfn b() { g(); }\n";
        let mut s = read(0, &file(text));
        assert_eq!(s.list[0].scope, Scope::File);
        assert!(s.silence("client_in_loop", at(text, "g()")));
        let text = "fn a() { f(); }\n// connlint: allow-file(all) generated\n";
        let mut s = read(0, &file(text));
        assert!(s.silence("unread_response_body", at(text, "f()")));
    }

    #[test]
    fn unused_unknown_malformed_and_reasons() {
        let text = "fn a() {\n    // connlint: allow(client_in_loop, client_in_handlr) ok\n    f();\n    g(); // connlint: allow(client_per_call)\n    // connlint: alow(client_in_loop)\n}\n#[allow(connlint::client_in_loop)]\nfn b() {}\n#[cfg(test)]\nmod tests {\n    // connlint: allow(client_in_loop) test code\n    fn t() {}\n}\n";
        let source = file(text);
        let mut s = read(0, &source);
        assert!(s.silence("client_in_loop", at(text, "f()")));
        let report = s.report(&source, true, false);
        let messages: Vec<(&str, &str)> = report
            .iter()
            .map(|d| (d.lint, d.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            [
                (
                    "invalid_suppression",
                    "malformed suppression: expected `allow(lint, ..)` or `allow-file(lint, ..)` after `connlint:`"
                ),
                (
                    "invalid_suppression",
                    "`connlint::` lint attributes break the build"
                ),
                (
                    "invalid_suppression",
                    "unknown lint `client_in_handlr` in a suppression"
                ),
                ("invalid_suppression", "suppression without a reason"),
                ("unused_suppression", "unused suppression"),
            ],
            "the test-code suppression is not reported without --include-tests"
        );
        let unknown = &report[2];
        let fix = unknown.helps[0]
            .suggestion
            .as_ref()
            .map(|s| s.edits[0].replacement.as_str());
        assert_eq!(fix, Some("client_in_handler"));
        let removal = report[4].helps[0]
            .suggestion
            .as_ref()
            .map(|s| s.edits[0].span.clone());
        let removal = removal.unwrap_or_default();
        assert_eq!(&text[removal], " // connlint: allow(client_per_call)");
        assert_eq!(
            s.report(&source, false, true).len(),
            5,
            "test code with --include-tests"
        );
    }

    #[test]
    fn comments_in_strings_do_not_count() {
        let text = "fn a() {\n    let s = \"// connlint: allow(client_in_loop)\";\n}\n";
        assert!(read(0, &file(text)).list.is_empty());
    }
}
