//! Calls and method calls: what each call is, where its receiver and
//! arguments go, and the call sites recorded for the current function.

use super::*;

pub(super) const PASSTHROUGH_EXTRA: &[&str] = &[
    "as_ref",
    "as_mut",
    "lock",
    "read",
    "write",
    "borrow",
    "borrow_mut",
    "deref",
    "await",
    "load",
    "load_full",
    "unwrap_or_else",
    "or_else",
];

/// Methods whose closure runs in place and whose value is the call's value
/// (`build().or_else(|_| fallback())`).
const VALUE_CLOSURE_METHODS: &[&str] = &["unwrap_or_else", "or_else"];

/// Adapters of `Option`/`Result`/futures whose function's value is the
/// call's value (outside an iterator, where they run per item).
const VALUE_ADAPTERS: &[&str] = &["map", "and_then", "map_or_else"];

/// Methods that move the value out of a `Result` or `Option`.
const UNWRAPS: &[&str] = &["unwrap", "expect"];

impl Walker<'_> {
    pub(super) fn walk_call(&mut self, c: &syn::ExprCall, dest: Dest) {
        let syn::Expr::Path(fp) = &*c.func else {
            // Calling a closure or a returned function.
            self.walk_expr(&c.func, Dest::Drop);
            if let syn::Expr::Path(_) = &*c.func {
            } else {
                for a in &c.args {
                    self.walk_expr(a, Dest::Drop);
                }
            }
            return;
        };
        let resolved = self.resolve_expr_path(fp);
        // Local closure call: `mk()`.
        if let Some(ident) = fp.path.get_ident()
            && let Some(var) = self.lookup(&ident.to_string()).cloned()
        {
            if let Some((depth, _)) = self.closure_slots.get(&var.slot)
                && self.loop_depth() > *depth
                && let ctx @ Ctx::Loop(_) = self.current_ctx()
            {
                let slot = var.slot;
                self.closure_runs
                    .entry(slot)
                    .or_insert((ctx, span_range(c.span())));
            }
            if let Ty::Closure(i) = var.ty.clone()
                && let Some((inner, _)) = self.closure_builds.get(i).cloned()
            {
                self.record_call(c.span(), inner.callee, dest, Node::Call(c));
                if let Some((call, _)) = self.pending.last_mut() {
                    call.via_closure = Some(Box::new((ident.to_string(), inner.span)));
                }
            }
            for a in &c.args {
                self.walk_expr(a, Dest::Drop);
            }
            return;
        }
        // Handler, periodic and once registrations.
        if let Some(reg) = self.cat.handler_functions.get(&resolved).cloned() {
            let what = resolved.last().cloned().unwrap_or_default();
            self.register_args(&c.args, &reg, &what, None);
            return;
        }
        if let Some(&arg) = self.cat.once_functions.get(&resolved) {
            for (i, a) in c.args.iter().enumerate() {
                if i == arg
                    && let Some(slot) = self.var_slot(a)
                {
                    self.once_slots.insert(slot);
                    self.walk_expr(a, Dest::Store);
                } else if i == arg {
                    self.walk_runnable(a, Frame::Once, Dest::Store);
                } else {
                    self.walk_expr(a, Dest::Drop);
                }
            }
            return;
        }
        // `drop(resp)`.
        if matches!(
            resolved
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
                .as_slice(),
            ["drop"] | ["std", "mem", "drop"] | ["core", "mem", "drop"]
        ) && let Some(arg) = c.args.first()
            && let Some(name) = responses::bare_ident(arg)
        {
            self.responses.dropped_by_call(&name, span_range(c.span()));
            self.walk_borrowed(arg, Dest::Drop);
            return;
        }
        // Functions that read a body they are given (`std::io::copy(&mut resp, ..)`).
        if self.cat.responses.iter().any(|r| {
            r.body_read_functions
                .iter()
                .any(|f| crate::catalog::split_path(f) == resolved)
        }) {
            for a in &c.args {
                if let Some(name) = responses::bare_ident(a) {
                    self.responses.moved(&name);
                }
            }
        }
        // The call itself.
        let callee = self.callee_of_resolved(&resolved, fp);
        // Test code says nothing about how often the program runs a function.
        if callee.is_none() && !self.in_test {
            self.out
                .unresolved_paths
                .extend(unresolved_path_names(&resolved));
        }
        let at = self.pending.len();
        if let Some(callee) = callee.clone() {
            self.record_call(c.span(), callee, dest, Node::Call(c));
        }
        // One-shot response producers (`reqwest::get`).
        let to = if matches!(callee, Some(Callee::Catalog { .. })) {
            // Moved into a client being built: that client owns it and is reported instead.
            Dest::Store
        } else if self.cat.wrappers.contains(&resolved) || is_variant_like(&resolved) {
            dest
        } else if self.cat.store_functions.contains(&resolved) {
            Dest::Store
        } else if self.is_constructor_like(&resolved) {
            dest
        } else {
            Dest::Drop
        };
        // A workspace function decides what happens to its arguments; a method
        // called by path (`Type::f(recv, x)`) takes its receiver first.
        let params = match &callee {
            Some(Callee::Crate(keys)) => {
                let has_self = keys
                    .iter()
                    .any(|k| self.idx.fn_decls(k).any(|d| d.sig.has_self));
                Some((keys.clone(), usize::from(has_self)))
            }
            _ => None,
        };
        let sink = params.as_ref().filter(|_| to == Dest::Drop);
        let spawn = self.cat.spawn_functions.contains(&resolved);
        let joins = resolved
            .last()
            .is_some_and(|l| l == "join_all" || l == "try_join_all" || l == "select_all");
        for (i, a) in c.args.iter().enumerate() {
            if joins {
                self.walk_expr(a, Dest::Drop);
            } else if spawn {
                // A long-lived task (one with its own loop) keeps what it moves in:
                // one client per worker.
                if let Some(body) = moved_body(a)
                    && period::runs_long_expr(body, &self.channels)
                {
                    self.capture_moves(body, Dest::Store);
                }
                // The task runs where it is spawned: inside a loop, once per iteration.
                self.walk_runnable(a, Frame::Closure, Dest::Drop);
            } else if let Some((keys, skip)) = sink
                && i >= *skip
            {
                if let Some(name) = responses::bare_ident(a) {
                    self.responses
                        .handed(&name, keys, i - skip, span_range(a.span()));
                }
                self.note_dest_arg(at, i - skip, a);
                let d = self.arg_dest(keys, i - skip);
                self.walk_arg(a, d);
            } else if let Some((keys, skip)) = &params
                && lent_local(a)
            {
                // A local lent to a constructor-like workspace function
                // (`Self::with_client(&client)`): the callee decides.
                let d = match i.checked_sub(*skip) {
                    Some(param) => self.arg_dest(keys, param),
                    None => to,
                };
                self.walk_arg(a, d);
            } else {
                self.walk_expr(a, to);
            }
        }
        if spawn && dest == Dest::Drop {
            // A spawned task whose output is a response, with its handle
            // discarded: the response goes nowhere.
            let output = c.args.first().and_then(|first| match strip_parens(first) {
                syn::Expr::Async(b) => block_tail(&b.block),
                syn::Expr::Closure(cl) => match strip_parens(&cl.body) {
                    syn::Expr::Block(b) => block_tail(&b.block),
                    body => Some(body),
                },
                other => Some(other),
            });
            if let Some(output) = output
                && let Some((r, _)) = self.response_of(output)
            {
                self.note_production(Some(output));
                self.responses.discarded(
                    r,
                    self.response_span(output),
                    "the spawned task drops it when it ends",
                );
            }
        }
    }

    pub(super) fn walk_method_call(&mut self, m: &syn::ExprMethodCall, dest: Dest) {
        let name = m.method.to_string();
        // `client.get(u).send().await.is_ok()`: only whether it succeeded is
        // looked at; the response is dropped unread right there.
        if self.cat.contexts.outcome_methods.contains(&name)
            && responses::bare_ident(&m.receiver).is_none()
            && let Some((r, _)) = self.response_of(&m.receiver)
        {
            self.note_production(Some(&m.receiver));
            self.responses.discarded(
                r,
                self.response_span(&m.receiver),
                &format!(
                    "`.{name}()` looks only at whether the request succeeded and drops the response"
                ),
            );
        }
        // `resp.unwrap().status()`: moved out of the variable into a
        // temporary that only its head is looked at on.
        if let syn::Expr::MethodCall(inner) = strip_parens(&m.receiver)
            && UNWRAPS.contains(&inner.method.to_string().as_str())
            && let Some(var) = responses::bare_ident(&inner.receiver)
            && self.responses.is_unread(&var)
            && self.responses.head_only(&var, &name, self.cat)
        {
            self.walk_borrowed(&inner.receiver, Dest::Drop);
            for a in inner.args.iter().chain(&m.args) {
                self.walk_expr(a, Dest::Drop);
            }
            self.responses
                .looked_at_temporary(&var, span_range(m.span()), &name);
            return;
        }
        let contexts = &self.cat.contexts;
        let passthrough = contexts.passthrough_methods.contains(&name)
            || PASSTHROUGH_EXTRA.contains(&name.as_str());
        // Handler and job registrations by method (`web::get().to(h)`).
        if let Some(regs) = self.cat.handler_methods.get(&name).cloned() {
            let root = self.chain_root(&m.receiver);
            if let Some(reg) = regs.iter().find(|r| {
                root.as_ref()
                    .is_some_and(|p| r.roots.iter().any(|pat| pat.matches(p)))
            }) {
                let reg = reg.clone();
                self.walk_expr(&m.receiver, Dest::Drop);
                self.register_args(&m.args, &reg, &name, Some(&m.receiver));
                return;
            }
        }
        // The call itself (builder terminal, client-source method, crate method).
        let callee = self.callee_of_method(m);
        if !self.in_test {
            self.note_hidden_callers(m, &name, callee.is_some());
        }
        let at = self.pending.len();
        if let Some(callee) = callee.clone() {
            self.record_call(m.span(), callee, dest, Node::Method(m));
            if let Some((call, _)) = self.pending.last_mut() {
                call.head = chain_head(&m.receiver).map(|e| span_range(e.span()));
                call.terminal = Some(span_range(m.method.span()).start..span_range(m.span()).end);
            }
        }
        // Response facts: reads, moves, head-only looks.
        self.responses.method_on(&m.receiver, &name, self.cat);
        // `Result::map(|client| Self { client })`: the value goes into the closure
        // parameter and the closure's result is the call's value.
        let value_map = (VALUE_ADAPTERS.contains(&name.as_str()) || name == "inspect")
            && !self.has_iterator_source(&m.receiver)
            && m.args
                .iter()
                .any(|a| matches!(strip_parens(a), syn::Expr::Closure(c) if c.inputs.len() == 1));
        if value_map {
            let param_slot = self.new_slot();
            self.walk_borrowed(&m.receiver, Dest::Var(param_slot));
            for a in &m.args {
                if let syn::Expr::Closure(c) = strip_parens(a)
                    && c.inputs.len() == 1
                {
                    self.frames.push(Frame::Closure);
                    self.scopes.push(HashMap::default());
                    let mut names = Vec::new();
                    crate::index::pattern_names(&c.inputs[0], &mut names);
                    let ty = self.ty_of(&m.receiver);
                    for n in &names {
                        let slot = self.bind(n, ty.clone());
                        self.slot_uses[param_slot].push(Dest::Var(slot));
                    }
                    // `client.get(u).send().await.map(|r| r.status())`: the
                    // parameter is the response, dropped when the closure ends.
                    let saved = self.responses.enter_closure();
                    if let [param] = names.as_slice()
                        && self.sent_here(&m.receiver)
                        && let Some((r, awaited)) = self.response_of(&m.receiver)
                    {
                        self.note_production(Some(&m.receiver));
                        let span = self.response_span(&m.receiver);
                        self.responses
                            .bind(param, r, span, awaited, self.loop_depth());
                    }
                    let tail = if name == "inspect" { Dest::Drop } else { dest };
                    self.walk_expr(&c.body, tail);
                    self.close_scope(scope_end(&c.body));
                    self.responses.leave_closure(saved);
                    self.frames.pop();
                } else {
                    self.walk_expr(a, Dest::Drop);
                }
            }
            return;
        }
        // A method neither the catalog nor the workspace knows, named like a
        // wrapper (`with_capabilities`, `layer`, `into_service`), keeps its
        // receiver and arguments in its result: builder and middleware chains.
        let wraps = callee.is_none()
            && self
                .cat
                .contexts
                .wrapping_method_prefixes
                .iter()
                .any(|p| name.starts_with(p.as_str()))
            && !self.is_catalog_method(&m.receiver, &name);
        // A workspace method that hands back `Self` (`fn with_path_style(self) -> Self`)
        // or consumes its receiver into a value (`fn build(self) -> HttpClient`)
        // passes its receiver on; so does one whose receiver and result both
        // hold a client (`fn api(&self) -> Api`): from a borrowed receiver its
        // result can only hold a clone of the receiver's (a reference to it
        // cannot outlive the receiver, which borrowing enforces).
        let returns_receiver = match &callee {
            Some(Callee::Crate(keys)) => keys.iter().any(|k| {
                self.idx.fn_decls(k).any(|d| {
                    d.sig.has_self
                        && ((d.impl_self.is_some() && d.ret == d.impl_self)
                            || (d.sig.self_by_value && d.sig.ret.is_some())
                            || (d
                                .impl_self
                                .as_ref()
                                .is_some_and(|t| self.holds_client(t, 3))
                                && d.ret.as_ref().is_some_and(|t| self.holds_client(t, 3))))
                })
            }),
            _ => false,
        };
        // A client being built owns what goes into it, its builder (the receiver
        // of `build`) and arguments alike (a TLS config for `use_preconfigured_tls`,
        // a connector for `build(..)`): that client is the one reported.
        let owned = matches!(callee, Some(Callee::Catalog { .. }))
            || matches!(self.ty_of(&m.receiver), Ty::Builder(_));
        // A method of a foreign builder chain (`Queue::builder().pool(pool)`,
        // rooted in a constructor-like call) keeps its arguments in what the
        // chain builds: they go where the chain's value goes.
        let builder_setter = callee.is_none()
            && !wraps
            && self.foreign_value(&self.ty_of(&m.receiver))
            && self
                .chain_root(&m.receiver)
                .is_some_and(|root| self.is_builder_root(&root));
        let recv_dest = if passthrough || wraps || returns_receiver || builder_setter {
            dest
        } else if owned {
            Dest::Store
        } else {
            Dest::Drop
        };
        let calls_before = self.pending.len();
        self.walk_borrowed(&m.receiver, recv_dest);
        self.note_request_destination(m);
        let value_closure = VALUE_CLOSURE_METHODS.contains(&name.as_str());
        // `self.client.clone().unwrap_or_else(build)`: a get-or-create when the
        // closure calls something (a build), not `unwrap_or_else(|_| "x".into())`.
        let kept_receiver = value_closure && self.made_elsewhere(&m.receiver, calls_before);
        let calls_before = self.pending.len();
        let once = contexts.once_methods.contains(&name);
        let event = contexts.event_methods.contains(&name);
        let per_item = event
            || contexts.per_item_methods.contains(&name)
            || (contexts.per_item_methods_with_source.contains(&name)
                && self.has_iterator_source(&m.receiver));
        let store = owned || contexts.store_methods.contains(&name);
        // A foreign method of a local or a parameter, or of a field of one
        // (`roots.add_parsable_certificates(certs)`,
        // `site.tera.register_function("f", F::new())`), takes what is moved
        // into it: that goes where that value goes, which is the caller's
        // value when the parameter is taken by reference.
        let into_receiver = match callee {
            None => self.receiver_place(&m.receiver),
            Some(_) => None,
        };
        for (i, a) in m.args.iter().enumerate() {
            if once && let Some(slot) = self.var_slot(a) {
                self.once_slots.insert(slot);
                self.walk_expr(a, Dest::Store);
            } else if once && is_runnable(a) {
                self.walk_runnable(a, Frame::Once, Dest::Store);
            } else if per_item && is_runnable(a) {
                let header = span_range(m.method.span());
                let info = LoopInfo {
                    kind: LoopKind::Closure,
                    header,
                    start: span_range(m.span()).start,
                    periodic: false,
                    what: name.clone(),
                    statement: false,
                    period: None,
                    reconnect: false,
                    fixed: None,
                    first_success: false,
                    repeats: event || self.in_repeating_loop(),
                };
                // A `map` closure yields its value to the consumer (often collected).
                let tail = if matches!(
                    name.as_str(),
                    "map" | "filter_map" | "flat_map" | "then" | "and_then"
                ) {
                    Dest::Store
                } else {
                    Dest::Drop
                };
                self.walk_runnable(
                    a,
                    Frame::Loop {
                        info: info.into(),
                        bound: HashSet::default(),
                        locals: HashSet::default(),
                    },
                    tail,
                );
            } else if (value_closure
                || name == "then"
                || matches!(strip_parens(a), syn::Expr::Path(_))
                    && VALUE_ADAPTERS.contains(&name.as_str()))
                && is_runnable(a)
            {
                // `secure.then(|| tls_config())`, `fut.then(f)`,
                // `config.and_then(build_connector)`: the function's value is
                // the call's (on an iterator they run per item, above).
                self.walk_runnable(a, Frame::Closure, dest);
            } else if store {
                self.walk_expr(a, Dest::Store);
            } else if is_runnable(a) && !matches!(strip_parens(a), syn::Expr::Path(_)) {
                self.walk_runnable(a, Frame::Closure, Dest::Drop);
            } else if wraps || builder_setter {
                self.walk_expr(a, dest);
            } else if let Some(place) = into_receiver {
                self.walk_expr(a, place);
            } else if let Some(Callee::Crate(keys)) = &callee {
                if let Some(name) = responses::bare_ident(a) {
                    self.responses.handed(&name, keys, i, span_range(a.span()));
                }
                self.note_dest_arg(at, i, a);
                let d = self.arg_dest(keys, i);
                self.walk_arg(a, d);
            } else {
                self.walk_expr(a, Dest::Drop);
            }
        }
        if kept_receiver && self.pending.len() > calls_before {
            self.stale.push(dest);
        }
    }

    /// An argument of a workspace function. A local lent to it (`&client`)
    /// goes to the parameter too: the callee can keep it only as a clone,
    /// which shares the client's pool (`Self { client: client.clone() }`).
    fn walk_arg(&mut self, a: &syn::Expr, dest: Dest) {
        match strip_parens(a) {
            syn::Expr::Reference(r) if lent_local(a) => {
                self.walk_borrowed(strip_parens(&r.expr), dest)
            }
            _ => self.walk_expr(a, dest),
        }
    }

    /// Whether a value of type `ty` holds a client: it is one, or a workspace
    /// struct with a field (or collection field) that holds one, `depth`
    /// levels down at most.
    fn holds_client(&self, ty: &[String], depth: usize) -> bool {
        if self.cat.client_types.contains(ty) {
            return true;
        }
        let Some(st) = self.idx.structs.get(&ty.join("::")) else {
            return false;
        };
        depth > 0
            && st
                .fields
                .iter()
                .chain(&st.elements)
                .any(|(_, t)| t.as_slice() != ty && self.holds_client(t, depth - 1))
    }

    /// Where a value moved into a foreign method of `receiver` goes: a
    /// local's or by-value parameter's slot (of a foreign type, or through
    /// one of its fields), or stored when the root is taken by reference.
    fn receiver_place(&self, receiver: &syn::Expr) -> Option<Dest> {
        let mut e = strip_parens(receiver);
        let mut field = false;
        while let syn::Expr::Field(f) = e {
            e = strip_parens(&f.base);
            field = true;
        }
        let syn::Expr::Path(p) = e else {
            return None;
        };
        let var = self.lookup(&p.path.get_ident()?.to_string())?;
        // (By slot: a local that shadows the parameter's name is not it.)
        if self.ref_slots.contains(&var.slot) {
            return Some(Dest::Store);
        }
        (field || self.foreign_value(&var.ty)).then_some(Dest::Var(var.slot))
    }

    pub(super) fn record_call(
        &mut self,
        span: proc_macro2::Span,
        callee: Callee,
        dest: Dest,
        node: Node<'_>,
    ) {
        let ctx = self.current_ctx();
        let ctx_for_dispatch = ctx.clone();
        let uses_params = !self.param_names.is_empty() && {
            let mut used = HashSet::default();
            idents_in(node, &mut used);
            used.iter().any(|u| self.param_names.contains(u))
        };
        let (uses_loop_binding, hoistable) = match (&ctx, self.loop_names()) {
            (Ctx::Loop(_), Some((bound, locals))) => {
                let mut used = HashSet::default();
                idents_in(node, &mut used);
                (
                    used.iter().any(|u| bound.contains(u)),
                    !used.iter().any(|u| locals.contains(u)),
                )
            }
            _ => (false, false),
        };
        let call = CallSite {
            span: span_range(span),
            callee,
            ctx,
            flow: Flow::Dropped,
            uses_loop_binding,
            hoistable,
            binding: None,
            returns: Vec::new(),
            head: None,
            terminal: None,
            passed_to: Vec::new(),
            via_closure: None,
            called_at: None,
            uses_params,
            dest_from_args: false,
            dest_args: Vec::new(),
            dispatch: matches!(ctx_for_dispatch, Ctx::Loop(_))
                && self.dispatch_at.last() == Some(&self.loop_depth()),
            kind_dispatch: matches!(ctx_for_dispatch, Ctx::Body) && self.kind_dispatch > 0,
            session: match node {
                Node::Method(m) => session_method(&m.receiver, &self.cat.contexts.session_methods),
                Node::Call(_) | Node::Expr(_) => None,
            },
            cfg: self.fn_cfg.clone(),
            as_value: false,
        };
        self.pending.push((call, dest));
    }
}

