//! Output formats: `human` (rustc's look, through codespan-reporting),
//! `short` (`path:line:col: level[lint]: message`) and `json` (cargo
//! `compiler-message` lines carrying rustc-format diagnostics) here; `sarif`,
//! `github` and the statistics in submodules, which read a [`Report`].
//!
//! Invariant: only this module and its submodules know output formats.

pub mod github;
mod layout;
mod report;
pub mod sarif;
pub mod stats;

pub use report::{Report, gone_note, repo_root};

use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label as CsLabel, Severity};
use codespan_reporting::files::{Error as FilesError, Files};
use codespan_reporting::term::termcolor::{Buffer, Color, ColorSpec, WriteColor};
use codespan_reporting::term::{self, Config};
use serde_json::{Value, json};

use crate::diagnostic::{Diagnostic, Level};
use crate::source::SourceFile;
use crate::workspace::{Package, Target};

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

/// Lines longer than this (in bytes) are cut to a window around the spans on
/// them, in every snippet (rustc and codespan-reporting trim long lines the
/// same way): a minified or generated line is never quoted whole.
pub const LONG_LINE: usize = 1000;
/// Context kept on each side of a span in a cut line, in bytes (then rounded
/// to char boundaries).
const CONTEXT: usize = 80;
/// The longest part of one span shown in a cut line.
const SPAN_SHOWN: usize = 400;

