//! Discovery: which crates to check and where their root files are.
//!
//! With a manifest, `cargo metadata --format-version 1 --no-deps` (through
//! `$CARGO`) names the members, their targets and dependencies; build scripts
//! and proc macros never run. Without one, a directory walk finds the files.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use serde_json::Value;

#[derive(Debug, Clone, Default)]
pub struct Target {
    /// Crate name as written in paths (dashes become underscores).
    pub name: String,
    pub kind: Vec<String>,
    pub crate_types: Vec<String>,
    pub src_path: PathBuf,
    pub edition: String,
}

impl Target {
    pub fn is_lib(&self) -> bool {
        self.kind.iter().any(|k| {
            matches!(
                k.as_str(),
                "lib" | "rlib" | "dylib" | "cdylib" | "staticlib" | "proc-macro"
            )
        })
    }

    pub fn is_test_like(&self) -> bool {
        self.kind.iter().any(|k| k == "test" || k == "bench")
    }
}

#[derive(Debug, Clone, Default)]
pub struct Package {
    pub name: String,
    pub id: String,
    pub manifest_path: PathBuf,
    pub dir: PathBuf,
    pub targets: Vec<Target>,
    /// Names of the package's dependencies (normal, dev and build).
    pub dependencies: Vec<String>,
    /// The names of `dependencies` that are only dev-dependencies.
    pub dev_only_dependencies: Vec<String>,
    /// The names of `dependencies` that cannot be code of this workspace:
    /// every mention of them is a registry or git dependency, not a `path`
    /// (cargo links a member into another's build only by path; a
    /// `workspace = true` one may be a path, so it is not here).
    pub external_dependencies: Vec<String>,
    /// `publish = false` in the manifest.
    pub unpublished: bool,
    /// A test harness or tooling package (see [`mark_test_packages`]): its
    /// code is read for its calls, like tests, but never reported.
    pub is_test: bool,
    pub metadata: Value,
    /// False for a synthetic package made from a directory walk.
    pub from_cargo: bool,
}

impl Package {
    /// A package that demonstrates the others (it lives under an `examples/`
    /// or `demo/` directory of the workspace): it uses a library the way an
    /// outside user would, so it does not show all of that library's callers.
    pub fn is_demo(&self, root: &Path) -> bool {
        self.dir.strip_prefix(root).is_ok_and(|rel| {
            rel.components().any(|c| {
                matches!(
                    c.as_os_str().to_str(),
                    Some("examples" | "example" | "demo" | "demos" | "samples")
                )
            })
        })
    }

    /// The dependencies that can be code of this workspace (not
    /// `external_dependencies`): the only ones that link another member.
    pub fn local_dependencies(&self) -> impl Iterator<Item = &String> {
        self.dependencies
            .iter()
            .filter(|d| !self.external_dependencies.contains(d))
    }

    /// Whether the package depends on one of `packages` (always true for a
    /// directory walk, where dependencies are unknown).
    pub fn depends_on_any(&self, packages: &[String]) -> bool {
        !self.from_cargo
            || packages.is_empty()
            || packages
                .iter()
                .any(|p| self.dependencies.iter().any(|d| d == p))
    }
}

#[derive(Debug, Clone, Default)]
pub struct Workspace {
    pub root: PathBuf,
    pub packages: Vec<Package>,
    pub metadata: Value,
    /// Files given on the command line; when set, only findings in these are reported.
    pub report_only: Vec<PathBuf>,
    /// What discovery met but could not check: each becomes a diagnostic.
    pub problems: Vec<Problem>,
    /// Discovery fell back from `cargo metadata` to reading the directory.
    pub fallbacks: Vec<String>,
    /// The directories discovery walked, and the `.rs` files it found
    /// under them, sorted (`files_under` answers from them).
    pub walked: Vec<PathBuf>,
    pub walked_files: Vec<PathBuf>,
    /// `cargo metadata`'s answer came from the cache (see `Selection::cache`).
    pub metadata_cached: bool,
}

impl Workspace {
    /// The `.rs` files under `dir` (as `rust_files`), from the walk of
    /// discovery when it covered `dir` (a tree of crates is walked once,
    /// not once more per package).
    pub fn files_under(&self, dir: &Path) -> std::borrow::Cow<'_, [PathBuf]> {
        if self.walked.iter().any(|r| dir.starts_with(r)) {
            // Sorted by components: the files under `dir` are one run.
            let start = self.walked_files.partition_point(|f| f.as_path() < dir);
            let len = self.walked_files[start..]
                .iter()
                .take_while(|f| f.starts_with(dir))
                .count();
            return std::borrow::Cow::Borrowed(&self.walked_files[start..start + len]);
        }
        std::borrow::Cow::Owned(rust_files(dir))
    }
}

/// A path discovery could not check (a symlink it does not follow, an
/// unreadable directory, a FIFO named `*.rs`), as a diagnostic to report.
#[derive(Debug, Clone)]
pub struct Problem {
    pub path: PathBuf,
    pub lint: &'static str,
    pub level: crate::diagnostic::Level,
    pub message: String,
    pub note: Option<String>,
}

impl Problem {
    fn error(path: &Path, message: String, note: Option<String>) -> Problem {
        Problem {
            path: path.to_path_buf(),
            lint: crate::lints::IO_ERROR,
            level: crate::diagnostic::Level::Error,
            message,
            note,
        }
    }
}