impl Walker<'_> {
    /// Records who a method call may reach beyond what it resolves to: on a
    /// receiver typed by a trait (`Box<dyn db_core::Store>`), a method of an
    /// impl of that trait or one of its supertraits (any of another crate,
    /// whose own supertraits are not in view), even when it resolves to the
    /// trait's default body, which an impl may override; an unresolved call on
    /// any other receiver, any method of that name.
    /// Each name is kept alone and with the call's arity (`len`, `len/0`):
    /// the call reaches a method with as many parameters besides `self`, or
    /// one whose attributes may change them.
    fn note_hidden_callers(&mut self, m: &syn::ExprMethodCall, name: &str, resolved: bool) {
        let names = [name.to_string(), format!("{name}/{}", m.args.len())];
        match self.ty_of(&m.receiver) {
            Ty::Named(t) if self.idx.known_traits.contains(&t.join("::")) => {
                let (local, foreign) = self.idx.trait_closure(&t);
                for tr in local {
                    for name in &names {
                        self.out
                            .unresolved_trait_calls
                            .insert(format!("{tr}::{name}"));
                    }
                }
                if foreign {
                    self.out.unresolved_foreign_trait_calls.extend(names);
                }
            }
            _ if !resolved => self.out.unresolved_calls.extend(names),
            _ => {}
        }
    }
}

