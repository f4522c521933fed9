//! The incremental cache on a generated workspace: a re-run after an edit
//! parses only the edited file, corrupt entries are ignored, concurrent runs
//! agree. (`tests/fixtures.rs::cache_changes_nothing` runs every fixture
//! with and without the cache.)

mod common;

use std::path::{Path, PathBuf};

use std::time::Duration;

use connlint::cache::{Cache, Shard, TrimPolicy};
use connlint::catalog::Catalog;
use connlint::workspace::{self, Selection};

fn run(dir: &Path, cache: Option<Cache>) -> (String, connlint::Stats) {
    run_shard(dir, cache, None)
}

fn run_shard(dir: &Path, cache: Option<Cache>, shard: Option<Shard>) -> (String, connlint::Stats) {
    let opts = connlint::Options {
        cache,
        shard,
        pedantic: true,
        ..connlint::Options::default()
    };
    let (lines, stats) = run_with(dir, opts);
    (lines.join("\n"), stats)
}

/// The findings (one line each) and stats of a run with `opts`.
fn run_with(dir: &Path, opts: connlint::Options) -> (Vec<String>, connlint::Stats) {
    let catalog = Catalog::builtin().expect("the built-in catalog parses");
    let ws = workspace::discover(&Selection {
        manifest_path: Some(dir.join("Cargo.toml")),
        workspace: true,
        ..Selection::default()
    })
    .expect("discovery");
    let analysis = connlint::analyze(&ws, &catalog, &opts);
    let lines = connlint::finalize(&analysis, &ws, &connlint::default_levels(), &[])
        .iter()
        .map(|d| connlint::emit::short(d, &analysis.files))
        .collect();
    (lines, analysis.stats)
}

