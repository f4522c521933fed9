//! Robustness: whatever a repository holds (generated and vendored code,
//! broken fixtures, odd encodings, huge and deeply nested sources, special
//! files), connlint reports a diagnostic naming the file and checks the rest.
//! One test per failure the issue listed, then the hostile tree as a whole.
//! Hostile inputs are generated at test time, never committed.
//!
//! Time limits here are generous bounds against hangs, not speed targets
//! (those are in `benches/robustness.sh`, on the release build).

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use connlint::catalog::Catalog;
use connlint::nesting;

mod common;
use common::{bin, scratch, write};

struct Run {
    code: i32,
    out: String,
    err: String,
    took: Duration,
}

/// Runs with a deadline: a hang fails the test instead of blocking it.
fn run(cmd: &mut Command, limit: Duration) -> Run {
    let start = Instant::now();
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run cargo-connlint");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = stdout.read_to_end(&mut v);
        v
    });
    let err_reader = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = stderr.read_to_end(&mut v);
        v
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("cargo-connlint did not finish within {limit:?}: {cmd:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let out = out_reader.join().unwrap_or_default();
    let err = err_reader.join().unwrap_or_default();
    Run {
        code: status.code().unwrap_or(-1),
        out: String::from_utf8_lossy(&out).into_owned(),
        err: String::from_utf8_lossy(&err).into_owned(),
        took: start.elapsed(),
    }
}

const MINUTE: Duration = Duration::from_secs(60);

const LOOP: &str = "async fn f(urls: Vec<String>) {\n    for u in urls {\n        let c = reqwest::Client::new();\n        c.get(u).send().await.unwrap().text().await.unwrap();\n    }\n}\n";

/// The deep constructs of the table, nested `n` times.
fn deep(kind: &str, n: usize) -> String {
    match kind {
        "generics" => format!("type T = {}u8{};\n", "Vec<".repeat(n), ">".repeat(n)),
        "else_if_braced" => format!(
            "fn f(a: bool) {{ if a {{}} {}{} }}\n",
            "else { if a {} ".repeat(n),
            "}".repeat(n)
        ),
        "else_if" => format!(
            "fn f(a: bool) {{ if a {{}} {}}}\n",
            "else if a {} ".repeat(n)
        ),
        "blocks" => format!("fn f() {}{}\n", "{".repeat(n), "}".repeat(n)),
        "closures" => format!("fn f() {{ let c = {}1; }}\n", "|| ".repeat(n)),
        "parens" => format!(
            "fn f() {{ let x = {}1{}; }}\n",
            "(".repeat(n),
            ")".repeat(n)
        ),
        "refs" => format!("type T = {}u8;\n", "&&".repeat(n)),
        "arrays" => format!(
            "fn f() {{ let x = {}1{}; }}\n",
            "[".repeat(n),
            "]".repeat(n)
        ),
        "mods" => format!("{}{}\n", "mod m {".repeat(n), "}".repeat(n)),
        "chain" => format!(
            "fn f() {{ let c = reqwest::Client::new(); c{}; }}\n",
            ".a()".repeat(n)
        ),
        "binary" => format!("fn f() -> u32 {{ 1{} }}\n", " + 1".repeat(n)),
        "unary" => format!("fn f(x: bool) -> bool {{ {}x }}\n", "!".repeat(n)),
        "fn_types" => format!("type T = {}u8;\n", "fn() -> ".repeat(n)),
        "pointers" => format!("type T = {}u8;\n", "*const ".repeat(n)),
        "patterns" => format!(
            "fn f() {{ let {}x{} = 1; }}\n",
            "(".repeat(n),
            ")".repeat(n)
        ),
        "index" => format!("fn f(x: Vec<u8>) {{ x{}; }}\n", "[0]".repeat(n)),
        other => panic!("unknown construct {other}"),
    }
}

const CONSTRUCTS: &[&str] = &[
    "generics",
    "else_if_braced",
    "else_if",
    "blocks",
    "closures",
    "parens",
    "refs",
    "arrays",
    "mods",
    "chain",
    "binary",
    "unary",
    "fn_types",
    "pointers",
    "patterns",
    "index",
];

