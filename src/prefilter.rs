//! Which files need the full walk. A file that names nothing from the catalog
//! (no catalog crate, no local alias or macro of one, no field, struct,
//! static or function whose type is one the catalog describes) and no function on a path to a
//! construction cannot add a finding or a call edge that matters, so it is
//! not walked.
//!
//! The decision is made in rounds: round 1 walks files that mention a seed
//! name their package can see; each later round walks the files that mention
//! a function the walked facts put on a path to a construction or a response,
//! in the packages linked with the function's (`packages::Links`: no other
//! code can call it), until nothing new is named. Names are matched as
//! identifier tokens of code (an over-approximation): the prefilter may walk
//! a file for nothing, never skip one that matters. A method is matched by
//! what can call it: a method call with as many arguments (`.len(key)`, not
//! `.len()`) or a path (`Store::len`), as the walk resolves calls (see
//! `Key::Method`). Packages that no build
//! with a catalog crate needs are not even read (`packages::needed`).
//! `Options::prefilter = false` walks everything; the test suite checks both
//! give the same findings.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::catalog::{Catalog, split_path};
use crate::facts::{Callee, FileFacts, FnKey, FnKeys, list_address};
use crate::index::WorkspaceIndex;
use crate::packages::Links;
use crate::source::FileId;

/// Names whose mention makes a file worth walking in round 1: a function of
/// the workspace index and the catalog, so the cache keeps them by the
/// run's interface (`cache::Cache::load_seeds`).
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Seeds {
    /// The catalog's crates (literal parts of `aws_sdk_*`-like patterns).
    pub heads: BTreeSet<String>,
    /// What counts of them in every file: a crate taken whole by a `use`
    /// or named by a path whose second segment can lead to the catalog
    /// (`http::Request`, not `http::HeaderMap`); a wildcard (`_client`) as a
    /// part of a path's segment; a crate that a pattern follows with a
    /// wildcard (`foo::*_x`), as a word.
    pub head_keys: BTreeSet<Key>,
    /// Per package: its local aliases, type aliases, macros, structs and
    /// fields, statics and functions whose type or body involves the
    /// catalog (a field as a field: `Key::Member`). They count only in the
    /// files of packages that can name them.
    pub by_package: BTreeMap<usize, BTreeSet<Key>>,
    /// Other names of a type, anywhere in the workspace: `use a::Foo as Bar`,
    /// `type Bar = Foo<u8>` (keyed by the last segment; an over-approximation).
    pub aliases: HashMap<String, BTreeSet<String>>,
}

impl Seeds {
    /// The names that count in the files of a package that can name the
    /// items of `visible` (itself and its workspace dependencies).
    pub fn for_packages(&self, visible: &[usize]) -> BTreeSet<Key> {
        let mut out = self.head_keys.clone();
        for p in visible {
            out.extend(self.by_package.get(p).into_iter().flatten().cloned());
        }
        out
    }

    /// `name` and every alias of it, transitively.
    pub fn names_of(&self, name: &str) -> BTreeSet<String> {
        names_of(&self.aliases, name)
    }

