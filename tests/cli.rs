//! The command line as a user runs it: argument forms, exit codes, output
//! formats, and bad input that must not stop the run.

use std::path::Path;

mod common;
use common::{bin, run, scratch, write};

const LOOP: &str = "async fn f(urls: Vec<String>) {\n    for u in urls {\n        let c = reqwest::Client::new();\n        c.get(u).send().await.unwrap().text().await.unwrap();\n    }\n}\n";
const CLEAN: &str = "async fn f(c: &reqwest::Client, urls: Vec<String>) {\n    for u in urls {\n        c.get(u).send().await.unwrap().text().await.unwrap();\n    }\n}\n";

#[test]
fn exit_codes_follow_findings() {
    let dir = scratch("exit");
    let bad = write(&dir, "bad.rs", LOOP);
    let good = write(&dir, "good.rs", CLEAN);
    let (code, out, _) = run(bin().arg(&bad).arg("--message-format=short"));
    assert_eq!(code, 1, "a finding exits 1: {out}");
    assert!(
        out.contains("bad.rs:3:17: warning[connlint::client_in_loop]"),
        "{out}"
    );
    let (code, out, _) = run(bin().arg(&good));
    assert_eq!(code, 0, "no finding exits 0: {out}");
    let (code, _, _) = run(bin().arg(&bad).arg("--exit-zero"));
    assert_eq!(code, 0);
    let (code, _, _) = run(bin().arg(&bad).arg("-A").arg("client_in_loop"));
    assert_eq!(code, 0, "an allowed lint does not fail");
    let (code, out, _) = run(bin()
        .arg(&bad)
        .arg("-D")
        .arg("warnings")
        .arg("--message-format=short"));
    assert_eq!(code, 1);
    assert!(
        out.contains("error[connlint::client_in_loop]"),
        "-D warnings shows errors: {out}"
    );
    // Several loose files of one directory are all checked.
    let bad2 = write(&dir, "bad2.rs", LOOP);
    let (code, out, err) = run(bin()
        .arg(&bad)
        .arg(&good)
        .arg(&bad2)
        .arg("--message-format=short"));
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("bad.rs:3:17:") && out.contains("bad2.rs:3:17:"),
        "{out}"
    );
    assert!(err.contains("2 findings in 3 files"), "{err}");
    let (code, _, err) = run(bin().arg("--message-format=xml"));
    assert_eq!(code, 2, "usage error exits 2: {err}");
    let (code, _, err) = run(bin().arg(dir.join("missing.rs")));
    assert_eq!(code, 2, "a missing path exits 2: {err}");
}

#[test]
fn cargo_subcommand_form_drops_its_name() {
    let dir = scratch("argv");
    let bad = write(&dir, "bad.rs", LOOP);
    let (a, out_a, _) = run(bin()
        .arg("connlint")
        .arg(&bad)
        .arg("--message-format=short"));
    let (b, out_b, _) = run(bin().arg(&bad).arg("--message-format=short"));
    assert_eq!((a, &out_a), (b, &out_b));
    let (code, out, _) = run(bin().arg("connlint").arg("--help"));
    assert_eq!(code, 0);
    assert!(out.contains("Usage"), "{out}");
}

#[test]
fn bad_files_are_reported_and_the_rest_is_checked() {
    let dir = scratch("bad-input");
    write(&dir, "broken.rs", "fn main( {\n");
    write(&dir, "latin1.rs", b"// caf\xe9\nfn main() {}\n");
    write(&dir, "empty.rs", "");
    write(
        &dir,
        "deep.rs",
        format!(
            "fn f() {{ let x = {}1{}; }}\n",
            "(".repeat(3000),
            ")".repeat(3000)
        ),
    );
    write(&dir, "crlf.rs", LOOP.replace('\n', "\r\n"));
    let (code, out, err) = run(bin().arg(&dir).arg("--message-format=short"));
    assert_eq!(
        code, 2,
        "input errors exit 2 after reporting everything: {out}\n{err}"
    );
    assert!(out.contains("broken.rs:1:10: error[connlint::parse_error]: cannot parse `broken.rs`: unbalanced delimiters"), "{out}");
    assert!(
        out.contains("latin1.rs:1:7: error[connlint::parse_error]: `latin1.rs` is not valid UTF-8"),
        "{out}"
    );
    assert!(
        out.contains("crlf.rs:3:17: warning[connlint::client_in_loop]"),
        "CRLF files keep their columns: {out}"
    );
}