/// Checks a path given on the command line: it must exist and be a
/// directory or a regular file (a FIFO or device is never opened).
fn check_given_path(path: &Path) -> Option<Problem> {
    let shown = path.display();
    let link = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) => {
            return Some(Problem::error(
                path,
                format!("path `{shown}` cannot be checked: {}", crate::io_reason(&e)),
                None,
            ));
        }
    };
    match std::fs::metadata(path) {
        Err(e) => Some(Problem::error(
            path,
            format!(
                "path `{shown}` is a symbolic link that cannot be followed: {}",
                crate::io_reason(&e)
            ),
            None,
        )),
        Ok(m) if m.is_dir() || m.is_file() => None,
        Ok(m) => Some(Problem::error(
            path,
            format!(
                "path `{shown}` is {}{}, not a regular file or a directory",
                crate::file_kind(&m.file_type()),
                if link.file_type().is_symlink() {
                    " (through a symbolic link)"
                } else {
                    ""
                }
            ),
            Some("connlint reads only regular files; it was not opened".to_string()),
        )),
    }
}

#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub paths: Vec<PathBuf>,
    pub manifest_path: Option<PathBuf>,
    pub packages: Vec<String>,
    pub workspace: bool,
    pub exclude: Vec<String>,
    pub include_tests: bool,
    /// Keep `cargo metadata`'s answer in the cache and use it while the
    /// manifests and folders it depends on are unchanged (`cache::load_metadata`).
    pub cache: bool,
}

pub fn discover(selection: &Selection) -> Result<Workspace> {
    if !selection.exclude.is_empty() && !selection.workspace {
        bail!("--exclude can only be used together with --workspace");
    }
    if let Some(manifest) = &selection.manifest_path {
        if manifest.file_name().and_then(|n| n.to_str()) != Some("Cargo.toml") {
            bail!(
                "the manifest-path must be a path to a Cargo.toml file: `{}`",
                manifest.display()
            );
        }
        if !manifest.is_file() {
            bail!("manifest path `{}` does not exist", manifest.display());
        }
        let mut ws = from_metadata_or_walk(manifest, selection)?;
        ws.report_only = selection.paths.clone();
        return Ok(ws);
    }
    if selection.paths.is_empty() {
        let cwd = std::env::current_dir().context("cannot read the current directory")?;
        let Some(manifest) = find_manifest(&cwd) else {
            bail!(
                "could not find `Cargo.toml` in `{}` or any parent directory; pass a path to check",
                cwd.display()
            );
        };
        return from_metadata_or_walk(&manifest, selection);
    }
    // Paths given: each one is checked as part of the cargo workspace around
    // it when there is one, else as plain files.
    let mut ws = Workspace::default();
    for path in &selection.paths {
        if let Some(problem) = check_given_path(path) {
            ws.problems.push(problem);
            continue;
        }
        let abs = absolute(path)?;
        let start = if abs.is_dir() {
            abs.clone()
        } else {
            abs.parent().map(Path::to_path_buf).unwrap_or_default()
        };
        let manifest = find_manifest(&start);
        let part = match manifest {
            Some(manifest) => {
                let sub = Selection {
                    paths: Vec::new(),
                    manifest_path: Some(manifest.clone()),
                    packages: selection.packages.clone(),
                    workspace: true,
                    exclude: selection.exclude.clone(),
                    include_tests: selection.include_tests,
                    cache: selection.cache,
                };
                let mut part = from_metadata_or_walk(&manifest, &sub)?;
                // Keep the packages that contain the path or that the path contains.
                part.packages
                    .retain(|p| abs.starts_with(&p.dir) || p.dir.starts_with(&abs));
                // A path inside a package but outside its targets' source
                // folders (fixtures, scripts) is checked as plain files.
                let covered = part.packages.iter().any(|p| {
                    p.dir.starts_with(&abs)
                        || p.targets.iter().any(|t| {
                            let dir = t.src_path.parent().unwrap_or(&t.src_path);
                            t.src_path == abs || (dir != p.dir && abs.starts_with(dir))
                        })
                });
                if covered { part } else { from_walk(&abs) }
            }
            None => from_walk(&abs),
        };
        if ws.root.as_os_str().is_empty() {
            ws.root = part.root.clone();
            ws.metadata = part.metadata.clone();
        }
        ws.metadata_cached |= part.metadata_cached;
        for p in part.problems {
            if !ws.problems.iter().any(|q| q.path == p.path) {
                ws.problems.push(p);
            }
        }
        for f in part.fallbacks {
            if !ws.fallbacks.contains(&f) {
                ws.fallbacks.push(f);
            }
        }
        if !part.walked.iter().all(|r| ws.walked.contains(r)) {
            ws.walked.extend(part.walked);
            ws.walked_files.extend(part.walked_files);
            ws.walked_files.sort();
            ws.walked_files.dedup();
        }
        for p in part.packages {
            match ws.packages.iter_mut().find(|q| q.id == p.id) {
                // Two loose files of one directory: one synthetic package, both targets.
                Some(q) => {
                    for t in p.targets {
                        if !q.targets.iter().any(|u| u.src_path == t.src_path) {
                            q.targets.push(t);
                        }
                    }
                }
                None => ws.packages.push(p),
            }
        }
        ws.report_only.push(abs);
    }
    Ok(ws)
}

fn absolute(path: &Path) -> Result<PathBuf> {
    std::fs::canonicalize(path).with_context(|| format!("cannot resolve `{}`", path.display()))
}

pub fn find_manifest(start: &Path) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        let candidate = d.join("Cargo.toml");
        if candidate.is_file() {
            return Some(candidate);
        }
        dir = d.parent();
    }
    None
}

