//! connlint finds network clients built per call (in loops, request handlers
//! and functions that run per request) and HTTP responses dropped without
//! reading their body.
//!
//! Data flows one way: discover -> parse -> index -> facts -> call graph ->
//! lints -> diagnostics -> emit. [`analyze`] runs everything after discovery.

pub mod callgraph;
pub mod catalog;
pub mod checks {
    pub mod client_in_handler;
    pub mod client_in_loop;
    pub mod client_per_call;
    pub mod construction;
    pub mod unread_response_body;
}
pub mod config;
pub mod diagnostic;
pub mod emit;
pub mod facts;
pub mod index;
pub mod lints;
pub mod prefilter;
pub mod source;
pub mod walk;
pub mod workspace;

use std::collections::{HashMap, HashSet};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::catalog::Catalog;
use crate::diagnostic::{Diagnostic, Level};
use crate::facts::FileFacts;
use crate::index::{FileIndex, WorkspaceIndex};
use crate::lints::{IO_ERROR, PARSE_ERROR};
use crate::source::{FileId, SourceFile};
use crate::workspace::Workspace;

#[derive(Debug, Clone)]
pub struct Options {
    pub include_tests: bool,
    /// Follow calls through the workspace call graph (wrappers, `client_per_call`).
    pub call_graph: bool,
    /// Public functions of a library that nothing in the workspace calls count as hot.
    pub public_api: bool,
    /// Also report findings whose frequency the code cannot show (start-up
    /// loops, slow ticks, rare fallbacks, request-configured clients).
    pub pedantic: bool,
    /// Check error paths (`?`, `return Err(..)`) for unread responses too.
    pub error_paths: bool,
    /// Walk only the files that can matter (see `prefilter`); findings are the same.
    pub prefilter: bool,
    /// Files larger than this are skipped with a diagnostic.
    pub max_file_size: u64,
    pub threads: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            include_tests: false,
            call_graph: true,
            public_api: true,
            pedantic: false,
            error_paths: false,
            prefilter: true,
            max_file_size: 16 << 20,
            threads: 0,
        }
    }
}

/// Everything a run produced.
#[derive(Debug, Default)]
pub struct Analysis {
    pub files: Vec<SourceFile>,
    /// Package index (into the workspace) of each file.
    pub file_package: Vec<Option<usize>>,
    pub diagnostics: Vec<Diagnostic>,
}

struct Loaded {
    source: SourceFile,
    index: Option<FileIndex>,
    error: Option<Diagnostic>,
    package: usize,
}

/// Which crates own which root files.
struct CrateRoot {
    package: usize,
    name: String,
    kind: String,
    is_lib: bool,
    path: PathBuf,
}

