//! What `client_in_loop`, `client_in_handler` and `client_per_call` share:
//! the dispatch that gives each construction one finding in its most specific
//! context (loop, then handler, then per call), the finding's placement, the
//! client's name and cost, the common notes and the `static` `LazyLock`
//! suggestion. Each lint's own finding is in its file.

use super::client_in_handler::in_handler;
use super::client_in_loop::in_loop;
use super::client_per_call::per_call;
use crate::callgraph::{CallGraph, Origin};
use crate::catalog::Catalog;
use crate::diagnostic::{Applicability, Diagnostic, Edit, Level, Suggestion};
use crate::facts::{CallSite, Callee, Ctx, Flow, FnFacts, FnRole};
use crate::source::{FileId, SourceFile};
use syn::visit::Visit;
use syn::visit_mut::VisitMut;

pub struct Context<'a> {
    pub catalog: &'a Catalog,
    pub graph: &'a CallGraph<'a>,
    files: &'a [SourceFile],
    /// The files the run had unloaded, read again when a check needs them.
    read: Vec<std::sync::OnceLock<SourceFile>>,
    reread: &'a (dyn Fn(FileId) -> Option<String> + Sync),
    /// Files whose text changed since they were read.
    changed: std::sync::Mutex<Vec<FileId>>,
}

impl<'a> Context<'a> {
    /// `reread` gives the text of an unloaded file when it is still the
    /// text first read.
    pub fn new(
        catalog: &'a Catalog,
        graph: &'a CallGraph<'a>,
        files: &'a [SourceFile],
        reread: &'a (dyn Fn(FileId) -> Option<String> + Sync),
    ) -> Context<'a> {
        Context {
            catalog,
            graph,
            files,
            read: (0..files.len())
                .map(|_| std::sync::OnceLock::new())
                .collect(),
            reread,
            changed: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// A file with its text: read again once when the run had unloaded it.
    /// A file that changed meanwhile gets blanks of its old size (and stays
    /// unloaded for the report, which drops its findings).
    pub fn file(&self, id: FileId) -> &SourceFile {
        let f = &self.files[id];
        if f.is_loaded() {
            return f;
        }
        self.read[id].get_or_init(|| {
            let mut g = f.clone();
            if !(self.reread)(id).is_some_and(|t| g.reload(t)) {
                if let Ok(mut c) = self.changed.lock() {
                    c.push(id);
                }
                g = SourceFile::new(f.name.clone(), f.path.clone(), " ".repeat(f.size));
            }
            g
        })
    }

    /// The files read again, but those that changed, for the report to show.
    pub fn finish(self) -> Vec<(FileId, SourceFile)> {
        let changed = self.changed.into_inner().unwrap_or_default();
        self.read
            .into_iter()
            .enumerate()
            .filter_map(|(i, f)| Some((i, f.into_inner()?)))
            .filter(|(i, _)| !changed.contains(i))
            .collect()
    }
}

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (i, f) in cx.graph.fns.iter().enumerate() {
        if f.is_test {
            continue;
        }
        for call in &f.calls {
            let Some(origin) = cx.graph.builds(call, f.file) else {
                continue;
            };
            if cx.graph.flow(call) != Flow::Dropped {
                continue;
            }
            if let Some(mut d) = check_call(cx, i, f, call, &origin) {
                if let Some(method) = &call.session
                    && d.pedantic.is_none()
                {
                    d = d.pedantic(format!(
                        "the client is built with `.{method}(..)`: it keeps a cookie jar of its own, so a client per call is a fresh session per call, which is often deliberate; share one only if the calls may share their cookies"
                    ));
                }
                // A client for rare events is fine per event, but not per item
                // of a loop, where the events come back to back.
                if let Some(rare) = &cx.catalog.clients[origin.client].rare
                    && d.pedantic.is_none()
                    && !matches!(call.ctx, Ctx::Loop(_))
                    && !cx.graph.hot[i].as_ref().is_some_and(|c| {
                        matches!(
                            c.root,
                            crate::callgraph::HotRoot::Loop { .. }
                                | crate::callgraph::HotRoot::Periodic { .. }
                        )
                    })
                {
                    d = d.pedantic(rare.clone());
                }
                let variants = cx.graph.by_key.get(&*f.key).map_or(0, Vec::len);
                if let Some(cfg) = f.cfg.as_ref().filter(|_| variants > 1) {
                    d = d.with_note(format!(
                        "this is the `#[cfg({cfg})]` variant of `{}`; connlint checks every cfg variant",
                        f.name
                    ));
                }
                out.push(d);
            }
        }
    }
}