/// Row 1: deep nesting killed the run with exit 134 (stack overflow), naming
/// no file and losing every other file's findings. Each construct at the
/// depth that overflowed before is now refused by name, and the real finding
/// of the file beside them is still reported.
#[test]
fn deep_nesting_is_a_diagnostic_not_a_crash() {
    let dir = scratch("deep");
    write(&dir, "real.rs", LOOP);
    let table = [
        ("generics", 35_000),
        ("else_if_braced", 42_000),
        ("blocks", 53_000),
        ("closures", 66_000),
        ("parens", 86_000),
        ("refs", 100_000),
        ("arrays", 100_000),
        ("mods", 100_000),
    ];
    for (kind, n) in table {
        write(&dir, &format!("{kind}.rs"), deep(kind, n));
    }
    let r = run(bin().arg(&dir).arg("--message-format=short"), MINUTE);
    assert_eq!(r.code, 2, "{}\n{}", r.out, r.err);
    assert!(
        r.out
            .contains("real.rs:3:17: warning[connlint::client_in_loop]"),
        "{}",
        r.out
    );
    for (kind, _) in table {
        assert!(
            r.out.contains(&format!("{kind}.rs:1:"))
                && r.out
                    .contains(&format!("`{kind}.rs` is nested too deeply to check")),
            "{kind}: {}",
            r.out
        );
    }
}

