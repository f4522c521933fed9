//! The workspace call graph: function summaries (which functions return a
//! freshly built client, which keep the arguments they are given) and
//! contexts propagated along call edges (which functions run per request, per
//! item or per tick, with the shortest chain that shows why).
//!
//! Invariant: an edge exists only when a call resolves to one function key
//! (cfg variants of one key are told apart by their cfg text when the caller
//! has the same one, else count as one); unresolved and ambiguous calls add
//! nothing. Cycles terminate: every propagation is a monotone fixpoint.

use std::borrow::Cow;
use std::collections::VecDeque;

use rustc_hash::FxHashMap as HashMap;
use std::ops::Range;

use crate::catalog::ClientId;
use crate::facts::{
    ArgSink, CallSite, Callee, Ctx, FileFacts, Flow, FnFacts, FnRole, LoopInfo, LoopKind,
    Registration, list_address,
};
use crate::source::FileId;

/// Where a client is really built, for calls of wrapper functions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    pub client: ClientId,
    pub file: FileId,
    pub span: Range<usize>,
    /// The functions between the call and the construction, outermost first.
    pub through: Vec<String>,
    /// The catalog path called (`reqwest::Client::new`).
    pub path: Option<String>,
}

/// Why a function runs many times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HotRoot {
    Handler {
        name: String,
        file: FileId,
        span: Range<usize>,
        why: String,
        /// The handler's catalog entry, for a function with a handler role
        /// (an export to a foreign caller says who calls it).
        framework: Option<usize>,
    },
    Periodic {
        what: String,
        file: FileId,
        span: Range<usize>,
    },
    Loop {
        caller: String,
        file: FileId,
        span: Range<usize>,
        kind: LoopKind,
    },
    PublicApi {
        name: String,
    },
}

/// One step of a chain: `caller` calls the next function at `file:span`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub caller: String,
    pub file: FileId,
    pub span: Range<usize>,
}

/// The calls of a chain, shared between the chains that extend it: each
/// function's chain is its caller's plus one step, so a call chain of n
/// functions costs n steps in all, not n^2/2.
#[derive(Debug, Clone, Default)]
pub struct Steps {
    last: Option<std::sync::Arc<StepNode>>,
    len: usize,
}

#[derive(Debug)]
struct StepNode {
    step: Step,
    prev: Option<std::sync::Arc<StepNode>>,
}

impl Steps {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn push(&mut self, step: Step) {
        let prev = self.last.take();
        self.last = Some(std::sync::Arc::new(StepNode { step, prev }));
        self.len += 1;
    }

    /// The steps, outermost first.
    pub fn to_vec(&self) -> Vec<Step> {
        let mut out = Vec::with_capacity(self.len);
        let mut at = self.last.as_deref();
        while let Some(node) = at {
            out.push(node.step.clone());
            at = node.prev.as_deref();
        }
        out.reverse();
        out
    }
}

impl From<Vec<Step>> for Steps {
    fn from(steps: Vec<Step>) -> Steps {
        let mut out = Steps::default();
        for s in steps {
            out.push(s);
        }
        out
    }
}

impl PartialEq for Steps {
    fn eq(&self, other: &Steps) -> bool {
        self.len == other.len && self.to_vec() == other.to_vec()
    }
}

impl Eq for Steps {}

