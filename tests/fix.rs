//! `--fix` and `--diff` as a user runs them: what is written and when, the
//! work-tree refusals, and the mutation test (every fix on every fixture and
//! on real files leaves files that parse). The demo crate's `cargo check`
//! after `--fix` is `demo_compiles_after_fix` (ignored by default: it needs
//! the registry; run `cargo test --test fix -- --ignored`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;
use common::{bin, discover_path, scratch, write};

use connlint::catalog::Catalog;

const LOOP: &str = "pub async fn f(urls: Vec<String>) {\n    for u in urls {\n        let c = reqwest::Client::new(); // one per URL\n        c.get(u).send().await.unwrap().text().await.unwrap();\n    }\n}\n";
const HOISTED: &str = "pub async fn f(urls: Vec<String>) {\n    let c = reqwest::Client::new(); // one per URL\n    for u in urls {\n        c.get(u).send().await.unwrap().text().await.unwrap();\n    }\n}\n";

fn connlint(dir: &Path, args: &[&str]) -> Output {
    bin()
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run cargo-connlint")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn git(dir: &Path, args: &[&str]) {
    let ok = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@t", "-c"])
        .arg("commit.gpgsign=false")
        .args(args)
        .output()
        .expect("run git")
        .status
        .success();
    assert!(ok, "git {args:?}");
}

