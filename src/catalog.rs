//! The library catalog: which paths build an expensive client, which values are
//! HTTP responses and what reads their body, what marks a request handler, a
//! periodic job or a run-once context.
//!
//! The facts live as data in `lints/catalog/*.toml` (embedded in the binary) and
//! can be extended from the user's config. This module parses them once into
//! lookup tables; nothing else in connlint names a library.
//!
//! Paths are written the way a user imports them (`reqwest::Client::new`). A
//! segment may hold `*` as a wildcard (`aws_sdk_*::Client::new`), and a leading
//! `**` segment matches any prefix (`**::*_client::*Client::connect`).

use std::collections::HashMap;

use serde::Deserialize;

/// One `lints/catalog/<library>.toml` file.
#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct CatalogFile {
    /// Cargo package names this file is about (`reqwest`, `hyper-util`).
    #[serde(default)]
    pub packages: Vec<String>,
    /// Versions the facts were checked against.
    #[serde(default)]
    pub version: String,
    /// Path prefixes that name the same items as another prefix (re-exports):
    /// `"tokio_rustls::rustls" = "rustls"`.
    #[serde(default)]
    pub reexports: HashMap<String, String>,
    #[serde(default)]
    pub client: Vec<ClientSpec>,
    #[serde(default)]
    pub cheap: Vec<CheapSpec>,
    #[serde(default)]
    pub response: Vec<ResponseSpec>,
    #[serde(default)]
    pub handler: Vec<HandlerSpec>,
    #[serde(default)]
    pub periodic: Vec<PeriodicSpec>,
    #[serde(default)]
    pub contexts: Option<ContextSpec>,
    /// What a construction of each client kind throws away (`http_client`).
    #[serde(default)]
    pub kinds: HashMap<String, String>,
}

/// An expensive client or connector kind.
#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct ClientSpec {
    /// Display name used in messages (`reqwest::Client`).
    pub name: String,
    /// `http_client`, `db_pool`, `tls_connector`, ...
    pub kind: String,
    /// Types of the built value (for annotations, fields, `Default::default()`).
    #[serde(default)]
    pub types: Vec<String>,
    /// Functions and associated functions that return a ready client.
    #[serde(default)]
    pub constructors: Vec<String>,
    /// Free functions that build a throw-away client for a single request.
    #[serde(default)]
    pub one_shots: Vec<String>,
    /// Builder chains: a start call, then a terminal method builds the client.
    #[serde(default)]
    pub builders: Vec<BuilderSpec>,
    /// `Type::method`: a method called on a value of `Type` that builds the
    /// client (`redis::Client::get_connection`).
    #[serde(default)]
    pub methods: Vec<String>,
    /// What one construction costs (shown in the note).
    pub cost: String,
    /// How to fix it (shown in the help).
    pub fix: String,
    /// Constructors (catalog paths, as `constructors`) that return the client
    /// itself and cannot fail: for them the `static` `LazyLock` fix is
    /// machine-applicable (`--fix`); any other gets `MaybeIncorrect`.
    #[serde(default)]
    pub infallible: Vec<String>,
    /// Whether the built value is a cheap-to-clone handle.
    #[serde(default = "yes")]
    pub clone_cheap: bool,
    /// Whether the value is `Send + Sync` (so it can live in a `static`).
    #[serde(default = "yes")]
    pub send_sync: bool,
    /// Why building this client per event is usually fine (it serves rare
    /// events, or keeps no useful pool between them): its findings are left
    /// to the pedantic level.
    #[serde(default)]
    pub rare: Option<String>,
    /// Link to the fact in the library's source.
    #[serde(default)]
    pub source: String,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct BuilderSpec {
    /// Calls that start a builder (`reqwest::Client::builder`).
    #[serde(default)]
    pub starts: Vec<String>,
    /// Type of the builder value, for builders passed around or returned by helpers.
    #[serde(default)]
    pub types: Vec<String>,
    /// Methods that finish the builder and build the client.
    pub terminals: Vec<String>,
}

/// A look-alike that must never be reported. Documentation and fixture input only:
/// a path that is not listed as a construction never fires.
#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct CheapSpec {
    pub paths: Vec<String>,
    pub why: String,
    #[serde(default)]
    pub source: String,
}

