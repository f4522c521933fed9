//! Helpers over syntax that need no walker state.

use super::*;

/// Statuses whose responses carry no body (RFC 9110: 204 and 304).
pub(super) fn is_no_body_status(text: &str) -> bool {
    let t = text.replace(' ', "");
    t.ends_with("NO_CONTENT") || t.ends_with("NOT_MODIFIED") || t == "204" || t == "304"
}

/// `resp.status()` or `resp.status().as_u16()`: the response variable.
pub(super) fn status_receiver(e: &syn::Expr) -> Option<String> {
    match strip_parens(e) {
        syn::Expr::MethodCall(m) if m.method == "status" => responses::bare_ident(&m.receiver),
        syn::Expr::MethodCall(m) if m.method == "as_u16" => status_receiver(&m.receiver),
        syn::Expr::Field(f) => {
            // ureq 2: `resp.status()` is a method too; hyper parts: `parts.status`.
            responses::bare_ident(&f.base)
        }
        _ => None,
    }
}

/// A condition that tests a response for failure in general, as opposed to
/// one expected status (`== 404`): the response, and whether the `then`
/// branch is the failing one. `!resp.status().is_success()` and
/// `resp.status() != StatusCode::OK` fail on `then`, `resp.status().is_success()`
/// and `resp.status() == 200` on `else`.
pub(super) fn failure_test(cond: &syn::Expr) -> Option<(String, bool)> {
    match strip_parens(cond) {
        syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Not(_)) => {
            failure_test(&u.expr).map(|(n, then)| (n, !then))
        }
        syn::Expr::MethodCall(m) => {
            let name = status_receiver(&m.receiver)?;
            match m.method.to_string().as_str() {
                "is_success" => Some((name, false)),
                "is_client_error" | "is_server_error" => Some((name, true)),
                _ => None,
            }
        }
        syn::Expr::Binary(b) => match b.op {
            syn::BinOp::Ne(_) => status_receiver(&b.left)
                .or_else(|| status_receiver(&b.right))
                .map(|n| (n, true)),
            syn::BinOp::Eq(_) => {
                let text = |e: &syn::Expr| quote::ToTokens::to_token_stream(e).to_string();
                let (name, other) = match (status_receiver(&b.left), status_receiver(&b.right)) {
                    (Some(n), _) => (n, &b.right),
                    (_, Some(n)) => (n, &b.left),
                    _ => return None,
                };
                let ok = text(other);
                (ok.ends_with("OK") || ok.trim() == "200").then_some((name, false))
            }
            // `!ok || retried`: the failing branch is `then` when either side fails there.
            syn::BinOp::Or(_) => failure_test(&b.left)
                .filter(|(_, then)| *then)
                .or_else(|| failure_test(&b.right).filter(|(_, then)| *then)),
            _ => None,
        },
        _ => None,
    }
}

/// `match resp.status() { .. }`: the response, for the catch-all arms
/// (`_`, `other`) that handle every unexpected status.
pub(super) fn status_scrutinee(e: &syn::Expr) -> Option<String> {
    status_receiver(e)
}

/// An arm that takes whatever the earlier arms did not.
/// A pattern that names an enum variant by a path (`Kind::A`, `Kind::B(x)`,
/// `Kind::C { .. }`, or an `|` of them), other than `Ok`/`Err`/`Some`/`None`.
pub(super) fn names_variant(pat: &syn::Pat) -> bool {
    let path = match pat {
        syn::Pat::Path(p) => &p.path,
        syn::Pat::TupleStruct(ts) => &ts.path,
        syn::Pat::Struct(s) => &s.path,
        syn::Pat::Or(o) => return o.cases.iter().all(names_variant),
        syn::Pat::Reference(r) => return names_variant(&r.pat),
        syn::Pat::Paren(p) => return names_variant(&p.pat),
        _ => return false,
    };
    path.segments.len() >= 2
        && !path
            .segments
            .last()
            .is_some_and(|s| matches!(s.ident.to_string().as_str(), "Ok" | "Err" | "Some" | "None"))
}

pub(super) fn catch_all(pat: &syn::Pat) -> bool {
    match pat {
        syn::Pat::Wild(_) => true,
        syn::Pat::Ident(i) => i.subpat.is_none(),
        _ => false,
    }
}

