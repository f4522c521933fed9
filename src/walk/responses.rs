//! Path-sensitive tracking of HTTP responses inside one function: which
//! exits (`continue`, `break`, `return`, end of scope, `drop`) drop a response
//! whose body was never read.
//!
//! The walker drives it: it binds responses, reports reads and moves, forks
//! the state at branches and merges it after. A path that ended (`continue`,
//! `return`) does not flow into the merge.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use crate::catalog::{Catalog, ResponseId};
use crate::facts::{ClientLocal, Ctx, DropSite, ResponseFact};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Unread,
    Consumed,
}

#[derive(Debug, Clone)]
struct Tracked {
    fact: usize,
    state: State,
    /// Loop depth where the response was bound.
    depth: usize,
    /// The branch on which it is still unread after a merge (`when not `ok``).
    path: String,
}

#[derive(Debug, Clone, Default)]
pub struct PathState {
    vars: HashMap<String, Tracked>,
    terminated: bool,
    branch: String,
    /// Responses whose status the enclosing `if`/`match` tests: an error
    /// return there drops the body that holds the server's error message.
    guarded: Vec<String>,
}

#[derive(Debug, Default)]
pub struct ResponseTracker {
    state: PathState,
    facts: Vec<ResponseFact>,
    pub error_paths: bool,
    /// The context of the code being walked, set by the walker before a
    /// response is produced.
    pub ctx: Ctx,
    /// The response being produced answers a `PUT` (an upload).
    pub upload: bool,
    /// The loop depth where the response being produced is.
    pub depth: usize,
    /// The response being produced answers a request to a host the
    /// function's arguments give.
    pub from_request: Option<usize>,
    /// The workspace functions whose call produces the response about to be bound.
    pub via: Vec<crate::facts::FnKey>,
    /// Responses produced in this function: (answers to uploads, others).
    pub produced: (u32, u32),
    /// Client locals of the function and where each name in scope points.
    clients: Clients,
    /// For each fact, its client local and the loop depth it was produced at.
    fact_clients: Vec<(Option<usize>, usize)>,
    /// Drops that leave the function (`return`, `?`): nothing runs after them.
    exit_drops: HashSet<(usize, usize)>,
}

/// Locals holding a client built in this function, or a request made from one.
#[derive(Debug, Default)]
struct Clients {
    bound: Vec<BoundClient>,
    names: HashMap<String, usize>,
    /// The client local the response being produced went out on.
    current: Option<usize>,
}

#[derive(Debug)]
struct BoundClient {
    stmt: Range<usize>,
    depth: usize,
    /// Where its names are used.
    uses: Vec<usize>,
}

impl ResponseTracker {
    pub fn bind(
        &mut self,
        name: &str,
        response: ResponseId,
        span: Range<usize>,
        awaited: bool,
        depth: usize,
    ) {
        let mut f = self.fact(response, span, awaited);
        f.name = Some(name.to_string());
        let fact = self.push(f);
        self.state.vars.insert(
            name.to_string(),
            Tracked {
                fact,
                state: State::Unread,
                depth,
                path: String::new(),
            },
        );
    }

    /// The response bound to `name` answers an upload (a `PUT`).
    pub fn answers_upload(&self, name: &str) -> bool {
        self.state
            .vars
            .get(name)
            .is_some_and(|t| self.facts[t.fact].upload)
    }

    pub fn is_unread(&self, name: &str) -> bool {
        self.state
            .vars
            .get(name)
            .is_some_and(|t| t.state == State::Unread)
    }

    /// Whether `method` only looks at the head of the response in `name`.
    pub fn head_only(&self, name: &str, method: &str, catalog: &Catalog) -> bool {
        self.state.vars.get(name).is_some_and(|t| {
            let spec = &catalog.responses[self.facts[t.fact].response];
            spec.head_only.iter().any(|m| m == method)
        })
    }

    /// `let b = a?;` of a response `a` that was unread before the statement:
    /// `b` carries on `a`'s fact (where it was produced), unread, bound at
    /// `depth`. Returns false when `a` is not tracked.
    pub fn rebind(&mut self, from: &str, to: &str, depth: usize) -> bool {
        let Some(t) = self.state.vars.remove(from) else {
            return false;
        };
        self.state.vars.insert(
            to.to_string(),
            Tracked {
                depth,
                path: String::new(),
                state: State::Unread,
                ..t
            },
        );
        self.facts[t.fact].name = Some(to.to_string());
        true
    }

