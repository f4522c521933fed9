//! One walk over a file's syntax tree that records every call site with its
//! callee, its context (loop, handler closure, run-once initializer) and
//! where its value goes, plus handler registrations and response facts.
//!
//! Invariant: the walk does no I/O and never fails; what it cannot resolve it
//! records as unknown, never as a guess.
//!
//! This file holds the walker's state, items and functions, and the
//! expression dispatch; the rest is split by concern: `scope` (bindings),
//! `escape` (where values go), `flow` (blocks, statements, branches, loops),
//! `context` (how often code runs, roles, registrations), `calls`, `macros`,
//! `responses` (the per-path response state), `callees`, `types`, `syntax`.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::ops::Range;

use proc_macro2::{TokenStream, TokenTree};
use syn::spanned::Spanned;

use crate::catalog::{Catalog, ConstructionKind, ResponseId};
use crate::facts::*;
use crate::index::{ModId, PathSegs, WorkspaceIndex, path_segs, span_range, type_ref};
use crate::source::FileId;

/// (node address, method name position, scope depth, bindings made, block depth).
type TyMemoKey = (usize, usize, usize, usize, usize, usize);

mod callees;
mod calls;
mod context;
mod destination;
mod escape;
mod flow;
mod macros;
mod period;
pub mod responses;
mod scope;
mod syntax;
mod types;

