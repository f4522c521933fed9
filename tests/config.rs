//! Config sources, their errors, suppressions and the terminal conveniences,
//! run as a user runs the binary.

use std::path::Path;
use std::process::Command;

mod common;
use common::{bin, run, scratch, write};

fn check(dir: &Path) -> Command {
    let mut cmd = bin();
    cmd.arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .arg("--message-format=short")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CARGO_TERM_COLOR");
    cmd
}

const LOOP: &str = "pub async fn f(urls: Vec<String>) {\n    for u in urls {\n        let c = reqwest::Client::new();\n        c.get(u).send().await.unwrap().text().await.unwrap();\n    }\n}\n";

/// A workspace with two members, `api` and `jobs`, each with the same finding.
fn two_members(name: &str, root_extra: &str, api_extra: &str) -> std::path::PathBuf {
    let dir = scratch(name);
    write(
        &dir,
        "Cargo.toml",
        format!("[workspace]\nmembers = [\"api\", \"jobs\"]\nresolver = \"2\"\n{root_extra}"),
    );
    write(
        &dir,
        "api/Cargo.toml",
        format!(
            "[package]\nname = \"api\"\nversion = \"0.1.0\"\nedition = \"2021\"\n{api_extra}\n[dependencies]\nreqwest = \"0.12\"\n"
        ),
    );
    write(&dir, "api/src/lib.rs", format!("pub mod gen;\n{LOOP}"));
    write(&dir, "api/src/gen.rs", LOOP);
    write(
        &dir,
        "jobs/Cargo.toml",
        "[package]\nname = \"jobs\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nacme = \"1\"\nacme-sdk = \"1\"\nreqwest = \"0.12\"\n",
    );
    write(&dir, "jobs/src/lib.rs", LOOP);
    dir
}

#[test]
fn workspace_and_package_metadata_tables() {
    let dir = two_members(
        "meta",
        "\n[workspace.metadata.connlint.lints]\nclient_in_loop = \"deny\"\n",
        "\n[package.metadata.connlint]\nexclude = [\"src/gen.rs\"]\n\n[package.metadata.connlint.lints]\nclient_in_loop = \"warn\"\n",
    );
    write(&dir, "api/src/orphan.rs", LOOP);
    write(&dir, "target/debug/build/out.rs", LOOP);
    let (code, out, err) = run(check(&dir).arg("-v"));
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        err.contains("skipped api/src/orphan.rs: no crate's module tree reaches it")
            && err.contains("skipped target/: build output"),
        "-v names what the walk left out: {err}"
    );
    assert!(
        out.contains("jobs/src/lib.rs:3:17: error[connlint::client_in_loop]"),
        "the workspace level: {out}"
    );
    assert!(
        out.contains("api/src/lib.rs:4:17: warning[connlint::client_in_loop]"),
        "the package's own level: {out}"
    );
    assert!(!out.contains("gen.rs"), "excluded by the package: {out}");
    assert!(
        err.contains("skipped api/src/gen.rs: excluded by the config (`exclude`)"),
        "-v says why: {err}"
    );
    assert!(
        err.contains("[workspace.metadata.connlint]")
            && err.contains("[package.metadata.connlint] for `api/`"),
        "-v names the sources: {err}"
    );
    // The command line wins over both.
    let (code, out, _) = run(check(&dir).arg("-A").arg("client_in_loop"));
    assert_eq!(code, 0, "{out}");
    // connlint.toml wins over the metadata table, and says so.
    write(
        &dir,
        "connlint.toml",
        "[[overrides]]\npaths = [\"jobs\"]\nlints = { client_in_loop = \"allow\" }\n",
    );
    let (code, out, err) = run(&mut check(&dir));
    assert_eq!(code, 1, "{out}{err}");
    assert!(!out.contains("jobs/"), "the override allows jobs/: {out}");
    assert!(out.contains("api/src/lib.rs:4:17: warning"), "{out}");
    assert!(
        err.contains("connlint.toml` is used; `[workspace.metadata.connlint]`"),
        "{err}"
    );
}