    pub fn len(&self) -> usize {
        self.heads.len() + self.by_package.values().map(BTreeSet::len).sum::<usize>()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn names_of(aliases: &HashMap<String, BTreeSet<String>>, name: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::from([name.to_string()]);
    let mut queue = vec![name.to_string()];
    while let Some(n) = queue.pop() {
        for a in aliases.get(&n).into_iter().flatten() {
            if out.insert(a.clone()) {
                queue.push(a.clone());
            }
        }
    }
    out
}

/// The names whose mention makes a file worth walking in round 1.
pub fn seeds(index: &WorkspaceIndex, catalog: &Catalog) -> Seeds {
    let mut out = Seeds::default();
    // The crates that build clients or hand back responses (not the web
    // frameworks: a handler matters only if it builds or calls something).
    let mut heads: BTreeSet<String> = BTreeSet::new();
    for path in catalog.all_paths() {
        if let Some(first) = split_path(&path).into_iter().find(|s| s != "**") {
            // `aws_sdk_*` matches by its literal prefix, `*_client` by its suffix.
            let literal: String = first
                .split('*')
                .max_by_key(|p| p.len())
                .unwrap_or_default()
                .to_string();
            if literal.len() >= 3 {
                heads.insert(literal);
            }
        }
    }
    let package_of = |module: usize| index.package_of(module);
    let mut add = |package: usize, key: Key| {
        out.by_package.entry(package).or_default().insert(key);
    };
    let touches_catalog = |path: &[String]| path.first().is_some_and(|f| heads.contains(f));
    let leads = Leads::new(&catalog.all_paths());
    // Tuple fields (`0`) and one- or two-letter names would match everything.
    let useful =
        |n: &String| n.len() >= 3 && n.starts_with(|c: char| c.is_alphabetic() || c == '_');
    // A value's type must be one the catalog describes (a client, builder,
    // request or response) for its name to matter: a field of type
    // `http::HeaderMap` holds neither a client nor a response.
    let describes = |path: &[String]| catalog.knows_type(path);
    // Per module (in parallel: resolving every `use` is most of the work),
    // the aliases it declares and the seeds it adds, merged in module order.
    // (Each module's aliases as (type name, alias), and its seeds as (package, name).)
    type Found = (Vec<(String, String)>, Vec<(usize, String)>);
    let per_module: Vec<Found> = (0..index.modules.len())
        .into_par_iter()
        .map(|module| {
            let scope = index.scope_of(module);
            let package = package_of(module);
            let mut aliases = Vec::new();
            let mut seeds = Vec::new();
            for (alias, target) in &scope.uses {
                if let Some(last) = target.last().filter(|l| *l != alias) {
                    aliases.push((last.clone(), alias.clone()));
                }
                let resolved = index.resolve(module, target, catalog).path;
                // `use reqwest::Url` and `use sqlx::Row` reach no construction
                // and no response: their names are not seeds.
                if touches_catalog(&resolved) && (leads.to(&resolved) || describes(&resolved)) {
                    seeds.push((package, alias.clone()));
                }
            }
            for (alias, ty) in &scope.type_aliases {
                for last in ty.all.iter().filter_map(|p| p.last()) {
                    aliases.push((last.clone(), alias.clone()));
                }
                if ty.all.iter().any(|p| {
                    let r = index.resolve(module, p, catalog).path;
                    describes(&r)
                }) {
                    seeds.push((package, alias.clone()));
                }
            }
            for (name, text) in &scope.macros {
                if heads.iter().any(|h| text.contains(h.as_str())) {
                    seeds.push((package, name.clone()));
                }
            }
            (aliases, seeds)
        })
        .collect();
    for (aliases, seeds) in per_module {
        for (last, alias) in aliases {
            out.aliases.entry(last).or_default().insert(alias);
        }
        for (package, name) in seeds {
            add(package, Key::Word(name.to_string()));
        }
    }
    for (key, st) in &index.structs {
        for (field, ty) in &st.fields {
            if describes(ty) {
                add(package_of(st.module), Key::Member(field.clone()));
                if let Some(name) = key.rsplit("::").next() {
                    add(package_of(st.module), Key::Word(name.to_string()));
                }
            }
        }
    }
    // `static CLIENT: LazyLock<reqwest::Client>`: its users send requests.
    // (Keyed by path: every package with a crate of that name.)
    for (key, ty) in &index.statics {
        if describes(ty)
            && let Some(name) = key.rsplit("::").next()
        {
            let krate = key.split("::").next().unwrap_or_default();
            for c in index.crates.iter().filter(|c| c.name == krate) {
                add(c.package, Key::Word(name.to_string()));
            }
        }
    }
    // An associated function without a receiver of an inherent impl
    // (`Pool::connect() -> sqlx::PgPool`) is named by its type or an alias
    // of it (see `Relevance`), not by its own, often common, name.
    let mut returning: Vec<(usize, String)> = Vec::new();
    for d in &index.fn_decls {
        if d.ret.as_ref().is_some_and(|r| describes(r)) {
            let static_of = (d.impl_self.is_some() && d.trait_path.is_none() && !d.sig.has_self)
                .then(|| d.key.rsplit("::").nth(1))
                .flatten();
            let names = static_of.map(|ty| names_of(&out.aliases, ty));
            // A type named in one or two letters (`Db`) is no seed (see
            // `useful` below): its function's own name stands in for it.
            if names
                .as_ref()
                .is_none_or(|ns| ns.iter().any(|n| !useful(n)))
            {
                returning.push((package_of(d.module), d.sig.name.clone()));
            }
            let package = package_of(d.module);
            returning.extend(names.into_iter().flatten().map(|n| (package, n)));
        }
    }
    for (package, name) in returning {
        add(package, Key::Word(name.to_string()));
    }
    for keys in out.by_package.values_mut() {
        keys.retain(|k| useful(k.name()));
    }
    heads.retain(useful);
    out.head_keys = head_keys(&heads, catalog);
    out.heads = heads;
    out
}

/// What counts of each head in a file (`Seeds::head_keys`): the second
/// segments of the catalog's paths and re-exported prefixes that start with
/// it.
fn head_keys(heads: &BTreeSet<String>, catalog: &Catalog) -> BTreeSet<Key> {
    let mut seconds: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut words: BTreeSet<String> = BTreeSet::new();
    let reexported = catalog.reexports().map(|(from, _)| from.to_vec());
    for path in catalog
        .all_paths()
        .iter()
        .map(|p| split_path(p))
        .chain(reexported)
    {
        let Some(head) = path.first().and_then(|f| heads.get(f.as_str())) else {
            continue;
        };
        match path.get(1) {
            Some(second) if !second.contains('*') => {
                seconds.entry(head).or_default().insert(second.clone());
            }
            _ => {
                words.insert(head.clone());
            }
        }
    }
    let mut out = BTreeSet::new();
    for head in heads {
        // A wildcard matches as the first segment of a path, or a part of
        // one (`aws_sdk_` of `aws_sdk_s3::Client`, `_client` of
        // `foo_client::FooClient`).
        if head.starts_with('_') || head.ends_with('_') {
            out.insert(Key::Path(head.clone()));
            continue;
        }
        if words.contains(head) {
            out.insert(Key::Word(head.clone()));
            continue;
        }
        out.insert(Key::Alone(head.clone()));
        for second in seconds.get(head.as_str()).into_iter().flatten() {
            out.insert(Key::Pair(head.clone(), second.clone()));
        }
    }
    out
}

/// Whether a path can begin one the catalog lists: it is a prefix of an
/// exact path or a pattern (segment by segment, `aws_sdk_*` matching
/// `aws_sdk_s3`), or, for a pattern that matches anywhere
/// (`**::*_client::*Client`), a part of it that ends it begins the pattern
/// (`x::foo_client`, `x::foo_client::FooClient`; not `qdrant_client::qdrant`:
/// a path through that module names a `*_client` segment of its own, which
/// the head key `_client::` finds).
struct Leads {
    prefixes: HashSet<Vec<String>>,
    patterns: Vec<Vec<String>>,
    anywhere: Vec<Vec<String>>,
}

impl Leads {
    fn new(paths: &[String]) -> Leads {
        let mut out = Leads {
            prefixes: HashSet::new(),
            patterns: Vec::new(),
            anywhere: Vec::new(),
        };
        for p in paths {
            let segs = split_path(p);
            if segs.first().is_some_and(|s| s == "**") {
                out.anywhere.push(segs[1..].to_vec());
            } else if segs.iter().any(|s| s.contains('*')) {
                out.patterns.push(segs);
            } else {
                for n in 1..=segs.len() {
                    out.prefixes.insert(segs[..n].to_vec());
                }
            }
        }
        out
    }

    fn to(&self, path: &[String]) -> bool {
        use crate::catalog::segment_matches;
        self.prefixes.contains(path)
            || self.patterns.iter().any(|p| {
                p.len() >= path.len() && p.iter().zip(path).all(|(p, s)| segment_matches(p, s))
            })
            || self.anywhere.iter().any(|p| {
                (0..path.len()).any(|k| {
                    let tail = &path[k..];
                    tail.len() <= p.len() && p.iter().zip(tail).all(|(p, s)| segment_matches(p, s))
                })
            })
    }
}

/// Function names that lead to a construction or a response in the walked
/// facts, with the package of each function (`package` of a file), learnt
/// batch by batch: the rounds give each file's facts once (`add`), and what
/// earlier batches showed is not looked at again.
///
/// A function leads there when it builds a client or makes a response, or
/// calls one that does (upward, breadth-first over the callers of each
/// callee list: each list is followed once however long the chain; calls
/// of one `Type::method` share their list, so a trait method with many
/// impls costs one list, not an entry per impl per call). And downward: a
/// function that a client or a response is handed to (`self.submit(handle)`,
/// `check(resp)`), and those it hands that parameter on to, decide whether
/// the value is kept or read, even when their own code names nothing the
/// run looks for.
///
/// A function is named by its own name, except an associated function
/// without a receiver of an inherent impl (`Foo::new`): only a path reaches
/// it, and that path names its type (`Foo::new()`, `Self::new()` in an impl
/// of `Foo`) or an alias of it, which are much rarer words than `new`.
#[derive(Default)]
pub struct Relevance {
    /// How each key is named (see `names`): the type of an associated
    /// function without a receiver, and a method's arity (`Key::Method`),
    /// each while every function with the key agrees on it.
    named_by: FxHashMap<FnKey, (Option<String>, Option<u32>)>,
    /// The functions that lead to a construction or a response (key, file).
    keys: FxHashSet<(FnKey, FileId)>,
    /// Their keys.
    relevant: FxHashSet<FnKey>,
    /// Callers of each callee list (by address), and the lists each key is in.
    list_callers: FxHashMap<usize, Vec<(FnKey, FileId)>>,
    key_lists: FxHashMap<FnKey, Vec<usize>>,
    lists_done: FxHashSet<usize>,
    /// Every list seen, kept alive so that an address names one list.
    lists: Vec<FnKeys>,
    /// Values of workspace calls handed to a function, until the callee
    /// turns out to build: (callee list, sink key, sink parameter, file).
    handed: Vec<(FnKeys, FnKey, usize, FileId)>,
    /// What each function (key) does with each parameter: handed on to.
    params: FxHashMap<FnKey, Vec<(usize, FnKey, usize, FileId)>>,
    /// The (function, parameter) pairs a client or response reaches, and
    /// those functions with the caller's file.
    sinks_seen: FxHashSet<(FnKey, usize)>,
    sink_keys: FxHashSet<(FnKey, FileId)>,
}

impl Relevance {
    /// Learns the facts of files not given before.
    pub fn add<'a>(&mut self, facts: impl IntoIterator<Item = &'a FileFacts>) {
        let mut queue: Vec<FnKey> = Vec::new();
        let mut sinks: Vec<(FnKey, usize, FileId)> = Vec::new();
        for f in facts.into_iter().flat_map(|f| f.fns.iter()) {
            let (ty, arity) = (f.static_of.as_deref(), f.arity.filter(|_| f.has_self));
            self.named_by
                .entry(f.key.clone())
                .and_modify(|(t, a)| {
                    if t.as_deref() != ty {
                        *t = None;
                    }
                    if *a != arity {
                        *a = None;
                    }
                })
                .or_insert_with(|| (ty.map(str::to_string), arity));
            let here = (f.key.clone(), f.file);
            if !f.responses.is_empty()
                || f.calls
                    .iter()
                    .any(|c| matches!(c.callee, Callee::Catalog { .. }))
            {
                self.mark(here.clone(), &mut queue);
            }
            for c in &f.calls {
                match &c.callee {
                    Callee::Crate(ks) => {
                        let at = list_address(ks);
                        let new_list = !self.list_callers.contains_key(&at);
                        if new_list {
                            self.lists.push(ks.clone());
                            for k in ks.iter() {
                                self.key_lists.entry(k.clone()).or_default().push(at);
                            }
                            // A list of a relevant key is done at once.
                            if ks.iter().any(|k| self.relevant.contains(k)) {
                                self.lists_done.insert(at);
                            }
                        }
                        self.list_callers.entry(at).or_default().push(here.clone());
                        if self.lists_done.contains(&at) {
                            self.mark(here.clone(), &mut queue);
                        }
                        for s in &c.passed_to {
                            for k in s.callee.iter() {
                                self.handed.push((ks.clone(), k.clone(), s.param, f.file));
                            }
                        }
                    }
                    Callee::Catalog { .. } => {
                        for s in &c.passed_to {
                            sinks.extend(s.callee.iter().map(|k| (k.clone(), s.param, f.file)));
                        }
                    }
                }
            }
            for h in f.responses.iter().flat_map(|r| &r.handoffs) {
                sinks.extend(h.callee.iter().map(|k| (k.clone(), h.param, f.file)));
            }
            for (param, fate) in f.params.iter().enumerate() {
                for s in &fate.passed_to {
                    for k in s.callee.iter() {
                        let on = (param, k.clone(), s.param, f.file);
                        if self.sinks_seen.contains(&(f.key.clone(), param)) {
                            sinks.push((k.clone(), s.param, f.file));
                        }
                        self.params.entry(f.key.clone()).or_default().push(on);
                    }
                }
            }
        }
        // Upward: the callers of every relevant function.
        // (A done list's callers, and a followed key's lists, are not needed
        // again: later ones are marked as they come.)
        while let Some(k) = queue.pop() {
            let lists = self.key_lists.get_mut(&k).map(std::mem::take);
            for list in lists.unwrap_or_default() {
                if !self.lists_done.insert(list) {
                    continue;
                }
                let callers = self.list_callers.get_mut(&list).map(std::mem::take);
                for caller in callers.unwrap_or_default() {
                    self.mark(caller, &mut queue);
                }
            }
        }
        // Downward: what a building call's value is handed to.
        let relevant = &self.relevant;
        let (now, later): (Vec<_>, Vec<_>) = std::mem::take(&mut self.handed)
            .into_iter()
            .partition(|(ks, ..)| ks.iter().any(|k| relevant.contains(k)));
        self.handed = later;
        sinks.extend(now.into_iter().map(|(_, k, param, file)| (k, param, file)));
        while let Some((k, param, file)) = sinks.pop() {
            if !self.sinks_seen.insert((k.clone(), param)) {
                continue;
            }
            self.sink_keys.insert((k.clone(), file));
            for (p, on, on_param, on_file) in self.params.get(&k).into_iter().flatten() {
                if *p == param {
                    sinks.push((on.clone(), *on_param, *on_file));
                }
            }
        }
    }

    fn mark(&mut self, key: (FnKey, FileId), queue: &mut Vec<FnKey>) {
        if self.keys.insert(key.clone()) {
            self.relevant.insert(key.0.clone());
            queue.push(key.0);
        }
    }

    /// The names of what was learnt so far, with the package of each
    /// function (or of the caller that hands it a value): the type of an
    /// associated function without a receiver, a method with its arity, the
    /// name of any other function.
    pub fn names(
        &self,
        package: impl Fn(FileId) -> Option<usize>,
        seeds: &Seeds,
    ) -> BTreeSet<(Option<usize>, Key)> {
        let mut out = BTreeSet::new();
        for (k, file) in self.keys.iter().chain(&self.sink_keys) {
            let p = package(*file);
            // (The digest keeps a raw identifier without its `r#`.)
            let short = k.rsplit("::").next().unwrap_or_default();
            let short = short.strip_prefix("r#").unwrap_or(short).to_string();
            match self.named_by.get(k) {
                Some((Some(ty), _)) => {
                    out.extend(seeds.names_of(ty).into_iter().map(|n| (p, Key::Word(n))));
                }
                Some((None, Some(arity))) => {
                    out.insert((p, Key::Method(short, *arity)));
                }
                _ => {
                    out.insert((p, Key::Word(short)));
                }
            }
        }
        out
    }
}

/// What the rounds need to know of the run.
pub struct Run<'a> {
    /// The walk jobs (file, module).
    pub jobs: &'a [(FileId, usize)],
    /// How many files the run has.
    pub files: usize,
    /// A file's text (read again when it was unloaded; `None` when it cannot be).
    pub text: &'a (dyn Fn(FileId) -> Option<std::borrow::Cow<'a, str>> + Sync),
    pub seeds: &'a Seeds,
    pub closures: &'a [Vec<usize>],
    pub links: &'a Links,
    /// Per file, its `Digest` when it was indexed.
    pub digests: &'a [Option<Digest>],
    /// Per file, its size in bytes.
    pub sizes: &'a [usize],
    pub timings: bool,
}