use context::Frame;
pub use escape::Dest;
use responses::ResponseTracker;
use scope::{BlockScope, Var};
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
    /// An end of a channel (or the pair) whose items have this type.
    Channel(Box<Ty>),
    /// A collection of workspace values (`Vec<Job>`, `Result<Vec<Self>, E>`
    /// once unwrapped): iterating it binds this type.
    Items(Box<Ty>),
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
    /// Generic type parameters in scope and their trait bounds.
    generics: Vec<(String, Vec<PathSegs>)>,
    frames: Vec<Frame>,
    scopes: Vec<HashMap<String, Var>>,
    /// Per slot: the destinations its uses flow to.
    slot_uses: Vec<Vec<Dest>>,
    pending: Vec<(CallSite, Dest)>,
    /// Arguments passed to workspace functions in the current function.
    arg_sinks: Vec<ArgSink>,
    /// The current function's parameters: (position, slot).
    param_slots: Vec<(usize, usize)>,
    /// The slots of the parameters taken by reference (`self` included):
    /// what is moved into them or their fields lives in the caller's value.
    ref_slots: HashSet<usize>,
    /// Block scopes being walked, innermost last.
    blocks: Vec<BlockScope>,
    /// The current function's `#[cfg(..)]`.
    fn_cfg: Option<std::sync::Arc<str>>,
    /// Where values made elsewhere go (`Some(c) => c` on `self.client.take()`):
    /// a return point they reach does not return a fresh client.
    stale: Vec<Dest>,
    closure_builds: Vec<(CallSite, Dest)>,
    /// Return points allocated in the current function, and those that are
    /// real (non-error) values returned to the caller.
    next_return: u32,
    return_points: Vec<u32>,
    /// Where a `return` sends its value inside the closures and async blocks
    /// being walked, innermost last: their own output, not the function's.
    inner_returns: Vec<Dest>,
    /// Scope depth of each loop body being walked.
    loop_body_scopes: Vec<usize>,
    /// Calls inside a closure or async block bound to a variable, by the
    /// variable's slot: they run where the variable is used.
    deferred: Vec<(usize, std::ops::Range<usize>)>,
    /// Slots of such variables handed to a run-once method (`or_insert_with(init)`).
    once_slots: HashSet<usize>,
    /// Slots of locals bound by a `let` under `#[cfg]`: a later `#[cfg]`
    /// `let` of the same name is another variant of it.
    cfg_slots: HashSet<usize>,
    /// The function being walked takes `self`.
    has_self: bool,
    /// Its parameters besides `self`, when its attributes keep them.
    arity: Option<u32>,
    /// The impl whose method is being walked is of another crate's trait.
    impl_foreign_trait: bool,
    /// The resolved trait of the impl whose method is being walked.
    impl_trait: Option<String>,
    /// The type of the inherent impl whose associated function without a
    /// receiver is being walked (`Foo` for `impl Foo { fn new() }`).
    static_of: Option<String>,
    /// Local closures (by slot): the loop depth where each is defined, and its name.
    closure_slots: HashMap<usize, (usize, String)>,
    /// Local closures called inside a loop deeper than their definition: the
    /// loop's context and the first such call.
    closure_runs: HashMap<usize, (Ctx, Range<usize>)>,
    /// The function being walked runs a long loop of its own.
    runs_long: bool,
    /// Locals of the function being walked that hold a channel end made there.
    channels: HashSet<String>,
    /// The function being walked builds its own async runtime.
    own_runtime: bool,
    constructs_self: bool,
    /// The function's return type is a response (`Result<Response, _>`).
    returns_response: bool,
    /// `const`/`static` durations and numbers of the file, in seconds.
    consts: HashMap<String, f64>,
    /// Locals bound to an `interval(D)`: their period in seconds.
    intervals: HashMap<String, f64>,
    /// Mutable locals bound to an integer (`let mut attempts = 3;`), for
    /// counted `while` loops.
    counters: HashMap<String, u64>,
    /// The name of the function being walked.
    fn_name: String,
    /// Loop depths at which a `match` on the loop's item is being walked.
    dispatch_at: Vec<usize>,
    /// How many `match` arms that dispatch a parameter over the kinds of an
    /// enum enclose the current expression (see `CallSite::kind_dispatch`).
    kind_dispatch: usize,
    /// Locals (per function) and fields (per file) holding a client built
    /// without a connection pool.
    no_pool_locals: HashSet<String>,
    /// Locals holding a request that sends no body back (`HEAD`).
    head_locals: HashSet<String>,
    no_pool_fields: HashSet<String>,
    /// Parameters of the current function that are not application state,
    /// and locals made from them.
    param_names: HashSet<String>,
    /// Parameters that are not application state, and locals whose value
    /// takes its host from one (a URL, a request to it): see `destination.rs`.
    dest_names: HashMap<String, usize>,
    /// Where the value of a `match`/`if` under `?` goes: an `Err(..)` that an
    /// arm yields there leaves the function (an error path).
    err_propagates: Vec<Dest>,
    /// Locals holding a client builder: the call that started the chain
    /// (`lettre::AsyncSmtpTransport::relay`), to name the client built.
    builder_roots: HashMap<String, PathSegs>,
    pub responses: ResponseTracker,
    pub out: FileFacts,
    resolve_cache: std::cell::RefCell<HashMap<(ModId, PathSegs), PathSegs>>,
    /// What each crate-local `macro_rules!` invoked in the file builds (see
    /// `local_macro_construction`): its rules are scanned once per file.
    macro_cache: std::cell::RefCell<HashMap<String, Option<Callee>>>,
    /// Types of method calls by (node, method name position, scope depth,
    /// bindings made, block depth): see `ty_of`.
    ty_memo: std::cell::RefCell<HashMap<TyMemoKey, Ty>>,
    /// Closure parameters typed while a closure's value is typed
    /// (`send().await.and_then(|r| r.error_for_status())`), innermost last.
    closure_params: std::cell::RefCell<Vec<(String, Ty)>>,
}

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
            generics: Vec::new(),
            frames: Vec::new(),
            scopes: Vec::new(),
            slot_uses: Vec::new(),
            pending: Vec::new(),
            arg_sinks: Vec::new(),
            param_slots: Vec::new(),
            ref_slots: HashSet::default(),
            stale: Vec::new(),
            blocks: Vec::new(),
            fn_cfg: None,
            closure_builds: Vec::new(),
            next_return: 0,
            return_points: Vec::new(),
            inner_returns: Vec::new(),
            loop_body_scopes: Vec::new(),
            deferred: Vec::new(),
            once_slots: HashSet::default(),
            cfg_slots: HashSet::default(),
            has_self: false,
            arity: None,
            impl_foreign_trait: false,
            impl_trait: None,
            closure_slots: HashMap::default(),
            closure_runs: HashMap::default(),
            consts: HashMap::default(),
            runs_long: false,
            channels: HashSet::default(),
            own_runtime: false,
            constructs_self: false,
            static_of: None,
            returns_response: false,
            intervals: HashMap::default(),
            counters: HashMap::default(),
            builder_roots: HashMap::default(),
            param_names: HashSet::default(),
            dest_names: HashMap::default(),
            err_propagates: Vec::new(),
            fn_name: String::new(),
            dispatch_at: Vec::new(),
            kind_dispatch: 0,
            no_pool_locals: HashSet::default(),
            head_locals: HashSet::default(),
            no_pool_fields: HashSet::default(),
            responses: ResponseTracker::default(),
            resolve_cache: Default::default(),
            macro_cache: Default::default(),
            ty_memo: Default::default(),
            closure_params: Default::default(),
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
        self.consts = period::file_consts(&file.items);
        self.no_pool_fields = fields_without_pool(file, &self.cat.contexts.no_pool_methods);
        self.walk_items(&file.items, module, 0);
        self.ty_memo.borrow_mut().clear();
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
                            // `self` in a default body is any implementor.
                            self.impl_self = Some(trait_path.clone());
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
                    self.impl_self = None;
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
        let generics = crate::index::generic_bounds(&imp.generics);
        let trait_path = imp
            .trait_
            .as_ref()
            .map(|(_, p, _)| self.resolve_cached(&path_segs(p)));
        let Some((key_path, self_path)) = self.idx.impl_self(
            self.module,
            &self_ty,
            trait_path.as_ref(),
            &generics,
            self.cat,
        ) else {
            return;
        };
        self.generics = generics;
        for item in &imp.items {
            if let syn::ImplItem::Fn(f) = item {
                let saved_test = self.in_test;
                if !self.include_tests && crate::index::is_test_item(&f.attrs) {
                    self.in_test = true;
                }
                self.impl_self = Some(self_path.clone());
                self.impl_foreign_trait =
                    trait_path.as_ref().is_some_and(|t| self.idx.is_foreign(t));
                self.impl_trait = trait_path.as_ref().map(|t| t.join("::"));
                self.static_of = key_path
                    .last()
                    .filter(|_| trait_path.is_none() && f.sig.receiver().is_none())
                    .cloned();
                let key = format!("{}::{}", key_path.join("::"), f.sig.ident);
                let role =
                    self.trait_handler_role(trait_path.as_ref(), &f.sig, &imp.attrs, &f.attrs);
                self.walk_fn(&key, &f.sig, &f.attrs, &f.vis, Some(&f.block), role);
                self.in_test = saved_test;
            }
        }
        self.impl_self = None;
        self.generics.clear();
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
        self.ref_slots.clear();
        self.stale.clear();
        self.fn_cfg = None;
        self.closure_builds.clear();
        self.next_return = 0;
        self.return_points.clear();
        self.deferred.clear();
        self.once_slots.clear();
        self.cfg_slots.clear();
        self.closure_slots.clear();
        self.closure_runs.clear();
        self.intervals.clear();
        self.counters.clear();
        self.builder_roots.clear();
        self.param_names.clear();
        self.dest_names.clear();
        self.err_propagates.clear();
        self.kind_dispatch = 0;
        self.no_pool_locals.clear();
        self.head_locals.clear();
        self.runs_long = false;
        self.channels.clear();
        self.own_runtime = false;
        self.constructs_self = false;
        self.returns_response = false;
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
            } else if let Some((ctx, at)) = self.closure_runs.get(&slot)
                && let Some((_, name)) = self.closure_slots.get(&slot)
            {
                // `let mk = |u| { Client::new() .. }; for u in us { mk(u) }`:
                // what the closure builds, it builds once per iteration.
                for (call, _) in &mut self.pending[range] {
                    if call.ctx == Ctx::Body {
                        call.ctx = ctx.clone();
                        call.hoistable = false;
                        call.called_at = Some(Box::new((name.clone(), at.clone())));
                    }
                }
            }
        }
        let calls = self.resolve_calls();
        let stale_returns = self.stale_returns();
        let params = self.param_fates();
        let mut return_points = std::mem::take(&mut self.return_points);
        return_points.sort();
        return_points.dedup();
        let (uploads, others) = self.responses.produced;
        let returns_upload = self.returns_response && uploads > 0 && others == 0;
        let responses = std::mem::take(&mut self.responses).finish(self.cat);
        self.out.fns.push(FnFacts {
            key: self.idx.key_of(key),
            file: self.file,
            name: name.to_string(),
            name_span,
            role,
            is_pub,
            has_self: std::mem::take(&mut self.has_self),
            arity: std::mem::take(&mut self.arity),
            foreign_trait: std::mem::take(&mut self.impl_foreign_trait),
            trait_path: self.impl_trait.take(),
            calls,
            responses,
            return_points,
            is_test: self.in_test,
            params,
            cfg: self.fn_cfg.clone(),
            stale_returns,
            runs_long: self.runs_long,
            own_runtime: self.own_runtime,
            constructs_self: self.constructs_self,
            static_of: self.static_of.take(),
            returns_upload,
        });
    }

    fn walk_initializer(&mut self, key: &str, expr: &syn::Expr, name: proc_macro2::Span) {
        self.begin_fn();
        self.frames.push(Frame::Once);
        self.walk_expr(expr, Dest::Store);
        let name_str = key.rsplit("::").next().unwrap_or(key).to_string();
        self.finish_fn(key, &name_str, span_range(name), FnRole::Once, false);
    }

    /// Application state (`State<App>`, `web::Data<App>`), also written
    /// through a type alias of the module (`type AppState = State<App>`).
    fn is_state_type(&self, tr: &crate::index::TypeRef) -> bool {
        let state = |tr: &crate::index::TypeRef| {
            tr.outer
                .last()
                .is_some_and(|t| self.cat.contexts.state_types.contains(t))
        };
        state(tr) || self.local_alias(tr).is_some_and(state)
    }

    /// What a one-segment type names when it is a type alias of the module
    /// or one it imports.
    pub(super) fn local_alias(&self, tr: &crate::index::TypeRef) -> Option<&crate::index::TypeRef> {
        match tr.outer.as_slice() {
            [name] => self.idx.type_alias(self.module, name, self.cat),
            _ => None,
        }
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
        let outer_generics = self.generics.len();
        self.generics
            .extend(crate::index::generic_bounds(&sig.generics));
        self.begin_fn();
        self.fn_name = sig.ident.to_string();
        self.fn_cfg = crate::index::cfg_text(attrs).map(Into::into);
        // Parameters.
        let mut pos = 0;
        for input in &sig.inputs {
            match input {
                syn::FnArg::Receiver(r) => {
                    let ty = self.impl_self.clone().map(Ty::Named).unwrap_or(Ty::Unknown);
                    let slot = self.bind("self", ty);
                    if r.reference.is_some() {
                        self.ref_slots.insert(slot);
                    }
                }
                syn::FnArg::Typed(pt) => {
                    let tr = type_ref(&pt.ty);
                    let ty = self.ty_from_typeref(&tr);
                    let mut names = Vec::new();
                    crate::index::pattern_names(&pt.pat, &mut names);
                    let state = self.is_state_type(&tr);
                    if !state {
                        self.param_names.extend(names.iter().cloned());
                        self.dest_names
                            .extend(names.iter().map(|n| (n.clone(), pos)));
                    }
                    for n in names {
                        let slot = self.bind(&n, ty.clone());
                        if matches!(*pt.ty, syn::Type::Reference(_)) {
                            self.ref_slots.insert(slot);
                        }
                        self.param_slots.push((pos, slot));
                        if let Ty::Response(r) = ty
                            && !matches!(*pt.ty, syn::Type::Reference(_))
                        {
                            self.responses.param(&n, pos, r, span_range(pt.pat.span()));
                        }
                    }
                    pos += 1;
                }
            }
        }
        let ret = self.new_return();
        self.channels = period::local_channels(body);
        self.runs_long = period::runs_long(body, &self.channels);
        self.own_runtime = self.builds_own_runtime(sig, attrs);
        self.has_self = sig.receiver().is_some();
        let params = sig
            .inputs
            .iter()
            .filter(|a| matches!(a, syn::FnArg::Typed(_)))
            .count();
        self.arity = crate::index::arity_with(&crate::index::attribute_paths(attrs), params)
            .map(|n| n as u32);
        self.constructs_self = !self.has_self
            && self
                .impl_self
                .as_ref()
                .and_then(|p| p.last())
                .is_some_and(|ty| context::returns_self(&sig.output, ty));
        self.returns_response = match &sig.output {
            syn::ReturnType::Type(_, t) => {
                matches!(self.ty_from_typeref(&type_ref(t)), Ty::Response(_))
            }
            syn::ReturnType::Default => false,
        };
        self.walk_block(body, ret);
        // Responses taken by value as parameters are dropped when the function returns.
        let params: Vec<String> = self
            .scopes
            .first()
            .map(|s| s.keys().cloned().collect())
            .unwrap_or_default();
        self.responses
            .end_scope(&params, span_range(body.brace_token.span.close()));
        // Fn items declared in the body, at any depth, are functions of their own.
        let nested = nested_fns(body);
        let is_pub = matches!(vis, syn::Visibility::Public(_));
        self.finish_fn(
            key,
            &display_name(key),
            span_range(sig.ident.span()),
            role,
            is_pub,
        );
        let saved_self = self.impl_self.clone();
        for (f, top) in nested {
            // One declared in an inner block is keyed by its position: two
            // blocks may each declare an `fn` of the same name.
            let nested_key = if top {
                format!("{key}::{}", f.sig.ident)
            } else {
                format!(
                    "{key}::{{block@{}}}::{}",
                    span_range(f.sig.ident.span()).start,
                    f.sig.ident
                )
            };
            let saved_test = self.in_test;
            if !self.include_tests && crate::index::is_test_item(&f.attrs) {
                self.in_test = true;
            }
            self.walk_fn(&nested_key, &f.sig, &f.attrs, &f.vis, Some(&f.block), None);
            self.in_test = saved_test;
            self.impl_self = saved_self.clone();
        }
        self.generics.truncate(outer_generics);
    }

    // ----------------------------------------------------------- expressions

    pub fn walk_expr(&mut self, e: &syn::Expr, dest: Dest) {
        self.walk_expr_inner(e, dest);
        // A returned `Err(..)` (a tail expression, not only `return Err(..)`)
        // ends the path as an error path.
        if (matches!(dest, Dest::Return(_)) || self.err_propagates.last() == Some(&dest))
            && is_err_expr(e)
        {
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
                    self.note_production(Some(&a.right));
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
                // A future runs once: it keeps what it takes only while it
                // runs, so only a long-running one (a worker) keeps a client.
                if b.capture.is_some() && period::runs_long(&b.block, &self.channels) {
                    self.capture_moves(e, dest);
                }
                // Its output goes where the future goes: awaited here, or
                // kept (`Box::pin(async { connect().await })` in a factory).
                self.scopes.push(HashMap::default());
                self.inner_returns.push(dest);
                self.walk_block(&b.block, dest);
                self.inner_returns.pop();
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
                if c.capture.is_some() {
                    self.capture_moves(&c.body, dest);
                }
                self.walk_closure_body(&c.inputs, &c.body, Frame::Closure, Dest::Drop)
            }
            Expr::Continue(c) => {
                self.responses
                    .exit(span_range(c.span()), "continue", self.loop_depth())
            }
            // A field moved out of a temporary (`load_certs().certs`) carries
            // what the call made; a field of a place is only borrowed.
            Expr::Field(f) if is_temporary(&f.base) => self.walk_expr(&f.base, dest),
            Expr::Field(f) => self.walk_borrowed(&f.base, Dest::Drop),
            Expr::ForLoop(f) => {
                self.walk_expr(&f.expr, Dest::Drop);
                let header = span_range(f.for_token.span).start..span_range(f.expr.span()).end;
                let mut names = Vec::new();
                crate::index::pattern_names(&f.pat, &mut names);
                let mut info = self.loop_info(LoopKind::For, header, e, &f.body, None, "for");
                info.fixed = period::fixed_count(&f.expr);
                // `for item in self.items.clone()`: one name takes the item
                // type of a collection field.
                let element = match names.as_slice() {
                    [_] => self.element_ty(&f.expr),
                    _ => Ty::Unknown,
                };
                self.walk_loop(info, names.iter().cloned().collect(), &f.body, |w| {
                    for n in names {
                        w.bind(&n, element.clone());
                    }
                });
            }
            Expr::Group(g) => self.walk_expr(&g.expr, dest),
            Expr::If(i) => self.walk_if(i, dest),
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
            Expr::Match(m) => self.walk_match(m, dest),
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
                        self.responses.moved(&name);
                        return;
                    }
                    self.responses.used(&name, span_range(p.span()).start);
                    self.responses.moved(&name);
                }
                // A workspace function used as a value (`ws.on_upgrade(relay)`,
                // `Box::new(handle)`): whoever gets it calls it, so it counts
                // as called here.
                if let Some(Callee::Crate(_)) = self.callee_of_path(p) {
                    self.walk_runnable(e, Frame::Closure, Dest::Drop);
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
                    && let Some(name) = responses::bare_ident(&r.expr)
                {
                    self.responses.moved(&name);
                }
                self.walk_borrowed(&r.expr, Dest::Drop)
            }
            Expr::Repeat(r) => self.walk_expr(&r.expr, dest),
            Expr::Return(r) => {
                if let Some(x) = &r.expr {
                    let ret = match self.inner_returns.last() {
                        Some(&inner) => self.branch_dest(inner),
                        None => self.new_return(),
                    };
                    self.walk_expr(x, ret);
                }
                // `return retry(c, req, n - 1).await` on a 429: the path retries,
                // like an error path it is not where the body matters.
                let retries = r
                    .expr
                    .as_deref()
                    .is_some_and(|x| calls_named(x, &self.fn_name));
                if retries {
                    self.responses.quiet_exit(span_range(r.span()), "`return`");
                } else {
                    let is_err = r.expr.as_deref().is_some_and(is_err_expr);
                    self.responses.return_exit(span_range(r.span()), is_err);
                }
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
                // `match .. { Ok(r) if r.status() == 404 => Err(NotFound), .. }?`:
                // an arm's `Err(..)` value leaves the function through the `?`.
                let branches = matches!(strip_parens(&t.expr), Expr::Match(_) | Expr::If(_));
                if branches {
                    self.err_propagates.push(dest);
                }
                self.walk_expr(&t.expr, dest);
                if branches {
                    self.err_propagates.pop();
                }
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
                let mut info =
                    self.loop_info(LoopKind::While, header, e, &w.body, Some(&w.cond), "while");
                info.fixed = period::counted_while(&w.cond, &w.body, &self.counters, &self.consts);
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
}

/// A value expression that is no place: a call, a method call, or one
/// awaited or unwrapped with `?`.
fn is_temporary(e: &syn::Expr) -> bool {
    match strip_parens(e) {
        syn::Expr::Call(_) | syn::Expr::MethodCall(_) => true,
        syn::Expr::Await(a) => is_temporary(&a.base),
        syn::Expr::Try(t) => is_temporary(&t.expr),
        _ => false,
    }
}