/// An HTTP response kind and what reads its body.
#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct ResponseSpec {
    pub name: String,
    /// Types of the response value.
    #[serde(default)]
    pub types: Vec<String>,
    /// Values that become a request when sent: `{ receiver, methods, returns }`.
    #[serde(default)]
    pub requests: Vec<RequestSpec>,
    /// Free functions that return a request value (`ureq::get`, `surf::get`).
    #[serde(default)]
    pub request_functions: Vec<String>,
    /// Calls that hand back a response.
    #[serde(default)]
    pub producers: Vec<ProducerSpec>,
    /// Methods on the response that read the body to its end.
    #[serde(default)]
    pub body_reads: Vec<String>,
    /// Free functions that read a body passed to them by value (`hyper::body::to_bytes`).
    #[serde(default)]
    pub body_read_functions: Vec<String>,
    /// Methods that read the body only when called in a loop until exhausted.
    #[serde(default)]
    pub body_read_loops: Vec<String>,
    /// Methods that move the body (or the response) out; the new owner decides.
    #[serde(default)]
    pub body_moves: Vec<String>,
    /// Methods that return the response on success and drop it (body unread) on error.
    #[serde(default)]
    pub drops_on_error: Vec<String>,
    /// Methods that only look at the status line and headers.
    #[serde(default)]
    pub head_only: Vec<String>,
    /// Request methods whose response has no body (`head`).
    #[serde(default)]
    pub no_body_methods: Vec<String>,
    /// What an unread drop does to the connection.
    pub unread_effect: String,
    /// The drain to suggest; `{resp}` is replaced by the variable name.
    #[serde(default)]
    pub drain: String,
    /// False for libraries where an unread body costs nothing (no pool).
    #[serde(default = "yes")]
    pub lint: bool,
    #[serde(default)]
    pub source: String,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct RequestSpec {
    /// Type the methods are called on (a client type).
    pub receiver: String,
    pub methods: Vec<String>,
    /// Type of the request value they return.
    pub returns: String,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct ProducerSpec {
    /// Type the method is called on; empty for a free function.
    #[serde(default)]
    pub receiver: String,
    /// Method name, or a free function path when `receiver` is empty.
    #[serde(default)]
    pub method: String,
    #[serde(default)]
    pub function: String,
    /// Whether the call returns a future that resolves to the response.
    #[serde(default)]
    pub awaited: bool,
}

/// What marks a request handler of one framework.
#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct HandlerSpec {
    pub framework: String,
    /// `handler`, `message` (per-message consumer), `middleware`.
    #[serde(default)]
    pub kind: String,
    /// Attributes on a fn that make it a handler (`actix_web::get`). A bare
    /// name (`get`) matches the attribute's last segment when the crate uses
    /// the framework.
    #[serde(default)]
    pub attributes: Vec<String>,
    /// Attributes on an impl block that make every method with one of
    /// `method_attributes` a handler (poem-openapi `#[OpenApi]`).
    #[serde(default)]
    pub impl_attributes: Vec<String>,
    #[serde(default)]
    pub method_attributes: Vec<String>,
    /// Free functions whose argument is a handler (`axum::routing::get`, arg 0).
    #[serde(default)]
    pub functions: Vec<ArgSpec>,
    /// Methods whose argument is a handler, when the receiver chain starts at one of `roots`.
    #[serde(default)]
    pub methods: Vec<MethodArgSpec>,
    /// Parameter types that make an async fn a handler (extractors).
    #[serde(default)]
    pub extractors: Vec<String>,
    /// Trait methods that run per request (`tower::Service::call`).
    #[serde(default)]
    pub trait_methods: Vec<String>,
    /// When set, a trait method is a handler only if one of its parameters is
    /// of a type with one of these names (`Request`): a `Service<Target>` that
    /// opens connections is not a request handler.
    #[serde(default)]
    pub request_params: Vec<String>,
    /// A trait whose path has a module segment ending in this suffix is a
    /// generated service trait: every method is a handler (tonic `*_server`).
    #[serde(default)]
    pub trait_module_suffix: String,
    /// Closures that run once (per worker), not per request.
    #[serde(default)]
    pub once_functions: Vec<ArgSpec>,
    /// Cargo packages that gate this entry's bare attribute names, when they
    /// differ from the file's `packages` (one file of foreign exports).
    #[serde(default)]
    pub packages: Vec<String>,
    /// For `kind = "export"`: who calls the exported function (`Python`); the
    /// function runs once per call from there. An export attribute matches in
    /// any form (`#[no_mangle]`, `#[pyfunction(name = "f")]`).
    #[serde(default)]
    pub caller: String,
    /// The attribute exports the function only when it is declared `extern`
    /// (`#[no_mangle] extern "C" fn`).
    #[serde(default)]
    pub requires_extern: bool,
    /// Arguments that make the attribute mark a run-once entry point instead
    /// (`#[wasm_bindgen(start)]`).
    #[serde(default)]
    pub entry_arguments: Vec<String>,
    #[serde(default)]
    pub source: String,
}

impl HandlerSpec {
    /// The function runs once per call from a foreign caller, not per request.
    pub fn is_export(&self) -> bool {
        self.kind == "export"
    }

    /// What one run of the handler answers: `request`, `call from Python`.
    pub fn per(&self) -> String {
        if self.is_export() {
            format!("call from {}", self.caller)
        } else {
            "request".to_string()
        }
    }
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct ArgSpec {
    pub path: String,
    /// Index of the argument that is the handler/closure.
    pub arg: usize,
}

#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct MethodArgSpec {
    pub names: Vec<String>,
    pub arg: usize,
    /// The receiver chain must start at a call to one of these paths (or at
    /// a value whose type is one of them).
    #[serde(default)]
    pub roots: Vec<String>,
}

