//! Facts extracted from one file's syntax tree: every call site with its
//! callee, context and where its value goes; handler registrations; responses
//! and what happens to them on each path. Facts are owned data with byte
//! spans, so the syntax tree can be dropped once a file is walked.

use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::catalog::{ClientId, ConstructionKind, ResponseId};
use crate::source::FileId;

/// Key of a function: its canonical path (`mycrate::api::Api::fetch`).
/// Shared: the index holds one copy of each key, and every fact that names
/// the function holds a reference to it.
pub type FnKey = std::sync::Arc<str>;

/// The functions a call may reach. A method of a trait with many impls is
/// reached by many calls: they share one list (see `WorkspaceIndex::method_keys`).
pub type FnKeys = std::sync::Arc<[FnKey]>;

/// A callee list by address: calls that share a list (see `FnKeys`) share
/// whatever is derived from it, computed once per list.
pub fn list_address(keys: &FnKeys) -> usize {
    std::sync::Arc::as_ptr(keys).cast::<FnKey>() as usize
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Callee {
    /// A catalog construction.
    Catalog {
        client: ClientId,
        kind: ConstructionKind,
        /// The path as resolved (`reqwest::Client::new`).
        path: String,
    },
    /// A function of the workspace; several keys when cfg variants share it.
    Crate(FnKeys),
}

/// How a loop-like context repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LoopKind {
    For,
    While,
    Loop,
    /// A closure passed to an iterator or stream adapter.
    Closure,
    /// A closure run by a scheduler every tick.
    Periodic,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoopInfo {
    pub kind: LoopKind,
    /// The loop header (`for url in &urls`) or the adapter call (`.map`).
    pub header: Range<usize>,
    /// Start of the loop expression, where a hoisted statement goes.
    pub start: usize,
    /// The loop body awaits a timer tick (`interval.tick().await`).
    pub periodic: bool,
    /// What the adapter or scheduler is called (`map`, `Job::new_async`).
    pub what: String,
    /// The loop is a statement directly in a block (a hoist can go before it).
    pub statement: bool,
    /// The period in seconds, when the code shows it (a `sleep`/`interval`
    /// duration, a cron expression, a scheduler's `every`).
    pub period: Option<u64>,
    /// A reconnect or retry loop: each iteration connects and then runs a
    /// long consumer (an inner loop, a stream read to its end), or retries
    /// after a back-off until it succeeds.
    pub reconnect: bool,
    /// The loop runs a fixed, small number of times (`for x in [a, b]`,
    /// `for _ in 0..3`).
    pub fixed: Option<usize>,
    /// The loop leaves as soon as a response succeeds (`if resp.status()
    /// == StatusCode::OK { return .. }`): a search or a fallback over
    /// candidates, one request in the usual case.
    #[serde(default)]
    pub first_success: bool,
    /// The loop sits inside a loop of its function that repeats without
    /// end (`loop`, `while`, a scheduler's tick): it runs again every round.
    pub repeats: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Ctx {
    /// Straight-line code of the enclosing function.
    #[default]
    Body,
    /// Shared by every call and response of the loop.
    Loop(std::sync::Arc<LoopInfo>),
    /// A closure registered as a request handler.
    Handler {
        framework: usize,
        span: Range<usize>,
    },
    /// Runs once (static initializer, `get_or_init`, per-key cache, worker factory).
    Once,
}

/// Where the value of a call goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Flow {
    /// Used and dropped within the function.
    Dropped,
    /// Returned to the caller (directly or inside a returned value).
    Returned,
    /// Stored somewhere that outlives the call (field, static, collection, state).
    Stored,
}

/// The `let` statement a construction initializes, for the hoist fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetInfo {
    /// The whole statement, `let client = ...;`.
    pub stmt: Range<usize>,
    pub name: String,
    pub mutable: bool,
    /// The initializer has a `?` (hoisting moves the error before the loop).
    pub has_try: bool,
    /// The statement is directly in the loop body, not under an `if` or `match`.
    pub in_loop_body: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallSite {
    pub span: Range<usize>,
    pub callee: Callee,
    pub ctx: Ctx,
    pub flow: Flow,
    /// The initializer uses a name whose value changes per iteration.
    pub uses_loop_binding: bool,
    /// The initializer uses no name bound inside the loop, so it can move before it.
    pub hoistable: bool,
    /// (Boxed, like the other rare parts: a run holds millions of calls.)
    pub binding: Option<Box<LetInfo>>,
    /// The return points the value reaches (when `flow` is `Returned`).
    pub returns: Vec<u32>,
    /// For a builder chain: the call that starts it and the terminal method,
    /// to label a chain that spans several lines without underlining all of it.
    pub head: Option<Range<usize>>,
    pub terminal: Option<Range<usize>>,
    /// Workspace functions the value is passed to by argument: whether they
    /// keep it is known once every function is walked (see `CallGraph::flow`).
    pub passed_to: Vec<ArgSink>,
    /// A call of a local closure that builds: its name and where it builds.
    pub via_closure: Option<Box<(String, Range<usize>)>>,
    /// Built in the body of a local closure that a loop calls: the closure's
    /// name and the call in the loop (the construction runs there).
    pub called_at: Option<Box<(String, Range<usize>)>>,
    /// The `#[cfg(..)]` of the calling function, as written.
    pub cfg: Option<std::sync::Arc<str>>,
    /// The call uses a parameter of its function (or a local made from one)
    /// that is not application state: in a handler, a value from the request.
    pub uses_params: bool,
    /// The client sends a request to a host that the function's arguments
    /// give (`client.get(&url)` with `url` a parameter, or made from one).
    pub dest_from_args: bool,
    /// For a call of a workspace function: its arguments (by parameter
    /// position) whose host comes from the caller's parameter (by position).
    pub dest_args: Vec<(usize, usize)>,
    /// The call is in an arm of a `match` on its loop's item: it runs for
    /// one kind of item of a dispatch loop.
    pub dispatch: bool,
    /// The call is in an arm of a `match` that dispatches a parameter (or a
    /// value made from one) over the variants of an enum, outside any loop:
    /// one kind of command or event of a dispatcher. How often that kind
    /// comes, the code cannot show.
    pub kind_dispatch: bool,
    /// The builder chain gives the client session state of its own (the
    /// catalog's `session_methods`, such as `cookie_store(true)`): the method.
    pub session: Option<String>,
    /// The function is used as a value here (`get(handler)`,
    /// `routes!(handler)`, `.map(fetch)`): whoever gets it calls it.
    #[serde(default)]
    pub as_value: bool,
}

/// A value passed as argument `param` (receiver excluded) to a workspace function.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ArgSink {
    pub callee: FnKeys,
    pub param: usize,
}

