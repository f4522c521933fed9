//! `unread_response_body`: a response dropped on some path without its body
//! being read.

use crate::catalog::Catalog;
use crate::checks::construction::Context;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Level, Suggestion};
use crate::facts::{Ctx, DropSite, Flow, FnFacts, HandOff, ResponseFact};
use crate::lints::UNREAD_RESPONSE_BODY;
use crate::source::{SourceFile, rest_of_block, statement_at, uses_word};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    // A helper's response parameter that it drops unread is reported where
    // each caller produced the response (`ensure_ok(resp)?`), not in the helper.
    let mut handed: std::collections::HashSet<(usize, usize)> = Default::default();
    for (i, f) in cx.graph.fns.iter().enumerate() {
        if f.is_test {
            continue;
        }
        for r in f.responses.iter().filter(|r| !throwaway(cx, f, r)) {
            for h in &r.handoffs {
                let Some((callee, param)) = dropping_param(cx, h) else {
                    continue;
                };
                let (r, note, name, inner) = handed_fact(cx, r, h, callee, param);
                let to = Some((name.as_str(), inner.as_deref()));
                let mut d = diagnostic(cx.catalog, cx.file(f.file), f, &r, to);
                if let Some(note) = note {
                    d.notes.insert(0, note);
                }
                let d = leveled(cx, i, f, &r, d);
                // Where the caller cannot show that it runs often, the
                // helper's own finding (with its own chain) stays too.
                if d.pedantic.is_none() {
                    handed.insert((callee, param));
                }
                out.push(d);
            }
        }
    }
    for (i, f) in cx.graph.fns.iter().enumerate() {
        if f.is_test {
            continue;
        }
        for r in f
            .responses
            .iter()
            .filter(|r| !r.drops.is_empty() && !throwaway(cx, f, r))
        {
            if r.param.is_some_and(|p| handed.contains(&(i, p))) {
                continue;
            }
            let d = diagnostic(cx.catalog, cx.file(f.file), f, r, None);
            out.push(leveled(cx, i, f, r, d));
        }
    }
}

/// The response went out on a client built in this function that dies with
/// it, and nothing uses that client after the response is dropped: draining
/// the body would hand the connection to a pool nobody uses again (the
/// construction is what the client lints report). An error return that drops
/// the server's message counts too: it is an error path, and the client goes
/// with it.
fn throwaway(cx: &Context<'_>, f: &FnFacts, r: &ResponseFact) -> bool {
    let Some(client) = r.client.as_ref().filter(|c| !c.reused) else {
        return false;
    };
    f.calls.iter().any(|call| {
        call.binding.as_ref().is_some_and(|b| b.stmt == client.stmt)
            && cx.graph.builds(call, f.file).is_some()
            && cx.graph.flow(call) == Flow::Dropped
    })
}

/// The response's host comes from the request data of a handler: from the
/// arguments of the handler itself (or of a handler closure's function), or
/// from a parameter that every call on the handler's chain down to this
/// function fills from a parameter of its caller, up to the handler's.
fn host_from_handler(cx: &Context<'_>, fn_index: usize, r: &ResponseFact) -> bool {
    let graph = cx.graph;
    let Some(mut param) = r.from_request else {
        return false;
    };
    match r.ctx {
        Ctx::Handler { .. } => return true,
        Ctx::Body if graph.is_handler(fn_index) => return true,
        Ctx::Body => {}
        Ctx::Loop(_) | Ctx::Once => return false,
    }
    let Some(chain) = graph.hot[fn_index].as_ref() else {
        return false;
    };
    if !matches!(chain.root, crate::callgraph::HotRoot::Handler { .. }) {
        return false;
    }
    // From this function up to the handler, each call passes the host on.
    chain.steps.to_vec().iter().rev().all(|step| {
        let passed = graph.fns.iter().find_map(|g| {
            (g.file == step.file)
                .then(|| g.calls.iter().find(|c| c.span == step.span))
                .flatten()
                .and_then(|c| c.dest_args.iter().find(|(arg, _)| *arg == param))
        });
        match passed {
            Some(&(_, from)) => {
                param = from;
                true
            }
            None => false,
        }
    })
}