    /// A response parameter taken by value, the `index`th (receiver excluded).
    pub fn param(&mut self, name: &str, index: usize, response: ResponseId, span: Range<usize>) {
        self.bind(name, response, span, false, 0);
        if let Some(f) = self.facts.last_mut() {
            f.param = Some(index);
        }
    }

    /// An unread response passed by value to a workspace function: that
    /// function's handling of its parameter decides (see `HandOff`).
    pub fn handed(
        &mut self,
        name: &str,
        callee: &crate::facts::FnKeys,
        param: usize,
        span: Range<usize>,
    ) {
        if let Some(t) = self.state.vars.get(name)
            && t.state == State::Unread
            && !self.state.terminated
        {
            self.facts[t.fact].handoffs.push(crate::facts::HandOff {
                callee: callee.clone(),
                param,
                span,
            });
        }
    }

    /// A response that is dropped where it is produced.
    pub fn discarded(&mut self, response: ResponseId, span: Range<usize>, why: &str) {
        if self.state.terminated {
            return;
        }
        let mut f = self.fact(response, span.clone(), false);
        f.drops.push(DropSite {
            span,
            why: why.to_string(),
        });
        self.push(f);
    }

    fn push(&mut self, f: ResponseFact) -> usize {
        self.facts.push(f);
        self.fact_clients.push((self.clients.current, self.depth));
        self.facts.len() - 1
    }

    /// `let name = <a client built here>` (the `let` statement `stmt`, at
    /// loop depth `depth`): its requests go out on a client of this function.
    pub fn bind_client(&mut self, name: &str, stmt: Range<usize>, depth: usize) {
        self.clients.bound.push(BoundClient {
            stmt,
            depth,
            uses: Vec::new(),
        });
        let index = self.clients.bound.len() - 1;
        self.clients.names.insert(name.to_string(), index);
    }

    /// `let name = <e>`: a request made from a client local (`let req =
    /// http.get(u)`) stands for that client; any other value hides it.
    pub fn bind_other(&mut self, name: &str, from: Option<&str>) {
        match from.and_then(|f| self.client_of(f)) {
            Some(c) => self.clients.names.insert(name.to_string(), c),
            None => self.clients.names.remove(name),
        };
    }

    /// The client local a name stands for: a client, a request made from
    /// one, or a response received on one.
    fn client_of(&self, name: &str) -> Option<usize> {
        self.clients.names.get(name).copied().or_else(|| {
            let t = self.state.vars.get(name)?;
            self.fact_clients.get(t.fact)?.0
        })
    }

    /// The response about to be produced goes out on what `head` (the start
    /// of its chain) names.
    pub fn produced_from(&mut self, head: Option<&str>) {
        self.clients.current = head.and_then(|h| self.client_of(h));
    }

    /// The name is used at byte `at`.
    pub fn used(&mut self, name: &str, at: usize) {
        if let Some(&c) = self.clients.names.get(name) {
            self.clients.bound[c].uses.push(at);
        }
    }

    /// A new response fact in the current context, not yet dropped.
    fn fact(&self, response: ResponseId, span: Range<usize>, awaited: bool) -> ResponseFact {
        ResponseFact {
            response,
            span,
            name: None,
            drops: Vec::new(),
            insert_at: None,
            awaited,
            ctx: self.ctx.clone(),
            upload: self.upload,
            headers_read: false,
            status_read: false,
            param: None,
            handoffs: Vec::new(),
            from_request: self.from_request,
            error_message: false,
            in_result: false,
            client: None,
            via: self.via.clone(),
        }
    }

    /// `resp.method()`: reads, moves or only looks at the response.
    pub fn method_on(&mut self, receiver: &syn::Expr, method: &str, catalog: &Catalog) {
        let Some(name) = bare_ident(receiver) else {
            return;
        };
        let Some(t) = self.state.vars.get_mut(&name) else {
            return;
        };
        let fact = &mut self.facts[t.fact];
        let spec = &catalog.responses[fact.response];
        // `res.is_err()` on a `Result` that holds it: only a look.
        if catalog.contexts.outcome_methods.iter().any(|m| m == method) {
            fact.in_result = true;
            return;
        }
        if spec.head_only.iter().any(|m| m == method) {
            if matches!(method, "headers" | "header" | "headers_mut" | "all") {
                fact.headers_read = true;
            } else {
                fact.status_read = true;
            }
            return;
        }
        // Reads, moves, and anything unknown (conservatively) consume it.
        t.state = State::Consumed;
    }

    /// On this branch the code says the answer has no body: nothing unread
    /// is left to drain.
    pub fn all_bodyless(&mut self) {
        for t in self.state.vars.values_mut() {
            t.state = State::Consumed;
        }
    }

