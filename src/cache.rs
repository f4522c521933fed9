//! The incremental cache: per-file indexes and facts under
//! `target/connlint/`, so a re-run parses only the files that changed.
//!
//! - An index entry is keyed by the connlint version, the file's path, whether
//!   it is a module root, and its text: the index is a function of those.
//! - A facts entry is keyed by the *interface* of the run (the version, the
//!   built-in catalog, the config, the options the walk reads, every file's
//!   path and index without spans, the packages and their targets) and by the
//!   file's own index key, file id and module. The walk of a file reads only
//!   its own syntax tree and the workspace index, so an edit that changes no
//!   file's index (a function body, a comment) re-walks that file only; one that
//!   changes an index (a signature, a `use`) re-walks every file, from cached
//!   indexes.
//!
//! Entries (bincode) repeat their key and the version: one that
//! does not parse or names another key is ignored and rewritten, never
//! trusted. Writes go to a temporary file renamed into place, so concurrent
//! runs see either a whole entry or none. Entries no run used for a day are
//! removed ([`Cache::trim`]); removing the directory is always safe.

use std::cell::Cell;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize, Serializer};

use crate::facts::FileFacts;
use crate::index::FileIndex;
use crate::prefilter::Digest;
use crate::workspace::{Package, Workspace};

const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), "+", env!("CONNLINT_BUILD_ID"));

/// A 128-bit key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key(u128);

impl Key {
    /// The key of nothing (a file without an index).
    pub const NONE: Key = Key(0);

    pub fn hex(self) -> String {
        format!("{:032x}", self.0)
    }
}

/// What a file's metadata said just before its text was read: the same
/// metadata again (size, modification and change times to the nanosecond,
/// inode and device) is taken as the same text, as cargo's and git's stamps
/// are, so a warm run neither reads nor hashes the file. The change time
/// cannot be set back by a tool, so a write that restores the modification
/// time still shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    len: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
    ino: u64,
    dev: u64,
}

impl Stamp {
    /// The stamp of a regular file whose last change is at least a second
    /// old: a file changed within the clock's granularity of the moment it
    /// was read could change again unseen (git's "racily clean" entries).
    pub fn of(meta: &std::fs::Metadata) -> Option<Stamp> {
        if !meta.is_file() {
            return None;
        }
        Stamp::of_any(meta)
    }

    /// The same for a folder or any other entry (a folder's times change
    /// when an entry is added to it, removed or renamed).
    #[cfg(unix)]
    fn of_any(meta: &std::fs::Metadata) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?;
        let now = i64::try_from(now.as_secs()).ok()?;
        if now - meta.mtime().max(meta.ctime()) < 1 {
            return None;
        }
        Some(Stamp {
            len: meta.len(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
            ino: meta.ino(),
            dev: meta.dev(),
        })
    }

    #[cfg(not(unix))]
    fn of_any(_meta: &std::fs::Metadata) -> Option<Stamp> {
        None
    }

    /// A path's stamp for `MetadataEntry`: `Some(None)` when nothing is
    /// there, `None` when it cannot be trusted (changed within the last
    /// second, unreadable).
    fn witness(path: &Path) -> Option<Option<Stamp>> {
        match std::fs::metadata(path) {
            Ok(meta) => Stamp::of_any(&meta).map(Some),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(None),
            Err(_) => None,
        }
    }
}

/// A file as a stamp knew it: its index key and what its `SourceFile` holds
/// of its text (length and hash). Files that keep their text (a
/// suppression comment) are not stamped: their text is read anyway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamped {
    pub stamp: Stamp,
    key: u128,
    pub size: usize,
    pub hash: u64,
}

impl Stamped {
    pub fn new(stamp: Stamp, key: Key, size: usize, hash: u64) -> Stamped {
        Stamped {
            stamp,
            key: key.0,
            size,
            hash,
        }
    }

    pub fn key(&self) -> Key {
        Key(self.key)
    }
}

/// The stamps of one run's files, by path and whether the file is a module root.
pub type Stamps = rustc_hash::FxHashMap<(PathBuf, bool), Stamped>;

/// The package scan's answers (`packages::needed`: whether a file names an
/// anywhere-path or `connlint`), by path, with the stamp of the file they
/// were read from.
pub type Scan = rustc_hash::FxHashMap<PathBuf, (Stamp, bool)>;

/// One package of a batch, for its key (see [`Cache::batch_key`]).
pub struct BatchPackage<'a> {
    pub index: usize,
    pub package: &'a Package,
    pub needed: bool,
    pub used: bool,
    pub closure: &'a [usize],
}

