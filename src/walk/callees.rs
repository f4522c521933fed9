//! What a call resolves to: a catalog construction, a workspace function,
//! or nothing known.

use super::*;

impl Walker<'_> {
    pub(super) fn resolve_expr_path(&self, p: &syn::ExprPath) -> PathSegs {
        if let Some(q) = &p.qself {
            // `<Client as Default>::default`: the type, then the method.
            let tr = type_ref(&q.ty);
            let mut base = self.resolve_type_ref(&tr).unwrap_or_default();
            if let Some(last) = p.path.segments.last() {
                base.push(last.ident.to_string());
            }
            return base;
        }
        self.resolve_segs(&path_segs(&p.path))
    }

    /// Scans the rules of a crate-local `macro_rules!` for a catalog
    /// constructor or a builder start followed by one of its terminals.
    pub(super) fn local_macro_construction(&self, name: &str) -> Option<Callee> {
        let krate = self.idx.modules[self.module].krate;
        let (module, text) = self.idx.macros.get(&(krate, name.to_string()))?;
        // (A file's modules share one crate, so the name is the key.)
        if let Some(known) = self.macro_cache.borrow().get(name) {
            return known.clone();
        }
        let found = self.scan_macro_rules(name, *module, text);
        self.macro_cache
            .borrow_mut()
            .insert(name.to_string(), found.clone());
        found
    }

    /// The scan of `local_macro_construction`: the first catalog constructor,
    /// or builder start followed by one of its terminals, in the rules' text.
    fn scan_macro_rules(&self, name: &str, module: ModId, text: &str) -> Option<Callee> {
        let tokens: TokenStream = text.parse().ok()?;
        let mut flat = Vec::new();
        flatten_tokens(tokens, &mut flat);
        let mut i = 0;
        while i < flat.len() {
            let TokenTree::Ident(first) = &flat[i] else {
                i += 1;
                continue;
            };
            // A path `a::b::c` starting here.
            let mut segs = vec![first.to_string()];
            let mut j = i + 1;
            while j + 2 < flat.len() + 1
                && matches!(&flat.get(j), Some(TokenTree::Punct(p)) if p.as_char() == ':')
                && matches!(&flat.get(j + 1), Some(TokenTree::Punct(p)) if p.as_char() == ':')
            {
                match flat.get(j + 2) {
                    Some(TokenTree::Ident(id)) => {
                        segs.push(id.to_string());
                        j += 3;
                    }
                    _ => break,
                }
            }
            if segs.len() > 1 {
                let resolved = self.idx.resolve(module, &segs, self.cat).path;
                if let Some(f) = self.cat.functions.get(&resolved) {
                    return Some(Callee::Catalog {
                        client: f.client,
                        kind: f.kind,
                        path: format!("{name}! ({})", resolved.join("::")),
                    });
                }
                if let Some(&b) = self.cat.builder_starts.get(&resolved) {
                    let terminal = flat[j..].windows(2).any(|w| {
                        matches!(&w[0], TokenTree::Punct(p) if p.as_char() == '.')
                            && matches!(&w[1], TokenTree::Ident(id) if self.cat.is_terminal(b, &id.to_string()))
                    });
                    if terminal {
                        let client = self.cat.builder_client(b);
                        return Some(Callee::Catalog {
                            client,
                            kind: ConstructionKind::BuilderTerminal,
                            path: format!("{name}! ({})", resolved.join("::")),
                        });
                    }
                }
            }
            i = j.max(i + 1);
        }
        None
    }

    /// `WorkspaceIndex::resolve` in the current module, memoized for the file.
    pub(super) fn resolve_cached(&self, segs: &[String]) -> PathSegs {
        if !self.blocks.is_empty()
            && let Some(p) = self.resolve_in_blocks(segs)
        {
            return p;
        }
        let key = (self.module, segs.to_vec());
        if let Some(p) = self.resolve_cache.borrow().get(&key) {
            return p.clone();
        }
        let p = self.idx.resolve(self.module, segs, self.cat).path;
        self.resolve_cache.borrow_mut().insert(key, p.clone());
        p
    }

    /// A path whose first name a block's own `use`, `type` or type
    /// definition introduces (innermost block first).
    fn resolve_in_blocks(&self, segs: &[String]) -> Option<PathSegs> {
        let first = segs.first()?;
        for b in self.blocks.iter().rev() {
            if b.items.contains(first) {
                let mut p = vec!["{block}".to_string()];
                p.extend_from_slice(segs);
                return Some(p);
            }
            if let Some(target) = b.uses.get(first).or_else(|| b.aliases.get(first)) {
                let mut full = target.clone();
                full.extend_from_slice(&segs[1..]);
                return Some(self.idx.resolve(self.module, &full, self.cat).path);
            }
            if !b.globs.is_empty()
                && let Some(p) = self
                    .idx
                    .resolve_in_globs(self.module, &b.globs, segs, self.cat)
            {
                return Some(p);
            }
        }
        None
    }

    /// A written type, resolved where it is written (`Self` is the impl's type).
    pub(super) fn resolve_type_ref(&self, tr: &crate::index::TypeRef) -> Option<PathSegs> {
        if tr.inner.is_empty() {
            return None;
        }
        if tr.inner.len() == 1 && tr.inner[0] == "Self" {
            return self.impl_self.clone();
        }
        // A generic parameter bounded by a workspace trait (`t: &T`, `T: Tool`)
        // is any implementor: it has the trait's type.
        if let [name] = tr.inner.as_slice()
            && let Some(t) = self.generic_bound(name)
        {
            return Some(t);
        }
        Some(self.resolve_cached(&tr.inner))
    }

    pub(super) fn resolve_segs(&self, segs: &[String]) -> PathSegs {
        let head = match segs.first().map(String::as_str) {
            Some("Self") => self.impl_self.clone(),
            // `T::call(..)` with `T: Tool`: the trait's path.
            Some(name) if segs.len() > 1 => self.generic_bound(name),
            _ => None,
        };
        if let Some(mut full) = head {
            full.extend_from_slice(&segs[1..]);
            return full;
        }
        self.resolve_cached(segs)
    }

    /// The workspace trait a generic parameter in scope is bounded by.
    fn generic_bound(&self, name: &str) -> Option<PathSegs> {
        let (_, bounds) = self.generics.iter().rev().find(|(n, _)| n == name)?;
        self.idx.bound_trait(self.module, bounds, self.cat)
    }

    pub(super) fn callee_of_path(&self, p: &syn::ExprPath) -> Option<Callee> {
        let resolved = self.resolve_expr_path(p);
        self.callee_of_resolved(&resolved, p)
    }

    pub(super) fn callee_of_resolved(
        &self,
        resolved: &PathSegs,
        _p: &syn::ExprPath,
    ) -> Option<Callee> {
        if let Some(f) = self.cat.functions.get(resolved) {
            return Some(Callee::Catalog {
                client: f.client,
                kind: f.kind,
                path: resolved.join("::"),
            });
        }
        // A function, or through a trait (`Tool::call(t, ..)`) every impl of it.
        if let [ty @ .., name] = resolved.as_slice()
            && !ty.is_empty()
        {
            let keys = self.idx.method_keys(ty, name, None);
            if !keys.is_empty() {
                return Some(Callee::Crate(keys));
            }
        }
        if let Some(key) = self.idx.fn_key(&resolved.join("::")) {
            return Some(Callee::Crate(std::sync::Arc::from([key])));
        }
        // `Api::default()` of a `#[derive(Default)]` struct with a client field.
        if let [ty @ .., last] = resolved.as_slice()
            && last == "default"
        {
            return self.derived_default(ty, &[]);
        }
        None
    }

    /// A `#[derive(Default)]` struct builds each field it does not get
    /// explicitly with `Default::default()`: a client field builds a client.
    pub(super) fn derived_default(&self, ty: &[String], given: &[String]) -> Option<Callee> {
        let st = self.idx.structs.get(&ty.join("::"))?;
        if !st.derives.iter().any(|d| d == "Default") {
            return None;
        }
        st.fields
            .iter()
            .filter(|(name, _)| !given.contains(name))
            .find_map(|(name, t)| {
                let client = *self.cat.client_types.get(t)?;
                Some(Callee::Catalog {
                    client,
                    kind: ConstructionKind::Constructor,
                    path: format!("{}::default (derived, field `{name}`)", ty.join("::")),
                })
            })
    }

    pub(super) fn callee_of_method(&self, m: &syn::ExprMethodCall) -> Option<Callee> {
        let name = m.method.to_string();
        let recv_ty = self.ty_of(&m.receiver);
        match &recv_ty {
            // A conversion (`into`) builds only straight off a builder chain, not
            // from a variable that may hold a finished config value.
            Ty::Builder(b)
                if self.cat.is_terminal(*b, &name)
                    && (!matches!(name.as_str(), "into" | "try_into")
                        || matches!(chain_head(&m.receiver), Some(syn::Expr::Call(_)))) =>
            {
                let c = &self.cat.builder_client(*b);
                let root = self
                    .chain_root(&m.receiver)
                    .map(|p| p.join("::"))
                    .unwrap_or_else(|| self.cat.clients[*c].name.clone());
                return Some(Callee::Catalog {
                    client: *c,
                    kind: ConstructionKind::BuilderTerminal,
                    path: format!("{root}(..).{name}()"),
                });
            }
            Ty::Named(t) => {
                if self.cat.source_types.contains(t) {
                    let mut full = t.clone();
                    full.push(name.clone());
                    if let Some(&c) = self.cat.methods.get(&full) {
                        return Some(Callee::Catalog {
                            client: c,
                            kind: ConstructionKind::Method,
                            path: full.join("::"),
                        });
                    }
                }
                // Its own method, or through a workspace trait every impl of it.
                let keys = self.idx.method_keys(t, &name, Some(m.args.len()));
                if !keys.is_empty() {
                    return Some(Callee::Crate(keys));
                }
            }
            Ty::Closure(_)
            | Ty::Unknown
            | Ty::Request(_)
            | Ty::Response(_)
            | Ty::Builder(_)
            | Ty::Channel(_)
            | Ty::Items(_) => {}
        }
        None
    }

    /// A call that keeps its arguments in the value it returns: a workspace
    /// associated fn returning `Self`, or an external `Type::new(x)` /
    /// `Type::from(x)` / `Type::with_x(x)` (the usual way to wrap an owned value).
    pub(super) fn is_constructor_like(&self, resolved: &PathSegs) -> bool {
        let key = resolved.join("::");
        if self.idx.fns.contains_key(key.as_str()) {
            return self.idx.fn_decls(&key).any(|d| {
                d.impl_self.is_some() && d.ret.as_ref() == d.impl_self.as_ref() && !d.sig.has_self
            });
        }
        match resolved.as_slice() {
            [.., ty, f] => {
                ty.starts_with(|c: char| c.is_uppercase())
                    && (f == "new"
                        || f == "from"
                        || f == "wrap"
                        || f.starts_with("with_")
                        || f.starts_with("from_"))
            }
            _ => false,
        }
    }

    /// A value of a type neither the catalog nor the walker knows as a client,
    /// builder, request or response: what moves into it is its business.
    pub(super) fn foreign_value(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Unknown => true,
            Ty::Named(t) => !self.cat.knows_type(t),
            _ => false,
        }
    }

    /// A foreign call that starts a builder chain: a constructor-like call
    /// (`Queue::new()`, `Queue::with_name(..)`) or `Type::builder()`. The
    /// workspace's own functions are known better by their declarations.
    pub(super) fn is_builder_root(&self, root: &PathSegs) -> bool {
        if self.idx.fns.contains_key(root.join("::").as_str()) {
            return false;
        }
        self.is_constructor_like(root)
            || matches!(root.as_slice(), [.., ty, f] if f == "builder" && ty.starts_with(|c: char| c.is_uppercase()))
    }

    /// The path of the call at the bottom of a method chain (`warp::path("x")`
    /// in `warp::path("x").and(..).map(f)`).
    pub(super) fn chain_root(&self, e: &syn::Expr) -> Option<PathSegs> {
        let mut e = e;
        loop {
            match strip_parens(e) {
                syn::Expr::MethodCall(m) => e = &m.receiver,
                syn::Expr::Call(c) => {
                    if let syn::Expr::Path(p) = &*c.func {
                        return Some(self.resolve_expr_path(p));
                    }
                    return None;
                }
                syn::Expr::Macro(m) => {
                    return Some(
                        self.idx
                            .resolve(self.module, &path_segs(&m.mac.path), self.cat)
                            .path,
                    );
                }
                syn::Expr::Path(p) => {
                    // A variable: its type, when known.
                    if let Some(ident) = p.path.get_ident()
                        && let Some(var) = self.lookup(&ident.to_string())
                    {
                        if let Ty::Named(t) = &var.ty {
                            return Some(t.clone());
                        }
                        // A builder bound earlier: the call that started it.
                        return self.builder_roots.get(&ident.to_string()).cloned();
                    }
                    return Some(self.resolve_expr_path(p));
                }
                syn::Expr::Reference(r) => e = &r.expr,
                syn::Expr::Await(a) => e = &a.base,
                syn::Expr::Try(t) => e = &t.expr,
                _ => return None,
            }
        }
    }

    /// Whether `method` is one the catalog knows for the receiver's type
    /// (a request method, a producer, a builder terminal).
    pub(super) fn is_catalog_method(&self, receiver: &syn::Expr, method: &str) -> bool {
        match self.ty_of(receiver) {
            Ty::Named(t) => self
                .cat
                .requester_types
                .get(&t)
                .into_iter()
                .flatten()
                .any(|&r| {
                    self.cat.request_method(r, method)
                        || self.cat.producer(r, false, method).is_some()
                }),
            Ty::Builder(b) => self.cat.is_terminal(b, method),
            Ty::Request(_) | Ty::Response(_) => true,
            Ty::Unknown | Ty::Closure(_) | Ty::Channel(_) | Ty::Items(_) => false,
        }
    }

    pub(super) fn has_iterator_source(&self, recv: &syn::Expr) -> bool {
        let mut e = recv;
        loop {
            match strip_parens(e) {
                syn::Expr::MethodCall(m) => {
                    let n = m.method.to_string();
                    // One pass down the chain: a consumer (`next()`, `find(..)`)
                    // ends the iterator below it in one value; any source or
                    // per-item adapter below makes the whole chain an iterator.
                    if self.cat.contexts.iterator_consumers.contains(&n) {
                        return false;
                    }
                    if self.cat.contexts.iterator_sources.contains(&n)
                        || self.cat.contexts.per_item_methods.contains(&n)
                    {
                        return true;
                    }
                    e = &m.receiver;
                }
                syn::Expr::Call(c) => {
                    // Only a call named like a source is worth resolving.
                    if let syn::Expr::Path(p) = &*c.func
                        && p.path.segments.last().is_some_and(|s| {
                            self.cat
                                .contexts
                                .iterator_source_functions
                                .iter()
                                .any(|f| f.ends_with(&format!("::{}", s.ident)))
                        })
                    {
                        let r = self.resolve_expr_path(p);
                        return self.cat.iterator_source_functions.contains(&r);
                    }
                    return false;
                }
                syn::Expr::Range(_) => return true,
                syn::Expr::Array(_) => return true,
                syn::Expr::Reference(r) => e = &r.expr,
                syn::Expr::Macro(mac) => {
                    return mac
                        .mac
                        .path
                        .segments
                        .last()
                        .is_some_and(|s| s.ident == "vec");
                }
                _ => return false,
            }
        }
    }
}
