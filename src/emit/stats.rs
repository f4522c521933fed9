//! `--statistics`: how many findings per lint and per crate, most first,
//! and the lint list as JSON (`--list-lints --message-format json`).

use std::collections::BTreeMap;

use serde_json::json;

use super::Report;
use crate::lints;

/// Names with their number of findings.
pub type Counts = Vec<(String, usize)>;

/// Counts sorted by count (most first), then by name.
fn sorted(counts: BTreeMap<String, usize>) -> Counts {
    let mut v: Vec<(String, usize)> = counts.into_iter().collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

/// The findings per lint and per crate (package).
pub fn counts(report: &Report) -> (Counts, Counts) {
    let mut by_lint: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_crate: BTreeMap<String, usize> = BTreeMap::new();
    for (_, d) in report.findings() {
        *by_lint.entry(d.lint.to_string()).or_default() += 1;
        let krate = report
            .package_of(d.primary.file)
            .map_or_else(|| "(files)".to_string(), |p| p.name.clone());
        *by_crate.entry(krate).or_default() += 1;
    }
    (sorted(by_lint), sorted(by_crate))
}

/// The statistics as a table: per lint, per crate, and the total.
pub fn table(report: &Report) -> String {
    let (by_lint, by_crate) = counts(report);
    let total: usize = by_lint.iter().map(|c| c.1).sum();
    let width = by_lint
        .iter()
        .chain(&by_crate)
        .map(|c| c.0.len())
        .max()
        .unwrap_or(0)
        .max(5);
    let mut out = String::new();
    for (name, n) in &by_lint {
        out.push_str(&format!("{n:>6}  {name:<width$}\n"));
    }
    if !by_crate.is_empty() {
        out.push_str("by crate:\n");
        for (name, n) in &by_crate {
            out.push_str(&format!("{n:>6}  {name:<width$}\n"));
        }
    }
    out.push_str(&format!("{total:>6}  total\n"));
    // What the total leaves out, so that `-q --statistics` still shows it.
    for (n, what) in [
        (report.suppressed, "suppressed by comments (not counted)"),
        (report.known, "known from the baseline (not counted)"),
    ] {
        if n > 0 {
            out.push_str(&format!("{n:>6}  {what}\n"));
        }
    }
    // No trailing spaces from the padding.
    out.lines().map(|l| format!("{}\n", l.trim_end())).collect()
}

/// The statistics as one JSON object.
pub fn json(report: &Report) -> String {
    let (by_lint, by_crate) = counts(report);
    let total: usize = by_lint.iter().map(|c| c.1).sum();
    let list = |v: &[(String, usize)], key: &str| {
        v.iter()
            .map(|(name, n)| json!({key: name, "count": n}))
            .collect::<Vec<_>>()
    };
    json!({
        "reason": "connlint-statistics",
        "lints": list(&by_lint, "lint"),
        "crates": list(&by_crate, "crate"),
        "total": total,
        "suppressed": report.suppressed,
        "known_from_baseline": report.known,
    })
    .to_string()
}

/// Every lint as one JSON line (`--list-lints --message-format json`).
pub fn lints_json() -> String {
    lints::LINTS
        .iter()
        .map(|l| {
            let line = json!({
                "name": l.name,
                "code": format!("connlint::{}", l.name),
                "default_level": l.default.as_str(),
                "summary": l.summary,
                "help_uri": super::sarif::help_uri(l.name),
            });
            format!("{line}\n")
        })
        .collect()
}