/// Periodic jobs: closures that run every tick.
#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct PeriodicSpec {
    pub library: String,
    #[serde(default)]
    pub functions: Vec<ArgSpec>,
    #[serde(default)]
    pub methods: Vec<MethodArgSpec>,
    /// Calls that, awaited inside a loop, make it a periodic loop (`tick`).
    #[serde(default)]
    pub loop_markers: Vec<String>,
    #[serde(default)]
    pub source: String,
}

/// Language-level contexts: loops over iterators, run-once initializers, escapes.
#[derive(Debug, Default, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub struct ContextSpec {
    /// Iterator/stream adapter methods whose closure runs per item, whatever the receiver.
    #[serde(default)]
    pub per_item_methods: Vec<String>,
    /// Event registrations whose closure runs once per event, for as long as
    /// the program runs (`subscribe`, `on_message`): never a start-up loop.
    #[serde(default)]
    pub event_methods: Vec<String>,
    /// Adapter methods that also exist on `Option`/`Result`/`Future` (`map`,
    /// `then`): per item only when the receiver chain has an iterator source.
    #[serde(default)]
    pub per_item_methods_with_source: Vec<String>,
    /// Methods and functions that produce an iterator or stream.
    #[serde(default)]
    pub iterator_sources: Vec<String>,
    /// Methods that end an iterator in one value (`next`, `find`, `count`):
    /// what a chain makes of that value runs once.
    #[serde(default)]
    pub iterator_consumers: Vec<String>,
    #[serde(default)]
    pub iterator_source_functions: Vec<String>,
    /// Functions that make a channel pair (`flume::bounded`): given a
    /// turbofish (`::<T>`), both ends carry items of `T`.
    #[serde(default)]
    pub channel_functions: Vec<String>,
    /// Channel end types (`tokio::sync::mpsc::Receiver`): a `Receiver<T>`
    /// carries items of `T`.
    #[serde(default)]
    pub channel_types: Vec<String>,
    /// Methods of a channel end that hand over one item (`recv`, `recv_async`).
    #[serde(default)]
    pub receive_methods: Vec<String>,
    /// Functions whose closure argument runs per item of their iterator argument
    /// (`futures::future::join_all` over a `map`).
    #[serde(default)]
    pub spawn_functions: Vec<String>,
    /// Functions whose closure argument runs once (`std::sync::LazyLock::new`).
    #[serde(default)]
    pub once_functions: Vec<ArgSpec>,
    /// Methods whose closure argument runs once per receiver (`get_or_init`).
    #[serde(default)]
    pub once_methods: Vec<String>,
    /// Macros whose body runs once (`lazy_static`, `thread_local`).
    #[serde(default)]
    pub once_macros: Vec<String>,
    /// Attributes of entry functions that run once (`tokio::main`).
    #[serde(default)]
    pub entry_attributes: Vec<String>,
    /// Methods that store their argument somewhere that outlives the call.
    #[serde(default)]
    pub store_methods: Vec<String>,
    /// Functions that store their argument as shared state (`actix_web::web::Data::new`).
    #[serde(default)]
    pub store_functions: Vec<String>,
    /// Wrappers that keep the value (`Arc::new`, `Some`, `Ok`, `Box::new`).
    #[serde(default)]
    pub wrappers: Vec<String>,
    /// Methods that pass the value through unchanged for our purposes (`unwrap`, `expect`).
    #[serde(default)]
    pub passthrough_methods: Vec<String>,
    /// Macros whose arguments are expressions to look into (`tokio::join`).
    #[serde(default)]
    pub expression_macros: Vec<String>,
    /// Macros made of `pattern = future => handler` branches (`tokio::select`).
    #[serde(default)]
    pub branch_macros: Vec<String>,
    /// Macros that take their arguments by reference (formatting, logging,
    /// assertions): a value passed to them is not moved.
    #[serde(default)]
    pub by_reference_macros: Vec<String>,
    /// Name prefixes of unknown methods that keep their receiver and
    /// arguments in their result (`with_`, `layer`).
    #[serde(default)]
    pub wrapping_method_prefixes: Vec<String>,
    /// Names of public library functions that are entry points (`run`,
    /// `start`): nothing calls them in the workspace because a program calls
    /// them once, so they are not treated as per-call.
    #[serde(default)]
    pub entry_names: Vec<String>,
    /// Attributes that wrap the function in a new async runtime
    /// (`tokio::main`): an entry point on `main`, elsewhere a function that
    /// builds a runtime on every call.
    #[serde(default)]
    pub runtime_attributes: Vec<String>,
    /// Macros whose tokens are data or generated code, not code that runs
    /// where they are written (`quote!`).
    #[serde(default)]
    pub token_macros: Vec<String>,
    /// Parameter types (last path segment) that carry application state, not
    /// request data (`State`, `Data`, `Extension`).
    #[serde(default)]
    pub state_types: Vec<String>,
    /// Builder methods that, given `0`, leave a client without a connection
    /// pool (`pool_max_idle_per_host`): its responses have no pool to return to.
    #[serde(default)]
    pub no_pool_methods: Vec<String>,
    /// Builder methods that give a client session state of its own (a cookie
    /// jar: `cookie_store(true)`, `cookie_provider(jar)`): a fresh client per
    /// call is a fresh session, often deliberate (`false` turns it off).
    #[serde(default)]
    pub session_methods: Vec<String>,
    /// Request methods of uploads (lower case; `Method::PUT` counts too),
    /// whose replies usually have an empty body.
    #[serde(default)]
    pub upload_methods: Vec<String>,
    /// Methods that only ask whether a call succeeded (`is_ok`, `is_err`):
    /// on a response producer they drop the response unread.
    #[serde(default)]
    pub outcome_methods: Vec<String>,
    /// Words (lower case, `_` ignored) that, in the name of a branch's flag
    /// (`if req.no_content`) or of a function (`send_no_content`), say the
    /// answer has no body.
    #[serde(default)]
    pub no_body_words: Vec<String>,
}