#[test]
fn config_errors_name_the_file_and_line() {
    let dir = two_members(
        "errors",
        "\n[workspace.metadata.connlint]\npedantic = true\n\n[workspace.metadata.connlint.lints]\nclient_in_lop = \"deny\"\n",
        "",
    );
    let (code, _, err) = run(&mut check(&dir));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("Cargo.toml:9:1: unknown lint `client_in_lop`"),
        "{err}"
    );
    assert!(
        err.contains("9 | client_in_lop = \"deny\""),
        "the line is shown: {err}"
    );

    let dir = two_members(
        "errors-pkg",
        "",
        "\n[package.metadata.connlint]\ninclude_tests = \"yes\"\n",
    );
    let (code, _, err) = run(&mut check(&dir));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("api/Cargo.toml:7:1: unknown field `include_tests`")
            && err.contains("applies to the whole run"),
        "run-wide keys belong to the root config: {err}"
    );

    let dir = two_members("errors-toml", "", "");
    write(
        &dir,
        "connlint.toml",
        "exclude = [\"gen/**\"]\n[lints]\nclient_in_loop = \"forbid\"\n",
    );
    let (code, _, err) = run(&mut check(&dir));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("connlint.toml:3:18: unknown variant `forbid`"),
        "{err}"
    );

    let dir = two_members(
        "errors-lints",
        "",
        "\n[lints.connlint]\nclient_in_loop = \"deny\"\n",
    );
    let (code, _, err) = run(&mut check(&dir));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("api/Cargo.toml:6:8: `[lints.connlint]` does not configure connlint"),
        "{err}"
    );
    assert!(
        err.contains("[workspace.metadata.connlint.lints]"),
        "the fix: {err}"
    );
}

/// A package's own client type, from `[package.metadata.connlint.catalog]`.
#[test]
fn package_metadata_extends_the_catalog() {
    let dir = two_members(
        "pkg-catalog",
        "",
        "\n[[package.metadata.connlint.catalog.client]]\nname = \"acme::Client\"\nkind = \"http_client\"\ntypes = [\"acme::Client\"]\nconstructors = [\"acme::Client::connect\"]\ncost = \"a TLS session\"\nfix = \"connect once\"\n",
    );
    write(
        &dir,
        "jobs/src/lib.rs",
        "pub fn sync(ids: &[u64]) {\n    for id in ids {\n        let c = acme::Client::connect();\n        c.put(*id);\n    }\n}\n",
    );
    let (code, out, err) = run(&mut check(&dir));
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("jobs/src/lib.rs:3:17: warning[connlint::client_in_loop]: `acme::Client` built inside a loop"),
        "{out}"
    );
}

#[test]
fn suppressions_are_counted_reported_and_may_need_reasons() {
    let dir = scratch("suppress");
    write(
        &dir,
        "Cargo.toml",
        "[package]\nname = \"svc\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
    );
    write(
        &dir,
        "src/lib.rs",
        "// connlint: allow(client_in_loop)\npub async fn f(urls: Vec<String>) {\n    for u in urls {\n        let c = reqwest::Client::new();\n        let d = reqwest::Client::new(); // connlint: allow(client_in_loop) per tenant\n        c.get(&u).send().await.unwrap().text().await.unwrap();\n        d.get(&u).send().await.unwrap().text().await.unwrap();\n    }\n}\n\npub fn g() {} // connlint: allow(unread_response_body) stale\n",
    );
    write(
        &dir,
        "tests/it.rs",
        "#[test]\nfn t() {} // connlint: allow(client_in_loop) test code is not checked by default\n",
    );
    let (code, out, err) = run(&mut check(&dir));
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(
        out, "src/lib.rs:11:15: warning[connlint::unused_suppression]: unused suppression\n",
        "test code gives no findings by default, so its suppressions are not unused: {err}"
    );
    let (_, out, _) = run(check(&dir).arg("--include-tests"));
    assert!(
        out.contains("tests/it.rs:2:11: warning[connlint::unused_suppression]"),
        "{out}"
    );
    assert!(err.contains("; 2 suppressed by comments"), "{err}");
    let (code, out, _) = run(check(&dir)
        .arg("--require-reasons")
        .arg("-A")
        .arg("unused_suppression"));
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "src/lib.rs:1:1: warning[connlint::invalid_suppression]: suppression without a reason\n"
    );
    write(
        &dir,
        "connlint.toml",
        "require_reasons = true\n[lints]\nunused_suppression = \"allow\"\ninvalid_suppression = \"deny\"\n",
    );
    let (code, out, _) = run(&mut check(&dir));
    assert_eq!(code, 1);
    assert!(
        out.starts_with("src/lib.rs:1:1: error[connlint::invalid_suppression]"),
        "{out}"
    );
}