/// Walks the files that can matter, in rounds (see the module
/// documentation): round 1 the files that name a seed their package can
/// see; each later round the files that name a function made relevant by the
/// last, in the packages whose code can call it, until none is new.
pub fn rounds<E: Send>(
    run: &Run,
    walk: impl Fn(&[(FileId, usize)]) -> Vec<(FileId, Result<FileFacts, E>)> + Sync,
) -> Walked<E> {
    let jobs = run.jobs;
    let mut state = Rounds {
        run,
        facts: Vec::new(),
        walked: vec![false; run.files],
        known: BTreeSet::new(),
        relevance: Relevance::default(),
    };
    // Round 1, package by package: a file counts the names of the packages
    // it can name (its own and its dependencies').
    let mut round: FxHashSet<FileId> = FxHashSet::default();
    for (package, files) in by_package(jobs.iter().map(|&(f, _)| f), run.links) {
        let names = run.seeds_for(package);
        round.extend(mentioning(&names, &files, run.text, run.digests));
    }
    let mut batch = state.take(&round);
    while !batch.is_empty() {
        let size = |&(f, _): &(FileId, usize)| run.sizes.get(f).copied().unwrap_or(0);
        let largest = batch.iter().map(size).max().unwrap_or(0);
        let total: usize = batch.iter().map(size).sum();
        if run.timings {
            eprintln!(
                "connlint prefilter: walking {} of {} files ({} KiB, the largest {} KiB)",
                batch.len(),
                jobs.len(),
                total >> 10,
                largest >> 10
            );
        }
        let clock = std::time::Instant::now();
        // The largest file is walked on its own while the other threads
        // walk the rest of the round, then the files that the rest's names
        // lead to (which the next round would walk anyway): a large file
        // taken last would leave them idle at the round's end. (A thread
        // done with it helps with the rest.)
        if rayon::current_num_threads() > 1 && batch.len() > 1 {
            let at = batch.iter().position(|j| size(j) == largest).unwrap_or(0);
            let big = batch.remove(at);
            let (big_facts, ()) = rayon::join(
                || walk(&[big]),
                || {
                    state.learn(walk(&batch));
                    let ahead = state.next_round();
                    if !ahead.is_empty() {
                        if run.timings {
                            eprintln!("connlint prefilter: walking {} files ahead", ahead.len());
                        }
                        state.learn(walk(&ahead));
                    }
                },
            );
            state.learn(big_facts);
        } else {
            state.learn(walk(&batch));
        }
        if run.timings {
            eprintln!(
                "connlint prefilter: walked in {:.3}s",
                clock.elapsed().as_secs_f64()
            );
        }
        batch = state.next_round();
    }
    let mut facts = state.facts;
    facts.sort_by_key(|(f, _)| *f);
    Walked {
        facts,
        known: state.known,
    }
}

