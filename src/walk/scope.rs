//! Scopes and bindings: the variables in scope and their slots, `let`
//! statements and patterns, and the block scopes of items written in a body.

use super::*;

#[derive(Debug, Clone)]
pub(super) struct Var {
    pub(super) ty: Ty,
    pub(super) slot: usize,
}

/// Names a block brings into scope with its own items: `use`, `type` and
/// type definitions written inside a function body.
#[derive(Debug, Default)]
pub(super) struct BlockScope {
    pub uses: HashMap<String, PathSegs>,
    pub globs: Vec<PathSegs>,
    pub aliases: HashMap<String, PathSegs>,
    /// Types defined in the block: never a library path.
    pub items: HashSet<String>,
    /// `static` and `const` items of the block, with their written types.
    pub statics: HashMap<String, crate::index::TypeRef>,
}

impl Walker<'_> {
    pub(super) fn bind(&mut self, name: &str, ty: Ty) -> usize {
        let slot = self.slot_uses.len();
        self.slot_uses.push(Vec::new());
        if let Some(scope) = self.scopes.last_mut() {
            scope.insert(name.to_string(), Var { ty, slot });
        }
        if let Some(Frame::Loop { locals, .. }) = self
            .frames
            .iter_mut()
            .rev()
            .find(|f| matches!(f, Frame::Loop { .. } | Frame::Fn))
        {
            locals.insert(name.to_string());
        }
        slot
    }

    pub(super) fn new_slot(&mut self) -> usize {
        self.slot_uses.push(Vec::new());
        self.slot_uses.len() - 1
    }

    pub(super) fn lookup(&self, name: &str) -> Option<&Var> {
        self.scopes.iter().rev().find_map(|s| s.get(name))
    }

    /// The slot of a local variable used as a bare name.
    /// A place the function only borrows (`&result`, or a parameter taken by
    /// reference): a pattern matched against it binds references, and what
    /// they name is the owner's to read.
    fn borrowed_place(&self, e: &syn::Expr) -> bool {
        match strip_parens(e) {
            syn::Expr::Reference(_) => true,
            other => self
                .var_slot(other)
                .is_some_and(|slot| self.ref_slots.contains(&slot)),
        }
    }

    pub(super) fn var_slot(&self, e: &syn::Expr) -> Option<usize> {
        let syn::Expr::Path(p) = strip_parens(e) else {
            return None;
        };
        Some(self.lookup(&p.path.get_ident()?.to_string())?.slot)
    }

    /// The names a pattern binds directly to fields of a type of the
    /// workspace, with their declared types: an enum variant's
    /// (`Command::Seed(args)`) and a struct's (`Api { client, .. }`,
    /// `&Self { client: c, .. }`).
    fn pattern_field_types(&self, pat: &syn::Pat) -> Vec<(String, Ty)> {
        let binding = |p: &syn::Pat| match p {
            syn::Pat::Ident(i) if i.subpat.is_none() => Some(i.ident.to_string()),
            _ => None,
        };
        let typed = |name: Option<String>, t: &crate::index::PathSegs| {
            Some((name?, self.ty_of_path(t.clone()))).filter(|_| !t.is_empty())
        };
        match pat {
            syn::Pat::Reference(r) => self.pattern_field_types(&r.pat),
            syn::Pat::Type(t) => self.pattern_field_types(&t.pat),
            syn::Pat::TupleStruct(ts) => {
                let path = self.resolve_segs(&path_segs(&ts.path));
                let Some(fields) = self.idx.variants.get(&path.join("::")) else {
                    return Vec::new();
                };
                ts.elems
                    .iter()
                    .zip(fields)
                    .filter_map(|(p, t)| typed(binding(p), t))
                    .collect()
            }
            syn::Pat::Struct(ps) => {
                let path = self.resolve_segs(&path_segs(&ps.path));
                let Some(st) = self.idx.structs.get(&path.join("::")) else {
                    return Vec::new();
                };
                ps.fields
                    .iter()
                    .filter_map(|fp| {
                        let syn::Member::Named(member) = &fp.member else {
                            return None;
                        };
                        let (_, t) = st.fields.iter().find(|(n, _)| member == n)?;
                        typed(binding(&fp.pat), t)
                    })
                    .collect()
            }
            _ => Vec::new(),
        }
    }

    pub(super) fn bind_pattern_from(
        &mut self,
        pat: &syn::Pat,
        from: &syn::Expr,
        parent: Option<usize>,
    ) {
        // Only a plain binding, or `Some(x)`/`Ok(x)` (Option and Result are
        // looked through), has the matched value's type; an enum variant's
        // field does not.
        let ty = if pattern_keeps_type(pat) {
            self.ty_of(from)
        } else {
            Ty::Unknown
        };
        let mut names = Vec::new();
        crate::index::pattern_names(pat, &mut names);
        let single = names.len() == 1;
        // `Command::Seed(args) =>`, `Api { client, .. } =>`: a field has its
        // declared type.
        let fields = self.pattern_field_types(pat);
        for n in &names {
            let ty = match fields.iter().find(|(f, _)| f == n) {
                Some((_, t)) => t.clone(),
                None if single => ty.clone(),
                None => Ty::Unknown,
            };
            let slot = self.bind(n, ty);
            if let Some(p) = parent {
                self.slot_uses[p].push(Dest::Var(slot));
            }
        }
        let carries_value = match pat {
            syn::Pat::Ident(_) => true,
            syn::Pat::TupleStruct(ts) => ts
                .path
                .segments
                .last()
                .is_some_and(|s| s.ident == "Ok" || s.ident == "Some"),
            _ => false,
        };
        if single
            && carries_value
            && !self.borrowed_place(from)
            && let Some((r, awaited)) = self.response_of(from)
        {
            self.note_production(None);
            let head = chain_head(from).and_then(responses::bare_ident);
            self.responses.produced_from(head.as_deref());
            self.responses.from_request = self.request_from_args(from);
            self.responses.via = self.produced_by(from);
            self.responses.bind(
                &names[0],
                r,
                self.response_span(from),
                awaited,
                self.loop_depth(),
            );
        }
    }

    pub(super) fn walk_local(&mut self, local: &syn::Local) {
        let mut names = Vec::new();
        crate::index::pattern_names(&local.pat, &mut names);
        let annotated = match &local.pat {
            syn::Pat::Type(pt) => Some(type_ref(&pt.ty)),
            _ => None,
        };
        let simple = match &local.pat {
            syn::Pat::Ident(i) => Some((i.ident.to_string(), i.mutability.is_some())),
            syn::Pat::Type(pt) => match &*pt.pat {
                syn::Pat::Ident(i) => Some((i.ident.to_string(), i.mutability.is_some())),
                _ => None,
            },
            _ => None,
        };
        let Some(init) = &local.init else {
            for n in &names {
                let ty = annotated
                    .as_ref()
                    .map(|t| self.ty_from_typeref(t))
                    .unwrap_or(Ty::Unknown);
                self.bind(n, ty);
            }
            return;
        };
        // `let mut iv = interval(Duration::from_secs(60));`: ticks of `iv` come every 60 s.
        if let Some((name, _)) = &simple
            && let syn::Expr::Call(c) = strip_parens(&init.expr)
            && let syn::Expr::Path(p) = &*c.func
            && p.path
                .segments
                .last()
                .is_some_and(|s| s.ident == "interval" || s.ident == "interval_at")
            && let Some(secs) = period::duration_secs(&init.expr, &self.consts)
        {
            self.intervals.insert(name.clone(), secs);
        }
        // `let mut attempts = 3;`: a counter a `while` loop may count down.
        if let Some((name, true)) = &simple
            && let Some(n) = period::int_value(&init.expr, &self.consts)
        {
            self.counters.insert(name.clone(), n);
        }
        // Type of the bound value.
        let ty = match &annotated {
            Some(t) => self.ty_from_typeref(t),
            None if pattern_keeps_type(&local.pat) => self.ty_of(&init.expr),
            // `let (tx, rx) = flume::bounded::<Job>(n);`: both ends carry jobs.
            None if matches!(local.pat, syn::Pat::Tuple(_)) => match self.ty_of(&init.expr) {
                channel @ Ty::Channel(_) => channel,
                _ => Ty::Unknown,
            },
            None => Ty::Unknown,
        };
        // A request for a `HEAD` kept in a local (`let Ok(req) = build(Method::HEAD, u) else ..`).
        if let [name] = names.as_slice()
            && let Ty::Request(r) = ty
            && (simple.is_some() || init.diverge.is_some() && binds_success(&local.pat))
            && chain_sends(&init.expr, &self.cat.responses[r].no_body_methods)
        {
            self.head_locals.insert(name.clone());
        }
        // A client built without a pool (`pool_max_idle_per_host(0)`).
        if let Some((name, _)) = &simple
            && builds_without_pool(&init.expr, &self.cat.contexts.no_pool_methods)
        {
            self.no_pool_locals.insert(name.clone());
        }
        // A URL whose host comes from the arguments, or a request or response
        // sent to one.
        if let [name] = names.as_slice()
            && let Some(param) = self.host_from_args(&init.expr).or_else(|| {
                matches!(ty, Ty::Request(_) | Ty::Response(_))
                    .then(|| self.request_from_args(&init.expr))
                    .flatten()
            })
        {
            self.dest_names.insert(name.clone(), param);
        }
        // A local made from a parameter carries the parameter's origin.
        if !self.param_names.is_empty() {
            let mut used = HashSet::default();
            idents_in_expr(&init.expr, &mut used);
            if used.iter().any(|u| self.param_names.contains(u)) {
                self.param_names.extend(names.iter().cloned());
            }
        }
        // A builder bound to a name: remember the call that started its chain
        // (directly, or through the builder variable it was made from).
        if let (Some((name, _)), Ty::Builder(_)) = (&simple, &ty) {
            let mut used = HashSet::default();
            idents_in_expr(&init.expr, &mut used);
            let root = self
                .chain_root(&init.expr)
                .or_else(|| used.iter().find_map(|u| self.builder_roots.get(u).cloned()));
            if let Some(root) = root {
                self.builder_roots.insert(name.clone(), root);
            }
        }
        // `let queue = BroccoliQueue::builder(url).build().await?;`: a value
        // made by a chain that starts at a registration root keeps that root,
        // so the registrations on it are recognised.
        if let (Some((name, _)), Ty::Unknown) = (&simple, &ty)
            && let Some(root) = self.chain_root(&init.expr)
            && self.cat.registration_roots.contains(&root)
        {
            self.builder_roots.insert(name.clone(), root);
        }
        // The answer to a `HEAD` request has no body: nothing to track downstream.
        let ty = match ty {
            Ty::Response(r) if self.is_head_request(&init.expr, r) => Ty::Unknown,
            other => other,
        };
        // `let mk = || Client::new();`: calls of `mk()` build a client.
        if let (Some((name, _)), syn::Expr::Closure(c)) = (&simple, strip_parens(&init.expr)) {
            let before = self.pending.len();
            let ret = self.new_return();
            self.walk_closure_body(&c.inputs, &c.body, Frame::Closure, ret);
            let builds: Vec<(CallSite, Dest)> = self.pending[before..]
                .iter()
                .filter(|(call, d)| *d == ret && matches!(call.callee, Callee::Catalog { .. }))
                .cloned()
                .collect();
            let ty = match builds.into_iter().next() {
                Some(b) => {
                    self.closure_builds.push(b);
                    Ty::Closure(self.closure_builds.len() - 1)
                }
                None => Ty::Unknown,
            };
            let after = self.pending.len();
            let slot = self.bind(name, ty);
            self.closure_slots
                .insert(slot, (self.loop_depth(), name.clone()));
            if c.capture.is_some() {
                self.capture_moves(&c.body, Dest::Var(slot));
            }
            self.deferred.push((slot, before..after));
            return;
        }
        // `let init = Box::pin(async { .. })`: the block runs where `init` goes.
        let deferred_block = simple.is_some() && is_async_block(&init.expr);
        // A slot for a single binding so uses can tell where the value goes.
        let slot = self.slot_uses.len();
        self.slot_uses.push(Vec::new());
        // `#[cfg(a)] let c = A; #[cfg(not(a))] let c = B;`: variants, not a
        // shadowing. Only one is compiled, and it goes where the last one goes.
        if crate::index::cfg_text(&local.attrs).is_some()
            && let Some((name, _)) = &simple
        {
            if let Some(old) = self.lookup(name).map(|v| v.slot)
                && self.cfg_slots.contains(&old)
            {
                self.slot_uses[old].push(Dest::Var(slot));
            }
            self.cfg_slots.insert(slot);
        }
        let dest = if names.is_empty() {
            Dest::Drop
        } else {
            Dest::Var(slot)
        };
        let before = self.pending.len();
        // `let c: reqwest::Client = Default::default();`
        if let (Some(t), syn::Expr::Call(call)) = (&annotated, &*init.expr)
            && let syn::Expr::Path(p) = &*call.func
        {
            let segs = path_segs(&p.path);
            if segs.last().is_some_and(|s| s == "default")
                && (segs.len() == 1 || segs.iter().any(|s| s == "Default"))
                && let Some(resolved) = self.resolve_type_ref(t)
                && let Some(&client) = self.cat.client_types.get(&resolved)
            {
                let mut path = resolved.clone();
                path.push("default".to_string());
                self.record_call(
                    call.span(),
                    Callee::Catalog {
                        client,
                        kind: ConstructionKind::Constructor,
                        path: path.join("::"),
                    },
                    dest,
                    Node::Expr(&init.expr),
                );
            }
        }
        // `let b = a?;` of an unread response: `b` carries on `a`.
        let rebind_from = rebind_source(&init.expr).filter(|n| self.responses.is_unread(n));
        self.walk_expr(&init.expr, dest);
        if let Some((_, diverge)) = &init.diverge {
            // The `else` of a `let .. else` is a path of its own that ends there.
            let before_else = self.responses.fork();
            self.walk_expr(diverge, Dest::Drop);
            self.responses.restore(before_else);
        }
        // The calls whose value this let binds get the statement for fixes.
        if let Some((name, mutable)) = &simple {
            let stmt = span_range(local.span());
            let has_try = contains_try(&init.expr);
            let in_loop_body = self.loop_body_scopes.last() == Some(&self.scopes.len());
            let mut builds = false;
            for (call, d) in self.pending[before..].iter_mut() {
                if *d == dest {
                    builds |= !matches!(
                        call.callee,
                        Callee::Catalog {
                            kind: ConstructionKind::OneShot,
                            ..
                        }
                    );
                    call.binding = Some(Box::new(LetInfo {
                        stmt: stmt.clone(),
                        name: name.clone(),
                        mutable: *mutable,
                        has_try,
                        in_loop_body,
                    }));
                }
            }
            // A client built here, or a request made from one, for the
            // responses it produces (see `ResponseFact::client`).
            if builds {
                self.responses
                    .bind_client(name, stmt.clone(), self.loop_depth());
            } else {
                let head = chain_head(&init.expr).and_then(responses::bare_ident);
                self.responses.bind_other(name, head.as_deref());
            }
        }
        if deferred_block {
            self.deferred.push((slot, before..self.pending.len()));
        }
        let response = self.response_of(&init.expr);
        // A name is per-iteration when its initializer uses a per-iteration name.
        let tainted = match self.loop_bound_names() {
            Some(bound) => {
                let mut used = HashSet::default();
                idents_in_expr(&init.expr, &mut used);
                used.iter().any(|u| bound.contains(u))
            }
            None => false,
        };
        // `let Api { client, .. } = api;`: a field has its declared type.
        let fields = self.pattern_field_types(&local.pat);
        for n in &names {
            let t = match fields.iter().find(|(f, _)| f == n) {
                Some((_, t)) => t.clone(),
                None if names.len() == 1 || matches!(ty, Ty::Channel(_)) => ty.clone(),
                None => Ty::Unknown,
            };
            // A tuple pattern: each name gets its own slot, the value flows where any of them goes.
            let name_slot = if names.len() == 1 {
                slot
            } else {
                let s = self.new_slot();
                self.slot_uses[slot].push(Dest::Var(s));
                s
            };
            self.scopes.last_mut().map(|s| {
                s.insert(
                    n.clone(),
                    Var {
                        ty: t,
                        slot: name_slot,
                    },
                )
            });
            if let Some(Frame::Loop { bound, locals, .. }) = self
                .frames
                .iter_mut()
                .rev()
                .find(|f| matches!(f, Frame::Loop { .. } | Frame::Fn))
            {
                locals.insert(n.clone());
                if tainted {
                    bound.insert(n.clone());
                }
            }
        }
        // `let Ok(resp) = resp else { return .. };` binds the success value.
        let success = simple.clone().or_else(|| {
            let [name] = names.as_slice() else {
                return None;
            };
            (init.diverge.is_some() && binds_success(&local.pat)).then(|| (name.clone(), false))
        });
        if let Some((r, awaited)) = response
            && let Some((name, _)) = &success
            && !rebind_from
                .as_ref()
                .is_some_and(|from| self.responses.rebind(from, name, self.loop_depth()))
        {
            self.note_production(Some(&init.expr));
            self.responses.bind(
                name,
                r,
                self.response_span(&init.expr),
                awaited,
                self.loop_depth(),
            );
        } else if let Some((r, _)) = response
            && simple.is_none()
            && matches!(local.pat, syn::Pat::Wild(_))
        {
            // `let _ = client.get(u).send().await;`
            self.note_production(Some(&init.expr));
            self.responses.discarded(
                r,
                span_range(init.expr.span()),
                "`let _ =` drops it at once",
            );
        }
        // `let (a, b) = tokio::join!(c.get(x).send(), c.get(y).send());`: each
        // name holds the response of its future.
        if let Some(futures) = join_futures(&init.expr) {
            let elems = match &local.pat {
                syn::Pat::Tuple(t) => Some(&t.elems),
                syn::Pat::Type(pt) => match &*pt.pat {
                    syn::Pat::Tuple(t) => Some(&t.elems),
                    _ => None,
                },
                _ => None,
            };
            match elems {
                Some(elems) if elems.len() == futures.len() => {
                    for (pat, fut) in elems.iter().zip(&futures) {
                        if let syn::Pat::Wild(_) = pat {
                            self.discard_response(fut, "`_` in the `join!` pattern drops it");
                        } else {
                            self.bind_pattern_from(pat, fut, None);
                        }
                    }
                }
                _ if matches!(local.pat, syn::Pat::Wild(_)) => {
                    for fut in &futures {
                        self.discard_response(fut, "`let _ =` drops it at once");
                    }
                }
                _ => {}
            }
        }
    }

    /// Leaves the innermost scope: responses bound in it and still unread are
    /// dropped at `close`.
    pub(super) fn close_scope(&mut self, close: Range<usize>) {
        let names: Vec<String> = self
            .scopes
            .last()
            .map(|s| s.keys().cloned().collect())
            .unwrap_or_default();
        self.responses.end_scope(&names, close);
        self.scopes.pop();
    }
}