/// `resp.status() == StatusCode::NO_CONTENT` (either side, `==` or `!=`): the
/// response and whether the `then` branch is the one without a body.
pub(super) fn no_body_status_check(cond: &syn::Expr) -> Option<(String, bool)> {
    let syn::Expr::Binary(b) = strip_parens(cond) else {
        return None;
    };
    let equal = match b.op {
        syn::BinOp::Eq(_) => true,
        syn::BinOp::Ne(_) => false,
        _ => return None,
    };
    let text = |e: &syn::Expr| quote::ToTokens::to_token_stream(e).to_string();
    let (name, other) = match (status_receiver(&b.left), status_receiver(&b.right)) {
        (Some(n), _) => (n, &b.right),
        (_, Some(n)) => (n, &b.left),
        _ => return None,
    };
    is_no_body_status(&text(other)).then_some((name, equal))
}

/// `if res.is_err()`, `if !res.is_ok()` on a `Result` that holds a response:
/// the variable and whether the `then` branch is the one without a response.
pub(super) fn no_response_test(cond: &syn::Expr) -> Option<(String, bool)> {
    match strip_parens(cond) {
        syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Not(_)) => {
            no_response_test(&u.expr).map(|(name, then)| (name, !then))
        }
        syn::Expr::MethodCall(m) if m.args.is_empty() => {
            let then = match m.method.to_string().as_str() {
                "is_err" | "is_none" => true,
                "is_ok" | "is_some" => false,
                _ => return None,
            };
            Some((crate::walk::responses::bare_ident(&m.receiver)?, then))
        }
        _ => None,
    }
}

/// `if req.no_content`, `if !self.no_return_type()`: a condition that is a
/// flag named for an answer without a body (see `names_no_body`); whether the
/// `then` branch is the one without a body.
pub(super) fn no_body_flag(cond: &syn::Expr, words: &[String]) -> Option<bool> {
    let name = match strip_parens(cond) {
        syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Not(_)) => {
            return no_body_flag(&u.expr, words).map(|then| !then);
        }
        syn::Expr::Path(p) => p.path.segments.last()?.ident.to_string(),
        syn::Expr::Field(f) => match &f.member {
            syn::Member::Named(n) => n.to_string(),
            syn::Member::Unnamed(_) => return None,
        },
        syn::Expr::MethodCall(m) if m.args.is_empty() => m.method.to_string(),
        _ => return None,
    };
    names_no_body(&name, words).then_some(true)
}

/// The name says the answer has no body: one of `words` (lower case, `_`
/// ignored) is in it (`no_content`, `execute_no_content`, `NoContent`).
pub(super) fn names_no_body(name: &str, words: &[String]) -> bool {
    let flat: String = name
        .chars()
        .filter(|&c| c != '_')
        .flat_map(char::to_lowercase)
        .collect();
    words.iter().any(|w| flat.contains(w.as_str()))
}

/// Whether a pattern binds the success value of a `Result`/`Option` (or the
/// whole value): `resp`, `Ok(resp)`, `Some(r) | None`; not `Err(e)` or `Ok(_)`.
pub(super) fn binds_success(pat: &syn::Pat) -> bool {
    match pat {
        syn::Pat::Ident(_) => true,
        syn::Pat::Type(t) => binds_success(&t.pat),
        syn::Pat::Reference(r) => binds_success(&r.pat),
        syn::Pat::Paren(p) => binds_success(&p.pat),
        syn::Pat::Or(o) => o.cases.iter().any(binds_success),
        syn::Pat::TupleStruct(ts) => success_payload(ts).is_some_and(binds_success),
        _ => false,
    }
}

/// The one pattern inside `Ok(..)` or `Some(..)`.
fn success_payload(ts: &syn::PatTupleStruct) -> Option<&syn::Pat> {
    let wraps = ts
        .path
        .segments
        .last()
        .is_some_and(|s| s.ident == "Some" || s.ident == "Ok");
    match (wraps, ts.elems.len()) {
        (true, 1) => ts.elems.first(),
        _ => None,
    }
}

/// Whether the names a pattern binds have the type of the matched value.
pub(super) fn pattern_keeps_type(pat: &syn::Pat) -> bool {
    match pat {
        syn::Pat::Ident(i) => i.subpat.is_none(),
        syn::Pat::Type(t) => pattern_keeps_type(&t.pat),
        syn::Pat::Reference(r) => pattern_keeps_type(&r.pat),
        syn::Pat::TupleStruct(ts) => success_payload(ts).is_some_and(pattern_keeps_type),
        _ => false,
    }
}

