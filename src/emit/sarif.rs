//! SARIF 2.1.0 (`--message-format sarif`), for GitHub code scanning and other
//! SARIF viewers: one run, every lint as a rule with its documentation, one
//! result per finding with a repository-relative location, related
//! locations, connlint's own fingerprint and the machine-applicable fixes.
//! Problems with the input (parse errors, unreadable files) are tool
//! execution notifications, not results.

use std::collections::BTreeMap;
use std::ops::Range;

use serde_json::{Value, json};

use super::Report;
use crate::diagnostic::{Applicability, Diagnostic, Label, Level};
use crate::fingerprint;
use crate::lints::{self, Lint};
use crate::source::SourceFile;

pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// GitHub keeps this many results of a run (by severity) and drops the rest.
pub const GITHUB_RESULT_LIMIT: usize = 5000;
const SRCROOT: &str = "%SRCROOT%";
/// GitHub's limit for rule descriptions.
const DESCRIPTION_LIMIT: usize = 1024;

/// Where a lint's documentation page is published.
pub fn help_uri(lint: &str) -> String {
    format!("{}/blob/main/lints/{lint}.md", env!("CARGO_PKG_REPOSITORY"))
}

/// The whole SARIF log of a run.
pub fn render(report: &Report) -> String {
    let rules: Vec<Value> = lints::LINTS.iter().map(rule).collect();
    let results: Vec<Value> = report
        .findings()
        .map(|(i, d)| result(report, d, &report.fingerprints[i]))
        .collect();
    let notifications: Vec<Value> = report
        .diagnostics
        .iter()
        .filter(|d| lints::find(d.lint).is_none())
        .map(|d| notification(report, d))
        .collect();
    let root = file_uri(&report.repo_root.to_string_lossy());
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "connlint",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rules,
            }},
            "invocations": [{
                "executionSuccessful": notifications.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "unicodeCodePoints",
            "originalUriBaseIds": {SRCROOT: {"uri": format!("{}/", root.trim_end_matches('/'))}},
            "results": results,
        }],
    });
    let mut text = serde_json::to_string_pretty(&log).unwrap_or_default();
    text.push('\n');
    text
}

fn rule(lint: &Lint) -> Value {
    let doc = lints::doc(lint.name).unwrap_or(lint.summary);
    json!({
        "id": lint.name,
        "name": camel_case(lint.name),
        "shortDescription": {"text": lint.summary},
        "fullDescription": {"text": what_it_does(doc, lint.summary)},
        "help": {"text": doc, "markdown": doc},
        "helpUri": help_uri(lint.name),
        "defaultConfiguration": {"level": sarif_level(lint.default)},
        "properties": {
            "tags": ["performance", "reliability"],
            "precision": "high",
            "problem.severity": "warning",
        },
    })
}

/// The doc's `## What it does` section on one line, cut to GitHub's limit.
fn what_it_does(doc: &str, fallback: &str) -> String {
    let section = doc
        .split_once("## What it does")
        .map_or("", |(_, rest)| rest);
    let section = section.split("\n## ").next().unwrap_or("").trim();
    let text = if section.is_empty() {
        fallback
    } else {
        section
    };
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= DESCRIPTION_LIMIT {
        return text;
    }
    let cut: String = text.chars().take(DESCRIPTION_LIMIT - 3).collect();
    format!("{cut}...")
}

fn camel_case(name: &str) -> String {
    name.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

fn sarif_level(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Allow => "note",
    }
}

fn result(report: &Report, d: &Diagnostic, key: &str) -> Value {
    let rule_index = lints::LINTS
        .iter()
        .position(|l| l.name == d.lint)
        .unwrap_or(0);
    let related: Vec<Value> = d
        .secondary
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let mut location = location(report, l.file, &l.span)?;
            location["id"] = json!(i + 1);
            location["message"] = json!({"text": l.message});
            Some(location)
        })
        .collect();
    let mut text = escape(&d.message);
    if !d.primary.message.is_empty() {
        text.push_str(": ");
        text.push_str(&escape(&d.primary.message));
    }
    for (i, l) in d.secondary.iter().enumerate() {
        text.push_str(&format!("; [{}]({})", escape(&l.message), i + 1));
    }
    let mut result = json!({
        "ruleId": d.lint,
        "ruleIndex": rule_index,
        "level": sarif_level(d.level),
        "message": {"text": text},
        "locations": location(report, d.primary.file, &d.primary.span).into_iter().collect::<Vec<_>>(),
        "partialFingerprints": {fingerprint::VERSION: key},
    });
    if !related.is_empty() {
        result["relatedLocations"] = json!(related);
    }
    let fixes = fixes(report, d);
    if !fixes.is_empty() {
        result["fixes"] = json!(fixes);
    }
    result
}