fn crate_roots(ws: &Workspace, include_tests: bool) -> Vec<CrateRoot> {
    let mut roots = Vec::new();
    for (pi, p) in ws.packages.iter().enumerate() {
        for t in &p.targets {
            // Test targets and test packages (harnesses, tooling) are always
            // read (their calls count as callers), but their own code is only
            // checked with `--include-tests`.
            let kind = if (t.is_test_like() || p.is_test) && !include_tests {
                "test"
            } else if t.is_lib() {
                "lib"
            } else if t.kind.iter().any(|k| k == "custom-build") {
                "build"
            } else if t.kind.iter().any(|k| k == "walk") {
                "walk"
            } else {
                "bin"
            };
            roots.push(CrateRoot {
                package: pi,
                name: t.name.clone(),
                kind: kind.to_string(),
                is_lib: t.is_lib(),
                path: t.src_path.clone(),
            });
        }
    }
    roots
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

fn is_mod_root_name(path: &Path) -> bool {
    matches!(
        path.file_name().and_then(|n| n.to_str()),
        Some("mod.rs" | "lib.rs" | "main.rs")
    )
}

/// Reads, parses and indexes one file. Never fails: problems become a diagnostic.
fn load_file(
    path: &Path,
    name: String,
    is_mod_root: bool,
    opts: &Options,
    package: usize,
) -> Loaded {
    let error = |text: String, message: String, lint: &'static str| Loaded {
        source: SourceFile::new(name.clone(), path.to_path_buf(), text),
        index: None,
        error: Some(Diagnostic::new(
            lint,
            Level::Error,
            message,
            usize::MAX,
            0..0,
            "",
        )),
        package,
    };
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            return error(
                String::new(),
                format!("cannot read `{name}`: {e}"),
                IO_ERROR,
            );
        }
    };
    if meta.len() > opts.max_file_size {
        return error(
            String::new(),
            format!(
                "`{name}` is skipped: {} bytes is over the {} byte limit",
                meta.len(),
                opts.max_file_size
            ),
            IO_ERROR,
        );
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            return error(
                String::new(),
                format!("cannot read `{name}`: {e}"),
                IO_ERROR,
            );
        }
    };
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let mut l = error(
                lossy,
                format!("`{name}` is not valid UTF-8 (invalid byte at offset {at})"),
                PARSE_ERROR,
            );
            if let Some(d) = &mut l.error {
                d.primary.span = at..at;
            }
            return l;
        }
    };
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let parsed = syn::parse_file(&text);
        let out = match parsed {
            Ok(file) => Ok(index::index_file(&file, path, is_mod_root, true)),
            Err(e) => {
                let start = e.span().start();
                let mut message = e.to_string();
                if message == "cannot parse string into token stream" {
                    // proc-macro2's lexer: an unclosed or mismatched delimiter, or a bad token.
                    message = "unbalanced delimiters or an invalid token".to_string();
                }
                Err((start.line, start.column, message))
            }
        };
        proc_macro2::extra::invalidate_current_thread_spans();
        out
    }));
    let source = SourceFile::new(name.clone(), path.to_path_buf(), text);
    match result {
        Ok(Ok(index)) => Loaded {
            source,
            index: Some(index),
            error: None,
            package,
        },
        Ok(Err((line, column, message))) => {
            let at = source.offset(line, column);
            let d = Diagnostic::new(PARSE_ERROR, Level::Error, format!("cannot parse `{name}`: {message}"), usize::MAX, at..at, "the parser stopped here")
                .with_note("connlint checked the other files; fix the syntax error (or exclude the file) to check this one");
            Loaded {
                source,
                index: None,
                error: Some(d),
                package,
            }
        }
        Err(_) => {
            proc_macro2::extra::invalidate_current_thread_spans();
            let d = Diagnostic::new(
                PARSE_ERROR,
                Level::Error,
                format!("internal error while parsing `{name}`"),
                usize::MAX,
                0..0,
                "",
            )
            .with_note("this is a bug in connlint; please report it with the file");
            Loaded {
                source,
                index: None,
                error: Some(d),
                package,
            }
        }
    }
}

fn thread_pool(threads: usize) -> rayon::ThreadPool {
    let mut builder = rayon::ThreadPoolBuilder::new().stack_size(256 << 20);
    if threads > 0 {
        builder = builder.num_threads(threads);
    }
    match builder.build() {
        Ok(pool) => pool,
        Err(_) => rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .build()
            .unwrap_or_else(|e| panic!("cannot start a thread: {e}")),
    }
}

/// Runs the analysis over a discovered workspace.
pub fn analyze(ws: &Workspace, catalog: &Catalog, opts: &Options) -> Analysis {
    let pool = thread_pool(opts.threads);
    pool.install(|| analyze_in_pool(ws, catalog, opts))
}