#[test]
fn diff_prints_the_fix_and_writes_nothing() {
    let dir = scratch("diff");
    let bad = write(&dir, "bad.rs", LOOP);
    let o = connlint(&dir, &["--diff", "bad.rs"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "a diff exits 1: {}", stderr(&o));
    assert!(out.starts_with("--- a/bad.rs\n+++ b/bad.rs\n@@ "), "{out}");
    assert!(
        out.contains("+    let c = reqwest::Client::new(); // one per URL\n"),
        "{out}"
    );
    assert!(stderr(&o).contains("would fix 1 finding in 1 file"));
    assert_eq!(std::fs::read_to_string(&bad).expect("read"), LOOP);
    write(&dir, "bad.rs", HOISTED);
    let o = connlint(&dir, &["--diff", "bad.rs"]);
    assert_eq!(o.status.code(), Some(0), "no diff exits 0");
    assert!(o.stdout.is_empty());
    let o = connlint(&dir, &["--unsafe-fixes", "bad.rs"]);
    assert_eq!(
        o.status.code(),
        Some(2),
        "--unsafe-fixes alone is a usage error"
    );
}

#[test]
fn fix_writes_in_place_keeping_permissions() {
    let dir = scratch("write");
    let bad = write(&dir, "bad.rs", LOOP);
    let o = connlint(&dir, &["--fix", "bad.rs"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--allow-no-vcs"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&bad).expect("read"), LOOP);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&bad, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    }
    let o = connlint(&dir, &["--fix", "--allow-no-vcs", "bad.rs"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("fixed bad.rs:3:17: `reqwest::Client` built inside a loop"),
        "{}",
        stderr(&o)
    );
    assert_eq!(std::fs::read_to_string(&bad).expect("read"), HOISTED);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&bad).expect("stat").permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }
    let leftovers: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("list")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn fix_refuses_dirty_and_staged_work_trees() {
    let dir = scratch("vcs");
    let bad = write(&dir, "bad.rs", LOOP);
    git(&dir, &["init", "-q"]);
    git(&dir, &["add", "bad.rs"]);
    git(&dir, &["commit", "-q", "-m", "x"]);
    write(&dir, "notes.rs", "// an untracked file\n");
    let o = connlint(&dir, &["--fix", "bad.rs"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("notes.rs (dirty)"), "{}", stderr(&o));
    git(&dir, &["add", "notes.rs"]);
    let o = connlint(&dir, &["--fix", "bad.rs"]);
    assert!(stderr(&o).contains("notes.rs (staged)"), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&bad).expect("read"), LOOP);
    let o = connlint(&dir, &["--fix", "--allow-staged", "bad.rs"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&bad).expect("read"), HOISTED);
    write(&dir, "bad.rs", format!("// edited\n{LOOP}"));
    let o = connlint(&dir, &["--fix", "--allow-staged", "bad.rs"]);
    assert!(stderr(&o).contains("bad.rs (dirty)"), "{}", stderr(&o));
    let o = connlint(&dir, &["--fix", "--allow-dirty", "bad.rs"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        std::fs::read_to_string(&bad).expect("read"),
        format!("// edited\n{HOISTED}")
    );
}

/// The mutation test: every fix (`--unsafe-fixes`, pedantic findings
/// included) applied to every fixture, the demo crate and real files
/// (connlint's own sources, and the directories in `CONNLINT_FIX_REPOS`,
/// separated by `:`) leaves every changed file parsable, and no fix of a
/// fixture or of the demo needs reverting.
#[test]
fn every_fix_leaves_files_that_parse() {
    let catalog = Catalog::builtin().expect("the built-in catalog parses");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut targets = vec![root.join("testdata"), root.join("src")];
    let real: Vec<PathBuf> = std::env::var("CONNLINT_FIX_REPOS")
        .map(|v| v.split(':').map(PathBuf::from).collect())
        .unwrap_or_default();
    targets.extend(real.iter().cloned());
    let opts = connlint::Options {
        pedantic: true,
        ..connlint::Options::default()
    };
    let (mut changed, mut fixed, mut failures) = (0, 0, Vec::new());
    for target in &targets {
        let ws = discover_path(target);
        let report =
            |a: &connlint::Analysis| connlint::finalize(a, &ws, &connlint::default_levels(), &[]);
        let outcome = connlint::fix::run(&ws, &catalog, &opts, &report, true);
        fixed += outcome.fixed.len();
        for c in &outcome.changes {
            changed += 1;
            if let Err(e) = syn::parse_file(&c.fixed) {
                failures.push(format!("{}: {e}", c.path.display()));
            }
        }
        if !real.contains(target) {
            failures.extend(
                outcome
                    .reverted
                    .iter()
                    .map(|(f, why)| format!("{}: reverted: {why}", f.location)),
            );
        }
    }
    eprintln!("{fixed} fixes in {changed} files");
    assert!(fixed > 50, "only {fixed} fixes applied");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `testdata/demo` fixed (safe fixes, then the unsafe ones too) still passes
/// `cargo check`, with its dependencies from the registry. Ignored by
/// default: it needs the network the first time and builds axum, reqwest and
/// tokio. `CONNLINT_DEMO_TARGET` names a target directory to reuse.
#[test]
#[ignore = "needs the crates.io registry; run `cargo test --test fix -- --ignored`"]
fn demo_compiles_after_fix() {
    let dir = scratch("demo");
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/demo"),
        &dir,
    );
    let target = std::env::var_os("CONNLINT_DEMO_TARGET")
        .map(PathBuf::from)
        .unwrap_or_else(|| std::env::temp_dir().join("connlint-demo-target"));
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    for flags in [&["--fix"][..], &["--fix", "--unsafe-fixes"][..]] {
        let o = connlint(&dir, &[flags, &["--allow-no-vcs"]].concat());
        assert!(
            stderr(&o).contains("connlint: fixed"),
            "{flags:?}: {}",
            stderr(&o)
        );
        let check = Command::new(&cargo)
            .current_dir(&dir)
            .env("CARGO_TARGET_DIR", &target)
            .args(["check", "--quiet"])
            .output()
            .expect("run cargo check");
        assert!(
            check.status.success(),
            "{flags:?}: the fixed demo does not compile:\n{}",
            String::from_utf8_lossy(&check.stderr)
        );
    }
    let main = std::fs::read_to_string(dir.join("src/poller.rs")).expect("read");
    assert!(
        main.contains("let client = new_transport();\n    loop {"),
        "{main}"
    );
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create the copy");
    for e in std::fs::read_dir(from).expect("read").flatten() {
        let (src, dst) = (e.path(), to.join(e.file_name()));
        if e.file_name() == "target" {
            continue;
        } else if src.is_dir() {
            copy_tree(&src, &dst);
        } else {
            std::fs::copy(&src, &dst).expect("copy");
        }
    }
}
