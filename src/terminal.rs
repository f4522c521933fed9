//! What the command line prints on stderr besides findings: the progress
//! line of a long run, and the `-v` account of what was not reported.

use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::Analysis;
use crate::report::Report;
use crate::session::Settings;
use crate::workspace::Workspace;

/// A progress line on stderr, shown once a run has taken a second; cleared
/// (and the thread joined) on drop.
pub struct Progress {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// Progress is shown only to a person: stderr is a terminal and the run is not quiet.
pub fn wants_progress(stderr_is_terminal: bool, quiet: bool) -> bool {
    stderr_is_terminal && !quiet && std::env::var_os("CI").is_none()
}

/// The text of the progress line after `elapsed`.
pub fn progress_line(what: &str, elapsed: Duration) -> String {
    format!("    Checking {what} ({:.1}s)", elapsed.as_secs_f64())
}

impl Progress {
    /// Starts the progress line for checking `what`, if `show`.
    pub fn start(show: bool, what: String) -> Progress {
        let stop = Arc::new(AtomicBool::new(false));
        let thread = show.then(|| {
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                let start = Instant::now();
                let mut shown = false;
                while !stop.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(100));
                    if start.elapsed() >= Duration::from_secs(1) && !stop.load(Ordering::Relaxed) {
                        let mut err = std::io::stderr().lock();
                        let _ = write!(err, "\r\x1b[2K{}", progress_line(&what, start.elapsed()));
                        let _ = err.flush();
                        shown = true;
                    }
                }
                if shown {
                    let _ = write!(std::io::stderr().lock(), "\r\x1b[2K");
                }
            })
        });
        Progress { stop, thread }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// `-v`: where the config came from, and every file whose findings are not
/// reported, with the reason.
pub fn verbose_lines(
    ws: &Workspace,
    analysis: &Analysis,
    report: &Report,
    settings: &Settings,
) -> Vec<String> {
    let mut lines = vec![match &settings.loaded.source {
        Some(source) => format!("config: {source}"),
        None => {
            "config: none (no connlint.toml or [workspace.metadata.connlint]); defaults".to_string()
        }
    }];
    for p in &settings.loaded.packages {
        lines.push(format!("config: {} for `{}/`", p.source, p.dir));
    }
    let include_tests = settings.options.include_tests;
    for (i, file) in analysis.files.iter().enumerate() {
        let Some(package) = analysis
            .file_package
            .get(i)
            .copied()
            .flatten()
            .and_then(|p| ws.packages.get(p))
        else {
            continue;
        };
        let test_target = crate::report::test_file(analysis, ws, i);
        if include_tests {
            continue;
        }
        if package.is_test && test_target {
            lines.push(format!(
                "skipped {}: package `{}` is a test or tooling package (read for its calls; --include-tests reports it)",
                file.name, package.name
            ));
        } else if test_target {
            lines.push(format!(
                "skipped {}: test code, a `tests/` or `benches/` target (read for its calls; --include-tests reports it)",
                file.name
            ));
        }
    }
    for (name, why) in &report.skipped {
        lines.push(format!("skipped {name}: {why}"));
    }
    for p in analysis
        .skipped_packages
        .iter()
        .filter_map(|&p| ws.packages.get(p))
    {
        lines.push(format!(
            "skipped package `{}`: neither it nor a package that depends on it uses a network library of the catalog (not read)",
            p.name
        ));
    }
    lines.extend(unwalked(ws, analysis));
    lines.push(format!(
        "{} file{} checked, {} finding{} suppressed by comments",
        analysis.checked,
        if analysis.checked == 1 { "" } else { "s" },
        report.suppressed,
        if report.suppressed == 1 { "" } else { "s" }
    ));
    lines
}