fn analyze_in_pool(ws: &Workspace, catalog: &Catalog, opts: &Options) -> Analysis {
    let roots = crate_roots(ws, opts.include_tests);
    let timings = std::env::var_os("CONNLINT_TIMINGS").is_some();
    let clock = std::time::Instant::now();
    let lap = |what: &str| {
        if timings {
            eprintln!(
                "connlint timing: {what} at {:.3}s",
                clock.elapsed().as_secs_f64()
            );
        }
    };
    // 1. Load every root and, breadth-first, every file a `mod` declaration names.
    let mut loaded: Vec<Loaded> = Vec::new();
    let mut by_path: HashMap<PathBuf, FileId> = HashMap::new();
    let mut frontier: Vec<(PathBuf, bool, usize)> = Vec::new();
    let mut queued: HashSet<PathBuf> = HashSet::new();
    for r in &roots {
        let c = canonical(&r.path);
        if queued.insert(c.clone()) {
            let root_like = r.kind != "walk" || is_mod_root_name(&c);
            frontier.push((c, root_like, r.package));
        }
    }
    while !frontier.is_empty() {
        let batch: Vec<Loaded> = frontier
            .par_iter()
            .map(|(path, root_like, package)| {
                let name = source::display_name(path, &ws.root);
                load_file(
                    path,
                    name,
                    *root_like || is_mod_root_name(path),
                    opts,
                    *package,
                )
            })
            .collect();
        let mut next = Vec::new();
        for (l, (path, _, package)) in batch.into_iter().zip(frontier.drain(..)) {
            if let Some(idx) = &l.index {
                for scope in &idx.scopes {
                    for (_, child) in &scope.mod_files {
                        let c = canonical(child);
                        if c.is_file() && queued.insert(c.clone()) {
                            next.push((c, false, package));
                        }
                    }
                }
            }
            by_path.insert(path, loaded.len());
            loaded.push(l);
        }
        frontier = next;
    }

    lap("load, parse and index");
    // 2. The module tree of every crate.
    let mut files = Vec::with_capacity(loaded.len());
    let mut file_package = Vec::with_capacity(loaded.len());
    let mut indexes = Vec::with_capacity(loaded.len());
    let mut diagnostics = Vec::new();
    for (id, l) in loaded.into_iter().enumerate() {
        if let Some(mut d) = l.error {
            d.primary.file = id;
            diagnostics.push(d);
        }
        files.push(l.source);
        file_package.push(Some(l.package));
        indexes.push(l.index.unwrap_or_default());
    }
    let mut ws_index = WorkspaceIndex::new(indexes);
    let referenced: HashSet<FileId> = ws_index
        .files
        .iter()
        .flat_map(|f| f.scopes.iter().flat_map(|s| s.mod_files.iter()))
        .filter_map(|(_, p)| by_path.get(&canonical(p)).copied())
        .collect();
    let mut assigned: HashSet<FileId> = HashSet::new();
    for r in &roots {
        let Some(&file) = by_path.get(&canonical(&r.path)) else {
            continue;
        };
        if r.kind == "walk" && referenced.contains(&file) {
            continue;
        }
        if ws_index.files[file].scopes.is_empty() {
            continue;
        }
        let krate = ws_index.add_crate(&r.name, r.package, r.is_lib, &r.kind);
        add_module_tree(
            &mut ws_index,
            krate,
            vec![r.name.clone()],
            file,
            None,
            &by_path,
            &mut assigned,
        );
    }
    ws_index.build_items(catalog);

    lap("module tree and item tables");
    // 3. Facts: walk every file that belongs to a module.
    let mut jobs: Vec<(FileId, usize)> = Vec::new();
    for (file, _) in files.iter().enumerate() {
        if let Some(module) = ws_index.module_of_scope(file, 0) {
            jobs.push((file, module));
        }
    }
    let walk_files = |batch: &[(FileId, usize)]| -> Vec<(FileId, Result<FileFacts, String>)> {
        batch
            .par_iter()
            .map(|&(file, module)| {
                (
                    file,
                    walk_one(
                        &files[file],
                        &ws.packages[file_package[file].unwrap_or(0)],
                        &ws_index,
                        catalog,
                        opts,
                        file,
                        module,
                    ),
                )
            })
            .collect()
    };
    let mut facts: Vec<(FileId, Result<FileFacts, String>)> = Vec::new();
    if opts.prefilter {
        // Round 1: files that name the catalog; then files that name a
        // function on a path to a construction or a response, until none is new.
        let seeds = prefilter::seeds(&ws_index, catalog);
        if timings {
            eprintln!(
                "connlint prefilter: {} seed names: {:?}",
                seeds.len(),
                seeds.iter().take(400).collect::<Vec<_>>()
            );
        }
        let mut walked = vec![false; files.len()];
        let mut known: std::collections::BTreeSet<String> = Default::default();
        let mut round: HashSet<FileId> = prefilter::mentioning(
            &seeds,
            jobs.iter().map(|&(f, _)| (f, files[f].text.as_str())),
        )
        .into_iter()
        .collect();
        loop {
            let batch: Vec<(FileId, usize)> = jobs
                .iter()
                .copied()
                .filter(|(f, _)| round.contains(f) && !walked[*f])
                .collect();
            if batch.is_empty() {
                break;
            }
            for (f, _) in &batch {
                walked[*f] = true;
            }
            if timings {
                eprintln!(
                    "connlint prefilter: walking {} of {} files",
                    batch.len(),
                    jobs.len()
                );
            }
            facts.extend(walk_files(&batch));
            let done: Vec<FileFacts> = facts
                .iter()
                .filter_map(|(_, r)| r.as_ref().ok().cloned())
                .collect();
            let new: std::collections::BTreeSet<String> = prefilter::relevant_names(&done)
                .into_iter()
                .filter(|n| !known.contains(n))
                .collect();
            if new.is_empty() {
                break;
            }
            known.extend(new.iter().cloned());
            round = prefilter::mentioning(
                &new,
                jobs.iter()
                    .filter(|(f, _)| !walked[*f])
                    .map(|&(f, _)| (f, files[f].text.as_str())),
            )
            .into_iter()
            .collect();
        }
        facts.sort_by_key(|(f, _)| *f);
    } else {
        facts = walk_files(&jobs);
    }
    let mut file_facts = Vec::new();
    for (file, r) in facts {
        match r {
            Ok(f) => file_facts.push(f),
            Err(message) => diagnostics.push(
                Diagnostic::new(
                    PARSE_ERROR,
                    Level::Error,
                    format!("cannot analyze `{}`: {message}", files[file].name),
                    file,
                    0..0,
                    "",
                )
                .with_note("this is a bug in connlint; please report it with the file"),
            ),
        }
    }
    lap("facts");
    // 4. Call graph and lints.
    // For a library crate: whether other members of the workspace use it.
    let used_in_workspace = |pkg: usize| {
        let name = &ws.packages[pkg].name;
        ws.packages
            .iter()
            .enumerate()
            .any(|(i, p)| i != pkg && !p.is_test && p.dependencies.iter().any(|d| d == name))
    };
    let in_lib = |f: &facts::FnFacts| {
        let module = ws_index.module_of_scope(f.file, 0)?;
        let krate = &ws_index.crates[ws_index.modules[module].krate];
        krate.is_lib.then(|| used_in_workspace(krate.package))
    };
    let public_api = opts
        .public_api
        .then_some(catalog.contexts.entry_names.as_slice());
    let graph = callgraph::CallGraph::new(&file_facts, in_lib, public_api, opts.call_graph);
    let cx = checks::construction::Context {
        catalog,
        files: &files,
        graph: &graph,
    };
    checks::construction::check(&cx, &mut diagnostics);
    checks::unread_response_body::check(&cx, &mut diagnostics);
    if opts.pedantic {
        for d in &mut diagnostics {
            if let Some(why) = &d.pedantic {
                let note = format!("reported at the pedantic level: {why}");
                d.notes.insert(0, note);
            }
        }
    } else {
        diagnostics.retain(|d| d.pedantic.is_none());
    }

    lap("call graph and lints");
    diagnostics.sort_by(|a, b| {
        a.sort_key()
            .cmp(&b.sort_key())
            .then_with(|| a.message.cmp(&b.message))
    });
    diagnostics.dedup_by(|a, b| a.sort_key() == b.sort_key() && a.message == b.message);
    Analysis {
        files,
        file_package,
        diagnostics,
    }
}