/// `Method::HEAD` (for `methods = ["head"]`) as an argument, or inside one:
/// `Request::new(Method::HEAD, url)` handed to a sender.
fn is_method_const_arg(e: &syn::Expr, methods: &[String]) -> bool {
    match strip_parens(e) {
        syn::Expr::Path(p) => {
            let segs = path_segs(&p.path);
            segs.len() >= 2
                && segs[segs.len() - 2] == "Method"
                && methods.contains(&segs[segs.len() - 1].to_ascii_lowercase())
        }
        syn::Expr::Call(c) => c.args.iter().any(|a| is_method_const_arg(a, methods)),
        _ => false,
    }
}

/// Whether a request chain sends with one of `methods` (lower case, from the
/// catalog): `client.head(u)`, `ureq::put(u)`, or `Method::HEAD` as an argument.
pub(super) fn chain_sends(e: &syn::Expr, methods: &[String]) -> bool {
    let mut cur = e;
    loop {
        match strip_parens(cur) {
            syn::Expr::MethodCall(m) => {
                if methods.iter().any(|x| m.method == x)
                    || m.args.iter().any(|a| is_method_const_arg(a, methods))
                {
                    return true;
                }
                cur = &m.receiver;
            }
            syn::Expr::Await(a) => cur = &a.base,
            syn::Expr::Try(t) => cur = &t.expr,
            syn::Expr::Call(c) => {
                if let syn::Expr::Path(p) = &*c.func
                    && methods.contains(&last_name(&p.path))
                {
                    return true;
                }
                return c
                    .args
                    .iter()
                    .any(|a| is_method_const_arg(a, methods) || closure_sends(a, methods));
            }
            _ => return false,
        }
    }
}

/// A closure whose value is a request sent with one of `methods`: what a
/// helper that runs it (`retry(|| client.head(u).send())`) hands back.
fn closure_sends(e: &syn::Expr, methods: &[String]) -> bool {
    let syn::Expr::Closure(c) = strip_parens(e) else {
        return false;
    };
    match strip_parens(&c.body) {
        syn::Expr::Block(b) => match b.block.stmts.last() {
            Some(syn::Stmt::Expr(tail, None)) => chain_sends(tail, methods),
            _ => false,
        },
        body => chain_sends(body, methods),
    }
}

pub(super) fn ends_with_method(e: &syn::Expr, methods: &[String]) -> bool {
    match strip_parens(e) {
        syn::Expr::Try(t) => ends_with_method(&t.expr, methods),
        syn::Expr::Await(a) => ends_with_method(&a.base, methods),
        syn::Expr::MethodCall(m) => methods.contains(&m.method.to_string()),
        _ => false,
    }
}

pub(super) fn is_builder_setter(name: &str, args: usize) -> bool {
    if matches!(name, "send" | "execute" | "call" | "build" | "finish") {
        return false;
    }
    // `http::Request`'s accessors (no argument) hand back a part, not the request.
    let accessor = matches!(
        name,
        "extensions"
            | "extensions_mut"
            | "headers"
            | "headers_mut"
            | "uri"
            | "method"
            | "version"
            | "body"
            | "body_mut"
            | "into_body"
            | "into_parts"
    );
    args > 0 || !accessor
}

pub(super) fn is_variant_like(path: &PathSegs) -> bool {
    // `Some(x)`, `Ok(x)`, `MyEnum::Variant(x)`, `Wrapper(x)`.
    path.last()
        .is_some_and(|s| s.starts_with(|c: char| c.is_uppercase()))
}

pub(super) fn strip_parens(e: &syn::Expr) -> &syn::Expr {
    match e {
        syn::Expr::Paren(p) => strip_parens(&p.expr),
        syn::Expr::Group(g) => strip_parens(&g.expr),
        _ => e,
    }
}

/// `Type::method` for methods, `name` for free functions.
pub(super) fn display_name(key: &str) -> String {
    let parts: Vec<&str> = key.split("::").collect();
    match parts.as_slice() {
        [.., ty, name] if ty.starts_with(|c: char| c.is_uppercase()) => format!("{ty}::{name}"),
        [.., name] => name.to_string(),
        [] => String::new(),
    }
}

