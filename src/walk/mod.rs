//! One walk over a file's syntax tree that records every call site with its
//! callee, its context (loop, handler closure, run-once initializer) and
//! where its value goes, plus handler registrations and response facts.
//!
//! Invariant: the walk does no I/O and never fails; what it cannot resolve it
//! records as unknown, never as a guess.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::ops::Range;

use proc_macro2::{TokenStream, TokenTree};
use syn::spanned::Spanned;

use crate::catalog::{Catalog, ConstructionKind, ResponseId};
use crate::facts::*;
use crate::index::{ModId, PathSegs, WorkspaceIndex, path_segs, span_range, type_ref};
use crate::response::ResponseTracker;
use crate::source::FileId;

mod callees;
mod syntax;
mod types;

use syntax::*;

/// What the walk knows about a value's type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    Unknown,
    /// A resolved type path.
    Named(PathSegs),
    /// An unfinished catalog builder.
    Builder(crate::catalog::BuilderId),
    /// A request value that produces this response kind when sent.
    Request(ResponseId),
    /// A response (or a future of one).
    Response(ResponseId),
    /// A local closure whose call builds a client (`let mk = || Client::new()`).
    Closure(usize),
}

/// Where the value of the expression being walked goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dest {
    Drop,
    /// Returned to the caller at this return point.
    Return(u32),
    Store,
    Var(usize),
    /// Passed to a workspace function: `Walker::arg_sinks[i]`.
    Arg(usize),
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

/// Where a value's uses lead, besides its flow.
#[derive(Default)]
struct Reach {
    /// Return points (sorted).
    returns: Vec<u32>,
    /// Indices into `Walker::arg_sinks`.
    sinks: Vec<usize>,
}

#[derive(Debug, Clone)]
enum Frame {
    Fn,
    /// `bound`: names whose value changes per iteration; `locals`: every name bound inside.
    Loop {
        info: LoopInfo,
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

#[derive(Debug, Clone)]
struct Var {
    ty: Ty,
    slot: usize,
}

/// Package facts the walk needs: which catalog packages the crate depends on.
pub struct Deps<'a> {
    pub packages: &'a [String],
    pub known: bool,
}

impl Deps<'_> {
    pub fn uses_any(&self, packages: &[String]) -> bool {
        !self.known
            || packages.is_empty()
            || packages
                .iter()
                .any(|p| self.packages.iter().any(|d| d == p))
    }
}

pub struct Walker<'a> {
    pub idx: &'a WorkspaceIndex,
    pub cat: &'a Catalog,
    pub deps: Deps<'a>,
    pub file: FileId,
    pub include_tests: bool,
    pub error_paths: bool,
    /// Walking test code: its facts count as callers but are never reported.
    in_test: bool,
    module: ModId,
    impl_self: Option<PathSegs>,
    frames: Vec<Frame>,
    scopes: Vec<HashMap<String, Var>>,
    /// Per slot: the destinations its uses flow to.
    slot_uses: Vec<Vec<Dest>>,
    pending: Vec<(CallSite, Dest)>,
    /// Arguments passed to workspace functions in the current function.
    arg_sinks: Vec<ArgSink>,
    /// The current function's parameters: (position, slot).
    param_slots: Vec<(usize, usize)>,
    /// Block scopes being walked, innermost last.
    blocks: Vec<BlockScope>,
    /// The current function's `#[cfg(..)]`.
    fn_cfg: Option<String>,
    /// Where values made elsewhere go (`Some(c) => c` on `self.client.take()`):
    /// a return point they reach does not return a fresh client.
    stale: Vec<Dest>,
    closure_builds: Vec<(CallSite, Dest)>,
    /// Return points allocated in the current function, and those that are
    /// real (non-error) values returned to the caller.
    next_return: u32,
    return_points: Vec<u32>,
    /// Scope depth of each loop body being walked.
    loop_body_scopes: Vec<usize>,
    /// Calls inside a closure or async block bound to a variable, by the
    /// variable's slot: they run where the variable is used.
    deferred: Vec<(usize, std::ops::Range<usize>)>,
    /// Slots of such variables handed to a run-once method (`or_insert_with(init)`).
    once_slots: HashSet<usize>,
    pub responses: ResponseTracker,
    pub out: FileFacts,
    resolve_cache: std::cell::RefCell<HashMap<(ModId, PathSegs), PathSegs>>,
}