/// What a function does with one of its parameters.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParamFate {
    /// Stored or returned: the value outlives the call.
    pub kept: bool,
    /// Passed on to other workspace functions.
    pub passed_to: Vec<ArgSink>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FnRole {
    Plain,
    /// `main`, `#[tokio::main]`: runs once.
    Entry,
    /// Marked a handler by attribute, signature or trait impl.
    Handler {
        framework: usize,
        why: String,
        /// Guessed from the signature (an extractor parameter), not declared
        /// by an attribute, a registration or a trait: a function that the
        /// workspace's own code calls is not one (`CallGraph::new`).
        #[serde(default)]
        guessed: bool,
    },
    /// A static or lazy initializer.
    Once,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FnFacts {
    pub key: FnKey,
    pub file: FileId,
    pub name: String,
    pub name_span: Range<usize>,
    pub role: FnRole,
    pub is_pub: bool,
    /// A method (`self` receiver): the only kind a method call can reach.
    pub has_self: bool,
    /// How many parameters it takes besides `self`: a method call reaches it
    /// only with as many arguments (unknown when an attribute macro may
    /// rewrite it: see `index::call_arity`).
    #[serde(default)]
    pub arity: Option<u32>,
    /// A method of an impl of another crate's trait: a call on a receiver
    /// typed by such a trait (`Box<dyn db_core::Store>`) may reach it.
    pub foreign_trait: bool,
    /// For a method of a trait impl, the trait's resolved path.
    pub trait_path: Option<String>,
    pub calls: Vec<CallSite>,
    pub responses: Vec<ResponseFact>,
    /// The function's return points that return a value (error returns excluded).
    pub return_points: Vec<u32>,
    /// Test code: read for its calls, never reported, never hot.
    pub is_test: bool,
    /// Per parameter (receiver excluded), in order.
    pub params: Vec<ParamFate>,
    /// The function's `#[cfg(..)]`, as written (variants of one name are
    /// told apart by it).
    pub cfg: Option<std::sync::Arc<str>>,
    /// Return points reached by a value made elsewhere (a kept client handed
    /// back by a get-or-create): the function is not a constructor.
    pub stale_returns: Vec<u32>,
    /// The body runs a long loop of its own (`loop`, `while let .. .await`):
    /// a worker or consumer that lives as long as its work.
    pub runs_long: bool,
    /// It builds its own async runtime (`#[tokio::main]` on a function other
    /// than `main`): with no caller in the workspace it is a program's entry,
    /// not public API called per request.
    pub own_runtime: bool,
    /// An associated function without a receiver that returns `Self` (or
    /// `Result<Self, _>`, `Option<Self>`): it builds a long-lived value, and
    /// a loop in it runs over that value's configuration.
    pub constructs_self: bool,
    /// For an associated function without a receiver of an inherent impl,
    /// the impl's type (`Foo` for `Foo::new`): a call names it (`Foo::new()`,
    /// `Self::new()` inside an impl of `Foo`, or an alias of `Foo`), since
    /// no method call or generic bound reaches such a function.
    pub static_of: Option<String>,
    /// It returns a response, and every response it produces answers an
    /// upload (`self.http.put(url).send().await` handed back to the caller).
    #[serde(default)]
    pub returns_upload: bool,
}

/// A function or closure registered with a framework or scheduler.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Registration {
    pub targets: Vec<FnKey>,
    pub framework: usize,
    pub periodic: bool,
    /// The period in seconds of a periodic registration, when the code shows it.
    pub period: Option<u64>,
    pub file: FileId,
    pub span: Range<usize>,
    /// What registered it (`get`, `Job::new_async`).
    pub what: String,
}