fn check_call(
    cx: &Context<'_>,
    fn_index: usize,
    f: &FnFacts,
    call: &CallSite,
    origin: &Origin,
) -> Option<Diagnostic> {
    match &call.ctx {
        Ctx::Once => None,
        Ctx::Loop(info) => {
            let d = in_loop(cx, f, call, origin, info);
            let consumer = cx.graph.consumed_by(call).map(|name| {
                format!(
                    "each iteration hands the client to `{name}`, which runs a loop of its own until the connection ends: one client per reconnect"
                )
            });
            let quiet_loop = cx
                .graph
                .loop_quiet(fn_index, info, config_depends_on_item(call));
            // A quiet loop (a bounded retry, a start-up loop) still builds on
            // its first turn: when the function itself runs per request or
            // per item, that is the finding.
            if quiet_loop.is_some()
                && consumer.is_none()
                && !call.dispatch
                && let Some(body) = in_body(cx, fn_index, call, origin)
                && body.pedantic.is_none()
            {
                return Some(body);
            }
            Some(
                match quiet_loop
                    .or(consumer)
                    .or_else(|| call.dispatch.then(crate::callgraph::dispatch_quiet))
                {
                    Some(why) => d.pedantic(why),
                    None => d,
                },
            )
        }
        Ctx::Handler { framework, span } => {
            let fw = &cx.catalog.handlers[*framework].framework;
            Some(in_handler(
                cx,
                f,
                call,
                origin,
                span.clone(),
                format!("this {fw} handler closure runs once per request"),
                *framework,
            ))
        }
        Ctx::Body => {
            let d = in_body(cx, fn_index, call, origin)?;
            Some(match call.kind_dispatch {
                true if d.pedantic.is_none() => {
                    d.pedantic(crate::callgraph::kind_dispatch_quiet(&f.name))
                }
                _ => d,
            })
        }
    }
}

/// A construction in the body of function `fn_index`: in a handler, or on a
/// hot chain.
fn in_body(
    cx: &Context<'_>,
    fn_index: usize,
    call: &CallSite,
    origin: &Origin,
) -> Option<Diagnostic> {
    let graph = cx.graph;
    let f = graph.fns[fn_index];
    match &graph.roles[fn_index] {
        FnRole::Entry | FnRole::Once => return None,
        FnRole::Handler { why, framework, .. } => {
            let per = cx.catalog.handlers[*framework].per();
            let label = format!("`{}` runs once per {per}: {why}", f.name);
            let d = in_handler(cx, f, call, origin, f.name_span.clone(), label, *framework);
            return Some(request_configured(d, call, true));
        }
        FnRole::Plain => {}
    }
    if let Some((framework, file, span, what)) = &graph.registered_handler[fn_index] {
        let label = format!(
            "`{}` runs once per request: it is registered with `{what}`",
            f.name
        );
        let mut d = in_handler(cx, f, call, origin, f.name_span.clone(), label, *framework);
        d = d.with_label(*file, span.clone(), "registered as a request handler here");
        return Some(request_configured(d, call, true));
    }
    let chain = graph.hot[fn_index].as_ref()?;
    let mut d = per_call(cx, f, call, origin, chain);
    if matches!(chain.root, crate::callgraph::HotRoot::Handler { .. }) {
        d = request_configured(d, call, false);
    }
    Some(if let Some(why) = &chain.quiet {
        d.pedantic(why.clone())
    } else if f.runs_long {
        d.pedantic(format!(
            "`{}` runs a long loop of its own: the client lives as long as that loop, not one call",
            f.name
        ))
    } else {
        d
    })
}

