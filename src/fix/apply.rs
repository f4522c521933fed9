//! Applying suggestions to texts in memory: which suggestions go together
//! (no two edits overlap), the edited text, and the parse check that turns a
//! suggestion leaving a file unparsable into a reverted one.

use std::collections::BTreeMap;
use std::ops::Range;

use crate::diagnostic::{Applicability, Diagnostic, Edit, Suggestion};
use crate::source::{FileId, SourceFile};

/// Which applicabilities a run applies: `MachineApplicable` always,
/// `MaybeIncorrect` with `--unsafe-fixes`; suggestions with placeholders never.
pub fn applies(a: Applicability, unsafe_fixes: bool) -> bool {
    match a {
        Applicability::MachineApplicable => true,
        Applicability::MaybeIncorrect => unsafe_fixes,
        Applicability::HasPlaceholders | Applicability::Unspecified => false,
    }
}

/// The suggestion a finding's fix applies: its first help whose suggestion
/// has edits and an applicability the run accepts.
pub fn suggestion_of(d: &Diagnostic, unsafe_fixes: bool) -> Option<&Suggestion> {
    d.helps
        .iter()
        .filter_map(|h| h.suggestion.as_ref())
        .find(|s| !s.edits.is_empty() && applies(s.applicability, unsafe_fixes))
}

/// One finding whose fix was applied, or reverted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub lint: &'static str,
    pub message: String,
    /// File id and byte offset of the finding in the text it was found in.
    pub file: FileId,
    pub at: usize,
    pub applicability: Applicability,
}

/// A fix that was not applied because the result would not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reverted {
    pub finding: Applied,
    pub reason: String,
}

/// The outcome of one round over the findings: the new text of every file
/// that changed, what was applied and what was reverted. A suggestion that
/// overlaps one already taken waits for the next round.
#[derive(Debug, Default)]
pub struct Round {
    pub texts: BTreeMap<FileId, String>,
    pub applied: Vec<Applied>,
    pub reverted: Vec<Reverted>,
    /// Suggestions left for a later round (they overlapped a taken one).
    pub deferred: usize,
}

/// Applies the fixes of `diagnostics` (in order) to `files`. Each suggestion
/// is taken whole or not at all: it is skipped when one of its edits overlaps
/// an edit already taken, and reverted when a file it touches would no longer
/// parse (`crate::parse_source`).
pub fn round(files: &[SourceFile], diagnostics: &[Diagnostic], unsafe_fixes: bool) -> Round {
    let mut taken: BTreeMap<FileId, Vec<&Edit>> = BTreeMap::new();
    let mut out = Round::default();
    for d in diagnostics {
        let Some(s) = suggestion_of(d, unsafe_fixes) else {
            continue;
        };
        let finding = Applied {
            lint: d.lint,
            message: d.message.clone(),
            file: d.primary.file,
            at: d.primary.span.start,
            applicability: s.applicability,
        };
        if s.edits.iter().any(|e| files.get(e.file).is_none()) {
            continue;
        }
        let mut trial = taken.clone();
        let mut conflict = false;
        for e in &s.edits {
            let list = trial.entry(e.file).or_default();
            if list.contains(&e) {
                continue;
            }
            if list.iter().any(|t| overlaps(&t.span, &e.span)) {
                conflict = true;
                break;
            }
            list.push(e);
        }
        if conflict {
            out.deferred += 1;
            continue;
        }
        let mut texts = BTreeMap::new();
        let mut failed = None;
        for file in s.edits.iter().map(|e| e.file) {
            if texts.contains_key(&file) {
                continue;
            }
            let edits = trial.get(&file).map(Vec::as_slice).unwrap_or_default();
            let text = apply_edits(&files[file].text, edits);
            if let Err(e) = crate::parse_source(&text) {
                let at = e.span().start();
                let (line, col) = (at.line, at.column + 1);
                failed = Some(format!(
                    "the fixed `{}` would not parse ({line}:{col}: {e})",
                    files[file].name
                ));
                break;
            }
            texts.insert(file, text);
        }
        match failed {
            Some(reason) => out.reverted.push(Reverted { finding, reason }),
            None => {
                taken = trial;
                out.texts.extend(texts);
                out.applied.push(finding);
            }
        }
    }
    out
}

/// Two edits conflict when their ranges share a byte, or when both insert at
/// the same place (the order of the insertions would be a guess). An
/// insertion at the start or end of a replaced range does not conflict.
fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    if a.is_empty() && b.is_empty() {
        return a.start == b.start;
    }
    if a.is_empty() || b.is_empty() {
        let (point, range) = if a.is_empty() { (a, b) } else { (b, a) };
        return range.start < point.start && point.start < range.end;
    }
    a.start < b.end && b.start < a.end
}

/// `text` with non-overlapping `edits` applied (in any order given). In a
/// file whose lines end in `\r\n`, the inserted lines end the same way.
pub fn apply_edits(text: &str, edits: &[&Edit]) -> String {
    let mut sorted: Vec<&Edit> = edits.to_vec();
    sorted.sort_by_key(|e| (e.span.start, e.span.end));
    let crlf = text.contains("\r\n");
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in sorted {
        let start = e.span.start.clamp(at, text.len());
        out.push_str(text.get(at..start).unwrap_or_default());
        if crlf {
            out.push_str(&e.replacement.replace("\r\n", "\n").replace('\n', "\r\n"));
        } else {
            out.push_str(&e.replacement);
        }
        at = e.span.end.clamp(start, text.len());
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(span: Range<usize>, replacement: &str) -> Edit {
        Edit {
            file: 0,
            span,
            replacement: replacement.to_string(),
        }
    }

    #[test]
    fn edits_apply_in_offset_order() {
        let a = edit(4..5, "y");
        let b = edit(0..0, "// x\n");
        assert_eq!(apply_edits("let x = 1;", &[&a, &b]), "// x\nlet y = 1;");
        let c = edit(0..0, "a\nb\r\n");
        assert_eq!(apply_edits("x\r\n", &[&c]), "a\r\nb\r\nx\r\n");
    }

    #[test]
    fn a_fix_that_breaks_parsing_is_reverted() {
        let files = vec![SourceFile::new(
            "a.rs".into(),
            "a.rs".into(),
            "fn a() { let x = 1; }\n".into(),
        )];
        let finding = |replacement: &str| {
            Diagnostic::new(
                "client_in_loop",
                crate::diagnostic::Level::Warning,
                "m",
                0,
                9..19,
                "",
            )
            .with_help(
                "h",
                Some(Suggestion {
                    edits: vec![edit(9..19, replacement)],
                    applicability: Applicability::MachineApplicable,
                }),
            )
        };
        let r = round(&files, &[finding("let x = {;")], false);
        assert!(r.texts.is_empty() && r.applied.is_empty());
        assert!(r.reverted[0].reason.contains("would not parse"));
        let r = round(
            &files,
            &[finding("let y = 2;"), finding("let z = 3;")],
            false,
        );
        assert_eq!(r.texts[&0], "fn a() { let y = 2; }\n");
        assert_eq!((r.applied.len(), r.deferred), (1, 1));
    }

    #[test]
    fn overlap_rules() {
        assert!(overlaps(&(0..4), &(3..5)));
        assert!(!overlaps(&(0..3), &(3..5)));
        assert!(overlaps(&(2..2), &(2..2)));
        assert!(!overlaps(&(3..3), &(3..5)));
        assert!(overlaps(&(4..4), &(3..5)));
    }
}