const PASSTHROUGH_EXTRA: &[&str] = &[
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

impl<'a> Walker<'a> {
    pub fn new(
        idx: &'a WorkspaceIndex,
        cat: &'a Catalog,
        deps: Deps<'a>,
        file: FileId,
        module: ModId,
    ) -> Self {
        Walker {
            idx,
            cat,
            deps,
            file,
            include_tests: false,
            error_paths: false,
            in_test: false,
            module,
            impl_self: None,
            frames: Vec::new(),
            scopes: Vec::new(),
            slot_uses: Vec::new(),
            pending: Vec::new(),
            arg_sinks: Vec::new(),
            param_slots: Vec::new(),
            stale: Vec::new(),
            blocks: Vec::new(),
            fn_cfg: None,
            closure_builds: Vec::new(),
            next_return: 0,
            return_points: Vec::new(),
            loop_body_scopes: Vec::new(),
            deferred: Vec::new(),
            once_slots: HashSet::default(),
            responses: ResponseTracker::default(),
            resolve_cache: Default::default(),
            out: FileFacts {
                file,
                ..FileFacts::default()
            },
        }
    }

    // ------------------------------------------------------------------ items

    pub fn walk_file(&mut self, file: &syn::File) {
        let module = self.module;
        self.in_test = !self.include_tests
            && (self.idx.crates[self.idx.modules[module].krate].kind == "test"
                || self.idx.modules[module].is_test);
        self.walk_items(&file.items, module, 0);
    }

    fn walk_items(&mut self, items: &[syn::Item], module: ModId, scope: usize) {
        let mut child_scopes = HashMap::default();
        let scope_info = &self.idx.files[self.file].scopes[scope];
        for (name, child) in &scope_info.children {
            child_scopes.insert(name.clone(), *child);
        }
        for item in items {
            let saved_test = self.in_test;
            if !self.include_tests && is_test_like(item) {
                self.in_test = true;
            }
            self.module = module;
            self.walk_item(item, module, &child_scopes);
            self.in_test = saved_test;
        }
    }

    fn walk_item(
        &mut self,
        item: &syn::Item,
        module: ModId,
        child_scopes: &HashMap<String, usize>,
    ) {
        {
            match item {
                syn::Item::Fn(f) => {
                    let key = self.key_in_module(&f.sig.ident.to_string());
                    self.walk_fn(&key, &f.sig, &f.attrs, &f.vis, Some(&f.block), None);
                }
                syn::Item::Impl(imp) => self.walk_impl(imp),
                syn::Item::Trait(t) => {
                    let mut trait_path = self.idx.modules[module].path.clone();
                    trait_path.push(t.ident.to_string());
                    for ti in &t.items {
                        if let syn::TraitItem::Fn(f) = ti
                            && let Some(body) = &f.default
                        {
                            let key = format!("{}::{}", trait_path.join("::"), f.sig.ident);
                            self.impl_self = None;
                            self.walk_fn(
                                &key,
                                &f.sig,
                                &f.attrs,
                                &syn::Visibility::Inherited,
                                Some(body),
                                None,
                            );
                        }
                    }
                }
                syn::Item::Static(s) => {
                    let key = self.key_in_module(&s.ident.to_string());
                    self.walk_initializer(&key, &s.expr, s.ident.span());
                }
                syn::Item::Const(c) => {
                    let key = self.key_in_module(&c.ident.to_string());
                    self.walk_initializer(&key, &c.expr, c.ident.span());
                }
                syn::Item::Mod(m) => {
                    if let Some((_, items)) = &m.content {
                        let name = m.ident.to_string();
                        if let Some(&child_scope) = child_scopes.get(&name)
                            && let Some(child_module) =
                                self.idx.module_of_scope(self.file, child_scope)
                        {
                            self.walk_items(items, child_module, child_scope);
                        }
                    }
                }
                syn::Item::Macro(m) => {
                    let name = last_name(&m.mac.path);
                    let key = self.key_in_module(&format!("{name}!"));
                    if self.cat.contexts.once_macros.contains(&name) {
                        let exprs = macro_exprs(&m.mac.tokens, true);
                        self.begin_fn();
                        self.frames.push(Frame::Once);
                        for e in &exprs {
                            self.walk_expr(e, Dest::Store);
                        }
                        self.finish_fn(
                            &key,
                            &name,
                            span_range(m.mac.path.span()),
                            FnRole::Once,
                            false,
                        );
                    }
                }
                _ => {}
            }
        }
    }

    fn key_in_module(&self, name: &str) -> String {
        let mut p = self.idx.modules[self.module].path.clone();
        p.push(name.to_string());
        p.join("::")
    }

    fn walk_impl(&mut self, imp: &syn::ItemImpl) {
        let self_ty = type_ref(&imp.self_ty);
        let Some(self_path) = self.idx.resolve_type(self.module, &self_ty, None, self.cat) else {
            return;
        };
        let trait_path = imp
            .trait_
            .as_ref()
            .map(|(_, p, _)| self.resolve_cached(&path_segs(p)));
        for item in &imp.items {
            if let syn::ImplItem::Fn(f) = item {
                let saved_test = self.in_test;
                if !self.include_tests && crate::index::is_test_item(&f.attrs) {
                    self.in_test = true;
                }
                self.impl_self = Some(self_path.clone());
                let key = format!("{}::{}", self_path.join("::"), f.sig.ident);
                let role =
                    self.trait_handler_role(trait_path.as_ref(), &f.sig, &imp.attrs, &f.attrs);
                self.walk_fn(&key, &f.sig, &f.attrs, &f.vis, Some(&f.block), role);
                self.in_test = saved_test;
            }
        }
        self.impl_self = None;
    }

    fn trait_handler_role(
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
                            .is_some_and(|name| wanted.contains(name)),
                        syn::FnArg::Receiver(_) => false,
                    });
                if !takes_request {
                    return None;
                }
                return Some(FnRole::Handler {
                    framework: fw,
                    why: format!("`{}::{method}` runs once per request", tp.join("::")),
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
                    });
                }
            }
        }
        // poem-openapi: `#[OpenApi] impl` + `#[oai(..)]` methods.
        for a in impl_attrs {
            let p = self
                .idx
                .resolve(self.module, &path_segs(a.path()), self.cat)
                .path;
            if let Some(&fw) = self.cat.handler_impl_attributes.get(&p) {
                let spec = &self.cat.handlers[fw];
                let marked = fn_attrs.iter().any(|fa| {
                    let last = last_name(fa.path());
                    spec.method_attributes.contains(&last)
                });
                if marked {
                    return Some(FnRole::Handler {
                        framework: fw,
                        why: format!("a {} endpoint runs once per request", spec.framework),
                    });
                }
            }
        }
        None
    }

    fn fn_role(&self, sig: &syn::Signature, attrs: &[syn::Attribute]) -> FnRole {
        for a in attrs {
            let written = path_segs(a.path());
            let resolved = self.resolve_cached(&written);
            if self.cat.entry_attributes.contains(&resolved)
                && written.last().is_some_and(|l| l == "main" || l == "launch")
            {
                return FnRole::Entry;
            }
            if let Some(&fw) = self.cat.handler_attributes.get(&resolved) {
                return FnRole::Handler {
                    framework: fw,
                    why: format!("`#[{}]` routes requests to it", written.join("::")),
                };
            }
            if written.len() == 1
                && let Some(&fw) =
                    self.cat
                        .handler_attribute_names
                        .get(&written[0])
                        .and_then(|fws| {
                            fws.iter()
                                .find(|&&fw| self.deps.uses_any(&self.cat.handler_packages[fw]))
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
                    for candidate in [&tr.outer, &tr.inner] {
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
                            };
                        }
                    }
                }
            }
        }
        FnRole::Plain
    }

    fn begin_fn(&mut self) {
        self.frames.clear();
        self.frames.push(Frame::Fn);
        self.scopes.clear();
        self.scopes.push(HashMap::default());
        self.slot_uses.clear();
        self.pending.clear();
        self.arg_sinks.clear();
        self.param_slots.clear();
        self.stale.clear();
        self.fn_cfg = None;
        self.closure_builds.clear();
        self.next_return = 0;
        self.return_points.clear();
        self.deferred.clear();
        self.once_slots.clear();
        self.responses = ResponseTracker::default();
        self.responses.error_paths = self.error_paths;
    }

    fn finish_fn(
        &mut self,
        key: &str,
        name: &str,
        name_span: Range<usize>,
        role: FnRole,
        is_pub: bool,
    ) {
        // Code bound to a variable that only a run-once method runs is run-once.
        for (slot, range) in std::mem::take(&mut self.deferred) {
            if self.once_slots.contains(&slot) {
                for (call, _) in &mut self.pending[range] {
                    call.ctx = Ctx::Once;
                }
            }
        }
        let mut calls = Vec::new();
        let pending = std::mem::take(&mut self.pending);
        for (mut call, dest) in pending {
            let mut reach = Reach::default();
            call.flow = self.resolve_dest(dest, &mut HashSet::default(), &mut reach);
            call.returns = reach.returns;
            call.passed_to = self.sinks(reach.sinks);
            calls.push(call);
        }
        let mut stale_returns = Vec::new();
        for &d in &self.stale {
            let mut reach = Reach::default();
            self.resolve_dest(d, &mut HashSet::default(), &mut reach);
            stale_returns.extend(reach.returns);
        }
        stale_returns.sort_unstable();
        stale_returns.dedup();
        let mut params: Vec<ParamFate> = Vec::new();
        for &(pos, slot) in &self.param_slots {
            let mut reach = Reach::default();
            let flow = self.resolve_dest(Dest::Var(slot), &mut HashSet::default(), &mut reach);
            if params.len() <= pos {
                params.resize(pos + 1, ParamFate::default());
            }
            params[pos].kept |= flow != Flow::Dropped;
            params[pos].passed_to.extend(self.sinks(reach.sinks));
        }
        let mut return_points = std::mem::take(&mut self.return_points);
        return_points.sort();
        return_points.dedup();
        let responses = std::mem::take(&mut self.responses).finish(self.cat);
        self.out.fns.push(FnFacts {
            key: key.to_string(),
            file: self.file,
            name: name.to_string(),
            name_span,
            role,
            is_pub,
            calls,
            responses,
            return_points,
            is_test: self.in_test,
            params,
            cfg: self.fn_cfg.clone(),
            stale_returns,
        });
    }

    /// A matched value that no call in it produced and no local holds
    /// (`self.client.take()`, a field, a cached value) was made elsewhere.
    fn made_elsewhere(&self, scrutinee: &syn::Expr, calls_before: usize) -> bool {
        let local = match strip_parens(scrutinee) {
            syn::Expr::Path(p) => p
                .path
                .get_ident()
                .is_some_and(|i| self.lookup(&i.to_string()).is_some()),
            _ => false,
        };
        self.pending.len() == calls_before && !local
    }

    fn sinks(&self, mut ids: Vec<usize>) -> Vec<ArgSink> {
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter().map(|i| self.arg_sinks[i].clone()).collect()
    }

    /// A value passed as argument `param` to the workspace functions `keys`.
    fn arg_dest(&mut self, keys: &[FnKey], param: usize) -> Dest {
        self.arg_sinks.push(ArgSink {
            callee: keys.to_vec(),
            param,
        });
        Dest::Arg(self.arg_sinks.len() - 1)
    }

    fn resolve_dest(&self, dest: Dest, seen: &mut HashSet<usize>, reach: &mut Reach) -> Flow {
        match dest {
            Dest::Drop => Flow::Dropped,
            Dest::Return(id) => {
                if !reach.returns.contains(&id) {
                    reach.returns.push(id);
                    reach.returns.sort_unstable();
                }
                Flow::Returned
            }
            Dest::Store => Flow::Stored,
            Dest::Arg(i) => {
                reach.sinks.push(i);
                Flow::Dropped
            }
            Dest::Var(slot) => {
                if !seen.insert(slot) {
                    return Flow::Dropped;
                }
                let mut flow = Flow::Dropped;
                for d in self.slot_uses.get(slot).into_iter().flatten() {
                    flow = flow.max(self.resolve_dest(*d, seen, reach));
                }
                flow
            }
        }
    }

    fn new_return(&mut self) -> Dest {
        self.next_return += 1;
        Dest::Return(self.next_return)
    }

    /// A leaf expression that is returned: a real return point unless it is an
    /// error or `None` (neither hands back a client).
    fn note_return(&mut self, dest: Dest, e: &syn::Expr) {
        if let Dest::Return(id) = dest
            && !is_err_expr(e)
            && !is_none_expr(e)
            && !diverges(e)
        {
            self.return_points.push(id);
        }
    }

    /// A fresh return point for one branch when the value is returned.
    fn branch_dest(&mut self, dest: Dest) -> Dest {
        match dest {
            Dest::Return(_) => self.new_return(),
            other => other,
        }
    }

    fn walk_initializer(&mut self, key: &str, expr: &syn::Expr, name: proc_macro2::Span) {
        self.begin_fn();
        self.frames.push(Frame::Once);
        self.walk_expr(expr, Dest::Store);
        let name_str = key.rsplit("::").next().unwrap_or(key).to_string();
        self.finish_fn(key, &name_str, span_range(name), FnRole::Once, false);
    }

    fn walk_fn(
        &mut self,
        key: &str,
        sig: &syn::Signature,
        attrs: &[syn::Attribute],
        vis: &syn::Visibility,
        body: Option<&syn::Block>,
        role: Option<FnRole>,
    ) {
        let Some(body) = body else { return };
        let role = role.unwrap_or_else(|| self.fn_role(sig, attrs));
        self.begin_fn();
        self.fn_cfg = crate::index::cfg_text(attrs);
        // Parameters.
        let mut pos = 0;
        for input in &sig.inputs {
            match input {
                syn::FnArg::Receiver(_) => {
                    let ty = self.impl_self.clone().map(Ty::Named).unwrap_or(Ty::Unknown);
                    self.bind("self", ty);
                }
                syn::FnArg::Typed(pt) => {
                    let tr = type_ref(&pt.ty);
                    let ty = self.ty_from_typeref(&tr);
                    let mut names = Vec::new();
                    crate::index::pattern_names(&pt.pat, &mut names);
                    for n in names {
                        let slot = self.bind(&n, ty.clone());
                        self.param_slots.push((pos, slot));
                        if let Ty::Response(r) = ty
                            && !matches!(*pt.ty, syn::Type::Reference(_))
                        {
                            self.responses.param(&n, r, span_range(pt.pat.span()));
                        }
                    }
                    pos += 1;
                }
            }
        }
        let ret = self.new_return();
        self.walk_block(body, ret);
        // Responses taken by value as parameters are dropped when the function returns.
        let params: Vec<String> = self
            .scopes
            .first()
            .map(|s| s.keys().cloned().collect())
            .unwrap_or_default();
        self.responses
            .end_scope(&params, span_range(body.brace_token.span.close()));
        // Nested fn items inside the body are functions of their own.
        let nested = nested_items(body);
        let is_pub = matches!(vis, syn::Visibility::Public(_));
        self.finish_fn(
            key,
            &display_name(key),
            span_range(sig.ident.span()),
            role,
            is_pub,
        );
        let saved_self = self.impl_self.clone();
        for item in nested {
            if let syn::Item::Fn(f) = item {
                let nested_key = format!("{key}::{}", f.sig.ident);
                self.walk_fn(&nested_key, &f.sig, &f.attrs, &f.vis, Some(&f.block), None);
            }
            self.impl_self = saved_self.clone();
        }
    }

    // --------------------------------------------------------------- scopes

    fn bind(&mut self, name: &str, ty: Ty) -> usize {
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

    fn lookup(&self, name: &str) -> Option<&Var> {
        self.scopes.iter().rev().find_map(|s| s.get(name))
    }

    fn current_ctx(&self) -> Ctx {
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

    /// Names bound inside the innermost repeating loop: (per-iteration, all).
    fn loop_names(&self) -> Option<(&HashSet<String>, &HashSet<String>)> {
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

    fn loop_bound_names(&self) -> Option<&HashSet<String>> {
        self.loop_names().map(|(b, _)| b)
    }

    /// Number of plain loops between here and the nearest closure or fn boundary.
    fn loops_to_boundary(&self) -> usize {
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

    // ------------------------------------------------------------ statements

    fn walk_block(&mut self, block: &syn::Block, dest: Dest) {
        let block_scope = block_scope(&block.stmts);
        let has_scope = block_scope.is_some();
        if let Some(b) = block_scope {
            self.blocks.push(b);
        }
        self.walk_block_stmts(block, dest);
        if has_scope {
            self.blocks.pop();
        }
    }

    fn walk_block_stmts(&mut self, block: &syn::Block, dest: Dest) {
        self.scopes.push(HashMap::default());
        let exit_at = block.stmts.iter().position(|s| match s {
            syn::Stmt::Expr(e, _) => unconditional_exit(e),
            _ => false,
        });
        let exit_loops = exit_at.map(|i| match &block.stmts[i] {
            syn::Stmt::Expr(syn::Expr::Return(_), _) => self.loops_to_boundary(),
            syn::Stmt::Expr(syn::Expr::Break(b), _) => {
                if b.label.is_some() {
                    self.loops_to_boundary()
                } else {
                    1
                }
            }
            _ => 0,
        });
        let pushed = match exit_loops {
            Some(n) if n > 0 => {
                self.frames.push(Frame::RunsOnce(n));
                true
            }
            _ => false,
        };
        let last = block.stmts.len().saturating_sub(1);
        for (i, stmt) in block.stmts.iter().enumerate() {
            let is_tail = i == last && matches!(stmt, syn::Stmt::Expr(_, None));
            self.walk_stmt(stmt, if is_tail { dest } else { Dest::Drop });
        }
        if pushed {
            self.frames.pop();
        }
        self.close_scope(span_range(block.brace_token.span.close()));
    }

    /// Leaves the innermost scope: responses bound in it and still unread are
    /// dropped at `close`.
    fn close_scope(&mut self, close: Range<usize>) {
        let names: Vec<String> = self
            .scopes
            .last()
            .map(|s| s.keys().cloned().collect())
            .unwrap_or_default();
        self.responses.end_scope(&names, close);
        self.scopes.pop();
    }

    fn loop_depth(&self) -> usize {
        self.frames
            .iter()
            .filter(|f| matches!(f, Frame::Loop { .. }))
            .count()
    }

    fn walk_stmt(&mut self, stmt: &syn::Stmt, dest: Dest) {
        match stmt {
            syn::Stmt::Local(local) => self.walk_local(local),
            syn::Stmt::Expr(e, semi) => {
                if semi.is_some()
                    && !matches!(e, syn::Expr::Assign(_))
                    && let Some((r, _)) = self.response_of(e)
                {
                    let why = if ends_with_method(e, &self.cat.responses[r].drops_on_error) {
                        "the statement discards it (and on an error status the method drops the body unread)"
                    } else {
                        "the statement discards it"
                    };
                    self.responses.discarded(r, span_range(e.span()), why);
                }
                self.walk_expr(e, dest)
            }
            syn::Stmt::Item(_) => {}
            syn::Stmt::Macro(m) => {
                self.walk_macro(&m.mac, Dest::Drop);
                // `tokio::join!(a.send(), b.send());`: both responses dropped.
                for fut in join_macro_futures(&m.mac).unwrap_or_default() {
                    self.discard_response(&fut, "the statement discards it");
                }
            }
        }
    }

    fn walk_local(&mut self, local: &syn::Local) {
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
        // Type of the bound value.
        let ty = match &annotated {
            Some(t) => self.ty_from_typeref(t),
            None if pattern_keeps_type(&local.pat) => self.ty_of(&init.expr),
            None => Ty::Unknown,
        };
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
            self.deferred.push((slot, before..after));
            return;
        }
        // `let init = Box::pin(async { .. })`: the block runs where `init` goes.
        let deferred_block = simple.is_some() && is_async_block(&init.expr);
        // A slot for a single binding so uses can tell where the value goes.
        let slot = self.slot_uses.len();
        self.slot_uses.push(Vec::new());
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
            self.walk_expr(diverge, Dest::Drop);
        }
        // The calls whose value this let binds get the statement for fixes.
        if let Some((name, mutable)) = &simple {
            let stmt = span_range(local.span());
            let has_try = contains_try(&init.expr);
            let in_loop_body = self.loop_body_scopes.last() == Some(&self.scopes.len());
            for (call, d) in self.pending[before..].iter_mut() {
                if *d == dest {
                    call.binding = Some(LetInfo {
                        stmt: stmt.clone(),
                        name: name.clone(),
                        mutable: *mutable,
                        has_try,
                        in_loop_body,
                    });
                }
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
        for n in &names {
            let t = if names.len() == 1 {
                ty.clone()
            } else {
                Ty::Unknown
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
        if let Some((r, awaited)) = response
            && let Some((name, _)) = &simple
            && !rebind_from
                .as_ref()
                .is_some_and(|from| self.responses.rebind(from, name, self.loop_depth()))
        {
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

    /// A response producer whose value goes nowhere.
    fn discard_response(&mut self, e: &syn::Expr, why: &str) {
        if let Some((r, _)) = self.response_of(e) {
            self.responses.discarded(r, self.response_span(e), why);
        }
    }

    // ----------------------------------------------------------- expressions

    pub fn walk_expr(&mut self, e: &syn::Expr, dest: Dest) {
        self.walk_expr_inner(e, dest);
        // A returned `Err(..)` (a tail expression, not only `return Err(..)`)
        // ends the path as an error path.
        if matches!(dest, Dest::Return(_)) && is_err_expr(e) {
            self.responses.return_exit(span_range(e.span()), true);
        }
    }

    fn walk_expr_inner(&mut self, e: &syn::Expr, dest: Dest) {
        use syn::Expr;
        if matches!(dest, Dest::Return(_))
            && !matches!(
                e,
                Expr::Block(_)
                    | Expr::If(_)
                    | Expr::Match(_)
                    | Expr::Paren(_)
                    | Expr::Group(_)
                    | Expr::Unsafe(_)
                    | Expr::TryBlock(_)
            )
        {
            self.note_return(dest, e);
        }
        match e {
            Expr::Array(a) => {
                for x in &a.elems {
                    self.walk_expr(x, dest);
                }
            }
            Expr::Assign(a) => {
                let d = self.place_dest(&a.left);
                self.walk_expr(&a.left, Dest::Drop);
                self.walk_expr(&a.right, d);
                if let Expr::Path(p) = &*a.left
                    && let Some(name) = p.path.get_ident()
                    && let Some((r, awaited)) = self.response_of(&a.right)
                {
                    self.responses.bind(
                        &name.to_string(),
                        r,
                        self.response_span(&a.right),
                        awaited,
                        self.loop_depth(),
                    );
                }
            }
            Expr::Async(b) => {
                self.scopes.push(HashMap::default());
                self.walk_block(&b.block, Dest::Drop);
                self.scopes.pop();
            }
            Expr::Await(a) => self.walk_expr(&a.base, dest),
            Expr::Binary(b) => {
                self.walk_expr(&b.left, Dest::Drop);
                self.walk_expr(&b.right, Dest::Drop);
            }
            Expr::Block(b) => self.walk_block(&b.block, dest),
            Expr::Break(b) => {
                if let Some(x) = &b.expr {
                    self.walk_expr(x, Dest::Drop);
                }
                self.responses
                    .exit(span_range(b.span()), "break", self.loop_depth());
            }
            Expr::Call(c) => self.walk_call(c, dest),
            Expr::Cast(c) => self.walk_expr(&c.expr, dest),
            Expr::Closure(c) => {
                self.walk_closure_body(&c.inputs, &c.body, Frame::Closure, Dest::Drop)
            }
            Expr::Continue(c) => {
                self.responses
                    .exit(span_range(c.span()), "continue", self.loop_depth())
            }
            Expr::Field(f) => self.walk_borrowed(&f.base, Dest::Drop),
            Expr::ForLoop(f) => {
                self.walk_expr(&f.expr, Dest::Drop);
                let header = span_range(f.for_token.span).start..span_range(f.expr.span()).end;
                let mut names = Vec::new();
                crate::index::pattern_names(&f.pat, &mut names);
                let info = self.loop_info(LoopKind::For, header, e, &f.body, None, "for");
                self.walk_loop(info, names.iter().cloned().collect(), &f.body, |w| {
                    for n in names {
                        w.bind(&n, Ty::Unknown);
                    }
                });
            }
            Expr::Group(g) => self.walk_expr(&g.expr, dest),
            Expr::If(i) => {
                self.scopes.push(HashMap::default());
                let calls_before = self.pending.len();
                self.walk_condition(&i.cond);
                let stale_then = match strip_parens(&i.cond) {
                    syn::Expr::Let(l) => {
                        self.made_elsewhere(&l.expr, calls_before)
                            && i.then_branch.stmts.len() == 1
                            && matches!(&i.then_branch.stmts[0], syn::Stmt::Expr(e, None) if yields_binding(&l.pat, e))
                    }
                    _ => false,
                };
                let snapshot = self.responses.fork();
                self.responses.set_branch(branch_label(&i.cond, true));
                // `if resp.status() == StatusCode::NO_CONTENT`: no body on that branch.
                let no_body = no_body_status_check(&i.cond);
                if let Some((name, true)) = &no_body {
                    self.responses.moved(name);
                }
                let then_dest = self.branch_dest(dest);
                self.walk_block(&i.then_branch, then_dest);
                // `if let Ok(resp) = ..`: the binding's scope ends with the branch.
                self.close_scope(span_range(i.then_branch.brace_token.span.close()));
                let then_state = self.responses.fork();
                self.responses.restore(snapshot);
                self.responses.set_branch(branch_label(&i.cond, false));
                if let Some((name, false)) = &no_body {
                    self.responses.moved(name);
                }
                if let Some((_, els)) = &i.else_branch {
                    let else_dest = self.branch_dest(dest);
                    let calls_before = self.pending.len();
                    self.walk_expr(els, else_dest);
                    // `if let Some(c) = self.client.take() { c } else { build() }`.
                    if stale_then && self.pending.len() > calls_before {
                        self.stale.push(then_dest);
                    }
                }
                self.responses.merge(then_state);
            }
            Expr::Index(i) => {
                self.walk_expr(&i.expr, Dest::Drop);
                self.walk_expr(&i.index, Dest::Drop);
            }
            Expr::Let(l) => self.walk_expr(&l.expr, Dest::Drop),
            Expr::Loop(l) => {
                let header = span_range(l.loop_token.span);
                let info = self.loop_info(LoopKind::Loop, header, e, &l.body, None, "loop");
                self.walk_loop(info, HashSet::default(), &l.body, |_| {});
            }
            Expr::Macro(m) => self.walk_macro(&m.mac, dest),
            Expr::Match(m) => {
                // The matched value flows into the arms' bindings.
                let matched = self.new_slot();
                let calls_before = self.pending.len();
                self.walk_expr(&m.expr, Dest::Var(matched));
                let made_elsewhere = self.made_elsewhere(&m.expr, calls_before);
                let snapshot = self.responses.fork();
                let mut states = Vec::new();
                // `Some(c) => c` on a kept value beside an arm that calls
                // something (a build): a get-or-create.
                let mut kept_arms = Vec::new();
                let mut other_arm_calls = false;
                for arm in &m.arms {
                    self.responses.restore(snapshot.clone());
                    self.responses.set_branch(arm_label(&arm.pat));
                    if is_no_body_status(&quote::ToTokens::to_token_stream(&arm.pat).to_string())
                        && let Some(name) = status_receiver(&m.expr)
                    {
                        self.responses.moved(&name);
                    }
                    self.scopes.push(HashMap::default());
                    self.bind_pattern_from(&arm.pat, &m.expr, Some(matched));
                    if let Some((_, g)) = &arm.guard {
                        self.walk_expr(g, Dest::Drop);
                    }
                    let arm_dest = self.branch_dest(dest);
                    if made_elsewhere && yields_binding(&arm.pat, &arm.body) {
                        kept_arms.push(arm_dest);
                    }
                    let calls_before = self.pending.len();
                    self.walk_expr(&arm.body, arm_dest);
                    other_arm_calls |= self.pending.len() > calls_before;
                    // `Ok(resp) => ..`: the binding's scope ends with the arm.
                    self.close_scope(scope_end(&arm.body));
                    states.push(self.responses.fork());
                }
                if other_arm_calls {
                    self.stale.extend(kept_arms);
                }
                if let Some(first) = states.pop() {
                    self.responses.restore(first);
                    for s in states {
                        self.responses.merge(s);
                    }
                }
            }
            Expr::MethodCall(m) => self.walk_method_call(m, dest),
            Expr::Paren(p) => self.walk_expr(&p.expr, dest),
            Expr::Path(p) => {
                if let Some(ident) = p.path.get_ident() {
                    let name = ident.to_string();
                    if let Some(var) = self.lookup(&name) {
                        let slot = var.slot;
                        if let Some(uses) = self.slot_uses.get_mut(slot) {
                            uses.push(dest);
                        }
                    }
                    self.responses.moved(&name);
                }
            }
            Expr::Range(r) => {
                if let Some(x) = &r.start {
                    self.walk_expr(x, Dest::Drop);
                }
                if let Some(x) = &r.end {
                    self.walk_expr(x, Dest::Drop);
                }
            }
            Expr::Reference(r) => {
                // Whoever gets `&mut resp` can read it (`Read`, a decoder): it decides.
                if r.mutability.is_some()
                    && let Some(name) = crate::response::bare_ident(&r.expr)
                {
                    self.responses.moved(&name);
                }
                self.walk_borrowed(&r.expr, Dest::Drop)
            }
            Expr::Repeat(r) => self.walk_expr(&r.expr, dest),
            Expr::Return(r) => {
                if let Some(x) = &r.expr {
                    let ret = self.new_return();
                    self.walk_expr(x, ret);
                }
                let is_err = r.expr.as_deref().is_some_and(is_err_expr);
                self.responses.return_exit(span_range(r.span()), is_err);
            }
            Expr::Struct(s) => {
                for f in &s.fields {
                    self.walk_expr(&f.expr, dest);
                }
                if let Some(rest) = &s.rest {
                    // `Api { base, ..Default::default() }` builds the other fields.
                    if let syn::Expr::Call(c) = strip_parens(rest)
                        && let syn::Expr::Path(p) = &*c.func
                        && p.path.segments.last().is_some_and(|l| l.ident == "default")
                    {
                        let ty = self.resolve_segs(&path_segs(&s.path));
                        let given: Vec<String> = s
                            .fields
                            .iter()
                            .filter_map(|f| match &f.member {
                                syn::Member::Named(i) => Some(i.to_string()),
                                syn::Member::Unnamed(_) => None,
                            })
                            .collect();
                        if let Some(callee) = self.derived_default(&ty, &given) {
                            self.record_call(rest.span(), callee, dest, Node::Expr(rest));
                        }
                    }
                    self.walk_expr(rest, dest);
                }
            }
            Expr::Try(t) => {
                self.walk_expr(&t.expr, dest);
                self.responses.try_exit(span_range(t.question_token.span));
            }
            Expr::TryBlock(t) => self.walk_block(&t.block, dest),
            Expr::Tuple(t) => {
                for x in &t.elems {
                    self.walk_expr(x, dest);
                }
            }
            Expr::Unary(u) => self.walk_expr(
                &u.expr,
                if matches!(u.op, syn::UnOp::Deref(_)) {
                    dest
                } else {
                    Dest::Drop
                },
            ),
            Expr::Unsafe(u) => self.walk_block(&u.block, dest),
            Expr::While(w) => {
                let header = span_range(w.while_token.span).start..span_range(w.cond.span()).end;
                let mut bound = HashSet::default();
                if let Expr::Let(l) = &*w.cond {
                    let mut names = Vec::new();
                    crate::index::pattern_names(&l.pat, &mut names);
                    bound.extend(names);
                }
                let info =
                    self.loop_info(LoopKind::While, header, e, &w.body, Some(&w.cond), "while");
                self.walk_loop(info, bound, &w.body, |walker| {
                    walker.walk_condition(&w.cond)
                });
            }
            Expr::Yield(y) => {
                if let Some(x) = &y.expr {
                    self.walk_expr(x, Dest::Store);
                }
            }
            _ => {}
        }
    }

    fn loop_info(
        &self,
        kind: LoopKind,
        header: Range<usize>,
        e: &syn::Expr,
        body: &syn::Block,
        cond: Option<&syn::Expr>,
        what: &str,
    ) -> LoopInfo {
        let markers = &self.cat.loop_markers;
        LoopInfo {
            kind,
            header,
            start: span_range(e.span()).start,
            periodic: body_ticks(body, markers) || cond.is_some_and(|c| cond_ticks(c, markers)),
            what: what.into(),
            statement: true,
        }
    }

    /// A loop: its frame and scope, `head` (pattern bindings, the condition),
    /// then the body, walked as code that repeats.
    fn walk_loop(
        &mut self,
        info: LoopInfo,
        bound: HashSet<String>,
        body: &syn::Block,
        head: impl FnOnce(&mut Self),
    ) {
        self.frames.push(Frame::Loop {
            info,
            bound,
            locals: HashSet::default(),
        });
        self.scopes.push(HashMap::default());
        head(self);
        self.loop_body_scopes.push(self.scopes.len() + 1);
        self.walk_block(body, Dest::Drop);
        self.loop_body_scopes.pop();
        self.responses.leave_loop();
        self.scopes.pop();
        self.frames.pop();
    }

    /// An `if`/`while` condition; for `let` conditions the matched value flows
    /// into the pattern's bindings (in the current scope).
    fn walk_condition(&mut self, cond: &syn::Expr) {
        match cond {
            syn::Expr::Let(l) => {
                let matched = self.new_slot();
                self.walk_expr(&l.expr, Dest::Var(matched));
                self.bind_pattern_from(&l.pat, &l.expr, Some(matched));
            }
            cond => self.walk_expr(cond, Dest::Drop),
        }
    }

    /// The slot of a local variable used as a bare name.
    fn var_slot(&self, e: &syn::Expr) -> Option<usize> {
        let syn::Expr::Path(p) = strip_parens(e) else {
            return None;
        };
        Some(self.lookup(&p.path.get_ident()?.to_string())?.slot)
    }

    fn new_slot(&mut self) -> usize {
        self.slot_uses.push(Vec::new());
        self.slot_uses.len() - 1
    }

    fn bind_pattern_from(&mut self, pat: &syn::Pat, from: &syn::Expr, parent: Option<usize>) {
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
        for n in &names {
            let slot = self.bind(n, if single { ty.clone() } else { Ty::Unknown });
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
            && let Some((r, awaited)) = self.response_of(from)
        {
            self.responses.bind(
                &names[0],
                r,
                self.response_span(from),
                awaited,
                self.loop_depth(),
            );
        }
    }

    /// Walks an expression used by reference: a bare variable is not moved.
    fn walk_borrowed(&mut self, e: &syn::Expr, dest: Dest) {
        if let syn::Expr::Path(p) = e
            && let Some(ident) = p.path.get_ident()
        {
            if let Some(var) = self.lookup(&ident.to_string()) {
                let slot = var.slot;
                if let Some(uses) = self.slot_uses.get_mut(slot) {
                    uses.push(dest);
                }
            }
            return;
        }
        self.walk_expr(e, dest);
    }

    fn place_dest(&mut self, place: &syn::Expr) -> Dest {
        match place {
            syn::Expr::Path(p) => {
                if let Some(ident) = p.path.get_ident()
                    && let Some(var) = self.lookup(&ident.to_string())
                {
                    return Dest::Var(var.slot);
                }
                Dest::Store
            }
            _ => Dest::Store,
        }
    }

    fn walk_closure_body(
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
        self.walk_expr(body, tail);
        self.responses.leave_closure(saved);
        if is_loop {
            self.responses.leave_loop();
        }
        self.scopes.pop();
        self.frames.pop();
    }

    /// Walks an argument that is run by someone else: a closure, an async
    /// block, or a path to a function (`.map(fetch)`).
    fn walk_runnable(&mut self, arg: &syn::Expr, frame: Frame, tail: Dest) {
        match strip_parens(arg) {
            syn::Expr::Closure(c) => self.walk_closure_body(&c.inputs, &c.body, frame, tail),
            syn::Expr::Async(b) => {
                self.frames.push(frame);
                self.scopes.push(HashMap::default());
                self.walk_block(&b.block, Dest::Drop);
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

    fn walk_call(&mut self, c: &syn::ExprCall, dest: Dest) {
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
            && let Some(var) = self.lookup(&ident.to_string())
        {
            if let Ty::Closure(i) = var.ty.clone()
                && let Some((inner, _)) = self.closure_builds.get(i).cloned()
            {
                self.record_call(c.span(), inner.callee, dest, Node::Call(c));
                if let Some((call, _)) = self.pending.last_mut() {
                    call.via_closure = Some((ident.to_string(), inner.span));
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
            self.register_args(&c.args, &reg, &what);
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
            && let Some(name) = crate::response::bare_ident(arg)
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
                if let Some(name) = crate::response::bare_ident(a) {
                    self.responses.moved(&name);
                }
            }
        }
        // The call itself.
        let callee = self.callee_of_resolved(&resolved, fp);
        if callee.is_none()
            && let Some(last) = resolved.last()
        {
            self.out.unresolved_calls.insert(last.clone());
        }
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
        let sink = match &callee {
            Some(Callee::Crate(keys)) if to == Dest::Drop => {
                let has_self = keys
                    .iter()
                    .any(|k| self.idx.fn_decls(k).any(|d| d.sig.has_self));
                Some((keys.clone(), usize::from(has_self)))
            }
            _ => None,
        };
        let spawn = self.cat.spawn_functions.contains(&resolved);
        let joins = resolved
            .last()
            .is_some_and(|l| l == "join_all" || l == "try_join_all" || l == "select_all");
        for (i, a) in c.args.iter().enumerate() {
            if joins {
                self.walk_expr(a, Dest::Drop);
            } else if spawn {
                // The task runs where it is spawned: inside a loop, once per iteration.
                self.walk_runnable(a, Frame::Closure, Dest::Drop);
            } else if let Some((keys, skip)) = &sink
                && i >= *skip
            {
                let d = self.arg_dest(keys, i - skip);
                self.walk_expr(a, d);
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
                self.responses.discarded(
                    r,
                    self.response_span(output),
                    "the spawned task drops it when it ends",
                );
            }
        }
    }

    /// The arguments of a registration call: the handler argument is registered.
    fn register_args(
        &mut self,
        args: &syn::punctuated::Punctuated<syn::Expr, syn::Token![,]>,
        reg: &crate::catalog::Registration,
        what: &str,
    ) {
        for (i, a) in args.iter().enumerate() {
            if i == reg.arg {
                self.register(a, reg.framework, reg.periodic, what);
            } else {
                self.walk_expr(a, Dest::Drop);
            }
        }
    }

    /// A registered handler or job: a path becomes a registration, a closure is walked as one.
    fn register(&mut self, arg: &syn::Expr, framework: usize, periodic: bool, what: &str) {
        let arg = strip_parens(arg);
        match arg {
            syn::Expr::Path(p) => {
                let resolved = self.resolve_expr_path(p);
                let key = resolved.join("::");
                if self.idx.fns.contains_key(&key) {
                    self.out.registrations.push(Registration {
                        targets: vec![key],
                        framework,
                        periodic,
                        file: self.file,
                        span: span_range(arg.span()),
                        what: what.to_string(),
                    });
                }
            }
            syn::Expr::Closure(_) | syn::Expr::Async(_) => {
                let span = closure_head(arg);
                let frame = if periodic {
                    Frame::Loop {
                        info: LoopInfo {
                            kind: LoopKind::Periodic,
                            header: span.clone(),
                            start: span.start,
                            periodic: true,
                            what: what.to_string(),
                            statement: false,
                        },
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
            other => self.walk_expr(other, Dest::Drop),
        }
    }

    fn walk_method_call(&mut self, m: &syn::ExprMethodCall, dest: Dest) {
        let name = m.method.to_string();
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
                self.register_args(&m.args, &reg, &name);
                return;
            }
        }
        // The call itself (builder terminal, client-source method, crate method).
        let callee = self.callee_of_method(m);
        if callee.is_none() {
            // Unresolved: someone may call a workspace method of this name.
            self.out.unresolved_calls.insert(name.clone());
        }
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
        let value_map = matches!(
            name.as_str(),
            "map" | "and_then" | "map_or_else" | "inspect"
        ) && !self.has_iterator_source(&m.receiver)
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
                    for n in names {
                        let slot = self.bind(&n, ty.clone());
                        self.slot_uses[param_slot].push(Dest::Var(slot));
                    }
                    let tail = if name == "inspect" { Dest::Drop } else { dest };
                    self.walk_expr(&c.body, tail);
                    self.scopes.pop();
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
        // passes its receiver on.
        let returns_receiver = match &callee {
            Some(Callee::Crate(keys)) => keys.iter().any(|k| {
                self.idx.fn_decls(k).any(|d| {
                    d.sig.has_self
                        && ((d.impl_self.is_some() && d.ret == d.impl_self)
                            || (d.sig.self_by_value && d.sig.ret.is_some()))
                })
            }),
            _ => false,
        };
        // A client being built owns what goes into it, its builder (the receiver
        // of `build`) and arguments alike (a TLS config for `use_preconfigured_tls`,
        // a connector for `build(..)`): that client is the one reported.
        let owned = matches!(callee, Some(Callee::Catalog { .. }))
            || matches!(self.ty_of(&m.receiver), Ty::Builder(_));
        let recv_dest = if passthrough || wraps || returns_receiver {
            dest
        } else if owned {
            Dest::Store
        } else {
            Dest::Drop
        };
        let calls_before = self.pending.len();
        self.walk_borrowed(&m.receiver, recv_dest);
        let value_closure = VALUE_CLOSURE_METHODS.contains(&name.as_str());
        // `self.client.clone().unwrap_or_else(build)`: a get-or-create when the
        // closure calls something (a build), not `unwrap_or_else(|_| "x".into())`.
        let kept_receiver = value_closure && self.made_elsewhere(&m.receiver, calls_before);
        let calls_before = self.pending.len();
        let once = contexts.once_methods.contains(&name);
        let per_item = contexts.per_item_methods.contains(&name)
            || (contexts.per_item_methods_with_source.contains(&name)
                && self.has_iterator_source(&m.receiver));
        let store = owned || contexts.store_methods.contains(&name);
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
                        info,
                        bound: HashSet::default(),
                        locals: HashSet::default(),
                    },
                    tail,
                );
            } else if value_closure && is_runnable(a) {
                self.walk_runnable(a, Frame::Closure, dest);
            } else if store {
                self.walk_expr(a, Dest::Store);
            } else if is_runnable(a) && !matches!(strip_parens(a), syn::Expr::Path(_)) {
                self.walk_runnable(a, Frame::Closure, Dest::Drop);
            } else if wraps {
                self.walk_expr(a, dest);
            } else if let Some(Callee::Crate(keys)) = &callee {
                let d = self.arg_dest(keys, i);
                self.walk_expr(a, d);
            } else {
                self.walk_expr(a, Dest::Drop);
            }
        }
        if kept_receiver && self.pending.len() > calls_before {
            self.stale.push(dest);
        }
    }

    fn walk_macro(&mut self, mac: &syn::Macro, dest: Dest) {
        let name = last_name(&mac.path);
        if self.cat.contexts.once_macros.contains(&name) {
            self.frames.push(Frame::Once);
            for e in macro_exprs(&mac.tokens, true) {
                self.walk_expr(&e, Dest::Store);
            }
            self.frames.pop();
            return;
        }
        let resolved = self.resolve_cached(&path_segs(&mac.path));
        // A `macro_rules!` of the crate whose rules build a client: the
        // invocation is the construction (the expansion is not visible).
        if let Some(callee) = self.local_macro_construction(&name) {
            let span = mac
                .path
                .span()
                .join(mac.delimiter.span().close())
                .unwrap_or(mac.path.span());
            self.record_call(
                span,
                callee,
                dest,
                Node::Expr(&syn::Expr::Verbatim(TokenStream::new())),
            );
        }
        let d = if name == "vec" { dest } else { Dest::Drop };
        let diverging = matches!(
            name.as_str(),
            "panic" | "bail" | "unreachable" | "todo" | "unimplemented"
        );
        let branches = self.cat.contexts.branch_macros.contains(&name);
        // `warp::path!(..)` and other registration roots carry no code.
        if self.cat.handler_functions.contains(&resolved) {
            return;
        }
        // Formatting, logging and assertion macros take their arguments by
        // reference; any other macro (`vec!`, `try_or_retry!`, `ready!`) may
        // hand its argument on as its value.
        let by_reference = self.cat.contexts.by_reference_macros.contains(&name);
        let exprs = macro_exprs(&mac.tokens, branches);
        if exprs.is_empty() && !mac.tokens.is_empty() {
            // A macro we cannot read (`stream! { .. }`): a response it names may
            // be read inside, so it counts as handed over.
            let mut names = HashSet::default();
            for tt in mac.tokens.clone() {
                collect_token_idents(tt, &mut names);
            }
            for n in names {
                self.responses.moved(&n);
            }
        }
        for e in exprs {
            if by_reference {
                self.walk_borrowed(&e, Dest::Drop);
            } else {
                self.walk_expr(&e, if name == "vec" { d } else { dest });
            }
        }
        if diverging {
            // `bail!`/`panic!` end the path: an error path.
            self.responses
                .return_exit(span_range(mac.path.span()), true);
        }
    }

    // -------------------------------------------------------------- callees

    fn record_call(&mut self, span: proc_macro2::Span, callee: Callee, dest: Dest, node: Node<'_>) {
        let ctx = self.current_ctx();
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
            cfg: self.fn_cfg.clone(),
        };
        self.pending.push((call, dest));
    }

    // ------------------------------------------------------------ types
}