fn run_metadata(
    cargo: &std::ffi::OsStr,
    manifest: &Path,
    toolchain: Option<&str>,
) -> Result<std::process::Output> {
    metadata_command(cargo, manifest, toolchain)
        .output()
        .with_context(|| format!("cannot run `{} metadata`", cargo.to_string_lossy()))
}

fn metadata_command(cargo: &std::ffi::OsStr, manifest: &Path, toolchain: Option<&str>) -> Command {
    let mut cmd = Command::new(cargo);
    cmd.arg("metadata")
        .arg("--format-version")
        .arg("1")
        .arg("--no-deps")
        .arg("--manifest-path")
        .arg(manifest)
        // Only cargo's first error line is shown: a backtrace would not be,
        // and a failing rustup proxy (a pinned toolchain that is not
        // installed) spent about 70 ms writing one under RUST_BACKTRACE=1.
        .env("RUST_BACKTRACE", "0")
        .env("RUST_LIB_BACKTRACE", "0");
    if let Some(t) = toolchain {
        cmd.env("RUSTUP_TOOLCHAIN", t);
    }
    cmd
}

/// `cargo metadata`, or when it fails (a broken manifest, a missing
/// toolchain, no cargo), the directory read by cargo's conventions, with the
/// fallback announced in `fallbacks` (the command line prints it).
fn from_metadata_or_walk(manifest: &Path, selection: &Selection) -> Result<Workspace> {
    match from_metadata(manifest, selection) {
        Ok(ws) => Ok(ws),
        Err(e) => {
            let dir = manifest.parent().unwrap_or(Path::new("."));
            let dir = absolute(dir)?;
            let mut ws = from_walk(&dir);
            ws.fallbacks.push(format!(
                "{e:#}; checking the files under `{}` by cargo's conventions instead (targets from each Cargo.toml read directly, the other .rs files as loose files)",
                dir.display()
            ));
            Ok(ws)
        }
    }
}

fn from_metadata(manifest: &Path, selection: &Selection) -> Result<Workspace> {
    // (Only with the cache: without it, discovery is what it always was.)
    let kept_at = selection
        .cache
        .then(|| std::fs::canonicalize(manifest).ok())
        .flatten();
    if let Some(value) = kept_at.as_deref().and_then(crate::cache::load_metadata) {
        let mut ws = workspace_from_metadata(&value, manifest, selection)?;
        ws.metadata_cached = true;
        return Ok(ws);
    }
    let value = cargo_metadata(manifest)?;
    if let Some(at) = &kept_at {
        crate::cache::store_metadata(at, &value);
    }
    workspace_from_metadata(&value, manifest, selection)
}

/// Runs `cargo metadata --no-deps` for `manifest`.
fn cargo_metadata(manifest: &Path) -> Result<Value> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut output = run_metadata(&cargo, manifest, None)?;
    // A `rust-toolchain.toml` can pin a toolchain that is not installed; the
    // metadata format does not depend on it, so ask another toolchain.
    if !output.status.success()
        && String::from_utf8_lossy(&output.stderr).contains("is not installed")
    {
        for toolchain in [option_env!("RUSTUP_TOOLCHAIN"), Some("stable")]
            .into_iter()
            .flatten()
        {
            let retry = run_metadata(&cargo, manifest, Some(toolchain))?;
            if retry.status.success() {
                output = retry;
                break;
            }
        }
    }
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        bail!(
            "`cargo metadata` failed for `{}`: {}",
            manifest.display(),
            cargo_error(&stderr)
        );
    }
    serde_json::from_slice(&output.stdout).context("cannot parse `cargo metadata` output")
}

/// The first error cargo printed, with the place it points at (a broken
/// `Cargo.toml` names its line and column: `--> Cargo.toml:6:23`).
fn cargo_error(stderr: &str) -> String {
    let mut lines = stderr.lines().skip_while(|l| !l.starts_with("error"));
    let Some(first) = lines.next() else {
        return stderr.trim_end().to_string();
    };
    let locus = lines
        .take_while(|l| !l.trim().is_empty() && !l.starts_with("error"))
        .find_map(|l| l.trim_start().strip_prefix("--> "));
    match locus {
        Some(at) => format!("{first} (at {})", at.trim()),
        None => first.to_string(),
    }
}

pub fn workspace_from_metadata(
    value: &Value,
    manifest: &Path,
    selection: &Selection,
) -> Result<Workspace> {
    let root = value["workspace_root"]
        .as_str()
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.parent().map(Path::to_path_buf).unwrap_or_default());
    let default_members: Vec<String> = strings(&value["workspace_default_members"]);
    let mut all = Vec::new();
    for p in value["packages"].as_array().into_iter().flatten() {
        all.push(package_from_json(p));
    }
    // Over every member, before the selection: dev-only use is a workspace fact.
    mark_test_packages(&mut all);
    let manifest_abs = std::fs::canonicalize(manifest).unwrap_or(manifest.to_path_buf());
    let selected: Vec<Package> = if !selection.packages.is_empty() {
        let mut out = Vec::new();
        for spec in &selection.packages {
            let matched: Vec<&Package> = all
                .iter()
                .filter(|p| glob_match(spec, &p.name) || p.id == *spec)
                .collect();
            if matched.is_empty() {
                bail!("package `{spec}` is not a member of the workspace");
            }
            out.extend(matched.into_iter().cloned());
        }
        out
    } else if selection.workspace {
        all.clone()
    } else {
        // The manifest's own package when it has one, else the default members.
        match all.iter().find(|p| {
            std::fs::canonicalize(&p.manifest_path).unwrap_or(p.manifest_path.clone())
                == manifest_abs
        }) {
            Some(p) => vec![p.clone()],
            None if default_members.is_empty() => all.clone(),
            None => all
                .iter()
                .filter(|p| default_members.contains(&p.id))
                .cloned()
                .collect(),
        }
    };
    let packages = selected
        .into_iter()
        .filter(|p| !selection.exclude.iter().any(|e| glob_match(e, &p.name)))
        .collect();
    Ok(Workspace {
        root,
        packages,
        metadata: value["metadata"].clone(),
        ..Workspace::default()
    })
}

