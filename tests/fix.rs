//! `--fix` and `--diff` as a user runs them: what is written and when, the
//! work-tree refusals, and the mutation test (every fix on every fixture and
//! on real files leaves files that parse). The demo crate's `cargo check`
//! after `--fix` is `demo_compiles_after_fix` (ignored by default: it needs
//! the registry; run `cargo test --test fix -- --ignored`).

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::{bin, discover_path, run, scratch, write};

use connlint::catalog::Catalog;

const LOOP: &str = "pub async fn f(urls: Vec<String>) {\n    for u in urls {\n        let c = reqwest::Client::new(); // one per URL\n        c.get(u).send().await.unwrap().text().await.unwrap();\n    }\n}\n";
const HOISTED: &str = "pub async fn f(urls: Vec<String>) {\n    let c = reqwest::Client::new(); // one per URL\n    for u in urls {\n        c.get(u).send().await.unwrap().text().await.unwrap();\n    }\n}\n";

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
    let (code, out, err) = run(bin().current_dir(&dir).args(["--diff", "bad.rs"]));
    assert_eq!(code, 1, "a diff exits 1: {}", err);
    assert!(out.starts_with("--- a/bad.rs\n+++ b/bad.rs\n@@ "), "{out}");
    assert!(
        out.contains("+    let c = reqwest::Client::new(); // one per URL\n"),
        "{out}"
    );
    assert!(err.contains("would fix 1 finding in 1 file"));
    assert_eq!(std::fs::read_to_string(&bad).expect("read"), LOOP);
    write(&dir, "bad.rs", HOISTED);
    let (code, out, _) = run(bin().current_dir(&dir).args(["--diff", "bad.rs"]));
    assert_eq!(code, 0, "no diff exits 0");
    assert!(out.is_empty());
    let (code, _, _) = run(bin().current_dir(&dir).args(["--unsafe-fixes", "bad.rs"]));
    assert_eq!(code, 2, "--unsafe-fixes alone is a usage error");
}