    /// The variable is used by value (passed, returned, stored, captured).
    pub fn moved(&mut self, name: &str) {
        if let Some(t) = self.state.vars.get_mut(name) {
            t.state = State::Consumed;
        }
    }

    /// `drop(resp)`.
    pub fn dropped_by_call(&mut self, name: &str, span: Range<usize>) {
        self.dropped_with(name, span, "dropped here by `drop`");
    }

    /// `resp.unwrap().status()`: the response is moved out of `resp` into a
    /// temporary that only `method` looks at, dropped at the statement's end.
    pub fn looked_at_temporary(&mut self, name: &str, span: Range<usize>, method: &str) {
        if let Some(t) = self.state.vars.get(name)
            && t.state == State::Unread
        {
            self.facts[t.fact].status_read = true;
        }
        let what = format!("moved out of `{name}` and dropped here after `.{method}()`");
        self.dropped_with(name, span, &what);
    }

    fn dropped_with(&mut self, name: &str, span: Range<usize>, what: &str) {
        let label = self.label(what);
        if let Some(t) = self.state.vars.get_mut(name)
            && t.state == State::Unread
            && !self.state.terminated
        {
            t.state = State::Consumed;
            let fact = t.fact;
            self.facts[fact].drops.push(DropSite { span, why: label });
        }
    }

    fn label(&self, what: &str) -> String {
        if self.state.branch.is_empty() {
            what.to_string()
        } else {
            format!("{what} {}", self.state.branch)
        }
    }

    fn drop_unread(
        &mut self,
        span: &Range<usize>,
        what: &str,
        exits: bool,
        keep: impl Fn(&str, &Tracked) -> bool,
    ) -> Vec<usize> {
        if self.state.terminated {
            return Vec::new();
        }
        let label = self.label(what);
        let mut hits: Vec<usize> = self
            .state
            .vars
            .iter()
            .filter(|(n, t)| t.state == State::Unread && keep(n, t))
            .map(|(_, t)| t.fact)
            .collect();
        hits.sort();
        hits.dedup();
        for &fact in &hits {
            if exits {
                self.exit_drops.insert((fact, span.start));
            }
            let drops = &mut self.facts[fact].drops;
            if !drops.iter().any(|d| d.span == *span) {
                drops.push(DropSite {
                    span: span.clone(),
                    why: label.clone(),
                });
            }
        }
        hits
    }

    /// `continue` / `break` at loop depth `depth`: responses bound inside that loop are dropped.
    pub fn exit(&mut self, span: Range<usize>, kind: &str, depth: usize) {
        self.drop_unread(
            &span,
            &format!("dropped here by `{kind}`"),
            false,
            |_, t| t.depth >= depth && depth > 0,
        );
        self.state.terminated = true;
    }

    pub fn return_exit(&mut self, span: Range<usize>, is_err: bool) {
        if !is_err || self.error_paths {
            self.drop_unread(&span, "dropped here by `return`", true, |_, _| true);
        } else if !self.state.guarded.is_empty() {
            // `if !resp.status().is_success() { return Err(..) }`: the error
            // is the response's own, and its body says why.
            let guarded = std::mem::take(&mut self.state.guarded);
            let what =
                "dropped here by the error return, without reading the error message in its body";
            let hits = self.drop_unread(&span, what, true, |name, _| {
                guarded.iter().any(|g| g == name)
            });
            for fact in hits {
                self.facts[fact].error_message = true;
            }
            self.state.guarded = guarded;
        }
        self.state.terminated = true;
    }

    /// `return retry(..)` after a 429, or a `panic!`: like an error path, the
    /// body does not matter there (reported with `error_paths = true`).
    pub fn quiet_exit(&mut self, span: Range<usize>, how: &str) {
        if self.error_paths {
            self.drop_unread(&span, &format!("dropped here by {how}"), true, |_, _| true);
        }
        self.state.terminated = true;
    }

    /// The responses whose status a branch condition tests (see `guarded`);
    /// returns the previous set, for `unguard`.
    pub fn guard(&mut self, names: &[String]) -> Vec<String> {
        let saved = self.state.guarded.clone();
        for n in names {
            if self.is_unread(n) && !self.state.guarded.contains(n) {
                self.state.guarded.push(n.clone());
            }
        }
        saved
    }

    pub fn unguard(&mut self, saved: Vec<String>) {
        self.state.guarded = saved;
    }