#[test]
fn color_follows_flags_then_environment() {
    let dir = scratch("color");
    let bad = write(&dir, "bad.rs", LOOP);
    let colored = |envs: &[(&str, &str)], flag: Option<&str>| {
        let mut cmd = bin();
        cmd.arg(&bad)
            .env_remove("NO_COLOR")
            .env_remove("CLICOLOR_FORCE")
            .env_remove("CARGO_TERM_COLOR");
        for (k, v) in envs {
            cmd.env(k, v);
        }
        if let Some(f) = flag {
            cmd.arg(format!("--color={f}"));
        }
        let (_, out, _) = run(&mut cmd);
        out.contains("\x1b[")
    };
    assert!(!colored(&[], None), "a pipe gets no colour");
    assert!(colored(&[("CLICOLOR_FORCE", "1")], None));
    assert!(
        colored(&[("CLICOLOR_FORCE", "1"), ("CLICOLOR", "0")], None),
        "CLICOLOR_FORCE beats CLICOLOR"
    );
    assert!(
        !colored(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")], None),
        "NO_COLOR beats CLICOLOR_FORCE"
    );
    assert!(
        colored(&[("NO_COLOR", "1"), ("CARGO_TERM_COLOR", "always")], None),
        "CARGO_TERM_COLOR beats NO_COLOR"
    );
    assert!(
        !colored(&[("CARGO_TERM_COLOR", "always")], Some("never")),
        "--color beats the environment"
    );
    assert!(colored(&[("NO_COLOR", "1")], Some("always")));
}

/// The fenced block of README.md that starts with `first_line`.
fn readme_block(first_line: &str) -> String {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("read README.md");
    let start = readme.find(first_line).expect("the block is in README.md");
    let end = readme[start..].find("```").expect("the block ends") + start;
    readme[start..end].to_string()
}

/// The README's configuration reference works as written.
#[test]
fn readme_config_works_as_written() {
    let dir = two_members("readme", "", "");
    write(&dir, "connlint.toml", readme_block("# connlint.toml"));
    let package = readme_block("# crates/admin/Cargo.toml");
    write(
        &dir,
        "api/Cargo.toml",
        format!(
            "[package]\nname = \"api\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nreqwest = \"0.12\"\n\n{package}"
        ),
    );
    write(
        &dir,
        "jobs/src/lib.rs",
        "pub async fn sync(ids: Vec<u64>) {\n    let client = acme_sdk::Client::new();\n    for id in ids {\n        let resp = client.call(id).await;\n        if resp.status() == 404 {\n            continue;\n        }\n        resp.json().await;\n    }\n    for _ in 0..100 {\n        let _c = acme_sdk::Client::new();\n    }\n}\n",
    );
    let (code, out, err) = run(&mut check(&dir));
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("jobs/src/lib.rs:4:20: warning[connlint::unread_response_body]"),
        "a user response type: {out}"
    );
    assert!(
        out.contains("jobs/src/lib.rs:11:18: error[connlint::client_in_loop]: `acme_sdk::Client` built inside a loop"),
        "a user client type, denied: {out}"
    );
    assert!(
        out.contains("api/src/lib.rs:4:17: error[connlint::client_in_loop]"),
        "{out}"
    );
    write(
        &dir,
        "connlint.toml",
        "[lints]\nclient_in_loop = \"forbid\"\n",
    );
    let (code, _, err) = run(check(&dir).current_dir(&dir));
    assert_eq!(code, 2);
    let shown = readme_block("error: connlint.toml:3:18")
        .replace("3:18", "2:18")
        .replace("3 |", "2 |");
    assert!(
        err.contains(shown.trim_end()),
        "the README's error:\n{shown}\nthe real one:\n{err}"
    );
}