/// The construction's configuration depends on the loop's item. The
/// argument of a one-shot helper (`reqwest::get(url)`) is the request, not
/// configuration.
fn config_depends_on_item(call: &CallSite) -> bool {
    match &call.callee {
        Callee::Catalog { kind, .. } => {
            *kind != crate::catalog::ConstructionKind::OneShot
                && crate::callgraph::depends_on_item(call)
        }
        // What a wrapper does with its arguments is not known here.
        Callee::Crate(_) => false,
    }
}

/// A client configured from the request (an URL or key it carries): whether
/// the configuration repeats per request, or serves a rare admin operation,
/// the code cannot show, so the default level stays silent.
///
/// A client built in the handler itself that sends to a host the handler's
/// arguments give (`own_args`) is left to the pedantic level the same way.
fn request_configured(d: Diagnostic, call: &CallSite, own_args: bool) -> Diagnostic {
    if d.pedantic.is_some() {
        return d;
    }
    // The argument of a one-shot helper (`reqwest::get(url)`) is the request,
    // not configuration (as for the call graph's `configured_by_args`).
    let one_shot = matches!(
        call.callee,
        Callee::Catalog {
            kind: crate::catalog::ConstructionKind::OneShot,
            ..
        }
    );
    if call.uses_params && !one_shot {
        return d.pedantic(
            "the client is configured from the call's arguments (from the request): the code cannot show whether that configuration repeats per request or serves a rare operation",
        )
        .with_help(
            "if the configuration varies per request, keep one shared client and set the per-request parts on each request (`.header(..)`, `.bearer_auth(..)`, the URL), or cache one client per distinct configuration",
            None,
        );
    }
    if call.dest_from_args && own_args {
        return d.pedantic(
            "the client sends to a host that the call's arguments (the request) give: a connection to it cannot be assumed reusable, and how often this runs the code cannot show",
        )
        .with_help(
            "if it runs often, keep one shared client (application state or a `static`) and pass the URL on each request: connections to hosts that come back are reused",
            None,
        );
    }
    d
}

/// The primary span of a construction: the whole call, or for a builder chain
/// over several lines its first call, with the terminal labelled.
fn place(
    cx: &Context<'_>,
    f: &FnFacts,
    call: &CallSite,
) -> (std::ops::Range<usize>, Option<std::ops::Range<usize>>) {
    let text = cx.file(f.file).snippet(call.span.clone());
    match (&call.head, &call.terminal) {
        (Some(head), Some(terminal)) if text.contains('\n') => {
            (head.clone(), Some(terminal.clone()))
        }
        _ => (call.span.clone(), None),
    }
}

pub(super) fn new_finding(
    cx: &Context<'_>,
    lint: &'static str,
    f: &FnFacts,
    call: &CallSite,
    message: String,
    label: String,
) -> Diagnostic {
    let (primary, terminal) = place(cx, f, call);
    let mut d = Diagnostic::new(lint, Level::Warning, message, f.file, primary, label)
        .in_item(f.key.to_string());
    if let Some(t) = terminal {
        d = d.with_label(f.file, t, "the builder builds the client here");
    }
    d
}

/// The client type as the code names it: the type of the constructor called
/// (`diesel::MysqlConnection::establish` gives `diesel::MysqlConnection`), else
/// the catalog's name for the kind.
pub(super) fn client_name(cx: &Context<'_>, origin: &Origin) -> String {
    client_type(cx, origin).0
}

/// The client type as the code names it, and whether that is the type's full
/// path (a catalog type matched exactly), which a generated item can name.
fn client_type(cx: &Context<'_>, origin: &Origin) -> (String, bool) {
    let spec = &cx.catalog.clients[origin.client];
    if let Some(path) = &origin.path
        && let Some((ty, _)) = path.rsplit_once("::")
    {
        let segs = crate::catalog::split_path(ty);
        for t in &spec.types {
            let pattern = crate::catalog::PathPattern::parse(t);
            if pattern.matches(&segs) {
                // A pattern (`**::*_client::*Client`) matches generated code of the
                // crate itself: its module and type are what the user wrote.
                return if pattern.is_exact() {
                    (ty.to_string(), true)
                } else {
                    (segs[segs.len().saturating_sub(2)..].join("::"), false)
                };
            }
        }
    }
    (spec.name.clone(), false)
}