/// A generated workspace in a scratch directory, its findings without a
/// cache, and a cache for it.
fn setup(name: &str) -> (PathBuf, String, connlint::Stats, Cache) {
    let dir = common::scratch(name);
    common::generated::workspace(&dir, 20);
    let (expected, stats) = run(&dir, None);
    let cache = Cache::new(dir.join("target/connlint"));
    (dir, expected, stats, cache)
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("read");
    assert!(text.contains(from), "{} has no `{from}`", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

#[test]
fn a_re_run_parses_only_what_changed() {
    let (dir, _, _, cache) = setup("incremental");
    let (cold, first) = run(&dir, Some(cache.clone()));
    assert!(!cold.is_empty(), "the generated workspace has findings");
    assert!(first.indexed > 60 && first.walked > 0, "{first:?}");

    // A body edit: only that file is parsed again and walked.
    let net = dir.join("core/src/net.rs");
    edit(&net, "resp.status().as_u16()", "resp.status().as_u16() + 0");
    let (warm, stats) = run(&dir, Some(cache.clone()));
    assert_eq!(
        warm,
        run(&dir, None).0,
        "the warm run differs from a run without cache"
    );
    assert_eq!((stats.indexed, stats.walked), (1, 1), "{stats:?}");

    // A new function changes an index: every walked file is walked again,
    // from cached indexes.
    edit(
        &dir.join("tools/src/row3.rs"),
        "impl Row3 {",
        "pub fn added() {}\n\nimpl Row3 {",
    );
    let (warm, stats) = run(&dir, Some(cache.clone()));
    assert_eq!(warm, run(&dir, None).0);
    assert_eq!(stats.indexed, 1, "{stats:?}");
    assert_eq!(
        (stats.walked, stats.cached_facts),
        (first.walked, 0),
        "{stats:?}"
    );

    // Corrupt entries are ignored and rewritten.
    let mut corrupted = 0;
    for entry in walkdir::WalkDir::new(cache.dir()).into_iter().flatten() {
        if entry.file_type().is_file() {
            std::fs::write(entry.path(), b"{\"connlint\":").expect("corrupt");
            corrupted += 1;
        }
    }
    assert!(corrupted > 60);
    let (again, stats) = run(&dir, Some(cache.clone()));
    assert_eq!(again, warm);
    assert_eq!(stats.cached_facts, 0, "{stats:?}");
    let (_, stats) = run(&dir, Some(cache));
    assert_eq!(
        (stats.indexed, stats.walked),
        (0, 0),
        "rewritten: {stats:?}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// The `.bin` entries of one kind.
fn entries(cache: &Cache, kind: &str) -> usize {
    walkdir::WalkDir::new(cache.dir().join(kind))
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "bin"))
        .count()
}

#[test]
fn the_cache_forgets_what_no_run_uses() {
    let (dir, _, _, cache) = setup("trim");
    settle();
    let (cold, first) = run(&dir, Some(cache.clone()));
    let (indexes, facts) = (entries(&cache, "index"), entries(&cache, "facts"));
    assert_eq!((indexes, facts), (first.indexed, first.walked), "{first:?}");
    // Trim everything a run does not use, at every run.
    let eager = || {
        cache.clone().with_trim_policy(TrimPolicy {
            every: Duration::ZERO,
            keep: Duration::ZERO,
            limit: u64::MAX,
        })
    };
    // A body edit leaves the file's old index and facts behind; the next
    // trim removes them and keeps every entry the run used.
    let net = dir.join("core/src/net.rs");
    edit(&net, "resp.status().as_u16()", "resp.status().as_u16() + 0");
    settle();
    let (warm, stats) = run(&dir, Some(eager()));
    assert_eq!(warm, run(&dir, None).0);
    assert_eq!((stats.indexed, stats.walked), (1, 1), "{stats:?}");
    assert_eq!(
        (entries(&cache, "index"), entries(&cache, "facts")),
        (indexes, facts)
    );
    // A run that takes its batch whole reads no index or facts entry, but
    // relies on them: they stay, and the next edit re-walks one file.
    settle();
    let (whole, stats) = run(&dir, Some(eager()));
    assert_eq!(whole, warm);
    assert_eq!(stats.cached_batches, 1, "{stats:?}");
    assert_eq!(
        (entries(&cache, "index"), entries(&cache, "facts")),
        (indexes, facts)
    );
    edit(&net, "resp.status().as_u16() + 0", "resp.status().as_u16()");
    settle();
    let (back, stats) = run(&dir, Some(eager()));
    assert_eq!(back, cold);
    assert_eq!((stats.indexed, stats.walked), (1, 1), "{stats:?}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn unchanged_files_are_not_read_again() {
    let (dir, _, _, cache) = setup("stamps");
    // A file is stamped only once its last change is a second old.
    settle();
    let (cold, first) = run(&dir, Some(cache.clone()));
    assert_eq!(first.stamped, 0, "{first:?}");
    let (warm, stats) = run(&dir, Some(cache.clone()));
    assert_eq!(warm, cold);
    assert_eq!(stats.indexed, 0, "{stats:?}");
    assert!(stats.stamped > 60, "{stats:?}");
    let unread = stats.stamped;

    // An edit that keeps the size and puts the modification time back is
    // still seen (its change time moved): the file is read and indexed
    // again, and the clients it no longer builds are not reported.
    let net = dir.join("core/src/net.rs");
    let modified = std::fs::metadata(&net)
        .and_then(|m| m.modified())
        .expect("mtime");
    let size = std::fs::metadata(&net).expect("size").len();
    edit(
        &net,
        "Client::builder().build().unwrap()",
        "unimplemented!()                  ",
    );
    assert_eq!(std::fs::metadata(&net).expect("size").len(), size);
    std::fs::File::options()
        .write(true)
        .open(&net)
        .and_then(|f| f.set_modified(modified))
        .expect("set mtime");
    // (Past the second: the file has a stamp again, and only its change
    // time tells it from the one stamped.)
    settle();
    let (edited, stats) = run(&dir, Some(cache.clone()));
    assert_ne!(edited, warm, "the edit builds no client");
    assert_eq!(edited, run(&dir, None).0);
    assert_eq!((stats.indexed, stats.stamped), (1, unread - 1), "{stats:?}");
    let _ = std::fs::remove_dir_all(dir);
}

/// Findings (sorted: batches number files in their own order) and stats of
/// a run with each component in a batch of its own.
fn run_batches(dir: &Path, cache: Option<Cache>) -> (String, connlint::Stats) {
    let opts = connlint::Options {
        cache,
        pedantic: true,
        batch_bytes: 1,
        ..connlint::Options::default()
    };
    let (mut lines, stats) = run_with(dir, opts);
    lines.sort();
    (lines.join("\n"), stats)
}

#[test]
fn unchanged_batches_are_taken_whole() {
    let (dir, _, _, cache) = setup("batches");
    settle();
    let (cold, first) = run_batches(&dir, Some(cache.clone()));
    assert_eq!((first.batches, first.cached_batches), (2, 0), "{first:?}");
    let (warm, stats) = run_batches(&dir, Some(cache.clone()));
    assert_eq!(warm, cold);
    assert_eq!(
        (stats.cached_batches, stats.indexed, stats.walked),
        (2, 0, 0),
        "{stats:?}"
    );

    // An edit in the tools package runs its batch again, not the other.
    let tools = dir.join("tools/src/lib.rs");
    edit(&tools, "ok += 1;", "ok += 2;");
    settle();
    let (edited, stats) = run_batches(&dir, Some(cache.clone()));
    assert_eq!(edited, run_batches(&dir, None).0);
    assert_eq!((stats.cached_batches, stats.indexed), (1, 1), "{stats:?}");

    // A module declared before its file exists: the file, once written,
    // is read, though the file that declares it did not change.
    edit(&tools, "pub fn check_all", "mod later;\n\npub fn check_all");
    settle();
    let (before, _) = run_batches(&dir, Some(cache.clone()));
    assert!(!before.contains("later.rs"), "{before}");
    std::fs::write(
        dir.join("tools/src/later.rs"),
        "pub fn poll(urls: &[&str]) {\n    for url in urls {\n        \
         let agent = ureq::AgentBuilder::new().build();\n        \
         let _ = agent.get(url).call();\n    }\n}\n",
    )
    .expect("write later.rs");
    settle();
    let (after, stats) = run_batches(&dir, Some(cache.clone()));
    assert_eq!(after, run_batches(&dir, None).0);
    assert!(after.contains("later.rs"), "{after}");
    assert_eq!(stats.cached_batches, 1, "{stats:?}");
    let _ = std::fs::remove_dir_all(dir);
}

/// Early cutoff: an edit of a file the rounds did not walk, that keeps its
/// interface and names nothing that would have it walked, keeps the batch's
/// result without indexing or walking anything else; any other edit runs
/// the batch again. Every result equals a run without the cache.
#[test]
fn an_edit_that_cannot_change_a_batch_keeps_its_result() {
    let (dir, expected, _, cache) = setup("cutoff");
    settle();
    let (cold, first) = run(&dir, Some(cache.clone()));
    assert_eq!(cold, expected);
    assert_eq!(first.cutoff_batches, 0, "{first:?}");
    let row = dir.join("core/src/row3.rs");

    // A body edit in a filler module (catalog names in comments only).
    edit(&row, "x % 5 == 0", "x % 6 == 0");
    let (warm, stats) = run(&dir, Some(cache.clone()));
    assert_eq!(warm, cold);
    assert_eq!(warm, run(&dir, None).0);
    assert_eq!(
        (stats.cutoff_batches, stats.indexed, stats.walked),
        (1, 1, 0),
        "{stats:?}"
    );
    // Once stamped, the edited file is as any other: the batch is taken whole.
    settle();
    let _ = run(&dir, Some(cache.clone()));
    let (again, stats) = run(&dir, Some(cache.clone()));
    assert_eq!(again, cold);
    assert_eq!((stats.cached_batches, stats.indexed), (1, 0), "{stats:?}");

    // A body edit that builds a client in a loop: the file is walked now.
    edit(
        &row,
        "x % 6 == 0",
        "x % 6 == 0 && (0..2).all(|_| reqwest::Client::builder().build().is_ok())",
    );
    let (walked, stats) = run(&dir, Some(cache.clone()));
    assert_eq!(walked, run(&dir, None).0);
    assert!(walked.contains("row3.rs"), "{walked}");
    assert_eq!(stats.cutoff_batches, 0, "{stats:?}");
    assert!(stats.walked > 0, "{stats:?}");

    // Back to a filler, then an edit of its interface, and one that adds a
    // suppression comment (the file then keeps its text): both run the batch.
    std::fs::write(&row, common::generated::filler(3)).expect("write row3.rs");
    let (back, _) = run(&dir, Some(cache.clone()));
    assert_eq!(back, cold);
    edit(&row, "pub id: u64,", "pub id: u64,\n    pub extra: u8,");
    let (changed, stats) = run(&dir, Some(cache.clone()));
    assert_eq!(changed, run(&dir, None).0);
    assert_eq!(stats.cutoff_batches, 0, "{stats:?}");
    edit(&row, "pub extra: u8,", "pub extra: u8, // connlint: note");
    let (noted, stats) = run(&dir, Some(cache.clone()));
    assert_eq!(noted, run(&dir, None).0);
    assert_eq!(stats.cutoff_batches, 0, "{stats:?}");
    let _ = std::fs::remove_dir_all(dir);
}

/// The package scan keeps its answers with the files' stamps: a package
/// skipped unread is read once one of its files changes to name `connlint`.
#[test]
fn the_package_scan_sees_an_edited_file() {
    let (dir, expected, _, cache) = setup("scan");
    settle();
    let (cold, _) = run(&dir, Some(cache.clone()));
    assert_eq!(cold, expected);
    let (warm, _) = run(&dir, Some(cache.clone()));
    assert_eq!(warm, expected);
    edit(
        &dir.join("web/src/lib.rs"),
        "pub async fn status",
        "// connlint: allow(client_in_loop)\npub async fn status",
    );
    settle();
    let (edited, _) = run(&dir, Some(cache));
    assert!(edited.contains("web/src/lib.rs"), "{edited}");
    assert_eq!(edited, run(&dir, None).0);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn concurrent_runs_share_a_cache() {
    let (dir, expected, _, cache) = setup("concurrent");
    let results: Vec<String> = std::thread::scope(|s| {
        let runs: Vec<_> = (0..3)
            .map(|_| s.spawn(|| run(&dir, Some(cache.clone())).0))
            .collect();
        runs.into_iter()
            .map(|r| r.join().expect("a run panicked"))
            .collect()
    });
    for r in results {
        assert_eq!(r, expected);
    }
    let (after, stats) = run(&dir, Some(cache));
    assert_eq!(after, expected);
    assert_eq!((stats.indexed, stats.walked), (0, 0), "{stats:?}");
    let leftovers = walkdir::WalkDir::new(dir.join("target/connlint"))
        .into_iter()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .count();
    assert_eq!(leftovers, 0, "temporary files left behind");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn shards_fill_a_cache_that_a_final_run_reads() {
    let (dir, expected, all, cache) = setup("shards");
    let mut walked = 0;
    for i in 1..=2 {
        let shard = Shard::parse(&format!("{i}/2")).expect("a shard");
        let (_, stats) = run_shard(&dir, Some(cache.clone()), Some(shard));
        walked += stats.walked;
    }
    assert!(walked > 0);
    let (merged, stats) = run(&dir, Some(cache));
    assert_eq!(merged, expected);
    assert_eq!(stats.indexed, 0, "{stats:?}");
    assert!(
        stats.walked < all.walked,
        "{stats:?} after the shards, {all:?} alone"
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// Discovery with the cache on, and whether `cargo metadata` was skipped.
fn discover_cached(dir: &Path) -> (Vec<String>, bool) {
    let ws = workspace::discover(&Selection {
        manifest_path: Some(dir.join("Cargo.toml")),
        workspace: true,
        cache: true,
        ..Selection::default()
    })
    .expect("discovery");
    let mut names: Vec<String> = ws.packages.iter().map(|p| p.name.clone()).collect();
    names.sort();
    (names, ws.metadata_cached)
}

/// A file or witness changed within the last second is not trusted (no
/// stamp, no kept batch or metadata): wait it out.
fn settle() {
    std::thread::sleep(std::time::Duration::from_millis(1100));
}

fn member(dir: &Path, path: &str, name: &str) {
    common::write(
        dir,
        &format!("{path}/Cargo.toml"),
        format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\n"),
    );
    common::write(dir, &format!("{path}/src/lib.rs"), "pub fn f() {}\n");
}

#[test]
fn cargo_metadata_is_kept_until_a_manifest_or_a_member_folder_changes() {
    let dir = common::scratch("metadata");
    common::write(
        &dir,
        "Cargo.toml",
        "[workspace]\nmembers = [\"crates/*\", \"libs/*/core\"]\nresolver = \"2\"\n",
    );
    member(&dir, "crates/a", "a");
    member(&dir, "libs/x/core", "x-core");
    std::fs::create_dir_all(dir.join("target/connlint")).expect("cache dir");
    settle();
    let first = discover_cached(&dir);
    assert_eq!(first, (vec!["a".into(), "x-core".into()], false));
    assert_eq!(
        discover_cached(&dir),
        (first.0.clone(), true),
        "unchanged: from the cache"
    );

    // A new member folder matched by a glob.
    member(&dir, "crates/b", "b");
    settle();
    let (names, cached) = discover_cached(&dir);
    assert!(!cached && names.contains(&"b".to_string()), "{names:?}");
    assert!(discover_cached(&dir).1);

    // A folder on the way down a glob, then a member in it: two changes.
    std::fs::create_dir_all(dir.join("libs/y")).expect("mkdir");
    settle();
    assert!(!discover_cached(&dir).1, "libs/ has a new folder");
    assert!(discover_cached(&dir).1);
    member(&dir, "libs/y/core", "y-core");
    settle();
    let (names, cached) = discover_cached(&dir);
    assert!(
        !cached && names.contains(&"y-core".to_string()),
        "{names:?}"
    );

    // An edited member manifest (its package renamed).
    settle();
    assert!(discover_cached(&dir).1);
    let manifest = dir.join("crates/a/Cargo.toml");
    edit(&manifest, "name = \"a\"", "name = \"a2\"");
    settle();
    let (names, cached) = discover_cached(&dir);
    assert!(!cached && names.contains(&"a2".to_string()), "{names:?}");

    // A cargo config appears in the workspace.
    common::write(&dir, ".cargo/config.toml", "[build]\n");
    settle();
    assert!(!discover_cached(&dir).1, "a new .cargo/config.toml");

    // Without the cache, cargo runs every time.
    let ws = workspace::discover(&Selection {
        manifest_path: Some(dir.join("Cargo.toml")),
        workspace: true,
        ..Selection::default()
    })
    .expect("discovery");
    assert!(!ws.metadata_cached);
    let _ = std::fs::remove_dir_all(&dir);
}
