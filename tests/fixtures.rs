//! UI tests over `testdata/<lint>/`: every case is a `.rs` file (or a
//! directory holding a small cargo workspace). A line that must be flagged
//! ends with `//~ lint_name` (several names for several findings); any
//! finding without a marker, and any marker without a finding, fails.
//! The rendered human output is compared with `<case>.stderr`; run with
//! `CONNLINT_BLESS=1` to write the snapshots.
//!
//! Outcomes are named as ast-grep does: Validated (all good), Noisy (an
//! unmarked finding: a false positive), Missing (a marker with no finding:
//! a false negative), Snapshot (the rendering changed).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod common;

use connlint::catalog::Catalog;
use connlint::workspace::{self, Selection};

use common::discover_path;

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")
}

/// `(file name, line) -> lints` expected by the markers in a file: `//~ lint`
/// fires at the default level (and at the pedantic one), `//~? lint` only
/// with `--pedantic`.
fn markers(
    name: &str,
    text: &str,
    pedantic: bool,
    out: &mut BTreeMap<(String, usize), Vec<String>>,
) {
    for (i, line) in text.lines().enumerate() {
        if let Some(at) = line.find("//~") {
            let mut rest = &line[at + 3..];
            if let Some(r) = rest.strip_prefix('?') {
                if !pedantic {
                    continue;
                }
                rest = r;
            }
            let lints: Vec<String> = rest
                .split(|c: char| c.is_whitespace() || c == ',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .take_while(|s| s.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
                .map(str::to_string)
                .collect();
            if !lints.is_empty() {
                out.entry((name.to_string(), i + 1))
                    .or_default()
                    .extend(lints);
            }
        }
    }
}

struct Case {
    name: String,
    /// The `.rs` file or the workspace directory.
    path: PathBuf,
    snapshot: PathBuf,
}

fn cases() -> Vec<Case> {
    let mut out = Vec::new();
    let Ok(dirs) = std::fs::read_dir(testdata()) else {
        return out;
    };
    let mut dirs: Vec<PathBuf> = dirs
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        if dir.file_name().is_some_and(|n| n == "demo") {
            continue;
        }
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .collect();
        entries.sort();
        for p in entries {
            let is_case = (p.is_file() && p.extension().is_some_and(|x| x == "rs"))
                || (p.is_dir() && p.join("Cargo.toml").is_file());
            if !is_case {
                continue;
            }
            let stem = p
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            out.push(Case {
                name: format!(
                    "{}/{}",
                    dir.file_name().unwrap_or_default().to_string_lossy(),
                    stem
                ),
                snapshot: dir.join(format!("{stem}.stderr")),
                path: p,
            });
        }
    }
    out
}

