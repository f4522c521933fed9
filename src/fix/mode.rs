//! The command line's `--fix` and `--diff`: which other flags they combine
//! with, the work-tree check, the rounds, and what is written or printed.

use std::io::Write;

use anyhow::{Context, Result};

use crate::catalog::Catalog;
use crate::diagnostic::{Diagnostic, Level};
use crate::workspace::Workspace;
use crate::{Analysis, Options};

use super::vcs;

/// What the command line asked for besides `--fix`/`--diff`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Asked {
    pub fix: bool,
    pub diff: bool,
    pub add_suppressions: bool,
    /// `--message-format` is a machine format (JSON, SARIF, GitHub).
    pub machine_format: bool,
    /// `--output FORMAT=PATH` was given.
    pub outputs: bool,
    pub write_baseline: bool,
    pub statistics: bool,
    /// `--with clippy|check`.
    pub with: bool,
}

/// Why the flags cannot go together, if they cannot (a usage error, exit 2).
///
/// - `--with` runs cargo first: its messages would point into the text
///   before the fixes, and its build dirties the work tree `--fix` checks.
///   (`cargo clippy --fix` is clippy's own way.)
/// - `--diff` prints the diff on stdout and nothing else: a machine format
///   there would be mixed with it, and `--output`, `--write-baseline` and
///   `--statistics` would be silently dropped.
pub fn conflict(a: Asked) -> Option<String> {
    if a.add_suppressions && (a.fix || a.diff) {
        return Some(
            "`--add-suppressions` cannot be combined with `--fix` or `--diff`: fix first, then suppress what remains"
                .to_string(),
        );
    }
    let mode = if a.diff {
        "--diff"
    } else if a.fix {
        "--fix"
    } else if a.add_suppressions {
        "--add-suppressions"
    } else {
        return None;
    };
    if a.with {
        return Some(format!(
            "`{mode}` cannot be combined with `--with`: the wrapped cargo command's messages would point \
             into the code before the fixes (for clippy's own fixes, run `cargo clippy --fix`)"
        ));
    }
    if !a.diff {
        return None;
    }
    let other = [
        (
            a.machine_format,
            "a machine `--message-format` (json, sarif, github)",
        ),
        (a.outputs, "`--output`"),
        (a.write_baseline, "`--write-baseline`"),
        (a.statistics, "`--statistics`"),
    ]
    .into_iter()
    .find_map(|(on, what)| on.then_some(what))?;
    Some(format!(
        "`--diff` prints only the unified diff on stdout and cannot be combined with {other}; \
         run `--fix` (which reports in every format) or drop the flag"
    ))
}

/// How `--fix`/`--diff` runs.
#[derive(Debug, Clone, Copy)]
pub struct Mode {
    pub diff: bool,
    /// `--add-suppressions` instead of fixes.
    pub add_suppressions: bool,
    pub unsafe_fixes: bool,
    pub quiet: bool,
    pub allow: vcs::Allow,
}

/// Runs `--fix` or `--diff`: the fixed analysis, from which the run reports
/// what remains, or the exit code when the run ends here (`--diff`: 0 without
/// a diff, 1 with one, 2 when a file could not be read or parsed; `--fix`: 2
/// when a file could not be written).
pub fn run(
    mode: Mode,
    ws: &Workspace,
    catalog: &Catalog,
    opts: &Options,
    findings: &dyn Fn(&Analysis) -> Vec<Diagnostic>,
) -> Result<std::result::Result<Analysis, u8>> {
    if !mode.diff {
        vcs::check(&ws.root, mode.allow)?;
    }
    if mode.add_suppressions {
        let analysis = crate::analyze(ws, catalog, opts);
        let (changes, skipped) = super::suppressions::add(&analysis, &findings(&analysis));
        for name in &skipped {
            eprintln!(
                "warning: no suppression added in `{name}`: a comment there would change the code (a line starts inside a string literal)"
            );
        }
        let failures = super::write_all(&ws.root, &changes);
        if !mode.quiet {
            let n: usize = changes
                .iter()
                .map(|c| c.fixed.lines().count() - c.original.lines().count())
                .sum();
            eprintln!(
                "connlint: added {n} suppression comment{} in {} file{}; replace `{}` with the reason",
                if n == 1 { "" } else { "s" },
                changes.len(),
                if changes.len() == 1 { "" } else { "s" },
                super::suppressions::REASON
            );
        }
        if !failures.is_empty() {
            for f in &failures {
                eprintln!("error: {f}");
            }
            return Ok(Err(2));
        }
        return Ok(Ok(crate::analyze(ws, catalog, opts)));
    }
    let outcome = super::run(ws, catalog, opts, findings, mode.unsafe_fixes);
    if mode.diff {
        let diff = super::diff(&outcome);
        let mut out = std::io::stdout().lock();
        out.write_all(diff.as_bytes())
            .and_then(|()| out.flush())
            .context("cannot write the output")?;
        // `--diff` prints no findings, so the files it could not check are
        // named here: they are errors (exit 2), whatever the diff.
        let errors = file_errors(&outcome.analysis, &outcome.remaining);
        for e in &errors {
            eprintln!("{e}");
        }
        if !mode.quiet {
            eprint!("{}", super::report(&outcome, false, mode.unsafe_fixes));
        }
        let code = if !errors.is_empty() {
            2
        } else {
            u8::from(!diff.is_empty())
        };
        return Ok(Err(code));
    }
    let failures = super::write_all(&ws.root, &outcome.changes);
    if !mode.quiet {
        eprint!("{}", super::report(&outcome, true, mode.unsafe_fixes));
    }
    if !failures.is_empty() {
        for f in &failures {
            eprintln!("error: {f}");
        }
        return Ok(Err(2));
    }
    Ok(Ok(outcome.analysis))
}

/// `path:line:col: error[connlint::code]: message` (`emit::short`) for each
/// diagnostic that is not a lint finding (a file that could not be read,
/// parsed or analyzed).
pub fn file_errors(analysis: &Analysis, diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .filter(|d| d.level == Level::Error && crate::lints::find(d.lint).is_none())
        .map(|d| crate::emit::short(d, &analysis.files))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conflicts() {
        let fix = Asked {
            fix: true,
            ..Asked::default()
        };
        assert_eq!(conflict(fix), None);
        assert_eq!(
            conflict(Asked {
                machine_format: true,
                outputs: true,
                write_baseline: true,
                statistics: true,
                ..fix
            }),
            None,
            "--fix reports in every format"
        );
        assert!(conflict(Asked { with: true, ..fix }).is_some());
        let diff = Asked {
            diff: true,
            ..Asked::default()
        };
        assert_eq!(conflict(diff), None);
        for a in [
            Asked {
                machine_format: true,
                ..diff
            },
            Asked {
                outputs: true,
                ..diff
            },
            Asked {
                write_baseline: true,
                ..diff
            },
            Asked {
                statistics: true,
                ..diff
            },
            Asked { with: true, ..diff },
        ] {
            assert!(conflict(a).is_some(), "{a:?}");
        }
        assert_eq!(
            conflict(Asked {
                with: true,
                machine_format: true,
                ..Asked::default()
            }),
            None
        );
    }
}