impl Drop for Steps {
    /// Iteratively: a long chain must not recurse once per step.
    fn drop(&mut self) {
        let mut next = self.last.take();
        while let Some(node) = next {
            match std::sync::Arc::try_unwrap(node) {
                Ok(mut node) => next = node.prev.take(),
                Err(_) => break,
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chain {
    pub root: HotRoot,
    /// Calls from the root down to the function, outermost first.
    pub steps: Steps,
    /// Why the chain does not show a per-request, per-item or short per-tick
    /// rate (a start-up loop, a slow tick, a reconnect loop): findings on it
    /// are left to the pedantic level.
    pub quiet: Option<String>,
}

impl Chain {
    /// Orders chains by the strength of their evidence: a non-quiet chain
    /// before a quiet one, a request handler before a loop or tick before
    /// public API, then the shortest. For a function that builds its client
    /// from its arguments (`configured`), a loop or tick shows the rate of
    /// that configuration and a handler does not (its arguments may be the
    /// request's): the loop comes first.
    fn rank(&self, configured: bool) -> (bool, u8, usize) {
        let kind = match self.root {
            HotRoot::Handler { .. } => u8::from(configured),
            HotRoot::Loop { .. } | HotRoot::Periodic { .. } => u8::from(!configured),
            HotRoot::PublicApi { .. } => 2,
        };
        (self.quiet.is_some(), kind, self.steps.len())
    }
}

/// Why a call in one arm of a dispatch loop is left to the pedantic level.
pub fn dispatch_quiet() -> String {
    "the call is in one arm of a `match` on the loop's item: how often that kind of item comes, the code cannot show".to_string()
}

/// Why a call in one arm of a command or event dispatcher (a `match` of
/// `caller` on a parameter over an enum's variants) is left to the pedantic
/// level.
pub fn kind_dispatch_quiet(caller: &str) -> String {
    format!(
        "`{caller}` makes the call in one arm of a `match` that dispatches its argument over the kinds of a command or event: how often that kind comes, the code cannot show"
    )
}

/// The call uses the loop's item (or a local made from it).
pub fn depends_on_item(call: &CallSite) -> bool {
    call.uses_loop_binding
}

/// Idle connections outlive a pause shorter than this (reqwest and hyper keep
/// an idle connection 90 s): a job or loop that runs at most once a minute
/// gains at most one handshake a minute from reuse.
pub const SLOW_TICK_SECS: u64 = 60;

/// Why a period is too long for reuse to matter, if it is.
pub fn slow_period(secs: u64) -> Option<String> {
    (secs >= SLOW_TICK_SECS).then(|| {
        let text = if secs.is_multiple_of(3600) {
            format!("{} h", secs / 3600)
        } else if secs.is_multiple_of(60) {
            format!("{} min", secs / 60)
        } else {
            format!("{secs} s")
        };
        format!(
            "runs every {text}: an idle pooled connection would be closed before the next run, so reuse gains nothing"
        )
    })
}

/// Who calls each function. Calls that reach a shared callee list whole
/// are kept once per list, so a trait method with many impls costs one
/// entry per call, not one per impl per call; calls that cfg narrows to
/// part of their list are kept per target.
struct Incoming<'c> {
    /// Per list: the calls that reach all of it.
    lists: Vec<Vec<Caller<'c>>>,
    /// Per function: the lists it is in, and the narrowed calls to it.
    by_fn: Vec<(Vec<u32>, Vec<Caller<'c>>)>,
}

/// A call: the calling function and the call site.
type Caller<'c> = (usize, &'c CallSite);

impl<'c> Incoming<'c> {
    fn of(&self, f: usize) -> impl Iterator<Item = &Caller<'c>> {
        let (lists, alone) = &self.by_fn[f];
        alone
            .iter()
            .chain(lists.iter().flat_map(|&l| self.lists[l as usize].iter()))
    }
}

/// A registration that makes a function a periodic job: what, where, its period.
pub type PeriodicRegistration = (String, FileId, Range<usize>, Option<u64>);

/// A registration that makes a function a handler: framework, where, and with what.
pub type HandlerRegistration = (usize, FileId, Range<usize>, String);

pub struct CallGraph<'a> {
    pub fns: Vec<&'a FnFacts>,
    pub by_key: HashMap<&'a str, Vec<usize>>,
    /// Per callee list of the calls (by address: the walk shares one list
    /// per `Type::method`, so a trait method with many impls is resolved
    /// once, not once per call): the functions it reaches.
    lists: HashMap<usize, Box<[usize]>>,
    /// Per function: its role after registrations are applied.
    pub roles: Vec<FnRole>,
    pub periodic: Vec<Option<PeriodicRegistration>>,
    pub registered_handler: Vec<Option<HandlerRegistration>>,
    /// Per function: the client it returns fresh, if any.
    pub returns_fresh: Vec<Option<Origin>>,
    /// Per function: why it is hot, shortest chain first.
    pub hot: Vec<Option<Chain>>,
    /// Per function: number of resolved callers.
    pub callers: Vec<usize>,
    /// Per function: a call the index could not resolve may reach it, so it
    /// may have callers the graph does not show.
    pub hidden_callers: Vec<bool>,
    /// Per function: it runs once per program run (see `compute_once`).
    pub once: Vec<bool>,
    /// Per function: it builds a client configured by its arguments
    /// (directly, or through a function it passes them to).
    pub configured_by_args: Vec<bool>,
    /// Per function and parameter: the function keeps the argument (stores
    /// or returns it, itself or through the functions it passes it to).
    pub keeps: Vec<Vec<bool>>,
    pub enabled: bool,
}

impl<'a> CallGraph<'a> {
    pub fn new(
        files: &'a [FileFacts],
        in_lib: impl Fn(&FnFacts) -> Option<bool>,
        public_api: Option<&[String]>,
        enabled: bool,
        links: &crate::packages::Links,
    ) -> CallGraph<'a> {
        let fns: Vec<&FnFacts> = files.iter().flat_map(|f| f.fns.iter()).collect();
        let mut by_key: HashMap<&str, Vec<usize>> = HashMap::default();
        for (i, f) in fns.iter().enumerate() {
            by_key.entry(&*f.key).or_default().push(i);
        }
        let mut lists: HashMap<usize, Box<[usize]>> = HashMap::default();
        for c in fns.iter().flat_map(|f| f.calls.iter()) {
            if let Callee::Crate(keys) = &c.callee {
                lists.entry(list_address(keys)).or_insert_with(|| {
                    keys.iter()
                        .flat_map(|k| by_key.get(&**k).into_iter().flatten().copied())
                        .collect()
                });
            }
        }
        let n = fns.len();
        let mut graph = CallGraph {
            roles: fns.iter().map(|f| f.role.clone()).collect(),
            fns,
            by_key,
            lists,
            periodic: vec![None; n],
            registered_handler: vec![None; n],
            returns_fresh: vec![None; n],
            hot: vec![None; n],
            callers: vec![0; n],
            hidden_callers: vec![false; n],
            once: vec![false; n],
            configured_by_args: vec![false; n],
            keeps: Vec::new(),
            enabled,
        };
        let registrations: Vec<&Registration> =
            files.iter().flat_map(|f| f.registrations.iter()).collect();
        for r in registrations {
            for key in &r.targets {
                for &i in graph.by_key.get(&**key).into_iter().flatten() {
                    if r.periodic {
                        graph.periodic[i] =
                            Some((r.what.clone(), r.file, r.span.clone(), r.period));
                    } else if graph.registered_handler[i].is_none() {
                        graph.registered_handler[i] =
                            Some((r.framework, r.file, r.span.clone(), r.what.clone()));
                    }
                }
            }
        }
        // A handler guessed from its signature that the workspace's own code
        // calls is a helper that takes the framework's types (a queue worker
        // handed `web::Data<Pool>`): its callers say how often it runs.
        let mut called = vec![false; n];
        for (i, f) in graph.fns.iter().enumerate().filter(|(_, f)| !f.is_test) {
            for c in f.calls.iter().filter(|c| !c.as_value) {
                for &t in graph.targets(c).iter().filter(|&&t| t != i) {
                    called[t] = true;
                }
            }
        }
        for (role, called) in graph.roles.iter_mut().zip(called) {
            if called && matches!(role, FnRole::Handler { guessed: true, .. }) {
                *role = FnRole::Plain;
            }
        }
        graph.compute_keeps();
        if enabled {
            graph.compute_summaries();
            let unresolved = Unresolved::new(files, links);
            graph.compute_hot(in_lib, public_api, &unresolved);
        }
        graph
    }