pub(super) fn kind_cost(cx: &Context<'_>, origin: &Origin) -> String {
    let kind = &cx.catalog.clients[origin.client].kind;
    cx.catalog
        .kinds
        .get(kind)
        .cloned()
        .unwrap_or_else(|| "a new client and its connections".to_string())
}

pub(super) fn pos(cx: &Context<'_>, file: usize, byte: usize) -> String {
    let f = cx.file(file);
    let (line, col) = f.position(byte);
    format!("{}:{line}:{col}", f.name)
}

/// Notes shared by every construction finding.
pub(super) fn common_notes(
    cx: &Context<'_>,
    d: Diagnostic,
    call: &CallSite,
    origin: &Origin,
) -> Diagnostic {
    let spec = &cx.catalog.clients[origin.client];
    let name = client_name(cx, origin);
    let mut d = d;
    if let Callee::Crate(_) = &call.callee {
        let callee = cx
            .graph
            .targets(call)
            .first()
            .map(|&t| cx.graph.fns[t].name.clone())
            .unwrap_or_default();
        let through = std::iter::once(&callee)
            .chain(origin.through.iter())
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(" -> ");
        d = d.with_note(format!(
            "{through} builds a new `{name}` on every call, at {}",
            pos(cx, origin.file, origin.span.start)
        ));
    } else if let Some((closure, at)) = call.called_at.as_deref() {
        d = d.with_note(format!(
            "it is built in the closure `{closure}`, which the loop calls on every iteration, at {}",
            pos(cx, origin.file, at.start)
        ));
    } else if let Some((closure, span)) = call.via_closure.as_deref() {
        d = d.with_note(format!(
            "the closure `{closure}` builds a new `{name}` on every call, at {}",
            pos(cx, origin.file, span.start)
        ));
    } else if let Callee::Catalog { path, .. } = &call.callee
        && let Some((ty, field)) = path.split_once("::default (derived, field ")
    {
        let short = ty.rsplit("::").next().unwrap_or(ty);
        d = d.with_note(format!(
            "`#[derive(Default)]` on `{short}` builds its field {} with `Default::default()`",
            field.trim_end_matches(')')
        ));
    } else if let Callee::Catalog { path, .. } = &call.callee
        && let Some((mac, inner)) = path.split_once("! (")
    {
        d = d.with_note(format!(
            "the macro `{mac}!` expands to `{}`, which builds a new `{name}` at every use",
            inner.trim_end_matches(')')
        ));
    } else if let Callee::Catalog {
        kind: crate::catalog::ConstructionKind::OneShot,
        path,
        ..
    } = &call.callee
    {
        d = d.with_note(format!(
            "`{path}` builds a throw-away `{name}` for this one request"
        ));
    }
    d.with_note(format!("what one `{name}` costs: {}", spec.cost))
}

/// Adds the `static LazyLock` suggestion when one can be made. When the
/// initializer returned its error with `?`, the message says that the error now
/// panics at first use instead.
pub(super) fn with_static_help(
    cx: &Context<'_>,
    d: Diagnostic,
    f: &FnFacts,
    call: &CallSite,
    origin: &Origin,
    message: &str,
) -> Diagnostic {
    match lazy_static_suggestion(cx, f, call, origin) {
        Some((s, false)) => d.with_help(message, Some(s)),
        Some((s, true)) => d.with_help(
            format!(
                "{message}; this changes the error handling: the `?` becomes `.expect(..)`, so a build error no longer returns `Err` but panics at the first use, and poisons the `LazyLock` so every later use panics too"
            ),
            Some(s),
        ),
        None => d,
    }
}

/// Adapters that `?` makes dead once it becomes `.expect(..)`: they only
/// convert the error (or the `Option`) that `?` would have returned.
const DEAD_BEFORE_EXPECT: &[&str] = &[
    "map_err",
    "ok",
    "ok_or",
    "ok_or_else",
    "context",
    "with_context",
    "wrap_err",
    "wrap_err_with",
];

