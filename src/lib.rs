//! connlint finds network clients built per call (in loops, request handlers
//! and functions that run per request) and HTTP responses dropped without
//! reading their body.
//!
//! Data flows one way: discover -> parse -> index -> facts -> call graph ->
//! lints -> diagnostics -> emit. [`analyze`] runs everything after discovery.

pub mod baseline;
pub mod cache;
pub mod callgraph;
pub mod catalog;
pub mod checks {
    pub mod client_in_handler;
    pub mod client_in_loop;
    pub mod client_per_call;
    pub mod construction;
    pub mod generate;
    pub mod unread_response_body;
}
pub mod config;
pub mod diagnostic;
pub mod emit;
pub mod facts;
pub mod fingerprint;
pub mod fix;
pub mod index;
pub mod items;
pub mod lex;
pub mod lints;
pub mod nesting;
pub mod outputs;
pub mod packages;
pub mod policy;
pub mod prefilter;
pub mod report;
pub mod server;
pub mod session;
pub mod source;
pub mod spans;
pub mod suppress;
pub mod terminal;
pub mod walk;
pub mod workspace;
pub mod wrapper;

use std::collections::{HashMap, HashSet};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::catalog::Catalog;
use crate::diagnostic::{Diagnostic, Level};
use crate::facts::FileFacts;
use crate::index::{FileIndex, WorkspaceIndex};
use crate::lints::{INTERNAL_ERROR, IO_ERROR, PARSE_ERROR};
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
    /// Files nested deeper than this (see `nesting`) are refused with a
    /// diagnostic; the worker threads' stacks are sized for it.
    pub max_nesting: usize,
    pub threads: usize,
    /// The incremental cache of per-file indexes and facts (`None`: no cache).
    pub cache: Option<cache::Cache>,
    /// Walk only this shard's files (to fill a shared cache; the findings
    /// of such a run are partial).
    pub shard: Option<cache::Shard>,
    /// Packages that cannot call each other (no closure holds two of them)
    /// are analysed in batches of about this many bytes of source, one after
    /// the other, so that memory follows the largest batch, not the tree
    /// (0: no limit). Unlinked crates of the same name (versions of one crate
    /// in a tree of crates) always go to different batches. Findings are the
    /// same in any batching.
    pub batch_bytes: u64,
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
            max_nesting: nesting::DEFAULT_MAX_NESTING,
            threads: 0,
            cache: None,
            shard: None,
            batch_bytes: DEFAULT_BATCH_BYTES,
        }
    }
}

/// See `Options::batch_bytes`.
pub const DEFAULT_BATCH_BYTES: u64 = 8 << 20;

/// Everything a run produced.
#[derive(Debug, Default)]
pub struct Analysis {
    pub files: Vec<SourceFile>,
    /// Package index (into the workspace) of each file.
    pub file_package: Vec<Option<usize>>,
    /// The root file of the crate (target) each file belongs to, when it
    /// belongs to one: a file under `src/bin/` is credited to its bin.
    pub file_root: Vec<Option<PathBuf>>,
    pub diagnostics: Vec<Diagnostic>,
    /// Files read and parsed (the others have an error diagnostic).
    pub checked: usize,
    /// Findings the default level does not report (without `--pedantic`):
    /// kept so that a suppression that silences one is not unused.
    pub quiet: Vec<Diagnostic>,
    pub stats: Stats,
    /// Packages not read: no build with a catalog crate needs them (see
    /// `packages`), so they cannot have a finding.
    pub skipped_packages: Vec<usize>,
}

/// What a run did to its files.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Files parsed to be indexed (the others' index came from the cache).
    pub indexed: usize,
    /// Files walked into facts (parsed again).
    pub walked: usize,
    /// Files whose facts came from the cache.
    pub cached_facts: usize,
    /// Files not read at all: their stamp showed them unchanged, so their
    /// index came from the cache unread (`cache::Stamp`).
    pub stamped: usize,
    /// Batches the packages were analysed in (`Options::batch_bytes`).
    pub batches: usize,
    /// Batches taken whole from the cache: every file they read had its
    /// stamp still (`cache::BatchEntry`).
    pub cached_batches: usize,
    /// Batches taken from the cache after an edit that could not change
    /// them (`early_cutoff`).
    pub cutoff_batches: usize,
}

impl std::ops::AddAssign for Stats {
    fn add_assign(&mut self, other: Stats) {
        self.indexed += other.indexed;
        self.walked += other.walked;
        self.cached_facts += other.cached_facts;
        self.stamped += other.stamped;
        self.batches += other.batches;
        self.cached_batches += other.cached_batches;
        self.cutoff_batches += other.cutoff_batches;
    }
}

struct Loaded {
    source: SourceFile,
    index: Option<FileIndex>,
    /// The file's index key in the cache and its interface (with a cache only).
    key: Option<(cache::Key, cache::Key)>,
    /// Its index came from the cache.
    cached: bool,
    /// Its words, for the prefilter (with its index).
    digest: Option<prefilter::Digest>,
    error: Option<Diagnostic>,
    package: usize,
    /// Its stamp for the next run (with a cache, reading from disk).
    stamp: Option<((PathBuf, bool), cache::Stamped)>,
    /// It was not read: its stamp was unchanged.
    unread: bool,
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

/// Canonical paths with each directory resolved once: `realpath` reads every
/// component of the path, which, for every file, took a tenth of a warm run.
#[derive(Default)]
struct Canon {
    dirs: std::sync::Mutex<HashMap<PathBuf, Option<PathBuf>>>,
}

impl Canon {
    fn of(&self, path: &Path) -> PathBuf {
        let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
            return canonical(path);
        };
        // The last component must not be a link itself (`file_name` is never `..`).
        // A file that is not there (the `foo.rs` of a `mod foo;` that lives in
        // `foo/mod.rs`) goes through its folder too, rather than asking the
        // system to resolve every component of a path it will not find.
        if dir.as_os_str().is_empty()
            || std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
        {
            return canonical(path);
        }
        // A folder that does not resolve has no file in it to resolve either:
        // the path stays as written, as `canonical` would leave it.
        self.dir(dir)
            .map_or_else(|| path.to_path_buf(), |d| d.join(name))
    }

    /// A folder's canonical path (`None`: it does not resolve), from its
    /// parent's when it is a plain folder: one `lstat` per new folder, not a
    /// resolution of every component (the `foo/` of each `mod foo;` that
    /// lives in `foo.rs` is asked for and is not there).
    fn dir(&self, dir: &Path) -> Option<PathBuf> {
        if let Some(known) = self.dirs.lock().ok().and_then(|d| d.get(dir).cloned()) {
            return known;
        }
        let c = match (dir.parent(), dir.file_name()) {
            (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => {
                match std::fs::symlink_metadata(dir) {
                    Ok(m) if m.file_type().is_dir() => self.dir(parent).map(|p| p.join(name)),
                    // A link: the system follows it.
                    Ok(_) => std::fs::canonicalize(dir).ok(),
                    Err(_) => None,
                }
            }
            _ => std::fs::canonicalize(dir).ok(),
        };
        if let Ok(mut d) = self.dirs.lock() {
            d.insert(dir.to_path_buf(), c.clone());
        }
        c
    }
}

fn is_mod_root_name(path: &Path) -> bool {
    matches!(
        path.file_name().and_then(|n| n.to_str()),
        Some("mod.rs" | "lib.rs" | "main.rs")
    )
}

/// Where file contents come from: the disk, or memory (fuzzing and tests of
/// the per-file pipeline).
#[derive(Clone, Copy)]
pub enum Sources<'a> {
    Disk,
    Memory(&'a HashMap<PathBuf, Vec<u8>>),
    /// These texts in place of the files on disk, every other file from disk
    /// (`fix` re-checks its edits in memory this way).
    Overlay(&'a HashMap<PathBuf, Vec<u8>>),
}

impl Sources<'_> {
    fn is_file(&self, path: &Path) -> bool {
        match self {
            Sources::Disk => path.is_file(),
            Sources::Memory(m) => m.contains_key(path),
            Sources::Overlay(m) => m.contains_key(path) || path.is_file(),
        }
    }
}

/// The text of `source`: its own when loaded, else read again (BOM dropped)
/// when it is still the text first read; `None` when it changed or cannot be
/// read any more.
fn text_of<'a>(
    source: &'a SourceFile,
    opts: &Options,
    sources: Sources,
) -> Option<std::borrow::Cow<'a, str>> {
    if source.is_loaded() {
        return Some(std::borrow::Cow::Borrowed(&source.text));
    }
    let from_disk = || {
        read_disk(&source.path, &source.name, opts.max_file_size)
            .ok()
            .map(|(bytes, _)| bytes)
    };
    let mut bytes = match sources {
        Sources::Disk => from_disk()?,
        Sources::Overlay(m) => m.get(&source.path).cloned().or_else(from_disk)?,
        Sources::Memory(m) => m.get(&source.path)?.clone(),
    };
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    let text = String::from_utf8(bytes).ok()?;
    source
        .is_text(&text)
        .then_some(std::borrow::Cow::Owned(text))
}