/// What the discovery walk leaves out under the checked roots: hidden and
/// `target/` directories, and `.rs` files no crate's module tree reaches.
fn unwalked(ws: &Workspace, analysis: &Analysis) -> Vec<String> {
    let read: std::collections::HashSet<std::path::PathBuf> = analysis
        .files
        .iter()
        .filter_map(|f| std::fs::canonicalize(&f.path).ok())
        .collect();
    let roots = if ws.report_only.is_empty() {
        vec![ws.root.clone()]
    } else {
        ws.report_only.clone()
    };
    let shown = |path: &std::path::Path| {
        path.strip_prefix(&ws.root)
            .unwrap_or(path)
            .display()
            .to_string()
    };
    // The files of a package skipped unread are said above, package by package.
    let skipped: Vec<std::path::PathBuf> = analysis
        .skipped_packages
        .iter()
        .filter_map(|&p| ws.packages.get(p))
        .filter_map(|p| std::fs::canonicalize(&p.dir).ok())
        .collect();
    let mut lines = Vec::new();
    for root in roots.iter().filter(|r| r.is_dir()) {
        let mut walk = walkdir::WalkDir::new(root).follow_links(false).into_iter();
        while let Some(Ok(entry)) = walk.next() {
            let name = entry.file_name().to_string_lossy();
            let is_dir = entry.file_type().is_dir();
            if entry.depth() > 0 && is_dir && (name.starts_with('.') || name == "target") {
                let why = if name == "target" {
                    "build output"
                } else {
                    "a hidden directory"
                };
                lines.push(format!("skipped {}/: {why}", shown(entry.path())));
                walk.skip_current_dir();
            } else if entry.file_type().is_file()
                && name.ends_with(".rs")
                && std::fs::canonicalize(entry.path())
                    .is_ok_and(|p| !read.contains(&p) && !skipped.iter().any(|d| p.starts_with(d)))
            {
                lines.push(format!(
                    "skipped {}: no crate's module tree reaches it (no `mod` declaration)",
                    shown(entry.path())
                ));
            }
        }
    }
    lines
}

/// Whether to colour the output: `--color always|never` (`Some(true|false)`)
/// first, then `CARGO_TERM_COLOR`, `NO_COLOR` (set and not empty: no),
/// `CLICOLOR_FORCE` (not `0`: yes), `CLICOLOR=0` (no), and last whether
/// stdout is a terminal.
pub fn use_color(flag: Option<bool>, stdout_is_terminal: bool) -> bool {
    if let Some(on) = flag {
        return on;
    }
    match std::env::var("CARGO_TERM_COLOR").ok().as_deref() {
        Some("always") => return true,
        Some("never") => return false,
        _ => {}
    }
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        return false;
    }
    if std::env::var("CLICOLOR_FORCE").is_ok_and(|v| v != "0") {
        return true;
    }
    std::env::var("CLICOLOR").map_or(true, |v| v != "0") && stdout_is_terminal
}

/// The closing line on stderr: `connlint: N findings in M files (per lint)`,
/// then what the baseline knew, what comments suppressed and the file errors.
pub fn summary(
    diagnostics: &[crate::diagnostic::Diagnostic],
    checked: usize,
    errors: usize,
    known_from_baseline: Option<usize>,
    suppressed: usize,
) -> String {
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let mut counts: Vec<(&str, usize)> = Vec::new();
    let lints = diagnostics
        .iter()
        .filter(|d| crate::lints::find(d.lint).is_some());
    for d in lints.clone() {
        match counts.iter_mut().find(|c| c.0 == d.lint) {
            Some(c) => c.1 += 1,
            None => counts.push((d.lint, 1)),
        }
    }
    let failing = lints
        .filter(|d| d.level >= crate::diagnostic::Level::Warning)
        .count();
    let mut line = if failing == 0 {
        format!("connlint: no findings in {checked} file{}", plural(checked))
    } else {
        let by_lint = counts
            .iter()
            .map(|(l, n)| format!("{n} {l}"))
            .collect::<Vec<_>>()
            .join(", ");
        format!(
            "connlint: {failing} finding{} in {checked} file{} ({by_lint})",
            plural(failing),
            plural(checked)
        )
    };
    if let Some(known) = known_from_baseline {
        line.push_str(&format!("; {known} known from the baseline"));
    }
    if suppressed > 0 {
        line.push_str(&format!("; {suppressed} suppressed by comments"));
    }
    if errors > 0 {
        line.push_str(&format!("; {errors} file error{}", plural(errors)));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_for_people() {
        assert!(!wants_progress(false, false), "not when stderr is a pipe");
        assert!(!wants_progress(true, true), "not with --quiet");
        assert_eq!(
            progress_line("svc (3 packages)", Duration::from_millis(1530)),
            "    Checking svc (3 packages) (1.5s)"
        );
        // Starting and dropping a hidden progress line joins nothing and prints nothing.
        drop(Progress::start(false, String::new()));
        let shown = Progress::start(true, "x".into());
        drop(shown);
    }
}