/// A compiled path pattern.
#[derive(Debug, Clone)]
pub struct PathPattern {
    any_prefix: bool,
    segments: Vec<String>,
}

impl PathPattern {
    pub fn parse(text: &str) -> PathPattern {
        let mut segments: Vec<String> = text
            .split("::")
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        let any_prefix = segments.first().is_some_and(|s| s == "**");
        if any_prefix {
            segments.remove(0);
        }
        PathPattern {
            any_prefix,
            segments,
        }
    }

    pub fn is_exact(&self) -> bool {
        !self.any_prefix && self.segments.iter().all(|s| !s.contains('*'))
    }

    pub fn matches(&self, path: &[String]) -> bool {
        if self.any_prefix {
            if path.len() < self.segments.len() {
                return false;
            }
            let tail = &path[path.len() - self.segments.len()..];
            self.segments
                .iter()
                .zip(tail)
                .all(|(p, s)| segment_matches(p, s))
        } else {
            path.len() == self.segments.len()
                && self
                    .segments
                    .iter()
                    .zip(path)
                    .all(|(p, s)| segment_matches(p, s))
        }
    }
}

/// A path segment against a pattern with at most one `*` (`aws_sdk_*`).
pub fn segment_matches(pattern: &str, segment: &str) -> bool {
    match pattern.find('*') {
        None => pattern == segment,
        Some(star) => {
            let (prefix, suffix) = (&pattern[..star], &pattern[star + 1..]);
            segment.len() >= prefix.len() + suffix.len()
                && segment.starts_with(prefix)
                && segment.ends_with(suffix)
        }
    }
}

/// A table from paths to values, exact paths hashed, patterns scanned
/// (only those whose last segment can match the path's: the walk asks for
/// every path and method it meets).
#[derive(Debug, Clone)]
pub struct PathTable<T> {
    exact: rustc_hash::FxHashMap<Vec<String>, T>,
    patterns: Vec<(PathPattern, T)>,
    /// Indexes into `patterns` by their literal last segment, in order.
    by_last: rustc_hash::FxHashMap<String, Vec<usize>>,
    /// Indexes of the patterns whose last segment is a wildcard, in order.
    any_last: Vec<usize>,
}

impl<T> Default for PathTable<T> {
    fn default() -> Self {
        PathTable {
            exact: rustc_hash::FxHashMap::default(),
            patterns: Vec::new(),
            by_last: rustc_hash::FxHashMap::default(),
            any_last: Vec::new(),
        }
    }
}

impl<T> PathTable<T> {
    fn push_pattern(&mut self, pattern: PathPattern, value: T) {
        let at = self.patterns.len();
        match pattern.segments.last().filter(|s| !s.contains('*')) {
            Some(last) => self.by_last.entry(last.clone()).or_default().push(at),
            None => self.any_last.push(at),
        }
        self.patterns.push((pattern, value));
    }
}

impl<T: Clone + PartialEq> PathTable<Vec<T>> {
    /// Adds a value to the list of a path.
    pub fn push(&mut self, text: &str, value: T) {
        let pattern = PathPattern::parse(text);
        if pattern.is_exact() {
            let list = self.exact.entry(pattern.segments.clone()).or_default();
            if !list.contains(&value) {
                list.push(value);
            }
        } else {
            self.push_pattern(pattern, vec![value]);
        }
    }
}

impl<T: Clone> PathTable<T> {
    pub fn insert(&mut self, text: &str, value: T) {
        let pattern = PathPattern::parse(text);
        if pattern.is_exact() {
            self.exact.entry(pattern.segments.clone()).or_insert(value);
        } else {
            self.push_pattern(pattern, value);
        }
    }