/// The finding at the level its frequency gives (with the chain as a note).
fn leveled(cx: &Context<'_>, i: usize, f: &FnFacts, r: &ResponseFact, d: Diagnostic) -> Diagnostic {
    match how_often(cx, i, f, r) {
        Ok(Some(note)) => {
            let mut d = d;
            d.notes.insert(0, note);
            d
        }
        Ok(None) => d,
        Err(why) => d.pedantic(why),
    }
}

/// The function and parameter a hand-off reaches, when that function drops
/// the parameter unread.
fn dropping_param(cx: &Context<'_>, h: &HandOff) -> Option<(usize, usize)> {
    h.callee.iter().find_map(|k| {
        cx.graph.by_key.get(&**k)?.iter().find_map(|&t| {
            cx.graph.fns[t]
                .responses
                .iter()
                .any(|p| p.param == Some(h.param) && !p.drops.is_empty())
                .then_some((t, h.param))
        })
    })
}

/// The caller's response, dropped where it is handed to `callee`, with a note
/// on where the callee drops it, the callee's name and its parameter's name.
fn handed_fact(
    cx: &Context<'_>,
    r: &ResponseFact,
    h: &HandOff,
    callee: usize,
    param: usize,
) -> (ResponseFact, Option<String>, String, Option<String>) {
    let g = cx.graph.fns[callee];
    let inner = g.responses.iter().find(|p| p.param == Some(param));
    let mut fact = r.clone();
    fact.drops = vec![DropSite {
        span: h.span.clone(),
        why: format!("passed to `{}`, which drops it unread", g.name),
    }];
    fact.handoffs.clear();
    let note = inner.and_then(|p| p.drops.first()).map(|drop| {
        let file = cx.file(g.file);
        let (line, col) = file.position(drop.span.start);
        let how = drop.why.strip_prefix("dropped here ").unwrap_or(&drop.why);
        format!("`{}` drops it at {}:{line}:{col}, {how}", g.name, file.name)
    });
    let inner_name = inner.and_then(|p| p.name.clone());
    (fact, note, g.name.clone(), inner_name)
}

/// Whether the path that drops the response runs often: in a loop, a
/// request handler, or a function the call graph reaches from one (with the
/// chain as a note). `Err` says why the default level stays silent.
fn how_often(
    cx: &Context<'_>,
    fn_index: usize,
    f: &FnFacts,
    r: &ResponseFact,
) -> Result<Option<String>, String> {
    // Only the `ETag` is read: the reply to an upload (object stores answer
    // with an empty body and the ETag header).
    if r.headers_read
        && !r.status_read
        && rest_of_block(&cx.file(f.file).text, r.span.start)
            .to_ascii_lowercase()
            .contains("etag")
    {
        return Err(
            "only its `ETag` header is read: the reply to an upload, whose body is empty"
                .to_string(),
        );
    }
    // A workspace function that returns an upload's answer hands an upload's answer back.
    let via_upload = !r.via.is_empty()
        && r.via.iter().all(|k| {
            cx.graph.by_key.get(&**k).is_some_and(|fs| {
                !fs.is_empty() && fs.iter().all(|&i| cx.graph.fns[i].returns_upload)
            })
        });
    if r.upload || via_upload {
        return Err(
            "it answers a `PUT`: an upload usually answers with an empty body (storage APIs reply with headers such as `ETag`)"
                .to_string(),
        );
    }
    let graph = cx.graph;
    if !graph.enabled {
        return Ok(None);
    }
    // A host that the request being handled names: nothing shows the next
    // request goes there too, nor how often. An error return that drops the
    // server's message is a finding wherever the request went.
    if !r.error_message && host_from_handler(cx, fn_index, r) {
        return Err(
            "the request goes to a host that the call's arguments (the request) give: whether the next request goes to the same host, and how often this runs, the code cannot show"
                .to_string(),
        );
    }
    match &r.ctx {
        Ctx::Once => Err("the response is received in run-once code".to_string()),
        Ctx::Handler { .. } => Ok(None),
        Ctx::Loop(info) => match graph.loop_quiet(fn_index, info, false) {
            Some(why) => Err(why),
            None => Ok(None),
        },
        Ctx::Body => {
            if graph.is_handler(fn_index) {
                return Ok(None);
            }
            match &graph.hot[fn_index] {
                Some(chain) => match &chain.quiet {
                    Some(why) => Err(why.clone()),
                    None => Ok(Some(crate::checks::client_per_call::chain_note(
                        cx, f, chain,
                    ))),
                },
                None if graph.once[fn_index] => Err(format!(
                    "`{}` runs once (it is reached only from `main`, start-up or an initializer)",
                    f.name
                )),
                None => Err(format!(
                    "nothing shows that `{}` runs per request, per item or per tick",
                    f.name
                )),
            }
        }
    }
}