fn package_from_json(p: &Value) -> Package {
    let manifest_path = PathBuf::from(p["manifest_path"].as_str().unwrap_or_default());
    let dir = manifest_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let targets = p["targets"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| Target {
            name: t["name"].as_str().unwrap_or_default().replace('-', "_"),
            kind: strings(&t["kind"]),
            crate_types: strings(&t["crate_types"]),
            src_path: PathBuf::from(t["src_path"].as_str().unwrap_or_default()),
            edition: t["edition"].as_str().unwrap_or("2021").to_string(),
        })
        .collect();
    let mut kinds: Vec<(String, bool)> = Vec::new();
    let mut local: Vec<(String, bool)> = Vec::new();
    for d in p["dependencies"].as_array().into_iter().flatten() {
        if let Some(name) = d["name"].as_str() {
            kinds.push((name.to_string(), d["kind"].as_str() == Some("dev")));
            local.push((name.to_string(), d["path"].is_string()));
        }
    }
    let (dependencies, dev_only_dependencies) = split_dev_only(kinds);
    let external_dependencies = external(&dependencies, &local);
    Package {
        name: p["name"].as_str().unwrap_or_default().to_string(),
        id: p["id"].as_str().unwrap_or_default().to_string(),
        manifest_path,
        dir,
        targets,
        dependencies,
        dev_only_dependencies,
        external_dependencies,
        // `"publish": []` is `publish = false`.
        unpublished: p["publish"].as_array().is_some_and(|a| a.is_empty()),
        is_test: false,
        metadata: p["metadata"].clone(),
        from_cargo: true,
    }
}

/// The names no `(name, can be local)` pair marks as possibly local.
fn external(names: &[String], local: &[(String, bool)]) -> Vec<String> {
    names
        .iter()
        .filter(|n| local.iter().all(|(m, l)| m != *n || !l))
        .cloned()
        .collect()
}