/// A response that is dropped unread on some path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseFact {
    pub response: ResponseId,
    /// Where the response is produced.
    pub span: Range<usize>,
    /// Variable name, when bound.
    pub name: Option<String>,
    /// The exits that drop it unread, with what path leads there.
    pub drops: Vec<DropSite>,
    /// The statement after which a drain can be inserted.
    pub insert_at: Option<usize>,
    pub awaited: bool,
    /// The context the response is produced in (a loop, a handler closure).
    pub ctx: Ctx,
    /// It answers a `PUT`: uploads usually answer with an empty body.
    pub upload: bool,
    /// The workspace functions whose call produced it (`self.notify(..).await`):
    /// when each of them returns an upload's answer, so does this.
    #[serde(default)]
    pub via: Vec<FnKey>,
    /// What was looked at before the drop: headers, and the status (or
    /// anything else that does not read the body).
    pub headers_read: bool,
    pub status_read: bool,
    /// A response taken by value as parameter `param` (receiver excluded).
    pub param: Option<usize>,
    /// Workspace functions it was handed to by value, unread.
    pub handoffs: Vec<HandOff>,
    /// The request went to a host that the function's parameter at this
    /// position (receiver excluded) gives.
    pub from_request: Option<usize>,
    /// Some drop is an error return on the failing branch of a status test:
    /// the error lacks the server's message that the body holds.
    pub error_message: bool,
    /// The variable holds the `Result` of the request (`res.is_err()` was
    /// asked of it): a drain takes the response out of it first.
    #[serde(default)]
    pub in_result: bool,
    /// The request went out on a client local of this function: where that
    /// client was bound, and whether it may send again after a drop.
    pub client: Option<ClientLocal>,
}

/// A client bound in the function that produced the response (or a request
/// made from one): `let http = Client::new(); http.get(u).send()`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientLocal {
    /// The `let` statement that bound it (the construction's `LetInfo::stmt`).
    pub stmt: Range<usize>,
    /// The client is used again after a drop (later in the function, or on
    /// the next turn of a loop inside its scope): the connection could be reused.
    pub reused: bool,
}

/// An unread response passed by value as argument `param` of a workspace
/// function: what that function does with its parameter decides the drop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandOff {
    pub callee: FnKeys,
    pub param: usize,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DropSite {
    pub span: Range<usize>,
    pub why: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FileFacts {
    pub file: FileId,
    pub fns: Vec<FnFacts>,
    pub registrations: Vec<Registration>,
    /// Names of method calls that resolved to nothing (receivers of unknown
    /// type): a method with such a name may have callers the graph misses.
    /// Each of the three method lists holds `name/arity` (`len/0`).
    pub unresolved_calls: std::collections::BTreeSet<String>,
    /// Names of method calls that resolved to nothing on a receiver typed by
    /// a trait with another crate's trait among its supertraits, or by
    /// another crate's trait (`Box<dyn db_core::Store>`): a method of an impl
    /// of another crate's trait may be called.
    pub unresolved_foreign_trait_calls: std::collections::BTreeSet<String>,
    /// `Trait::name` of method calls that resolved to nothing on a receiver
    /// typed by a workspace trait: a method of an impl of that trait or of
    /// one of its supertraits may be called (one entry per trait).
    pub unresolved_trait_calls: std::collections::BTreeSet<String>,
    /// Names of path calls that resolved to nothing (`T::run(x)`, a name from
    /// an import the index cannot follow): any function of that name may be
    /// the callee; `module::name` when a module qualifies the path (only a
    /// function of a module of that name may be); `Type::name` as well when
    /// a type does (only that path reaches an inherent `Type::name` without
    /// a receiver).
    pub unresolved_paths: std::collections::BTreeSet<String>,
}