    /// The functions a call site reaches (empty when unresolved).
    pub fn targets(&self, call: &CallSite) -> Cow<'_, [usize]> {
        let all: &[usize] = match &call.callee {
            Callee::Crate(keys) => self.lists.get(&list_address(keys)).map_or(&[], |l| l),
            Callee::Catalog { .. } => &[],
        };
        // cfg is not evaluated, but variants of one name are kept apart: a
        // caller under `#[cfg(X)]` reaches the variant under the same `#[cfg(X)]`
        // (and those without a cfg) when there is one.
        if call.cfg.is_some() && all.iter().any(|&t| self.fns[t].cfg == call.cfg) {
            Cow::Owned(
                all.iter()
                    .copied()
                    .filter(|&t| self.fns[t].cfg.is_none() || self.fns[t].cfg == call.cfg)
                    .collect(),
            )
        } else {
            Cow::Borrowed(all)
        }
    }

    /// Where the value of a call goes, once the workspace functions it is
    /// passed to are known: one that keeps its argument makes it stored.
    pub fn flow(&self, call: &CallSite) -> Flow {
        if call.flow == Flow::Dropped && call.passed_to.iter().any(|s| self.sink_keeps(s)) {
            Flow::Stored
        } else {
            call.flow
        }
    }

    /// Some function the argument may go to keeps it: with several candidates,
    /// assume the one that keeps (no finding rather than a guess).
    fn sink_keeps(&self, sink: &ArgSink) -> bool {
        sink.callee.iter().any(|k| {
            self.by_key
                .get(&**k)
                .into_iter()
                .flatten()
                .any(|&t| self.keeps[t].get(sink.param).copied().unwrap_or(false))
        })
    }

    fn compute_keeps(&mut self) {
        self.keeps = self
            .fns
            .iter()
            .map(|f| f.params.iter().map(|p| p.kept).collect())
            .collect();
        // Passing a parameter on to a function that keeps it keeps it:
        // breadth-first from the kept parameters over who passes them.
        let mut passers: HashMap<(usize, usize), Vec<(usize, usize)>> = HashMap::default();
        let mut queue = Vec::new();
        for i in 0..self.fns.len() {
            for (p, fate) in self.fns[i].params.iter().enumerate() {
                if self.keeps[i][p] {
                    queue.push((i, p));
                }
                for sink in &fate.passed_to {
                    for k in sink.callee.iter() {
                        for &t in self.by_key.get(&**k).into_iter().flatten() {
                            passers.entry((t, sink.param)).or_default().push((i, p));
                        }
                    }
                }
            }
        }
        while let Some(kept) = queue.pop() {
            for &(i, p) in passers.get(&kept).into_iter().flatten() {
                if !self.keeps[i][p] {
                    self.keeps[i][p] = true;
                    queue.push((i, p));
                }
            }
        }
    }

    /// The client a call builds, directly or through a wrapper.
    pub fn builds(&self, call: &CallSite, file: FileId) -> Option<Origin> {
        match &call.callee {
            Callee::Catalog { client, path, .. } => Some(Origin {
                client: *client,
                file,
                span: call.span.clone(),
                through: Vec::new(),
                path: Some(path.clone()),
            }),
            Callee::Crate(_) if self.enabled => self
                .targets(call)
                .iter()
                .find_map(|&t| self.returns_fresh[t].clone()),
            Callee::Crate(_) => None,
        }
    }

    fn compute_summaries(&mut self) {
        // Fixpoint: a function returns fresh when a call whose value it returns builds a client.
        let mut changed = true;
        let mut rounds = 0;
        while changed && rounds < 64 {
            changed = false;
            rounds += 1;
            for i in 0..self.fns.len() {
                if self.returns_fresh[i].is_some() {
                    continue;
                }
                let f = self.fns[i];
                // Fresh only when every value the function returns is freshly built:
                // a get-or-create cache also returns what it stored earlier.
                let mut covered: Vec<u32> = Vec::new();
                let mut found = None;
                for c in f
                    .calls
                    .iter()
                    .filter(|c| c.flow == Flow::Returned && c.ctx != Ctx::Once)
                {
                    let Some(mut origin) = self.builds(c, f.file) else {
                        continue;
                    };
                    if matches!(c.callee, Callee::Crate(_)) {
                        let callee = self
                            .targets(c)
                            .first()
                            .map(|&t| self.fns[t].name.clone())
                            .unwrap_or_default();
                        origin.through.insert(0, callee);
                    }
                    covered.extend(c.returns.iter().copied());
                    found.get_or_insert(origin);
                }
                let all = !f.return_points.is_empty()
                    && f.return_points.iter().all(|p| covered.contains(p))
                    && !f.stale_returns.iter().any(|p| f.return_points.contains(p));
                if let Some(origin) = found.filter(|_| all) {
                    self.returns_fresh[i] = Some(origin);
                    changed = true;
                }
            }
        }
    }

    pub fn is_handler(&self, i: usize) -> bool {
        matches!(self.roles[i], FnRole::Handler { .. }) || self.registered_handler[i].is_some()
    }

    /// Functions that run only once per program run: entry points, run-once
    /// initializers, and functions whose every caller runs once and calls them
    /// from its body or from a loop over a collection (a start-up loop over
    /// configuration). Handlers and jobs never do.
    /// A function whose name is also called on receivers of unknown type
    /// (`hidden_callers`, from `Unresolved::may_call`) may have callers the
    /// graph does not see: it is never proven to run once.
    fn compute_once(&mut self, incoming: &Incoming) {
        let n = self.fns.len();
        // A function that builds its own runtime (`#[tokio::main] fn run`)
        // and that nothing but test code calls is a program's entry point.
        self.once = (0..n)
            .map(|i| {
                matches!(self.roles[i], FnRole::Entry | FnRole::Once)
                    || self.fns[i].own_runtime && incoming.of(i).all(|&(c, _)| self.fns[c].is_test)
            })
            .collect();
        // A worklist, not rounds over every function: a function is checked
        // again only when one of its callers became run-once, so a long call
        // chain costs its length, not its length squared.
        let mut queue: Vec<usize> = (0..n).rev().collect();
        let mut queued = vec![true; n];
        while let Some(i) = queue.pop() {
            queued[i] = false;
            // Its name called on an unknown receiver hides no caller of a
            // function that builds its own runtime: it cannot run inside
            // another runtime's task, so it is no trait object's method.
            if self.once[i]
                || incoming.of(i).next().is_none()
                || !self.fns[i].own_runtime && self.hidden_callers[i]
                || self.is_handler(i)
                || self.periodic[i].is_some()
            {
                continue;
            }
            // Test code calls anything; it says nothing about how often
            // the program runs it.
            let mut callers = incoming
                .of(i)
                .filter(|(c, _)| !self.fns[*c].is_test)
                .peekable();
            if callers.peek().is_none() {
                continue;
            }
            let all_once = callers.all(|&(caller, c)| {
                self.once[caller]
                    && match &c.ctx {
                        Ctx::Body | Ctx::Once => true,
                        Ctx::Loop(info) => {
                            self.startup_loop(caller, info)
                                || self.restart_loop(caller, info)
                                || info.reconnect
                                || info.period.and_then(slow_period).is_some()
                        }
                        Ctx::Handler { .. } => false,
                    }
            });
            if all_once {
                self.once[i] = true;
                for c in &self.fns[i].calls {
                    for &t in self.targets(c).iter() {
                        if !queued[t] {
                            queued[t] = true;
                            queue.push(t);
                        }
                    }
                }
            }
        }
    }

    /// A call in a loop over a collection (`for`, an iterator closure) of a
    /// function that runs once, which depends on the item (per configured
    /// backend, source or proxy): it runs once per configured item, at start-up.
    fn startup_loop(&self, fn_index: usize, info: &LoopInfo) -> bool {
        self.once.get(fn_index).copied().unwrap_or(false)
            && matches!(info.kind, LoopKind::For | LoopKind::Closure)
            && !info.repeats
    }

    /// Which functions build a client from their arguments: a construction
    /// (not a one-shot request helper) that uses a parameter, or a call that
    /// passes a parameter to such a function (not itself); breadth-first
    /// from the first kind over the callers of each function.
    fn compute_configured_by_args(&mut self) {
        let mut callers: Vec<Vec<usize>> = vec![Vec::new(); self.fns.len()];
        let mut queue = Vec::new();
        for i in 0..self.fns.len() {
            for c in self.fns[i].calls.iter().filter(|c| c.uses_params) {
                match &c.callee {
                    Callee::Catalog { kind, .. } => {
                        if *kind != crate::catalog::ConstructionKind::OneShot
                            && !self.configured_by_args[i]
                        {
                            self.configured_by_args[i] = true;
                            queue.push(i);
                        }
                    }
                    Callee::Crate(_) => {
                        for &t in self.targets(c).iter().filter(|&&t| t != i) {
                            callers[t].push(i);
                        }
                    }
                }
            }
        }
        while let Some(t) = queue.pop() {
            for &i in &callers[t] {
                if !self.configured_by_args[i] {
                    self.configured_by_args[i] = true;
                    queue.push(i);
                }
            }
        }
    }

    /// A `loop`/`while` whose iterations call a long-running function of the
    /// workspace (one that loops until an error): a restart loop, which runs
    /// once per restart.
    fn restart_loop(&self, fn_index: usize, info: &LoopInfo) -> bool {
        matches!(info.kind, LoopKind::Loop | LoopKind::While)
            && self.fns[fn_index].calls.iter().any(|c| {
                matches!(&c.ctx, Ctx::Loop(l) if l.header == info.header)
                    && self.targets(c).iter().any(|&t| self.fns[t].runs_long)
            })
    }

    /// Why a loop of function `fn_index` does not run per item or per short
    /// tick, when the code shows it: the default level stays silent there.
    /// `depends_on_item`: what runs in the loop uses a name bound in it.
    pub fn loop_quiet(
        &self,
        fn_index: usize,
        info: &LoopInfo,
        depends_on_item: bool,
    ) -> Option<String> {
        if info.reconnect {
            return Some(
                "the loop reconnects or retries: each iteration connects once and then consumes until the connection ends, or backs off and tries again"
                    .to_string(),
            );
        }
        if let Some(why) = info.period.and_then(slow_period) {
            return Some(format!("the loop {why}"));
        }
        if info.first_success {
            return Some(
                "the loop stops at the first response that succeeds (a search or a fallback over candidates): it makes one request in the usual case"
                    .to_string(),
            );
        }
        if self.restart_loop(fn_index, info) {
            return Some(
                "the loop restarts a long-running function (one that loops until an error), so it runs once per restart"
                    .to_string(),
            );
        }
        if let Some(n) = info.fixed {
            return Some(format!("the loop runs a fixed {n} times"));
        }
        // A loop over a collection in a function that runs once: start-up
        // or a one-shot command, once per configured item.
        if self.startup_loop(fn_index, info) {
            return Some(format!(
                "`{}` runs once (it is reached only from `main`, start-up or an initializer), so this loop runs once per configured item of a start-up or one-shot command",
                self.fns[fn_index].name
            ));
        }
        // A loop in a constructor (`Storage::from_config(..) -> Result<Self>`)
        // runs over the configuration of the value it builds: once per
        // configured part, per construction, unless constructions run hot.
        if self.fns[fn_index].constructs_self
            && matches!(info.kind, LoopKind::For | LoopKind::Closure)
            && !info.repeats
            && !self.runs_hot(fn_index)
        {
            return Some(format!(
                "`{}` builds a long-lived value (it returns `Self`), so this loop runs once per configured part of it, and nothing shows that it is built per request or per tick",
                self.fns[fn_index].name
            ));
        }
        // A client configured by the loop's item (one per backend, address or
        // key) is one client per key: correct unless the function runs hot.
        let over_items = matches!(info.kind, LoopKind::For | LoopKind::Closure);
        if depends_on_item && over_items && !self.runs_hot(fn_index) {
            return Some(format!(
                "the client is configured by the loop's item (one per configured backend, address or key), and nothing shows that `{}` runs per request or per tick",
                self.fns[fn_index].name
            ));
        }
        // A loop over a collection in a function the workspace calls, where no
        // caller shows a per-request, per-item or short per-tick rate (only
        // start-up, rare commands and events, slow ticks): once per item of a
        // rare run. (A hot caller found in a later round makes the loop a
        // default root again: `set_hot` prefers a non-quiet chain.)
        if over_items
            && !info.repeats
            && self.callers[fn_index] > 0
            && !self.hidden_callers[fn_index]
            && !self.recurses_in_loop(fn_index)
            && !self.runs_hot(fn_index)
        {
            return Some(format!(
                "nothing in the call graph shows that `{}` runs per request, per item or per short tick (its callers in view run at start-up, for one kind of command or event, on a slow tick, or are reached only through calls the index cannot resolve), so how often this loop runs the code cannot show",
                self.fns[fn_index].name
            ));
        }
        None
    }

    /// The function calls itself from one of its loops (a crawl over links):
    /// it runs once per item of a growing tree, whatever starts it.
    fn recurses_in_loop(&self, fn_index: usize) -> bool {
        self.fns[fn_index]
            .calls
            .iter()
            .any(|c| matches!(c.ctx, Ctx::Loop(_)) && self.targets(c).contains(&fn_index))
    }

    /// A long-running workspace function (a consumer with its own loop) that
    /// the value of `call` is handed to, if any.
    pub fn consumed_by(&self, call: &CallSite) -> Option<&str> {
        call.passed_to.iter().find_map(|sink| {
            sink.callee.iter().find_map(|k| {
                self.by_key
                    .get(&**k)
                    .into_iter()
                    .flatten()
                    .find(|&&t| self.fns[t].runs_long)
                    .map(|&t| self.fns[t].name.as_str())
            })
        })
    }

    fn compute_hot(
        &mut self,
        in_lib: impl Fn(&FnFacts) -> Option<bool>,
        public_api: Option<&[String]>,
        unresolved: &Unresolved,
    ) {
        let n = self.fns.len();
        let mut queue: VecDeque<usize> = VecDeque::new();
        // Callers of each function (the edges out of a function are its
        // calls' targets, shared per callee list, so they are not copied).
        let mut incoming = Incoming {
            lists: Vec::new(),
            by_fn: vec![(Vec::new(), Vec::new()); n],
        };
        let mut list_index: HashMap<usize, u32> = HashMap::default();
        for i in 0..n {
            let f = self.fns[i];
            for c in &f.calls {
                let Callee::Crate(keys) = &c.callee else {
                    continue;
                };
                match self.targets(c) {
                    Cow::Borrowed(targets) => {
                        let next = incoming.lists.len() as u32;
                        let l = *list_index.entry(list_address(keys)).or_insert(next);
                        if l == next {
                            incoming.lists.push(Vec::new());
                            for &t in targets {
                                incoming.by_fn[t].0.push(l);
                            }
                        }
                        incoming.lists[l as usize].push((i, c));
                    }
                    Cow::Owned(targets) => {
                        for t in targets {
                            incoming.by_fn[t].1.push((i, c));
                        }
                    }
                }
            }
        }
        self.callers = (0..n).map(|t| incoming.of(t).count()).collect();
        self.compute_configured_by_args();
        self.hidden_callers = self.fns.iter().map(|f| unresolved.may_call(f)).collect();
        self.compute_once(&incoming);
        // Roots: handlers, periodic jobs, calls from loops and handler closures.
        for i in 0..n {
            let f = self.fns[i];
            if self.is_handler(i) {
                let (file, span, why, framework) =
                    match (&self.roles[i], &self.registered_handler[i]) {
                        (FnRole::Handler { why, framework, .. }, _) => {
                            (f.file, f.name_span.clone(), why.clone(), Some(*framework))
                        }
                        (_, Some((_, file, span, what))) => (
                            *file,
                            span.clone(),
                            format!("it is registered with `{what}`"),
                            None,
                        ),
                        _ => (f.file, f.name_span.clone(), String::new(), None),
                    };
                self.set_hot(
                    i,
                    Chain {
                        root: HotRoot::Handler {
                            name: f.name.clone(),
                            file,
                            span,
                            why,
                            framework,
                        },
                        steps: Steps::default(),
                        quiet: None,
                    },
                    &mut queue,
                );
            } else if let Some((what, file, span, period)) = self.periodic[i].clone() {
                let quiet = period
                    .and_then(slow_period)
                    .map(|why| format!("the job scheduled with `{what}` {why}"));
                self.set_hot(
                    i,
                    Chain {
                        root: HotRoot::Periodic { what, file, span },
                        steps: Steps::default(),
                        quiet,
                    },
                    &mut queue,
                );
            }
        }
        // Public functions of a library nobody in the workspace calls.
        if let Some(entry_names) = public_api {
            for i in 0..n {
                let f = self.fns[i];
                let short = f.key.rsplit("::").next().unwrap_or_default();
                if self.hot[i].is_none()
                    && !entry_names.iter().any(|n| n == short)
                    && f.is_pub
                    && self.callers[i] == 0
                    && !self.hidden_callers[i]
                    && f.role == FnRole::Plain
                    && !f.own_runtime
                    && let Some(used_in_workspace) = in_lib(f)
                {
                    // A library the workspace's own crates use has its callers
                    // in view: a public function none of them calls is more
                    // likely dead or one-shot than called per request.
                    let quiet = used_in_workspace.then(|| {
                        format!(
                            "`{}` is public API of a library whose callers are all in this workspace (its crates use it, or it is not published), and none of them calls it",
                            f.name
                        )
                    });
                    self.set_hot(
                        i,
                        Chain {
                            root: HotRoot::PublicApi {
                                name: f.name.clone(),
                            },
                            steps: Steps::default(),
                            quiet,
                        },
                        &mut queue,
                    );
                }
            }
        }
        // Loop roots depend on how often their function runs (an item-dependent
        // call is per configured item unless the function itself is hot), so
        // they are added in rounds until nothing improves.
        let mut targets = Vec::new();
        self.propagate(&mut queue);
        loop {
            let mut changed = false;
            for i in 0..n {
                let f = self.fns[i];
                if f.is_test {
                    continue;
                }
                // Only calls in loops and handler closures are roots.
                let roots = f
                    .calls
                    .iter()
                    .filter(|c| matches!(c.ctx, Ctx::Loop(_) | Ctx::Handler { .. }));
                for c in roots {
                    targets.clear();
                    targets.extend_from_slice(&self.targets(c));
                    for &t in &targets {
                        let (root, quiet) = match &c.ctx {
                            Ctx::Loop(info) => {
                                let quiet = self
                            .loop_quiet(i, info, depends_on_item(c) && t != i && self.configured_by_args[t])
                            .or_else(|| c.dispatch.then(dispatch_quiet))
                            .or_else(|| {
                                self.fns[t].runs_long.then(|| format!(
                                    "`{}` runs a long loop of its own, so starting it once per iteration starts one worker per item, not one request",
                                    self.fns[t].name
                                ))
                            });
                                (
                                    HotRoot::Loop {
                                        caller: f.name.clone(),
                                        file: f.file,
                                        span: info.header.clone(),
                                        kind: info.kind,
                                    },
                                    quiet,
                                )
                            }
                            Ctx::Handler { span, .. } => (
                                HotRoot::Handler {
                                    name: "closure".into(),
                                    file: f.file,
                                    span: span.clone(),
                                    why: "the closure is registered as a request handler".into(),
                                    framework: None,
                                },
                                None,
                            ),
                            _ => continue,
                        };
                        let chain = Chain {
                            root,
                            steps: Steps::from(vec![Step {
                                caller: f.name.clone(),
                                file: f.file,
                                span: c.span.clone(),
                            }]),
                            quiet,
                        };
                        changed |= self.set_hot(t, chain, &mut queue);
                    }
                }
            }
            self.propagate(&mut queue);
            if !changed {
                break;
            }
        }
    }

    /// Propagates hot chains along plain body calls, best chain first: a
    /// non-quiet root before a quiet one, a handler before a loop before
    /// public API, then the shortest.
    fn propagate(&mut self, queue: &mut VecDeque<usize>) {
        let mut targets = Vec::new();
        while let Some(i) = queue.pop_front() {
            let Some(chain) = self.hot[i].clone() else {
                continue;
            };
            let f = self.fns[i];
            if matches!(self.roles[i], FnRole::Entry | FnRole::Once) {
                continue;
            }
            for c in f.calls.iter().filter(|c| c.ctx == Ctx::Body) {
                targets.clear();
                targets.extend_from_slice(&self.targets(c));
                for &t in &targets {
                    let mut next = chain.clone();
                    if c.kind_dispatch && next.quiet.is_none() {
                        next.quiet = Some(kind_dispatch_quiet(&f.name));
                    }
                    next.steps.push(Step {
                        caller: f.name.clone(),
                        file: f.file,
                        span: c.span.clone(),
                    });
                    self.set_hot(t, next, queue);
                }
            }
        }
    }

    fn set_hot(&mut self, i: usize, chain: Chain, queue: &mut VecDeque<usize>) -> bool {
        let better = match &self.hot[i] {
            None => true,
            Some(old) => {
                let configured = self.configured_by_args[i];
                chain.rank(configured) < old.rank(configured)
            }
        };
        if better && !matches!(self.roles[i], FnRole::Entry | FnRole::Once) && !self.fns[i].is_test
        {
            self.hot[i] = Some(chain);
            queue.push_back(i);
            return true;
        }
        false
    }

    /// The function runs per request, per item or per short tick, as far as
    /// the call graph shows.
    pub fn runs_hot(&self, i: usize) -> bool {
        self.is_handler(i) || self.hot[i].as_ref().is_some_and(|c| c.quiet.is_none())
    }
}