#[test]
fn json_lines_are_cargo_messages() {
    let dir = scratch("json");
    let bad = write(&dir, "bad.rs", LOOP);
    let (code, out, _) = run(bin().arg(&bad).arg("--message-format=json"));
    assert_eq!(code, 1);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect();
    assert_eq!(lines.len(), 2, "one message and build-finished: {out}");
    let msg = &lines[0];
    assert_eq!(msg["reason"], "compiler-message");
    assert!(msg["package_id"].is_string());
    assert!(msg["target"]["src_path"].is_string());
    let m = &msg["message"];
    assert_eq!(m["code"]["code"], "connlint::client_in_loop");
    assert_eq!(m["level"], "warning");
    let primary: Vec<&serde_json::Value> = m["spans"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["is_primary"] == true)
        .collect();
    assert_eq!(primary.len(), 1);
    assert_eq!(primary[0]["line_start"], 3);
    assert_eq!(primary[0]["column_start"], 17);
    assert_eq!(
        primary[0]["text"][0]["text"],
        "        let c = reqwest::Client::new();"
    );
    assert!(m["rendered"].as_str().unwrap().contains("client_in_loop"));
    // The hoist fix is a machine-applicable help child.
    let fix = m["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["level"] == "help" && !c["spans"].as_array().unwrap().is_empty())
        .expect("a help child with a suggestion");
    assert_eq!(
        fix["spans"][0]["suggestion_applicability"],
        "MachineApplicable"
    );
    assert_eq!(lines[1]["reason"], "build-finished");
    assert_eq!(lines[1]["success"], false);
}

#[test]
fn explain_and_list_lints() {
    let (code, out, _) = run(bin().arg("--list-lints"));
    assert_eq!(code, 0);
    for lint in [
        "client_in_loop",
        "client_in_handler",
        "client_per_call",
        "unread_response_body",
    ] {
        assert!(out.contains(lint), "{out}");
        let (code, doc, _) = run(bin().arg("explain").arg(lint));
        assert_eq!(code, 0);
        assert!(doc.contains("## What it does"), "{doc}");
    }
    let (code, _, _) = run(bin().arg("--explain").arg("no_such_lint"));
    assert_eq!(code, 2);
}

#[test]
fn workspace_config_and_suppressions() {
    let dir = scratch("ws");
    write(
        &dir,
        "Cargo.toml",
        "[package]\nname = \"svc\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
    );
    write(
        &dir,
        "src/main.rs",
        format!(
            "{LOOP}\nfn g(urls: Vec<String>) {{\n    for u in urls {{\n        // connlint: allow(client_in_loop) one client per tenant\n        let c = reqwest::blocking::Client::new();\n        drop((c, u));\n    }}\n}}\nfn main() {{}}\n"
        ),
    );
    let (code, out, err) = run(bin()
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .arg("--message-format=short"));
    assert_eq!(code, 1, "{out}{err}");
    assert_eq!(
        out.lines().count(),
        1,
        "the suppressed finding is not reported: {out}"
    );
    write(
        &dir,
        "connlint.toml",
        "[lints]\nclient_in_loop = \"allow\"\n",
    );
    let (code, out, _) = run(bin().arg("--manifest-path").arg(dir.join("Cargo.toml")));
    assert_eq!(code, 0, "{out}");
    write(&dir, "connlint.toml", "[lints]\nno_such_lint = \"deny\"\n");
    let (code, _, err) = run(bin().arg("--manifest-path").arg(dir.join("Cargo.toml")));
    assert_eq!(code, 2);
    assert!(err.contains("unknown lint `no_such_lint`"), "{err}");
    write(
        &dir,
        "connlint.toml",
        "[lints]\nclient_in_loop = \"deny\"\n",
    );
    let (code, out, _) = run(bin()
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .arg("--message-format=short"));
    assert_eq!(code, 1);
    assert!(out.contains("error[connlint::client_in_loop]"), "{out}");
}

#[test]
fn the_demo_reports_each_bug() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/demo");
    let (code, out, err) = run(bin().arg(&demo).arg("--message-format=short"));
    assert_eq!(code, 1, "{out}{err}");
    let expect = [
        "src/consul.rs:33:18: warning[connlint::client_per_call]",
        "src/health.rs:16:20: warning[connlint::unread_response_body]",
        "src/metrics.rs:27:18: warning[connlint::client_per_call]",
        "src/poller.rs:31:22: warning[connlint::client_in_loop]",
        "src/proxy.rs:29:18: warning[connlint::client_in_handler]",
    ];
    for e in expect {
        assert!(out.contains(e), "missing `{e}` in:\n{out}");
    }
    assert_eq!(
        out.lines().count(),
        expect.len(),
        "no other finding:\n{out}"
    );
}

/// rust-analyzer reads check output with `cargo_metadata`: every line must parse.
#[test]
fn json_parses_as_cargo_metadata_messages() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/demo");
    let (_, out, _) = run(bin().arg(&demo).arg("--message-format=json"));
    let mut diagnostics = 0;
    let mut finished = false;
    for message in cargo_metadata::Message::parse_stream(out.as_bytes()) {
        match message.expect("a cargo message") {
            cargo_metadata::Message::CompilerMessage(m) => {
                diagnostics += 1;
                let d = &m.message;
                assert!(
                    d.code
                        .as_ref()
                        .is_some_and(|c| c.code.starts_with("connlint::"))
                );
                assert_eq!(d.spans.iter().filter(|s| s.is_primary).count(), 1);
            }
            cargo_metadata::Message::BuildFinished(f) => finished = !f.success,
            cargo_metadata::Message::TextLine(l) => panic!("a line that is not JSON: {l}"),
            _ => {}
        }
    }
    assert_eq!(diagnostics, 5);
    assert!(finished, "build-finished with success = false");
}