fn run_case(case: &Case, catalog: &Catalog) -> Result<(), String> {
    let mut problems = Vec::new();
    for pedantic in [false, true] {
        if let Err(e) = run_case_at(case, catalog, pedantic) {
            problems.push(e);
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

fn run_case_at(case: &Case, catalog: &Catalog, pedantic: bool) -> Result<(), String> {
    let selection = if case.path.is_dir() {
        Selection {
            manifest_path: Some(case.path.join("Cargo.toml")),
            workspace: true,
            ..Selection::default()
        }
    } else {
        Selection {
            paths: vec![case.path.clone()],
            ..Selection::default()
        }
    };
    let ws = workspace::discover(&selection).map_err(|e| format!("discovery failed: {e:#}"))?;
    let opts = connlint::Options {
        pedantic,
        ..connlint::Options::default()
    };
    let analysis = connlint::analyze(&ws, catalog, &opts);
    let diagnostics = connlint::finalize(&analysis, &ws, &connlint::default_levels(), &[]);

    let mut expected = BTreeMap::new();
    let sources = if case.path.is_dir() {
        workspace::rust_files(&case.path)
    } else {
        vec![case.path.clone()]
    };
    for path in &sources {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let Some(file) = analysis
            .files
            .iter()
            .find(|f| f.path.canonicalize().ok() == path.canonicalize().ok())
        else {
            if text.contains("//~") {
                return Err(format!(
                    "  {} has markers but was not analyzed",
                    path.display()
                ));
            }
            continue;
        };
        markers(&file.name, &text, pedantic, &mut expected);
    }
    let mut found: BTreeMap<(String, usize), Vec<String>> = BTreeMap::new();
    for d in &diagnostics {
        let f = &analysis.files[d.primary.file];
        let (line, _) = f.position(d.primary.span.start);
        found
            .entry((f.name.clone(), line))
            .or_default()
            .push(d.lint.to_string());
    }
    let mut problems = Vec::new();
    let keys: std::collections::BTreeSet<_> =
        expected.keys().chain(found.keys()).cloned().collect();
    for key in keys {
        let mut want = expected.get(&key).cloned().unwrap_or_default();
        let mut got = found.get(&key).cloned().unwrap_or_default();
        want.sort();
        got.sort();
        for w in &want {
            if let Some(i) = got.iter().position(|g| g == w) {
                got.remove(i);
            } else {
                problems.push(format!(
                    "  Missing  {}:{}: expected `{w}`{}",
                    key.0,
                    key.1,
                    if pedantic { " (pedantic)" } else { "" }
                ));
            }
        }
        for g in got {
            let d = diagnostics
                .iter()
                .find(|d| {
                    let f = &analysis.files[d.primary.file];
                    f.name == key.0 && f.position(d.primary.span.start).0 == key.1 && d.lint == g
                })
                .map(|d| d.message.clone())
                .unwrap_or_default();
            problems.push(format!(
                "  Noisy    {}:{}: unexpected `{g}`{}: {d}",
                key.0,
                key.1,
                if pedantic { " (pedantic)" } else { "" }
            ));
        }
    }
    // Snapshot of the rendered output (the default level's; the pedantic
    // level's when it reports more, beside it).
    let snapshot = if pedantic {
        case.snapshot.with_extension("pedantic.stderr")
    } else {
        case.snapshot.clone()
    };
    let pedantic_only = diagnostics.iter().any(|d| d.pedantic.is_some());
    let rendered: String = diagnostics
        .iter()
        .map(|d| connlint::emit::human(d, &analysis.files, false))
        .collect();
    let bless = std::env::var_os("CONNLINT_BLESS").is_some();
    let rendered = if pedantic && !pedantic_only {
        String::new()
    } else {
        rendered
    };
    let old = std::fs::read_to_string(&snapshot).ok();
    if bless {
        if rendered.is_empty() {
            let _ = std::fs::remove_file(&snapshot);
        } else if old.as_deref() != Some(rendered.as_str()) {
            std::fs::write(&snapshot, &rendered)
                .map_err(|e| format!("cannot write snapshot: {e}"))?;
        }
    } else {
        let old = old.unwrap_or_default();
        if old != rendered {
            problems.push(format!(
                "  Snapshot {}: the rendered output differs (run with CONNLINT_BLESS=1 to update)\n{}",
                snapshot.display(),
                diff(&old, &rendered)
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

fn diff(old: &str, new: &str) -> String {
    let old: Vec<&str> = old.lines().collect();
    let new: Vec<&str> = new.lines().collect();
    let mut out = String::new();
    let n = old.len().max(new.len());
    let mut shown = 0;
    for i in 0..n {
        let (a, b) = (old.get(i), new.get(i));
        if a != b && shown < 12 {
            if let Some(a) = a {
                out.push_str(&format!("    - {a}\n"));
            }
            if let Some(b) = b {
                out.push_str(&format!("    + {b}\n"));
            }
            shown += 1;
        }
    }
    out
}

#[test]
fn fixtures() {
    let catalog = Catalog::builtin().expect("the built-in catalog parses");
    let cases = cases();
    assert!(!cases.is_empty(), "no fixtures under testdata/");
    let filter = std::env::var("CONNLINT_CASE").ok();
    let mut failures = Vec::new();
    let mut validated = 0;
    for case in &cases {
        if filter
            .as_ref()
            .is_some_and(|f| !case.name.contains(f.as_str()))
        {
            continue;
        }
        match run_case(case, &catalog) {
            Ok(()) => validated += 1,
            Err(e) => failures.push(format!("{}:\n{e}", case.name)),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures failed ({validated} validated):\n\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n\n")
    );
}

/// Every lint has a folder with at least one case that fires and one that stays clean.
#[test]
fn every_lint_has_firing_and_clean_cases() {
    for lint in connlint::lints::LINTS {
        let dir = testdata().join(lint.name);
        let mut fires = false;
        let mut clean = false;
        for f in workspace::rust_files(&dir) {
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            if text.contains(&format!("//~ {}", lint.name)) {
                fires = true;
            } else {
                clean = true;
            }
        }
        assert!(fires, "testdata/{} has no case that fires", lint.name);
        assert!(clean, "testdata/{} has no clean look-alike case", lint.name);
    }
}

/// Every fixture, the demo, and a generated five-package workspace, discovered.
fn all_workspaces() -> Vec<(PathBuf, workspace::Workspace)> {
    let mut cases: Vec<PathBuf> = cases().into_iter().map(|c| c.path).collect();
    cases.push(testdata().join("demo"));
    // One folder per call: tests that call this run in parallel.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let generated = common::scratch(&format!("workspace-{n}")).join("generated");
    common::generated::workspace(&generated, 40);
    cases.push(generated);
    cases
        .into_iter()
        .map(|path| {
            let ws = discover_path(&path);
            (path, ws)
        })
        .collect()
}

/// The rendered findings of one run, and what it did to its files.
fn render(
    ws: &workspace::Workspace,
    catalog: &Catalog,
    opts: &connlint::Options,
) -> (String, connlint::Stats) {
    let analysis = connlint::analyze(ws, catalog, opts);
    let text = connlint::finalize(&analysis, ws, &connlint::default_levels(), &[])
        .iter()
        .map(|d| connlint::emit::human(d, &analysis.files, false))
        .collect();
    (text, analysis.stats)
}

/// The prefilter only skips files that cannot matter: every fixture, the
/// demo and the generated workspace give the same rendered findings with and
/// without it (at the default and the pedantic level).
#[test]
fn prefilter_changes_nothing() {
    let catalog = Catalog::builtin().expect("the built-in catalog parses");
    for (path, ws) in all_workspaces() {
        for pedantic in [false, true] {
            let run = |prefilter: bool| {
                let opts = connlint::Options {
                    prefilter,
                    pedantic,
                    ..connlint::Options::default()
                };
                render(&ws, &catalog, &opts)
            };
            let ((with, filtered), (without, all)) = (run(true), run(false));
            assert_eq!(
                with,
                without,
                "the prefilter changed the findings of {}",
                path.display()
            );
            if path.ends_with("named_indirectly") {
                // Its files reach reqwest through a field taken apart, a glob
                // and a renamed crate: walked. The fourth names `http` and
                // `redis` only as a field and a variable: not walked.
                assert!(!with.is_empty());
                assert_eq!((filtered.walked, all.walked), (4, 5));
            }
            if path.ends_with("method_arity") {
                // Every file but `unrelated.rs`, which calls the methods only
                // with other numbers of arguments.
                assert_eq!((filtered.walked, all.walked), (6, 7));
            }
            if path.ends_with("generated") {
                assert!(!with.is_empty(), "the generated workspace has findings");
                // 4 × 40 fillers and the 8 files that matter: the fillers name
                // the catalog only in comments and strings; the web package
                // and its 40 fillers are not even parsed.
                assert!(
                    filtered.walked < 10 && all.walked > 160,
                    "the prefilter walked {} of {} files",
                    filtered.walked,
                    all.walked
                );
                assert!(
                    filtered.indexed + 41 == all.indexed,
                    "the prefilter parsed {} of {} files",
                    filtered.indexed,
                    all.indexed
                );
            }
        }
    }
}

/// Batches change nothing: every fixture, the demo and the generated
/// workspace (two components: the tool package calls no other) give the same
/// findings with each component in a batch of its own and all in one.
#[test]
fn batches_change_nothing() {
    let catalog = Catalog::builtin().expect("the built-in catalog parses");
    for (path, ws) in all_workspaces() {
        let run = |batch_bytes: u64| {
            let opts = connlint::Options {
                batch_bytes,
                pedantic: true,
                ..connlint::Options::default()
            };
            let analysis = connlint::analyze(&ws, &catalog, &opts);
            // (Batches number their files in another order: compare the
            // findings as a set.)
            let mut found: Vec<String> =
                connlint::finalize(&analysis, &ws, &connlint::default_levels(), &[])
                    .iter()
                    .map(|d| connlint::emit::human(d, &analysis.files, false))
                    .collect();
            found.sort();
            (found, analysis.stats)
        };
        let ((split, split_stats), (whole, whole_stats)) = (run(1), run(0));
        assert_eq!(
            split,
            whole,
            "batches changed the findings of {}",
            path.display()
        );
        assert_eq!(whole_stats.batches, 1);
        if path.ends_with("generated") {
            assert!(!whole.is_empty(), "the generated workspace has findings");
            assert_eq!(split_stats.batches, 2, "core, util, web, api | tools");
            assert_eq!(split_stats.walked, whole_stats.walked);
        }
    }
}

/// The cache changes no finding: a cold run that fills it and a warm run
/// that reads it give what a run without it gives, and the warm run parses
/// nothing.
#[test]
fn cache_changes_nothing() {
    let catalog = Catalog::builtin().expect("the built-in catalog parses");
    let dir = common::scratch("cache");
    for (i, (path, ws)) in all_workspaces().into_iter().enumerate() {
        let opts = |cache: Option<connlint::cache::Cache>| connlint::Options {
            cache,
            pedantic: true,
            ..connlint::Options::default()
        };
        let cache = connlint::cache::Cache::new(dir.join(i.to_string()));
        let (none, _) = render(&ws, &catalog, &opts(None));
        let (cold, _) = render(&ws, &catalog, &opts(Some(cache.clone())));
        let (warm, stats) = render(&ws, &catalog, &opts(Some(cache)));
        assert_eq!(
            cold,
            none,
            "a cold cache changed the findings of {}",
            path.display()
        );
        assert_eq!(
            warm,
            none,
            "a warm cache changed the findings of {}",
            path.display()
        );
        assert_eq!(
            (stats.indexed, stats.walked),
            (0, 0),
            "the warm run of {} parsed files",
            path.display()
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}

/// Runs connlint on a fixture (a `.rs` file or a workspace directory).
fn analyze_path(
    path: &Path,
    catalog: &Catalog,
) -> (connlint::Analysis, Vec<connlint::diagnostic::Diagnostic>) {
    let ws = discover_path(path);
    let analysis = connlint::analyze(&ws, catalog, &connlint::Options::default());
    let diagnostics = connlint::finalize(&analysis, &ws, &connlint::default_levels(), &[]);
    (analysis, diagnostics)
}

/// `--fix` (in memory, nothing written) on a case, at the default levels.
fn fix_path(path: &Path, catalog: &Catalog, unsafe_fixes: bool) -> connlint::fix::Outcome {
    let ws = discover_path(path);
    let report =
        |a: &connlint::Analysis| connlint::finalize(a, &ws, &connlint::default_levels(), &[]);
    connlint::fix::run(
        &ws,
        catalog,
        &connlint::Options::default(),
        &report,
        unsafe_fixes,
    )
}

fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).expect("create the copy");
        for e in std::fs::read_dir(from).expect("read the fixture").flatten() {
            if e.file_name() == "target" {
                continue;
            }
            copy_tree(&e.path(), &to.join(e.file_name()));
        }
    } else {
        std::fs::copy(from, to).expect("copy the fixture");
    }
}

/// Where a byte offset of the original text lands once `edits` (sorted,
/// disjoint) are applied; `None` inside a replaced range.
fn map_offset(at: usize, edits: &[&connlint::diagnostic::Edit]) -> Option<usize> {
    let mut delta: isize = 0;
    for e in edits {
        if e.span.is_empty() {
            if e.span.start <= at {
                delta += e.replacement.len() as isize;
            }
        } else if e.span.end <= at {
            delta += e.replacement.len() as isize - e.span.len() as isize;
        } else if e.span.start <= at {
            return None;
        }
    }
    Some((at as isize + delta) as usize)
}

/// Every suggestion of every fixture (whatever its applicability), applied
/// alone to a copy of the fixture, gives code that parses, and connlint no
/// longer reports the finding it was attached to.
#[test]
fn suggestions_apply() {
    let catalog = Catalog::builtin().expect("the built-in catalog parses");
    let filter = std::env::var("CONNLINT_CASE").ok();
    let scratch = std::env::temp_dir().join(format!("connlint-suggestions-{}", std::process::id()));
    let mut failures = Vec::new();
    let mut applied = 0;
    for case in cases() {
        if filter
            .as_ref()
            .is_some_and(|f| !case.name.contains(f.as_str()))
        {
            continue;
        }
        let (analysis, diagnostics) = analyze_path(&case.path, &catalog);
        for (di, d) in diagnostics.iter().enumerate() {
            for (hi, help) in d.helps.iter().enumerate() {
                let Some(s) = &help.suggestion else {
                    continue;
                };
                applied += 1;
                let what = format!(
                    "{} finding #{di} `{}` ({}), help #{hi} ({})",
                    case.name,
                    d.lint,
                    d.message,
                    s.applicability.as_str()
                );
                let copy = scratch.join(format!("{}-{di}-{hi}", case.name.replace('/', "-")));
                let _ = std::fs::remove_dir_all(&copy);
                std::fs::create_dir_all(&copy).expect("scratch directory");
                let root = copy.join(case.path.file_name().expect("a file name"));
                copy_tree(&case.path, &root);
                // Apply the edits, file by file, from the end.
                let mut by_file: BTreeMap<usize, Vec<&connlint::diagnostic::Edit>> =
                    BTreeMap::new();
                for e in &s.edits {
                    by_file.entry(e.file).or_default().push(e);
                }
                let mut patched_path = BTreeMap::new();
                let mut ok = true;
                for (file, edits) in by_file.iter_mut() {
                    edits.sort_by_key(|e| (e.span.start, e.span.end));
                    if edits.windows(2).any(|w| w[0].span.end > w[1].span.start) {
                        failures.push(format!("{what}: overlapping edits"));
                        ok = false;
                        break;
                    }
                    let src = &analysis.files[*file];
                    let rel = src
                        .path
                        .strip_prefix(&case.path)
                        .map(Path::to_path_buf)
                        .unwrap_or_default();
                    let target = if rel.as_os_str().is_empty() {
                        root.clone()
                    } else {
                        root.join(rel)
                    };
                    let mut text = src.text.to_string();
                    for e in edits.iter().rev() {
                        text.replace_range(e.span.clone(), &e.replacement);
                    }
                    if let Err(err) = syn::parse_file(&text) {
                        failures.push(format!("{what}: the result does not parse: {err}\n{text}"));
                        ok = false;
                        break;
                    }
                    std::fs::write(&target, &text).expect("write the patched copy");
                    patched_path.insert(*file, target);
                }
                if !ok {
                    continue;
                }
                let (after, after_diags) = analyze_path(&root, &catalog);
                // The finding is gone: nothing with the same lint where its
                // primary span went, and one fewer finding of that lint on
                // the same text.
                let file_of =
                    |a: &connlint::Analysis, id: usize| a.files[id].path.canonicalize().ok();
                let target_file = patched_path
                    .get(&d.primary.file)
                    .and_then(|p| p.canonicalize().ok())
                    .or_else(|| {
                        let src = &analysis.files[d.primary.file];
                        let rel = src.path.strip_prefix(&case.path).ok()?;
                        let p = if rel.as_os_str().is_empty() {
                            root.clone()
                        } else {
                            root.join(rel)
                        };
                        p.canonicalize().ok()
                    });
                let snippet = |a: &connlint::Analysis, x: &connlint::diagnostic::Diagnostic| {
                    a.files[x.primary.file].text[x.primary.span.clone()].to_string()
                };
                let text = snippet(&analysis, d);
                let before_count = diagnostics
                    .iter()
                    .filter(|x| x.lint == d.lint && snippet(&analysis, x) == text)
                    .count();
                let after_count = after_diags
                    .iter()
                    .filter(|x| x.lint == d.lint && snippet(&after, x) == text)
                    .count();
                let edits = by_file.get(&d.primary.file).cloned().unwrap_or_default();
                let mapped = map_offset(d.primary.span.start, &edits);
                let still_there = after_diags.iter().any(|x| {
                    x.lint == d.lint
                        && file_of(&after, x.primary.file) == target_file
                        && Some(x.primary.span.start) == mapped
                });
                if still_there || after_count >= before_count {
                    let rendered: String = after_diags
                        .iter()
                        .map(|x| connlint::emit::human(x, &after.files, false))
                        .collect();
                    failures.push(format!(
                        "{what}: the finding is still reported after the fix\n{rendered}"
                    ));
                }
                if let Some(e) = after_diags.iter().find(|x| x.lint == "parse_error") {
                    failures.push(format!("{what}: {}", e.message));
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    eprintln!("{applied} suggestions applied");
    assert!(
        filter.is_some() || applied > 0,
        "no fixture has a suggestion"
    );
    assert!(
        failures.is_empty(),
        "{} of {applied} suggestions failed:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Every case whose findings have machine-applicable fixes: `--fix` turns each
/// changed `x.rs` into its `x.fixed` (`CONNLINT_BLESS=1` writes them); the
/// result parses, the fixed findings are gone and nothing else changed
/// (checked again from disk on a copy), no fix was reverted, and fixing the
/// fixed copy changes nothing (idempotence). A `.fixed` file no fix produces
/// is stale.
#[test]
fn fixed_files_round_trip() {
    let catalog = Catalog::builtin().expect("the built-in catalog parses");
    let bless = std::env::var_os("CONNLINT_BLESS").is_some();
    let filter = std::env::var("CONNLINT_CASE").ok();
    let scratch = std::env::temp_dir().join(format!("connlint-fixed-{}", std::process::id()));
    let mut failures = Vec::new();
    let mut expected_files = Vec::new();
    let mut round_trips = 0;
    let selected = cases()
        .into_iter()
        .filter(|c| filter.as_ref().is_none_or(|f| c.name.contains(f.as_str())));
    for case in selected {
        let (_, before) = analyze_path(&case.path, &catalog);
        let outcome = fix_path(&case.path, &catalog, false);
        for (f, why) in &outcome.reverted {
            failures.push(format!("{}: {} reverted: {why}", case.name, f.location));
        }
        if outcome.pending > 0 {
            failures.push(format!("{}: no fixpoint", case.name));
        }
        if outcome.changes.is_empty() {
            continue;
        }
        round_trips += 1;
        let copy = scratch.join(case.name.replace('/', "-"));
        std::fs::create_dir_all(&copy).expect("scratch directory");
        let root = copy.join(case.path.file_name().expect("a file name"));
        copy_tree(&case.path, &root);
        for c in &outcome.changes {
            let expected_path = c.path.with_extension("fixed");
            expected_files.push(expected_path.clone());
            if bless {
                std::fs::write(&expected_path, &c.fixed).expect("write the .fixed file");
            }
            match std::fs::read_to_string(&expected_path) {
                Ok(expected) if expected == c.fixed => {}
                Ok(expected) => failures.push(format!(
                    "{}: `{}` differs from its `--fix` result (CONNLINT_BLESS=1 rewrites it):\n{}",
                    case.name,
                    expected_path.display(),
                    diff(&expected, &c.fixed)
                )),
                Err(e) => failures.push(format!(
                    "{}: `{}`: {e} (CONNLINT_BLESS=1 writes it)",
                    case.name,
                    expected_path.display()
                )),
            }
            if let Err(e) = syn::parse_file(&c.fixed) {
                failures.push(format!("{}: `{}` does not parse: {e}", case.name, c.name));
            }
            let rel = c.path.strip_prefix(&case.path).unwrap_or(Path::new(""));
            let target = if rel.as_os_str().is_empty() {
                root.clone()
            } else {
                root.join(rel)
            };
            std::fs::write(&target, &c.fixed).expect("write the fixed copy");
        }
        // Checked again from disk: the fixed findings are gone, and nothing
        // new appears, except that a client hoisted out of a loop may still be
        // built once per call of the function around the loop (a
        // `client_per_call` finding, or none when that call runs once).
        let (_, after) = analyze_path(&root, &catalog);
        let count = |ds: &[connlint::diagnostic::Diagnostic], lint: &str| {
            ds.iter().filter(|d| d.lint == lint).count()
        };
        let fixed = |lint: &str| outcome.fixed.iter().filter(|f| f.lint == lint).count();
        for lint in connlint::lints::LINTS.iter().map(|l| l.name) {
            let moved = if lint == "client_per_call" {
                fixed("client_in_loop")
            } else {
                0
            };
            if count(&after, lint) + fixed(lint) > count(&before, lint) + moved {
                failures.push(format!(
                    "{}: {lint}: {} findings before, {} fixed, {} after",
                    case.name,
                    count(&before, lint),
                    fixed(lint),
                    count(&after, lint)
                ));
            }
        }
        if let Some(d) = after
            .iter()
            .find(|d| connlint::fix::apply::suggestion_of(d, false).is_some())
        {
            failures.push(format!("{}: still fixable: {}", case.name, d.message));
        }
        let again = fix_path(&root, &catalog, false);
        if !again.changes.is_empty() {
            failures.push(format!(
                "{}: fixing the fixed copy changes it again:\n{}",
                case.name,
                connlint::fix::diff(&again)
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    if filter.is_none() {
        for stale in fixed_files(&testdata()) {
            if !expected_files.contains(&stale) {
                failures.push(format!(
                    "`{}` is stale: no machine-applicable fix produces it",
                    stale.display()
                ));
            }
        }
        assert!(round_trips > 0, "no fixture has a machine-applicable fix");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Every `.fixed` file under `dir`.
fn fixed_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(fixed_files(&p));
        } else if p.extension().is_some_and(|x| x == "fixed") {
            out.push(p);
        }
    }
    out
}

/// The JSON suggestions and `--fix` agree: `rustfix` (what `cargo fix` uses)
/// applying the machine-applicable suggestions of the cargo JSON messages
/// gives the text of one round of `connlint::fix`.
#[test]
fn json_suggestions_match_fix_through_rustfix() {
    let catalog = Catalog::builtin().expect("the built-in catalog parses");
    let mut compared = 0;
    let mut failures = Vec::new();
    for case in cases().iter().filter(|c| c.path.is_file()) {
        let (analysis, diagnostics) = analyze_path(&case.path, &catalog);
        let round = connlint::fix::apply::round(&analysis.files, &diagnostics, false);
        for (&file, fixed) in &round.texts {
            let original = &analysis.files[file].text;
            let name = |id: usize| analysis.files[id].name.clone();
            let mut suggestions = Vec::new();
            for d in diagnostics.iter().filter(|d| d.primary.file == file) {
                let line = connlint::emit::cargo_json(
                    d,
                    &analysis.files,
                    (None, None),
                    &name,
                    connlint::emit::Rendered::default(),
                );
                let value: serde_json::Value = serde_json::from_str(&line).expect("JSON line");
                let message = value["message"].to_string();
                suggestions.extend(
                    rustfix::get_suggestions_from_json(
                        &message,
                        &std::collections::HashSet::new(),
                        rustfix::Filter::MachineApplicableOnly,
                    )
                    .expect("rustfix reads the message"),
                );
            }
            match rustfix::apply_suggestions(original, &suggestions) {
                Ok(by_rustfix) if by_rustfix == *fixed => compared += 1,
                Ok(by_rustfix) => failures.push(format!(
                    "{}: rustfix and --fix differ:\n{}",
                    case.name,
                    diff(&by_rustfix, fixed)
                )),
                Err(e) => failures.push(format!("{}: rustfix: {e}", case.name)),
            }
        }
    }
    assert!(compared > 0, "no case has a machine-applicable fix");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