/// What a batch of packages produced (`lib.rs::analyze`), kept so that a
/// run that finds every file it read unchanged takes it whole instead of
/// indexing, walking and checking the batch again.
#[derive(Debug, Serialize, Deserialize)]
pub struct BatchEntry {
    /// Per file: display name, path, length and text hash.
    pub files: Vec<(String, PathBuf, usize, u64)>,
    pub file_package: Vec<Option<usize>>,
    pub file_root: Vec<Option<PathBuf>>,
    pub diagnostics: Vec<crate::diagnostic::Diagnostic>,
    pub quiet: Vec<crate::diagnostic::Diagnostic>,
    pub checked: usize,
    /// Every file the batch read, stamped (a batch with a file that could
    /// not be stamped is not kept).
    pub stamps: Vec<((PathBuf, bool), Stamped)>,
    /// The paths that a root or a `mod` declaration gave and where they led
    /// (canonical), whether a file was there.
    pub paths: Vec<(PathBuf, PathBuf, bool)>,
    /// The index, facts and seeds entries the batch was made from: a run
    /// that takes it whole uses them too ([`Cache::trim`] keeps them).
    pub used: Vec<EntryId>,
    /// What decides whether an edit of a file can change the batch's result.
    #[serde(default)]
    pub cutoff: Option<Cutoff>,
}

/// Per file of a batch (as `BatchEntry::files`), what its result depends on:
/// an edit that keeps a file's interface, in a file the rounds did not walk
/// and whose new words would not have them walk it, leaves every index, fact
/// and finding of the batch as they were (`lib.rs::early_cutoff`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Cutoff {
    /// Its index's interface (`Cache::file_interface`; 0: no index).
    pub interface: Vec<u128>,
    /// The rounds walked it.
    pub walked: Vec<bool>,
    /// Per package (`None`: files of no package), the mention hashes that
    /// select a file of it for a walk in some round (`prefilter::selecting`).
    pub select: Vec<(Option<usize>, Vec<u32>)>,
}

impl Key {
    /// The key as a number (`Cutoff::interface`).
    pub fn value(self) -> u128 {
        self.0
    }
}

impl BatchEntry {
    /// The files (indexes into `stamps`) whose stamp changed, when every
    /// path the batch followed leads where it led (`canonical`: the run's
    /// own resolution of a path) and no file appeared where none was;
    /// `None` otherwise. Empty: the batch can be taken whole.
    pub fn changed(&self, canonical: &(dyn Fn(&Path) -> PathBuf + Sync)) -> Option<Vec<usize>> {
        use rayon::prelude::*;
        let paths_hold = self
            .paths
            .par_iter()
            .all(|(written, c, found)| canonical(written) == *c && (*found || !c.is_file()));
        paths_hold.then(|| {
            (0..self.stamps.len())
                .into_par_iter()
                .filter(|&i| {
                    let ((path, _), s) = &self.stamps[i];
                    !std::fs::metadata(path).is_ok_and(|m| Stamp::of(&m).as_ref() == Some(&s.stamp))
                })
                .collect()
        })
    }
}

/// Two SipHash streams with different prefixes: a 128-bit hash.
struct Hasher128(DefaultHasher, DefaultHasher);

impl Hasher128 {
    fn new(kind: &str) -> Hasher128 {
        let mut h = Hasher128(DefaultHasher::new(), DefaultHasher::new());
        h.0.write_u8(1);
        h.1.write_u8(2);
        (VERSION, kind).hash(&mut h);
        h
    }

    fn key(&self) -> Key {
        Key((u128::from(self.0.finish()) << 64) | u128::from(self.1.finish()))
    }
}

impl Hasher for Hasher128 {
    fn write(&mut self, bytes: &[u8]) {
        self.0.write(bytes);
        self.1.write(bytes);
    }

    fn finish(&self) -> u64 {
        self.0.finish()
    }
}