    pub fn get(&self, path: &[String]) -> Option<&T> {
        if let Some(v) = self.exact.get(path) {
            return Some(v);
        }
        // The first pattern that matches, in the order they were added.
        let named = path
            .last()
            .and_then(|l| self.by_last.get(l.as_str()))
            .map_or(&[][..], Vec::as_slice);
        let (mut a, mut b) = (named.iter().peekable(), self.any_last.iter().peekable());
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(&&x), Some(&&y)) if x < y => a.next(),
                (Some(_), Some(_)) | (None, Some(_)) => b.next(),
                (Some(_), None) => a.next(),
                (None, None) => return None,
            };
            if let Some(&i) = next
                && let Some((p, v)) = self.patterns.get(i)
                && p.matches(path)
            {
                return Some(v);
            }
        }
    }

    pub fn contains(&self, path: &[String]) -> bool {
        self.get(path).is_some()
    }

    pub fn is_empty(&self) -> bool {
        self.exact.is_empty() && self.patterns.is_empty()
    }
}

pub type ClientId = usize;
pub type BuilderId = usize;
pub type ResponseId = usize;

/// How a call builds a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ConstructionKind {
    Constructor,
    OneShot,
    BuilderTerminal,
    Method,
}

#[derive(Debug, Clone)]
pub struct FunctionFact {
    pub client: ClientId,
    pub kind: ConstructionKind,
}

/// A handler registration: free function or method with the handler at `arg`.
#[derive(Debug, Clone)]
pub struct Registration {
    pub framework: usize,
    pub arg: usize,
    pub roots: Vec<PathPattern>,
    pub periodic: bool,
}

/// The whole catalog, compiled for lookups.
#[derive(Debug, Default)]
pub struct Catalog {
    pub clients: Vec<ClientSpec>,
    pub responses: Vec<ResponseSpec>,
    pub handlers: Vec<HandlerSpec>,
    pub periodic: Vec<PeriodicSpec>,
    pub contexts: ContextSpec,
    /// Package name -> crate identifiers covered by the catalog.
    pub packages: Vec<String>,
    reexports: Vec<(Vec<String>, Vec<String>)>,
    /// First segments of the re-exported prefixes, to skip the scan.
    reexport_heads: std::collections::HashSet<String>,
    /// Calls (free or associated functions) that build a client.
    pub functions: PathTable<FunctionFact>,
    /// Calls that start a builder.
    pub builder_starts: PathTable<BuilderId>,
    /// `Type::method` that builds a client from a value of `Type`.
    pub methods: PathTable<ClientId>,
    /// Per builder: the client it builds and its terminal methods.
    pub builders: Vec<(ClientId, Vec<String>)>,
    /// Types of built clients.
    pub client_types: PathTable<ClientId>,
    /// Types of builders.
    pub builder_types: PathTable<BuilderId>,
    /// Types whose methods build a client (`redis::Client`).
    pub source_types: PathTable<ClientId>,
    /// Response types.
    pub response_types: PathTable<ResponseId>,
    /// Request (builder) types: sending one produces a response. Several
    /// response kinds can share one type (ureq 2 and 3 both have `ureq::Agent`).
    pub request_types: PathTable<Vec<ResponseId>>,
    /// Types whose methods make requests (`reqwest::Client::get`).
    pub requester_types: PathTable<Vec<ResponseId>>,
    /// Cargo packages of each handler framework.
    pub handler_packages: Vec<Vec<String>>,
    /// Client kind -> what one construction sets up.
    pub kinds: HashMap<String, String>,
    /// Method names that make a loop periodic (`tick`).
    pub loop_markers: Vec<String>,
    /// Producer free functions.
    pub response_functions: PathTable<(ResponseId, bool)>,
    /// Handler attribute paths and bare names.
    pub handler_attributes: PathTable<usize>,
    pub handler_attribute_names: HashMap<String, Vec<usize>>,
    /// Free functions that return a request value (`ureq::get`).
    pub request_functions: PathTable<ResponseId>,
    pub handler_impl_attributes: PathTable<usize>,
    pub handler_functions: PathTable<Registration>,
    pub handler_methods: HashMap<String, Vec<Registration>>,
    /// Every receiver root of a method registration (`tide::new`): values made
    /// by these calls keep that path as their type.
    pub registration_roots: PathTable<()>,
    pub extractors: PathTable<usize>,
    pub trait_methods: PathTable<usize>,
    pub once_functions: PathTable<usize>,
    pub entry_attributes: PathTable<()>,
    pub runtime_attributes: PathTable<()>,
    pub store_functions: PathTable<()>,
    pub wrappers: PathTable<()>,
    pub spawn_functions: PathTable<()>,
    pub iterator_source_functions: PathTable<()>,
}

/// The catalog files shipped with connlint.
pub const BUILTIN: &[(&str, &str)] = &include!(concat!(env!("OUT_DIR"), "/catalog_files.rs"));

#[derive(Debug)]
pub struct CatalogError {
    pub file: String,
    pub message: String,
}

impl std::fmt::Display for CatalogError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file, self.message)
    }
}

impl std::error::Error for CatalogError {}

impl Catalog {
    /// The built-in catalog.
    pub fn builtin() -> Result<Catalog, CatalogError> {
        Catalog::from_sources(BUILTIN.iter().map(|(n, t)| (n.to_string(), t.to_string())))
    }