/// The call at the bottom of a method chain.
pub(super) fn chain_head(e: &syn::Expr) -> Option<&syn::Expr> {
    let mut e = e;
    loop {
        match strip_parens(e) {
            syn::Expr::MethodCall(m) => e = &m.receiver,
            syn::Expr::Await(a) => e = &a.base,
            syn::Expr::Try(t) => e = &t.expr,
            syn::Expr::Reference(r) => e = &r.expr,
            other @ (syn::Expr::Call(_) | syn::Expr::Path(_) | syn::Expr::Field(_)) => {
                return Some(other);
            }
            _ => return None,
        }
    }
}

/// The head of a closure (`|req| async move`) or an async block (`async move`),
/// to label it without underlining its whole body.
pub(super) fn closure_head(e: &syn::Expr) -> Range<usize> {
    match strip_parens(e) {
        syn::Expr::Closure(c) => {
            let start = span_range(c.span()).start;
            let mut end = span_range(c.or2_token.span).end;
            if let syn::Expr::Async(a) = &*c.body {
                end = a
                    .capture
                    .map(|m| span_range(m.span).end)
                    .unwrap_or(span_range(a.async_token.span).end);
            }
            start..end
        }
        syn::Expr::Async(a) => {
            let start = span_range(a.async_token.span).start;
            start
                ..a.capture
                    .map(|m| span_range(m.span).end)
                    .unwrap_or(span_range(a.async_token.span).end)
        }
        other => span_range(other.span()),
    }
}

/// `async { .. }`, or one wrapped in `Box::pin(..)`.
pub(super) fn is_async_block(e: &syn::Expr) -> bool {
    match strip_parens(e) {
        syn::Expr::Async(_) => true,
        syn::Expr::Call(c) => {
            matches!(&*c.func, syn::Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "pin"))
                && c.args.len() == 1
                && is_async_block(&c.args[0])
        }
        _ => false,
    }
}

pub(super) fn is_runnable(e: &syn::Expr) -> bool {
    matches!(
        strip_parens(e),
        syn::Expr::Closure(_) | syn::Expr::Async(_) | syn::Expr::Path(_)
    )
}

pub(super) fn unconditional_exit(e: &syn::Expr) -> bool {
    matches!(e, syn::Expr::Break(_) | syn::Expr::Return(_))
}

/// Expressions that never produce a value: `return`, `break`, `panic!`, `bail!`.
pub(super) fn diverges(e: &syn::Expr) -> bool {
    match e {
        syn::Expr::Return(_) | syn::Expr::Break(_) | syn::Expr::Continue(_) => true,
        syn::Expr::Macro(m) => m.mac.path.segments.last().is_some_and(|s| {
            matches!(
                s.ident.to_string().as_str(),
                "panic" | "bail" | "unreachable" | "todo" | "unimplemented"
            )
        }),
        _ => false,
    }
}

pub(super) fn is_err_expr(e: &syn::Expr) -> bool {
    match e {
        syn::Expr::Call(c) => {
            if let syn::Expr::Path(p) = &*c.func {
                return p.path.segments.last().is_some_and(|s| s.ident == "Err");
            }
            false
        }
        syn::Expr::Macro(m) => m
            .mac
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "bail" || s.ident == "anyhow"),
        _ => false,
    }
}

/// The names a block's own items bring into scope, if it has any.
pub(super) fn block_scope(stmts: &[syn::Stmt]) -> Option<BlockScope> {
    let mut uses = crate::index::Scope::default();
    let mut b = BlockScope::default();
    let mut any = false;
    for stmt in stmts {
        let syn::Stmt::Item(item) = stmt else {
            continue;
        };
        let name = match item {
            syn::Item::Use(u) => {
                crate::index::add_use(&u.tree, Vec::new(), &mut uses);
                any = true;
                continue;
            }
            syn::Item::Type(t) => {
                b.aliases.insert(t.ident.to_string(), type_ref(&t.ty).inner);
                any = true;
                continue;
            }
            syn::Item::Static(x) => {
                b.statics.insert(x.ident.to_string(), type_ref(&x.ty));
                any = true;
                continue;
            }
            syn::Item::Const(x) => {
                b.statics.insert(x.ident.to_string(), type_ref(&x.ty));
                any = true;
                continue;
            }
            syn::Item::Struct(x) => &x.ident,
            syn::Item::Enum(x) => &x.ident,
            syn::Item::Union(x) => &x.ident,
            syn::Item::Trait(x) => &x.ident,
            _ => continue,
        };
        b.items.insert(name.to_string());
        any = true;
    }
    b.uses = uses.uses;
    b.globs = uses.globs;
    any.then_some(b)
}