/// Users add their own client types and handler markers in the config.
#[test]
fn config_extends_the_catalog() {
    let dir = scratch("user-catalog");
    write(
        &dir,
        "Cargo.toml",
        "[package]\nname = \"svc\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nacme-sdk = \"1\"\nmy-framework = \"1\"\n\n[workspace]\n",
    );
    write(
        &dir,
        "src/main.rs",
        "fn sync(ids: &[u64]) {\n    for id in ids {\n        let c = acme_sdk::Client::connect(\"acme://\");\n        c.put(*id);\n    }\n}\n\n#[my_framework::route]\nfn hook() {\n    let _c = acme_sdk::Client::connect(\"acme://\");\n}\n\nmod engine {\n    pub trait Command {\n        fn run(&self);\n    }\n}\n\nstruct Get;\n\nimpl engine::Command for Get {\n    fn run(&self) {\n        let _c = acme_sdk::Client::connect(\"acme://\");\n    }\n}\n\nfn main() {}\n",
    );
    write(
        &dir,
        "connlint.toml",
        "[[catalog.client]]\nname = \"acme_sdk::Client\"\nkind = \"http_client\"\ntypes = [\"acme_sdk::Client\"]\nconstructors = [\"acme_sdk::Client::connect\"]\ncost = \"a TLS session and an OAuth token fetch\"\nfix = \"connect once and clone\"\n\n[[catalog.handler]]\nframework = \"my_framework\"\nattributes = [\"my_framework::route\"]\n\n[[catalog.handler]]\nframework = \"engine\"\nkind = \"handler\"\ntrait_methods = [\"svc::engine::Command::run\"]\n",
    );
    let (code, out, err) = run(bin()
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .arg("--message-format=short"));
    assert_eq!(code, 1, "{out}{err}");
    assert!(out.contains("src/main.rs:3:17: warning[connlint::client_in_loop]: `acme_sdk::Client` built inside a loop"), "{out}");
    assert!(
        out.contains("src/main.rs:10:14: warning[connlint::client_in_handler]"),
        "{out}"
    );
    assert!(
        out.contains("src/main.rs:23:18: warning[connlint::client_in_handler]"),
        "a user trait method is a handler: {out}"
    );
}

/// Outside a cargo workspace (no root manifest, so no `cargo metadata`), the
/// members' own `Cargo.toml` files still mark the harness and tooling
/// packages as test code: only `app` is reported.
#[test]
fn harness_packages_without_metadata() {
    fn copy(from: &Path, to: &Path, top: bool) {
        for entry in std::fs::read_dir(from).expect("read fixture") {
            let path = entry.expect("fixture entry").path();
            let dest = to.join(path.file_name().expect("file name"));
            if path.is_dir() {
                std::fs::create_dir_all(&dest).expect("create dir");
                copy(&path, &dest, false);
            } else if !(top && path.ends_with("Cargo.toml")) {
                // Every manifest but the workspace root's.
                std::fs::copy(&path, &dest).expect("copy file");
            }
        }
    }
    let dir = scratch("harness");
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/client_per_call/harness_crates");
    copy(&fixture, &dir, true);
    let (code, out, err) = run(bin().arg(&dir).arg("--message-format=short"));
    assert_eq!(code, 1, "{out}{err}");
    let mut lines: Vec<&str> = out
        .lines()
        .map(|l| l.split(": warning").next().unwrap_or(l))
        .collect();
    lines.sort();
    assert_eq!(
        lines,
        [
            "app/src/lib.rs:14:23",
            "app/src/lib.rs:39:23",
            "app/src/lib.rs:8:18"
        ],
        "{out}{err}"
    );
    let (_, out, _) = run(bin()
        .arg(&dir)
        .arg("--include-tests")
        .arg("--message-format=short"));
    assert!(
        out.contains("xtask/src/main.rs") && out.contains("stubs/src/lib.rs"),
        "{out}"
    );
}

/// A crate whose dependencies name no network library is not read: the run
/// succeeds, and `--verbose` says why nothing was checked.
#[test]
fn a_crate_without_network_libraries_is_skipped() {
    let dir = scratch("no-network");
    write(
        &dir,
        "Cargo.toml",
        "[package]\nname = \"calc\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nserde = \"1\"\n\n[workspace]\n",
    );
    write(
        &dir,
        "src/lib.rs",
        "/// Sums (the docs of reqwest are elsewhere).\npub fn sum(xs: &[u64]) -> u64 {\n    xs.iter().sum()\n}\n",
    );
    let (code, out, err) = run(bin().arg(&dir).arg("--verbose"));
    assert_eq!(code, 0, "{out}{err}");
    assert!(!err.contains("checked no file"), "{err}");
    assert!(
        err.contains("skipped package `calc`") && !err.contains("src/lib.rs"),
        "{err}"
    );
}