    pub fn from_sources(
        sources: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Catalog, CatalogError> {
        let mut files = Vec::new();
        for (name, text) in sources {
            let file: CatalogFile = toml::from_str(&text).map_err(|e| CatalogError {
                file: name.clone(),
                message: e.to_string(),
            })?;
            files.push(file);
        }
        Ok(Catalog::from_files(files))
    }

    pub fn from_files(files: Vec<CatalogFile>) -> Catalog {
        let mut catalog = Catalog::default();
        for file in files {
            catalog.add_file(file);
        }
        catalog
    }

    pub fn add_file(&mut self, file: CatalogFile) {
        let file_packages = file.packages.clone();
        self.kinds.extend(file.kinds);
        self.packages.extend(file.packages);
        for (from, to) in file.reexports {
            let from = split_path(&from);
            if let Some(head) = from.first() {
                self.reexport_heads.insert(head.clone());
            }
            self.reexports.push((from, split_path(&to)));
        }
        // Longest prefix first.
        self.reexports.sort_by_key(|r| std::cmp::Reverse(r.0.len()));
        for client in file.client {
            let id = self.clients.len();
            for t in &client.types {
                self.client_types.insert(t, id);
            }
            for c in &client.constructors {
                self.functions.insert(
                    c,
                    FunctionFact {
                        client: id,
                        kind: ConstructionKind::Constructor,
                    },
                );
            }
            for c in &client.one_shots {
                self.functions.insert(
                    c,
                    FunctionFact {
                        client: id,
                        kind: ConstructionKind::OneShot,
                    },
                );
            }
            for b in &client.builders {
                let builder = self.builders.len();
                self.builders.push((id, b.terminals.clone()));
                for s in &b.starts {
                    self.builder_starts.insert(s, builder);
                }
                for t in &b.types {
                    self.builder_types.insert(t, builder);
                }
            }
            for m in &client.methods {
                self.methods.insert(m, id);
                let pattern = split_path(m);
                if pattern.len() > 1 {
                    let ty = pattern[..pattern.len() - 1].join("::");
                    self.source_types.insert(&ty, id);
                }
            }
            self.clients.push(client);
        }
        for response in file.response {
            let id = self.responses.len();
            for t in &response.types {
                self.response_types.insert(t, id);
            }
            for f in &response.request_functions {
                self.request_functions.insert(f, id);
            }
            for r in &response.requests {
                self.request_types.push(&r.returns, id);
                self.requester_types.push(&r.receiver, id);
            }
            for p in &response.producers {
                if !p.function.is_empty() {
                    self.response_functions.insert(&p.function, (id, p.awaited));
                } else if !p.receiver.is_empty() {
                    if response.requests.iter().any(|r| r.receiver == p.receiver) {
                        self.requester_types.push(&p.receiver, id);
                    } else {
                        self.request_types.push(&p.receiver, id);
                    }
                }
            }
            self.responses.push(response);
        }
        for handler in file.handler {
            let id = self.handlers.len();
            for a in &handler.attributes {
                if a.contains("::") {
                    self.handler_attributes.insert(a, id);
                } else {
                    self.handler_attribute_names
                        .entry(a.clone())
                        .or_default()
                        .push(id);
                }
            }
            for a in &handler.impl_attributes {
                self.handler_impl_attributes.insert(a, id);
            }
            self.add_registrations(id, false, &handler.functions, &handler.methods);
            for e in &handler.extractors {
                self.extractors.insert(e, id);
            }
            for t in &handler.trait_methods {
                self.trait_methods.insert(t, id);
            }
            for o in &handler.once_functions {
                self.once_functions.insert(&o.path, o.arg);
            }
            self.handler_packages.push(if handler.packages.is_empty() {
                file_packages.clone()
            } else {
                handler.packages.clone()
            });
            self.handlers.push(handler);
        }
        for periodic in file.periodic {
            let id = self.periodic.len();
            self.loop_markers
                .extend(periodic.loop_markers.iter().cloned());
            self.add_registrations(id, true, &periodic.functions, &periodic.methods);
            self.periodic.push(periodic);
        }
        if let Some(contexts) = file.contexts {
            merge_contexts(&mut self.contexts, contexts);
            self.once_functions = PathTable::default();
            for h in &self.handlers {
                for o in &h.once_functions {
                    self.once_functions.insert(&o.path, o.arg);
                }
            }
            for o in &self.contexts.once_functions {
                self.once_functions.insert(&o.path, o.arg);
            }
            self.entry_attributes = table(&self.contexts.entry_attributes);
            self.runtime_attributes = table(&self.contexts.runtime_attributes);
            self.store_functions = table(&self.contexts.store_functions);
            self.wrappers = table(&self.contexts.wrappers);
            self.spawn_functions = table(&self.contexts.spawn_functions);
            self.iterator_source_functions = table(&self.contexts.iterator_source_functions);
        }
    }

    /// Registration calls of a framework (or scheduler, when `periodic`):
    /// free functions and methods whose argument is a handler (or job).
    fn add_registrations(
        &mut self,
        id: usize,
        periodic: bool,
        functions: &[ArgSpec],
        methods: &[MethodArgSpec],
    ) {
        for f in functions {
            self.handler_functions.insert(
                &f.path,
                Registration {
                    framework: id,
                    arg: f.arg,
                    roots: Vec::new(),
                    periodic,
                },
            );
        }
        for m in methods {
            for r in &m.roots {
                self.registration_roots.insert(r, ());
            }
            for name in &m.names {
                self.handler_methods
                    .entry(name.clone())
                    .or_default()
                    .push(Registration {
                        framework: id,
                        arg: m.arg,
                        roots: m.roots.iter().map(|r| PathPattern::parse(r)).collect(),
                        periodic,
                    });
            }
        }
    }

    /// Every path of the client and response catalog: the names a file must
    /// mention to build a client or receive a response.
    pub fn all_paths(&self) -> Vec<String> {
        self.paths(true)
    }

    /// The paths of `all_paths` that build a client or hand back a response
    /// (constructors, one-shots, client methods, builder starts, request and
    /// producer functions), not types and receivers: a crate only named by
    /// the latter (`aws_types::SdkConfig`; `http::Request`, whose `send` is
    /// isahc's) builds nothing a package could call without another crate of
    /// the catalog.
    pub fn provider_paths(&self) -> Vec<String> {
        self.paths(false)
    }

    /// The catalog's paths that build or hand back something, and with
    /// `types` its types and receivers too.
    fn paths(&self, types: bool) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for c in &self.clients {
            out.extend(
                c.constructors
                    .iter()
                    .chain(&c.one_shots)
                    .chain(&c.methods)
                    .cloned(),
            );
            for b in &c.builders {
                out.extend(b.starts.iter().cloned());
                if types {
                    out.extend(b.types.iter().cloned());
                }
            }
            if types {
                out.extend(c.types.iter().cloned());
            }
        }
        for r in &self.responses {
            out.extend(r.request_functions.iter().cloned());
            out.extend(r.producers.iter().map(|p| p.function.clone()));
            if types {
                out.extend(r.types.iter().cloned());
                for q in &r.requests {
                    out.push(q.receiver.clone());
                    out.push(q.returns.clone());
                }
                out.extend(r.producers.iter().map(|p| p.receiver.clone()));
            }
        }
        // Only real paths into libraries (not `std`, not prose).
        out.retain(|p| {
            !p.is_empty()
                && !p.contains(' ')
                && !p.contains('<')
                && !["std::", "core::", "alloc::"]
                    .iter()
                    .any(|s| p.starts_with(s))
        });
        out
    }