impl Run<'_> {
    /// Round 1's names for the files of `package`: the seeds of the
    /// packages its code can name (its own and its dependencies').
    fn seeds_for(&self, package: Option<usize>) -> BTreeSet<Key> {
        let visible = package.and_then(|p| self.closures.get(p));
        self.seeds
            .for_packages(visible.map_or(&[][..], Vec::as_slice))
    }

    /// The learnt names that count for the files of `package`: those of
    /// functions in packages its code can call.
    fn callable_from(
        &self,
        package: Option<usize>,
        names: &BTreeSet<(Option<usize>, Key)>,
    ) -> BTreeSet<Key> {
        names
            .iter()
            .filter(|(from, _)| self.links.can_call(package, *from))
            .map(|(_, n)| n.clone())
            .collect()
    }
}

/// What the rounds gave: the facts of the files walked, by file, and the
/// function names they learnt, with the package each came from.
pub struct Walked<E> {
    pub facts: Vec<(FileId, Result<FileFacts, E>)>,
    pub known: BTreeSet<(Option<usize>, Key)>,
}

/// Per package of the run's files (`None`: files of no package), the mention
/// hashes that select a file of it for a walk in some round: the seeds its
/// package can see and every name learnt in a package it can call, as
/// `rounds` matches them. A file whose `Digest` holds none of its package's
/// was not walked, and would not be in a run whose walked files are these.
pub fn selecting(
    run: &Run,
    known: &BTreeSet<(Option<usize>, Key)>,
) -> Vec<(Option<usize>, Vec<u32>)> {
    by_package(run.jobs.iter().map(|&(f, _)| f), run.links)
        .into_keys()
        .map(|package| {
            let mut keys = run.seeds_for(package);
            keys.extend(run.callable_from(package, known));
            let mut hashes: Vec<u32> = keys.iter().flat_map(Key::hashes).collect();
            hashes.sort_unstable();
            hashes.dedup();
            (package, hashes)
        })
        .collect()
}