/// The packages (by index, `None` outside any) that make calls of a name.
pub type Callers<'a> = HashMap<&'a str, std::collections::BTreeSet<Option<usize>>>;

/// Calls the index could not resolve, by the name they call and the
/// packages that make them: functions of that name in a package linked with
/// one of those may have callers that the graph does not show.
pub struct Unresolved<'a> {
    /// Method calls on receivers of unknown type: they reach methods only.
    pub methods: Callers<'a>,
    /// Method calls on a receiver typed by another crate's trait (`Box<dyn
    /// db_core::Store>`): they reach only methods of impls of other crates'
    /// traits (that trait, or one of its supertraits), not a same-named
    /// method of an inherent impl or of an impl of a workspace trait.
    pub foreign_trait_methods: Callers<'a>,
    /// Path calls (`T::run(x)`, names from imports the index cannot follow):
    /// a bare name, or `module::name` for a path qualified by a module, which
    /// reaches only functions of a module of that name (`soldeer::run()`, a
    /// function of another crate, hides no caller of `forge::args::run`).
    pub paths: Callers<'a>,
    /// `Trait::name` of method calls on a receiver typed by a workspace trait
    /// (one entry for the trait and each of its supertraits): they reach
    /// methods of impls of those traits.
    pub trait_methods: Callers<'a>,
    pub links: &'a crate::packages::Links,
}