    /// The re-exported prefixes and their canonical forms (`[reexports]`).
    pub fn reexports(&self) -> impl Iterator<Item = (&[String], &[String])> {
        self.reexports
            .iter()
            .map(|(from, to)| (from.as_slice(), to.as_slice()))
    }

    /// Rewrites a re-exported prefix to its canonical form.
    pub fn canonical(&self, path: Vec<String>) -> Vec<String> {
        let Some(first) = path.first() else {
            return path;
        };
        if !self.reexport_heads.contains(first) {
            return path;
        }
        for (from, to) in &self.reexports {
            if path.len() >= from.len() && path[..from.len()] == from[..] {
                let mut out = to.clone();
                out.extend_from_slice(&path[from.len()..]);
                return out;
            }
        }
        path
    }

    pub fn is_terminal(&self, builder: BuilderId, method: &str) -> bool {
        self.builders[builder].1.iter().any(|t| t == method)
    }

    pub fn builder_client(&self, builder: BuilderId) -> ClientId {
        self.builders[builder].0
    }

    /// The response kinds whose request values have a producer method `method`.
    pub fn producer(
        &self,
        response: ResponseId,
        receiver_is_request: bool,
        method: &str,
    ) -> Option<bool> {
        let spec = &self.responses[response];
        spec.producers
            .iter()
            .filter(|p| p.function.is_empty() && p.method == method)
            .find(|p| {
                let on_requester = spec.requests.iter().any(|r| r.receiver == p.receiver);
                on_requester != receiver_is_request
            })
            .map(|p| p.awaited)
    }

    /// `response` and the other kinds that share a request or requester type with it.
    pub fn siblings(&self, response: ResponseId) -> Vec<ResponseId> {
        let mut out = vec![response];
        let spec = &self.responses[response];
        let paths = spec
            .requests
            .iter()
            .flat_map(|r| [r.receiver.as_str(), r.returns.as_str()])
            .chain(spec.producers.iter().map(|p| p.receiver.as_str()))
            .filter(|p| !p.is_empty());
        for p in paths {
            let segs = split_path(p);
            for table in [&self.request_types, &self.requester_types] {
                for &k in table.get(&segs).into_iter().flatten() {
                    if !out.contains(&k) {
                        out.push(k);
                    }
                }
            }
        }
        out
    }

    /// Request methods of a requester type (`get` on `reqwest::Client`).
    pub fn request_method(&self, response: ResponseId, method: &str) -> bool {
        self.responses[response]
            .requests
            .iter()
            .any(|r| r.methods.iter().any(|m| m == method))
    }