/// Row 1, the other half: the nesting limit and the threads' stacks fit
/// together. Every construct nested right up to the limit is parsed, indexed,
/// walked and dropped without overflowing (in this unoptimized build, whose
/// frames are the largest), and one step past it is refused.
#[test]
fn nesting_limit_and_stacks_fit() {
    let catalog = Catalog::builtin().expect("catalog");
    let limit = nesting::DEFAULT_MAX_NESTING;
    let opts = connlint::Options {
        threads: 1,
        ..connlint::Options::default()
    };
    for kind in CONSTRUCTS {
        // The largest n whose measure is within the limit.
        let (mut lo, mut hi) = (1usize, limit * 2);
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            if nesting::measure(&deep(kind, mid)).depth <= limit {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        assert!(lo >= limit / 8, "{kind}: only {lo} levels fit in the limit");
        let text = deep(kind, lo);
        let a = connlint::check_source("deep.rs", text.as_bytes(), &catalog, &opts);
        assert!(
            a.diagnostics
                .iter()
                .all(|d| d.lint != "parse_error" && d.lint != "internal_error"),
            "{kind} at {lo} levels: {:?}",
            a.diagnostics.iter().map(|d| &d.message).collect::<Vec<_>>()
        );
        assert_eq!(a.checked, 1, "{kind}");
        let text = deep(kind, lo + 2);
        let a = connlint::check_source("deep.rs", text.as_bytes(), &catalog, &opts);
        assert!(
            a.diagnostics
                .iter()
                .any(|d| d.message.contains("nested too deeply")),
            "{kind} past the limit is refused"
        );
    }
}

/// Row 2: quadratic blow-ups. A long method chain, nested modules, a long
/// line and a million tiny functions: each run completes (the deep ones are
/// refused by the limit at once; raising the limit checks them), and a long
/// line is never quoted whole (63 MB of output for 2 findings before).
#[test]
fn large_inputs_finish_and_long_lines_are_cut() {
    let dir = scratch("large");
    write(&dir, "chain.rs", deep("chain", 20_000));
    write(&dir, "mods.rs", deep("mods", 8_000));
    let line = format!(
        "{}{}{}\n",
        LOOP.replace('\n', " "),
        " ".repeat(4 << 20),
        "fn tail() {}"
    );
    write(&dir, "line.rs", &line);
    let fns: String = (0..100_000).map(|i| format!("fn f{i}() {{}}\n")).collect();
    write(&dir, "fns.rs", format!("{LOOP}{fns}"));
    // A call chain 10,000 functions long from a loop to a construction
    // (each function's chain shares its caller's; the note is cut).
    let n = 10_000;
    let chain: String = (1..n)
        .map(|i| format!("fn c{i}() {{ c{}(); }}\n", i + 1))
        .collect();
    write(
        &dir,
        "callchain.rs",
        format!(
            "fn c0(xs: Vec<u8>) {{ for _x in xs {{ c1(); }} }}\n{chain}fn c{n}() {{ let c = reqwest::Client::new(); drop(c); }}\n"
        ),
    );
    for format in ["human", "short", "json"] {
        let r = run(
            bin().arg(&dir).arg(format!("--message-format={format}")),
            2 * MINUTE,
        );
        assert_eq!(r.code, 2, "{format}: {}", r.err);
        assert!(
            r.out.len() < 64 << 10,
            "{format}: {} bytes of output",
            r.out.len()
        );
        assert!(r.out.contains("client_in_loop"), "{format}: {}", r.out);
        assert!(
            r.out.contains("chain.rs") && r.out.contains("mods.rs"),
            "{}",
            r.out
        );
    }
    // A raised limit checks the chain, with the stacks sized to match, and
    // types it in one pass (no re-typing of the chain from every link).
    let r = run(
        bin()
            .arg(dir.join("chain.rs"))
            .arg("--max-nesting=50000")
            .arg("--message-format=short"),
        2 * MINUTE,
    );
    assert!(r.code == 0 || r.code == 1, "{}\n{}", r.out, r.err);
}

/// Row 3: a non-UTF-8 file name made JSON output panic (exit 101, nothing
/// printed). Names are printed lossily in every format.
#[cfg(unix)]
#[test]
fn non_utf8_file_names_in_every_format() {
    use std::os::unix::ffi::OsStrExt;
    let dir = scratch("names");
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.rs");
    std::fs::write(dir.join(name), LOOP).expect("write");
    for format in ["human", "short", "json"] {
        let r = run(
            bin().arg(&dir).arg(format!("--message-format={format}")),
            MINUTE,
        );
        assert_eq!(r.code, 1, "{format}: {}{}", r.out, r.err);
        assert!(r.out.contains("caf\u{fffd}.rs"), "{format}: {}", r.out);
        if format == "json" {
            for l in r.out.lines() {
                serde_json::from_str::<serde_json::Value>(l).expect("a JSON line");
            }
        }
    }
}

/// Row 4: a FIFO passed as a path waited forever; a symlink to /dev/zero
/// grew memory without bound. Both are refused by file type, unopened.
#[cfg(unix)]
#[test]
fn special_files_are_refused_before_they_are_opened() {
    let dir = scratch("special");
    let fifo = dir.join("pipe.rs");
    let made = Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    let zero = dir.join("zero.rs");
    std::os::unix::fs::symlink("/dev/zero", &zero).expect("symlink");
    let real = write(&dir, "real.rs", LOOP);
    for path in [&fifo, &zero] {
        let r = run(
            bin().arg(path).arg(&real).arg("--message-format=short"),
            MINUTE,
        );
        assert_eq!(r.code, 2, "{}{}", r.out, r.err);
        assert!(r.out.contains("not a regular file"), "{}", r.out);
        assert!(
            r.out.contains("client_in_loop"),
            "the other file is checked: {}",
            r.out
        );
    }
    // Met during a walk: named, not opened, the rest checked.
    let r = run(bin().arg(&dir).arg("--message-format=short"), MINUTE);
    assert_eq!(r.code, 2, "{}{}", r.out, r.err);
    assert!(
        r.out.contains("pipe.rs:1:1: error[connlint::io_error]") && r.out.contains("FIFO"),
        "{}",
        r.out
    );
    assert!(
        r.out.contains("zero.rs") && r.out.contains("not followed"),
        "{}",
        r.out
    );
    assert!(r.out.contains("real.rs:3:17"), "{}", r.out);
}

/// Row 5: wrong or missing words. A symlink loop was "does not exist";
/// symlinks and unreadable directories met in a walk were skipped silently;
/// a tree without Rust files was "no findings in 0 files", exit 0.
#[cfg(unix)]
#[test]
fn symlinks_unreadable_dirs_and_empty_trees_are_named() {
    let dir = scratch("words");
    let looped = dir.join("loop.rs");
    std::os::unix::fs::symlink(&looped, &looped).expect("symlink");
    let r = run(bin().arg(&looped), MINUTE);
    assert_eq!(r.code, 2);
    assert!(
        r.out.contains("symbolic link loop") && !r.out.contains("does not exist"),
        "{}{}",
        r.out,
        r.err
    );

    let tree = scratch("words-tree");
    write(&tree, "real.rs", LOOP);
    std::os::unix::fs::symlink(&looped, tree.join("loop.rs")).expect("symlink");
    std::os::unix::fs::symlink(std::env::temp_dir(), tree.join("outside")).expect("symlink");
    let r = run(bin().arg(&tree).arg("--message-format=short"), MINUTE);
    assert_eq!(r.code, 2, "{}{}", r.out, r.err);
    assert!(
        r.out.contains("loop.rs") && r.out.contains("symbolic link loop"),
        "{}",
        r.out
    );
    assert!(
        r.out.contains("outside") && r.out.contains("not followed"),
        "{}",
        r.out
    );
    assert!(r.out.contains("real.rs:3:17"), "{}", r.out);

    // An unreadable directory (root reads everything: run as nobody then).
    let locked_tree = scratch("words-locked");
    write(&locked_tree, "real.rs", LOOP);
    write(&locked_tree, "locked/inner.rs", LOOP);
    set_mode(&locked_tree, 0o755);
    set_mode(&locked_tree.join("real.rs"), 0o644);
    set_mode(&locked_tree.join("locked"), 0o000);
    let root = unsafe_is_root();
    let mut cmd = if root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_cargo-connlint"));
        c
    } else {
        bin()
    };
    let can_drop = !root || Command::new("setpriv").arg("--version").output().is_ok();
    if can_drop && std::env::temp_dir().starts_with("/tmp") {
        let r = run(cmd.arg(&locked_tree).arg("--message-format=short"), MINUTE);
        assert_eq!(r.code, 2, "{}{}", r.out, r.err);
        assert!(
            r.out.contains("cannot read directory") && r.out.contains("permission denied"),
            "{}{}",
            r.out,
            r.err
        );
        assert!(r.out.contains("real.rs:3:17"), "{}", r.out);
    }
    set_mode(&locked_tree.join("locked"), 0o755);

    let empty = scratch("words-empty");
    write(&empty, "README.md", "no Rust here\n");
    let r = run(bin().arg(&empty), MINUTE);
    assert_eq!(r.code, 2, "zero files checked is an error: {}", r.err);
    assert!(
        r.err.contains("connlint checked no file") && r.err.contains("no `.rs` file was found"),
        "{}",
        r.err
    );
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

#[cfg(unix)]
fn unsafe_is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// Row 5, last part: when `cargo metadata` fails, the fallback is announced
/// on stderr and the directory is still checked by cargo's conventions.
#[test]
fn metadata_failure_is_announced_and_the_tree_still_checked() {
    let dir = scratch("metadata");
    write(
        &dir,
        "Cargo.toml",
        "[package]\nname = \"svc\"\nversion = \"0.1.0\"\nedition = \"2021\"\n[dependencies\n",
    );
    write(&dir, "src/main.rs", format!("{LOOP}fn main() {{}}\n"));
    let r = run(bin().arg(&dir).arg("--message-format=short"), MINUTE);
    assert!(
        r.err.contains("warning: `cargo metadata` failed")
            && r.err.contains("by cargo's conventions"),
        "{}",
        r.err
    );
    assert!(
        r.out
            .contains("src/main.rs:3:17: warning[connlint::client_in_loop]"),
        "{}{}",
        r.out,
        r.err
    );
}

/// Every per-file failure is a diagnostic with the right position; the other
/// files are still checked and the run exits 2.
#[test]
fn per_file_failures_are_diagnostics_with_positions() {
    let dir = scratch("per-file");
    write(&dir, "real.rs", LOOP);
    // A syntax error in a body is found by the walk (the index parses items
    // only), an item-level one by the index.
    write(
        &dir,
        "broken.rs",
        "fn main() {\n    let x = ;\n    let c = reqwest::Client::new();\n}\n",
    );
    write(
        &dir,
        "broken_item.rs",
        "struct S {\n    a: u8\n    b: u8,\n}\n",
    );
    write(&dir, "latin1.rs", b"fn f() {}\n// caf\xe9\n");
    write(
        &dir,
        "bom_crlf.rs",
        format!("\u{feff}{}", LOOP.replace('\n', "\r\n")),
    );
    write(
        &dir,
        "tabs_wide.rs",
        LOOP.replace("        let c", "\t\t/*日本*/let c"),
    );
    write(
        &dir,
        "shebang.rs",
        format!("#!/usr/bin/env run-cargo-script\n{LOOP}"),
    );
    write(&dir, "empty.rs", "");
    write(
        &dir,
        "big.rs",
        format!("{LOOP}// {}\n", "x".repeat(100_000)),
    );
    std::fs::create_dir_all(dir.join("folder.rs")).expect("dir named .rs");
    let r = run(
        bin()
            .arg(&dir)
            .arg("--message-format=short")
            .arg("--max-file-size=50000"),
        MINUTE,
    );
    assert_eq!(r.code, 2, "{}{}", r.out, r.err);
    for expect in [
        "real.rs:3:17: warning[connlint::client_in_loop]",
        "broken.rs:2:13: error[connlint::parse_error]: cannot parse `broken.rs`",
        "broken_item.rs:3:5: error[connlint::parse_error]: cannot parse `broken_item.rs`",
        "latin1.rs:2:7: error[connlint::parse_error]: `latin1.rs` is not valid UTF-8",
        "bom_crlf.rs:3:17: warning[connlint::client_in_loop]",
        // Columns count chars: two tabs, `/*`, two wide chars, `*/`.
        "tabs_wide.rs:3:17: warning[connlint::client_in_loop]",
        "shebang.rs:4:17: warning[connlint::client_in_loop]",
        "big.rs:1:1: error[connlint::io_error]: `big.rs` is skipped",
    ] {
        assert!(r.out.contains(expect), "missing `{expect}` in:\n{}", r.out);
    }
    assert!(
        !r.out.contains("empty.rs") && !r.out.contains("folder.rs"),
        "{}",
        r.out
    );
    // JSON byte offsets of the BOM file are those of rustc (BOM removed).
    let r = run(
        bin()
            .arg(dir.join("bom_crlf.rs"))
            .arg("--message-format=json"),
        MINUTE,
    );
    let first: serde_json::Value =
        serde_json::from_str(r.out.lines().next().unwrap_or("")).expect("json");
    let span = &first["message"]["spans"][0];
    assert_eq!(
        (span["line_start"].as_u64(), span["column_start"].as_u64()),
        (Some(3), Some(17)),
        "{span}"
    );
    assert_eq!(
        span["text"][0]["text"],
        "        let c = reqwest::Client::new();"
    );
}

/// A file that vanishes between discovery and reading is a diagnostic.
#[test]
fn a_vanished_file_is_a_diagnostic() {
    let dir = scratch("vanish");
    let gone = dir.join("gone.rs");
    let ws = connlint::workspace::Workspace {
        root: dir.clone(),
        packages: vec![connlint::workspace::Package {
            name: "v".into(),
            id: "v".into(),
            dir: dir.clone(),
            targets: vec![connlint::workspace::Target {
                name: "v".into(),
                kind: vec!["walk".into()],
                src_path: gone,
                ..Default::default()
            }],
            ..Default::default()
        }],
        ..Default::default()
    };
    let catalog = Catalog::builtin().expect("catalog");
    let a = connlint::analyze(&ws, &catalog, &connlint::Options::default());
    assert_eq!(a.checked, 0);
    assert!(
        a.diagnostics
            .iter()
            .any(|d| d.message.contains("cannot read `gone.rs`")
                && d.message.contains("removed during the run")),
        "{:?}",
        a.diagnostics
    );
}

/// Row 6: a panic in one file's analysis is contained: an error naming the
/// file, with the message and a request for a bug report; the run goes on
/// and exits 2. (`benches/robustness.sh` checks the same on the release build.)
#[test]
fn a_panic_in_one_file_is_contained() {
    let dir = scratch("panic");
    write(&dir, "real.rs", LOOP);
    write(&dir, "boom.rs", LOOP.replace("fn f", "fn g"));
    for format in ["human", "short", "json"] {
        let r = run(
            bin()
                .arg(&dir)
                .arg(format!("--message-format={format}"))
                .env("CONNLINT_TEST_PANIC", "boom.rs"),
            MINUTE,
        );
        assert_eq!(r.code, 2, "{format}: {}{}", r.out, r.err);
        assert!(
            r.out
                .contains("internal error while analyzing `boom.rs`: CONNLINT_TEST_PANIC"),
            "{}",
            r.out
        );
        assert!(r.out.contains("please report it"), "{}", r.out);
        assert!(
            r.out.contains("real.rs"),
            "the other file is checked: {}",
            r.out
        );
        assert!(
            !r.err.contains("panicked at"),
            "a contained panic is not printed raw: {}",
            r.err
        );
    }
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
            .expect("Cargo.toml");
    assert!(
        !manifest.contains("panic = \"abort\""),
        "containment needs panic = \"unwind\""
    );
}

/// The fuzz targets' check on stable: deterministic mutations of every
/// fixture through the per-file pipeline never panic, and every rendering
/// is well-formed JSON.
#[test]
fn mutated_fixtures_never_panic() {
    let catalog = Catalog::builtin().expect("catalog");
    let opts = connlint::Options {
        threads: 1,
        ..connlint::Options::default()
    };
    let mut fixtures = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("testdata").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                fixtures.push(std::fs::read(&p).expect("fixture"));
            }
        }
    }
    fixtures.sort();
    // A small deterministic generator (xorshift), so failures reproduce.
    let mut seed = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let tokens: &[&[u8]] = &[
        b"{",
        b"}",
        b"(",
        b")",
        b"<",
        b">",
        b"|",
        b"\"",
        b"'",
        b"\xff",
        b"\r\n",
        b"\t",
        b"\xef\xbb\xbf",
        b"r#\"",
        b"/*",
        b"mod m;",
        b"loop {",
        b".await",
        b"?",
        b"\xe6\x97\xa5",
    ];
    let mut runs = 0;
    for f in &fixtures {
        for k in 0..6 {
            let mut m = f.clone();
            for _ in 0..=k {
                let at = (next() as usize) % (m.len() + 1);
                match next() % 4 {
                    0 if !m.is_empty() => {
                        let end = (at + (next() as usize) % 16).min(m.len());
                        m.drain(at.min(end)..end);
                    }
                    1 => {
                        let t = tokens[(next() as usize) % tokens.len()];
                        m.splice(at..at, t.iter().copied());
                    }
                    2 if !m.is_empty() => {
                        let i = at.min(m.len() - 1);
                        m[i] = (next() & 0xff) as u8;
                    }
                    _ => {
                        let end = (at + (next() as usize) % 64).min(m.len());
                        let copy = m[at..end].to_vec();
                        m.splice(at..at, copy);
                    }
                }
            }
            let a = connlint::check_source("mutated.rs", &m, &catalog, &opts);
            runs += 1;
            for d in &a.diagnostics {
                assert_ne!(
                    d.lint,
                    "internal_error",
                    "{}\ninput: {:?}",
                    d.message,
                    String::from_utf8_lossy(&m)
                );
                let json = connlint::emit::cargo_json(
                    d,
                    &a.files,
                    (None, None),
                    &|i| a.files.get(i).map(|f| f.name.clone()).unwrap_or_default(),
                    connlint::emit::Rendered::default(),
                );
                serde_json::from_str::<serde_json::Value>(&json).expect("well-formed JSON");
                let _ = connlint::emit::human(d, &a.files, false);
                let _ = connlint::emit::short(d, &a.files);
            }
        }
    }
    assert!(runs >= 300, "{runs} mutations");
}