/// What the rounds have learnt so far.
struct Rounds<'r, 'a, E> {
    run: &'r Run<'a>,
    facts: Vec<(FileId, Result<FileFacts, E>)>,
    walked: Vec<bool>,
    known: BTreeSet<(Option<usize>, Key)>,
    relevance: Relevance,
}

impl<E> Rounds<'_, '_, E> {
    /// The jobs of `files` not walked yet, marked walked.
    fn take(&mut self, files: &FxHashSet<FileId>) -> Vec<(FileId, usize)> {
        let batch: Vec<(FileId, usize)> = self
            .run
            .jobs
            .iter()
            .copied()
            .filter(|(f, _)| files.contains(f) && !self.walked[*f])
            .collect();
        for (f, _) in &batch {
            self.walked[*f] = true;
        }
        batch
    }

    fn learn(&mut self, facts: Vec<(FileId, Result<FileFacts, E>)>) {
        self.relevance
            .add(facts.iter().filter_map(|(_, r)| r.as_ref().ok()));
        self.facts.extend(facts);
    }

    /// The files not walked yet that name a function made relevant since
    /// the last call, in the packages whose code can call it.
    fn next_round(&mut self) -> Vec<(FileId, usize)> {
        let run = self.run;
        let new: BTreeSet<(Option<usize>, Key)> = self
            .relevance
            .names(|f| run.links.package(f), run.seeds)
            .into_iter()
            .filter(|n| !self.known.contains(n))
            .collect();
        // Nothing new, or no file left to look for it in.
        if new.is_empty() || run.jobs.iter().all(|(f, _)| self.walked[*f]) {
            return Vec::new();
        }
        if run.timings {
            eprintln!("connlint prefilter: {} new function names", new.len());
            if std::env::var_os("CONNLINT_NAMES").is_some() {
                eprintln!(
                    "{:?}",
                    new.iter()
                        .map(|(_, n)| n.to_string())
                        .collect::<BTreeSet<_>>()
                );
            }
        }
        self.known.extend(new.iter().cloned());
        let left = run
            .jobs
            .iter()
            .map(|&(f, _)| f)
            .filter(|&f| !self.walked[f]);
        let mut round = FxHashSet::default();
        for (package, files) in by_package(left, run.links) {
            let names = run.callable_from(package, &new);
            round.extend(mentioning(&names, &files, run.text, run.digests));
        }
        self.take(&round)
    }
}

/// Files grouped by package, in a stable order.
fn by_package(
    files: impl Iterator<Item = FileId>,
    links: &Links,
) -> BTreeMap<Option<usize>, Vec<FileId>> {
    let mut out: BTreeMap<Option<usize>, Vec<FileId>> = BTreeMap::new();
    for f in files {
        out.entry(links.package(f)).or_default().push(f);
    }
    out
}

/// The files of `files` (their `text`) that mention any of `names` (as
/// `Digest` records them: identifier tokens and paths of code; comments,
/// string, byte-string and char literals are skipped, so a name in a doc
/// comment or a URL does not count).
/// A file with a `Digest` is decided by it, without reading its text.
pub fn mentioning<'a>(
    names: &BTreeSet<Key>,
    files: &[FileId],
    text: &(dyn Fn(FileId) -> Option<std::borrow::Cow<'a, str>> + Sync),
    digests: &[Option<Digest>],
) -> Vec<FileId> {
    if names.is_empty() {
        return Vec::new();
    }
    let hashes: FxHashSet<u32> = names.iter().flat_map(Key::hashes).collect();
    // A file that cannot be read again is walked: the walk reports it.
    files
        .par_iter()
        .copied()
        .filter(|&f| match digests.get(f) {
            Some(Some(d)) => d.any(&hashes),
            _ => text(f).is_none_or(|t| Digest::of(&t).any(&hashes)),
        })
        .collect()
}

/// What a file's code mentions, hashed (`Mention`): each identifier token
/// (as `identifiers` finds them) with each prefix that ends and each suffix
/// that starts at an underscore of one (`aws_`, `aws_sdk_`, `_s3` of
/// `aws_sdk_s3`), which is how a wildcard name matches; each `a::b` of code
/// (`use a::{b, c}` gives `a::b` and `a::c`); each name a `use` or `extern
/// crate` takes whole (`use a;`, `use a as b;`, `use a::{self}`, `a::*`), and
/// the same two for the underscore parts of `a` (`_client` of
/// `foo_client::FooClient`); and each name used as a field (`.a`, `{ a, ..`,
/// `a: x`). Made once, when the file is indexed, and kept with its index in
/// the cache: the rounds then decide every file without reading it again. A
/// collision of two hashes can only make a file walked for nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Digest(Box<[u32]>);

impl Digest {
    pub fn of(text: &str) -> Digest {
        let mut out: Vec<u32> = Vec::new();
        // `f(part)` for every part of `id` that ends or starts at an underscore.
        fn parts(id: &[u8], mut f: impl FnMut(&[u8])) {
            for (i, _) in id.iter().enumerate().filter(|(_, b)| **b == b'_') {
                f(&id[..=i]);
                f(&id[i..]);
            }
        }
        for m in mentions(text.as_bytes()) {
            match m {
                Mention::Word(id) => {
                    out.push(word_hash(id));
                    parts(id, |p| out.push(word_hash(p)));
                }
                Mention::Pair(a, b) => {
                    out.push(Key::hash_of(KeyKind::Pair, a, b));
                    out.push(Key::hash_of(KeyKind::Path, a, b""));
                    parts(a, |p| out.push(Key::hash_of(KeyKind::Path, p, b"")));
                }
                Mention::Alone(a) => {
                    out.push(Key::hash_of(KeyKind::Alone, a, b""));
                    out.push(Key::hash_of(KeyKind::Path, a, b""));
                    parts(a, |p| out.push(Key::hash_of(KeyKind::Path, p, b"")));
                }
                Mention::Member(a) => out.push(Key::hash_of(KeyKind::Member, a, b"")),
                Mention::Call(a, lo, hi) => {
                    for n in lo.min(MANY_ARGS)..=hi.min(MANY_ARGS) {
                        out.push(Key::hash_of(KeyKind::Call, a, &arity_tag(n)));
                    }
                }
                Mention::CallAny(a) => out.push(Key::hash_of(KeyKind::Call, a, b"*")),
                Mention::Tail(a) => out.push(Key::hash_of(KeyKind::Tail, a, b"")),
            }
        }
        out.sort_unstable();
        out.dedup();
        Digest(out.into_boxed_slice())
    }