    /// `?` on a value that is not the response: an error path, exempt by default.
    pub fn try_exit(&mut self, span: Range<usize>) {
        if self.error_paths {
            let label = "dropped here when `?` returns an error";
            self.drop_unread(&span, label, true, |_, _| true);
        }
    }

    /// End of a block: the responses declared in it are dropped.
    pub fn end_scope(&mut self, names: &[String], close: Range<usize>) {
        let here: Vec<String> = names
            .iter()
            .filter(|n| self.state.vars.contains_key(*n))
            .cloned()
            .collect();
        if here.is_empty() {
            return;
        }
        let label = self.label("dropped here at the end of its scope");
        if !self.state.terminated {
            for n in &here {
                if let Some(t) = self.state.vars.get(n)
                    && t.state == State::Unread
                    && close != (0..0)
                {
                    let fact = t.fact;
                    let label = if t.path.is_empty() || !self.state.branch.is_empty() {
                        label.clone()
                    } else {
                        format!("dropped here at the end of its scope {}", t.path)
                    };
                    if !self.facts[fact].drops.iter().any(|d| d.span == close) {
                        self.facts[fact].drops.push(DropSite {
                            span: close.clone(),
                            why: label.clone(),
                        });
                    }
                }
            }
        }
        for n in here {
            self.state.vars.remove(&n);
        }
    }

    pub fn leave_loop(&mut self) {
        // A loop body that ends in `continue`/`break` does not end the function.
        self.state.terminated = false;
    }

    /// Entering a closure or async block: its exits are its own.
    pub fn enter_closure(&mut self) -> (bool, String) {
        let saved = (
            self.state.terminated,
            std::mem::take(&mut self.state.branch),
        );
        self.state.terminated = false;
        saved
    }

    pub fn leave_closure(&mut self, saved: (bool, String)) {
        self.state.terminated = saved.0;
        self.state.branch = saved.1;
    }

    pub fn fork(&self) -> PathState {
        self.state.clone()
    }

    pub fn restore(&mut self, state: PathState) {
        self.state = state;
    }

    pub fn set_branch(&mut self, label: String) {
        self.state.branch = label;
    }

    /// Joins the current path with another one that reached the same point.
    pub fn merge(&mut self, other: PathState) {
        let branch = String::new();
        if other.terminated {
            self.state.branch = branch;
            return;
        }
        if self.state.terminated {
            self.state = other;
            self.state.branch = branch;
            return;
        }
        let my_branch = self.state.branch.clone();
        for (name, t) in other.vars {
            match self.state.vars.get_mut(&name) {
                Some(mine) => match (mine.state, t.state) {
                    (State::Consumed, State::Unread) => {
                        mine.state = State::Unread;
                        mine.path = if t.path.is_empty() {
                            other.branch.clone()
                        } else {
                            t.path.clone()
                        };
                    }
                    (State::Unread, State::Consumed) if mine.path.is_empty() => {
                        mine.path = my_branch.clone()
                    }
                    _ => {}
                },
                None => {
                    self.state.vars.insert(name, t);
                }
            }
        }
        self.state.branch = branch;
    }

    pub fn finish(mut self, _catalog: &Catalog) -> Vec<ResponseFact> {
        for (i, f) in self.facts.iter_mut().enumerate() {
            let Some((Some(c), depth)) = self.fact_clients.get(i) else {
                continue;
            };
            let client = &self.clients.bound[*c];
            // Leaving the function drops the client too; any other drop is
            // followed by what comes after it.
            let later = |at: usize| client.uses.iter().any(|&u| u > at);
            let mut stays = f
                .drops
                .iter()
                .filter(|d| !self.exit_drops.contains(&(i, d.span.start)));
            // In a loop inside the client's scope, the next turn reuses the
            // client, unless every drop leaves the function (an error return
            // ends the loop and the client with it).
            let next_turn =
                *depth > client.depth && (!f.handoffs.is_empty() || stays.clone().next().is_some());
            let reused = next_turn
                || stays.any(|d| later(d.span.start))
                || f.handoffs.iter().any(|h| later(h.span.start));
            f.client = Some(ClientLocal {
                stmt: client.stmt.clone(),
                reused,
            });
        }
        self.facts
            .into_iter()
            .filter(|f| !f.drops.is_empty() || !f.handoffs.is_empty())
            .collect()
    }
}

pub fn bare_ident(e: &syn::Expr) -> Option<String> {
    match e {
        syn::Expr::Path(p) => p.path.get_ident().map(|i| i.to_string()),
        syn::Expr::Paren(p) => bare_ident(&p.expr),
        syn::Expr::Reference(r) => bare_ident(&r.expr),
        _ => None,
    }
}