/// How an unresolved path call is remembered (see `callgraph::Unresolved`):
/// a path qualified by a module (`soldeer::run`, by the naming convention a
/// lower-case segment) can only name a function of a module of that name, so
/// it keeps its qualifier; a bare name or one qualified by a type, a trait or
/// a type parameter (`T::run`) may name any function or method of that name.
/// How an unresolved path call is recorded (`FileFacts::unresolved_paths`):
/// `module::name` when a module qualifies it; `Type::name` and `::name`
/// when a type does (`T::run(x)` on a generic may reach any impl's `run`,
/// but only a path naming `Foo` reaches the inherent `Foo::new`); the bare
/// name otherwise (it cannot name a method).
fn unresolved_path_names(resolved: &[String]) -> Vec<String> {
    match resolved {
        [.., module, name] if module.starts_with(|c: char| c.is_ascii_lowercase()) => {
            vec![format!("{module}::{name}")]
        }
        [.., ty, name] => vec![format!("{ty}::{name}"), format!("::{name}")],
        [name] => vec![name.clone()],
        [] => Vec::new(),
    }
}

/// The body of a `move` closure or `async move` block.
fn moved_body(e: &syn::Expr) -> Option<&syn::Expr> {
    match strip_parens(e) {
        syn::Expr::Closure(c) if c.capture.is_some() => Some(&c.body),
        syn::Expr::Async(b) if b.capture.is_some() => Some(e),
        _ => None,
    }
}

/// `&name`: a local lent to a call.
fn lent_local(a: &syn::Expr) -> bool {
    matches!(strip_parens(a), syn::Expr::Reference(r)
        if r.mutability.is_none() && matches!(strip_parens(&r.expr), syn::Expr::Path(p) if p.path.get_ident().is_some()))
}
