//! `--fix` and `--diff`: applies the findings' suggestions in memory, checks
//! the result again until nothing more applies (at most `MAX_ROUNDS`), and
//! then writes the changed files (`write.rs`) or prints their diff
//! (`diff.rs`). `vcs.rs` is the work-tree check `--fix` does first.
//!
//! Invariants: a file is changed only by whole suggestions whose edits do not
//! overlap; every text written parses (`apply::round` reverts a suggestion
//! that would break it); nothing is written outside the workspace or through
//! a link; `--diff` writes nothing.

pub mod apply;
pub mod diff;
pub mod mode;
pub mod suppressions;
pub mod vcs;
pub mod write;

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use crate::catalog::Catalog;
use crate::diagnostic::{Applicability, Diagnostic};
use crate::workspace::Workspace;
use crate::{Analysis, Options, Sources};

/// Rounds of fix-and-check before giving up on reaching a fixpoint.
pub const MAX_ROUNDS: usize = 4;

/// One finding fixed (or reverted), located in the text it was found in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixed {
    pub lint: &'static str,
    pub message: String,
    /// `file:line:column` in the text of the round that fixed it.
    pub location: String,
    pub applicability: Applicability,
    pub round: usize,
}

/// A file the fixes change: its text as read and as fixed.
#[derive(Debug, Clone)]
pub struct Change {
    pub path: PathBuf,
    pub name: String,
    pub original: String,
    pub fixed: String,
}

/// What a fix run did.
#[derive(Debug)]
pub struct Outcome {
    pub changes: Vec<Change>,
    pub fixed: Vec<Fixed>,
    /// Fixes not applied because the file would not parse, and why.
    pub reverted: Vec<(Fixed, String)>,
    /// The analysis of the fixed texts, and its reported findings.
    pub analysis: Analysis,
    pub remaining: Vec<Diagnostic>,
    /// Fixes still applicable after `MAX_ROUNDS` rounds (0 at a fixpoint).
    pub pending: usize,
}

/// Fixes the workspace in memory. `report` turns an analysis into the
/// findings the run reports (levels, paths, suppressions); only their
/// suggestions are applied.
pub fn run(
    ws: &Workspace,
    catalog: &Catalog,
    opts: &Options,
    report: &dyn Fn(&Analysis) -> Vec<Diagnostic>,
    unsafe_fixes: bool,
) -> Outcome {
    let mut analysis = crate::analyze(ws, catalog, opts);
    let mut originals: BTreeMap<PathBuf, (String, String)> = BTreeMap::new();
    let mut overlay: HashMap<PathBuf, Vec<u8>> = HashMap::new();
    let mut fixed = Vec::new();
    let mut reverted: Vec<(Fixed, String)> = Vec::new();
    let mut pending = 0;
    for round in 1..=MAX_ROUNDS + 1 {
        let findings = report(&analysis);
        let step = apply::round(&analysis.files, &findings, unsafe_fixes);
        let locate = |a: &apply::Applied| Fixed {
            lint: a.lint,
            message: a.message.clone(),
            location: analysis.files.get(a.file).map_or_else(String::new, |f| {
                let (line, col) = f.position(a.at);
                format!("{}:{line}:{col}", f.name)
            }),
            applicability: a.applicability,
            round,
        };
        for r in &step.reverted {
            let what = locate(&r.finding);
            if !reverted.iter().any(|(w, _)| same_finding(w, &what)) {
                reverted.push((what, r.reason.clone()));
            }
        }
        if step.texts.is_empty() {
            break;
        }
        if round > MAX_ROUNDS {
            pending = step.applied.len();
            break;
        }
        fixed.extend(step.applied.iter().map(locate));
        for (id, text) in step.texts {
            let file = &analysis.files[id];
            originals
                .entry(file.path.clone())
                .or_insert_with(|| (file.name.clone(), file.text.clone()));
            overlay.insert(file.path.clone(), text.into_bytes());
        }
        analysis = crate::analyze_with(ws, catalog, opts, Sources::Overlay(&overlay));
    }
    let remaining = report(&analysis);
    let changes = originals
        .into_iter()
        .filter_map(|(path, (name, original))| {
            let fixed = String::from_utf8(overlay.remove(&path)?).ok()?;
            (fixed != original).then_some(Change {
                path,
                name,
                original,
                fixed,
            })
        })
        .collect();
    Outcome {
        changes,
        fixed,
        reverted,
        analysis,
        remaining,
        pending,
    }
}

fn same_finding(a: &Fixed, b: &Fixed) -> bool {
    a.lint == b.lint && a.message == b.message && a.location == b.location
}

/// The unified diff of every change, in path order.
pub fn diff(outcome: &Outcome) -> String {
    outcome
        .changes
        .iter()
        .map(|c| diff::unified(&c.name, &c.original, &c.fixed))
        .collect()
}

/// Writes every change (see `write::write_fixed`). A file that cannot be
/// written is left as it was and reported; the others are still written.
pub fn write_all(root: &std::path::Path, changes: &[Change]) -> Vec<String> {
    changes
        .iter()
        .filter_map(|c| {
            write::write_fixed(root, &c.path, &c.original, &c.fixed)
                .err()
                .map(|e| format!("{e:#}"))
        })
        .collect()
}

/// The report on standard error: each fix, each reverted fix, and what is
/// left.
pub fn report(outcome: &Outcome, written: bool, unsafe_fixes: bool) -> String {
    let mut out = String::new();
    let verb = if written { "fixed" } else { "would fix" };
    for f in &outcome.fixed {
        out.push_str(&format!(
            "{verb} {}: {} ({}, {})\n",
            f.location,
            f.message,
            f.lint,
            f.applicability.as_str()
        ));
    }
    for (f, why) in &outcome.reverted {
        out.push_str(&format!(
            "not fixed {}: {} ({}): {why}; the fix was reverted\n",
            f.location, f.message, f.lint
        ));
    }
    if outcome.pending > 0 {
        out.push_str(&format!(
            "warning: {} more fix{} still applied after {MAX_ROUNDS} rounds; run again\n",
            outcome.pending,
            if outcome.pending == 1 { "" } else { "es" }
        ));
    }
    let more = if unsafe_fixes {
        0
    } else {
        unsafe_available(outcome)
    };
    if more > 0 {
        out.push_str(&format!(
            "{more} more fix{} available with `--unsafe-fixes` (they may change behavior: read them with `--diff --unsafe-fixes`)\n",
            if more == 1 { " is" } else { "es are" }
        ));
    }
    let remaining = remaining_count(outcome);
    let files = outcome.changes.len();
    let n = outcome.fixed.len();
    out.push_str(&format!(
        "connlint: {verb} {n} finding{} in {files} file{}; {} remain{}\n",
        if n == 1 { "" } else { "s" },
        if files == 1 { "" } else { "s" },
        remaining,
        if remaining == 1 { "s" } else { "" }
    ));
    out
}

/// Lint findings left after the fixes (file errors are not findings).
pub fn remaining_count(outcome: &Outcome) -> usize {
    outcome
        .remaining
        .iter()
        .filter(|d| crate::lints::find(d.lint).is_some())
        .count()
}

/// Findings left with a fix that `--unsafe-fixes` would apply.
pub fn unsafe_available(outcome: &Outcome) -> usize {
    outcome
        .remaining
        .iter()
        .filter(|d| apply::suggestion_of(d, true).is_some())
        .count()
}
