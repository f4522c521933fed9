//! Output formats: `human` (rustc's look, through codespan-reporting),
//! `short` (`path:line:col: level[lint]: message`) and `json` (cargo
//! `compiler-message` lines carrying rustc-format diagnostics).
//!
//! Invariant: only this module knows output formats.

use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label as CsLabel, Severity};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::termcolor::{Buffer, Color, ColorSpec, WriteColor};
use codespan_reporting::term::{self, Chars, Config};
use serde_json::{Value, json};

use crate::diagnostic::{Diagnostic, Level};
use crate::source::SourceFile;
use crate::workspace::Package;

struct FileSet<'a>(&'a [SourceFile]);

impl<'a> Files<'a> for FileSet<'a> {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, FilesError> {
        self.0
            .get(id)
            .map(|f| f.name.as_str())
            .ok_or(FilesError::FileMissing)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, FilesError> {
        self.0
            .get(id)
            .map(|f| f.text.as_str())
            .ok_or(FilesError::FileMissing)
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, FilesError> {
        Ok(self
            .0
            .get(id)
            .ok_or(FilesError::FileMissing)?
            .line_index(byte_index))
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, FilesError> {
        let f = self.0.get(id).ok_or(FilesError::FileMissing)?;
        if line_index >= f.line_count() {
            return Err(FilesError::LineTooLarge {
                given: line_index,
                max: f.line_count().saturating_sub(1),
            });
        }
        Ok(f.line_start(line_index)..f.line_start(line_index + 1))
    }
}

fn severity(level: Level) -> Severity {
    match level {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
        Level::Allow => Severity::Note,
    }
}

fn code(d: &Diagnostic) -> String {
    format!("connlint::{}", d.lint)
}

fn is_lint(d: &Diagnostic) -> bool {
    crate::lints::find(d.lint).is_some()
}

/// rustc's rendering of one diagnostic.
pub fn human(d: &Diagnostic, files: &[SourceFile], color: bool) -> String {
    let set = FileSet(files);
    let mut labels = vec![
        CsLabel::primary(
            d.primary.file,
            clamp(&d.primary.span, files, d.primary.file),
        )
        .with_message(&d.primary.message),
    ];
    for l in &d.secondary {
        labels.push(
            CsLabel::secondary(l.file, clamp(&l.span, files, l.file)).with_message(&l.message),
        );
    }
    let mut notes: Vec<String> = d.notes.iter().map(|n| format!("note: {n}")).collect();
    if is_lint(d) {
        let level = match d.level {
            Level::Error => "deny",
            _ => "warn",
        };
        notes.push(format!(
            "note: `#[{level}(connlint::{})]` on by default",
            d.lint
        ));
    }
    for h in d.helps.iter().filter(|h| h.suggestion.is_none()) {
        notes.push(format!("help: {}", h.message));
    }
    let cs = CsDiagnostic::new(severity(d.level))
        .with_message(&d.message)
        .with_code(code(d))
        .with_labels(labels)
        .with_notes(notes);
    let config = Config {
        chars: Chars::ascii(),
        ..Config::default()
    };
    let mut buffer = if color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    if term::emit_to_write_style(&mut buffer, &config, &set, &cs).is_err() {
        // A span outside its file: fall back to the short form.
        return format!("{}\n", short(d, files));
    }
    let mut text = String::from_utf8_lossy(buffer.as_slice()).into_owned();
    let suggestions: Vec<_> = d
        .helps
        .iter()
        .filter_map(|h| h.suggestion.as_ref().map(|s| (h, s)))
        .collect();
    if !suggestions.is_empty() {
        // rustc prints a help with its suggestion right under the notes.
        while text.ends_with("\n\n") {
            text.pop();
        }
        let mut buffer = if color {
            Buffer::ansi()
        } else {
            Buffer::no_color()
        };
        for (h, s) in suggestions {
            render_suggestion(&mut buffer, &h.message, s, files);
        }
        text.push_str(&String::from_utf8_lossy(buffer.as_slice()));
    }
    text
}

fn clamp(span: &Range<usize>, files: &[SourceFile], file: usize) -> Range<usize> {
    let len = files.get(file).map(|f| f.text.len()).unwrap_or(0);
    let start = span.start.min(len);
    start..span.end.clamp(start, len)
}

fn render_suggestion(
    out: &mut Buffer,
    message: &str,
    s: &crate::diagnostic::Suggestion,
    files: &[SourceFile],
) {
    use std::io::Write;
    let mut rows: Vec<(usize, char, String)> = Vec::new();
    let mut edits = s.edits.clone();
    edits.sort_by_key(|e| (e.file, e.span.start));
    // Lines shift by what earlier edits inserted or removed.
    let mut shift: isize = 0;
    for e in &edits {
        let Some(f) = files.get(e.file) else { continue };
        let line = f.line_index(e.span.start.min(f.text.len()));
        if e.span.is_empty() {
            let inserted: Vec<&str> = e.replacement.trim_end_matches('\n').split('\n').collect();
            for (k, text) in inserted.iter().enumerate() {
                rows.push((
                    (line as isize + shift) as usize + k + 1,
                    '+',
                    text.to_string(),
                ));
            }
            shift += inserted.len() as isize;
            rows.push((
                (line as isize + shift) as usize + 1,
                '|',
                f.line_text(line).to_string(),
            ));
        } else {
            let last = f.line_index(e.span.end.saturating_sub(1).min(f.text.len()));
            for l in line..=last {
                rows.push((
                    (l as isize + shift) as usize + 1,
                    '-',
                    f.line_text(l).to_string(),
                ));
            }
            let removed = (last - line + 1) as isize;
            // The new lines as they will read: what the first line keeps before
            // the edit, the replacement, what the last line keeps after it.
            let start = e.span.start.min(f.text.len());
            let end = e.span.end.clamp(start, f.text.len());
            let before = f.text.get(f.line_start(line)..start).unwrap_or("");
            let after = f.text.get(end..f.line_range(last).end).unwrap_or("");
            let new_text = format!("{before}{}{after}", e.replacement);
            if !new_text.trim().is_empty() {
                let added: Vec<&str> = new_text.trim_end_matches('\n').split('\n').collect();
                for (k, text) in added.iter().enumerate() {
                    rows.push((
                        (line as isize + shift) as usize + 1 + k,
                        '+',
                        text.to_string(),
                    ));
                }
                shift += added.len() as isize;
            }
            shift -= removed;
        }
    }
    let width = rows
        .iter()
        .map(|r| r.0.to_string().len())
        .max()
        .unwrap_or(1);
    let blue = {
        let mut c = ColorSpec::new();
        c.set_fg(Some(Color::Blue)).set_bold(true);
        c
    };
    let _ = out.set_color(ColorSpec::new().set_fg(Some(Color::Cyan)).set_bold(true));
    let _ = write!(out, "help");
    let _ = out.reset();
    let _ = writeln!(out, ": {message}");
    let _ = out.set_color(&blue);
    let _ = writeln!(out, "{:width$} |", "");
    let _ = out.reset();
    let mut previous: Option<(usize, char)> = None;
    for (no, mark, text) in rows {
        if let Some((p, pm)) = previous
            && no > p + 1
            && !(pm == '-' && mark == '-')
        {
            let _ = out.set_color(&blue);
            let _ = writeln!(out, "...");
            let _ = out.reset();
        }
        let _ = out.set_color(&blue);
        let _ = write!(out, "{no:>width$} ");
        let _ = out.reset();
        match mark {
            '+' => {
                let _ = out.set_color(ColorSpec::new().set_fg(Some(Color::Green)));
            }
            '-' => {
                let _ = out.set_color(ColorSpec::new().set_fg(Some(Color::Red)));
            }
            _ => {
                let _ = out.set_color(&blue);
            }
        }
        let _ = write!(out, "{mark}");
        if mark == '|' {
            let _ = out.reset();
        }
        let _ = writeln!(out, " {text}");
        let _ = out.reset();
        previous = Some((no, mark));
    }
    let _ = out.set_color(&blue);
    let _ = writeln!(out, "{:width$} |", "");
    let _ = out.reset();
    let _ = writeln!(out);
}

/// `path:line:col: level[connlint::lint]: message`
pub fn short(d: &Diagnostic, files: &[SourceFile]) -> String {
    match files.get(d.primary.file) {
        Some(f) => {
            let (line, col) = f.position(d.primary.span.start);
            format!(
                "{}:{line}:{col}: {}[{}]: {}",
                f.name,
                d.level.as_str(),
                code(d),
                d.message
            )
        }
        None => format!("{}[{}]: {}", d.level.as_str(), code(d), d.message),
    }
}

fn json_span(
    f: &SourceFile,
    span: &Range<usize>,
    file_name: &str,
    primary: bool,
    label: Option<&str>,
    replacement: Option<(&str, &str)>,
) -> Value {
    let span = clamp(span, std::slice::from_ref(f), 0);
    let (line_start, column_start) = f.position(span.start);
    let (line_end, column_end) = f.position(span.end);
    let mut text = Vec::new();
    for l in (line_start - 1)..line_end.min(f.line_count()) {
        let line_text = f.line_text(l);
        let hs = if l + 1 == line_start { column_start } else { 1 };
        let he = if l + 1 == line_end {
            column_end
        } else {
            line_text.chars().count() + 1
        };
        text.push(json!({"text": line_text, "highlight_start": hs, "highlight_end": he}));
    }
    json!({
        "file_name": file_name,
        "byte_start": span.start,
        "byte_end": span.end,
        "line_start": line_start,
        "line_end": line_end,
        "column_start": column_start,
        "column_end": column_end,
        "is_primary": primary,
        "text": text,
        "label": label,
        "suggested_replacement": replacement.map(|r| r.0),
        "suggestion_applicability": replacement.map(|r| r.1),
        "expansion": null,
    })
}

/// The rustc-format diagnostic object.
pub fn rustc_json(
    d: &Diagnostic,
    files: &[SourceFile],
    file_name: &dyn Fn(usize) -> String,
) -> Value {
    let mut spans = Vec::new();
    if let Some(f) = files.get(d.primary.file) {
        spans.push(json_span(
            f,
            &d.primary.span,
            &file_name(d.primary.file),
            true,
            Some(&d.primary.message),
            None,
        ));
    }
    for l in &d.secondary {
        if let Some(f) = files.get(l.file) {
            spans.push(json_span(
                f,
                &l.span,
                &file_name(l.file),
                false,
                Some(&l.message),
                None,
            ));
        }
    }
    let mut children: Vec<Value> = d
        .notes
        .iter()
        .map(|n| json!({"message": n, "code": null, "level": "note", "spans": [], "children": [], "rendered": null}))
        .collect();
    for h in &d.helps {
        let mut spans = Vec::new();
        if let Some(s) = &h.suggestion {
            for e in &s.edits {
                if let Some(f) = files.get(e.file) {
                    spans.push(json_span(
                        f,
                        &e.span,
                        &file_name(e.file),
                        true,
                        None,
                        Some((&e.replacement, s.applicability.as_str())),
                    ));
                }
            }
        }
        children.push(json!({"message": h.message, "code": null, "level": "help", "spans": spans, "children": [], "rendered": null}));
    }
    json!({
        "$message_type": "diagnostic",
        "message": d.message,
        "code": {"code": code(d), "explanation": null},
        "level": d.level.as_str(),
        "spans": spans,
        "children": children,
        "rendered": human(d, files, false),
    })
}

/// One cargo `compiler-message` line.
pub fn cargo_json(
    d: &Diagnostic,
    files: &[SourceFile],
    package: Option<&Package>,
    file_name: &dyn Fn(usize) -> String,
) -> String {
    let message = rustc_json(d, files, file_name);
    let (id, manifest, target) = match package {
        Some(p) => {
            let t = p
                .targets
                .iter()
                .find(|t| t.is_lib())
                .or_else(|| p.targets.first());
            let target = match t {
                Some(t) => json!({
                    "kind": t.kind,
                    "crate_types": t.crate_types,
                    "name": t.name,
                    "src_path": t.src_path,
                    "edition": t.edition,
                    "doc": true,
                    "doctest": t.is_lib(),
                    "test": true,
                }),
                None => {
                    json!({"kind": ["lib"], "crate_types": ["lib"], "name": p.name, "src_path": "", "edition": "2021"})
                }
            };
            (p.id.clone(), p.manifest_path.display().to_string(), target)
        }
        None => (
            "connlint".to_string(),
            String::new(),
            json!({"kind": ["lib"], "crate_types": ["lib"], "name": "connlint", "src_path": "", "edition": "2021"}),
        ),
    };
    json!({
        "reason": "compiler-message",
        "package_id": id,
        "manifest_path": manifest,
        "target": target,
        "message": message,
    })
    .to_string()
}