/// Dependency names (each once, in order) and those that only appear as
/// dev-dependencies, from `(name, is_dev)` pairs.
fn split_dev_only(kinds: Vec<(String, bool)>) -> (Vec<String>, Vec<String>) {
    let mut names: Vec<String> = Vec::new();
    for (name, _) in &kinds {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    let dev_only = names
        .iter()
        .filter(|n| kinds.iter().all(|(m, dev)| m != *n || *dev))
        .cloned()
        .collect();
    (names, dev_only)
}

/// Package names of test harnesses and tooling, as cargo-style globs over the
/// name lowercased with `_` read as `-`. A member whose name matches one is
/// test code (read for its calls, never reported unless `--include-tests`).
pub const TEST_PACKAGE_GLOBS: &[&str] = &[
    // Test crates: `foo-tests`, `integration_tests`, `tests-build`, `foo-test`.
    "test",
    "tests",
    "*-test",
    "*-tests",
    "tests-*",
    "*-tests-*",
    // Helpers: `test-utils`, `foo-test-util`, `testutils`, `foo-test-support`,
    // `test-helpers`, `foo-testing`.
    "test-util*",
    "*-test-util*",
    "testutil*",
    "*-testutil*",
    "test-support*",
    "*-test-support*",
    "test-helper*",
    "*-test-helper*",
    "testing",
    "testing-*",
    "*-testing",
    // End-to-end suites and their clients: `app-e2e`, `e2e-client`, `e2etests`.
    "*e2e*",
    // Build tooling: `xtask`, `xtask-codegen`.
    "xtask",
    "xtask-*",
    "*-xtask",
    // Bench runners: `foo-bench`, `benches`, `benchmarks`.
    "bench",
    "benches",
    "benchmark",
    "benchmarks",
    "*-bench",
    "*-benches",
    "*-benchmark",
    "*-benchmarks",
];

/// Whether a package name is the name of a test harness or tooling package
/// ([`TEST_PACKAGE_GLOBS`]).
pub fn is_test_package_name(name: &str) -> bool {
    let name = name.to_ascii_lowercase().replace('_', "-");
    TEST_PACKAGE_GLOBS.iter().any(|g| glob_match(g, &name))
}

/// Marks the test harness and tooling packages among the members of a
/// workspace (`Package::is_test`):
/// - a package whose name says so ([`is_test_package_name`]);
/// - a `publish = false` library (no binary target) that other members only
///   use in their dev-dependencies or from other test packages: at least one
///   such use, and no normal or build dependency from a member that is not
///   test code. A dev-dependency from a member the library itself depends on
///   (a derive crate testing its parent) does not count.
pub fn mark_test_packages(packages: &mut [Package]) {
    let n = packages.len();
    let index: std::collections::HashMap<&str, usize> = packages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.from_cargo)
        .map(|(i, p)| (p.name.as_str(), i))
        .collect();
    let members = |names: &mut dyn Iterator<Item = &String>| -> Vec<usize> {
        names
            .filter_map(|d| index.get(d.as_str()).copied())
            .collect()
    };
    let normal: Vec<Vec<usize>> = packages
        .iter()
        .map(|p| {
            members(
                &mut p
                    .dependencies
                    .iter()
                    .filter(|d| !p.dev_only_dependencies.contains(d)),
            )
        })
        .collect();
    let dev: Vec<Vec<usize>> = packages
        .iter()
        .map(|p| members(&mut p.dev_only_dependencies.iter()))
        .collect();
    // What each package needs to build: its normal and build dependencies, transitively.
    let needs: Vec<Vec<bool>> = (0..n)
        .map(|start| {
            let mut seen = vec![false; n];
            let mut stack = normal[start].clone();
            while let Some(i) = stack.pop() {
                if !std::mem::replace(&mut seen[i], true) {
                    stack.extend(normal[i].iter().copied());
                }
            }
            seen
        })
        .collect();
    let mut test: Vec<bool> = packages
        .iter()
        .map(|p| p.from_cargo && is_test_package_name(&p.name))
        .collect();
    loop {
        let mut changed = false;
        for c in 0..n {
            let p = &packages[c];
            if test[c]
                || !p.from_cargo
                || !p.unpublished
                || !p.targets.iter().any(Target::is_lib)
                || p.targets.iter().any(|t| t.kind.iter().any(|k| k == "bin"))
            {
                continue;
            }
            let mut used_by_tests = false;
            let mut used_by_code = false;
            for d in (0..n).filter(|&d| d != c) {
                let as_normal = normal[d].contains(&c);
                let as_dev = dev[d].contains(&c);
                if test[d] {
                    used_by_tests |= as_normal || as_dev;
                } else if as_normal {
                    used_by_code = true;
                } else if as_dev && !needs[c][d] {
                    used_by_tests = true;
                }
            }
            if used_by_tests && !used_by_code {
                test[c] = true;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for (p, t) in packages.iter_mut().zip(test) {
        p.is_test = t;
    }
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s.as_str().map(str::to_string))
        .collect()
}

/// Files outside any cargo workspace: each `Cargo.toml` found under the
/// directory becomes a package whose targets follow cargo's conventions
/// (read without running cargo); the remaining files form one synthetic
/// package in which every file is a candidate root and `mod` declarations
/// link them later.
fn from_walk(path: &Path) -> Workspace {
    let root = if path.is_dir() {
        path.to_path_buf()
    } else {
        path.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    let name = root
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("main")
        .replace('-', "_");
    // One walk finds the `.rs` files and the manifests.
    let (files, manifests, problems) = if path.is_dir() {
        tree_checked(path)
    } else {
        (vec![path.to_path_buf()], Vec::new(), Vec::new())
    };
    let mut packages: Vec<Package> = manifests
        .par_iter()
        .filter_map(|m| manifest_package(m))
        .collect();
    mark_test_packages(&mut packages);
    // A file belongs to a package when one of its folders is a package's
    // (one lookup per ancestor, not a comparison per package).
    let dirs: HashSet<&Path> = packages.iter().map(|p| p.dir.as_path()).collect();
    let loose: Vec<PathBuf> = files
        .iter()
        .filter(|f| !f.ancestors().skip(1).any(|a| dirs.contains(a)))
        .cloned()
        .collect();
    packages.sort_by(|a, b| a.dir.cmp(&b.dir));
    if !loose.is_empty() {
        let targets = loose
            .into_iter()
            .map(|f| Target {
                name: name.clone(),
                kind: vec!["walk".to_string()],
                crate_types: Vec::new(),
                src_path: f,
                edition: "2021".to_string(),
            })
            .collect();
        packages.push(Package {
            name: name.clone(),
            id: format!("path+file://{}", root.display()),
            manifest_path: root.join("Cargo.toml"),
            dir: root.clone(),
            targets,
            dependencies: Vec::new(),
            dev_only_dependencies: Vec::new(),
            external_dependencies: Vec::new(),
            unpublished: false,
            is_test: false,
            metadata: Value::Null,
            from_cargo: false,
        });
    }
    let walked = if path.is_dir() {
        vec![path.to_path_buf()]
    } else {
        Vec::new()
    };
    Workspace {
        root,
        packages,
        metadata: Value::Null,
        problems,
        walked,
        walked_files: if path.is_dir() { files } else { Vec::new() },
        ..Workspace::default()
    }
}

fn manifest_package(manifest: &Path) -> Option<Package> {
    let text = std::fs::read_to_string(manifest).ok()?;
    let value: toml::Value = toml::from_str(&text).ok()?;
    let package = value.get("package")?;
    let name = package.get("name")?.as_str()?.to_string();
    let edition = package
        .get("edition")
        .and_then(|e| e.as_str())
        .unwrap_or("2015")
        .to_string();
    let dir = manifest.parent()?.to_path_buf();
    let ident = name.replace('-', "_");
    let mut targets = Vec::new();
    let mut add = |name: String, kind: &str, path: PathBuf| {
        if path.is_file() && !targets.iter().any(|t: &Target| t.src_path == path) {
            targets.push(Target {
                name,
                kind: vec![kind.to_string()],
                crate_types: vec![if kind == "lib" { "lib" } else { "bin" }.to_string()],
                src_path: path,
                edition: edition.clone(),
            });
        }
    };
    let lib = value.get("lib");
    let lib_name = lib
        .and_then(|l| l.get("name"))
        .and_then(|n| n.as_str())
        .map(|n| n.replace('-', "_"))
        .unwrap_or(ident.clone());
    let lib_path = lib
        .and_then(|l| l.get("path"))
        .and_then(|p| p.as_str())
        .map(|p| dir.join(p))
        .unwrap_or(dir.join("src/lib.rs"));
    add(lib_name, "lib", lib_path);
    for bin in value
        .get("bin")
        .and_then(|b| b.as_array())
        .into_iter()
        .flatten()
    {
        let bin_name = bin
            .get("name")
            .and_then(|n| n.as_str())
            .unwrap_or(&name)
            .replace('-', "_");
        if let Some(p) = bin.get("path").and_then(|p| p.as_str()) {
            add(bin_name, "bin", dir.join(p));
        }
    }
    add(ident.clone(), "bin", dir.join("src/main.rs"));
    let build = package
        .get("build")
        .and_then(|b| b.as_str())
        .map(|b| dir.join(b))
        .unwrap_or(dir.join("build.rs"));
    add("build_script_build".to_string(), "custom-build", build);
    for (folder, kind) in [
        ("src/bin", "bin"),
        ("examples", "example"),
        ("tests", "test"),
        ("benches", "bench"),
    ] {
        for entry in std::fs::read_dir(dir.join(folder))
            .into_iter()
            .flatten()
            .filter_map(|e| e.ok())
        {
            let p = entry.path();
            let stem = p
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or_default()
                .replace('-', "_");
            if p.extension().is_some_and(|x| x == "rs") {
                add(stem, kind, p);
            } else if p.join("main.rs").is_file() {
                add(stem, kind, p.join("main.rs"));
            }
        }
    }
    let kinds = ["dependencies", "dev-dependencies", "build-dependencies"];
    let mut tables: Vec<(&toml::Value, bool)> = kinds
        .iter()
        .filter_map(|k| value.get(*k).map(|t| (t, *k == "dev-dependencies")))
        .collect();
    for t in value
        .get("target")
        .and_then(|t| t.as_table())
        .into_iter()
        .flat_map(|t| t.values())
    {
        tables.extend(
            kinds
                .iter()
                .filter_map(|k| t.get(*k).map(|t| (t, *k == "dev-dependencies"))),
        );
    }
    let mut pairs = Vec::new();
    let mut local = Vec::new();
    for (table, dev) in tables {
        for (key, spec) in table.as_table().into_iter().flatten() {
            let real = spec.get("package").and_then(|p| p.as_str()).unwrap_or(key);
            pairs.push((real.to_string(), dev));
            let path_like = spec.get("path").is_some() || spec.get("workspace").is_some();
            local.push((real.to_string(), path_like));
        }
    }
    let (dependencies, dev_only_dependencies) = split_dev_only(pairs);
    let external_dependencies = external(&dependencies, &local);
    // `publish = false` or `publish = []` (an inherited `publish.workspace` is not read).
    let unpublished = match package.get("publish") {
        Some(toml::Value::Boolean(b)) => !b,
        Some(toml::Value::Array(a)) => a.is_empty(),
        _ => false,
    };
    Some(Package {
        id: format!("path+file://{}#{name}", dir.display()),
        name,
        manifest_path: manifest.to_path_buf(),
        dir,
        targets,
        dependencies,
        dev_only_dependencies,
        external_dependencies,
        unpublished,
        is_test: false,
        metadata: value
            .get("package")
            .and_then(|p| p.get("metadata"))
            .and_then(|m| serde_json::to_value(m).ok())
            .unwrap_or(Value::Null),
        from_cargo: true,
    })
}

/// Every `.rs` file under `dir`, skipping `target/` and hidden directories.
pub fn rust_files(dir: &Path) -> Vec<PathBuf> {
    rust_files_checked(dir).0
}

/// Every regular `.rs` file under `dir` (skipping `target/` and hidden
/// directories), and what the walk could not check: unreadable directories,
/// broken or looping symbolic links, links out of the tree (never followed;
/// a link whose target is inside the tree is checked at its target), and
/// `*.rs` entries that are not regular files.
pub fn rust_files_checked(dir: &Path) -> (Vec<PathBuf>, Vec<Problem>) {
    let (files, _, problems) = tree_checked(dir);
    (files, problems)
}

/// `rust_files_checked`, and the `Cargo.toml` files of the same walk.
fn tree_checked(dir: &Path) -> (Vec<PathBuf>, Vec<PathBuf>, Vec<Problem>) {
    // The entries of `dir` itself, then each folder under it on a thread of
    // its own (a tree of crates is hundreds of folders).
    let (mut files, mut manifests, mut problems) = walk_part(dir, dir, Some(1));
    let mut folders: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            e.file_type().is_ok_and(|t| t.is_dir()) && !(name.starts_with('.') || name == "target")
        })
        .map(|e| e.path())
        .collect();
    folders.sort();
    let parts: Vec<_> = folders
        .par_iter()
        .map(|f| walk_part(f, dir, None))
        .collect();
    for (f, m, p) in parts {
        files.extend(f);
        manifests.extend(m);
        problems.extend(p);
    }
    files.sort();
    (files, manifests, problems)
}

/// The walk of `tree_checked` from `start` (in the tree at `root`), down to
/// `max_depth` when given.
fn walk_part(
    start: &Path,
    root: &Path,
    max_depth: Option<usize>,
) -> (Vec<PathBuf>, Vec<PathBuf>, Vec<Problem>) {
    let mut files = Vec::new();
    let mut manifests = Vec::new();
    let mut problems = Vec::new();
    let mut walk = walkdir::WalkDir::new(start).follow_links(false);
    if let Some(depth) = max_depth {
        walk = walk.max_depth(depth);
    }
    let walk = walk.into_iter().filter_entry(|e| {
        let name = e.file_name().to_string_lossy();
        e.depth() == 0 || !(name.starts_with('.') || (e.file_type().is_dir() && name == "target"))
    });
    for entry in walk {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().unwrap_or(start).to_path_buf();
                let reason = e
                    .io_error()
                    .map(crate::io_reason)
                    .unwrap_or_else(|| e.to_string());
                problems.push(Problem::error(
                    &path,
                    format!("cannot read directory `{}`: {reason}", path.display()),
                    Some("the .rs files under it were not checked".to_string()),
                ));
                continue;
            }
        };
        let is_rs = entry.path().extension().is_some_and(|x| x == "rs");
        let ft = entry.file_type();
        if ft.is_file() {
            if is_rs {
                files.push(entry.into_path());
            } else if entry.file_name() == "Cargo.toml" {
                manifests.push(entry.into_path());
            }
        } else if ft.is_symlink() {
            let path = entry.path();
            match std::fs::metadata(path) {
                // A broken `*.rs` link is a file that cannot be checked; any
                // other broken link would not have been followed anyway.
                Err(e) => problems.push(Problem {
                    level: if is_rs {
                        crate::diagnostic::Level::Error
                    } else {
                        crate::diagnostic::Level::Warning
                    },
                    ..Problem::error(
                        path,
                        format!(
                            "`{}` is a symbolic link that cannot be followed: {}",
                            path.display(),
                            crate::io_reason(&e)
                        ),
                        None,
                    )
                }),
                Ok(m) if is_rs || m.is_dir() => {
                    // A link whose target is inside the tree adds nothing (the
                    // target is checked where it is); one that leads out of it
                    // is named, since what it points to goes unchecked.
                    let target = std::fs::canonicalize(path).unwrap_or_default();
                    let root = std::fs::canonicalize(root).unwrap_or(root.to_path_buf());
                    if !target.starts_with(&root) {
                        problems.push(Problem {
                            path: path.to_path_buf(),
                            lint: crate::lints::IO_ERROR,
                            level: crate::diagnostic::Level::Warning,
                            message: format!(
                                "`{}` is a symbolic link out of the checked tree, to `{}`: not followed",
                                path.display(),
                                target.display()
                            ),
                            note: Some(
                                "connlint never follows a link out of the tree it checks; pass the target as a path to check it"
                                    .to_string(),
                            ),
                        });
                    }
                }
                Ok(_) => {}
            }
        } else if is_rs && !ft.is_dir() {
            problems.push(Problem::error(
                entry.path(),
                format!(
                    "`{}` is {}, not a regular file",
                    entry.path().display(),
                    crate::file_kind(&ft)
                ),
                Some("connlint reads only regular files; it was not opened".to_string()),
            ));
        }
    }
    (files, manifests, problems)
}