/// Parses one file again and walks it into facts. Never fails: a panic
/// becomes an error message for the diagnostic.
fn walk_one(
    source: &SourceFile,
    package: &workspace::Package,
    index: &WorkspaceIndex,
    catalog: &Catalog,
    opts: &Options,
    file: FileId,
    module: usize,
) -> Result<FileFacts, String> {
    let result = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let out = match syn::parse_file(&source.text) {
            Ok(ast) => {
                let deps = walk::Deps {
                    packages: &package.dependencies,
                    known: package.from_cargo,
                };
                let mut walker = walk::Walker::new(index, catalog, deps, file, module);
                walker.include_tests = opts.include_tests;
                walker.error_paths = opts.error_paths;
                walker.walk_file(&ast);
                Ok(walker.out)
            }
            Err(e) => Err(e.to_string()),
        };
        proc_macro2::extra::invalidate_current_thread_spans();
        out
    }));
    match result {
        Ok(r) => r,
        Err(panic) => {
            proc_macro2::extra::invalidate_current_thread_spans();
            let what = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            Err(format!("internal error: {what}"))
        }
    }
}

fn add_module_tree(
    index: &mut WorkspaceIndex,
    krate: usize,
    path: Vec<String>,
    file: FileId,
    parent: Option<usize>,
    by_path: &HashMap<PathBuf, FileId>,
    assigned: &mut HashSet<FileId>,
) {
    if !assigned.insert(file) && parent.is_some() {
        return;
    }
    let module = index.add_module(krate, path.clone(), file, 0, parent);
    // `mod x;` declarations in this file (in any inline module of it).
    let scopes = index.files[file].scopes.clone();
    for (scope_id, scope) in scopes.iter().enumerate() {
        let Some(scope_module) = index.module_of_scope(file, scope_id).or(if scope_id == 0 {
            Some(module)
        } else {
            None
        }) else {
            continue;
        };
        for (name, child) in &scope.mod_files {
            if let Some(&child_file) = by_path.get(&canonical(child)) {
                if index.files[child_file].scopes.is_empty() {
                    continue;
                }
                let mut child_path = index.modules[scope_module].path.clone();
                child_path.push(name.clone());
                add_module_tree(
                    index,
                    krate,
                    child_path,
                    child_file,
                    Some(scope_module),
                    by_path,
                    assigned,
                );
            }
        }
    }
}

