//! `unread_response_body`: a response dropped on some path without its body
//! being read.

use crate::catalog::Catalog;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Level, Suggestion};
use crate::facts::{FnFacts, ResponseFact};
use crate::lints::UNREAD_RESPONSE_BODY;
use crate::source::SourceFile;

pub fn check(catalog: &Catalog, files: &[SourceFile], fns: &[&FnFacts], out: &mut Vec<Diagnostic>) {
    for f in fns.iter().filter(|f| !f.is_test) {
        for r in &f.responses {
            out.push(diagnostic(catalog, files, f, r));
        }
    }
}

fn diagnostic(
    catalog: &Catalog,
    files: &[SourceFile],
    f: &FnFacts,
    r: &ResponseFact,
) -> Diagnostic {
    let spec = &catalog.responses[r.response];
    let (message, label) = match &r.name {
        Some(name) => (
            format!("response `{name}` dropped without reading its body"),
            "the response is received here".to_string(),
        ),
        None => (
            "response dropped without reading its body".to_string(),
            r.drops.first().map(|d| d.why.clone()).unwrap_or_default(),
        ),
    };
    let mut d = Diagnostic::new(
        UNREAD_RESPONSE_BODY,
        Level::Warning,
        message,
        f.file,
        r.span.clone(),
        label,
    );
    if r.name.is_some() {
        for drop in &r.drops {
            d = d.with_label(f.file, drop.span.clone(), drop.why.clone());
        }
    }
    d = d.with_note(format!(
        "an unread body keeps the connection from going back to the pool; {}: {}",
        spec.name, spec.unread_effect
    ));
    if spec.drain.is_empty() {
        return d.with_help(
            "read the body (or consume it) on every path before the response is dropped",
            None,
        );
    }
    let var = r.name.clone().unwrap_or_else(|| "resp".to_string());
    let drain = spec.drain.replace("{resp}", &var);
    let suggestion = r
        .name
        .as_ref()
        .and_then(|_| drain_suggestion(files, f, r, &drain));
    d.with_help(
        format!("read or drain the body before it is dropped: `{drain}`; or send a request without a body (`HEAD`) when only the status matters"),
        suggestion,
    )
}

/// Inserts the drain before the first exit that drops the response, when that
/// exit starts its own line.
fn drain_suggestion(
    files: &[SourceFile],
    f: &FnFacts,
    r: &ResponseFact,
    drain: &str,
) -> Option<Suggestion> {
    let drop = r.drops.first()?;
    let file = &files[f.file];
    let line = file.line_index(drop.span.start);
    let start = file.line_start(line);
    if !file.text[start..drop.span.start].trim().is_empty()
        || file.text[drop.span.clone()].starts_with('}')
    {
        return None;
    }
    let needs_await = drain.contains(".await");
    if needs_await && !r.awaited {
        return None;
    }
    let indent = file.indentation_at(drop.span.start);
    Some(Suggestion {
        edits: vec![Edit {
            file: f.file,
            span: start..start,
            replacement: format!("{indent}{drain}\n"),
        }],
        applicability: Applicability::MaybeIncorrect,
    })
}
