//! Contexts and frequency: how often the code being walked runs (in a loop,
//! a request handler, a run-once initializer, or a plain body), the frames
//! that record it, function roles, and registered handlers and jobs.

use super::*;

#[derive(Debug, Clone)]
pub(super) enum Frame {
    Fn,
    /// `bound`: names whose value changes per iteration; `locals`: every name bound inside.
    Loop {
        info: std::sync::Arc<LoopInfo>,
        bound: HashSet<String>,
        locals: HashSet<String>,
    },
    /// Statements before an unconditional exit: the next `n` loops run them once.
    RunsOnce(usize),
    Once,
    Handler {
        framework: usize,
        span: Range<usize>,
    },
    /// A closure that is not an adapter argument: code that runs when called.
    Closure,
}

impl Walker<'_> {
    pub(super) fn current_ctx(&self) -> Ctx {
        let mut skip = 0usize;
        for frame in self.frames.iter().rev() {
            match frame {
                Frame::Once => return Ctx::Once,
                Frame::RunsOnce(n) => skip = skip.saturating_add(*n),
                Frame::Loop { info, .. } => {
                    if skip > 0 {
                        skip -= 1;
                    } else {
                        return Ctx::Loop(info.clone());
                    }
                }
                Frame::Handler { framework, span } => {
                    return Ctx::Handler {
                        framework: *framework,
                        span: span.clone(),
                    };
                }
                Frame::Fn => return Ctx::Body,
                // A closure or task runs where it is created (or called) as far as we can tell.
                Frame::Closure => {}
            }
        }
        Ctx::Body
    }

    /// Tells the response tracker about the response about to be produced by
    /// `e`: the context it is produced in, and whether it answers an upload.
    pub(super) fn note_production(&mut self, e: Option<&syn::Expr>) {
        self.responses.ctx = self.current_ctx();
        self.responses.depth = self.loop_depth();
        self.responses.from_request = e.and_then(|e| self.request_from_args(e));
        // `match client.get(u).send().await { Ok(r) => r, Err(e) => return .. }`:
        // the response comes from the scrutinee's chain.
        let head = e
            .map(|e| match strip_parens(e) {
                syn::Expr::Match(m) => &*m.expr,
                other => other,
            })
            .and_then(chain_head)
            .and_then(responses::bare_ident);
        self.responses.produced_from(head.as_deref());
        self.responses.upload = e.is_some_and(|e| {
            chain_sends(e, &self.cat.contexts.upload_methods) || self.passes_upload(e)
        });
        self.responses.via = e.map(|e| self.produced_by(e)).unwrap_or_default();
        let counter = if self.responses.upload {
            &mut self.responses.produced.0
        } else {
            &mut self.responses.produced.1
        };
        *counter += 1;
    }

    /// The workspace functions a response-producing call (`self.notify(u).await?`)
    /// calls, if it is one.
    pub(super) fn produced_by(&self, e: &syn::Expr) -> Vec<FnKey> {
        let callee = match strip_parens(e) {
            syn::Expr::Await(a) => return self.produced_by(&a.base),
            syn::Expr::Try(t) => return self.produced_by(&t.expr),
            syn::Expr::MethodCall(m) => self.callee_of_method(m),
            syn::Expr::Call(c) => match &*c.func {
                syn::Expr::Path(p) => self.callee_of_resolved(&self.resolve_expr_path(p), p),
                _ => None,
            },
            _ => None,
        };
        match callee {
            Some(Callee::Crate(keys)) => keys.to_vec(),
            _ => Vec::new(),
        }
    }

    /// `check(resp).await?` of a helper that hands the response back: the
    /// result answers what the argument answered (an upload stays one).
    fn passes_upload(&self, e: &syn::Expr) -> bool {
        let args = match strip_parens(e) {
            syn::Expr::Await(a) => return self.passes_upload(&a.base),
            syn::Expr::Try(t) => return self.passes_upload(&t.expr),
            syn::Expr::Call(c) => &c.args,
            syn::Expr::MethodCall(m) => &m.args,
            _ => return false,
        };
        args.iter()
            .filter_map(responses::bare_ident)
            .any(|n| self.responses.answers_upload(&n))
    }

    /// Names bound inside the innermost repeating loop: (per-iteration, all).
    pub(super) fn loop_names(&self) -> Option<(&HashSet<String>, &HashSet<String>)> {
        let mut skip = 0usize;
        for frame in self.frames.iter().rev() {
            match frame {
                Frame::Closure => {}
                Frame::Once | Frame::Fn | Frame::Handler { .. } => return None,
                Frame::RunsOnce(n) => skip = skip.saturating_add(*n),
                Frame::Loop { bound, locals, .. } => {
                    if skip > 0 {
                        skip -= 1;
                    } else {
                        return Some((bound, locals));
                    }
                }
            }
        }
        None
    }

    pub(super) fn loop_bound_names(&self) -> Option<&HashSet<String>> {
        self.loop_names().map(|(b, _)| b)
    }

    /// A `match` that dispatches a parameter of the function (or a local made
    /// from one) over the kinds of an enum: at least `KIND_ARMS` arms name a
    /// variant (`Command::Whoami`, `Event::Reload { .. }`), so each arm runs
    /// for one kind of command or event. A two-way `Ok`/`Err` or `Some`/`None`
    /// split is no dispatcher.
    pub(super) fn dispatches_param(&self, scrutinee: &syn::Expr, arms: &[syn::Arm]) -> bool {
        const KIND_ARMS: usize = 3;
        if self.param_names.is_empty()
            || arms.iter().filter(|a| names_variant(&a.pat)).count() < KIND_ARMS
        {
            return false;
        }
        let mut used = HashSet::default();
        idents_in_expr(scrutinee, &mut used);
        used.iter().any(|u| self.param_names.contains(u))
    }

    /// Number of plain loops between here and the nearest closure or fn boundary.
    pub(super) fn loops_to_boundary(&self) -> usize {
        let mut n = 0;
        for frame in self.frames.iter().rev() {
            match frame {
                Frame::Loop { info, .. }
                    if info.kind != LoopKind::Closure && info.kind != LoopKind::Periodic =>
                {
                    n += 1
                }
                Frame::Loop { .. }
                | Frame::Fn
                | Frame::Closure
                | Frame::Handler { .. }
                | Frame::Once => break,
                _ => {}
            }
        }
        n
    }

    pub(super) fn loop_depth(&self) -> usize {
        self.frames
            .iter()
            .filter(|f| matches!(f, Frame::Loop { .. }))
            .count()
    }

    pub(super) fn loop_info(
        &self,
        kind: LoopKind,
        header: Range<usize>,
        e: &syn::Expr,
        body: &syn::Block,
        cond: Option<&syn::Expr>,
        what: &str,
    ) -> LoopInfo {
        let markers = &self.cat.loop_markers;
        let (period, reconnect) = period::scan_loop(body, &self.consts, &self.intervals);
        LoopInfo {
            kind,
            header,
            start: span_range(e.span()).start,
            periodic: body_ticks(body, markers) || cond.is_some_and(|c| cond_ticks(c, markers)),
            what: what.into(),
            statement: true,
            period,
            reconnect,
            fixed: None,
            // A loop that waits a known time every round is a poll, whatever it waits for.
            first_success: period.is_none() && period::stops_at_first_success(body),
            repeats: self.in_repeating_loop(),
        }
    }

    /// Inside a loop of this function that repeats without end: a `loop`, a
    /// `while`, or a scheduler's job (a `for` over items ends).
    pub(super) fn in_repeating_loop(&self) -> bool {
        for frame in self.frames.iter().rev() {
            match frame {
                Frame::Loop { info, .. }
                    if matches!(
                        info.kind,
                        LoopKind::Loop | LoopKind::While | LoopKind::Periodic
                    ) =>
                {
                    return true;
                }
                Frame::Fn => return false,
                _ => {}
            }
        }
        false
    }

    /// The path an attribute is written with, looking through the edition
    /// 2024 `#[unsafe(no_mangle)]` wrapper.
    fn attr_path(a: &syn::Attribute) -> PathSegs {
        let written = path_segs(a.path());
        if written.len() == 1
            && written[0] == "unsafe"
            && let syn::Meta::List(l) = &a.meta
            && let Ok(inner) = syn::parse2::<syn::Meta>(l.tokens.clone())
        {
            return path_segs(inner.path());
        }
        written
    }

    /// An attribute that wraps the function in a new async runtime
    /// (`#[tokio::main]`) on a function other than `main`: it builds a
    /// runtime on every call.
    pub(super) fn builds_own_runtime(
        &self,
        sig: &syn::Signature,
        attrs: &[syn::Attribute],
    ) -> bool {
        sig.ident != "main"
            && attrs.iter().any(|a| {
                let resolved = self.resolve_cached(&path_segs(a.path()));
                self.cat.runtime_attributes.contains(&resolved)
            })
    }

    /// The role an export attribute of a foreign caller gives (`#[pyfunction]`,
    /// `#[no_mangle] extern "C"`), if `a` is one.
    fn export_role(&self, sig: &syn::Signature, a: &syn::Attribute) -> Option<FnRole> {
        let written = Self::attr_path(a);
        let resolved = self.resolve_cached(&written);
        let fw = match self.cat.handler_attributes.get(&resolved) {
            Some(&fw) if self.cat.handlers[fw].is_export() => fw,
            Some(_) => return None,
            None if written.len() == 1 => *self
                .cat
                .handler_attribute_names
                .get(&written[0])?
                .iter()
                .find(|&&fw| {
                    self.cat.handlers[fw].is_export()
                        && self.deps.uses_any(&self.cat.handler_packages[fw])
                })?,
            None => return None,
        };
        let spec = &self.cat.handlers[fw];
        if spec.requires_extern && sig.abi.is_none() || sig.ident == "main" {
            return None;
        }
        if let syn::Meta::List(l) = &a.meta
            && l.tokens.clone().into_iter().any(|t| {
                matches!(&t, TokenTree::Ident(i) if spec.entry_arguments.iter().any(|e| i == e))
            })
        {
            return Some(FnRole::Entry);
        }
        Some(FnRole::Handler {
            framework: fw,
            why: format!("`#[{}]` exports it", written.join("::")),
            guessed: false,
        })
    }

    pub(super) fn fn_role(&self, sig: &syn::Signature, attrs: &[syn::Attribute]) -> FnRole {
        for a in attrs {
            if let Some(role) = self.export_role(sig, a) {
                return role;
            }
            let written = path_segs(a.path());
            let resolved = self.resolve_cached(&written);
            // `#[tokio::main]` on a function other than `main` builds a
            // runtime per call: no entry point.
            if self.cat.entry_attributes.contains(&resolved)
                && written.last().is_some_and(|l| l == "main" || l == "launch")
                && !(sig.ident != "main" && self.cat.runtime_attributes.contains(&resolved))
            {
                return FnRole::Entry;
            }
            if let Some(&fw) = self.cat.handler_attributes.get(&resolved) {
                return FnRole::Handler {
                    framework: fw,
                    why: format!("`#[{}]` routes requests to it", written.join("::")),
                    guessed: false,
                };
            }
            if written.len() == 1
                && let Some(&fw) =
                    self.cat
                        .handler_attribute_names
                        .get(&written[0])
                        .and_then(|fws| {
                            fws.iter().find(|&&fw| {
                                !self.cat.handlers[fw].is_export()
                                    && self.deps.uses_any(&self.cat.handler_packages[fw])
                            })
                        })
                && matches!(a.meta, syn::Meta::List(_) | syn::Meta::Path(_))
            {
                // A bare `#[get("/")]` in a crate that uses the framework.
                let looks_routed = matches!(&a.meta, syn::Meta::List(l) if l.tokens.to_string().starts_with('"'))
                    || matches!(&a.meta, syn::Meta::Path(_)) && written[0] == "handler";
                if looks_routed || written[0] == "handler" || written[0] == "debug_handler" {
                    return FnRole::Handler {
                        framework: fw,
                        why: format!("`#[{}]` routes requests to it", written[0]),
                        guessed: false,
                    };
                }
            }
        }
        if sig.ident == "main"
            && self.idx.crates[self.idx.modules[self.module].krate].root == self.module
        {
            let kind = &self.idx.crates[self.idx.modules[self.module].krate].kind;
            if kind != "lib" {
                return FnRole::Entry;
            }
        }
        if sig.asyncness.is_some() {
            for input in &sig.inputs {
                if let syn::FnArg::Typed(pt) = input {
                    let tr = type_ref(&pt.ty);
                    // Through a type alias of the module too (`type AppState = State<App>`).
                    let alias = self.local_alias(&tr);
                    let through = alias.iter().flat_map(|a| [&a.outer, &a.inner]);
                    for candidate in [&tr.outer, &tr.inner].into_iter().chain(through) {
                        if candidate.is_empty() {
                            continue;
                        }
                        let resolved = self.resolve_cached(candidate);
                        if let Some(&fw) = self.cat.extractors.get(&resolved) {
                            return FnRole::Handler {
                                framework: fw,
                                why: format!(
                                    "it takes the {} extractor `{}`",
                                    self.cat.handlers[fw].framework,
                                    candidate.join("::")
                                ),
                                guessed: true,
                            };
                        }
                    }
                }
            }
        }
        FnRole::Plain
    }

    pub(super) fn trait_handler_role(
        &self,
        trait_path: Option<&PathSegs>,
        sig: &syn::Signature,
        impl_attrs: &[syn::Attribute],
        fn_attrs: &[syn::Attribute],
    ) -> Option<FnRole> {
        let method = sig.ident.to_string();
        if let Some(tp) = trait_path {
            let mut full = tp.clone();
            full.push(method.clone());
            if let Some(&fw) = self.cat.trait_methods.get(&full) {
                let wanted = &self.cat.handlers[fw].request_params;
                let takes_request = wanted.is_empty()
                    || sig.inputs.iter().any(|input| match input {
                        syn::FnArg::Typed(pt) => type_ref(&pt.ty)
                            .outer
                            .last()
                            .is_some_and(|name| wanted.iter().any(|w| names_kind(name, w))),
                        syn::FnArg::Receiver(_) => false,
                    });
                if !takes_request {
                    return None;
                }
                return Some(FnRole::Handler {
                    framework: fw,
                    why: format!("`{}::{method}` runs once per request", tp.join("::")),
                    guessed: false,
                });
            }
            for (fw, spec) in self.cat.handlers.iter().enumerate() {
                if !spec.trait_module_suffix.is_empty()
                    && tp.len() >= 2
                    && tp[..tp.len() - 1]
                        .iter()
                        .any(|s| s.ends_with(&spec.trait_module_suffix))
                {
                    return Some(FnRole::Handler {
                        framework: fw,
                        why: format!(
                            "a method of the {} service trait `{}` runs once per call",
                            spec.framework,
                            tp.last().cloned().unwrap_or_default()
                        ),
                        guessed: false,
                    });
                }
            }
        }
        // poem-openapi: `#[OpenApi] impl` + `#[oai(..)]` methods; exports:
        // every method of a `#[pymethods] impl`, `#[tool]` methods of a
        // `#[tool_router] impl`.
        for a in impl_attrs {
            let written = path_segs(a.path());
            let p = self.idx.resolve(self.module, &written, self.cat).path;
            if let Some(&fw) = self.cat.handler_impl_attributes.get(&p) {
                let spec = &self.cat.handlers[fw];
                if p.len() == 1 && !self.deps.uses_any(&self.cat.handler_packages[fw]) {
                    continue;
                }
                let marked = spec.method_attributes.is_empty()
                    || fn_attrs.iter().any(|fa| {
                        let last = last_name(fa.path());
                        spec.method_attributes.contains(&last)
                    });
                if !marked {
                    continue;
                }
                if spec.is_export() {
                    let entry = fn_attrs.iter().any(|fa| {
                        matches!(&fa.meta, syn::Meta::List(l) if l.tokens.clone().into_iter().any(|t| {
                            matches!(&t, TokenTree::Ident(i) if spec.entry_arguments.iter().any(|e| i == e))
                        }))
                    });
                    if entry {
                        return Some(FnRole::Entry);
                    }
                    let why = if spec.method_attributes.is_empty() {
                        format!("`#[{}]` on its `impl` exports it", written.join("::"))
                    } else {
                        format!(
                            "`#[{}]` in a `#[{}]` impl exports it",
                            spec.method_attributes[0],
                            written.join("::")
                        )
                    };
                    return Some(FnRole::Handler {
                        framework: fw,
                        why,
                        guessed: false,
                    });
                }
                return Some(FnRole::Handler {
                    framework: fw,
                    why: format!("a {} endpoint runs once per request", spec.framework),
                    guessed: false,
                });
            }
        }
        None
    }

    pub(super) fn walk_closure_body(
        &mut self,
        inputs: &syn::punctuated::Punctuated<syn::Pat, syn::Token![,]>,
        body: &syn::Expr,
        frame: Frame,
        tail: Dest,
    ) {
        let is_loop = matches!(frame, Frame::Loop { .. });
        self.frames.push(frame);
        self.scopes.push(HashMap::default());
        for p in inputs {
            let mut names = Vec::new();
            crate::index::pattern_names(p, &mut names);
            if let Some(Frame::Loop { bound, .. }) = self.frames.last_mut() {
                bound.extend(names.iter().cloned());
            }
            for n in names {
                let ty = match p {
                    syn::Pat::Type(pt) => self.ty_from_typeref(&type_ref(&pt.ty)),
                    _ => Ty::Unknown,
                };
                self.bind(&n, ty);
            }
        }
        let saved = self.responses.enter_closure();
        self.inner_returns.push(tail);
        self.walk_expr(body, tail);
        self.inner_returns.pop();
        self.responses.leave_closure(saved);
        if is_loop {
            self.responses.leave_loop();
        }
        self.scopes.pop();
        self.frames.pop();
    }

    /// Walks an argument that is run by someone else: a closure, an async
    /// block, or a path to a function (`.map(fetch)`).
    pub(super) fn walk_runnable(&mut self, arg: &syn::Expr, frame: Frame, tail: Dest) {
        match strip_parens(arg) {
            syn::Expr::Closure(c) => self.walk_closure_body(&c.inputs, &c.body, frame, tail),
            syn::Expr::Async(b) => {
                self.frames.push(frame);
                self.scopes.push(HashMap::default());
                self.inner_returns.push(Dest::Drop);
                self.walk_block(&b.block, Dest::Drop);
                self.inner_returns.pop();
                self.scopes.pop();
                self.frames.pop();
            }
            syn::Expr::Path(p)
                if p.path
                    .get_ident()
                    .is_none_or(|i| self.lookup(&i.to_string()).is_none()) =>
            {
                // A function used as a value: it runs in this context.
                self.frames.push(frame);
                if let Some(callee) = self.callee_of_path(p) {
                    self.record_call(arg.span(), callee, tail, Node::Expr(arg));
                    if let Some((call, _)) = self.pending.last_mut() {
                        call.as_value = true;
                    }
                }
                self.frames.pop();
            }
            other => {
                self.frames.push(frame);
                self.walk_expr(other, Dest::Drop);
                self.frames.pop();
            }
        }
    }

    /// The arguments of a registration call: the handler argument is registered.
    pub(super) fn register_args(
        &mut self,
        args: &syn::punctuated::Punctuated<syn::Expr, syn::Token![,]>,
        reg: &crate::catalog::Registration,
        what: &str,
        receiver: Option<&syn::Expr>,
    ) {
        let period = if reg.periodic {
            let others = args.iter().enumerate().filter(|(i, _)| *i != reg.arg);
            self.registration_period(others.map(|(_, a)| a), receiver)
        } else {
            None
        };
        for (i, a) in args.iter().enumerate() {
            if i == reg.arg {
                let periodic = reg.periodic.then_some(period);
                self.register(a, reg.framework, periodic, what);
            } else {
                self.walk_expr(a, Dest::Drop);
            }
        }
    }

    /// A registered handler or job: a path becomes a registration, a closure is walked as one.
    /// `periodic` is `Some(period)` for a scheduled job.
    fn register(
        &mut self,
        arg: &syn::Expr,
        framework: usize,
        periodic: Option<Option<u64>>,
        what: &str,
    ) {
        let arg = strip_parens(arg);
        match arg {
            syn::Expr::Path(p) => {
                let resolved = self.resolve_expr_path(p);
                if let Some(key) = self.idx.fn_key(&resolved.join("::")) {
                    self.out.registrations.push(Registration {
                        targets: vec![key],
                        framework,
                        periodic: periodic.is_some(),
                        period: periodic.flatten(),
                        file: self.file,
                        span: span_range(arg.span()),
                        what: what.to_string(),
                    });
                }
            }
            syn::Expr::Closure(_) | syn::Expr::Async(_) => {
                let span = closure_head(arg);
                let frame = if let Some(period) = periodic {
                    Frame::Loop {
                        info: std::sync::Arc::new(LoopInfo {
                            kind: LoopKind::Periodic,
                            header: span.clone(),
                            start: span.start,
                            periodic: true,
                            what: what.to_string(),
                            statement: false,
                            period,
                            reconnect: false,
                            fixed: None,
                            first_success: false,
                            repeats: false,
                        }),
                        bound: HashSet::default(),
                        locals: HashSet::default(),
                    }
                } else {
                    Frame::Handler { framework, span }
                };
                self.walk_runnable(arg, frame, Dest::Drop);
            }
            syn::Expr::Call(c) => {
                // `service_fn(handler)` inside `run(..)`, `Box::pin(async move {..})`.
                if let syn::Expr::Path(fp) = &*c.func {
                    let resolved = self.resolve_expr_path(fp);
                    if self.cat.handler_functions.contains(&resolved) {
                        self.walk_expr(arg, Dest::Drop);
                        return;
                    }
                }
                for a in &c.args {
                    self.register(a, framework, periodic, what);
                }
            }
            syn::Expr::MethodCall(m) => {
                // `handler.with_state(s)`, `handler.layer(..)`: the receiver is the handler.
                self.register(&m.receiver, framework, periodic, what);
                for a in &m.args {
                    self.walk_expr(a, Dest::Drop);
                }
            }
            // `{ let pool = pool.clone(); move |msg| .. }`: the block's tail is
            // the handler.
            syn::Expr::Block(b)
                if matches!(b.block.stmts.last(), Some(syn::Stmt::Expr(_, None))) =>
            {
                self.scopes.push(HashMap::default());
                if let Some((syn::Stmt::Expr(tail, None), init)) = b.block.stmts.split_last() {
                    for s in init {
                        self.walk_stmt(s, Dest::Drop);
                    }
                    self.register(tail, framework, periodic, what);
                }
                self.scopes.pop();
            }
            other => self.walk_expr(other, Dest::Drop),
        }
    }
}

