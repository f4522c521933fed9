//! connlint diagnostics as LSP diagnostics and quick fixes: `file://` URIs,
//! UTF-16 positions (LSP's default encoding), notes in the message, labels
//! as related information, suggestions as code actions.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use lsp_types as lsp;

use crate::diagnostic::{Applicability, Diagnostic, Level};
use crate::source::SourceFile;

/// Bytes left as they are in a `file://` URI path.
fn plain(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'.' | b'_' | b'~')
}

pub fn path_to_uri(path: &Path) -> Option<lsp::Uri> {
    let text = path.to_string_lossy();
    let mut uri = String::from("file://");
    for b in text.bytes() {
        if plain(b) {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    lsp::Uri::from_str(&uri).ok()
}

pub fn uri_to_path(uri: &lsp::Uri) -> Option<PathBuf> {
    let rest = uri.as_str().strip_prefix("file://")?;
    let bytes = rest.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    Some(PathBuf::from(String::from_utf8(out).ok()?))
}

/// The LSP position of byte `at`: 0-based line, UTF-16 code units.
pub fn position(file: &SourceFile, at: usize) -> lsp::Position {
    let at = at.min(file.text.len());
    let line = file.line_index(at);
    let start = file.line_start(line);
    let character = file
        .text
        .get(start..at)
        .map_or(0, |t| t.encode_utf16().count());
    lsp::Position::new(
        u32::try_from(line).unwrap_or(u32::MAX),
        u32::try_from(character).unwrap_or(u32::MAX),
    )
}

pub fn range(file: &SourceFile, span: &Range<usize>) -> lsp::Range {
    lsp::Range::new(position(file, span.start), position(file, span.end))
}

/// One finding as the editor sees it, with its quick fixes.
#[derive(Debug, Clone)]
pub struct Published {
    pub diagnostic: lsp::Diagnostic,
    pub fixes: Vec<lsp::CodeAction>,
}

fn location(files: &[SourceFile], file: usize, span: &Range<usize>) -> Option<lsp::Location> {
    let f = files.get(file)?;
    Some(lsp::Location::new(path_to_uri(&f.path)?, range(f, span)))
}

// `lsp::Uri` caches its parse (a false positive of this lint); `WorkspaceEdit`
// keys its changes by it.
#[allow(clippy::mutable_key_type)]
pub fn diagnostic(d: &Diagnostic, files: &[SourceFile]) -> Option<(lsp::Uri, Published)> {
    let file = files.get(d.primary.file)?;
    let uri = path_to_uri(&file.path)?;
    let mut message = d.message.clone();
    for note in d.notes.iter().chain(d.helps.iter().map(|h| &h.message)) {
        message.push('\n');
        message.push_str(note);
    }
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .secondary
        .iter()
        .filter_map(|l| {
            Some(lsp::DiagnosticRelatedInformation {
                location: location(files, l.file, &l.span)?,
                message: l.message.clone(),
            })
        })
        .collect();
    let diagnostic = lsp::Diagnostic {
        range: range(file, &d.primary.span),
        severity: Some(match d.level {
            Level::Error => lsp::DiagnosticSeverity::ERROR,
            Level::Warning | Level::Allow => lsp::DiagnosticSeverity::WARNING,
        }),
        code: Some(lsp::NumberOrString::String(d.lint.to_string())),
        source: Some("connlint".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: (d.lint == crate::lints::UNUSED_SUPPRESSION)
            .then(|| vec![lsp::DiagnosticTag::UNNECESSARY]),
        ..lsp::Diagnostic::default()
    };
    let fixes = d
        .helps
        .iter()
        .filter_map(|h| {
            let s = h.suggestion.as_ref()?;
            if matches!(
                s.applicability,
                Applicability::HasPlaceholders | Applicability::Unspecified
            ) {
                return None;
            }
            let mut changes: HashMap<lsp::Uri, Vec<lsp::TextEdit>> = HashMap::new();
            for e in &s.edits {
                let f = files.get(e.file)?;
                changes
                    .entry(path_to_uri(&f.path)?)
                    .or_default()
                    .push(lsp::TextEdit::new(range(f, &e.span), e.replacement.clone()));
            }
            Some(lsp::CodeAction {
                title: h.message.clone(),
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic.clone()]),
                edit: Some(lsp::WorkspaceEdit::new(changes)),
                is_preferred: Some(s.applicability == Applicability::MachineApplicable),
                ..lsp::CodeAction::default()
            })
        })
        .collect();
    Some((uri, Published { diagnostic, fixes }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_round_trip_and_positions_are_utf16() {
        let path = Path::new("/tmp/a dir/é.rs");
        let uri = path_to_uri(path);
        assert_eq!(
            uri.as_ref().map(|u| u.as_str()),
            Some("file:///tmp/a%20dir/%C3%A9.rs")
        );
        assert_eq!(uri.and_then(|u| uri_to_path(&u)).as_deref(), Some(path));
        let file = SourceFile::new("a.rs".into(), path.into(), "let s = \"😀é\"; f();\n".into());
        let at = file.text.find("f()").unwrap_or(0);
        assert_eq!(
            position(&file, at),
            lsp::Position::new(0, 15),
            "😀 is two UTF-16 units"
        );
    }
}