/// Gives back their text to the files in `wanted` that were unloaded; a file
/// that changed meanwhile keeps none and is returned.
fn reload(
    files: &mut [SourceFile],
    wanted: impl IntoIterator<Item = FileId>,
    opts: &Options,
    sources: Sources,
) -> Vec<FileId> {
    let wanted: std::collections::BTreeSet<FileId> = wanted
        .into_iter()
        .filter(|&f| files.get(f).is_some_and(|s| !s.is_loaded()))
        .collect();
    let texts: Vec<(FileId, Option<String>)> = wanted
        .into_par_iter()
        .map(|f| (f, text_of(&files[f], opts, sources).map(|t| t.into_owned())))
        .collect();
    let mut changed = Vec::new();
    for (f, text) in texts {
        if !text.is_some_and(|t| files[f].reload(t)) {
            changed.push(f);
        }
    }
    changed
}

/// The diagnostic for a file whose text changed while connlint read it.
fn changed_file(source: &SourceFile, file: FileId) -> Diagnostic {
    Diagnostic::new(
        IO_ERROR,
        Level::Error,
        format!(
            "`{}` changed (or became unreadable) while connlint was checking it",
            source.name
        ),
        file,
        0..0,
        "",
    )
    .with_note("its findings are left out; run connlint again")
}

/// Why a file could not be read, as a diagnostic message and note.
struct Unread {
    lint: &'static str,
    message: String,
    note: Option<String>,
}

