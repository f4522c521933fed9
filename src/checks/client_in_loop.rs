//! `client_in_loop`: a client built inside a loop, a per-item closure or a
//! periodic job; the fix hoists the `let` before the loop when it can.

use super::construction::{Context, client_name, common_notes, kind_cost, new_finding};
use crate::callgraph::Origin;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Suggestion};
use crate::facts::{CallSite, Callee, FnFacts, LoopInfo, LoopKind};
use crate::lints::CLIENT_IN_LOOP;

fn loop_label(info: &LoopInfo) -> String {
    match info.kind {
        LoopKind::Closure => format!("the closure passed to `{}` runs once per item", info.what),
        LoopKind::Periodic => format!("the job passed to `{}` runs every tick", info.what),
        _ if info.periodic => "the loop runs this every tick".to_string(),
        _ => "the loop runs this once per iteration".to_string(),
    }
}

pub(super) fn in_loop(
    cx: &Context<'_>,
    f: &FnFacts,
    call: &CallSite,
    origin: &Origin,
    info: &LoopInfo,
) -> Diagnostic {
    let name = client_name(cx, origin);
    let (where_, per) = match info.kind {
        LoopKind::Closure => ("inside a per-item closure", "per item"),
        LoopKind::Periodic => ("inside a periodic job", "per tick"),
        _ if info.periodic => ("inside a periodic loop", "per tick"),
        _ => ("inside a loop", "per iteration"),
    };
    let label = format!("{} {per}", kind_cost(cx, origin));
    let mut d = new_finding(
        cx,
        CLIENT_IN_LOOP,
        f,
        call,
        format!("`{name}` built {where_}"),
        label,
    )
    .with_label(f.file, info.header.clone(), loop_label(info));
    d = common_notes(cx, d, call, origin);
    let fix = &cx.catalog.clients[origin.client].fix;
    if let Callee::Catalog {
        kind: crate::catalog::ConstructionKind::OneShot,
        path,
        ..
    } = &call.callee
    {
        // The argument of a one-shot helper is the request, not client configuration.
        return d.with_help(
            format!("build one client before the loop and send each request with it instead of `{path}`; {fix}"),
            None,
        );
    }
    if call.uses_loop_binding {
        d.with_help(
            format!(
                "the configuration depends on the loop, so keep one client per distinct configuration: a cache such as `HashMap::entry(key).or_insert_with(..)` made before the loop; {fix}"
            ),
            None,
        )
    } else {
        let suggestion = hoist_suggestion(cx, f, call, info);
        let msg = if suggestion.is_some() {
            "build the client once, before the loop; the initializer uses nothing bound in the loop"
                .to_string()
        } else {
            format!("build the client once, before the loop, and reuse it; {fix}")
        };
        d.with_help(msg, suggestion)
    }
}

/// Moves `let client = <init>;` before the loop.
fn hoist_suggestion(
    cx: &Context<'_>,
    f: &FnFacts,
    call: &CallSite,
    info: &LoopInfo,
) -> Option<Suggestion> {
    let binding = call.binding.as_ref()?;
    if !call.hoistable
        || !info.statement
        || !matches!(info.kind, LoopKind::For | LoopKind::While | LoopKind::Loop)
    {
        return None;
    }
    let file = &cx.files[f.file];
    let stmt_text = file.snippet(binding.stmt.clone());
    if stmt_text.is_empty() || stmt_text.contains('\n') {
        return None;
    }
    // The statement must sit alone on its line.
    let line = file.line_index(binding.stmt.start);
    let line_range = file.line_range(line);
    let before = &file.text[line_range.start..binding.stmt.start];
    let after = &file.text[binding.stmt.end..line_range.end];
    if !before.trim().is_empty()
        || !(after.trim().is_empty() || after.trim_start().starts_with("//"))
    {
        return None;
    }
    let loop_line = file.line_index(info.start);
    let loop_line_start = file.line_start(loop_line);
    if !file.text[loop_line_start..info.start].trim().is_empty() {
        return None;
    }
    let indent = file.indentation_at(info.start).to_string();
    let delete_end = file.line_start(line + 1).min(file.text.len());
    let applicability = if binding.has_try || binding.mutable || !binding.in_loop_body {
        Applicability::MaybeIncorrect
    } else {
        Applicability::MachineApplicable
    };
    Some(Suggestion {
        edits: vec![
            Edit {
                file: f.file,
                span: loop_line_start..loop_line_start,
                replacement: format!("{indent}{stmt_text}\n"),
            },
            Edit {
                file: f.file,
                span: line_range.start..delete_end,
                replacement: String::new(),
            },
        ],
        applicability,
    })
}