    /// Whether the file mentions any of `keys` (`Key::hashes`).
    fn any(&self, keys: &FxHashSet<u32>) -> bool {
        self.0.iter().any(|h| keys.contains(h))
    }

    /// Whether the file mentions any of `sorted` (hashes as `selecting`
    /// gives them).
    pub fn selected_by(&self, sorted: &[u32]) -> bool {
        self.0.iter().any(|h| sorted.binary_search(h).is_ok())
    }
}

/// What a name in the rounds matches in a `Digest`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum Key {
    /// An identifier (a wildcard `aws_sdk_`/`_client` as its prefix or suffix).
    Word(String),
    /// A crate named by a path `krate::second`.
    Pair(String, String),
    /// A crate a `use` or `extern crate` takes whole (`use krate;`,
    /// `krate::*`, `use krate::{self}`).
    Alone(String),
    /// A first segment of a path, or a part of one at an underscore
    /// (`_client` of `foo_client::FooClient`), or a name a `use` takes whole.
    Path(String),
    /// A field (`.name`, `Type { name, .. }`, `name: value`).
    Member(String),
    /// A method with this many parameters besides `self`: what can call it
    /// names it after `::` (`Type::name`, `<T as Trait>::name`) or calls it
    /// with as many arguments (`.name(a, b)`).
    Method(String, u32),
}

#[derive(Clone, Copy)]
enum KeyKind {
    Pair,
    Alone,
    Path,
    Member,
    Call,
    Tail,
}

/// How an arity is written into the hash of a `Key::Method`.
fn arity_tag(n: u32) -> [u8; 2] {
    [
        b'0' + (n.min(MANY_ARGS) / 10) as u8,
        b'0' + (n.min(MANY_ARGS) % 10) as u8,
    ]
}

impl Key {
    /// The name it matches (the crate of a pair).
    pub fn name(&self) -> &String {
        match self {
            Key::Word(n)
            | Key::Pair(n, _)
            | Key::Alone(n)
            | Key::Path(n)
            | Key::Member(n)
            | Key::Method(n, _) => n,
        }
    }

    /// The hashes a file's `Digest` holds when it mentions the key.
    fn hashes(&self) -> Vec<u32> {
        let one = match self {
            Key::Word(w) => word_hash(w.as_bytes()),
            Key::Pair(a, b) => Key::hash_of(KeyKind::Pair, a.as_bytes(), b.as_bytes()),
            Key::Alone(a) => Key::hash_of(KeyKind::Alone, a.as_bytes(), b""),
            Key::Path(a) => Key::hash_of(KeyKind::Path, a.as_bytes(), b""),
            Key::Member(a) => Key::hash_of(KeyKind::Member, a.as_bytes(), b""),
            Key::Method(m, n) => {
                return vec![
                    Key::hash_of(KeyKind::Call, m.as_bytes(), &arity_tag(*n)),
                    Key::hash_of(KeyKind::Call, m.as_bytes(), b"*"),
                    Key::hash_of(KeyKind::Tail, m.as_bytes(), b""),
                ];
            }
        };
        vec![one]
    }

    /// The hash of a key of `kind` (a `Mention` of the digest), kept apart
    /// from words by a separator no identifier holds.
    fn hash_of(kind: KeyKind, a: &[u8], b: &[u8]) -> u32 {
        let sep: &[u8] = match kind {
            KeyKind::Pair => b"::",
            KeyKind::Alone => b";",
            KeyKind::Path => b"::*",
            KeyKind::Member => b".",
            KeyKind::Call => b"(",
            KeyKind::Tail => b"@::",
        };
        word_hash(&[a, sep, b].concat())
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Key::Word(w) => f.write_str(w),
            Key::Pair(a, b) => write!(f, "{a}::{b}"),
            Key::Alone(a) => write!(f, "use {a};"),
            Key::Path(a) => write!(f, "{a}::"),
            Key::Member(a) => write!(f, ".{a}"),
            Key::Method(a, n) => write!(f, ".{a}/{n}"),
        }
    }
}

/// The pairs of segments of `text`'s paths (`a::b`, `b` of `a::{b, ..}`)
/// and the segments taken whole (`use a;`, `a::*`: no second), as
/// `Digest` records them.
pub fn paths(text: &[u8]) -> impl Iterator<Item = (&[u8], Option<&[u8]>)> {
    mentions(text).filter_map(|m| match m {
        Mention::Pair(a, b) => Some((a, Some(b))),
        Mention::Alone(a) => Some((a, None)),
        _ => None,
    })
}