#[test]
fn fix_writes_in_place_keeping_permissions() {
    let dir = scratch("write");
    let bad = write(&dir, "bad.rs", LOOP);
    let (code, _, err) = run(bin().current_dir(&dir).args(["--fix", "bad.rs"]));
    assert_eq!(code, 2);
    assert!(err.contains("--allow-no-vcs"), "{}", err);
    assert_eq!(std::fs::read_to_string(&bad).expect("read"), LOOP);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&bad, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    }
    let (code, _, err) = run(bin()
        .current_dir(&dir)
        .args(["--fix", "--allow-no-vcs", "bad.rs"]));
    assert_eq!(code, 0, "{}", err);
    assert!(
        err.contains("fixed bad.rs:3:17: `reqwest::Client` built inside a loop"),
        "{}",
        err
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
    let (code, _, err) = run(bin().current_dir(&dir).args(["--fix", "bad.rs"]));
    assert_eq!(code, 2);
    assert!(err.contains("notes.rs (dirty)"), "{}", err);
    git(&dir, &["add", "notes.rs"]);
    let (_, _, err) = run(bin().current_dir(&dir).args(["--fix", "bad.rs"]));
    assert!(err.contains("notes.rs (staged)"), "{}", err);
    assert_eq!(std::fs::read_to_string(&bad).expect("read"), LOOP);
    let (code, _, err) = run(bin()
        .current_dir(&dir)
        .args(["--fix", "--allow-staged", "bad.rs"]));
    assert_eq!(code, 0, "{}", err);
    assert_eq!(std::fs::read_to_string(&bad).expect("read"), HOISTED);
    write(&dir, "bad.rs", format!("// edited\n{LOOP}"));
    let (_, _, err) = run(bin()
        .current_dir(&dir)
        .args(["--fix", "--allow-staged", "bad.rs"]));
    assert!(err.contains("bad.rs (dirty)"), "{}", err);
    let (code, _, err) = run(bin()
        .current_dir(&dir)
        .args(["--fix", "--allow-dirty", "bad.rs"]));
    assert_eq!(code, 0, "{}", err);
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
        let (_, _, err) = run(bin()
            .current_dir(&dir)
            .args([flags, &["--allow-no-vcs"]].concat()));
        assert!(err.contains("connlint: fixed"), "{flags:?}: {}", err);
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

/// A work tree with one committed file, for `--fix`.
fn committed(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = scratch(name);
    for (path, text) in files {
        write(&dir, path, text);
    }
    git(&dir, &["init", "-q"]);
    git(&dir, &["add", "-A"]);
    git(&dir, &["commit", "-q", "-m", "x"]);
    dir
}

/// `--diff` owns stdout: a machine format there would be mixed with the diff
/// (it used to print the diff where JSON or SARIF was asked for), and
/// `--output`, `--write-baseline` and `--statistics` would be dropped. `--with`
/// and `--fix` used to run cargo first, which dirtied the tree `--fix` then
/// refused. All are usage errors now, before anything runs or is written.
#[test]
fn diff_and_fix_refuse_flags_they_cannot_honour() {
    let dir = committed("conflicts", &[("bad.rs", LOOP)]);
    for args in [
        &["--diff", "--message-format=json", "bad.rs"][..],
        &["--diff", "--message-format", "sarif", "bad.rs"],
        &["--diff", "--message-format=github", "bad.rs"],
        &["--diff", "--output", "sarif=out.sarif", "bad.rs"],
        &["--diff", "--write-baseline", "b.json", "bad.rs"],
        &["--diff", "--statistics", "bad.rs"],
        &[
            "--fix",
            "--with",
            "check",
            "--message-format=json",
            "bad.rs",
        ],
        &[
            "--diff",
            "--with",
            "clippy",
            "--message-format=json",
            "bad.rs",
        ],
    ] {
        let (code, out, err) = run(bin().current_dir(&dir).args(args));
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty(), "{args:?}: nothing on stdout: {out}");
        assert!(err.contains("cannot be combined with"), "{args:?}: {err}");
    }
    assert_eq!(
        std::fs::read_to_string(dir.join("bad.rs")).expect("read"),
        LOOP
    );
    for name in ["out.sarif", "b.json", "target", "Cargo.lock"] {
        assert!(!dir.join(name).exists(), "{name} was written");
    }
    // `--fix` reports in any format: the fix report on stderr, JSON on stdout.
    let (code, out, err) = run(bin().current_dir(&dir).args([
        "--fix",
        "--message-format=json",
        "--output",
        "sarif=out.sarif",
        "bad.rs",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("fixed bad.rs:3:17"), "{err}");
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [r#"{"reason":"build-finished","success":true}"#]
    );
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("out.sarif")).expect("sarif"))
            .expect("SARIF is JSON");
    assert_eq!(sarif["runs"][0]["results"], serde_json::json!([]));
}

/// `--diff` prints no findings, and it used to exit 1 (or 0) whatever the
/// files it could not parse: they are errors (exit 2), named on stderr.
#[test]
fn diff_names_files_it_cannot_parse_and_exits_2() {
    let dir = scratch("diff-broken");
    write(&dir, "bad.rs", LOOP);
    write(&dir, "broken.rs", "fn x( {\n");
    let (code, out, err) = run(bin().current_dir(&dir).args(["--diff", "."]));
    assert_eq!(code, 2, "{err}");
    assert!(
        out.contains("+++ b/bad.rs"),
        "the diff is still printed: {out}"
    );
    assert!(
        err.contains("broken.rs:1:7: error[connlint::parse_error]"),
        "{err}"
    );
    write(&dir, "bad.rs", HOISTED);
    let (code, out, _) = run(bin().current_dir(&dir).args(["--diff", "-q", "."]));
    assert_eq!((code, out.as_str()), (2, ""), "no diff, still an error");
}