/// The initializer is the construction at `call` (a byte range relative to
/// the parsed text) and nothing more than error handling (`?`, `.unwrap()`,
/// `.map_err(..)`, ...) and `.await` around it: a fix that moves the `let`
/// moves only the construction, never a request made with the client.
pub(super) fn only_construction(init: &syn::Expr, call: &std::ops::Range<usize>) -> bool {
    use syn::spanned::Spanned;
    let mut e = init;
    loop {
        let range = crate::index::span_range(e.span());
        if range == *call {
            return true;
        }
        if range.start > call.start || range.end < call.end {
            return false;
        }
        e = match e {
            syn::Expr::Try(t) => &t.expr,
            syn::Expr::Await(a) => &a.base,
            syn::Expr::Paren(p) => &p.expr,
            // Methods that only handle the error of, or adapt the result of, the
            // value before them: `let c = <construction>.map_err(..)?;`.
            syn::Expr::MethodCall(m)
                if m.method == "unwrap"
                    || m.method == "expect"
                    || DEAD_BEFORE_EXPECT.contains(&m.method.to_string().as_str()) =>
            {
                &m.receiver
            }
            _ => return false,
        };
    }
}

/// `static CLIENT: LazyLock<T> = LazyLock::new(|| <the same builder chain>);`
/// in place of `let client = <builder chain>;`, when the initializer is the
/// construction alone, uses no local value (so one client can serve every
/// call) and needs no `.await`. Returns whether a `?` became `.expect(..)`.
/// The item is generated with `quote` and printed with `prettyplease`.
fn lazy_static_suggestion(
    cx: &Context<'_>,
    f: &FnFacts,
    call: &CallSite,
    origin: &Origin,
) -> Option<(Suggestion, bool)> {
    let spec = &cx.catalog.clients[origin.client];
    if !spec.clone_cheap || !spec.send_sync || !matches!(call.callee, Callee::Catalog { .. }) {
        return None;
    }
    let binding = call.binding.as_ref()?;
    let file = cx.file(f.file);
    let stmt_text = file.snippet(binding.stmt.clone());
    let syn::Stmt::Local(local) = syn::parse_str::<syn::Stmt>(stmt_text).ok()? else {
        return None;
    };
    let init = local.init.as_ref()?;
    if init.diverge.is_some() || !is_constant(&init.expr) {
        return None;
    }
    let relative = call.span.start.checked_sub(binding.stmt.start)?
        ..call.span.end.checked_sub(binding.stmt.start)?;
    if !only_construction(&init.expr, &relative) {
        return None;
    }
    let (ty, full_path) = client_type(cx, origin);
    let ty: syn::Type = syn::parse_str(&ty).ok()?;
    // `--fix` applies it when the initializer is exactly a call that returns
    // the client and cannot fail, naming the type by its full path, and the
    // static's name is new to the file (two in one block would clash).
    let ident_text = binding.name.trim_start_matches('_').to_uppercase();
    let machine = full_path
        && range_of(&init.expr) == relative
        && origin
            .path
            .as_ref()
            .is_some_and(|p| spec.infallible.contains(p))
        && !crate::source::uses_word(&file.text, &ident_text)
        && !declares(
            crate::source::rest_of_block(&file.text, binding.stmt.end),
            &binding.name,
        );
    let mut expr = (*init.expr).clone();
    let mut rewrite = TryToExpect { rewrote: false };
    rewrite.visit_expr_mut(&mut expr);
    let ident = syn::Ident::new(
        if ident_text.is_empty() {
            "CLIENT"
        } else {
            &ident_text
        },
        proc_macro2::Span::call_site(),
    );
    // `LazyLock::new(|| Client::new())` is `clippy::redundant_closure`: pass
    // the function itself.
    let init_fn: syn::Expr = match &expr {
        syn::Expr::Call(c) if c.args.is_empty() && matches!(&*c.func, syn::Expr::Path(_)) => {
            (*c.func).clone()
        }
        _ => syn::parse_quote!(|| #expr),
    };
    let item: syn::Item = syn::parse2(quote::quote! {
        static #ident: std::sync::LazyLock<#ty> = std::sync::LazyLock::new(#init_fn);
    })
    .ok()?;
    let indent = file.indentation_at(binding.stmt.start).to_string();
    let mut replacement = super::generate::indented(&super::generate::print_item(item), &indent);
    let clone = super::generate::clone_stmt(&binding.name, &ident.to_string(), binding.mutable)?;
    replacement.push_str(&format!("\n{indent}{clone}"));
    Some((
        Suggestion {
            edits: vec![Edit {
                file: f.file,
                span: binding.stmt.clone(),
                replacement,
            }],
            applicability: if machine && !rewrite.rewrote {
                Applicability::MachineApplicable
            } else {
                Applicability::MaybeIncorrect
            },
        },
        rewrite.rewrote,
    ))
}

/// `text` has a `let` (or `let mut`) of `name`.
fn declares(text: &str, name: &str) -> bool {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    text.match_indices("let ").any(|(at, _)| {
        let rest = text[at + 4..].trim_start();
        let rest = rest.strip_prefix("mut ").map_or(rest, str::trim_start);
        !text[..at].ends_with(ident)
            && rest
                .strip_prefix(name)
                .is_some_and(|r| !r.starts_with(ident))
    })
}

fn range_of(e: &syn::Expr) -> std::ops::Range<usize> {
    use syn::spanned::Spanned;
    crate::index::span_range(e.span())
}

/// The expression uses no local variable (only paths, literals and calls on
/// them), has no `.await`, and no macro.
fn is_constant(e: &syn::Expr) -> bool {
    struct V(bool, Vec<String>);
    impl<'ast> Visit<'ast> for V {
        fn visit_expr_path(&mut self, p: &'ast syn::ExprPath) {
            if let Some(i) = p.path.get_ident() {
                let s = i.to_string();
                // A lower-case single name is a local variable or parameter,
                // unless a closure inside the initializer binds it.
                if (s.starts_with(|c: char| c.is_lowercase() || c == '_') || s == "self")
                    && !self.1.contains(&s)
                {
                    self.0 = false;
                }
            }
        }
        fn visit_expr_await(&mut self, _: &'ast syn::ExprAwait) {
            self.0 = false;
        }
        fn visit_macro(&mut self, _: &'ast syn::Macro) {
            self.0 = false;
        }
        fn visit_expr_closure(&mut self, c: &'ast syn::ExprClosure) {
            let mut names = Vec::new();
            for p in &c.inputs {
                crate::index::pattern_names(p, &mut names);
            }
            let before = self.1.len();
            self.1.extend(names);
            self.visit_expr(&c.body);
            self.1.truncate(before);
        }
        fn visit_expr_field(&mut self, f: &'ast syn::ExprField) {
            self.visit_expr(&f.base);
        }
    }
    let mut v = V(true, Vec::new());
    v.visit_expr(e);
    v.0
}

/// `x?` becomes `x.expect("...")`: a static initializer cannot return an
/// error. What only converted the error for `?` (`.map_err(..)`, `.ok()`,
/// `.context(..)`) goes with it; a literal context message becomes the
/// `expect` message. A `?` inside a closure returns from the closure and stays.
struct TryToExpect {
    rewrote: bool,
}

impl VisitMut for TryToExpect {
    fn visit_expr_closure_mut(&mut self, _: &mut syn::ExprClosure) {}

    fn visit_expr_async_mut(&mut self, _: &mut syn::ExprAsync) {}

    fn visit_expr_mut(&mut self, e: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, e);
        if let syn::Expr::Try(t) = e {
            let mut inner = (*t.expr).clone();
            let mut message = "connlint: build the shared client".to_string();
            while let syn::Expr::MethodCall(m) = &inner {
                let method = m.method.to_string();
                if !DEAD_BEFORE_EXPECT.contains(&method.as_str()) {
                    break;
                }
                if matches!(method.as_str(), "context" | "wrap_err")
                    && let Some(syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    })) = m.args.first()
                {
                    message = s.value();
                }
                inner = (*m.receiver).clone();
            }
            self.rewrote = true;
            *e = syn::parse_quote!(#inner.expect(#message));
        }
    }
}
