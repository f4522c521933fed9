//! Control flow: blocks, statements, loops, conditions, `if` and `match`.
//! Each branch is walked on its own path of the response state, merged after.

use super::*;

impl Walker<'_> {
    pub(super) fn walk_block(&mut self, block: &syn::Block, dest: Dest) {
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
            // `#[cfg(a)] { .. } #[cfg(not(a))] panic!()`: a `#[cfg]` expression
            // before the tail, without a `;`, is a variant of the tail.
            let is_tail = match stmt {
                syn::Stmt::Expr(e, None) => i == last || has_cfg(e),
                _ => false,
            };
            self.walk_stmt(stmt, if is_tail { dest } else { Dest::Drop });
        }
        if pushed {
            self.frames.pop();
        }
        self.close_scope(span_range(block.brace_token.span.close()));
    }

    pub(super) fn walk_stmt(&mut self, stmt: &syn::Stmt, dest: Dest) {
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
                    self.note_production(Some(e));
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

    /// A response producer whose value goes nowhere.
    pub(super) fn discard_response(&mut self, e: &syn::Expr, why: &str) {
        if let Some((r, _)) = self.response_of(e) {
            self.note_production(Some(e));
            self.responses.discarded(r, self.response_span(e), why);
        }
    }

    /// An `if`/`while` condition; for `let` conditions the matched value flows
    /// into the pattern's bindings (in the current scope).
    pub(super) fn walk_condition(&mut self, cond: &syn::Expr) {
        match cond {
            syn::Expr::Let(l) => {
                let matched = self.new_slot();
                self.walk_expr(&l.expr, Dest::Var(matched));
                if !binds_success(&l.pat) {
                    self.unbound_response(&l.expr, "`if let` looks only at the error");
                }
                self.bind_pattern_from(&l.pat, &l.expr, Some(matched));
            }
            cond => self.walk_expr(cond, Dest::Drop),
        }
    }

    /// A sent request matched by patterns of which none binds the response:
    /// a successful response is dropped unread where it is matched.
    fn unbound_response(&mut self, matched: &syn::Expr, why: &str) {
        if self.sent_here(matched)
            && let Some((r, _)) = self.response_of(matched)
        {
            self.note_production(Some(matched));
            let why = format!("{why}; a successful response is dropped here unread");
            self.responses
                .discarded(r, self.response_span(matched), &why);
        }
    }

    /// A loop: its frame and scope, `head` (pattern bindings, the condition),
    /// then the body, walked as code that repeats.
    pub(super) fn walk_loop(
        &mut self,
        info: LoopInfo,
        bound: HashSet<String>,
        body: &syn::Block,
        head: impl FnOnce(&mut Self),
    ) {
        self.frames.push(Frame::Loop {
            info: info.into(),
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

    /// `if`: the condition, then each branch on its own path (a fork of the
    /// response state, a fresh return point), merged after.
    pub(super) fn walk_if(&mut self, i: &syn::ExprIf, dest: Dest) {
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
        // `if !resp.status().is_success() { return Err(..) }`: the failing
        // branch's error return drops the body with the error message.
        let failure = failure_test(&i.cond);
        let guard = |then: bool| match &failure {
            Some((name, on_then)) if *on_then == then => vec![name.clone()],
            _ => Vec::new(),
        };
        let unguarded = self.responses.guard(&guard(true));
        self.responses.set_branch(branch_label(&i.cond, true));
        // `if resp.status() == StatusCode::NO_CONTENT`: no body on that branch.
        let no_body = no_body_status_check(&i.cond).or_else(|| no_response_test(&i.cond));
        if let Some((name, true)) = &no_body {
            self.responses.moved(name);
        }
        // `if req.no_content { return Ok(None) }`: the code says this answer
        // has no body.
        let no_body_flag = no_body_flag(&i.cond, &self.cat.contexts.no_body_words);
        if no_body_flag == Some(true) {
            self.responses.all_bodyless();
        }
        let then_dest = self.branch_dest(dest);
        // `if self.token.is_none() || expired { self.token = Some(refresh()) }`:
        // the branch refills a cache that the condition tests, so it runs once
        // per cache miss, not per call.
        let refill = refills_cache(&i.cond, &i.then_branch);
        if refill {
            self.frames.push(Frame::Once);
        }
        self.walk_block(&i.then_branch, then_dest);
        if refill {
            self.frames.pop();
        }
        // `if let Ok(resp) = ..`: the binding's scope ends with the branch.
        self.close_scope(span_range(i.then_branch.brace_token.span.close()));
        let then_state = self.responses.fork();
        self.responses.restore(snapshot);
        self.responses.guard(&guard(false));
        self.responses.set_branch(branch_label(&i.cond, false));
        if let Some((name, false)) = &no_body {
            self.responses.moved(name);
        }
        if no_body_flag == Some(false) {
            self.responses.all_bodyless();
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
        self.responses.unguard(unguarded);
    }

    /// `match`: the matched value flows into each arm's bindings; each arm is
    /// its own path, merged after.
    pub(super) fn walk_match(&mut self, m: &syn::ExprMatch, dest: Dest) {
        // The matched value flows into the arms' bindings.
        let matched = self.new_slot();
        let calls_before = self.pending.len();
        self.walk_expr(&m.expr, Dest::Var(matched));
        let made_elsewhere = self.made_elsewhere(&m.expr, calls_before);
        if !m.arms.iter().any(|a| binds_success(&a.pat)) {
            self.unbound_response(&m.expr, "no arm of the `match` binds it");
        }
        let tested: Vec<String> = status_scrutinee(&m.expr).into_iter().collect();
        let unguarded = self.responses.guard(&[]);
        let snapshot = self.responses.fork();
        let mut states = Vec::new();
        // `for effect in effects { match effect { .. } }`: each arm handles one
        // kind of item of a dispatch loop.
        let dispatch = self.loop_bound_names().is_some_and(|bound| {
            let mut used = HashSet::default();
            idents_in_expr(&m.expr, &mut used);
            used.iter().any(|u| bound.contains(u))
        });
        if dispatch {
            self.dispatch_at.push(self.loop_depth());
        }
        // `match cmd { Command::Whoami => .., Command::DocsUpdate => .. }` on
        // a parameter: each arm handles one kind of command or event.
        let kinds = !dispatch && self.dispatches_param(&m.expr, &m.arms);
        if kinds {
            self.kind_dispatch += 1;
        }
        // `Some(c) => c` on a kept value beside an arm that calls
        // something (a build): a get-or-create.
        let mut kept_arms = Vec::new();
        let mut other_arm_calls = false;
        for arm in &m.arms {
            self.responses.restore(snapshot.clone());
            if catch_all(&arm.pat) {
                self.responses.guard(&tested);
            }
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
                // `Ok(r) if !r.status().is_success() => Err(..)`: the failing arm.
                if let Some((name, true)) = failure_test(g) {
                    self.responses.guard(&[name]);
                }
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
        if dispatch {
            self.dispatch_at.pop();
        }
        if kinds {
            self.kind_dispatch -= 1;
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
        self.responses.unguard(unguarded);
    }
}

/// The fields of `self` (or of a local) that an expression reads, as `base.field`.
fn field_places(e: &syn::Expr, out: &mut HashSet<String>) {
    struct V<'a>(&'a mut HashSet<String>);
    impl<'ast> syn::visit::Visit<'ast> for V<'_> {
        fn visit_expr_field(&mut self, f: &'ast syn::ExprField) {
            if let syn::Expr::Path(p) = strip_parens(&f.base)
                && let Some(base) = p.path.get_ident()
                && let syn::Member::Named(m) = &f.member
            {
                self.0.insert(format!("{base}.{m}"));
            }
            syn::visit::visit_expr_field(self, f);
        }
    }
    syn::visit::Visit::visit_expr(&mut V(out), e);
}

/// The branch assigns a field that the condition reads: a cache refill.
fn refills_cache(cond: &syn::Expr, branch: &syn::Block) -> bool {
    let mut tested = HashSet::default();
    field_places(cond, &mut tested);
    if tested.is_empty() {
        return false;
    }
    struct V<'a>(&'a HashSet<String>, bool);
    impl<'ast> syn::visit::Visit<'ast> for V<'_> {
        fn visit_expr_assign(&mut self, a: &'ast syn::ExprAssign) {
            let mut assigned = HashSet::default();
            field_places(&a.left, &mut assigned);
            if assigned.iter().any(|p| self.0.contains(p)) {
                self.1 = true;
            }
            syn::visit::visit_expr_assign(self, a);
        }
        fn visit_expr_closure(&mut self, _: &'ast syn::ExprClosure) {}
    }
    let mut v = V(&tested, false);
    syn::visit::Visit::visit_block(&mut v, branch);
    v.1
}

/// Whether an expression statement carries a `#[cfg]` attribute.
fn has_cfg(e: &syn::Expr) -> bool {
    let attrs = match e {
        syn::Expr::Block(b) => &b.attrs,
        syn::Expr::Macro(m) => &m.attrs,
        syn::Expr::Call(c) => &c.attrs,
        syn::Expr::MethodCall(m) => &m.attrs,
        syn::Expr::Path(p) => &p.attrs,
        syn::Expr::Struct(s) => &s.attrs,
        syn::Expr::If(i) => &i.attrs,
        syn::Expr::Match(m) => &m.attrs,
        syn::Expr::Unsafe(u) => &u.attrs,
        syn::Expr::Await(a) => &a.attrs,
        syn::Expr::Try(t) => &t.attrs,
        _ => return false,
    };
    crate::index::cfg_text(attrs).is_some()
}