/// The acceptance test: a hostile tree beside one file with a real finding
/// gives exit 2, a named diagnostic for each bad file and still the real
/// finding, in the human, short and JSON formats.
#[cfg(unix)]
#[test]
fn hostile_tree_beside_a_real_finding() {
    use std::os::unix::ffi::OsStrExt;
    let dir = scratch("hostile");
    write(&dir, "real.rs", LOOP);
    let h = dir.join("hostile");
    write(&h, "parens.rs", deep("parens", 100_000));
    write(&h, "blocks.rs", deep("blocks", 50_000));
    write(&h, "generics.rs", deep("generics", 40_000));
    write(&h, "closures.rs", deep("closures", 70_000));
    write(&h, "else_if.rs", deep("else_if", 45_000));
    write(&h, "chain.rs", deep("chain", 50_000));
    write(&h, "mods.rs", deep("mods", 10_000));
    write(
        &h,
        "line.rs",
        format!("fn long() {{ let s = \"{}\"; }}\n", "x".repeat(15 << 20)),
    );
    std::fs::write(
        h.join(std::ffi::OsStr::from_bytes(b"name\xff.rs")),
        "fn f( {\n",
    )
    .expect("write");
    let _ = Command::new("mkfifo").arg(h.join("fifo.rs")).status();
    std::os::unix::fs::symlink(h.join("loop.rs"), h.join("loop.rs")).expect("symlink");
    write(&h, "latin1.rs", b"fn f() {}\n// caf\xe9\n");
    write(
        &h,
        "bom_crlf.rs",
        format!("\u{feff}{}", LOOP.replace('\n', "\r\n")),
    );
    // Walked (it names a catalog crate), so its bodies are parsed.
    write(
        &h,
        "parse_error.rs",
        "fn main() {\n    let x = ;\n    reqwest::get(\"u\");\n}\n",
    );
    write(&h, "empty.rs", "");
    let bad = [
        "parens.rs",
        "blocks.rs",
        "generics.rs",
        "closures.rs",
        "else_if.rs",
        "chain.rs",
        "mods.rs",
        "name\u{fffd}.rs",
        "fifo.rs",
        "loop.rs",
        "latin1.rs",
        "parse_error.rs",
    ];
    for format in ["human", "short", "json"] {
        let r = run(
            bin().arg(&dir).arg(format!("--message-format={format}")),
            3 * MINUTE,
        );
        assert_eq!(r.code, 2, "{format}: {}\n{}", r.out, r.err);
        for b in bad {
            assert!(
                r.out.contains(b),
                "{format}: no diagnostic names {b}:\n{}",
                r.out
            );
        }
        assert!(
            r.out.contains("client_in_loop"),
            "{format}: the real finding: {}",
            r.out
        );
        assert!(
            r.out.matches("client_in_loop").count() >= 2,
            "and the BOM+CRLF one: {}",
            r.out
        );
        assert!(r.out.len() < 256 << 10, "{format}: {} bytes", r.out.len());
        if format == "json" {
            for l in r.out.lines() {
                serde_json::from_str::<serde_json::Value>(l).expect("JSON line");
            }
        }
        eprintln!("hostile tree, {format}: {:?}", r.took);
    }
}