/// Where the scope of a match arm ends: the closing brace of a block body,
/// else the last character of the expression.
pub(super) fn scope_end(body: &syn::Expr) -> Range<usize> {
    match body {
        syn::Expr::Block(b) => span_range(b.block.brace_token.span.close()),
        other => {
            let r = span_range(other.span());
            r.end.saturating_sub(1)..r.end
        }
    }
}

/// The futures of a `join!`/`try_join!` invocation (tokio, futures), whose
/// outputs make up its value in order.
pub(super) fn join_futures(e: &syn::Expr) -> Option<Vec<syn::Expr>> {
    match strip_parens(strip_await_try(e)) {
        syn::Expr::Macro(m) => join_macro_futures(&m.mac),
        _ => None,
    }
}

/// The same for a macro invocation (a `join!(..);` statement).
pub(super) fn join_macro_futures(mac: &syn::Macro) -> Option<Vec<syn::Expr>> {
    let name = last_name(&mac.path);
    if name != "join" && name != "try_join" {
        return None;
    }
    let futures = macro_exprs(&mac.tokens, false);
    (!futures.is_empty()).then_some(futures)
}

fn strip_await_try(e: &syn::Expr) -> &syn::Expr {
    match e {
        syn::Expr::Try(t) => strip_await_try(&t.expr),
        syn::Expr::Await(a) => strip_await_try(&a.base),
        other => other,
    }
}

/// The variable a `let` takes over: `a`, `a?`, `a.unwrap()`, `a.expect(..)`.
pub(super) fn rebind_source(e: &syn::Expr) -> Option<String> {
    match strip_parens(e) {
        syn::Expr::Try(t) => rebind_source(&t.expr),
        syn::Expr::MethodCall(m)
            if m.args.len() <= 1
                && matches!(m.method.to_string().as_str(), "unwrap" | "expect") =>
        {
            rebind_source(&m.receiver)
        }
        syn::Expr::Path(p) => p.path.get_ident().map(|i| i.to_string()),
        _ => None,
    }
}

/// The last name of a path (`get` in `axum::routing::get`).
pub(super) fn last_name(path: &syn::Path) -> String {
    path.segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default()
}

/// The value a block ends with, if it ends with an expression.
pub(super) fn block_tail(block: &syn::Block) -> Option<&syn::Expr> {
    match block.stmts.last() {
        Some(syn::Stmt::Expr(e, None)) => Some(e),
        _ => None,
    }
}

/// `None`, returned: no value at all.
pub(super) fn is_none_expr(e: &syn::Expr) -> bool {
    matches!(e, syn::Expr::Path(p) if p.path.is_ident("None"))
}

/// An arm (or `if let` branch) whose value is a name its pattern binds:
/// `Some(client) => client`.
pub(super) fn yields_binding(pat: &syn::Pat, body: &syn::Expr) -> bool {
    let body = match strip_parens(body) {
        syn::Expr::Block(b) if b.block.stmts.len() == 1 => match &b.block.stmts[0] {
            syn::Stmt::Expr(e, None) => e,
            _ => return false,
        },
        other => other,
    };
    let syn::Expr::Path(p) = strip_parens(body) else {
        return false;
    };
    let Some(ident) = p.path.get_ident() else {
        return false;
    };
    let mut names = Vec::new();
    crate::index::pattern_names(pat, &mut names);
    names.iter().any(|n| ident == n)
}

pub(super) fn contains_try(e: &syn::Expr) -> bool {
    struct V(bool);
    impl<'ast> syn::visit::Visit<'ast> for V {
        fn visit_expr_try(&mut self, _: &'ast syn::ExprTry) {
            self.0 = true;
        }
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
    }
    let mut v = V(false);
    syn::visit::Visit::visit_expr(&mut v, e);
    v.0
}

pub(super) fn contains_await(e: &syn::Expr) -> bool {
    struct V(bool);
    impl<'ast> syn::visit::Visit<'ast> for V {
        fn visit_expr_await(&mut self, _: &'ast syn::ExprAwait) {
            self.0 = true;
        }
    }
    let mut v = V(false);
    syn::visit::Visit::visit_expr(&mut v, e);
    v.0
}

