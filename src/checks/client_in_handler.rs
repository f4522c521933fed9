//! `client_in_handler`: a client built inside a request handler (a handler
//! function, or a closure registered as one).

use super::construction::{
    Context, client_name, common_notes, kind_cost, new_finding, with_static_help,
};
use crate::callgraph::Origin;
use crate::diagnostic::Diagnostic;
use crate::facts::{CallSite, FnFacts};
use crate::lints::CLIENT_IN_HANDLER;

pub(super) fn in_handler(
    cx: &Context<'_>,
    f: &FnFacts,
    call: &CallSite,
    origin: &Origin,
    handler_span: std::ops::Range<usize>,
    handler_label: String,
    framework: usize,
) -> Diagnostic {
    let name = client_name(cx, origin);
    let spec = &cx.catalog.handlers[framework];
    let label = format!("{} per {}", kind_cost(cx, origin), spec.per());
    let message = if spec.is_export() {
        format!(
            "`{name}` built inside a function called from {}",
            spec.caller
        )
    } else {
        format!("`{name}` built inside a request handler")
    };
    let mut d = new_finding(cx, CLIENT_IN_HANDLER, f, call, message, label).with_label(
        f.file,
        handler_span,
        handler_label,
    );
    d = common_notes(cx, d, call, origin);
    let fix = &cx.catalog.clients[origin.client].fix;
    let help = if spec.is_export() {
        format!(
            "build it once and share it: a `static` `LazyLock`, or a handle the caller keeps; {fix}"
        )
    } else {
        format!(
            "build it once at start-up and share it: application state (`State`, `web::Data`, `Extension`) or a `static` `LazyLock`; {fix}"
        )
    };
    let d = d.with_help(help, None);
    with_static_help(
        cx,
        d,
        f,
        call,
        origin,
        if spec.is_export() {
            "for example, one client in a `static`: its initializer uses nothing from the call"
        } else {
            "for example, one client in a `static`: its initializer uses nothing from the request"
        },
    )
}