/// Whether a return type is the impl's own type: `Self`, `Storage`, or either
/// inside `Result<..>`/`Option<..>` (`Result<Option<Self>>`).
pub(super) fn returns_self(output: &syn::ReturnType, impl_ty: &str) -> bool {
    fn is_self(ty: &syn::Type, impl_ty: &str) -> bool {
        let syn::Type::Path(p) = ty else {
            return false;
        };
        let Some(last) = p.path.segments.last() else {
            return false;
        };
        if last.ident == "Self" || last.ident == impl_ty {
            return true;
        }
        (last.ident == "Result" || last.ident == "Option")
            && matches!(&last.arguments, syn::PathArguments::AngleBracketed(a)
                if a.args.first().is_some_and(|g| matches!(g, syn::GenericArgument::Type(t) if is_self(t, impl_ty))))
    }
    matches!(output, syn::ReturnType::Type(_, ty) if is_self(ty, impl_ty))
}

/// `name` is the type `kind` or a kind of it: `Request`, `SubgraphRequest`
/// (a CamelCase word ending the name), not `Requests` or `Unrequest`.
fn names_kind(name: &str, kind: &str) -> bool {
    name == kind
        || name.strip_suffix(kind).is_some_and(|head| {
            head.chars()
                .next_back()
                .is_some_and(|c| c.is_lowercase() || c.is_ascii_digit())
        })
}