impl Write for Hasher128 {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        Hasher::write(self, bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

thread_local! {
    /// Set while an index is hashed for the interface: spans are left out.
    static INTERFACE: Cell<bool> = const { Cell::new(false) };
}

/// Serializes a span, or an empty one while hashing the interface.
pub fn span<S: Serializer>(span: &Range<usize>, s: S) -> Result<S::Ok, S::Error> {
    if INTERFACE.with(Cell::get) {
        (0..0usize).serialize(s)
    } else {
        span.serialize(s)
    }
}

/// Serializes a hash map in key order (so equal maps hash equally).
pub fn sorted_map<K: Serialize + Ord, V: Serialize, H, S: Serializer>(
    map: &std::collections::HashMap<K, V, H>,
    s: S,
) -> Result<S::Ok, S::Error> {
    let sorted: std::collections::BTreeMap<&K, &V> = map.iter().collect();
    sorted.serialize(s)
}

/// Serializes a hash set in order.
pub fn sorted_set<T: Serialize + Ord, H, S: Serializer>(
    set: &std::collections::HashSet<T, H>,
    s: S,
) -> Result<S::Ok, S::Error> {
    let sorted: std::collections::BTreeSet<&T> = set.iter().collect();
    sorted.serialize(s)
}

/// One of `count` CI jobs that fill a shared cache: it walks the files
/// whose name hashes to `index` (see ARCHITECTURE.md, "Sharding").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl Shard {
    /// `I/N` with `1 <= I <= N`.
    pub fn parse(text: &str) -> anyhow::Result<Shard> {
        let (i, n) = text
            .split_once('/')
            .ok_or_else(|| anyhow::anyhow!("`{text}` is not I/N"))?;
        let (index, count): (usize, usize) = (i.trim().parse()?, n.trim().parse()?);
        if index == 0 || index > count {
            anyhow::bail!("shard `{text}`: I must be between 1 and N");
        }
        Ok(Shard {
            index: index - 1,
            count,
        })
    }

    /// Whether this shard walks the file shown as `name` (its path relative
    /// to the workspace root, the same on every machine).
    pub fn owns(&self, name: &str) -> bool {
        let mut h = DefaultHasher::new();
        name.hash(&mut h);
        h.finish() % self.count as u64 == self.index as u64
    }
}

#[derive(Serialize, Deserialize)]
struct Entry<T> {
    connlint: String,
    key: String,
    value: T,
}

/// How often a run trims the cache, per workspace root and config.
const TRIM_EVERY: Duration = Duration::from_secs(60 * 60);
/// How long an entry no run used is kept.
const KEEP: Duration = Duration::from_secs(24 * 60 * 60);
/// The size the entries are trimmed to, least recently used first (those a
/// run used are never removed by it).
const LIMIT: u64 = 1 << 30;

/// What [`Cache::trim`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Trimmed {
    pub removed: usize,
    pub freed: u64,
    pub kept: usize,
    pub kept_bytes: u64,
}

/// The kinds of entries, each a folder of `connlint/` (`metadata/`, kept
/// by [`store_metadata`], is one entry per manifest and is never trimmed).
const KINDS: [&str; 6] = ["index", "facts", "stamps", "batch", "scan", "seeds"];

/// One entry: its kind (an index into [`KINDS`]) and key.
pub type EntryId = (u8, u128);

/// The cache directory, the fingerprint of the config, and the entries this
/// run used (read or written), which [`Cache::trim`] keeps.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
    salt: Key,
    used: std::sync::Arc<std::sync::Mutex<rustc_hash::FxHashSet<EntryId>>>,
    trim: TrimPolicy,
}

/// When [`Cache::trim`] looks, and what it keeps.
#[derive(Debug, Clone, Copy)]
pub struct TrimPolicy {
    /// How often, per workspace root and config.
    pub every: Duration,
    /// How long an entry no run used is kept.
    pub keep: Duration,
    /// The size the entries are trimmed to, least recently used first.
    pub limit: u64,
}

impl Default for TrimPolicy {
    fn default() -> TrimPolicy {
        TrimPolicy {
            every: TRIM_EVERY,
            keep: KEEP,
            limit: LIMIT,
        }
    }
}

impl Cache {
    pub fn new(dir: PathBuf) -> Cache {
        Cache {
            dir,
            salt: Hasher128::new("salt").key(),
            used: Default::default(),
            trim: TrimPolicy::default(),
        }
    }

    /// `connlint/` in the workspace's target directory (cargo's
    /// `target_directory`, else `target/` under the workspace root).
    pub fn for_workspace(ws: &Workspace) -> Cache {
        let target = ws
            .metadata
            .get("target_directory")
            .and_then(|t| t.as_str())
            .map(PathBuf::from)
            .unwrap_or_else(|| ws.root.join("target"));
        Cache::new(target.join("connlint"))
    }

    /// Entries made under another config are not used.
    pub fn with_config(mut self, config: &str) -> Cache {
        let mut h = Hasher128::new("salt");
        config.hash(&mut h);
        self.salt = h.key();
        self
    }

    /// The same cache for another run, which starts with no entry used.
    pub fn for_run(&self) -> Cache {
        Cache {
            used: Default::default(),
            ..self.clone()
        }
    }

