//! Escapes: where a value goes (dropped, returned, stored, held by a
//! variable, passed to a workspace function), the function's return points,
//! and their resolution into each call's flow and each parameter's fate.

use super::*;

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

/// Where a value's uses lead, besides its flow.
#[derive(Default)]
struct Reach {
    /// Return points (sorted).
    returns: Vec<u32>,
    /// Indices into `Walker::arg_sinks`.
    sinks: Vec<usize>,
}

impl Walker<'_> {
    /// A matched value that no call in it produced and no local holds
    /// (`self.client.take()`, a field, a cached value) was made elsewhere.
    pub(super) fn made_elsewhere(&self, scrutinee: &syn::Expr, calls_before: usize) -> bool {
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
    pub(super) fn arg_dest(&mut self, keys: &crate::facts::FnKeys, param: usize) -> Dest {
        self.arg_sinks.push(ArgSink {
            callee: keys.clone(),
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

    pub(super) fn new_return(&mut self) -> Dest {
        self.next_return += 1;
        Dest::Return(self.next_return)
    }

    /// A leaf expression that is returned: a real return point unless it is an
    /// error or `None` (neither hands back a client).
    pub(super) fn note_return(&mut self, dest: Dest, e: &syn::Expr) {
        if let Dest::Return(id) = dest
            && !is_err_expr(e)
            && !is_none_expr(e)
            && !diverges(e)
        {
            self.return_points.push(id);
        }
    }

    /// A fresh return point for one branch when the value is returned.
    pub(super) fn branch_dest(&mut self, dest: Dest) -> Dest {
        match dest {
            Dest::Return(_) => self.new_return(),
            other => other,
        }
    }

    /// Walks an expression used by reference: a bare variable is not moved.
    pub(super) fn walk_borrowed(&mut self, e: &syn::Expr, dest: Dest) {
        if let syn::Expr::Path(p) = e
            && let Some(ident) = p.path.get_ident()
        {
            self.responses
                .used(&ident.to_string(), span_range(p.span()).start);
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

    /// A `move` closure or `async move` block takes the locals it names:
    /// each goes wherever the closure or block goes (`dest`).
    pub(super) fn capture_moves(&mut self, body: &syn::Expr, dest: Dest) {
        if dest == Dest::Drop {
            return;
        }
        let mut used = HashSet::default();
        idents_in_expr(body, &mut used);
        for name in used {
            if let Some(var) = self.lookup(&name) {
                let slot = var.slot;
                if let Some(uses) = self.slot_uses.get_mut(slot) {
                    uses.push(dest);
                }
            }
        }
    }

    pub(super) fn place_dest(&mut self, place: &syn::Expr) -> Dest {
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

    /// The current function's calls with the flow, return points and argument
    /// sinks their values reach.
    pub(super) fn resolve_calls(&mut self) -> Vec<CallSite> {
        let mut calls = Vec::new();
        let pending = std::mem::take(&mut self.pending);
        for (mut call, dest) in pending {
            let mut reach = Reach::default();
            call.flow = self.resolve_dest(dest, &mut HashSet::default(), &mut reach);
            call.returns = reach.returns;
            call.passed_to = self.sinks(reach.sinks);
            calls.push(call);
        }
        calls
    }

    /// The return points that values made elsewhere reach.
    pub(super) fn stale_returns(&self) -> Vec<u32> {
        let mut stale_returns = Vec::new();
        for &d in &self.stale {
            let mut reach = Reach::default();
            self.resolve_dest(d, &mut HashSet::default(), &mut reach);
            stale_returns.extend(reach.returns);
        }
        stale_returns.sort_unstable();
        stale_returns.dedup();
        stale_returns
    }

    /// What the current function does with each parameter.
    pub(super) fn param_fates(&self) -> Vec<ParamFate> {
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
        params
    }
}