/// A finding silenced by a comment or allowed by the config is not reported,
/// so `--fix` leaves it alone; an unused suppression is removed like ruff's
/// `RUF100`.
#[test]
fn fix_leaves_suppressed_and_allowed_findings() {
    let suppressed = LOOP.replace(
        "// one per URL",
        "// connlint: allow(client_in_loop) one per URL",
    );
    let dir = committed(
        "fix-suppressed",
        &[
            ("a.rs", &suppressed),
            ("b.rs", &LOOP.replace("fn f(", "fn g(")),
            (
                "connlint.toml",
                "[[overrides]]\npaths = [\"b.rs\"]\nlints = { client_in_loop = \"allow\" }\n",
            ),
            (
                "c.rs",
                "// connlint: allow(client_in_loop) nothing here\nfn h() {}\n",
            ),
        ],
    );
    let (code, _, err) = run(bin()
        .current_dir(&dir)
        .args(["--fix", "--unsafe-fixes", "."]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("a.rs")).expect("read"),
        suppressed
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("b.rs")).expect("read"),
        LOOP.replace("fn f(", "fn g(")
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("c.rs")).expect("read"),
        "fn h() {}\n"
    );
}

/// `--fix` with `--baseline` fixes the findings the baseline knows too (it
/// hides findings from the report, not from the fixes); the fixed ones are
/// listed as gone until the baseline is written again.
#[test]
fn fix_with_a_baseline_fixes_known_findings_and_lists_them_as_gone() {
    let dir = committed("fix-baseline", &[("bad.rs", LOOP)]);
    let baseline = scratch("fix-baseline-file").join("baseline.json");
    let baseline = baseline.to_str().expect("utf-8 path");
    // A baseline that cannot be read is an error before anything is written
    // (it used to be read after the fixes were written).
    let (code, _, err) =
        run(bin()
            .current_dir(&dir)
            .args(["--fix", "--baseline", baseline, "bad.rs"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot read the baseline"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("bad.rs")).expect("read"),
        LOOP
    );
    let (code, _, err) =
        run(bin()
            .current_dir(&dir)
            .args(["--write-baseline", baseline, "bad.rs"]));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) =
        run(bin()
            .current_dir(&dir)
            .args(["--fix", "--baseline", baseline, "bad.rs"]));
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("bad.rs")).expect("read"),
        HOISTED
    );
    assert!(
        err.contains("1 finding of the baseline is gone (fixed)"),
        "{err}"
    );
    let (code, _, err) =
        run(bin()
            .current_dir(&dir)
            .args(["--write-baseline", baseline, "bad.rs"]));
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = run(bin()
        .current_dir(&dir)
        .args(["--baseline", baseline, "bad.rs"]));
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("gone"), "{err}");
}

/// Checklist item 56 (ruff's `--add-noqa`): `--add-suppressions` puts one
/// comment above each finding and a rerun reports nothing; a comment that
/// would land inside a string literal is not written; the work-tree check is
/// `--fix`'s.
#[test]
fn add_suppressions_then_a_rerun_reports_nothing() {
    let in_string = "pub async fn g(urls: Vec<String>) {\n    for u in urls {\n        let s = \"a\nb\"; let c = reqwest::Client::new();\n        c.get(u).send().await.unwrap().text().await.unwrap();\n        drop(s);\n    }\n}\n";
    let dir = committed(
        "add-suppressions",
        &[
            ("bad.rs", &LOOP.replace('\n', "\r\n")),
            ("str.rs", in_string),
        ],
    );
    write(&dir, "untracked.rs", "fn u() {}\n");
    let (code, _, err) = run(bin()
        .current_dir(&dir)
        .args(["--add-suppressions", "bad.rs"]));
    assert_eq!(code, 2, "a dirty tree is refused: {err}");
    std::fs::remove_file(dir.join("untracked.rs")).expect("remove");
    let (code, _, err) = run(bin().current_dir(&dir).args(["--add-suppressions", "."]));
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("added 1 suppression comment in 1 file"),
        "{err}"
    );
    assert!(err.contains("no suppression added in `str.rs`"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("bad.rs")).expect("read"),
        LOOP.replace(
            "        let c = ",
            "        // connlint: allow(client_in_loop) TODO: say why\n        let c = "
        )
        .replace('\n', "\r\n")
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("str.rs")).expect("read"),
        in_string
    );
    let (code, out, err) = run(bin()
        .current_dir(&dir)
        .args(["--message-format=short", "bad.rs"]));
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    assert!(err.contains("1 suppressed by comments"), "{err}");
    let (code, _, err) =
        run(bin()
            .current_dir(&dir)
            .args(["--add-suppressions", "--fix", "bad.rs"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot be combined"), "{err}");
}