/// A syntax node whose identifiers matter (without cloning it into an `Expr`).
#[derive(Clone, Copy)]
pub(super) enum Node<'e> {
    Expr(&'e syn::Expr),
    Call(&'e syn::ExprCall),
    Method(&'e syn::ExprMethodCall),
}

pub(super) fn idents_in(node: Node<'_>, out: &mut HashSet<String>) {
    match node {
        Node::Expr(e) => idents_in_expr(e, out),
        Node::Call(c) => {
            for a in &c.args {
                idents_in_expr(a, out);
            }
            idents_in_expr(&c.func, out);
        }
        Node::Method(m) => {
            idents_in_expr(&m.receiver, out);
            for a in &m.args {
                idents_in_expr(a, out);
            }
        }
    }
}

pub(super) fn idents_in_expr(e: &syn::Expr, out: &mut HashSet<String>) {
    struct V<'a>(&'a mut HashSet<String>);
    impl<'ast> syn::visit::Visit<'ast> for V<'_> {
        fn visit_expr_path(&mut self, p: &'ast syn::ExprPath) {
            if let Some(i) = p.path.get_ident() {
                self.0.insert(i.to_string());
            }
        }
        fn visit_macro(&mut self, m: &'ast syn::Macro) {
            for tt in m.tokens.clone() {
                collect_token_idents(tt, self.0);
            }
        }
    }
    syn::visit::Visit::visit_expr(&mut V(out), e);
}

/// Tokens without their groups' delimiters, in order.
pub(super) fn flatten_tokens(tokens: TokenStream, out: &mut Vec<TokenTree>) {
    for tt in tokens {
        match tt {
            TokenTree::Group(g) => flatten_tokens(g.stream(), out),
            other => out.push(other),
        }
    }
}

pub(super) fn collect_token_idents(tt: TokenTree, out: &mut HashSet<String>) {
    match tt {
        TokenTree::Ident(i) => {
            out.insert(i.to_string());
        }
        TokenTree::Group(g) => {
            for t in g.stream() {
                collect_token_idents(t, out);
            }
        }
        _ => {}
    }
}

/// Whether a loop body awaits a timer (`interval.tick().await`, `sleep(..).await`).
/// Whether a loop body calls one of the catalog's periodic markers
/// (`interval.tick().await`, `scheduler.run_pending()`).
pub(super) fn body_ticks(block: &syn::Block, markers: &[String]) -> bool {
    struct V<'m>(bool, &'m [String]);
    impl<'ast> syn::visit::Visit<'ast> for V<'_> {
        fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
            if self.1.iter().any(|k| m.method == k) {
                self.0 = true;
            }
            syn::visit::visit_expr_method_call(self, m);
        }
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
    }
    let mut v = V(false, markers);
    for s in &block.stmts {
        syn::visit::Visit::visit_stmt(&mut v, s);
    }
    v.0
}

pub(super) fn cond_ticks(e: &syn::Expr, markers: &[String]) -> bool {
    let block = syn::Block {
        brace_token: Default::default(),
        stmts: vec![syn::Stmt::Expr(e.clone(), None)],
    };
    body_ticks(&block, markers)
}

pub(super) fn branch_label(cond: &syn::Expr, then: bool) -> String {
    let text = quote::ToTokens::to_token_stream(cond).to_string();
    let text = tidy_tokens(&text);
    if then {
        format!("when `{text}`")
    } else {
        format!("when not `{text}`")
    }
}

pub(super) fn arm_label(pat: &syn::Pat) -> String {
    let text = tidy_tokens(&quote::ToTokens::to_token_stream(pat).to_string());
    format!("in the `{text}` arm")
}

/// Makes token-stream text read like source: `a . b ()` -> `a.b()`.
pub(super) fn tidy_tokens(text: &str) -> String {
    let mut s = text.replace("&& ", "\u{1}");
    for (from, to) in [
        (" . ", "."),
        (" (", "("),
        ("( ", "("),
        (" )", ")"),
        (" ,", ","),
        (" :: ", "::"),
        (":: ", "::"),
        (" ::", "::"),
        ("& ", "&"),
        ("! ", "!"),
        (" ?", "?"),
        (" [", "["),
        ("[ ", "["),
        (" ]", "]"),
        ("< ", "<"),
        (" >", ">"),
    ] {
        while s.contains(from) {
            s = s.replace(from, to);
        }
    }
    let s = s.replace('\u{1}', "&& ");
    if s.chars().count() > 60 {
        let cut: String = s.chars().take(57).collect();
        format!("{cut}...")
    } else {
        s
    }
}