/// What a file is, in words, when it is not a regular file.
#[cfg(unix)]
pub fn file_kind(ft: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_dir() {
        "a directory"
    } else if ft.is_fifo() {
        "a FIFO (named pipe)"
    } else if ft.is_char_device() {
        "a character device"
    } else if ft.is_block_device() {
        "a block device"
    } else if ft.is_socket() {
        "a socket"
    } else if ft.is_symlink() {
        "a symbolic link"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
pub fn file_kind(ft: &std::fs::FileType) -> &'static str {
    if ft.is_dir() {
        "a directory"
    } else {
        "not a regular file"
    }
}

/// An I/O error in words a user can act on.
pub fn io_reason(e: &std::io::Error) -> String {
    #[cfg(unix)]
    if e.raw_os_error() == Some(libc::ELOOP) {
        return "a symbolic link loop (too many levels of symbolic links)".to_string();
    }
    match e.kind() {
        std::io::ErrorKind::NotFound => {
            "it does not exist (a `Cargo.toml` target or a `mod` declaration names it, or it was removed during the run)".to_string()
        }
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// Reads a file from disk: only a regular file (a FIFO, device, socket or
/// directory is refused by its type before it is opened), at most
/// `max_file_size` bytes (a file that grows while read is cut there). With
/// the bytes, the metadata of the opened file as it was before reading.
fn read_disk(
    path: &Path,
    name: &str,
    max_file_size: u64,
) -> Result<(Vec<u8>, std::fs::Metadata), Unread> {
    use std::io::Read;
    let io = |e: std::io::Error| Unread {
        lint: IO_ERROR,
        message: format!("cannot read `{name}`: {}", io_reason(&e)),
        note: None,
    };
    let not_regular = |ft: &std::fs::FileType| Unread {
        lint: IO_ERROR,
        message: format!("`{name}` is {}, not a regular file", file_kind(ft)),
        note: Some("connlint reads only regular files; it was not opened".to_string()),
    };
    let too_big = |len: u64| Unread {
        lint: IO_ERROR,
        message: format!(
            "`{name}` is skipped: {len} bytes is over the limit of {max_file_size} bytes"
        ),
        note: Some(
            "raise the limit with `--max-file-size BYTES`, or exclude the file (generated code)"
                .to_string(),
        ),
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.file_type().is_file() {
        return Err(not_regular(&meta.file_type()));
    }
    if meta.len() > max_file_size {
        return Err(too_big(meta.len()));
    }
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        // A file swapped for a FIFO after the check above must not block the open.
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.file_type().is_file() {
        return Err(not_regular(&meta.file_type()));
    }
    let mut bytes = Vec::with_capacity(meta.len().min(max_file_size) as usize);
    file.take(max_file_size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > max_file_size {
        return Err(too_big(bytes.len() as u64));
    }
    Ok((bytes, meta))
}

/// Parses source text like `syn::parse_file`, but keeps byte offsets equal
/// to offsets into `text` (syn drops a shebang line before parsing, which
/// would shift every span).
/// `text` with a shebang line (`#!/usr/bin/env ..`, not an inner attribute
/// `#![..]`) blanked out, so that byte offsets stay those of the file.
pub(crate) fn without_shebang(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with("#!") && !text[2..].trim_start().starts_with('[') {
        let end = text.find('\n').unwrap_or(text.len());
        let mut blanked = String::with_capacity(text.len());
        blanked.extend(std::iter::repeat_n(' ', end));
        blanked.push_str(&text[end..]);
        return std::borrow::Cow::Owned(blanked);
    }
    std::borrow::Cow::Borrowed(text)
}

pub fn parse_source(text: &str) -> syn::Result<syn::File> {
    syn::parse_str(&without_shebang(text))
}

/// `parse_source`, with the lines of the text installed for `spans::range`
/// while the result is kept.
fn parse_source_lined(text: &str) -> syn::Result<(syn::File, spans::Installed)> {
    let text = without_shebang(text);
    let file = syn::parse_str(&text)?;
    Ok((file, spans::Lines::install(&text)))
}

/// Frees `value` on a thread of its own: freeing the index or the facts of
/// a large tree takes a while and nothing waits for it. (When no thread can
/// be started, the closure and what it owns are dropped right here.) The
/// thread's stack is sized for the nesting limit, as deep trees drop
/// recursively.
fn free_in_background<T: Send + 'static>(value: T, max_nesting: usize) {
    let _ = std::thread::Builder::new()
        .stack_size(nesting::stack_size_for(max_nesting))
        .spawn(move || drop(value));
}

/// No text is kept for the whole run: the walk and the report read again
/// what they need. A file with a suppression comment keeps its text (every
/// one is checked for unused suppressions).
fn unload_unless_suppressing(source: &mut SourceFile) {
    if memchr::memmem::find(source.text.as_bytes(), b"connlint").is_none() {
        source.unload();
    }
}

/// Reads, parses and indexes one file. Never fails: problems become a diagnostic.
fn load_file(
    path: &Path,
    name: String,
    is_mod_root: bool,
    opts: &Options,
    package: usize,
    sources: Sources,
    stamps: &cache::Stamps,
) -> Loaded {
    let failed = |text: String, d: Diagnostic| Loaded {
        source: SourceFile::new(name.clone(), path.to_path_buf(), text),
        index: None,
        key: None,
        cached: false,
        digest: None,
        error: Some(d),
        package,
        stamp: None,
        unread: false,
    };
    // With a cache, a file read from disk is stamped as it is opened, before
    // it is read; a file whose stamp has not changed since the last run is
    // not read.
    let stamping = opts.cache.is_some() && matches!(sources, Sources::Disk);
    let stamp_key = (path.to_path_buf(), is_mod_root);
    let known = stamps.get(&stamp_key).filter(|_| stamping);
    if let (Some(c), Some(known)) = (&opts.cache, known) {
        let now = std::fs::metadata(path)
            .ok()
            .and_then(|m| cache::Stamp::of(&m));
        let unchanged = now.is_some_and(|now| now == known.stamp);
        if let Some((index, interface, digest)) =
            unchanged.then(|| c.load_index(known.key())).flatten()
        {
            return Loaded {
                source: SourceFile::unloaded(name, path.to_path_buf(), known.size, known.hash),
                index: Some(index),
                key: Some((known.key(), interface)),
                cached: true,
                digest: Some(digest),
                error: None,
                package,
                stamp: Some((stamp_key, known.clone())),
                unread: true,
            };
        }
    }
    let mut stamp = None;
    // (Only a file that drops its text is stamped: one that keeps it is read anyway.)
    let stamped = |stamp: Option<cache::Stamp>, source: &SourceFile, key: Option<cache::Key>| {
        let (stamp, key) = (stamp?, key?);
        (!source.is_loaded()).then(|| {
            let s = cache::Stamped::new(stamp, key, source.size, source.hash());
            (stamp_key.clone(), s)
        })
    };
    let bytes = match sources {
        Sources::Disk => read_disk(path, &name, opts.max_file_size).map(|(bytes, meta)| {
            stamp = stamping.then(|| cache::Stamp::of(&meta)).flatten();
            bytes
        }),
        Sources::Overlay(m) => match m.get(path) {
            Some(bytes) => Ok(bytes.clone()),
            None => read_disk(path, &name, opts.max_file_size).map(|(bytes, _)| bytes),
        },
        Sources::Memory(m) => m.get(path).cloned().ok_or_else(|| Unread {
            lint: IO_ERROR,
            message: format!("cannot read `{name}`: it does not exist"),
            note: None,
        }),
    };
    let mut bytes = match bytes {
        Ok(b) => b,
        Err(u) => {
            let mut d = Diagnostic::new(u.lint, Level::Error, u.message, usize::MAX, 0..0, "");
            if let Some(n) = u.note {
                d = d.with_note(n);
            }
            return failed(String::new(), d);
        }
    };
    // rustc ignores a byte order mark and counts columns without it.
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let lossy = String::from_utf8_lossy(e.as_bytes()).into_owned();
            // Offsets in the lossy text: up to `at` it is the same text.
            let d = Diagnostic::new(
                PARSE_ERROR,
                Level::Error,
                format!("`{name}` is not valid UTF-8 (invalid byte at offset {at})"),
                usize::MAX,
                at..at,
                "invalid UTF-8 here",
            )
            .with_note("Rust source files must be UTF-8; connlint checked the other files");
            return failed(lossy, d);
        }
    };
    // A file whose index is cached passed the nesting check under the same
    // limit (the key holds it): only the others are measured.
    let key = opts
        .cache
        .as_ref()
        .map(|c| (c, c.index_key(path, is_mod_root, opts.max_nesting, &text)));
    if let Some((k, (index, interface, digest))) =
        key.and_then(|(c, k)| Some((k, c.load_index(k)?)))
    {
        let mut source = SourceFile::new(name, path.to_path_buf(), text);
        unload_unless_suppressing(&mut source);
        let stamp = stamped(stamp, &source, Some(k));
        return Loaded {
            source,
            index: Some(index),
            key: Some((k, interface)),
            cached: true,
            digest: Some(digest),
            error: None,
            package,
            stamp,
            unread: false,
        };
    }
    let deepest = nesting::measure(&text);
    if deepest.depth > opts.max_nesting {
        let d = Diagnostic::new(
            PARSE_ERROR,
            Level::Error,
            format!(
                "`{name}` is nested too deeply to check: about {} levels, over the limit of {}",
                deepest.depth, opts.max_nesting
            ),
            usize::MAX,
            deepest.offset..deepest.offset,
            "the nesting passes the limit here",
        )
        .with_note("delimiters, generic arguments, closures, `else if` chains, operator and method chains each count as a level; raise the limit with `--max-nesting N` (connlint's threads get a stack sized for it)");
        return failed(text, d);
    }
    let result = contain(|| {
        // Items only: the walk parses the bodies of the files it reads.
        let parsed = items::parse_items_lined(&text);
        let out = match parsed {
            Ok((file, _lines)) => Ok(index::index_file(&file, path, is_mod_root, true)),
            Err(e) => Err(parse_error_at(&e)),
        };
        proc_macro2::extra::invalidate_current_thread_spans();
        out
    });
    let mut source = SourceFile::new(name.clone(), path.to_path_buf(), text);
    match result {
        Ok(Ok(index)) => {
            // Copied once the syntax tree is gone (see `walk_one`).
            let index = index.clone();
            let digest = prefilter::Digest::of(&source.text);
            unload_unless_suppressing(&mut source);
            let key = key.map(|(c, k)| (k, c.store_index(k, &index, &digest)));
            let stamp = stamped(stamp, &source, key.map(|(k, _)| k));
            Loaded {
                source,
                index: Some(index),
                key,
                cached: false,
                digest: Some(digest),
                error: None,
                package,
                stamp,
                unread: false,
            }
        }
        Ok(Err(at)) => {
            let d = parse_error(&source, at);
            Loaded {
                source,
                index: None,
                key: None,
                cached: false,
                digest: None,
                error: Some(d),
                package,
                stamp: None,
                unread: false,
            }
        }
        Err(panic) => {
            proc_macro2::extra::invalidate_current_thread_spans();
            Loaded {
                source,
                index: None,
                key: None,
                cached: false,
                digest: None,
                error: Some(internal_error(&name, "parsing", &panic, usize::MAX)),
                package,
                stamp: None,
                unread: false,
            }
        }
    }
}

/// Where `syn` stopped, and why, in words for the diagnostic.
fn parse_error_at(e: &syn::Error) -> (usize, usize, String) {
    let start = e.span().start();
    let mut message = e.to_string();
    if message == "cannot parse string into token stream" {
        // proc-macro2's lexer: an unclosed or mismatched delimiter, or a bad token.
        message = "unbalanced delimiters or an invalid token".to_string();
    }
    (start.line, start.column, message)
}

/// The diagnostic for a file `syn` cannot parse (its file id is set by the caller).
fn parse_error(source: &SourceFile, (line, column, message): (usize, usize, String)) -> Diagnostic {
    let at = source.offset(line, column);
    Diagnostic::new(
        PARSE_ERROR,
        Level::Error,
        format!("cannot parse `{}`: {message}", source.name),
        usize::MAX,
        at..at,
        "the parser stopped here",
    )
    .with_note("connlint checked the other files; fix the syntax error (or exclude the file) to check this one")
}

thread_local! {
    /// Set while a panic is contained on this thread: the hook records it
    /// instead of printing.
    static CONTAINING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static LAST_PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Installs (once) a panic hook that records panics of contained work with
/// their location, and leaves other panics to the default hook.
fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if CONTAINING.with(|c| c.get()) {
                let what = info
                    .payload()
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| info.payload().downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "a panic without a message".to_string());
                let at = info
                    .location()
                    .map(|l| format!(" at {}:{}:{}", l.file(), l.line(), l.column()))
                    .unwrap_or_default();
                LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{what}{at}")));
            } else {
                default(info);
            }
        }));
    });
}

/// Runs `f`, turning a panic into an error message (with its location).
pub fn contain<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_panic_hook();
    let was = CONTAINING.with(|c| c.replace(true));
    let result = std::panic::catch_unwind(AssertUnwindSafe(f));
    CONTAINING.with(|c| c.set(was));
    result.map_err(|payload| {
        LAST_PANIC
            .with(|p| p.borrow_mut().take())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_else(|| "a panic without a message".to_string())
    })
}