/// `[` and `]` are link syntax in SARIF messages.
fn escape(text: &str) -> String {
    text.replace('[', "\\[").replace(']', "\\]")
}

fn artifact(report: &Report, file: usize) -> Value {
    json!({"uri": percent_encode(&report.repo_path(file)), "uriBaseId": SRCROOT})
}

fn region(f: &SourceFile, span: &Range<usize>) -> Value {
    let (start_line, start_column) = f.position(span.start);
    let (end_line, end_column) = f.position(span.end.max(span.start));
    json!({
        "startLine": start_line,
        "startColumn": start_column,
        "endLine": end_line,
        "endColumn": end_column,
    })
}

fn location(report: &Report, file: usize, span: &Range<usize>) -> Option<Value> {
    let f = report.files.get(file)?;
    Some(json!({"physicalLocation": {
        "artifactLocation": artifact(report, file),
        "region": region(f, span),
    }}))
}

/// Machine-applicable suggestions, one fix each, edits grouped by file.
fn fixes(report: &Report, d: &Diagnostic) -> Vec<Value> {
    let mut out = Vec::new();
    for h in &d.helps {
        let Some(s) = &h.suggestion else { continue };
        if s.applicability != Applicability::MachineApplicable {
            continue;
        }
        let mut by_file: BTreeMap<usize, Vec<Value>> = BTreeMap::new();
        for e in &s.edits {
            let Some(f) = report.files.get(e.file) else {
                continue;
            };
            by_file.entry(e.file).or_default().push(json!({
                "deletedRegion": region(f, &e.span),
                "insertedContent": {"text": e.replacement},
            }));
        }
        let changes: Vec<Value> = by_file
            .into_iter()
            .map(|(file, replacements)| {
                json!({"artifactLocation": artifact(report, file), "replacements": replacements})
            })
            .collect();
        if !changes.is_empty() {
            out.push(json!({"description": {"text": h.message}, "artifactChanges": changes}));
        }
    }
    out
}

fn notification(report: &Report, d: &Diagnostic) -> Value {
    let Label { file, span, .. } = &d.primary;
    let mut n = json!({
        "level": sarif_level(d.level),
        "message": {"text": d.message},
        "descriptor": {"id": d.lint},
    });
    if let Some(location) = location(report, *file, span) {
        n["locations"] = json!([location]);
    }
    n
}

/// Percent-encodes what may not stand in a URI path (RFC 3986: unreserved
/// characters, sub-delimiters, `:`, `@` and `/` stay).
pub fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b);
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A `file://` URI for an absolute path.
fn file_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = if path.starts_with('/') {
        path
    } else {
        format!("/{path}")
    };
    format!("file://{}", percent_encode(&path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(percent_encode("src/a b/é.rs"), "src/a%20b/%C3%A9.rs");
        assert_eq!(percent_encode("src/x#1?.rs"), "src/x%231%3F.rs");
        assert_eq!(file_uri("/w/my repo"), "file:///w/my%20repo");
        assert_eq!(file_uri("C:\\w"), "file:///C:/w");
    }

    #[test]
    fn rules_describe_each_lint_within_limits() {
        for lint in lints::LINTS {
            let r = rule(lint);
            let full = r["fullDescription"]["text"].as_str().unwrap_or("");
            assert!(!full.is_empty() && full.chars().count() <= DESCRIPTION_LIMIT);
            assert!(
                r["help"]["markdown"]
                    .as_str()
                    .is_some_and(|m| m.contains("## What it does"))
            );
            assert!(
                r["helpUri"]
                    .as_str()
                    .is_some_and(|u| u.ends_with(&format!("{}.md", lint.name)))
            );
        }
        assert_eq!(camel_case("client_in_loop"), "ClientInLoop");
        let long = format!("## What it does\n\n{}\n\nrest", "word ".repeat(400));
        assert_eq!(what_it_does(&long, "x").chars().count(), DESCRIPTION_LIMIT);
    }
}