fn diagnostic(
    catalog: &Catalog,
    file: &SourceFile,
    f: &FnFacts,
    r: &ResponseFact,
    handed_to: Option<(&str, Option<&str>)>,
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
    )
    .in_item(f.key.to_string());
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
    let Some(name) = &r.name else {
        // Never bound: there is no variable to name. Say how to bind it, with
        // a name that the rest of the block does not use (the new `let` would
        // shadow it).
        let var = fresh_name(rest_of_block(&file.text, r.span.start));
        let drain = spec.drain.replace("{resp}", &var);
        return d.with_help(
            format!("bind the response and read or drain its body before it is dropped: `let {var} = ...; {drain}`; or send a request without a body (`HEAD`) when only the status matters"),
            None,
        );
    };
    let drain = spec.drain.replace("{resp}", name);
    // A `Result` that holds the response: the drain takes it out first.
    let drain = if r.in_result {
        format!("if let Ok({name}) = {name} {{ {drain} }}")
    } else {
        drain
    };
    if let Some((callee, param)) = handed_to {
        // Each binding is named where it exists: the parameter in the callee,
        // `name` here.
        let there = param
            .map(|p| format!(" (`{}`)", spec.drain.replace("{resp}", p)))
            .unwrap_or_default();
        return d.with_help(
            format!("read or drain the body in `{callee}` on the path that drops it{there}, or read it here before handing it over (`{drain}`)"),
            None,
        );
    }
    let suggestion = drain_suggestion(file, f, r, &drain).filter(|_| !r.in_result);
    d.with_help(
        format!("read or drain the body before it is dropped: `{drain}`; or send a request without a body (`HEAD`) when only the status matters"),
        suggestion,
    )
}

/// `resp`, or `response`, `resp2`, ... when `text` already uses that word.
fn fresh_name(text: &str) -> String {
    ["resp", "response"]
        .into_iter()
        .map(str::to_string)
        .chain((2..).map(|i| format!("resp{i}")))
        .find(|n| !uses_word(text, n))
        .unwrap_or_default()
}

/// Inserts the drain before the first exit that drops the response, when that
/// exit starts its own line.
fn drain_suggestion(
    file: &SourceFile,
    f: &FnFacts,
    r: &ResponseFact,
    drain: &str,
) -> Option<Suggestion> {
    let drop = r.drops.first()?;
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
    // The drain moves the response: not before a statement that still uses
    // it (`return Err(status_error(resp.status()))`).
    let statement = statement_at(&file.text, drop.span.start);
    if r.name.as_deref().is_some_and(|n| uses_word(statement, n)) {
        return None;
    }
    let indent = file.indentation_at(drop.span.start);
    let drain = super::generate::statement(drain)?;
    Some(Suggestion {
        edits: vec![Edit {
            file: f.file,
            span: start..start,
            replacement: format!("{indent}{}\n", super::generate::indented(&drain, indent)),
        }],
        applicability: Applicability::MaybeIncorrect,
    })
}
