//! `client_per_call`: a client built on every call of a function that runs
//! hot (reached from a handler, a job, a loop, recursion or public API), with
//! the call chain that makes it hot.

use super::construction::{
    Context, client_name, common_notes, kind_cost, new_finding, pos, with_static_help,
};
use crate::callgraph::{Chain, HotRoot, Origin};
use crate::diagnostic::Diagnostic;
use crate::facts::{CallSite, FnFacts, LoopKind};
use crate::lints::CLIENT_PER_CALL;

pub(super) fn per_call(
    cx: &Context<'_>,
    f: &FnFacts,
    call: &CallSite,
    origin: &Origin,
    chain: &Chain,
) -> Diagnostic {
    let name = client_name(cx, origin);
    let label = format!("{} on every call", kind_cost(cx, origin));
    let mut d = new_finding(
        cx,
        CLIENT_PER_CALL,
        f,
        call,
        format!("`{name}` built on every call of `{}`", f.name),
        label,
    )
    .with_label(
        f.file,
        f.name_span.clone(),
        format!("`{}` drops the client when it returns", f.name),
    );
    d = d.with_note(chain_note(cx, f, chain));
    d = common_notes(cx, d, call, origin);
    let ty = client_name(cx, origin);
    let d = d.with_help(
        format!(
            "take the client from the caller (a `&{ty}` parameter, or application state); if the configuration depends on an argument, cache one client per distinct configuration"
        ),
        None,
    );
    with_static_help(
        cx,
        d,
        f,
        call,
        origin,
        "or keep one client in a `static`: its initializer uses nothing from the call",
    )
}

pub(crate) fn chain_note(cx: &Context<'_>, f: &FnFacts, chain: &Chain) -> String {
    let (per, root) = match &chain.root {
        HotRoot::Handler {
            name,
            file,
            span,
            why,
            framework,
        } => {
            let export = framework
                .map(|fw| &cx.catalog.handlers[fw])
                .filter(|spec| spec.is_export());
            if let Some(spec) = export {
                if chain.steps.is_empty() {
                    return format!(
                        "`{name}` runs once per {}: {why} ({})",
                        spec.per(),
                        pos(cx, *file, span.start)
                    );
                }
                (
                    "once per call",
                    format!("`{name}`, which {} calls ({why}),", spec.caller),
                )
            } else {
                if chain.steps.is_empty() {
                    return format!(
                        "`{name}` is a request handler: {why} ({})",
                        pos(cx, *file, span.start)
                    );
                }
                ("once per request", format!("the request handler `{name}`"))
            }
        }
        HotRoot::Periodic { what, file, span } => {
            if chain.steps.is_empty() {
                return format!(
                    "`{}` is a job scheduled with `{what}` at {}, so it runs every tick",
                    f.name,
                    pos(cx, *file, span.start)
                );
            }
            ("every tick", format!("a job scheduled with `{what}`"))
        }
        HotRoot::Loop { caller, kind, .. } => match kind {
            LoopKind::Closure => ("once per item", format!("a per-item closure in `{caller}`")),
            LoopKind::Periodic => ("every tick", format!("a job scheduled in `{caller}`")),
            _ => ("once per iteration", format!("a loop in `{caller}`")),
        },
        HotRoot::PublicApi { name } => {
            if chain.steps.is_empty() {
                return format!(
                    "`{name}` is public API of a library and nothing in the workspace calls it, so its users may call it per request or per item"
                );
            }
            (
                "as often as its callers like",
                format!("the public function `{name}`, which nothing in the workspace calls,"),
            )
        }
    };
    let mut text = format!("`{}` runs {per}: {root}", f.name);
    let steps = chain.steps.to_vec();
    // A long chain shows its first and last calls.
    const SHOWN: usize = 6;
    for (i, step) in steps.iter().enumerate() {
        if steps.len() > 2 * SHOWN && i >= SHOWN && i < steps.len() - SHOWN {
            if i == SHOWN {
                text.push_str(&format!(
                    ", which calls ({} more calls)",
                    steps.len() - 2 * SHOWN
                ));
            }
            continue;
        }
        let callee = steps
            .get(i + 1)
            .map(|s| s.caller.as_str())
            .unwrap_or(f.name.as_str());
        let sep = if i == 0 { " calls" } else { ", which calls" };
        text.push_str(&format!(
            "{sep} `{callee}` at {}",
            pos(cx, step.file, step.span.start)
        ));
    }
    text
}