    /// Another trimming policy (tests).
    pub fn with_trim_policy(mut self, policy: TrimPolicy) -> Cache {
        self.trim = policy;
        self
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The key of a file's index: its path, whether it is a module root,
    /// the nesting limit it was checked against, and its text (by a fast
    /// 128-bit hash: every file is hashed on every run).
    pub fn index_key(&self, path: &Path, is_mod_root: bool, max_nesting: usize, text: &str) -> Key {
        let mut h = Hasher128::new("index");
        (path, is_mod_root, max_nesting).hash(&mut h);
        xxhash_rust::xxh3::xxh3_128(text.as_bytes()).hash(&mut h);
        h.key()
    }

    /// What the rest of the workspace can see of one file's index: the
    /// index without spans.
    pub fn file_interface(index: &FileIndex) -> Key {
        let mut h = Hasher128::new("file interface");
        INTERFACE.with(|i| i.set(true));
        // Serializing into a hasher cannot fail but for a bug: the key then
        // differs from any stored one.
        if serde_json::to_writer(&mut h, index).is_err() {
            h.write_u8(0xff);
        }
        INTERFACE.with(|i| i.set(false));
        h.key()
    }

    /// The interface of a run: what the walk of any file can read besides
    /// its own text (each file's path and `file_interface`).
    pub fn interface<'a>(
        &self,
        files: impl Iterator<Item = (&'a Path, Key)>,
        packages: &[Package],
        options: &[bool],
    ) -> Key {
        let mut h = Hasher128::new("interface");
        self.salt.hash(&mut h);
        crate::catalog::BUILTIN.hash(&mut h);
        options.hash(&mut h);
        for p in packages {
            let deps = (&p.dependencies, &p.external_dependencies);
            (&p.name, deps, p.from_cargo, p.is_test).hash(&mut h);
            for t in &p.targets {
                (&t.name, &t.kind, &t.src_path).hash(&mut h);
            }
        }
        for (path, file) in files {
            (path, file).hash(&mut h);
        }
        h.key()
    }

    pub fn facts_key(&self, interface: Key, index_key: Key, file: usize, module: usize) -> Key {
        let mut h = Hasher128::new("facts");
        (interface, index_key, file, module).hash(&mut h);
        h.key()
    }

    /// A file's index, its `file_interface` and its words (`Digest`).
    pub fn load_index(&self, key: Key) -> Option<(FileIndex, Key, Digest)> {
        let (index, interface, digest): (FileIndex, String, Digest) = self.load("index", key)?;
        let interface = u128::from_str_radix(&interface, 16).ok()?;
        Some((index, Key(interface), digest))
    }

    /// Stores a file's index and words; returns its `file_interface`. (The
    /// words are not part of the interface: they change with any body.)
    pub fn store_index(&self, key: Key, index: &FileIndex, digest: &Digest) -> Key {
        let interface = Cache::file_interface(index);
        self.store("index", key, &(index, interface.hex(), digest));
        interface
    }

    /// The key of the stamps of the runs over `root` with these limits
    /// (the index keys they hold were taken under them).
    pub fn stamps_key(&self, root: &Path, max_nesting: usize, max_file_size: u64) -> Key {
        let mut h = Hasher128::new("stamps");
        (root, max_nesting, max_file_size).hash(&mut h);
        h.key()
    }

    /// The stamps the last run over the same root left (none when there
    /// are none, or they are corrupt or foreign).
    pub fn load_stamps(&self, key: Key) -> Stamps {
        let stamps: Option<Vec<((PathBuf, bool), Stamped)>> = self.load("stamps", key);
        stamps.unwrap_or_default().into_iter().collect()
    }

    pub fn store_stamps(&self, key: Key, stamps: &Stamps) {
        let mut sorted: Vec<(&(PathBuf, bool), &Stamped)> = stamps.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(b.0));
        self.store("stamps", key, &sorted);
    }

    /// The key of a batch's result (`lib.rs`): its packages as discovery
    /// described them, with what the run derived for each (needed, used by
    /// another member, its closure), the root and the options. What its
    /// files say is checked from the entry's stamps, not keyed.
    pub fn batch_key(&self, root: &Path, packages: &[BatchPackage], options: &str) -> Key {
        let mut h = Hasher128::new("batch");
        self.salt.hash(&mut h);
        crate::catalog::BUILTIN.hash(&mut h);
        (root, options).hash(&mut h);
        for b in packages {
            let p = b.package;
            (b.index, &p.name, &p.id, &p.dir, &p.manifest_path).hash(&mut h);
            (
                &p.dependencies,
                &p.dev_only_dependencies,
                &p.external_dependencies,
            )
                .hash(&mut h);
            (
                p.unpublished,
                p.is_test,
                p.from_cargo,
                p.metadata.to_string(),
            )
                .hash(&mut h);
            for t in &p.targets {
                (&t.name, &t.kind, &t.crate_types, &t.src_path, &t.edition).hash(&mut h);
            }
            (b.needed, b.used, b.closure).hash(&mut h);
        }
        h.key()
    }

    pub fn load_batch(&self, key: Key) -> Option<BatchEntry> {
        self.load("batch", key)
    }

    pub fn store_batch(&self, key: Key, entry: &BatchEntry) {
        self.store("batch", key, entry);
    }

    /// The key of the package scan's answers over a root (the config and the
    /// catalog are in the salt).
    pub fn scan_key(&self, root: &Path, max_file_size: u64) -> Key {
        let mut h = Hasher128::new("scan");
        self.salt.hash(&mut h);
        crate::catalog::BUILTIN.hash(&mut h);
        (root, max_file_size).hash(&mut h);
        h.key()
    }

    pub fn load_scan(&self, key: Key) -> Scan {
        let scan: Option<Vec<(PathBuf, (Stamp, bool))>> = self.load("scan", key);
        scan.unwrap_or_default().into_iter().collect()
    }

