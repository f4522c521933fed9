//! Light type inference: what the walk knows about a value's type, and
//! which expressions are HTTP responses.

use super::calls::PASSTHROUGH_EXTRA;
use super::*;

/// Methods of std collections that hand back one of their items.
const ITEM_ACCESSORS: &[&str] = &[
    "get",
    "get_mut",
    "first",
    "first_mut",
    "last",
    "last_mut",
    "pop",
    "pop_front",
    "pop_back",
    "remove",
];

impl Walker<'_> {
    pub(super) fn ty_from_typeref(&self, tr: &crate::index::TypeRef) -> Ty {
        match self.resolve_type_ref(tr) {
            Some(p) if !tr.element.is_empty() && self.is_channel_type(&p) => {
                let element = self.resolve_segs(&tr.element);
                self.channel_of(&p, &element)
                    .unwrap_or_else(|| self.ty_of_path(p))
            }
            Some(p) if !tr.element.is_empty() => self
                .items_of(self.resolve_segs(&tr.element))
                .unwrap_or_else(|| self.ty_of_path(p)),
            Some(p) => self.ty_of_path(p),
            None => Ty::Unknown,
        }
    }

    /// A collection of `element` (resolved), when it is a workspace type
    /// (a struct, or a trait of trait objects) whose methods the walk follows.
    fn items_of(&self, element: PathSegs) -> Option<Ty> {
        let key = element.join("::");
        (self.idx.structs.contains_key(&key) || self.idx.traits.contains(&key))
            .then(|| Ty::Items(Box::new(Ty::Named(element))))
    }

    fn is_channel_type(&self, resolved: &[String]) -> bool {
        self.cat
            .contexts
            .channel_types
            .contains(&resolved.join("::"))
    }

    /// A channel end type (`mpsc::Receiver<Job>`, both paths resolved): a
    /// channel of its items.
    fn channel_of(&self, resolved: &[String], element: &[String]) -> Option<Ty> {
        if element.is_empty() || !self.is_channel_type(resolved) {
            return None;
        }
        match self.ty_of_path(element.to_vec()) {
            Ty::Unknown => None,
            item => Some(Ty::Channel(Box::new(item))),
        }
    }

    pub(super) fn ty_of_path(&self, p: PathSegs) -> Ty {
        if let Some(&r) = self.cat.response_types.get(&p) {
            return Ty::Response(r);
        }
        if let Some(&r) = self.cat.request_types.get(&p).and_then(|k| k.first()) {
            return Ty::Request(r);
        }
        if let Some(&c) = self.cat.builder_types.get(&p) {
            return Ty::Builder(c);
        }
        Ty::Named(p)
    }

    // --------------------------------------------------------------- context

    pub(super) fn ty_of(&self, e: &syn::Expr) -> Ty {
        use syn::Expr;
        match e {
            Expr::Paren(p) => self.ty_of(&p.expr),
            Expr::Group(g) => self.ty_of(&g.expr),
            Expr::Reference(r) => self.ty_of(&r.expr),
            Expr::Await(a) => self.ty_of(&a.base),
            Expr::Try(t) => self.ty_of(&t.expr),
            Expr::Unary(u) => self.ty_of(&u.expr),
            Expr::Cast(c) => self.ty_from_typeref(&type_ref(&c.ty)),
            Expr::Path(p) => {
                if let Some(ident) = p.path.get_ident() {
                    let name = ident.to_string();
                    let params = self.closure_params.borrow();
                    if let Some((_, t)) = params.iter().rev().find(|(n, _)| *n == name) {
                        return t.clone();
                    }
                    drop(params);
                    if let Some(var) = self.lookup(&name) {
                        return var.ty.clone();
                    }
                    // A `static` of the enclosing block (`static CLIENT: LazyLock<..>`).
                    if let Some(t) = self.blocks.iter().rev().find_map(|b| b.statics.get(&name)) {
                        return self.ty_from_typeref(t);
                    }
                }
                // A `static` or `const` item: its written type.
                let resolved = self.resolve_expr_path(p);
                let key = resolved.join("::");
                match self.idx.statics.get(&key) {
                    Some(t) => self.ty_of_path(t.clone()),
                    // A unit struct of the workspace (`let w = WebSearch;`).
                    None if self.idx.structs.contains_key(&key) => Ty::Named(resolved),
                    None => Ty::Unknown,
                }
            }
            Expr::Field(f) => {
                // Named and tuple fields alike (`self.client`, `self.0`).
                let member = match &f.member {
                    syn::Member::Named(name) => name.to_string(),
                    syn::Member::Unnamed(i) => i.index.to_string(),
                };
                let base = match self.ty_of(&f.base) {
                    Ty::Named(base) => self.idx.structs.get(&base.join("::")),
                    _ => None,
                };
                match base {
                    Some(st) => st
                        .fields
                        .iter()
                        .find(|(n, _)| *n == member)
                        .filter(|(_, t)| !t.is_empty())
                        .map_or(Ty::Unknown, |(_, t)| {
                            let element = st.elements.iter().find(|(n, _)| *n == member);
                            element
                                .and_then(|(_, e)| self.channel_of(t, e))
                                .unwrap_or_else(|| self.ty_of_path(t.clone()))
                        }),
                    None => self.client_field_ty(&member),
                }
            }
            // `self.tools[i]`: an item of a collection field.
            Expr::Index(i) => self.element_ty(&i.expr),
            Expr::Struct(s) => Ty::Named(self.resolve_segs(&path_segs(&s.path))),
            Expr::Call(c) => {
                let syn::Expr::Path(fp) = &*c.func else {
                    return Ty::Unknown;
                };
                let resolved = self.resolve_expr_path(fp);
                // One-shot helpers (`reqwest::get`) build a client but hand back a response or request.
                if let Some(&(r, _)) = self.cat.response_functions.get(&resolved) {
                    return Ty::Response(r);
                }
                if let Some(&r) = self.cat.request_functions.get(&resolved) {
                    return Ty::Request(r);
                }
                if let Some(f) = self.cat.functions.get(&resolved) {
                    if f.kind == ConstructionKind::OneShot {
                        return Ty::Unknown;
                    }
                    return self.client_value_ty(f.client);
                }
                if let Some(&c) = self.cat.builder_starts.get(&resolved) {
                    return Ty::Builder(c);
                }
                // `flume::bounded::<RequestBuilder>(n)`: a channel of requests.
                if let Some(syn::PathArguments::AngleBracketed(args)) =
                    fp.path.segments.last().map(|s| &s.arguments)
                    && let Some(syn::GenericArgument::Type(t)) = args.args.first()
                    && self
                        .cat
                        .contexts
                        .channel_functions
                        .contains(&resolved.join("::"))
                {
                    return match self.ty_from_typeref(&type_ref(t)) {
                        Ty::Unknown => Ty::Unknown,
                        item => Ty::Channel(Box::new(item)),
                    };
                }
                // `let mut app = tide::new(); app.at("/").get(h)`: the value keeps
                // the path that made it, so registrations on it are recognised.
                if self.cat.registration_roots.contains(&resolved) {
                    return Ty::Named(resolved);
                }
                // `Builder(reqwest::Client::builder())`: a tuple struct of the
                // workspace is its own type, with methods of its own.
                if self.idx.structs.contains_key(&resolved.join("::")) {
                    return Ty::Named(resolved);
                }
                if self.cat.wrappers.contains(&resolved) || is_variant_like(&resolved) {
                    if let Some(first) = c.args.first() {
                        return self.ty_of(first);
                    }
                    return Ty::Unknown;
                }
                if let Some(t) = self.ret_ty(&resolved.join("::")) {
                    return t;
                }
                // `redis::Client::open(..)`, `Config::from_url(..)`: an associated
                // function of a catalog type that is not itself a construction
                // hands back a value of that type.
                if resolved.len() >= 2 {
                    let ty = &resolved[..resolved.len() - 1];
                    if self.cat.source_types.contains(ty)
                        || self.cat.requester_types.contains(ty)
                        || self.cat.request_types.contains(ty)
                    {
                        return self.ty_of_path(ty.to_vec());
                    }
                }
                // `Type::new()` of a type without a visible declaration.
                if resolved.len() >= 2
                    && matches!(resolved.last().map(String::as_str), Some("new" | "default"))
                {
                    let ty = resolved[..resolved.len() - 1].to_vec();
                    if ty
                        .last()
                        .is_some_and(|s| s.starts_with(|c: char| c.is_uppercase()))
                    {
                        return self.ty_of_path(ty);
                    }
                }
                Ty::Unknown
            }
            Expr::MethodCall(m) => {
                // A chain `c.a().b()...` is typed again from each link the walk
                // visits: remember each link's type while nothing new is bound,
                // so a chain of n links costs n steps, not n^2/2.
                // The method name's position is in the key too: a macro body
                // is parsed into a temporary tree, and a later one can reuse
                // a freed node's address.
                let key = (
                    m as *const syn::ExprMethodCall as usize,
                    span_range(m.method.span()).start,
                    self.scopes.len(),
                    self.slot_uses.len(),
                    self.blocks.len(),
                    self.closure_params.borrow().len(),
                );
                if let Some(t) = self.ty_memo.borrow().get(&key) {
                    return t.clone();
                }
                let t = self.method_ty(m);
                let mut memo = self.ty_memo.borrow_mut();
                if memo.len() > 1 << 16 {
                    memo.clear();
                }
                memo.insert(key, t.clone());
                t
            }
            // `match r { Ok(resp) => resp, Err(_) => return .. }`: an arm that
            // yields what its pattern binds yields the matched value's type.
            Expr::Match(m) => m
                .arms
                .iter()
                .map(|a| {
                    if yields_binding(&a.pat, &a.body) && pattern_keeps_type(&a.pat) {
                        self.ty_of(&m.expr)
                    } else {
                        self.ty_of(&a.body)
                    }
                })
                .find(|t| *t != Ty::Unknown)
                .unwrap_or(Ty::Unknown),
            Expr::If(i) => {
                let t = i.then_branch.stmts.last().map(|s| match s {
                    syn::Stmt::Expr(e, None) => self.ty_of(e),
                    _ => Ty::Unknown,
                });
                t.unwrap_or(Ty::Unknown)
            }
            Expr::Block(b) => match b.block.stmts.last() {
                Some(syn::Stmt::Expr(e, None)) => self.ty_of(e),
                _ => Ty::Unknown,
            },
            _ => Ty::Unknown,
        }
    }

    /// A field of a value of unknown type (`ctx.data().http`, through a
    /// framework's generic accessor): the catalog type every struct with a
    /// field of that name gives it, when they all agree (the structs of the
    /// packages this code can name: another package's cannot be its type).
    fn client_field_ty(&self, member: &str) -> Ty {
        // The types the structs of the packages this code can name give it.
        let package = self.idx.package_of(self.module);
        let mut types: Vec<&crate::index::PathSegs> = Vec::new();
        for (p, t) in self.idx.field_types.get(member).into_iter().flatten() {
            if self.idx.can_name(package, *p) && !types.contains(&t) {
                types.push(t);
            }
        }
        match types.as_slice() {
            [t] if self.cat.client_types.contains(t)
                || self.cat.requester_types.contains(t)
                || self.cat.source_types.contains(t) =>
            {
                self.ty_of_path((*t).clone())
            }
            _ => Ty::Unknown,
        }
    }

    pub(super) fn client_value_ty(&self, client: usize) -> Ty {
        match self.cat.clients[client].types.first() {
            Some(t) if !t.contains('*') => self.ty_of_path(crate::catalog::split_path(t)),
            _ => Ty::Unknown,
        }
    }

    pub(super) fn method_ty(&self, m: &syn::ExprMethodCall) -> Ty {
        let name = m.method.to_string();
        // `self.tools.get_mut(name)`: one item of a collection field.
        if ITEM_ACCESSORS.contains(&name.as_str()) {
            let item = self.element_ty(&m.receiver);
            if item != Ty::Unknown {
                return item;
            }
        }
        let recv = self.ty_of(&m.receiver);
        if self.cat.contexts.passthrough_methods.contains(&name)
            || PASSTHROUGH_EXTRA.contains(&name.as_str())
        {
            return recv;
        }
        // `send().await.and_then(|r| r.error_for_status())`: the closure's
        // value, with its parameter the response.
        if let (Ty::Response(_), Some(syn::Expr::Closure(c))) =
            (&recv, m.args.first().map(strip_parens))
            && matches!(name.as_str(), "map" | "and_then")
            && let [syn::Pat::Ident(param)] = c.inputs.iter().collect::<Vec<_>>().as_slice()
        {
            self.closure_params
                .borrow_mut()
                .push((param.ident.to_string(), recv.clone()));
            let value = self.ty_of(&c.body);
            self.closure_params.borrow_mut().pop();
            if value != Ty::Unknown {
                return value;
            }
        }
        match recv {
            Ty::Channel(item) if self.cat.contexts.receive_methods.contains(&name) => *item,
            Ty::Builder(c) => {
                if self.cat.is_terminal(c, &name) {
                    self.client_value_ty(self.cat.builder_client(c))
                } else {
                    Ty::Builder(c)
                }
            }
            Ty::Request(r) => {
                // Kinds that share this request type (ureq 2 and 3): the method decides.
                if let Some(k) = self
                    .cat
                    .siblings(r)
                    .into_iter()
                    .find(|&k| self.cat.producer(k, true, &name).is_some())
                {
                    Ty::Response(k)
                } else if self.cat.responses[r].no_body_methods.contains(&name)
                    || is_builder_setter(&name, m.args.len())
                {
                    Ty::Request(r)
                } else {
                    Ty::Unknown
                }
            }
            Ty::Response(r) => {
                if self.cat.responses[r].drops_on_error.contains(&name) {
                    Ty::Response(r)
                } else {
                    Ty::Unknown
                }
            }
            Ty::Named(t) => {
                if self.cat.source_types.contains(&t) {
                    let mut full = t.clone();
                    full.push(name.clone());
                    if let Some(&c) = self.cat.methods.get(&full) {
                        return self.client_value_ty(c);
                    }
                }
                for &r in self.cat.requester_types.get(&t).into_iter().flatten() {
                    if self.cat.request_method(r, &name) {
                        return Ty::Request(r);
                    }
                    if self.cat.producer(r, false, &name).is_some() {
                        return Ty::Response(r);
                    }
                }
                let keys = self.idx.method_keys(&t, &name, Some(m.args.len()));
                keys.first()
                    .and_then(|k| self.ret_ty(k))
                    .unwrap_or(Ty::Unknown)
            }
            Ty::Unknown | Ty::Closure(_) | Ty::Channel(_) | Ty::Items(_) => Ty::Unknown,
        }
    }

    /// The request chain starts from a client built without a connection
    /// pool: its connections close after each request anyway.
    fn without_pool(&self, e: &syn::Expr) -> bool {
        match chain_head(e) {
            Some(syn::Expr::Path(p)) => p
                .path
                .get_ident()
                .is_some_and(|i| self.no_pool_locals.contains(&i.to_string())),
            Some(syn::Expr::Field(f)) => match &f.member {
                syn::Member::Named(n) => self.no_pool_fields.contains(&n.to_string()),
                syn::Member::Unnamed(_) => false,
            },
            _ => false,
        }
    }

    /// The response kind an expression evaluates to, and whether it was awaited.
    pub(super) fn response_of(&self, e: &syn::Expr) -> Option<(ResponseId, bool)> {
        match self.ty_of(e) {
            Ty::Response(r) if self.cat.responses[r].lint => {
                // A function named for no-content endpoints (`send_no_content`)
                // gets answers without a body.
                if self.is_head_request(e, r)
                    || self.without_pool(e)
                    || names_no_body(&self.fn_name, &self.cat.contexts.no_body_words)
                {
                    return None;
                }
                // A one-shot helper's client, or a client built in the same chain
                // (`Client::new().post(u).send()`), dies with the request: there is
                // no pool to return the connection to (the construction is the finding).
                if let Some(syn::Expr::Call(c)) = chain_head(e)
                    && let syn::Expr::Path(p) = &*c.func
                {
                    let head = self.resolve_expr_path(p);
                    if self.cat.functions.contains(&head) || self.cat.builder_starts.contains(&head)
                    {
                        return None;
                    }
                }
                Some((r, contains_await(e)))
            }
            _ => None,
        }
    }

    /// The type of the items a `for` loop takes from `e`: a collection field
    /// of a workspace struct (`self.items`), possibly borrowed, cloned or
    /// iterated.
    pub(super) fn element_ty(&self, e: &syn::Expr) -> Ty {
        match strip_parens(e) {
            syn::Expr::Reference(r) => self.element_ty(&r.expr),
            syn::Expr::MethodCall(m)
                if m.args.is_empty()
                    && matches!(
                        m.method.to_string().as_str(),
                        "iter"
                            | "into_iter"
                            | "iter_mut"
                            | "clone"
                            | "drain"
                            | "values"
                            | "values_mut"
                            | "into_values"
                    ) =>
            {
                self.element_ty(&m.receiver)
            }
            syn::Expr::Field(f) => {
                let syn::Member::Named(name) = &f.member else {
                    return Ty::Unknown;
                };
                match self.ty_of(&f.base) {
                    Ty::Named(base) => self
                        .idx
                        .structs
                        .get(&base.join("::"))
                        .and_then(|st| st.elements.iter().find(|(n, _)| name == n))
                        .map_or(Ty::Unknown, |(_, t)| self.ty_of_path(t.clone())),
                    _ => Ty::Unknown,
                }
            }
            // A local, a parameter or a call whose type is a collection.
            other => match self.ty_of(other) {
                Ty::Items(item) => *item,
                _ => Ty::Unknown,
            },
        }
    }

    /// The expression sends a request right here (`req.send().await`,
    /// `reqwest::get(u).await`), rather than naming a value that may hold a
    /// response.
    pub(super) fn sent_here(&self, e: &syn::Expr) -> bool {
        match strip_parens(e) {
            syn::Expr::Await(a) => self.sent_here(&a.base),
            syn::Expr::MethodCall(m) => matches!(self.ty_of(&m.receiver), Ty::Request(_)),
            syn::Expr::Call(c) => match &*c.func {
                syn::Expr::Path(p) => self.cat.functions.contains(&self.resolve_expr_path(p)),
                _ => false,
            },
            _ => false,
        }
    }

    /// Where a response is produced: the whole expression on one line, or for
    /// a chain over several lines the producing call (`.send()`).
    pub(super) fn response_span(&self, e: &syn::Expr) -> Range<usize> {
        let span = e.span();
        if span.start().line == span.end().line {
            return span_range(span);
        }
        let mut cur = e;
        loop {
            match strip_parens(cur) {
                syn::Expr::Try(t) => cur = &t.expr,
                syn::Expr::Match(m) => cur = &m.expr,
                syn::Expr::Await(a) => cur = &a.base,
                syn::Expr::MethodCall(m) => {
                    if matches!(self.ty_of(&m.receiver), Ty::Response(_)) {
                        cur = &m.receiver;
                        continue;
                    }
                    return span_range(m.method.span()).start
                        ..span_range(m.paren_token.span.close()).end;
                }
                other => return span_range(other.span()),
            }
        }
    }

    pub(super) fn is_head_request(&self, e: &syn::Expr, r: ResponseId) -> bool {
        chain_sends(e, &self.cat.responses[r].no_body_methods)
            || matches!(chain_head(e), Some(syn::Expr::Path(p)) if p
                .path
                .get_ident()
                .is_some_and(|i| self.head_locals.contains(&i.to_string())))
    }

    /// The return type of a workspace function, when it is one.
    fn ret_ty(&self, key: &str) -> Option<Ty> {
        let d = self.idx.fn_decls(key).next()?;
        // `fn all() -> Result<Vec<Self>, E>`: a collection of its items.
        let element = d.sig.ret.as_ref().map(|r| &r.element);
        if let Some(element) = element.filter(|e| !e.is_empty()) {
            let resolved = match (element.as_slice(), &d.impl_self) {
                ([only], Some(this)) if only == "Self" => this.clone(),
                _ => self.idx.resolve(d.module, element, self.cat).path,
            };
            if let Some(items) = self.items_of(resolved) {
                return Some(items);
            }
        }
        Some(
            d.ret
                .clone()
                .map(|p| self.ty_of_path(p))
                .unwrap_or(Ty::Unknown),
        )
    }
}