/// The diagnostic for a contained panic.
fn internal_error(name: &str, phase: &str, message: &str, file: FileId) -> Diagnostic {
    Diagnostic::new(
        INTERNAL_ERROR,
        Level::Error,
        format!("internal error while {phase} `{name}`: {message} (a bug in connlint: please report it)"),
        file,
        0..0,
        "",
    )
    .with_note("connlint checked the other files and went on")
    .with_note(format!(
        "this is a bug in connlint: please report it at {} with the file (or a reduced copy of it) and this message",
        env!("CARGO_PKG_REPOSITORY").split_whitespace().next().filter(|s| !s.is_empty()).unwrap_or("the connlint issue tracker")
    ))
}

/// Test hook: `CONNLINT_TEST_PANIC=<file name>` makes the walk of that file
/// panic, so tests can check that a panic in one file is contained in every
/// build profile.
fn test_panic_hook(name: &str) {
    if let Some(target) = std::env::var_os("CONNLINT_TEST_PANIC")
        && !target.is_empty()
        && name.ends_with(&*target.to_string_lossy())
    {
        panic!("CONNLINT_TEST_PANIC asked for a panic in `{name}`");
    }
}

fn thread_pool(threads: usize, stack: usize) -> rayon::ThreadPool {
    let mut builder = rayon::ThreadPoolBuilder::new().stack_size(stack);
    if threads > 0 {
        builder = builder.num_threads(threads);
    }
    match builder.build() {
        Ok(pool) => pool,
        Err(_) => rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .stack_size(stack)
            .build()
            .unwrap_or_else(|e| panic!("cannot start a thread: {e}")),
    }
}

/// Keeps the kernel from backing the heap with transparent huge pages.
/// mimalloc asks for them (`MADV_HUGEPAGE`) on its arenas, and then every
/// first touch of a 2 MiB page zeroes all of it: on a warm run over the
/// corpus quarter that zeroing was a quarter of the CPU time and the run took
/// 20% longer. Syntax trees and tables are many small, short-lived
/// allocations; 4 KiB pages serve them as well. (The command line and the
/// benchmark's children call it first.)
pub fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: `PR_SET_THP_DISABLE` takes plain integer arguments and only
    // sets a flag of this process; a failure (an old kernel) changes nothing.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// Runs the analysis over a discovered workspace.
pub fn analyze(ws: &Workspace, catalog: &Catalog, opts: &Options) -> Analysis {
    analyze_with(ws, catalog, opts, Sources::Disk)
}

/// Runs the analysis with file contents from `sources`. Parsing, walking and
/// the lints run on threads whose stack fits `opts.max_nesting` (including
/// the `Drop` of a deep syntax tree).
pub fn analyze_with(
    ws: &Workspace,
    catalog: &Catalog,
    opts: &Options,
    sources: Sources,
) -> Analysis {
    install_panic_hook();
    // The entries a run uses are its own (a language server runs many).
    let opts = &Options {
        cache: opts.cache.as_ref().map(cache::Cache::for_run),
        ..opts.clone()
    };
    let pool = thread_pool(opts.threads, nesting::stack_size_for(opts.max_nesting));
    pool.install(|| analyze_in_pool(ws, catalog, opts, sources))
}

/// The per-file pipeline on text in memory: one file, read as a loose file
/// (source text in, diagnostics out). Used by the fuzz targets.
pub fn check_source(name: &str, bytes: &[u8], catalog: &Catalog, opts: &Options) -> Analysis {
    let root = PathBuf::from("/connlint-memory");
    let path = root.join(name);
    let mut files = HashMap::new();
    files.insert(path.clone(), bytes.to_vec());
    let ws = Workspace {
        root: root.clone(),
        packages: vec![workspace::Package {
            name: "memory".into(),
            id: "memory".into(),
            manifest_path: root.join("Cargo.toml"),
            dir: root.clone(),
            targets: vec![workspace::Target {
                name: "memory".into(),
                kind: vec!["walk".into()],
                crate_types: Vec::new(),
                src_path: path,
                edition: "2021".into(),
            }],
            ..Default::default()
        }],
        ..Default::default()
    };
    analyze_with(&ws, catalog, opts, Sources::Memory(&files))
}

/// What every batch of a run shares (see `Options::batch_bytes`).
struct Shared {
    roots: Vec<CrateRoot>,
    closures: Vec<Vec<usize>>,
    /// Packages read at all (see `packages::needed`).
    needed: Vec<bool>,
    /// Per package: whether other members of the workspace use it.
    used: Vec<bool>,
    /// The stamps of the last run over this root (with a cache, from disk).
    old_stamps: cache::Stamps,
    timings: bool,
    clock: std::time::Instant,
}