/// The limits are configurable in `connlint.toml` (and on the command line).
#[test]
fn limits_are_configurable() {
    let dir = scratch("limits");
    write(
        &dir,
        "Cargo.toml",
        "[package]\nname = \"svc\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nreqwest = \"0.12\"\n\n[workspace]\n",
    );
    write(&dir, "src/main.rs", format!("{LOOP}fn main() {{}}\n"));
    write(&dir, "connlint.toml", "max_nesting = 5\n");
    let r = run(
        bin()
            .arg("--manifest-path")
            .arg(dir.join("Cargo.toml"))
            .arg("--message-format=short"),
        MINUTE,
    );
    assert_eq!(r.code, 2, "{}{}", r.out, r.err);
    assert!(r.out.contains("over the limit of 5"), "{}", r.out);
    let r = run(
        bin()
            .arg("--manifest-path")
            .arg(dir.join("Cargo.toml"))
            .arg("--max-nesting=100")
            .arg("--message-format=short"),
        MINUTE,
    );
    assert_eq!(r.code, 1, "the command line wins: {}{}", r.out, r.err);
    write(&dir, "connlint.toml", "max_file_size = 10\n");
    let r = run(
        bin()
            .arg("--manifest-path")
            .arg(dir.join("Cargo.toml"))
            .arg("--message-format=short"),
        MINUTE,
    );
    assert_eq!(r.code, 2, "{}{}", r.out, r.err);
    assert!(r.out.contains("over the limit of 10 bytes"), "{}", r.out);
}