/// Cargo-style glob: `*`, `?` and `[...]` classes.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    fn go(p: &[char], t: &[char]) -> bool {
        match p.first() {
            None => t.is_empty(),
            Some('*') => (0..=t.len()).any(|i| go(&p[1..], &t[i..])),
            Some('?') => !t.is_empty() && go(&p[1..], &t[1..]),
            Some('[') => {
                let Some(close) = p.iter().position(|&c| c == ']') else {
                    return !t.is_empty() && t[0] == '[' && go(&p[1..], &t[1..]);
                };
                let Some(&c) = t.first() else { return false };
                let class = &p[1..close];
                let (negate, class) = match class.first() {
                    Some('!') | Some('^') => (true, &class[1..]),
                    _ => (false, class),
                };
                let mut hit = false;
                let mut i = 0;
                while i < class.len() {
                    if i + 2 < class.len() && class[i + 1] == '-' {
                        hit |= class[i] <= c && c <= class[i + 2];
                        i += 3;
                    } else {
                        hit |= class[i] == c;
                        i += 1;
                    }
                }
                hit != negate && go(&p[close + 1..], &t[1..])
            }
            Some(&c) => t.first() == Some(&c) && go(&p[1..], &t[1..]),
        }
    }
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    go(&p, &t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_metadata_runs_without_backtraces() {
        let cmd = metadata_command("cargo".as_ref(), Path::new("Cargo.toml"), Some("stable"));
        let envs: std::collections::HashMap<&std::ffi::OsStr, Option<&std::ffi::OsStr>> =
            cmd.get_envs().collect();
        for var in ["RUST_BACKTRACE", "RUST_LIB_BACKTRACE"] {
            assert_eq!(
                envs.get(var.as_ref() as &std::ffi::OsStr),
                Some(&Some("0".as_ref()))
            );
        }
        let toolchain: &std::ffi::OsStr = "RUSTUP_TOOLCHAIN".as_ref();
        assert_eq!(envs.get(toolchain), Some(&Some("stable".as_ref())));
        let args: Vec<_> = cmd.get_args().collect();
        assert_eq!(
            args[..4],
            ["metadata", "--format-version", "1", "--no-deps"]
        );
    }

    #[test]
    fn files_under_a_walked_tree_are_those_of_a_walk() {
        let root = std::env::temp_dir().join(format!("connlint-walked-{}", std::process::id()));
        let files = [
            "a/src/lib.rs",
            "a/b/src/lib.rs",
            "a/target/x.rs",
            "a/.hidden/y.rs",
            "a-x/src/lib.rs",
            "ab/src/main.rs",
            "c.rs",
        ];
        for f in files {
            let path = root.join(f);
            std::fs::create_dir_all(path.parent().expect("a parent")).expect("scratch folder");
            std::fs::write(&path, "fn f() {}").expect("scratch file");
        }
        let ws = from_walk(&root);
        for dir in ["a", "a/b", "a-x", "ab", "", "a/src", "missing"] {
            let dir = root.join(dir);
            assert_eq!(
                ws.files_under(&dir).to_vec(),
                rust_files(&dir),
                "{}",
                dir.display()
            );
        }
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn cargo_errors_keep_their_place() {
        let stderr = "error: unclosed inline table, expected `}`\n --> Cargo.toml:6:23\n  |\n6 | foo = { version = \"1\"\n  |                      ^\n";
        assert_eq!(
            cargo_error(stderr),
            "error: unclosed inline table, expected `}` (at Cargo.toml:6:23)"
        );
        assert_eq!(cargo_error("error: no manifest\n"), "error: no manifest");
        assert_eq!(cargo_error("odd\n"), "odd");
    }

    #[test]
    fn registry_and_git_dependencies_are_external() {
        let dir = std::env::temp_dir().join(format!("connlint-ws-external-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("src")).expect("scratch dir");
        std::fs::write(dir.join("src/lib.rs"), "").expect("lib.rs");
        let manifest = dir.join("Cargo.toml");
        let text = "[package]\nname = \"app\"\nversion = \"0.1.0\"\n\n[dependencies]\n\
            util = \"1\"\ncore = { path = \"../core\" }\nshared = { workspace = true }\n\
            forked = { git = \"https://example.com/forked\" }\nboth = \"1\"\n\n\
            [dev-dependencies]\nboth = { path = \"../both\" }\n";
        std::fs::write(&manifest, text).expect("manifest");
        let p = manifest_package(&manifest).expect("the manifest reads");
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(p.dependencies, ["both", "core", "forked", "shared", "util"]);
        // `workspace = true` may be a path, `both` is one as a dev-dependency.
        assert_eq!(p.external_dependencies, ["forked", "util"]);
    }

    #[test]
    fn globs_follow_cargo() {
        assert!(glob_match("conn*", "connlint"));
        assert!(glob_match("a?c", "abc"));
        assert!(glob_match("[ab]x", "bx"));
        assert!(!glob_match("[!ab]x", "bx"));
        assert!(!glob_match("conn", "connlint"));
    }

    #[test]
    fn test_package_names() {
        for name in [
            "foo-tests",
            "foo_test",
            "integration_tests",
            "tests-build",
            "test-utils",
            "foundry-test-utils",
            "foo_test_utils",
            "testutils",
            "foo-test-support",
            "test-helpers",
            "foo-testing",
            "xtask",
            "xtask-codegen",
            "tests-integration",
            "foo-bench",
            "benches",
            "Benchmarks",
            "app-e2e",
            "e2etests",
        ] {
            assert!(is_test_package_name(name), "{name}");
        }
        for name in [
            "foo",
            "attestation",
            "contest-server",
            "foundry-evm-fuzz",
            "testcontainers-ext",
            "latest",
            "benchmarking-api",
            "test_modules",
            "ab-test-service",
        ] {
            assert!(!is_test_package_name(name), "{name}");
        }
    }

    fn package(name: &str, bin: bool, unpublished: bool, deps: &[(&str, bool)]) -> Package {
        let kinds = deps.iter().map(|(n, d)| (n.to_string(), *d)).collect();
        let (dependencies, dev_only_dependencies) = split_dev_only(kinds);
        Package {
            name: name.to_string(),
            targets: vec![Target {
                kind: vec![if bin { "bin" } else { "lib" }.to_string()],
                ..Target::default()
            }],
            dependencies,
            dev_only_dependencies,
            unpublished,
            from_cargo: true,
            ..Package::default()
        }
    }

    #[test]
    fn dev_only_packages() {
        let mut ps = vec![
            package("app", true, false, &[("core", false), ("stubs", true)]),
            package("core", false, true, &[("stubs", true), ("derive", false)]),
            // Only dev-dependencies and test packages use it: test code.
            package("stubs", false, true, &[("mockdata", false)]),
            // Used by a test package only: test code too.
            package("mockdata", false, true, &[]),
            // Published: its users are outside the workspace.
            package("client", false, false, &[]),
            package("server", true, true, &[("client", true), ("daemon", true)]),
            // A binary is a program of its own.
            package("daemon", true, true, &[]),
            // Tests its parent, which depends on it: the dev edge does not count.
            package("derive", false, true, &[("core", true)]),
            package("foo-bench", true, true, &[("core", false)]),
            package("app-tests", false, true, &[("fixtures", false)]),
            package("fixtures", false, true, &[]),
            // A normal dependency of a normal member: checked.
            package("shared", false, true, &[]),
            package("cli", true, true, &[("shared", false)]),
            package("loader", false, true, &[("shared", true)]),
        ];
        mark_test_packages(&mut ps);
        let tests: Vec<&str> = ps
            .iter()
            .filter(|p| p.is_test)
            .map(|p| p.name.as_str())
            .collect();
        assert_eq!(
            tests,
            ["stubs", "mockdata", "foo-bench", "app-tests", "fixtures"]
        );
    }
}