fn analyze_in_pool(
    ws: &Workspace,
    catalog: &Catalog,
    opts: &Options,
    sources: Sources,
) -> Analysis {
    let timings = std::env::var_os("CONNLINT_TIMINGS").is_some();
    let clock = std::time::Instant::now();
    // With the prefilter, the packages no build with a catalog crate needs
    // are not read at all (see `packages`).
    let closures = packages::closures(&ws.packages);
    let files = |p: usize| ws.files_under(&ws.packages[p].dir);
    let needed = if opts.prefilter {
        let crates = packages::CatalogCrates::new(catalog);
        let read = |path: &Path| match sources {
            Sources::Memory(m) => m.get(path).cloned(),
            Sources::Overlay(m) => m
                .get(path)
                .cloned()
                .or_else(|| read_disk(path, "", opts.max_file_size).ok().map(|(b, _)| b)),
            Sources::Disk => read_disk(path, "", opts.max_file_size).ok().map(|(b, _)| b),
        };
        let mentions = |path: &Path| read(path).is_none_or(|t| crates.mentioned_in(&t));
        // With a cache, a file whose stamp is that of the last run is not
        // read again: its answer is kept with its stamp.
        match (&opts.cache, sources) {
            (Some(c), Sources::Disk) => {
                let key = c.scan_key(&ws.root, opts.max_file_size);
                let old = c.load_scan(key);
                let new = std::sync::Mutex::new(Vec::new());
                let remembered = |path: &Path| {
                    let stamp = std::fs::metadata(path)
                        .ok()
                        .and_then(|m| cache::Stamp::of(&m));
                    let known = stamp
                        .as_ref()
                        .and_then(|s| old.get(path).filter(|(o, _)| o == s))
                        .map(|&(_, m)| m);
                    let found = known.unwrap_or_else(|| mentions(path));
                    if let (Some(s), Ok(mut new)) = (stamp, new.lock()) {
                        new.push((path.to_path_buf(), s, found));
                    }
                    found
                };
                let needed = packages::needed(
                    &ws.packages,
                    &closures,
                    &crates,
                    opts.include_tests,
                    &files,
                    &remembered,
                );
                let new: cache::Scan = new
                    .into_inner()
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(p, s, m)| (p, (s, m)))
                    .collect();
                if new != old {
                    c.store_scan(key, &new);
                }
                needed
            }
            _ => packages::needed(
                &ws.packages,
                &closures,
                &crates,
                opts.include_tests,
                &files,
                &mentions,
            ),
        }
    } else {
        vec![true; ws.packages.len()]
    };
    let skipped_packages: Vec<usize> = (0..needed.len()).filter(|&p| !needed[p]).collect();
    if timings {
        eprintln!(
            "connlint prefilter: {} of {} packages skipped unread (at {:.3}s)",
            skipped_packages.len(),
            needed.len(),
            clock.elapsed().as_secs_f64()
        );
    }
    let stamps_at = match (&opts.cache, sources) {
        (Some(c), Sources::Disk) => Some((
            c,
            c.stamps_key(&ws.root, opts.max_nesting, opts.max_file_size),
        )),
        _ => None,
    };
    let old_stamps = stamps_at.map(|(c, k)| c.load_stamps(k)).unwrap_or_default();
    // For a library crate: whether other members of the workspace use it
    // (test harnesses and example packages show how outsiders call it, not
    // all of its callers).
    let users: Vec<&workspace::Package> = ws
        .packages
        .iter()
        .filter(|p| !p.is_test && !p.is_demo(&ws.root))
        .collect();
    let used: Vec<bool> = ws
        .packages
        .iter()
        .map(|q| {
            users
                .iter()
                .any(|p| p.id != q.id && p.local_dependencies().any(|d| *d == q.name))
        })
        .collect();
    let mut batches = packages::batches(&ws.packages, &closures, &needed, &files, opts.batch_bytes);
    // A batch of skipped packages only has nothing to read (one batch still
    // runs when all are skipped: it reports what discovery could not check).
    batches.retain(|b| b.iter().zip(&needed).any(|(&m, &n)| m && n));
    if batches.is_empty() {
        batches.push(vec![false; ws.packages.len()]);
    }
    if timings {
        let at = clock.elapsed().as_secs_f64();
        eprintln!("connlint timing: {} batches at {at:.3}s", batches.len());
    }
    let shared = Shared {
        roots: crate_roots(ws, opts.include_tests),
        closures,
        needed,
        used,
        old_stamps,
        timings,
        clock,
    };
    let mut out = Analysis {
        skipped_packages,
        ..Analysis::default()
    };
    let mut stamps = cache::Stamps::default();
    let mut seen = HashSet::new();
    // With a cache, a batch whose files all have their stamps still is
    // taken whole from its entry (the one that reports discovery's problems
    // is always run).
    let batch_cache = match (&opts.cache, sources, opts.shard) {
        (Some(c), Sources::Disk, None) => Some(c),
        _ => None,
    };
    let options = format!(
        "{:?}",
        (
            opts.include_tests,
            opts.call_graph,
            opts.public_api,
            opts.pedantic,
            opts.error_paths,
            opts.prefilter,
            opts.max_file_size,
            opts.max_nesting,
        )
    );
    let canon = Canon::default();
    let run = |i: usize| -> (Analysis, cache::Stamps) {
        if timings && batches.len() > 1 {
            eprintln!(
                "connlint batch {} of {}: {} packages",
                i + 1,
                batches.len(),
                batches[i].iter().filter(|&&b| b).count()
            );
        }
        let key = batch_cache
            .filter(|_| i > 0 || ws.problems.is_empty())
            .map(|c| {
                let members: Vec<cache::BatchPackage> = (0..ws.packages.len())
                    .filter(|&p| batches[i][p])
                    .map(|p| cache::BatchPackage {
                        index: p,
                        package: &ws.packages[p],
                        needed: shared.needed[p],
                        used: shared.used[p],
                        closure: &shared.closures[p],
                    })
                    .collect();
                (c, c.batch_key(&ws.root, &members, &options))
            });
        let entry = key.and_then(|(c, k)| c.load_batch(k));
        let mut reindexed = 0;
        let changed = entry.as_ref().and_then(|e| e.changed(&|p| canon.of(p)));
        let unchanged = changed.as_ref().is_some_and(Vec::is_empty);
        if let (Some(entry), Some((c, _)), true) = (&entry, key, unchanged) {
            c.mark_used(&entry.used);
        }
        // An edit that cannot change the batch's result: the entry, with the
        // edited files' new stamps.
        let entry = match (entry, changed) {
            (Some(e), _) if unchanged => Some(e),
            (Some(e), Some(edited)) => {
                let kept = early_cutoff(e, &edited, opts, sources, timings, &mut reindexed);
                if let (Some(e), Some((c, k))) = (&kept, key) {
                    c.mark_used(&e.used);
                    c.store_batch(k, e);
                }
                kept
            }
            _ => None,
        };
        if let Some(entry) = entry {
            let (mut a, stamps) = Batch::from_entry(entry);
            if !unchanged {
                a.stats.cached_batches = 0;
                a.stats.cutoff_batches = 1;
                a.stats.indexed = reindexed;
                a.stats.stamped -= reindexed;
            }
            // (A file that changed since its stamp was checked: run afresh.)
            if show(&mut a, opts, sources) {
                return (a, stamps);
            }
        }
        let mut b = analyze_batch(ws, catalog, opts, sources, &shared, &batches[i], i == 0);
        // (A file the cutoff parsed before it gave up is indexed from the cache here.)
        b.analysis.stats.indexed += reindexed;
        let unchanged = show(&mut b.analysis, opts, sources);
        if let (Some((c, k)), true) = (key, unchanged)
            && let Some(entry) = b.entry()
        {
            c.store_batch(k, &entry);
        }
        (b.analysis, b.stamps)
    };
    // Two batches at a time: the serial phases of one (module tree, item
    // tables, call graph) overlap the parallel ones of the other, and
    // memory holds at most two.
    let mut next = 0;
    while next < batches.len() {
        let parts = if next + 1 < batches.len() && rayon::current_num_threads() > 1 {
            let (a, b) = rayon::join(|| run(next), || run(next + 1));
            vec![a, b]
        } else {
            vec![run(next)]
        };
        next += parts.len();
        for (part, part_stamps) in parts {
            stamps.extend(part_stamps);
            out.append(part, &mut seen);
        }
    }
    if let Some((c, k)) = stamps_at
        && stamps != shared.old_stamps
    {
        c.store_stamps(k, &stamps);
    }
    free_in_background(shared, opts.max_nesting);
    if let (Some(c), Sources::Disk) = (&opts.cache, sources)
        && let Some(t) = c.trim(&ws.root)
        && timings
    {
        eprintln!(
            "connlint cache: trimmed {} entries ({} MiB), kept {} ({} MiB)",
            t.removed,
            t.freed >> 20,
            t.kept,
            t.kept_bytes >> 20
        );
    }
    out
}