    pub fn store_scan(&self, key: Key, scan: &Scan) {
        let mut sorted: Vec<(&PathBuf, &(Stamp, bool))> = scan.iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(b.0));
        self.store("scan", key, &sorted);
    }

    /// The prefilter's seeds of a batch, by its interface (they are a
    /// function of its indexes without spans, the catalog and the config).
    pub fn load_seeds(&self, interface: Key) -> Option<crate::prefilter::Seeds> {
        self.load("seeds", interface)
    }

    pub fn store_seeds(&self, interface: Key, seeds: &crate::prefilter::Seeds) {
        self.store("seeds", interface, seeds);
    }

    pub fn load_facts(&self, key: Key) -> Option<FileFacts> {
        self.load("facts", key)
    }

    pub fn store_facts(&self, key: Key, facts: &FileFacts) {
        self.store("facts", key, facts);
    }

    fn path(&self, kind: &str, key: Key) -> PathBuf {
        let hex = key.hex();
        self.dir
            .join(kind)
            .join(&hex[..2])
            .join(format!("{hex}.bin"))
    }

    /// An entry, when there is one for exactly this key and version.
    fn load<T: DeserializeOwned>(&self, kind: &str, key: Key) -> Option<T> {
        let bytes = std::fs::read(self.path(kind, key)).ok()?;
        let entry: Entry<T> = bincode::deserialize(&bytes).ok()?;
        let found = entry.connlint == VERSION && entry.key == key.hex();
        if found {
            self.note_used(kind, key);
        }
        found.then_some(entry.value)
    }

    fn note_used(&self, kind: &str, key: Key) {
        if let Some(k) = KINDS.iter().position(|k| *k == kind)
            && let Ok(mut used) = self.used.lock()
        {
            used.insert((k as u8, key.0));
        }
    }

    /// The id of a facts entry (for [`BatchEntry::used`]).
    pub fn facts_id(key: Key) -> EntryId {
        (1, key.0)
    }

    /// The id of an index entry.
    pub fn index_id(key: Key) -> EntryId {
        (0, key.0)
    }

    /// The id of a seeds entry.
    pub fn seeds_id(key: Key) -> EntryId {
        (5, key.0)
    }

    /// Counts entries a run relies on without reading them (those of a batch
    /// taken whole) as used.
    pub fn mark_used(&self, ids: &[EntryId]) {
        if let Ok(mut used) = self.used.lock() {
            used.extend(ids.iter().copied());
        }
    }

    /// Keeps the cache from growing without end: every edit adds entries
    /// (an index and facts for the file; an edit to a signature or a `use`
    /// adds facts for every file walked), and none is overwritten.
    ///
    /// At most once every [`TRIM_EVERY`] per workspace root and config
    /// (a marker file's time under `trimmed/`), a run refreshes the times of
    /// the entries it used, then removes the entries no run has used for
    /// [`KEEP`] and, while the rest is larger than [`LIMIT`], the least
    /// recently used of them; never one this run used. Leftover temporary
    /// files of a run that stopped mid-write go too. An entry removed under
    /// a concurrent run is only a miss for it: it computes and stores it again.
    pub fn trim(&self, root: &Path) -> Option<Trimmed> {
        let TrimPolicy { every, keep, limit } = self.trim;
        let now = SystemTime::now();
        let mut h = Hasher128::new("trim");
        (self.salt, root).hash(&mut h);
        let markers = self.dir.join("trimmed");
        let marker = markers.join(h.key().hex());
        let age = |m: &std::fs::Metadata| {
            m.modified()
                .ok()
                .and_then(|t| now.duration_since(t).ok())
                .unwrap_or_default()
        };
        if std::fs::metadata(&marker).is_ok_and(|m| age(&m) < every) {
            return None;
        }
        std::fs::create_dir_all(&markers).ok()?;
        // Claimed first: a concurrent run of the same config skips.
        std::fs::write(&marker, b"").ok()?;
        let used = self.used.lock().ok()?.clone();
        let mut trimmed = Trimmed::default();
        // (time of last use, size, path) of each entry this run did not use.
        let mut unused: Vec<(SystemTime, u64, PathBuf)> = Vec::new();
        for (k, kind) in KINDS.iter().enumerate() {
            let Ok(shards) = std::fs::read_dir(self.dir.join(kind)) else {
                continue;
            };
            let entries = shards.flatten().flat_map(|s| std::fs::read_dir(s.path()));
            for entry in entries.flatten().flatten() {
                let path = entry.path();
                let Ok(meta) = entry.metadata() else {
                    continue;
                };
                let name = entry.file_name();
                let name = name.to_string_lossy();
                if name.ends_with(".tmp") {
                    if age(&meta) > every && std::fs::remove_file(&path).is_ok() {
                        trimmed.removed += 1;
                        trimmed.freed += meta.len();
                    }
                    continue;
                }
                let key = name
                    .strip_suffix(".bin")
                    .and_then(|hex| u128::from_str_radix(hex, 16).ok());
                if key.is_some_and(|key| used.contains(&(k as u8, key))) {
                    // Its time says when a run last used it.
                    let _ = std::fs::File::options()
                        .write(true)
                        .open(&path)
                        .and_then(|f| f.set_modified(now));
                    trimmed.kept += 1;
                    trimmed.kept_bytes += meta.len();
                } else {
                    let time = meta.modified().unwrap_or(now);
                    unused.push((time, meta.len(), path));
                }
            }
        }
        // Oldest first.
        unused.sort();
        let mut rest: u64 = trimmed.kept_bytes + unused.iter().map(|u| u.1).sum::<u64>();
        for (time, size, path) in unused {
            let stale = now.duration_since(time).unwrap_or_default() > keep;
            if (stale || rest > limit) && std::fs::remove_file(&path).is_ok() {
                trimmed.removed += 1;
                trimmed.freed += size;
                rest -= size;
            } else {
                trimmed.kept += 1;
                trimmed.kept_bytes += size;
            }
        }
        // Markers of configs not run for as long go too.
        for m in std::fs::read_dir(&markers).into_iter().flatten().flatten() {
            if m.metadata().is_ok_and(|meta| age(&meta) > keep) {
                let _ = std::fs::remove_file(m.path());
            }
        }
        Some(trimmed)
    }

    /// Writes an entry atomically (a temporary file renamed into place).
    /// The cache is an optimisation: a failed write is no error.
    fn store<T: Serialize>(&self, kind: &str, key: Key, value: &T) {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let path = self.path(kind, key);
        let Some(dir) = path.parent() else {
            return;
        };
        if std::fs::create_dir_all(dir).is_err() {
            return;
        }
        // Like cargo's own target directory, the cache ignores itself in
        // git: a run never leaves the work tree dirty (`--fix` refuses one).
        let ignore = self.dir.join(".gitignore");
        if !ignore.exists() {
            let _ = std::fs::write(&ignore, "# written by connlint: its cache\n*\n");
        }
        let tmp = dir.join(format!(
            ".{}.{}.{}.tmp",
            key.hex(),
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let entry = Entry {
            connlint: VERSION.to_string(),
            key: key.hex(),
            value,
        };
        let written = std::fs::File::create(&tmp).and_then(|f| {
            let mut w = std::io::BufWriter::new(f);
            bincode::serialize_into(&mut w, &entry).map_err(std::io::Error::other)?;
            w.flush()
        });
        if written.is_err() || std::fs::rename(&tmp, &path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        } else {
            self.note_used(kind, key);
        }
    }
}

/// What `cargo metadata --no-deps` answered for a manifest, kept between
/// runs (`target/connlint/metadata/`) with the files and folders its answer
/// depends on: a warm run does not start cargo when none of them changed.
///
/// The answer is a function of the manifests (the one asked about, the
/// workspace's, every member's: a path dependency inside the workspace is a
/// member too), of which folders the `members` globs match (every folder on
/// the way down a glob, and each folder a wildcard lists, is a witness:
/// creating a folder changes its parent's times), of the
/// cargo configuration (`.cargo/config{,.toml}` above the current directory
/// and the workspace, `$CARGO_HOME/config{,.toml}`), of the toolchain
/// (`rust-toolchain{,.toml}` files, and in the key the variables that choose
/// cargo and its target directory, and the current directory). An entry is
/// used only when every witness has the stamp it had, an absent one is still
/// absent, and none had changed within a second of the run that stored it.
#[derive(Debug, Serialize, Deserialize)]
pub struct MetadataEntry {
    json: String,
    witnesses: Vec<(PathBuf, Option<Stamp>)>,
}

/// The environment that chooses cargo, its toolchain and its target directory.
const METADATA_ENV: &[&str] = &[
    "CARGO",
    "CARGO_HOME",
    "CARGO_TARGET_DIR",
    "CARGO_BUILD_TARGET_DIR",
    "RUSTUP_TOOLCHAIN",
    "RUSTUP_HOME",
    "PATH",
];

/// The key of a manifest's metadata entry.
fn metadata_key(manifest: &Path) -> Key {
    let mut h = Hasher128::new("metadata");
    manifest.hash(&mut h);
    std::env::current_dir().ok().hash(&mut h);
    for var in METADATA_ENV {
        std::env::var_os(var).hash(&mut h);
    }
    h.key()
}

/// The cache a manifest's metadata entry can be in: `target/connlint` in its
/// folder or the nearest folder above that has one (the workspace's).
fn metadata_cache(manifest: &Path) -> Option<Cache> {
    manifest
        .parent()?
        .ancestors()
        .map(|d| d.join("target").join("connlint"))
        .find(|d| d.is_dir())
        .map(Cache::new)
}

/// The kept answer of `cargo metadata` for `manifest` (absolute), when none
/// of its witnesses changed.
pub fn load_metadata(manifest: &Path) -> Option<serde_json::Value> {
    let cache = metadata_cache(manifest)?;
    let entry: MetadataEntry = cache.load("metadata", metadata_key(manifest))?;
    let unchanged = entry
        .witnesses
        .iter()
        .all(|(path, w)| Stamp::witness(path).is_some_and(|now| now == *w));
    if !unchanged {
        return None;
    }
    serde_json::from_str(&entry.json).ok()
}

/// Keeps `cargo metadata`'s answer for `manifest` (absolute) in the
/// workspace's cache, when its target directory is `target/` in a folder at
/// or above the manifest's (where `load_metadata` looks) and every witness
/// can be trusted.
pub fn store_metadata(manifest: &Path, value: &serde_json::Value) {
    let Some(target) = value["target_directory"].as_str().map(PathBuf::from) else {
        return;
    };
    let Some(dir) = manifest.parent() else {
        return;
    };
    if target.file_name().is_none_or(|n| n != "target")
        || !target.parent().is_some_and(|t| dir.starts_with(t))
    {
        return;
    }
    let Some(witnesses) = metadata_witnesses(manifest, value) else {
        return;
    };
    let entry = MetadataEntry {
        json: value.to_string(),
        witnesses,
    };
    Cache::new(target.join("connlint")).store("metadata", metadata_key(manifest), &entry);
}

/// The files and folders `cargo metadata`'s answer depends on (see
/// `MetadataEntry`), with their stamps; `None` when one cannot be trusted.
fn metadata_witnesses(
    manifest: &Path,
    value: &serde_json::Value,
) -> Option<Vec<(PathBuf, Option<Stamp>)>> {
    let root = value["workspace_root"]
        .as_str()
        .map(PathBuf::from)
        .or_else(|| manifest.parent().map(Path::to_path_buf))?;
    let mut paths: std::collections::BTreeSet<PathBuf> = std::collections::BTreeSet::new();
    paths.insert(manifest.to_path_buf());
    paths.insert(root.join("Cargo.toml"));
    // Every member's manifest.
    paths.extend(
        value["packages"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p["manifest_path"].as_str())
            .map(PathBuf::from),
    );
    // Every folder on the way down the `members` globs, and each folder a
    // wildcard lists (a new folder in it changes its times).
    let text = std::fs::read_to_string(root.join("Cargo.toml")).ok()?;
    let members: Vec<String> = text
        .parse::<toml::Table>()
        .ok()
        .and_then(|t| {
            let ws = t.get("workspace")?.as_table()?;
            let list = ws.get("members")?.as_array()?;
            Some(
                list.iter()
                    .filter_map(|m| m.as_str().map(str::to_string))
                    .collect(),
            )
        })
        .unwrap_or_default();
    for pattern in &members {
        let mut level = vec![root.clone()];
        for part in pattern.split('/').filter(|p| !p.is_empty() && *p != ".") {
            let mut next = Vec::new();
            for dir in &level {
                if part.contains(['*', '?', '[']) {
                    paths.insert(dir.clone());
                    let entries = std::fs::read_dir(dir).into_iter().flatten().flatten();
                    for e in entries {
                        let name = e.file_name().to_string_lossy().into_owned();
                        if e.file_type().is_ok_and(|t| t.is_dir())
                            && crate::workspace::glob_match(part, &name)
                        {
                            next.push(e.path());
                        }
                    }
                } else {
                    next.push(dir.join(part));
                }
            }
            paths.extend(next.iter().cloned());
            level = next;
        }
        for dir in level {
            paths.insert(dir.join("Cargo.toml"));
        }
    }
    // The cargo configuration and toolchain files that apply.
    let cwd = std::env::current_dir().ok();
    let mut above: Vec<PathBuf> = root.ancestors().map(Path::to_path_buf).collect();
    above.extend(
        cwd.iter()
            .flat_map(|c| c.ancestors().map(Path::to_path_buf)),
    );
    for dir in above {
        for name in ["rust-toolchain", "rust-toolchain.toml"] {
            paths.insert(dir.join(name));
        }
        for name in ["config", "config.toml"] {
            paths.insert(dir.join(".cargo").join(name));
        }
    }
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    for name in ["config", "config.toml"] {
        paths.extend(cargo_home.iter().map(|h| h.join(name)));
    }
    paths
        .into_iter()
        .map(|p| Stamp::witness(&p).map(|w| (p, w)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_and_foreign_ones_are_ignored() {
        let dir = std::env::temp_dir().join(format!("connlint-cache-test-{}", std::process::id()));
        let cache = Cache::new(dir.clone());
        let key = cache.index_key(Path::new("src/lib.rs"), true, 100, "fn main() {}");
        assert!(cache.load_index(key).is_none());
        let mut index = FileIndex::default();
        index.scopes.push(Default::default());
        index.scopes[0].name = "x".to_string();
        let words = Digest::of("fn main() {}");
        cache.store_index(key, &index, &words);
        let back = cache
            .load_index(key)
            .map(|(i, _, d)| (i.scopes[0].name.clone(), d));
        assert_eq!(back, Some(("x".to_string(), words.clone())));
        // Corrupt: ignored.
        std::fs::write(cache.path("index", key), b"\x05\0\0").unwrap();
        assert!(cache.load_index(key).is_none());
        // Another key's entry under this name: ignored.
        let other = cache.index_key(Path::new("src/lib.rs"), false, 100, "fn main() {}");
        assert_ne!(key, other);
        cache.store_index(other, &index, &words);
        std::fs::copy(cache.path("index", other), cache.path("index", key)).unwrap();
        assert!(cache.load_index(key).is_none());
        // A different config gives different facts keys.
        let a = cache.interface(std::iter::empty(), &[], &[true]);
        let b = cache
            .clone()
            .with_config("x = 1")
            .interface(std::iter::empty(), &[], &[true]);
        assert_ne!(a, b);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn trimming_removes_what_no_run_used_lately() {
        let dir = std::env::temp_dir().join(format!("connlint-trim-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let hour = Duration::from_secs(3600);
        let policy = TrimPolicy {
            every: Duration::ZERO,
            keep: hour,
            limit: u64::MAX,
        };
        let writer = Cache::new(dir.clone());
        let [old, recent, used] = [1u128, 2, 3].map(Key);
        for k in [old, recent, used] {
            writer.store("facts", k, &vec![7u8; 100]);
        }
        let two_hours_ago = SystemTime::now() - 2 * hour;
        for k in [old, used] {
            std::fs::File::options()
                .write(true)
                .open(writer.path("facts", k))
                .and_then(|f| f.set_modified(two_hours_ago))
                .expect("set the time");
        }
        // A leftover of a run that stopped mid-write.
        let tmp = writer.path("facts", old).with_extension("1.2.tmp");
        std::fs::write(&tmp, b"half").expect("write");
        std::fs::File::options()
            .write(true)
            .open(&tmp)
            .and_then(|f| f.set_modified(two_hours_ago))
            .expect("set the time");
        // This run used only `used`.
        let run = Cache::new(dir.clone()).with_trim_policy(policy);
        assert!(run.load::<Vec<u8>>("facts", used).is_some());
        let root = Path::new("/ws");
        let t = run.trim(root).expect("trimmed");
        assert_eq!((t.removed, t.kept), (2, 2), "{t:?}");
        let exists = |k| writer.path("facts", k).exists();
        assert!(!exists(old) && exists(recent) && exists(used) && !tmp.exists());
        // Its time now says it was used.
        let touched = std::fs::metadata(writer.path("facts", used)).and_then(|m| m.modified());
        assert!(touched.expect("mtime") > two_hours_ago + hour);
        // Past the size limit, the least recently used go first, never one
        // this run used.
        let tight = Cache::new(dir.clone()).with_trim_policy(TrimPolicy { limit: 0, ..policy });
        assert!(tight.load::<Vec<u8>>("facts", used).is_some());
        let t = tight.trim(root).expect("trimmed");
        assert_eq!((t.removed, t.kept), (1, 1), "{t:?}");
        assert!(!exists(recent) && exists(used));
        // Not again within `every`.
        let hourly = Cache::new(dir.clone()).with_trim_policy(TrimPolicy {
            every: hour,
            ..policy
        });
        assert!(hourly.trim(root).is_none());
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn shards_split_the_files() {
        assert!(Shard::parse("0/2").is_err() && Shard::parse("3/2").is_err());
        assert!(Shard::parse("2").is_err());
        let shards: Vec<Shard> = (1..=3)
            .map(|i| Shard::parse(&format!("{i}/3")).expect("a shard"))
            .collect();
        let mut per_shard = [0; 3];
        for f in 0..300 {
            let name = format!("src/m{f}.rs");
            let owners: Vec<usize> = (0..3).filter(|&s| shards[s].owns(&name)).collect();
            assert_eq!(owners.len(), 1);
            per_shard[owners[0]] += 1;
        }
        assert!(per_shard.iter().all(|&n| n > 50), "{per_shard:?}");
    }

    #[test]
    fn the_interface_leaves_spans_out() {
        let mut a = FileIndex::default();
        a.scopes.push(Default::default());
        a.scopes[0].structs.push(crate::index::StructInfo {
            name: "Api".to_string(),
            span: 10..20,
            ..Default::default()
        });
        let mut b = a.clone();
        b.scopes[0].structs[0].span = 30..40;
        assert_eq!(Cache::file_interface(&a), Cache::file_interface(&b));
        b.scopes[0].structs[0].name = "Other".to_string();
        assert_ne!(Cache::file_interface(&a), Cache::file_interface(&b));
    }
}