/// What `Digest::of` records of a file, from its lexemes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mention<'a> {
    /// An identifier token.
    Word(&'a [u8]),
    /// `a::b`, or `b` beginning an element of `a::{ .. }`.
    Pair(&'a [u8], &'a [u8]),
    /// `a` where a `use` or `extern crate` takes it whole (followed by `;`
    /// `,` `}` or `as`), `a::*`, `a::<`, or `self` in `a::{ .. }`.
    Alone(&'a [u8]),
    /// `.a`, or `a` followed by `,` `}` or one `:` (a field of a struct
    /// literal or pattern, and an over-approximation: a parameter too).
    Member(&'a [u8]),
    /// A method call `.a(..)` with `lo..=hi` arguments (an over-approximation:
    /// commas of a closure's parameters or of generic arguments count too).
    Call(&'a [u8], u32, u32),
    /// A method call whose arguments are not counted (`.a::<T>(..)`, or
    /// parentheses the file never closes).
    CallAny(&'a [u8]),
    /// `::a`: the last or a later segment of a path (`Type::a`, `<T as Trait>::a`).
    Tail(&'a [u8]),
}

/// Arities from this one on share one hash (`Key::Method`).
const MANY_ARGS: u32 = 8;

/// The mentions of `text` (see `Mention`), in order. An over-approximation:
/// it may record a mention code does not make, never miss one it makes.
fn mentions(text: &[u8]) -> impl Iterator<Item = Mention<'_>> {
    use crate::lex::{Kind, lexemes};
    let mut lexemes = lexemes(text).peekable();
    // The identifier before the current lexeme and the colons since it.
    let mut last: Option<(&[u8], u8)> = None;
    // The lexeme before was a `.`.
    let mut dot = false;
    // Inside a `use` or `extern crate` item, up to its `;`.
    let mut importing = false;
    // Open `a::{` groups: (a, brace depth inside, an element starts next).
    let mut groups: Vec<(&[u8], usize, bool)> = Vec::new();
    let mut depth = 0usize;
    // Method calls: the name just after a `.`, the colons just before, the
    // depth of brackets of every kind, and the open argument lists (name,
    // depth inside, commas at that depth, anything inside).
    let mut method: Option<&[u8]> = None;
    let mut colons = 0u8;
    let mut nest = 0usize;
    let mut calls: Vec<(&[u8], usize, u32, bool)> = Vec::new();
    let mut out: Vec<Mention> = Vec::with_capacity(4);
    std::iter::from_fn(move || {
        loop {
            if let Some(m) = out.pop() {
                return Some(m);
            }
            let Some(l) = lexemes.next() else {
                // Lists the file leaves open count as any arity.
                let open = calls.pop().map(|c| c.0).or_else(|| method.take());
                out.extend(open.map(Mention::CallAny));
                if out.is_empty() {
                    return None;
                }
                continue;
            };
            let punct = (l.kind == Kind::Punct).then(|| text[l.start]);
            let pending = method.take();
            match punct {
                Some(b')' | b']' | b'}') if calls.last().is_some_and(|c| c.1 == nest) => {
                    if let Some((name, _, commas, any)) = calls.pop() {
                        out.push(match any {
                            true => Mention::Call(name, 1, commas + 1),
                            false => Mention::Call(name, 0, 0),
                        });
                    }
                }
                _ => {
                    if let Some(c) = calls.last_mut() {
                        c.3 = true;
                        if punct == Some(b',') && c.1 == nest {
                            c.2 += 1;
                        }
                    }
                }
            }
            match punct {
                Some(b'(' | b'[' | b'{') => {
                    nest += 1;
                    if let (Some(name), Some(b'(')) = (pending, punct) {
                        calls.push((name, nest, 0, false));
                    }
                }
                Some(b')' | b']' | b'}') => nest = nest.saturating_sub(1),
                Some(b':') => out.extend(pending.map(Mention::CallAny)),
                _ => {}
            }
            if l.kind == Kind::Ident {
                let w = &text[l.start..l.end];
                let w = w.strip_prefix(b"r#").unwrap_or(w);
                if colons >= 2 {
                    out.push(Mention::Tail(w));
                }
                if dot {
                    method = Some(w);
                }
            }
            colons = match punct {
                Some(b':') => colons.saturating_add(1),
                _ => 0,
            };
            let element = groups
                .last_mut()
                .filter(|g| g.1 == depth)
                .map(|g| (g.0, std::mem::replace(&mut g.2, false)));
            let after_dot = std::mem::replace(&mut dot, punct == Some(b'.'));
            // What ends an identifier that is not followed by `::`.
            fn ends_name<'t>(out: &mut Vec<Mention<'t>>, a: &'t [u8], importing: bool) {
                if importing {
                    out.push(Mention::Alone(a));
                }
                out.push(Mention::Member(a));
            }
            match (l.kind, punct) {
                (Kind::Ident, _) => {
                    let w = &text[l.start..l.end];
                    let w = w.strip_prefix(b"r#").unwrap_or(w);
                    out.push(Mention::Word(w));
                    if after_dot {
                        out.push(Mention::Member(w));
                    }
                    match last {
                        Some((a, 2)) => out.push(Mention::Pair(a, w)),
                        Some((a, 0)) if w == b"as" && importing => out.push(Mention::Alone(a)),
                        _ => {}
                    }
                    if let Some((a, true)) = element {
                        out.push(if w == b"self" {
                            Mention::Alone(a)
                        } else {
                            Mention::Pair(a, w)
                        });
                    }
                    if matches!(w, b"use" | b"extern") {
                        importing = true;
                    }
                    last = Some((w, 0));
                    continue;
                }
                (_, Some(b':')) => {
                    let double = lexemes
                        .peek()
                        .is_some_and(|n| n.kind == Kind::Punct && text[n.start] == b':');
                    last = match last {
                        // The first colon of `a::`.
                        Some((a, 0)) if double => Some((a, 1)),
                        Some((a, 1)) => Some((a, 2)),
                        // `a: ..`.
                        Some((a, 0)) => {
                            out.push(Mention::Member(a));
                            None
                        }
                        _ => None,
                    };
                    continue;
                }
                (_, Some(b'{')) => {
                    if let Some((a, 2)) = last {
                        groups.push((a, depth + 1, true));
                    }
                    depth += 1;
                }
                (_, Some(b'}')) => {
                    if let Some((a, 0)) = last {
                        ends_name(&mut out, a, importing);
                    }
                    depth = depth.saturating_sub(1);
                    while groups.last().is_some_and(|g| g.1 > depth) {
                        groups.pop();
                    }
                }
                (_, Some(b',')) => {
                    if let Some((a, 0)) = last {
                        ends_name(&mut out, a, importing);
                    }
                    if let Some(g) = groups.last_mut().filter(|g| g.1 == depth) {
                        g.2 = true;
                    }
                }
                (_, Some(b';')) => {
                    if let Some((a, 0)) = last
                        && importing
                    {
                        out.push(Mention::Alone(a));
                    }
                    importing = false;
                }
                (_, Some(b'*')) => {
                    if let Some((a, true)) = element {
                        out.push(Mention::Alone(a));
                    }
                    if let Some((a, 2)) = last {
                        out.push(Mention::Alone(a));
                    }
                }
                _ => {
                    // `a::<..>`, `a::'x`, `a::1`: no second segment to tell.
                    if let Some((a, 2)) = last {
                        out.push(Mention::Alone(a));
                    }
                }
            }
            last = None;
        }
    })
}

fn word_hash(word: &[u8]) -> u32 {
    // The low half of xxh3: any fixed hash works, both sides use this one.
    xxhash_rust::xxh3::xxh3_64(word) as u32
}

pub use crate::lex::identifiers;

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        identifiers(text.as_bytes())
            .map(|w| String::from_utf8_lossy(w).into_owned())
            .collect()
    }

    #[test]
    fn identifiers_skip_comments_and_literals() {
        let text = r###"
            // reqwest in a comment
            /* nested /* reqwest */ still comment */
            /// doc: http://reqwest
            fn a<'x>(s: &'x str) -> char {
                let u = "http://reqwest/\" hyper";
                let r = r#"ureq "quoted" reqwest"#;
                let b = br"raw \" ; let c = 'q'; let e = '\''; let n = 0x_ffu8;
                r#match(b'"', '"', "\\"); tail
            }
        "###;
        // (`b'"'` is a byte literal: its `b` is no identifier.)
        assert_eq!(
            words(text),
            [
                "fn", "a", "x", "s", "x", "str", "char", "let", "u", "let", "r", "let", "b", "let",
                "c", "let", "e", "let", "n", "match", "tail"
            ]
        );
    }

    #[test]
    fn mentioning_matches_code_tokens_and_wildcards() {
        let names: BTreeSet<Key> = [
            Key::Word("reqwest".into()),
            Key::Word("aws_sdk_".into()),
            Key::Word("_client".into()),
        ]
        .into();
        let texts = [
            "// reqwest\nfn f() {}",
            "use reqwest::Client;",
            "let x = \"reqwest\";",
            "use aws_sdk_s3::Client;",
            "let c = make_client();",
            "let reqwest_like = 1;",
        ];
        let files: Vec<usize> = (0..texts.len()).collect();
        let text = |f: usize| Some(std::borrow::Cow::Borrowed(texts[f]));
        let found = mentioning(&names, &files, &text, &[]);
        assert_eq!(found, [1, 3, 4]);
        // Digests decide the same way, without the texts.
        let digests: Vec<Option<Digest>> = texts.iter().map(|t| Some(Digest::of(t))).collect();
        let none = |_: usize| None;
        assert_eq!(mentioning(&names, &files, &none, &digests), [1, 3, 4]);
    }

    /// Which of `texts` mention `key`, by their digests.
    fn which(key: Key, texts: &[&str]) -> Vec<usize> {
        let files: Vec<usize> = (0..texts.len()).collect();
        let digests: Vec<Option<Digest>> = texts.iter().map(|t| Some(Digest::of(t))).collect();
        let none = |_: usize| None;
        mentioning(&BTreeSet::from([key]), &files, &none, &digests)
    }

    #[test]
    fn a_method_counts_by_calls_of_its_arity_and_paths() {
        let probe = Key::Method("probe".into(), 1);
        let texts = [
            "p.probe(u);",
            "p.probe();",
            "Prober::probe(p, u);",
            "<P as Probe>::probe(p, u);",
            "p.probe::<X>(u);",
            // Commas of a closure's parameters count: 1 or 2 arguments.
            "p.probe(|a, b| a);",
            "p.probe(f(a, b), [c, d]);",
            "let probe = 1; probe + 1; s.probe;",
            "// p.probe(u)\nlet s = \"p.probe(u)\";",
            "p . probe ( u )",
            "x.y(p.probe(), q.probe(r));",
            // Never closed: any arity.
            "p.probe(u",
        ];
        assert_eq!(which(probe, &texts), [0, 2, 3, 4, 5, 6, 9, 10, 11]);
        let len = Key::Method("len".into(), 0);
        let texts = ["v.len()", "s.len(key)", "Store::len", "len(v)", "v.len(\n)"];
        assert_eq!(which(len, &texts), [0, 2, 4]);
        // Eight arguments and more share one hash.
        let many = Key::Method("f".into(), 12);
        assert_eq!(which(many, &["x.f(1,2,3,4,5,6,7,8,9)", "x.f(1)"]), [0]);
    }

    #[test]
    fn a_crate_counts_by_the_paths_through_it() {
        let pair = Key::Pair("http".into(), "Request".into());
        let texts = [
            "let r = http::Request::builder();",
            "use http::{HeaderMap, Request};",
            "use ::http::{header::{self, HeaderName}, request::Parts, Request as R};",
            "fn f(h: http::HeaderMap) -> http::StatusCode { todo!() }",
            "let http = 1; http.get(); f(http); S { http: 2 };",
            "// http::Request\nlet s = \"http::Request\";",
            "use http :: /* c */ Request;",
        ];
        assert_eq!(which(pair, &texts), [0, 1, 2, 6]);
        // Taken whole by a `use` or `extern crate`, or through a glob.
        let alone = Key::Alone("http".into());
        let texts = [
            "use http;",
            "extern crate http as h;",
            "use {http, serde};",
            "use http::*;",
            "use http::{self, Request};",
            "let http = 1; f(http); g(http, 2); S { http }; x = http::Request::new();",
            "mod http;",
        ];
        assert_eq!(which(alone, &texts), [0, 1, 2, 3, 4]);
    }

    #[test]
    fn a_wildcard_counts_where_a_path_continues() {
        let key = Key::Path("_client".into());
        let texts = [
            "let c = greeter_client::GreeterClient::connect(url);",
            "use proto::{greeter_client::GreeterClient, Req};",
            "use proto::greeter_client;",
            "use proto::greeter_client::*;",
            "let http_client = make_client(); self.http_client.get(u); set_http_client(c);",
            "fn f(s3_client: &S3) {}",
        ];
        assert_eq!(which(key, &texts), [0, 1, 2, 3]);
        let key = Key::Path("aws_sdk_".into());
        let texts = [
            "let c = aws_sdk_s3::Client::new(&cfg);",
            "let aws_sdk_x = 1;",
        ];
        assert_eq!(which(key, &texts), [0]);
    }

    #[test]
    fn a_field_counts_where_it_is_used_as_one() {
        let key = Key::Member("client".into());
        let texts = [
            "self.client.get(url)",
            "let Api { client, .. } = api;",
            "Api { client: c }",
            "Api { base, client }",
            "fn client() -> Client { make() }",
            "let client = 1; client.get(u);",
        ];
        assert_eq!(which(key, &texts), [0, 1, 2, 3]);
    }
}