/// Runs the pipeline over the needed packages of one batch (`members[p]`);
/// with `problems`, it also reports what discovery could not check.
fn analyze_batch(
    ws: &Workspace,
    catalog: &Catalog,
    opts: &Options,
    sources: Sources,
    shared: &Shared,
    members: &[bool],
    problems: bool,
) -> Batch {
    let Shared {
        roots,
        closures,
        needed,
        used,
        old_stamps,
        timings,
        clock,
    } = shared;
    let timings = *timings;
    let lap = |what: &str| {
        if timings {
            eprintln!(
                "connlint timing: {what} at {:.3}s, {} MiB resident",
                clock.elapsed().as_secs_f64(),
                resident_mib()
            );
        }
    };
    let wanted = |p: usize| needed[p] && members[p];
    // 1. Load every root and, breadth-first, every file a `mod` declaration names.
    let mut loaded: Vec<Loaded> = Vec::new();
    let mut by_path: HashMap<PathBuf, FileId> = HashMap::new();
    let mut frontier: Vec<(PathBuf, bool, usize)> = Vec::new();
    let mut queued: HashSet<PathBuf> = HashSet::new();
    let canon = Canon::default();
    let mut canonical_of: HashMap<PathBuf, PathBuf> = HashMap::new();
    // Every path a root or a `mod` declaration gave, where it led, and
    // whether a file was there (for the batch's cache entry).
    let mut paths: Vec<(PathBuf, PathBuf, bool)> = Vec::new();
    for r in roots.iter().filter(|r| wanted(r.package)) {
        let c = canon.of(&r.path);
        paths.push((r.path.clone(), c.clone(), true));
        canonical_of.insert(r.path.clone(), c.clone());
        if queued.insert(c.clone()) {
            let root_like = r.kind != "walk" || is_mod_root_name(&c);
            frontier.push((c, root_like, r.package));
        }
    }
    while !frontier.is_empty() {
        let batch: Vec<(Loaded, Vec<(PathBuf, PathBuf)>)> = frontier
            .par_iter()
            .map(|(path, root_like, package)| {
                let name = source::display_name(path, &ws.root);
                let l = load_file(
                    path,
                    name,
                    *root_like || is_mod_root_name(path),
                    opts,
                    *package,
                    sources,
                    old_stamps,
                );
                let children = l.index.iter().flat_map(|idx| &idx.scopes);
                let children = children
                    .flat_map(|s| &s.mod_files)
                    .map(|(_, child)| (child.clone(), canon.of(child)))
                    .collect();
                (l, children)
            })
            .collect();
        let mut next = Vec::new();
        for ((l, children), (path, _, package)) in batch.into_iter().zip(frontier.drain(..)) {
            for (child, c) in children {
                let found = sources.is_file(&c);
                if found && queued.insert(c.clone()) {
                    next.push((c.clone(), false, package));
                }
                paths.push((child.clone(), c.clone(), found));
                canonical_of.insert(child, c);
            }
            by_path.insert(path, loaded.len());
            loaded.push(l);
        }
        frontier = next;
    }
    let stamps: cache::Stamps = loaded.iter().filter_map(|l| l.stamp.clone()).collect();
    // Its result can be kept when every file it read is stamped.
    let keepable = stamps.len() == loaded.len();
    // Every path a root or a `mod` declaration gave finds its file.
    for (written, c) in canonical_of {
        if let Some(&id) = by_path.get(&c) {
            by_path.entry(written).or_insert(id);
        }
    }

    lap("load, parse and index");
    // 2. The module tree of every crate.
    let mut files = Vec::with_capacity(loaded.len());
    let mut file_package = Vec::with_capacity(loaded.len());
    let mut indexes = Vec::with_capacity(loaded.len());
    let mut index_keys = Vec::with_capacity(loaded.len());
    let mut digests = Vec::with_capacity(loaded.len());
    let mut diagnostics = Vec::new();
    let mut checked = 0;
    let mut stats = Stats::default();
    for (id, l) in loaded.into_iter().enumerate() {
        if let Some(mut d) = l.error {
            d.primary.file = id;
            diagnostics.push(d);
        }
        checked += usize::from(l.index.is_some());
        stats.indexed += usize::from(l.index.is_some() && !l.cached);
        stats.stamped += usize::from(l.unread);
        files.push(l.source);
        file_package.push(Some(l.package));
        index_keys.push(l.key);
        digests.push(l.digest);
        indexes.push(l.index.unwrap_or_default());
    }
    if timings {
        eprintln!(
            "connlint cache: {} of {} files parsed for the index, {} not read (unchanged stamps)",
            stats.indexed,
            files.len(),
            stats.stamped
        );
    }
    // What discovery met but could not check (symlinks, unreadable folders).
    for p in ws.problems.iter().filter(|_| problems) {
        let id = files.len();
        let name = source::display_name(&p.path, &ws.root);
        let message = p.message.replace(&p.path.display().to_string(), &name);
        let mut d = Diagnostic::new(p.lint, p.level, message, id, 0..0, "");
        if let Some(n) = &p.note {
            d = d.with_note(n.clone());
        }
        diagnostics.push(d);
        files.push(SourceFile::new(name, p.path.clone(), String::new()));
        file_package.push(None);
        indexes.push(FileIndex::default());
    }
    let mut ws_index = WorkspaceIndex::new(indexes);
    let referenced: HashSet<FileId> = ws_index
        .files
        .iter()
        .flat_map(|f| f.scopes.iter().flat_map(|s| s.mod_files.iter()))
        .filter_map(|(_, p)| by_path.get(p).copied())
        .collect();
    let mut assigned: HashSet<FileId> = HashSet::new();
    let mut crate_paths: Vec<PathBuf> = Vec::new();
    for r in roots {
        let Some(&file) = by_path.get(&r.path) else {
            continue;
        };
        if r.kind == "walk" && referenced.contains(&file) {
            continue;
        }
        if ws_index.files[file].scopes.is_empty() {
            continue;
        }
        let krate = ws_index.add_crate(&r.name, r.package, r.is_lib, &r.kind);
        crate_paths.resize(krate + 1, PathBuf::new());
        crate_paths[krate] = r.path.clone();
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
    ws_index.closures = closures.clone();
    ws_index.externals = ws
        .packages
        .iter()
        .map(|p| {
            let names = p.external_dependencies.iter();
            names.map(|d| d.replace('-', "_")).collect()
        })
        .collect();
    ws_index.build_items(catalog);

    let file_root: Vec<Option<PathBuf>> = (0..files.len())
        .map(|file| {
            let module = ws_index.module_of_scope(file, 0)?;
            crate_paths.get(ws_index.modules[module].krate).cloned()
        })
        .collect();
    lap("module tree and item tables");
    let links = packages::Links::new(closures, file_package.clone());
    // 3. Facts: walk every file that belongs to a module.
    let mut jobs: Vec<(FileId, usize)> = Vec::new();
    for (file, _) in files.iter().enumerate() {
        if let Some(module) = ws_index.module_of_scope(file, 0) {
            jobs.push((file, module));
        }
    }
    if let Some(shard) = opts.shard {
        jobs.retain(|&(f, _)| shard.owns(&files[f].name));
    }
    // With a cache: facts are valid while the interface (every index, the
    // packages, catalog, config and options) and the file are unchanged.
    // (A file without an index, unreadable or unparsable, counts by its path.)
    let interface = opts.cache.as_ref().map(|c| {
        let paths = files.iter().map(|f| f.path.as_path());
        let interfaces = index_keys
            .iter()
            .map(|k| k.map_or(cache::Key::NONE, |(_, i)| i));
        c.interface(
            paths.zip(interfaces),
            &ws.packages,
            &[opts.include_tests, opts.error_paths],
        )
    });
    let from_cache = std::sync::atomic::AtomicUsize::new(0);
    // The cache entries the batch is made from (its entry lists them).
    let used_facts = std::sync::Mutex::new(Vec::new());
    let cached_walk = |file: FileId, module: usize| -> Result<FileFacts, Box<Diagnostic>> {
        let key = match (
            &opts.cache,
            interface,
            index_keys.get(file).copied().flatten(),
        ) {
            (Some(c), Some(i), Some((k, _))) => Some((c, c.facts_key(i, k, file, module))),
            _ => None,
        };
        if let (Some((_, k)), Ok(mut used)) = (key, used_facts.lock()) {
            used.push(cache::Cache::facts_id(k));
        }
        if let Some(facts) = key.and_then(|(c, k)| c.load_facts(k)) {
            from_cache.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            return Ok(facts);
        }
        let facts = walk_one(
            &files[file],
            &ws.packages[file_package[file].unwrap_or(0)],
            &ws_index,
            catalog,
            opts,
            sources,
            file,
            module,
        );
        if let (Some((c, k)), Ok(f)) = (key, &facts) {
            c.store_facts(k, f);
        }
        facts
    };
    // Largest files first: a large file taken last would leave the other
    // threads idle at the end of a round (the results keep the batch's order).
    let walk_files =
        |batch: &[(FileId, usize)]| -> Vec<(FileId, Result<FileFacts, Box<Diagnostic>>)> {
            let mut order: Vec<usize> = (0..batch.len()).collect();
            order.sort_by_key(|&i| std::cmp::Reverse(files[batch[i].0].size));
            let mut out: Vec<_> = order
                .par_iter()
                .map(|&i| (i, cached_walk(batch[i].0, batch[i].1)))
                .collect();
            out.sort_unstable_by_key(|(i, _)| *i);
            out.into_iter().map(|(i, r)| (batch[i].0, r)).collect()
        };
    let mut select = None;
    let facts = if opts.prefilter {
        let kept = opts.cache.as_ref().zip(interface);
        let seeds = match kept.and_then(|(c, i)| c.load_seeds(i)) {
            Some(seeds) => seeds,
            None => {
                let seeds = prefilter::seeds(&ws_index, catalog);
                if let Some((c, i)) = kept {
                    c.store_seeds(i, &seeds);
                }
                seeds
            }
        };
        if timings {
            eprintln!(
                "connlint prefilter: {} seed names ({} for every package: {:?})",
                seeds.len(),
                seeds.head_keys.len(),
                seeds
                    .head_keys
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
            );
            if std::env::var_os("CONNLINT_NAMES").is_some() {
                for (p, names) in &seeds.by_package {
                    eprintln!("  package {p}: {names:?}");
                }
            }
        }
        let text = |f: FileId| text_of(&files[f], opts, sources);
        let sizes: Vec<usize> = files.iter().map(|f| f.size).collect();
        let run = prefilter::Run {
            jobs: &jobs,
            files: files.len(),
            text: &text,
            seeds: &seeds,
            closures,
            links: &links,
            digests: &digests,
            sizes: &sizes,
            timings,
        };
        let walked = prefilter::rounds(&run, walk_files);
        select = Some(prefilter::selecting(&run, &walked.known));
        walked.facts
    } else {
        walk_files(&jobs)
    };
    // The words served the rounds only.
    drop(digests);
    // What an edit of a file must keep for the batch's result to stand.
    let cutoff = select.map(|select| {
        let mut walked = vec![false; files.len()];
        for (f, _) in &facts {
            walked[*f] = true;
        }
        let interface = (0..files.len())
            .map(|f| {
                let key = index_keys.get(f).copied().flatten();
                key.map_or(0, |(_, i)| i.value())
            })
            .collect();
        cache::Cutoff {
            interface,
            walked,
            select,
        }
    });
    stats.cached_facts = from_cache.into_inner();
    stats.walked = facts.len() - stats.cached_facts;
    let mut file_facts = Vec::new();
    for (_, r) in facts {
        match r {
            Ok(f) => file_facts.push(f),
            Err(d) => diagnostics.push(*d),
        }
    }
    lap("facts");
    // 4. Call graph and lints.
    let used_in_workspace = |pkg: usize| used[pkg];
    // Per file: whether its crate is a library, and its package. Nothing
    // after this reads the index: it is freed on a thread of its own while
    // the call graph is built (on a large tree it is half of the memory).
    let crate_of: Vec<Option<(bool, usize)>> = (0..ws_index.files.len())
        .map(|f| {
            let module = ws_index.module_of_scope(f, 0)?;
            let krate = &ws_index.crates[ws_index.modules[module].krate];
            Some((krate.is_lib, krate.package))
        })
        .collect();
    free_in_background(ws_index, opts.max_nesting);
    let in_lib = |f: &facts::FnFacts| {
        let (is_lib, package) = crate_of.get(f.file).copied().flatten()?;
        // Its callers are all in view when the workspace's crates use it, or
        // when it is not published (nobody outside can depend on it).
        is_lib.then(|| used_in_workspace(package) || ws.packages[package].unpublished)
    };
    let public_api = opts
        .public_api
        .then_some(catalog.contexts.entry_names.as_slice());
    // A panic here is not one file's: it is reported once, without a file,
    // and the per-file diagnostics found so far are still printed.
    let whole =
        |phase: &str, message: &str| internal_error("the workspace", phase, message, usize::MAX);
    match contain(|| {
        callgraph::CallGraph::new(&file_facts, in_lib, public_api, opts.call_graph, &links)
    }) {
        Ok(graph) => {
            // The checks read the text around what they report (for their
            // suggestions and the places their notes name): those files are
            // read again, once, when a check first asks.
            let reread =
                |f: FileId| text_of(&files[f], opts, sources).map(std::borrow::Cow::into_owned);
            let cx = checks::construction::Context::new(catalog, &graph, &files, &reread);
            let mut found = Vec::new();
            match contain(|| checks::construction::check(&cx, &mut found)) {
                Ok(()) => diagnostics.append(&mut found),
                Err(m) => diagnostics.push(whole("checking client constructions in", &m)),
            }
            match contain(|| checks::unread_response_body::check(&cx, &mut found)) {
                Ok(()) => diagnostics.append(&mut found),
                Err(m) => diagnostics.push(whole("checking responses in", &m)),
            }
            // (A file that changed stays unloaded: the report below finds it.)
            let read = cx.finish();
            drop(graph);
            for (f, source) in read {
                files[f] = source;
            }
        }
        Err(m) => diagnostics.push(whole("building the call graph of", &m)),
    }
    if opts.pedantic {
        for d in &mut diagnostics {
            if let Some(why) = &d.pedantic {
                let note = format!("reported at the pedantic level: {why}");
                d.notes.insert(0, note);
            }
        }
    }
    let (quiet, diagnostics): (Vec<Diagnostic>, Vec<Diagnostic>) = diagnostics
        .into_iter()
        .partition(|d| d.pedantic.is_some() && !opts.pedantic);

    lap("call graph and lints");
    free_in_background(file_facts, opts.max_nesting);
    let analysis = Analysis {
        files,
        file_package,
        file_root,
        diagnostics,
        checked,
        quiet,
        stats,
        skipped_packages: Vec::new(),
    };
    let paths = keepable.then_some(paths);
    let mut used = used_facts.into_inner().unwrap_or_default();
    let indexes = index_keys
        .iter()
        .flatten()
        .map(|&(k, _)| cache::Cache::index_id(k));
    used.extend(indexes.chain(interface.map(cache::Cache::seeds_id)));
    Batch {
        analysis,
        stamps,
        paths,
        used,
        cutoff,
    }
}

/// What one batch gave: its analysis (file ids of its own, not yet shown),
/// the stamps of the files it read, and, when its result can be kept in the
/// cache, the paths it followed (see `cache::BatchEntry`).
struct Batch {
    analysis: Analysis,
    stamps: cache::Stamps,
    paths: Option<Vec<(PathBuf, PathBuf, bool)>>,
    /// The cache entries it was made from (`cache::BatchEntry::used`).
    used: Vec<cache::EntryId>,
    cutoff: Option<cache::Cutoff>,
}

impl Batch {
    /// Its cache entry, when its result can be kept.
    fn entry(&self) -> Option<cache::BatchEntry> {
        let a = &self.analysis;
        Some(cache::BatchEntry {
            files: a
                .files
                .iter()
                .map(|f| (f.name.clone(), f.path.clone(), f.size, f.hash()))
                .collect(),
            file_package: a.file_package.clone(),
            file_root: a.file_root.clone(),
            diagnostics: a.diagnostics.clone(),
            quiet: a.quiet.clone(),
            checked: a.checked,
            stamps: self
                .stamps
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            paths: self.paths.clone()?,
            used: self.used.clone(),
            cutoff: self.cutoff.clone(),
        })
    }

    /// The analysis and stamps a cache entry kept (its files unloaded).
    fn from_entry(entry: cache::BatchEntry) -> (Analysis, cache::Stamps) {
        let files: Vec<SourceFile> = entry
            .files
            .into_iter()
            .map(|(name, path, size, hash)| SourceFile::unloaded(name, path, size, hash))
            .collect();
        let stats = Stats {
            stamped: files.len(),
            cached_batches: 1,
            ..Stats::default()
        };
        let analysis = Analysis {
            files,
            file_package: entry.file_package,
            file_root: entry.file_root,
            diagnostics: entry.diagnostics,
            quiet: entry.quiet,
            checked: entry.checked,
            stats,
            skipped_packages: Vec::new(),
        };
        (analysis, entry.stamps.into_iter().collect())
    }
}

/// Early cutoff: `entry` brought up to date when the files edited since it
/// was kept cannot change its result. Each edited file must be one the
/// rounds did not walk, index as it did (same interface, no error) without
/// the word `connlint`, and name nothing that would have the rounds walk it
/// (`Cutoff::select` of its package). Then every index interface, every
/// walked file and so every fact is as it was, and so is every finding
/// (the edited file holds none: only walked files do). `edited` is what
/// `BatchEntry::changed` found (the paths the batch followed lead where
/// they led). `None` when anything else changed.
fn early_cutoff(
    mut entry: cache::BatchEntry,
    edited: &[usize],
    opts: &Options,
    sources: Sources,
    timings: bool,
    parsed: &mut usize,
) -> Option<cache::BatchEntry> {
    /// More edited files than this: a run of its own is as quick.
    const MOST: usize = 16;
    // (With CONNLINT_TIMINGS, why the batch runs again.)
    let not = |why: &str| {
        if timings {
            eprintln!("connlint cache: the batch runs again: {why}");
        }
        None
    };
    let cut = entry.cutoff.as_ref()?;
    if !matches!(sources, Sources::Disk) || !opts.prefilter {
        return None;
    }
    if edited.is_empty() || edited.len() > MOST {
        return not(&format!("{} files changed", edited.len()));
    }
    let select: HashMap<Option<usize>, &[u32]> =
        cut.select.iter().map(|(p, h)| (*p, h.as_slice())).collect();
    let mut updates = Vec::new();
    for &i in edited {
        let ((path, is_mod_root), _) = &entry.stamps[i];
        let file = entry.files.iter().position(|(_, p, _, _)| p == path)?;
        let package = entry.file_package.get(file).copied().flatten()?;
        let name = entry.files[file].0.clone();
        if cut.walked.get(file).copied().unwrap_or(true) {
            return not(&format!("`{name}` was walked"));
        }
        let l = load_file(
            path,
            name,
            *is_mod_root,
            opts,
            package,
            sources,
            &cache::Stamps::default(),
        );
        *parsed += usize::from(l.index.is_some() && !l.cached);
        // (A file that keeps its text has the word `connlint`.)
        let name = &entry.files[file].0;
        let (Some(_), None, Some((key, interface)), Some(digest), false) =
            (&l.index, &l.error, l.key, &l.digest, l.source.is_loaded())
        else {
            return not(&format!("`{name}` has an error or a suppression comment"));
        };
        if cut.interface.get(file) != Some(&interface.value()) {
            return not(&format!("the interface of `{name}` changed"));
        }
        if digest.selected_by(select.get(&Some(package)).copied().unwrap_or(&[])) {
            return not(&format!("`{name}` names what a walk looks for"));
        }
        // A file changed less than a second ago gets no stamp: it keeps its
        // old one, and the next run looks at it again.
        updates.push((i, file, l.stamp, key, l.source.size, l.source.hash()));
    }
    if timings {
        eprintln!(
            "connlint cache: {} edited file(s) cannot change the batch: its result is kept",
            updates.len()
        );
    }
    for (i, file, stamp, key, size, hash) in updates {
        if let Some(stamp) = stamp {
            entry.stamps[i] = stamp;
        }
        entry.files[file].2 = size;
        entry.files[file].3 = hash;
        entry.used.push(cache::Cache::index_id(key));
    }
    Some(entry)
}

/// (File, span, lint, message) of a finding, to report it once.
type Seen = (PathBuf, usize, usize, &'static str, String);

impl Analysis {
    /// Adds a batch's analysis after this one's: its file ids follow those
    /// already here, and a finding already reported (in a file that two
    /// batches read: a `#[path]` module shared across packages) is left out.
    fn append(&mut self, part: Analysis, seen: &mut HashSet<Seen>) {
        let offset = self.files.len();
        let shift = |f: &mut FileId| {
            if *f != usize::MAX {
                *f += offset;
            }
        };
        let mut first = |d: &Diagnostic| {
            let Some(file) = part.files.get(d.primary.file) else {
                return true;
            };
            let span = &d.primary.span;
            seen.insert((
                file.path.clone(),
                span.start,
                span.end,
                d.lint,
                d.message.clone(),
            ))
        };
        for (list, from) in [
            (&mut self.diagnostics, part.diagnostics),
            (&mut self.quiet, part.quiet),
        ] {
            for mut d in from {
                if !first(&d) {
                    continue;
                }
                shift(&mut d.primary.file);
                for l in &mut d.secondary {
                    shift(&mut l.file);
                }
                for h in &mut d.helps {
                    for e in h.suggestion.iter_mut().flat_map(|s| &mut s.edits) {
                        shift(&mut e.file);
                    }
                }
                list.push(d);
            }
        }
        self.files.extend(part.files);
        self.file_package.extend(part.file_package);
        self.file_root.extend(part.file_root);
        self.checked += part.checked;
        self.stats += part.stats;
        self.stats.batches += 1;
    }
}

/// Gives back the text of every file a diagnostic of `a` shows (a file that
/// changed since it was read loses its findings to an `io_error`), and
/// sorts the diagnostics. False when a file changed.
fn show(a: &mut Analysis, opts: &Options, sources: Sources) -> bool {
    let Analysis {
        files,
        diagnostics,
        quiet,
        ..
    } = a;
    // Every file a diagnostic shows has its text again.
    let shown = |d: &Diagnostic| {
        let edits = d.helps.iter().flat_map(|h| {
            h.suggestion
                .iter()
                .flat_map(|s| s.edits.iter().map(|e| e.file))
        });
        std::iter::once(d.primary.file)
            .chain(d.secondary.iter().map(|l| l.file))
            .chain(edits)
            .collect::<Vec<FileId>>()
    };
    let wanted: Vec<FileId> = diagnostics
        .iter()
        .chain(quiet.iter())
        .flat_map(shown)
        .collect();
    let changed = reload(files, wanted, opts, sources);
    if !changed.is_empty() {
        diagnostics.retain(|d| !shown(d).iter().any(|f| changed.contains(f)));
        for &f in &changed {
            diagnostics.push(changed_file(&files[f], f));
        }
    }
    diagnostics.sort_by(|a, b| {
        a.sort_key()
            .cmp(&b.sort_key())
            .then_with(|| a.message.cmp(&b.message))
    });
    diagnostics.dedup_by(|a, b| a.sort_key() == b.sort_key() && a.message == b.message);
    changed.is_empty()
}

/// The resident memory of this process in MiB (0 where `/proc` is missing).
fn resident_mib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
            line.split_whitespace().nth(1)?.parse::<u64>().ok()
        })
        .map_or(0, |kib| kib / 1024)
}

