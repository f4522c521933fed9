//! From an analysis to what gets reported: the paths the user asked about,
//! excluded paths, suppression comments (counted, and reported when unused
//! or invalid), then the level of each lint for each file.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::diagnostic::{Diagnostic, Level};
use crate::lints;
use crate::policy::Policy;
use crate::source::FileId;
use crate::suppress::{self, FileSuppressions};
use crate::workspace::Workspace;
use crate::{Analysis, canonical};

/// What a run reports.
#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    /// Findings silenced by suppression comments.
    pub suppressed: usize,
    /// Files whose findings were not reported, and why (for `-v`).
    pub skipped: Vec<(String, &'static str)>,
}

/// Whether findings in `file` are reported at all: the paths given on the
/// command line (what discovery met is always reported) and `exclude`.
fn reported(
    analysis: &Analysis,
    ws: &Workspace,
    policy: &Policy,
    file: FileId,
) -> Result<(), &'static str> {
    let Some(source) = analysis.files.get(file) else {
        return Ok(());
    };
    let discovered = analysis.file_package.get(file) == Some(&None);
    if !ws.report_only.is_empty() && !discovered {
        let path = canonical(&source.path);
        if !ws.report_only.iter().any(|p| path.starts_with(p)) {
            return Err("outside the paths given on the command line");
        }
    }
    if policy.excluded(&source.name) {
        return Err("excluded by the config (`exclude`)");
    }
    Ok(())
}

/// Whether `file` is test code as a whole: a `tests/` or `benches/` target, or a test package.
pub fn test_file(analysis: &Analysis, ws: &Workspace, file: FileId) -> bool {
    let Some(package) = analysis
        .file_package
        .get(file)
        .copied()
        .flatten()
        .and_then(|p| ws.packages.get(p))
    else {
        return false;
    };
    let path = analysis
        .files
        .get(file)
        .map(|f| f.path.clone())
        .unwrap_or_default();
    let under = |dir: &str| -> bool { path.starts_with(PathBuf::from(&package.dir).join(dir)) };
    package.is_test || under("tests") || under("benches")
}

/// The suppressions of `file`, read on first use.
fn table<'a>(
    tables: &'a mut BTreeMap<FileId, FileSuppressions>,
    analysis: &Analysis,
    file: FileId,
) -> Option<&'a mut FileSuppressions> {
    let source = analysis.files.get(file)?;
    Some(
        tables
            .entry(file)
            .or_insert_with(|| suppress::read(file, source)),
    )
}

pub fn finalize(analysis: &Analysis, ws: &Workspace, policy: &Policy) -> Report {
    let mut report = Report::default();
    let mut tables: BTreeMap<FileId, FileSuppressions> = BTreeMap::new();
    let mut status: BTreeMap<FileId, Result<(), &'static str>> = BTreeMap::new();
    for d in analysis
        .quiet
        .iter()
        .filter(|d| lints::find(d.lint).is_some())
    {
        if let Some(t) = table(&mut tables, analysis, d.primary.file) {
            t.silence(d.lint, d.primary.span.start);
        }
    }
    let mut kept = Vec::new();
    for d in &analysis.diagnostics {
        let file = d.primary.file;
        let Some(source) = analysis.files.get(file) else {
            // A problem of the whole run (a contained panic outside any file).
            if lints::find(d.lint).is_none() {
                kept.push(d.clone());
            }
            continue;
        };
        let state = *status
            .entry(file)
            .or_insert_with(|| reported(analysis, ws, policy, file));
        if let Err(why) = state {
            report.skipped.push((source.name.clone(), why));
            continue;
        }
        if lints::find(d.lint).is_some()
            && table(&mut tables, analysis, file)
                .is_some_and(|t| t.silence(d.lint, d.primary.span.start))
        {
            report.suppressed += 1;
            continue;
        }
        kept.push(d.clone());
    }
    // Every reported file's suppressions, including files without findings.
    for file in 0..analysis.files.len() {
        // (A file with the word keeps its text: without it, nothing to read.)
        if !analysis.files[file].text.contains("connlint") {
            continue;
        }
        if reported(analysis, ws, policy, file).is_err()
            || analysis.file_package.get(file) == Some(&None)
        {
            continue;
        }
        let in_tests = !policy.include_tests && test_file(analysis, ws, file);
        let Some(t) = table(&mut tables, analysis, file) else {
            continue;
        };
        let mut found = t.report(
            &analysis.files[file],
            policy.require_reasons,
            policy.include_tests,
        );
        if in_tests {
            found.retain(|d| d.lint != lints::UNUSED_SUPPRESSION);
        }
        kept.extend(found);
    }
    for mut d in kept {
        let name = analysis
            .files
            .get(d.primary.file)
            .map_or("", |f| f.name.as_str());
        if let Some(level) = policy.level(d.lint, name) {
            if level == Level::Allow {
                continue;
            }
            d.level = level;
        }
        report.diagnostics.push(d);
    }
    report.diagnostics.sort_by(|a, b| {
        a.sort_key()
            .cmp(&b.sort_key())
            .then_with(|| a.message.cmp(&b.message))
    });
    report.skipped.sort();
    report.skipped.dedup();
    report
}