    /// Whether a type is one the catalog describes: a client, a builder or
    /// source of one, a request or a response.
    pub fn knows_type(&self, path: &[String]) -> bool {
        self.client_types.contains(path)
            || self.builder_types.contains(path)
            || self.source_types.contains(path)
            || self.response_types.contains(path)
            || self.request_types.contains(path)
            || self.requester_types.contains(path)
    }

    /// The crate identifiers (first path segments) the catalog mentions, for
    /// the byte prefilter and for dependency checks.
    pub fn crate_idents(&self) -> Vec<String> {
        let mut idents: Vec<String> = self.packages.iter().map(|p| p.replace('-', "_")).collect();
        idents.sort();
        idents.dedup();
        idents
    }
}

fn table(paths: &[String]) -> PathTable<()> {
    let mut t = PathTable::default();
    for p in paths {
        t.insert(p, ());
    }
    t
}

fn merge_contexts(into: &mut ContextSpec, from: ContextSpec) {
    into.per_item_methods.extend(from.per_item_methods);
    into.event_methods.extend(from.event_methods);
    into.per_item_methods_with_source
        .extend(from.per_item_methods_with_source);
    into.iterator_sources.extend(from.iterator_sources);
    into.iterator_consumers.extend(from.iterator_consumers);
    into.iterator_source_functions
        .extend(from.iterator_source_functions);
    into.channel_functions.extend(from.channel_functions);
    into.channel_types.extend(from.channel_types);
    into.receive_methods.extend(from.receive_methods);
    into.spawn_functions.extend(from.spawn_functions);
    into.once_functions.extend(from.once_functions);
    into.once_methods.extend(from.once_methods);
    into.once_macros.extend(from.once_macros);
    into.entry_attributes.extend(from.entry_attributes);
    into.store_methods.extend(from.store_methods);
    into.store_functions.extend(from.store_functions);
    into.wrappers.extend(from.wrappers);
    into.passthrough_methods.extend(from.passthrough_methods);
    into.expression_macros.extend(from.expression_macros);
    into.branch_macros.extend(from.branch_macros);
    into.by_reference_macros.extend(from.by_reference_macros);
    into.wrapping_method_prefixes
        .extend(from.wrapping_method_prefixes);
    into.entry_names.extend(from.entry_names);
    into.runtime_attributes.extend(from.runtime_attributes);
    into.token_macros.extend(from.token_macros);
    into.state_types.extend(from.state_types);
    into.no_pool_methods.extend(from.no_pool_methods);
    into.session_methods.extend(from.session_methods);
    into.upload_methods.extend(from.upload_methods);
    into.outcome_methods.extend(from.outcome_methods);
    into.no_body_words.extend(from.no_body_words);
}

pub fn split_path(text: &str) -> Vec<String> {
    text.split("::")
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Vec<String> {
        split_path(s)
    }

    #[test]
    fn patterns_match_segments_and_prefixes() {
        let pat = PathPattern::parse("aws_sdk_*::Client::new");
        assert!(pat.matches(&p("aws_sdk_s3::Client::new")));
        assert!(!pat.matches(&p("aws_sdk_s3::Config::new")));
        let pat = PathPattern::parse("**::*_client::*Client::connect");
        assert!(pat.matches(&p("crate::pb::greeter_client::GreeterClient::connect")));
        assert!(!pat.matches(&p("crate::pb::GreeterClient::connect")));
    }

    #[test]
    fn path_tables_answer_the_first_pattern_added() {
        let mut t = PathTable::default();
        t.insert("**::*_client::*Client::connect", 1);
        t.insert("aws_sdk_*::Client::*", 2);
        t.insert("aws_sdk_*::Client::new", 3);
        t.insert("**", 4);
        t.insert("reqwest::Client::new", 5);
        assert_eq!(
            t.get(&p("pb::greeter_client::GreeterClient::connect")),
            Some(&1)
        );
        // A wildcard last segment added before a literal one wins.
        assert_eq!(t.get(&p("aws_sdk_s3::Client::new")), Some(&2));
        assert_eq!(t.get(&p("aws_sdk_s3::Client::from_conf")), Some(&2));
        // The exact table comes first; `**` matches what nothing else does.
        assert_eq!(t.get(&p("reqwest::Client::new")), Some(&5));
        assert_eq!(t.get(&p("std::vec::Vec::new")), Some(&4));
        assert_eq!(t.get(&[]), Some(&4));
        let mut t = PathTable::default();
        t.insert("a::*::c", 1);
        t.insert("**::b::c", 2);
        assert_eq!(t.get(&p("a::b::c")), Some(&1));
        assert_eq!(t.get(&p("x::b::c")), Some(&2));
        assert_eq!(t.get(&p("x::b::d")), None);
    }

    #[test]
    fn builtin_catalog_loads() {
        let catalog = Catalog::builtin().expect("builtin catalog parses");
        assert!(catalog.functions.contains(&p("reqwest::Client::new")));
        assert!(!catalog.functions.contains(&p("reqwest::Client::clone")));
    }
}