/// Parses one file again and walks it into facts. Never fails: a panic
/// becomes an error message for the diagnostic.
#[allow(clippy::too_many_arguments)]
fn walk_one(
    source: &SourceFile,
    package: &workspace::Package,
    index: &WorkspaceIndex,
    catalog: &Catalog,
    opts: &Options,
    sources: Sources,
    file: FileId,
    module: usize,
) -> Result<FileFacts, Box<Diagnostic>> {
    let Some(text) = text_of(source, opts, sources) else {
        return Err(Box::new(changed_file(source, file)));
    };
    let result = contain(|| {
        test_panic_hook(&source.name);
        let out = match parse_source_lined(&text) {
            Ok((ast, _lines)) => {
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
            // The index parsed only the items: a body's syntax error shows here.
            Err(e) => Err(parse_error_at(&e)),
        };
        proc_macro2::extra::invalidate_current_thread_spans();
        out
    });
    if result.is_err() {
        proc_macro2::extra::invalidate_current_thread_spans();
    }
    let mut d = match result {
        // A copy made after the syntax tree is gone: the facts live for the
        // whole run, and allocated among the tree's nodes they would keep
        // its pages resident.
        Ok(Ok(facts)) => return Ok(facts.clone()),
        // (Positions from the text read again: `source` may be unloaded.)
        Ok(Err(at)) => parse_error(
            &SourceFile::new(source.name.clone(), source.path.clone(), text.into_owned()),
            at,
        ),
        Err(panic) => internal_error(&source.name, "analyzing", &panic, file),
    };
    d.primary.file = file;
    Err(Box::new(d))
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
    // Only the `mod x;` lists: cloning whole scopes (every signature of a
    // large file) per module would cost the file's size again.
    let mod_lists: Vec<Vec<(String, PathBuf)>> = index.files[file]
        .scopes
        .iter()
        .map(|s| s.mod_files.clone())
        .collect();
    for (scope_id, mod_files) in mod_lists.iter().enumerate() {
        let Some(scope_module) = index.module_of_scope(file, scope_id).or(if scope_id == 0 {
            Some(module)
        } else {
            None
        }) else {
            continue;
        };
        for (name, child) in mod_files {
            if let Some(&child_file) = by_path.get(child) {
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
/// suppression comments; what is left is what gets reported (see
/// [`report::finalize`] for the per-path levels of a config).
pub fn finalize(
    analysis: &Analysis,
    ws: &Workspace,
    levels: &[(&'static str, Level)],
    exclude: &[String],
) -> Vec<Diagnostic> {
    let policy = policy::Policy::from_levels(levels, exclude);
    report::finalize(analysis, ws, &policy).diagnostics
}

/// The default level of every lint.
pub fn default_levels() -> Vec<(&'static str, Level)> {
    lints::LINTS.iter().map(|l| (l.name, l.default)).collect()
}