/// The README's suppression example silences both of its findings.
#[test]
fn readme_suppressions_work_as_written() {
    let dir = scratch("readme-suppress");
    let example = readme_block("pub async fn sync(tenants: Vec<Tenant>)");
    let file = write(
        &dir,
        "sync.rs",
        format!(
            "struct Tenant {{ identity: reqwest::Identity, url: String, batches: Vec<String> }}\n{example}"
        ),
    );
    let (code, out, err) = run(bin().arg(&file).arg("--message-format=short"));
    assert_eq!((code, out.as_str()), (0, ""), "{err}");
    // The client is configured by the loop's item: a pedantic-level finding,
    // silenced (so the suppression is used) but not counted at the default level.
    assert!(err.contains("; 1 suppressed by comments"), "{err}");
    let (code, _, err) = run(bin().arg(&file).arg("--pedantic"));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("; 2 suppressed by comments"), "{err}");
    let bare = example.replace("// connlint:", "// was:");
    write(
        &dir,
        "sync.rs",
        format!("struct Tenant {{ identity: reqwest::Identity, url: String }}\n{bare}"),
    );
    let (code, out, _) = run(bin()
        .arg(&file)
        .arg("--message-format=short")
        .arg("--pedantic"));
    assert_eq!(code, 1);
    assert!(
        out.contains("client_in_loop") && out.contains("unread_response_body"),
        "{out}"
    );
}

/// `--statistics` counts reported findings; what comments suppressed (and
/// what a baseline knows) used to show only in the closing line, which `-q`
/// drops. Now the table, its JSON and the step summary say it too.
#[test]
fn statistics_show_what_comments_suppressed() {
    let dir = scratch("stats-suppressed");
    let suppressed = LOOP.replace("fn f(", "fn g(").replace(
        "        let c",
        "        // connlint: allow(client_in_loop) on purpose\n        let c",
    );
    let bad = write(&dir, "bad.rs", format!("{LOOP}\n{suppressed}"));
    let (code, out, err) = run(bin().arg(&bad).args(["--statistics", "-q"]));
    assert_eq!(code, 1, "{err}");
    assert!(
        out.ends_with("     1  total\n     1  suppressed by comments (not counted)\n"),
        "{out}"
    );
    let (_, out, _) = run(bin()
        .arg(&bad)
        .args(["--statistics", "--message-format=json"]));
    let stats: serde_json::Value = serde_json::from_str(out.trim()).expect("one JSON line");
    assert_eq!(
        (stats["total"].as_u64(), stats["suppressed"].as_u64()),
        (Some(1), Some(1)),
        "{out}"
    );
    let summary = dir.join("summary.md");
    run(bin()
        .arg(&bad)
        .args(["--message-format=github"])
        .env("GITHUB_STEP_SUMMARY", &summary));
    let summary = std::fs::read_to_string(summary).expect("step summary");
    assert!(
        summary.contains("1 finding in 1 file; 1 suppressed by comments"),
        "{summary}"
    );
}
