//! Baselines: the findings a code base already has, keyed by fingerprint, so
//! that CI fails only on new ones (`--write-baseline FILE`, `--baseline FILE`).
//!
//! A baseline is a JSON file of entries (fingerprint, lint, path, function,
//! message, and the line as it was, for people: matching uses the fingerprint
//! only). Entries that match no current finding are the fixed findings,
//! reported as gone.

use std::collections::HashSet;
use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::fingerprint;
use crate::source::SourceFile;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub fingerprint: String,
    pub lint: String,
    pub path: String,
    #[serde(default)]
    pub item: String,
    pub message: String,
    /// The line when the baseline was written (not used for matching).
    #[serde(default)]
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    /// The fingerprint scheme (`connlint/v1`).
    pub version: String,
    pub findings: Vec<Entry>,
}

impl Baseline {
    /// The baseline of the given lint findings (`keys` are their fingerprints).
    pub fn of(diagnostics: &[Diagnostic], keys: &[String], files: &[SourceFile]) -> Baseline {
        let findings = diagnostics
            .iter()
            .zip(keys)
            .filter(|(d, _)| crate::lints::find(d.lint).is_some())
            .map(|(d, key)| {
                let file = files.get(d.primary.file);
                Entry {
                    fingerprint: key.clone(),
                    lint: d.lint.to_string(),
                    path: file.map(|f| f.name.clone()).unwrap_or_default(),
                    item: fingerprint::stable_item(d.item.as_deref().unwrap_or("")),
                    message: d.message.clone(),
                    line: file.map_or(0, |f| f.position(d.primary.span.start).0),
                }
            })
            .collect();
        Baseline {
            version: fingerprint::VERSION.to_string(),
            findings,
        }
    }

    pub fn read(path: &Path) -> Result<Baseline> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the baseline `{}`", path.display()))?;
        let baseline: Baseline = serde_json::from_str(&text)
            .with_context(|| format!("`{}` is not a connlint baseline", path.display()))?;
        if baseline.version != fingerprint::VERSION {
            bail!(
                "the baseline `{}` was written with fingerprints `{}`, this connlint writes `{}`: write it again with --write-baseline",
                path.display(),
                baseline.version,
                fingerprint::VERSION
            );
        }
        Ok(baseline)
    }

    pub fn write(&self, path: &Path) -> Result<()> {
        let mut text =
            serde_json::to_string_pretty(self).context("cannot serialize the baseline")?;
        text.push('\n');
        std::fs::write(path, text)
            .with_context(|| format!("cannot write the baseline `{}`", path.display()))
    }

    /// Splits the current findings: which are new (`true`: not in the
    /// baseline), and the baseline entries no finding matches any more.
    pub fn compare(&self, keys: &[String]) -> (Vec<bool>, Vec<Entry>) {
        let known: HashSet<&str> = self
            .findings
            .iter()
            .map(|e| e.fingerprint.as_str())
            .collect();
        let current: HashSet<&str> = keys.iter().map(String::as_str).collect();
        let new = keys.iter().map(|k| !known.contains(k.as_str())).collect();
        let gone = self
            .findings
            .iter()
            .filter(|e| !current.contains(e.fingerprint.as_str()))
            .cloned()
            .collect();
        (new, gone)
    }
}

/// A run's findings after the baseline: what is reported, and what the
/// baseline said.
pub struct Applied {
    /// The findings to report (all input problems, and the lint findings not
    /// in the baseline; none of them when the baseline was just written).
    pub diagnostics: Vec<Diagnostic>,
    /// Their fingerprints, in the same order.
    pub fingerprints: Vec<String>,
    /// Lint findings the baseline read knows.
    pub known: usize,
    /// Baseline entries no finding matches: fixed findings.
    pub gone: Vec<Entry>,
    /// How many findings `--write-baseline` recorded.
    pub written: Option<usize>,
}

/// Reads the baseline at `read` (if any), writes the current findings to
/// `write` (if any), and keeps the findings to report.
pub fn apply(
    all: Vec<Diagnostic>,
    files: &[SourceFile],
    read: Option<&Path>,
    write: Option<&Path>,
) -> Result<Applied> {
    let keys = fingerprint::fingerprints(&all, files);
    let (is_new, gone) = match read {
        Some(path) => Baseline::read(path)?.compare(&keys),
        None => (vec![true; all.len()], Vec::new()),
    };
    let written = match write {
        Some(path) => {
            let baseline = Baseline::of(&all, &keys, files);
            baseline.write(path)?;
            Some(baseline.findings.len())
        }
        None => None,
    };
    let is_lint = |d: &Diagnostic| crate::lints::find(d.lint).is_some();
    let mut applied = Applied {
        diagnostics: Vec::new(),
        fingerprints: Vec::new(),
        known: 0,
        gone,
        written,
    };
    for ((d, key), new) in all.into_iter().zip(keys).zip(is_new) {
        if is_lint(&d) && !new {
            applied.known += 1;
        }
        if !is_lint(&d) || (new && written.is_none()) {
            applied.diagnostics.push(d);
            applied.fingerprints.push(key);
        }
    }
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Level;

    #[test]
    fn compare_splits_new_known_and_gone() {
        let text = "fn f() {\n    a();\n    b();\n}\n";
        let file = SourceFile::new("src/a.rs".into(), "src/a.rs".into(), text.into());
        let at = |n: &str| text.find(n).unwrap_or(0);
        let d = |n: &str| {
            Diagnostic::new("client_in_loop", Level::Warning, n, 0, at(n)..at(n) + 3, "")
                .in_item("k::f")
        };
        let files = std::slice::from_ref(&file);
        let old = [d("a()"), d("b()")];
        let old_keys = fingerprint::fingerprints(&old, files);
        let baseline = Baseline::of(&old, &old_keys, files);
        assert_eq!(baseline.findings.len(), 2);
        assert_eq!(baseline.findings[1].line, 3);
        // `a()` was fixed, `b()` stays, `x()` is new.
        let text2 = "fn f() {\n    b();\n    x();\n}\n";
        let file2 = SourceFile::new("src/a.rs".into(), "src/a.rs".into(), text2.into());
        let at2 = |n: &str| text2.find(n).unwrap_or(0);
        let d2 = |n: &str| {
            Diagnostic::new(
                "client_in_loop",
                Level::Warning,
                n,
                0,
                at2(n)..at2(n) + 3,
                "",
            )
            .in_item("k::f")
        };
        let keys = fingerprint::fingerprints(&[d2("b()"), d2("x()")], std::slice::from_ref(&file2));
        let (new, gone) = baseline.compare(&keys);
        assert_eq!(new, vec![false, true]);
        assert_eq!(gone.len(), 1);
        assert_eq!(gone[0].message, "a()");
    }

    #[test]
    fn a_baseline_round_trips_and_checks_its_version() {
        let dir = std::env::temp_dir().join(format!("connlint-baseline-{}", std::process::id()));
        std::fs::create_dir_all(&dir).ok();
        let path = dir.join("b.json");
        let b = Baseline {
            version: fingerprint::VERSION.into(),
            findings: Vec::new(),
        };
        b.write(&path).ok();
        assert!(Baseline::read(&path).is_ok_and(|r| r == b));
        std::fs::write(&path, r#"{"version":"other/v0","findings":[]}"#).ok();
        let err = Baseline::read(&path).err().map(|e| format!("{e:#}"));
        assert!(err.is_some_and(|e| e.contains("write it again")));
        std::fs::write(&path, "nope").ok();
        assert!(Baseline::read(&path).is_err());
        std::fs::remove_dir_all(&dir).ok();
    }
}
