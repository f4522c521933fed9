//! GitHub Actions: workflow annotations (`--message-format github`) and the
//! Markdown summary appended to `$GITHUB_STEP_SUMMARY`.

use std::fmt::Write as _;

use super::Report;
use crate::diagnostic::{Diagnostic, Level};

/// GitHub rejects a step summary over 1 MiB; the table stops below it.
const SUMMARY_LIMIT: usize = 1000 * 1024;

/// Escapes an annotation message (`%`, `\r`, `\n`), the way
/// `@actions/core` does (`escapeData`).
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes an annotation property: as a message, plus `:` and `,`
/// (`escapeProperty`).
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

fn command(level: Level) -> &'static str {
    match level {
        Level::Error => "error",
        Level::Warning => "warning",
        Level::Allow => "notice",
    }
}

/// One `::warning file=..,line=..::message` line per diagnostic (all of
/// them: GitHub shows the first ten of a step, the rest stay in the log).
pub fn annotations(report: &Report) -> String {
    let mut out = String::new();
    for d in report.diagnostics {
        out.push_str(&annotation(report, d));
        out.push('\n');
    }
    out
}

fn annotation(report: &Report, d: &Diagnostic) -> String {
    let mut props = Vec::new();
    if let Some(f) = report.files.get(d.primary.file) {
        props.push(format!(
            "file={}",
            escape_property(&report.repo_path(d.primary.file))
        ));
        let (line, col) = f.position(d.primary.span.start);
        let (end_line, end_col) = f.position(d.primary.span.end.max(d.primary.span.start));
        props.push(format!("line={line}"));
        props.push(format!("endLine={end_line}"));
        // Columns only on a one-line span (`@actions/core`'s rule).
        if line == end_line {
            props.push(format!("col={col}"));
            props.push(format!("endColumn={end_col}"));
        }
    }
    props.push(format!(
        "title={}",
        escape_property(&format!("connlint ({})", d.lint))
    ));
    let mut message = d.message.clone();
    if !d.primary.message.is_empty() {
        message.push_str(": ");
        message.push_str(&d.primary.message);
    }
    for n in &d.notes {
        message.push_str("\nnote: ");
        message.push_str(n);
    }
    for h in &d.helps {
        message.push_str("\nhelp: ");
        message.push_str(&h.message);
    }
    format!(
        "::{} {}::{}",
        command(d.level),
        props.join(","),
        escape_data(&message)
    )
}

/// The step summary: a table of every finding, and the baseline entries
/// that are gone. Stays under GitHub's 1 MiB limit.
pub fn summary(report: &Report) -> String {
    let findings: Vec<&Diagnostic> = report.findings().map(|(_, d)| d).collect();
    let mut out = format!(
        "## connlint\n\n{} finding{} in {} file{}",
        findings.len(),
        if findings.len() == 1 { "" } else { "s" },
        report.checked,
        if report.checked == 1 { "" } else { "s" },
    );
    if report.known > 0 {
        out.push_str(&format!("; {} known from the baseline", report.known));
    }
    if report.suppressed > 0 {
        out.push_str(&format!("; {} suppressed by comments", report.suppressed));
    }
    out.push_str("\n\n");
    if !findings.is_empty() {
        out.push_str("| Level | Lint | Location | Message |\n|---|---|---|---|\n");
        for (shown, d) in findings.iter().enumerate() {
            let location = match report.files.get(d.primary.file) {
                Some(f) => format!(
                    "{}:{}",
                    report.repo_path(d.primary.file),
                    f.position(d.primary.span.start).0
                ),
                None => String::new(),
            };
            let row = format!(
                "| {} | `{}` | `{}` | {} |\n",
                d.level.as_str(),
                d.lint,
                cell(&location),
                cell(&d.message)
            );
            if out.len() + row.len() + 200 > SUMMARY_LIMIT {
                let _ = writeln!(
                    out,
                    "\n{} more finding(s) not listed (the summary is limited to 1 MiB).",
                    findings.len() - shown
                );
                break;
            }
            out.push_str(&row);
        }
    }
    if !report.gone.is_empty() {
        let _ = writeln!(
            out,
            "\n{} baseline finding(s) are gone (fixed):\n",
            report.gone.len()
        );
        for e in report.gone {
            let row = format!("- `{}` `{}`: {}\n", e.lint, cell(&e.path), cell(&e.message));
            if out.len() + row.len() > SUMMARY_LIMIT {
                break;
            }
            out.push_str(&row);
        }
    }
    out
}

/// Text made safe for a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_actions_core() {
        let raw = "50% done\r\nkey: a, b";
        assert_eq!(escape_data(raw), "50%25 done%0D%0Akey: a, b");
        assert_eq!(escape_property(raw), "50%25 done%0D%0Akey%3A a%2C b");
        // `%` first: an escape sequence in the input is not decoded later.
        assert_eq!(escape_data("%0A"), "%250A");
    }

    #[test]
    fn table_cells_keep_their_columns() {
        assert_eq!(cell("a|b\nc"), "a\\|b c");
    }
}