pub(super) fn is_test_like(item: &syn::Item) -> bool {
    let attrs: &[syn::Attribute] = match item {
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::Mod(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Const(i) => &i.attrs,
        _ => return false,
    };
    crate::index::is_test_item(attrs)
}

/// The `fn` items declared in a function body, each with whether it is a
/// statement of the body itself (not of an inner block, closure or
/// expression). Items of those `fn`s are theirs, not the body's.
pub(super) fn nested_fns(block: &syn::Block) -> Vec<(&syn::ItemFn, bool)> {
    struct V<'ast>(Vec<&'ast syn::ItemFn>);
    impl<'ast> syn::visit::Visit<'ast> for V<'ast> {
        fn visit_item(&mut self, i: &'ast syn::Item) {
            // Other items (impls, modules) have scopes of their own.
            if let syn::Item::Fn(f) = i {
                self.0.push(f);
            }
        }
    }
    let mut v = V(Vec::new());
    syn::visit::Visit::visit_block(&mut v, block);
    v.0.into_iter()
        .map(|f| {
            let top = block
                .stmts
                .iter()
                .any(|s| matches!(s, syn::Stmt::Item(syn::Item::Fn(g)) if std::ptr::eq(f, g)));
            (f, top)
        })
        .collect()
}

/// A macro body of statements as a block (its braces are the macro's
/// delimiters), or `None` when the tokens are not Rust statements.
pub(super) fn macro_block(mac: &syn::Macro) -> Option<syn::Block> {
    let stmts = syn::parse::Parser::parse2(syn::Block::parse_within, mac.tokens.clone()).ok()?;
    if stmts.is_empty() {
        return None;
    }
    let span = match &mac.delimiter {
        syn::MacroDelimiter::Paren(p) => p.span,
        syn::MacroDelimiter::Brace(b) => b.span,
        syn::MacroDelimiter::Bracket(b) => b.span,
    };
    Some(syn::Block {
        brace_token: syn::token::Brace { span },
        stmts,
    })
}

/// The expressions inside a macro call: comma- or semicolon-separated
/// expressions, `static ref NAME: T = expr;` (lazy_static), `static NAME: T =
/// expr` (thread_local), and `pat = fut => handler` branches (select!).
pub(super) fn macro_exprs(tokens: &TokenStream, branches: bool) -> Vec<syn::Expr> {
    if tokens.is_empty() {
        return Vec::new();
    }
    if let Ok(list) = syn::parse::Parser::parse2(
        syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated,
        tokens.clone(),
    ) {
        return list.into_iter().collect();
    }
    // Format-like macros: a literal first, then expressions.
    if !branches {
        return Vec::new();
    }
    // Split at top-level `,` and `;`, then take the code after `=` / `=>`.
    // A `{ .. }` handler right after `=>` ends its branch: the next branch may
    // follow without a comma.
    let mut chunks: Vec<Vec<TokenTree>> = vec![Vec::new()];
    for tt in tokens.clone() {
        let sep = matches!(&tt, TokenTree::Punct(p) if (p.as_char() == ',' || p.as_char() == ';') && p.spacing() == proc_macro2::Spacing::Alone);
        if sep {
            chunks.push(Vec::new());
        } else if let Some(last) = chunks.last_mut() {
            let after_arrow = matches!(last.as_slice(), [.., TokenTree::Punct(a), TokenTree::Punct(b)]
                if a.as_char() == '=' && a.spacing() == proc_macro2::Spacing::Joint && b.as_char() == '>');
            let block = matches!(&tt, TokenTree::Group(g) if g.delimiter() == proc_macro2::Delimiter::Brace);
            last.push(tt);
            if after_arrow && block {
                chunks.push(Vec::new());
            }
        }
    }
    let mut out = Vec::new();
    for chunk in chunks {
        if chunk.is_empty() {
            continue;
        }
        // Pieces after each top-level `=` or `=>`.
        let mut pieces: Vec<Vec<TokenTree>> = vec![Vec::new()];
        let mut i = 0;
        while i < chunk.len() {
            let tt = &chunk[i];
            let is_eq = matches!(tt, TokenTree::Punct(p) if p.as_char() == '=' && p.spacing() == proc_macro2::Spacing::Alone);
            let is_arrow = matches!(tt, TokenTree::Punct(p) if p.as_char() == '=' && p.spacing() == proc_macro2::Spacing::Joint)
                && matches!(chunk.get(i + 1), Some(TokenTree::Punct(p)) if p.as_char() == '>');
            if is_arrow {
                pieces.push(Vec::new());
                i += 2;
                continue;
            }
            if is_eq {
                pieces.push(Vec::new());
                i += 1;
                continue;
            }
            if let Some(last) = pieces.last_mut() {
                last.push(tt.clone());
            }
            i += 1;
        }
        let candidates: Vec<&Vec<TokenTree>> = if pieces.len() > 1 {
            pieces[1..].iter().collect()
        } else {
            pieces.iter().collect()
        };
        for piece in candidates {
            let ts: TokenStream = piece.iter().cloned().collect();
            if let Ok(e) = syn::parse2::<syn::Expr>(ts.clone()) {
                out.push(e);
            } else if let Ok(block) = syn::parse2::<syn::Block>(quote::quote!({ #ts })) {
                out.push(syn::Expr::Block(syn::ExprBlock {
                    attrs: Vec::new(),
                    label: None,
                    block,
                }));
            }
        }
    }
    out
}

/// Whether an expression calls a function or method named `name` (a
/// function retrying itself).
pub(super) fn calls_named(e: &syn::Expr, name: &str) -> bool {
    struct V<'a>(&'a str, bool);
    impl<'ast> syn::visit::Visit<'ast> for V<'_> {
        fn visit_expr_call(&mut self, c: &'ast syn::ExprCall) {
            if let syn::Expr::Path(p) = &*c.func
                && p.path.segments.last().is_some_and(|s| s.ident == self.0)
            {
                self.1 = true;
            }
            syn::visit::visit_expr_call(self, c);
        }
        fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
            if m.method == self.0 {
                self.1 = true;
            }
            syn::visit::visit_expr_method_call(self, m);
        }
    }
    if name.is_empty() {
        return false;
    }
    let mut v = V(name, false);
    syn::visit::Visit::visit_expr(&mut v, e);
    v.1
}