impl<'a> Unresolved<'a> {
    pub fn new(files: &'a [FileFacts], links: &'a crate::packages::Links) -> Unresolved<'a> {
        let names = |of: fn(&'a FileFacts) -> &'a std::collections::BTreeSet<String>| {
            let mut out = Callers::default();
            for f in files {
                let package = links.package(f.file);
                for name in of(f) {
                    out.entry(name.as_str()).or_default().insert(package);
                }
            }
            out
        };
        Unresolved {
            methods: names(|f| &f.unresolved_calls),
            foreign_trait_methods: names(|f| &f.unresolved_foreign_trait_calls),
            trait_methods: names(|f| &f.unresolved_trait_calls),
            paths: names(|f| &f.unresolved_paths),
            links,
        }
    }

    pub fn may_call(&self, f: &FnFacts) -> bool {
        let mut segs = f.key.rsplit("::");
        let short = segs.next().unwrap_or_default();
        // A method call with as many arguments as it has parameters (any
        // call of its name when an attribute may change them).
        let called = match f.arity {
            Some(n) => format!("{short}/{n}"),
            None => short.to_string(),
        };
        let to = self.links.package(f.file);
        let reaches = |calls: &Callers<'_>, name: &str| {
            calls
                .get(name)
                .into_iter()
                .flatten()
                .any(|&from| self.links.can_call(from, to))
        };
        let qualified = segs
            .next()
            .is_some_and(|parent| reaches(&self.paths, &format!("{parent}::{short}")));
        // An inherent associated function without a receiver (`Foo::new`)
        // is reached only by a path that names its type: a bare name
        // (`T::new()` on a generic, an imported function) cannot. A method
        // is never reached by a bare name (`run(x)`), only by one after a
        // type (`T::run(x)`).
        let by_path = || {
            reaches(&self.paths, &format!("::{short}"))
                || !f.has_self && reaches(&self.paths, short)
        };
        qualified
            || f.static_of.is_none() && by_path()
            || f.has_self
                && (reaches(&self.methods, &called)
                    || f.foreign_trait && reaches(&self.foreign_trait_methods, &called)
                    || f.trait_path
                        .as_ref()
                        .is_some_and(|t| reaches(&self.trait_methods, &format!("{t}::{called}"))))
    }
}