/// Applies lint levels, the paths the user asked about, config excludes and
/// suppression comments; what is left is what gets reported.
pub fn finalize(
    analysis: &Analysis,
    ws: &Workspace,
    levels: &[(&'static str, Level)],
    exclude: &[String],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for d in &analysis.diagnostics {
        let mut d = d.clone();
        if let Some((_, level)) = levels.iter().find(|(n, _)| *n == d.lint) {
            if *level == Level::Allow {
                continue;
            }
            d.level = *level;
        }
        let Some(file) = analysis.files.get(d.primary.file) else {
            continue;
        };
        if !ws.report_only.is_empty() {
            let path = canonical(&file.path);
            if !ws.report_only.iter().any(|p| path.starts_with(p)) {
                continue;
            }
        }
        if exclude.iter().any(|g| workspace::glob_match(g, &file.name)) {
            continue;
        }
        if suppressed(&d, file) {
            continue;
        }
        out.push(d);
    }
    out
}

/// The default level of every lint.
pub fn default_levels() -> Vec<(&'static str, Level)> {
    lints::LINTS.iter().map(|l| (l.name, l.default)).collect()
}

/// Whether a `// connlint: allow(lint)` comment on the flagged line or the
/// line before it suppresses the finding.
pub fn suppressed(d: &Diagnostic, file: &SourceFile) -> bool {
    if lints::find(d.lint).is_none() {
        return false;
    }
    let line = file.line_index(d.primary.span.start.min(file.text.len()));
    let lines = [Some(line), line.checked_sub(1)];
    lines.into_iter().flatten().any(|l| {
        let text = file.line_text(l);
        let Some(at) = text.find("connlint: allow(") else {
            return false;
        };
        let rest = &text[at + "connlint: allow(".len()..];
        let Some(end) = rest.find(')') else {
            return false;
        };
        rest[..end].split(',').any(|n| {
            let n = n.trim();
            n == d.lint || n == format!("connlint::{}", d.lint) || n == "all"
        })
    })
}