/// The window `[start, end)` (byte offsets into the file) to show of the line
/// `range` for spans from `lo` to `hi` on it; the whole line when it is short.
fn window(text: &str, range: Range<usize>, lo: usize, hi: usize) -> Range<usize> {
    if range.end - range.start <= LONG_LINE {
        return range;
    }
    let lo = lo.clamp(range.start, range.end);
    let hi = hi.clamp(lo, range.end).min(lo + SPAN_SHOWN);
    let mut start = lo.saturating_sub(CONTEXT).max(range.start);
    let mut end = (hi + CONTEXT).min(range.end);
    while start > range.start && !text.is_char_boundary(start) {
        start -= 1;
    }
    while end < range.end && !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// One line as shown: cut to its window, with `...` where text was cut.
fn shown_line(f: &SourceFile, line: usize, lo: usize, hi: usize) -> (String, usize) {
    let range = f.line_range(line);
    let w = window(&f.text, range.clone(), lo, hi);
    let mut out = String::new();
    let mut prefix = 0;
    if w.start > range.start {
        out.push_str("...");
        prefix = 3;
    }
    out.push_str(&f.text[w.clone()]);
    if w.end < range.end {
        out.push_str("...");
    }
    (out, prefix)
}

/// The lines of one file that a diagnostic shows, cut to windows: a small
/// stand-in file whose line numbers and columns are those of the real one.
struct View {
    name: String,
    text: String,
    line_starts: Vec<usize>,
    /// Per shown line: its real 0-based line index, the real byte offset its
    /// window starts at, and where that window starts in `text`.
    lines: Vec<(usize, usize, usize)>,
    /// Chars cut before each window (for real columns).
    cut_chars: Vec<usize>,
}

impl View {
    fn new(f: &SourceFile, spans: &[Range<usize>]) -> View {
        let len = f.text.len();
        // Per real line: the lowest and highest offsets of spans on it.
        let mut lines: std::collections::BTreeMap<usize, (usize, usize)> = Default::default();
        for s in spans {
            let start = s.start.min(len);
            let end = s.end.clamp(start, len);
            let (a, b) = (f.line_index(start), f.line_index(end));
            let line_end = f.line_range(a).end;
            let e = lines.entry(a).or_insert((start, start));
            e.0 = e.0.min(start);
            e.1 = e.1.max(if a == b {
                end
            } else {
                line_end.min(start + SPAN_SHOWN)
            });
            if b != a {
                let line_start = f.line_start(b);
                let e = lines.entry(b).or_insert((line_start, end));
                e.0 = e.0.min(end.saturating_sub(SPAN_SHOWN).max(line_start));
                e.1 = e.1.max(end);
            }
        }
        let mut view = View {
            name: f.name.clone(),
            text: String::new(),
            line_starts: Vec::new(),
            lines: Vec::new(),
            cut_chars: Vec::new(),
        };
        for (line, (lo, hi)) in lines {
            let range = f.line_range(line);
            let w = window(&f.text, range.clone(), lo, hi);
            view.line_starts.push(view.text.len());
            let mut at = view.text.len();
            let mut cut = f.text[range.start..w.start].chars().count();
            if w.start > range.start {
                view.text.push_str("...");
                at += 3;
                cut = cut.saturating_sub(3);
            }
            view.text.push_str(&f.text[w.clone()]);
            if w.end < range.end {
                view.text.push_str("...");
            }
            view.text.push('\n');
            view.lines.push((line, w.start, at));
            view.cut_chars.push(cut);
        }
        view
    }

    /// A real byte offset as an offset into the view.
    fn map(&self, f: &SourceFile, offset: usize) -> usize {
        let offset = offset.min(f.text.len());
        let line = f.line_index(offset);
        let k = match self.lines.binary_search_by_key(&line, |l| l.0) {
            Ok(k) => k,
            Err(k) => return self.line_starts.get(k).copied().unwrap_or(self.text.len()),
        };
        let (_, real_start, at) = self.lines[k];
        let next = self
            .line_starts
            .get(k + 1)
            .copied()
            .unwrap_or(self.text.len());
        let shown_end = next.saturating_sub(1);
        let mut v = (at + offset.saturating_sub(real_start)).min(shown_end);
        while v > 0 && !self.text.is_char_boundary(v) {
            v -= 1;
        }
        v
    }
}

/// `files` with the lines a diagnostic shows cut to windows.
struct ViewSet {
    views: std::collections::HashMap<usize, View>,
}

impl<'a> Files<'a> for ViewSet {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, FilesError> {
        self.views
            .get(&id)
            .map(|v| v.name.as_str())
            .ok_or(FilesError::FileMissing)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, FilesError> {
        self.views
            .get(&id)
            .map(|v| v.text.as_str())
            .ok_or(FilesError::FileMissing)
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, FilesError> {
        let v = self.views.get(&id).ok_or(FilesError::FileMissing)?;
        Ok(match v.line_starts.binary_search(&byte_index) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        })
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, FilesError> {
        let v = self.views.get(&id).ok_or(FilesError::FileMissing)?;
        let start = *v
            .line_starts
            .get(line_index)
            .ok_or(FilesError::LineTooLarge {
                given: line_index,
                max: v.line_starts.len().saturating_sub(1),
            })?;
        let end = v
            .line_starts
            .get(line_index + 1)
            .copied()
            .unwrap_or(v.text.len());
        Ok(start..end)
    }

    fn line_number(&'a self, id: usize, line_index: usize) -> Result<usize, FilesError> {
        let v = self.views.get(&id).ok_or(FilesError::FileMissing)?;
        Ok(v.lines.get(line_index).map_or(line_index, |l| l.0) + 1)
    }

    fn column_number(
        &'a self,
        id: usize,
        line_index: usize,
        byte_index: usize,
    ) -> Result<usize, FilesError> {
        let v = self.views.get(&id).ok_or(FilesError::FileMissing)?;
        let range = self.line_range(id, line_index)?;
        let end = byte_index.clamp(range.start, range.end);
        let shown = v
            .text
            .get(range.start..end)
            .map_or(0, |t| t.chars().count());
        Ok(v.cut_chars.get(line_index).copied().unwrap_or(0) + shown + 1)
    }
}

/// Whether any line a diagnostic shows is long enough to be cut.
fn touches_long_line(d: &Diagnostic, files: &[SourceFile]) -> bool {
    std::iter::once(&d.primary)
        .chain(&d.secondary)
        .any(|l| match files.get(l.file) {
            Some(f) => {
                let len = f.text.len();
                let a = f.line_index(l.span.start.min(len));
                let b = f.line_index(l.span.end.min(len));
                let r = |x| f.line_range(x);
                r(a).len() > LONG_LINE || r(b).len() > LONG_LINE
            }
            None => false,
        })
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
    let mut notes: Vec<String> = d
        .notes
        .iter()
        .map(|n| format!("note: {}", layout::wrap_note(n)))
        .collect();
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
        notes.push(format!("help: {}", layout::wrap_note(&h.message)));
    }
    let cs = CsDiagnostic::new(severity(d.level))
        .with_message(&d.message)
        .with_code(code(d))
        .with_labels(labels)
        .with_notes(notes);
    let config = Config {
        chars: layout::chars(),
        ..Config::default()
    };
    let mut buffer = if color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    let emitted = if touches_long_line(d, files) {
        // Long lines: render a stand-in with the lines cut to windows.
        let mut spans: std::collections::HashMap<usize, Vec<Range<usize>>> = Default::default();
        for l in std::iter::once(&d.primary).chain(&d.secondary) {
            spans.entry(l.file).or_default().push(l.span.clone());
        }
        let views: std::collections::HashMap<usize, View> = spans
            .iter()
            .filter_map(|(&id, s)| files.get(id).map(|f| (id, View::new(f, s))))
            .collect();
        let remap = |file: usize, span: &Range<usize>| match (views.get(&file), files.get(file)) {
            (Some(v), Some(f)) => {
                let a = v.map(f, span.start);
                a..v.map(f, span.end).max(a)
            }
            _ => 0..0,
        };
        let mut cs = cs;
        let all: Vec<&crate::diagnostic::Label> =
            std::iter::once(&d.primary).chain(&d.secondary).collect();
        for (label, real) in cs.labels.iter_mut().zip(all) {
            label.range = remap(real.file, &real.span);
        }
        let set = ViewSet { views };
        term::emit_to_write_style(&mut buffer, &config, &set, &cs)
    } else {
        term::emit_to_write_style(&mut buffer, &config, &set, &cs)
    };
    if emitted.is_err() {
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
    layout::rustc_layout(&text)
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
                cut(f.line_text(line)),
            ));
        } else {
            let last = f.line_index(e.span.end.saturating_sub(1).min(f.text.len()));
            for l in line..=last {
                rows.push(((l as isize + shift) as usize + 1, '-', cut(f.line_text(l))));
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
                    rows.push(((line as isize + shift) as usize + 1 + k, '+', cut(text)));
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
    let _ = writeln!(out, ": {}", layout::wrap_note(message));
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

/// A suggestion line as shown: a long line keeps its start and end.
fn cut(line: &str) -> String {
    if line.len() <= LONG_LINE {
        return line.to_string();
    }
    let mut a = CONTEXT * 2;
    while !line.is_char_boundary(a) {
        a -= 1;
    }
    let mut b = line.len() - CONTEXT;
    while !line.is_char_boundary(b) {
        b += 1;
    }
    format!("{} ... {}", &line[..a], &line[b..])
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
    // Every line of the span, except that a long span shows its first and
    // last lines only, and long lines are cut to a window (the highlight
    // columns are then within the cut text).
    let lines: Vec<usize> = if line_end - line_start > 20 {
        vec![line_start - 1, line_end - 1]
    } else {
        ((line_start - 1)..line_end.min(f.line_count())).collect()
    };
    for l in lines {
        let range = f.line_range(l);
        let lo = if l + 1 == line_start {
            span.start
        } else {
            range.start
        };
        let hi = if l + 1 == line_end {
            span.end
        } else {
            range.end.min(lo + SPAN_SHOWN)
        };
        let (line_text, prefix) = shown_line(f, l, lo, hi);
        let w = window(&f.text, range.clone(), lo, hi);
        let col = |byte: usize| {
            let byte = byte.clamp(w.start, w.end);
            prefix + f.text.get(w.start..byte).map_or(0, |t| t.chars().count()) + 1
        };
        let hs = col(lo);
        let he = col(hi).max(hs);
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

/// What the `rendered` field of a JSON diagnostic holds (cargo's
/// `json-diagnostic-short` and `json-diagnostic-rendered-ansi`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rendered {
    pub short: bool,
    pub ansi: bool,
}

impl Rendered {
    fn render(self, d: &Diagnostic, files: &[SourceFile]) -> String {
        if self.short {
            let line = short(d, files);
            if self.ansi {
                // rustc colours the level of a short diagnostic.
                let level = d.level.as_str();
                let colour = if d.level == Level::Error { 31 } else { 33 };
                return format!(
                    "{}\n",
                    line.replacen(
                        &format!(" {level}["),
                        &format!(" \x1b[1;{colour}m{level}\x1b[0m["),
                        1
                    )
                );
            }
            format!("{line}\n")
        } else {
            human(d, files, self.ansi)
        }
    }
}

/// rustc's levels: `allow` is never printed by rustc, `note` stands for it.
fn rustc_level(level: Level) -> &'static str {
    match level {
        Level::Allow => "note",
        other => other.as_str(),
    }
}

/// The rustc-format diagnostic object.
pub fn rustc_json(
    d: &Diagnostic,
    files: &[SourceFile],
    file_name: &dyn Fn(usize) -> String,
    rendered: Rendered,
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
        "level": rustc_level(d.level),
        "spans": spans,
        "children": children,
        "rendered": rendered.render(d, files),
    })
}

/// The `target` object of a cargo message (the shape of `cargo metadata`'s).
fn target_json(package: Option<&Package>, target: Option<&Target>) -> Value {
    let name = package.map_or("connlint", |p| p.name.as_str());
    match target {
        Some(t) => json!({
            "kind": t.kind,
            "crate_types": t.crate_types,
            "name": t.name,
            "src_path": t.src_path.to_string_lossy(),
            "edition": t.edition,
            "doc": t.is_lib() || t.kind.iter().any(|k| k == "bin"),
            "doctest": t.is_lib(),
            "test": true,
        }),
        None => json!({
            "kind": ["lib"],
            "crate_types": ["lib"],
            "name": name.replace('-', "_"),
            "src_path": package.map(|p| p.dir.join("src/lib.rs").to_string_lossy().into_owned()).unwrap_or_default(),
            "edition": "2021",
            "doc": true,
            "doctest": true,
            "test": true,
        }),
    }
}

/// One cargo `compiler-message` line for a diagnostic of `package`'s
/// `target` (the target whose module tree holds the file).
pub fn cargo_json(
    d: &Diagnostic,
    files: &[SourceFile],
    owner: (Option<&Package>, Option<&Target>),
    file_name: &dyn Fn(usize) -> String,
    rendered: Rendered,
) -> String {
    let (package, target) = owner;
    let message = rustc_json(d, files, file_name, rendered);
    let (id, manifest) = match package {
        Some(p) => (p.id.clone(), p.manifest_path.to_string_lossy().into_owned()),
        None => ("connlint".to_string(), String::new()),
    };
    json!({
        "reason": "compiler-message",
        "package_id": id,
        "manifest_path": manifest,
        "target": target_json(package, target),
        "message": message,
    })
    .to_string()
}

/// The cargo `compiler-message` line of the report's diagnostic `index`,
/// with absolute file names (what rust-analyzer and rustfix read).
pub fn report_json(report: &Report, index: usize, rendered: Rendered) -> Option<String> {
    let d = report.diagnostics.get(index)?;
    let file = d.primary.file;
    Some(cargo_json(
        d,
        report.files,
        (report.package_of(file), report.target_of(file)),
        &|f| report.absolute_name(f),
        rendered,
    ))
}

/// The line that closes cargo's JSON output.
pub fn build_finished(success: bool) -> String {
    json!({"reason": "build-finished", "success": success}).to_string()
}