/// Whether an expression configures a client without a connection pool
/// (`.pool_max_idle_per_host(0)`): its responses have no pool to go back to.
pub(super) fn builds_without_pool(e: &syn::Expr, methods: &[String]) -> bool {
    struct V<'m>(bool, &'m [String]);
    impl<'ast> syn::visit::Visit<'ast> for V<'_> {
        fn visit_expr_method_call(&mut self, m: &'ast syn::ExprMethodCall) {
            if self.1.iter().any(|x| m.method == x)
                && m.args.first().is_some_and(|a| {
                    matches!(strip_parens(a), syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(i), .. }) if i.base10_digits() == "0")
                })
            {
                self.0 = true;
            }
            syn::visit::visit_expr_method_call(self, m);
        }
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
    }
    let mut v = V(false, methods);
    syn::visit::Visit::visit_expr(&mut v, e);
    v.0
}

/// The method of `methods` that the builder chain ending at `receiver` calls
/// (`.cookie_store(true)`, `.cookie_provider(jar)`), unless given `false`.
pub(super) fn session_method(receiver: &syn::Expr, methods: &[String]) -> Option<String> {
    let mut at = strip_parens(receiver);
    while let syn::Expr::MethodCall(m) = at {
        let off = m.args.first().is_some_and(|a| {
            matches!(strip_parens(a), syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Bool(b), .. }) if !b.value)
        });
        if !off && methods.iter().any(|x| m.method == x) {
            return Some(m.method.to_string());
        }
        at = strip_parens(&m.receiver);
    }
    None
}

/// The fields of a file that are set to a client without a pool, by name
/// (`Self { http: Client::builder().pool_max_idle_per_host(0).build()? }`).
pub(super) fn fields_without_pool(file: &syn::File, methods: &[String]) -> HashSet<String> {
    struct V<'m>(HashSet<String>, &'m [String]);
    impl<'ast> syn::visit::Visit<'ast> for V<'_> {
        fn visit_field_value(&mut self, f: &'ast syn::FieldValue) {
            if let syn::Member::Named(n) = &f.member
                && builds_without_pool(&f.expr, self.1)
            {
                self.0.insert(n.to_string());
            }
            syn::visit::visit_field_value(self, f);
        }
    }
    let mut v = V(HashSet::default(), methods);
    syn::visit::Visit::visit_file(&mut v, file);
    v.0
}
