//! Machine outputs as their consumers read them: cargo JSON through
//! `cargo_metadata` and `rustfix` (rust-analyzer and `cargo fix`), SARIF
//! against the OASIS 2.1.0 schema, GitHub annotations and the step summary,
//! `--output` files, baselines, statistics and the `--with` wrapper.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

mod common;
use common::{bin, run, scratch, write};

/// A client built in a loop (a machine-applicable hoist), with non-ASCII
/// text before it on its line.
const LOOP: &str = "pub fn fetch(urls: &[String]) {\n    for u in urls {\n        let c = /* é😀 */ reqwest::Client::new();\n        c.get(u);\n    }\n}\n";
const BIN: &str = "fn main() {\n    loop {\n        let c = reqwest::Client::new();\n        c.get(\"http://localhost/health\");\n        std::thread::sleep(std::time::Duration::from_secs(1));\n    }\n}\n";
/// What the stub `reqwest` offers, so that `cargo check` works offline.
const STUB: &str = "pub struct Client;\nimpl Client {\n    pub fn new() -> Client {\n        Client\n    }\n    pub fn get(&self, _url: &str) {}\n}\n";

/// A package `svc` with a lib, a bin under `src/bin/` and a path
/// dependency `reqwest` (a stub).
fn service(name: &str) -> PathBuf {
    let dir = scratch(name);
    write(
        &dir,
        "Cargo.toml",
        "[package]\nname = \"svc\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nreqwest = { path = \"stub\" }\n\n[workspace]\n",
    );
    write(
        &dir,
        "stub/Cargo.toml",
        "[package]\nname = \"reqwest\"\nversion = \"0.12.0\"\nedition = \"2021\"\n",
    );
    write(&dir, "stub/src/lib.rs", STUB);
    write(&dir, "src/lib.rs", LOOP);
    write(&dir, "src/bin/tool.rs", BIN);
    dir
}

fn json_lines(out: &str) -> Vec<Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}")))
        .collect()
}

/// Applies the machine-applicable suggestions of rustc-format diagnostics
/// (one JSON object per line) to the files they name, as `cargo fix` does;
/// relative names (rustc's) are under `root`. Returns how many applied.
fn apply_with_rustfix(diagnostics: &str, root: &Path) -> usize {
    let suggestions = rustfix::get_suggestions_from_json(
        diagnostics,
        &HashSet::new(),
        rustfix::Filter::MachineApplicableOnly,
    )
    .expect("rustfix reads the diagnostics");
    let file_of = |s: &rustfix::Suggestion| -> Option<PathBuf> {
        let r = s.solutions.first()?.replacements.first()?;
        std::fs::canonicalize(root.join(&r.snippet.file_name)).ok()
    };
    let mut files: Vec<PathBuf> = suggestions.iter().filter_map(file_of).collect();
    files.sort();
    files.dedup();
    for path in &files {
        let source = std::fs::read_to_string(path).expect("read a fixed file");
        let mine: Vec<rustfix::Suggestion> = suggestions
            .iter()
            .filter(|s| file_of(s).as_ref() == Some(path))
            .cloned()
            .collect();
        let fixed = rustfix::apply_suggestions(&source, &mine).expect("the edits apply");
        std::fs::write(path, fixed).expect("write a fixed file");
    }
    suggestions.len()
}

#[test]
fn json_round_trips_through_cargo_metadata_and_rustfix() {
    let dir = service("json-roundtrip");
    let (code, out, err) = run(bin().current_dir(&dir).arg("--message-format=json"));
    assert_eq!(code, 1, "{out}{err}");
    let mut messages = Vec::new();
    let mut finished = None;
    for m in cargo_metadata::Message::parse_stream(out.as_bytes()) {
        match m.expect("a cargo message") {
            cargo_metadata::Message::CompilerMessage(m) => messages.push(m),
            cargo_metadata::Message::BuildFinished(f) => finished = Some(f.success),
            other => panic!("an unexpected line: {other:?}"),
        }
    }
    assert_eq!(finished, Some(false), "build-finished closes the output");
    assert!(
        out.trim_end()
            .ends_with(r#"{"reason":"build-finished","success":false}"#)
    );
    assert_eq!(messages.len(), 2, "{out}");
    let canonical_dir = std::fs::canonicalize(&dir).expect("canonical dir");
    for v in json_lines(&out)
        .iter()
        .filter(|v| v["reason"] == "compiler-message")
    {
        let manifest = v["manifest_path"].as_str().map(PathBuf::from);
        assert_eq!(manifest, Some(dir.join("Cargo.toml")));
    }
    for m in &messages {
        assert!(m.package_id.repr.contains("svc"), "{}", m.package_id);
        let d = &m.message;
        let primary = d
            .spans
            .iter()
            .find(|s| s.is_primary)
            .expect("a primary span");
        let file = Path::new(&primary.file_name);
        assert!(file.is_absolute(), "absolute file names: {file:?}");
        assert!(file.starts_with(&canonical_dir));
        assert!(
            d.spans.iter().all(|s| !s.text.is_empty()),
            "text on every span"
        );
        assert!(d.rendered.as_deref().is_some_and(|r| r.contains("-->")));
        // `src/bin/tool.rs` belongs to the bin target, `src/lib.rs` to the lib.
        if file.ends_with("src/bin/tool.rs") {
            assert_eq!(m.target.name, "tool");
            assert!(m.target.kind.iter().any(|k| k.to_string() == "bin"));
            assert!(m.target.src_path.ends_with("src/bin/tool.rs"));
        } else {
            assert!(file.ends_with("src/lib.rs"));
            assert_eq!(m.target.name, "svc");
            assert!(m.target.src_path.ends_with("src/lib.rs"));
            // Char columns, byte offsets: the same range.
            let line = "        let c = /* é😀 */ reqwest::Client::new();";
            assert_eq!(primary.text[0].text, line);
            let at = line.find("reqwest").expect("the call");
            assert_eq!(primary.column_start, line[..at].chars().count() + 1);
            let source = std::fs::read_to_string(file).expect("read");
            assert_eq!(
                &source[primary.byte_start as usize..primary.byte_end as usize],
                "reqwest::Client::new()"
            );
        }
    }
    // `cargo fix`'s path: the `message` objects through rustfix.
    let raw: String = json_lines(&out)
        .iter()
        .filter(|v| v["reason"] == "compiler-message")
        .map(|v| format!("{}\n", v["message"]))
        .collect();
    assert_eq!(
        apply_with_rustfix(&raw, &dir),
        2,
        "both hoists are machine-applicable"
    );
    let fixed = std::fs::read_to_string(dir.join("src/lib.rs")).expect("read");
    assert!(
        fixed.contains("let c = /* é😀 */ reqwest::Client::new();\n    for u in urls {"),
        "{fixed}"
    );
    let (_, out, _) = run(bin().current_dir(&dir).arg("--message-format=short"));
    assert!(
        !out.contains("client_in_loop"),
        "no loop finding after the fixes: {out}"
    );
}

#[test]
fn rendered_follows_the_message_format_variant() {
    let dir = service("json-rendered");
    let rendered = |format: &str| -> Vec<String> {
        let (_, out, _) = run(bin()
            .current_dir(&dir)
            .arg(format!("--message-format={format}")));
        json_lines(&out)
            .iter()
            .filter_map(|v| v["message"]["rendered"].as_str().map(str::to_string))
            .collect()
    };
    let plain = rendered("json");
    assert!(
        plain
            .iter()
            .all(|r| !r.contains('\x1b') && r.contains("-->"))
    );
    let ansi = rendered("json-diagnostic-rendered-ansi");
    assert!(
        ansi.iter().all(|r| r.contains("\x1b[")),
        "ANSI colours in `rendered`: {ansi:?}"
    );
    let short = rendered("json-diagnostic-short");
    assert!(
        short
            .iter()
            .all(|r| r.lines().count() == 1 && r.contains(": warning[connlint::client_in_loop]: ")),
        "{short:?}"
    );
    // cargo's json-render-diagnostics: people's rendering on stderr, only the
    // closing line on stdout.
    let (_, out, err) = run(bin()
        .current_dir(&dir)
        .arg("--message-format=json-render-diagnostics"));
    assert_eq!(json_lines(&out).len(), 1, "{out}");
    assert!(
        err.contains("warning[connlint::client_in_loop]: `reqwest::Client` built inside a loop"),
        "{err}"
    );
}

fn sarif_of(dir: &Path, extra: &[&str]) -> Value {
    let (_, out, err) = run(bin()
        .current_dir(dir)
        .arg("--message-format=sarif")
        .args(extra));
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("SARIF is JSON ({e}): {out}{err}"))
}

/// The schema violations of a SARIF log.
fn sarif_errors(log: &Value) -> Vec<String> {
    let schema_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schema/sarif-schema-2.1.0.json");
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(&schema_path).expect("the vendored SARIF schema"),
    )
    .expect("the schema is JSON");
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("a valid schema");
    validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn validate_sarif(log: &Value) {
    let errors = sarif_errors(log);
    assert!(errors.is_empty(), "SARIF schema violations: {errors:#?}");
}

#[test]
fn sarif_validates_and_keeps_fingerprints_when_lines_move() {
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/demo");
    let log = sarif_of(&demo, &[]);
    validate_sarif(&log);
    // The validator does reject what the schema forbids.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    broken["runs"][0]["columnKind"] = Value::from("bytes");
    assert_eq!(sarif_errors(&broken).len(), 2);
    let run0 = &log["runs"][0];
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(run0["columnKind"], "unicodeCodePoints");
    let rules = run0["tool"]["driver"]["rules"].as_array().expect("rules");
    assert_eq!(
        rules.len(),
        connlint::lints::LINTS.len(),
        "every lint is a rule"
    );
    let results = run0["results"].as_array().expect("results");
    assert_eq!(results.len(), 5);
    for r in results {
        let rule = &rules[r["ruleIndex"].as_u64().expect("ruleIndex") as usize];
        assert_eq!(rule["id"], r["ruleId"]);
        assert!(
            rule["helpUri"]
                .as_str()
                .is_some_and(|u| u.starts_with("https://"))
        );
        let artifact = &r["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(artifact["uriBaseId"], "%SRCROOT%");
        let uri = artifact["uri"].as_str().expect("uri");
        assert!(
            uri.starts_with("testdata/demo/src/"),
            "repository-relative: {uri}"
        );
        assert!(r["partialFingerprints"]["connlint/v1"].is_string());
        assert!(r["partialFingerprints"]["primaryLocationLineHash"].is_null());
    }
    let base = run0["originalUriBaseIds"]["%SRCROOT%"]["uri"]
        .as_str()
        .expect("%SRCROOT%");
    assert!(
        base.starts_with("file:///") && base.ends_with('/'),
        "{base}"
    );

    // A file that does not parse is a tool execution notification.
    let loose = scratch("sarif-broken");
    write(&loose, "broken.rs", "fn main( {\n");
    let broken = sarif_of(&loose, &["broken.rs"]);
    validate_sarif(&broken);
    let invocation = &broken["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notification = &invocation["toolExecutionNotifications"][0];
    assert_eq!(notification["descriptor"]["id"], "parse_error");
    assert_eq!(notification["level"], "error");

    // A fix for the machine-applicable hoist, and keys that survive moved lines.
    let dir = service("sarif-move");
    let before = sarif_of(&dir, &[]);
    validate_sarif(&before);
    let fixes = &before["runs"][0]["results"][0]["fixes"][0];
    let replacement = &fixes["artifactChanges"][0]["replacements"][0];
    assert!(
        replacement["deletedRegion"]["startLine"].is_u64(),
        "{before:#}"
    );
    assert!(replacement["insertedContent"]["text"].is_string());
    write(&dir, "src/lib.rs", format!("// a comment\n\n\n{LOOP}"));
    let after = sarif_of(&dir, &[]);
    let keys = |log: &Value| -> Vec<(String, u64)> {
        log["runs"][0]["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| {
                (
                    r["partialFingerprints"]["connlint/v1"]
                        .as_str()
                        .unwrap_or("")
                        .to_string(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap_or(0),
                )
            })
            .collect()
    };
    let (before, after) = (keys(&before), keys(&after));
    assert_eq!(before.len(), 2);
    let lib = |v: &[(String, u64)]| v.iter().find(|k| k.1 == 3 || k.1 == 6).cloned();
    let (b, a) = (lib(&before), lib(&after));
    assert_eq!(b.as_ref().map(|k| k.1), Some(3));
    assert_eq!(a.as_ref().map(|k| k.1), Some(6), "the finding moved");
    assert_eq!(b.map(|k| k.0), a.map(|k| k.0), "its fingerprint did not");
}

#[test]
fn baselines_hide_known_findings_and_report_gone_ones() {
    let dir = service("baseline");
    let baseline = dir.join("connlint-baseline.json");
    let (code, out, err) = run(bin()
        .current_dir(&dir)
        .arg("--write-baseline")
        .arg(&baseline));
    assert_eq!(code, 0, "recording a baseline succeeds: {out}{err}");
    assert!(err.contains("wrote 2 findings"), "{err}");
    let (code, out, err) = run(bin().current_dir(&dir).arg("--baseline").arg(&baseline));
    assert_eq!(code, 0, "nothing new: {out}{err}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("no findings in 2 files; 2 known from the baseline"),
        "{err}"
    );
    // Lines inserted above: still nothing new.
    write(&dir, "src/lib.rs", format!("//! Docs.\n\n{LOOP}"));
    let (code, out, _) = run(bin().current_dir(&dir).arg("--baseline").arg(&baseline));
    assert_eq!(code, 0, "{out}");
    // A new finding fails, alone.
    write(
        &dir,
        "src/lib.rs",
        format!(
            "{LOOP}\npub fn again(urls: &[String]) {{\n    for u in urls {{\n        let c = reqwest::Client::new();\n        c.get(u);\n    }}\n}}\n"
        ),
    );
    let (code, out, _) = run(bin()
        .current_dir(&dir)
        .arg("--baseline")
        .arg(&baseline)
        .arg("--message-format=short"));
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.contains("src/lib.rs:10:"), "{out}");
    // The bin's finding fixed: reported as gone.
    write(&dir, "src/bin/tool.rs", "fn main() {}\n");
    let (_, _, err) = run(bin().current_dir(&dir).arg("--baseline").arg(&baseline));
    assert!(
        err.contains("1 finding of the baseline is gone (fixed)")
            && err.contains("src/bin/tool.rs: client_in_loop in `tool::main`"),
        "{err}"
    );
    // A broken baseline is an error.
    write(&dir, "bad.json", "{");
    let (code, _, err) = run(bin().current_dir(&dir).arg("--baseline").arg("bad.json"));
    assert_eq!(code, 2);
    assert!(err.contains("is not a connlint baseline"), "{err}");
}

#[test]
fn github_annotations_and_step_summary() {
    let dir = service("github");
    let summary = dir.join("summary.md");
    std::fs::write(&summary, "earlier step\n").expect("write summary");
    let (code, out, _) = run(bin()
        .current_dir(&dir)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .arg("--message-format=github"));
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    let lib = lines
        .iter()
        .find(|l| l.contains("file=src/lib.rs"))
        .expect("the lib's annotation");
    assert!(
        lib.starts_with("::warning file=src/lib.rs,line=3,endLine=3,col=26,endColumn=48,title=connlint (client_in_loop)::"),
        "{lib}"
    );
    assert!(
        lib.contains("%0Anote: "),
        "notes on escaped new lines: {lib}"
    );
    let text = std::fs::read_to_string(&summary).expect("read summary");
    assert!(
        text.starts_with("earlier step\n## connlint"),
        "appended: {text}"
    );
    assert!(
        text.contains("| warning | `client_in_loop` | `src/lib.rs:3` |"),
        "{text}"
    );
    // Without the variable nothing is written.
    let (_, _, _) = run(bin()
        .current_dir(&dir)
        .env_remove("GITHUB_STEP_SUMMARY")
        .arg("--message-format=github"));
    assert_eq!(std::fs::read_to_string(&summary).ok(), Some(text));
}

#[test]
fn outputs_beside_the_terminal_format() {
    let dir = service("outputs");
    let (code, out, err) = run(bin()
        .current_dir(&dir)
        .arg("--message-format=short")
        .arg("--output")
        .arg("sarif=out.sarif")
        .arg("--output=json=out.json")
        .arg("--output=github=out.txt"));
    assert_eq!(code, 1, "{err}");
    assert_eq!(out.lines().count(), 2, "short on stdout: {out}");
    assert!(out.lines().all(|l| l.contains(": warning[connlint::")));
    let sarif: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("out.sarif")).expect("the SARIF file"),
    )
    .expect("SARIF JSON");
    validate_sarif(&sarif);
    let json = std::fs::read_to_string(dir.join("out.json")).expect("the JSON file");
    assert_eq!(json_lines(&json).len(), 3);
    let github = std::fs::read_to_string(dir.join("out.txt")).expect("the annotations");
    assert!(github.lines().all(|l| l.starts_with("::warning ")));
    let (code, _, err) = run(bin().current_dir(&dir).arg("--output=sarif"));
    assert_eq!(code, 2);
    assert!(err.contains("expected FORMAT=PATH"), "{err}");
}

#[test]
fn statistics_and_lint_list_as_json() {
    let dir = service("stats");
    let (code, out, _) = run(bin().current_dir(&dir).arg("--statistics"));
    assert_eq!(code, 1);
    assert_eq!(
        out,
        "     2  client_in_loop\nby crate:\n     2  svc\n     2  total\n"
    );
    let (_, out, _) = run(bin()
        .current_dir(&dir)
        .arg("--statistics")
        .arg("--message-format=json"));
    let stats = json_lines(&out);
    assert_eq!(stats.len(), 1);
    assert_eq!(stats[0]["total"], 2);
    assert_eq!(stats[0]["lints"][0]["lint"], "client_in_loop");
    let (code, out, _) = run(bin().arg("--list-lints").arg("--message-format=json"));
    assert_eq!(code, 0);
    let lints = json_lines(&out);
    assert_eq!(lints.len(), connlint::lints::LINTS.len());
    assert!(
        lints
            .iter()
            .all(|l| l["default_level"] == "warning" && l["summary"].is_string())
    );
}

/// rust-analyzer's override command with the wrapper: cargo's messages, then
/// connlint's, one closing line; every line reads with `cargo_metadata`, and
/// rustfix applies both tools' machine-applicable suggestions.
#[test]
fn wrapper_forwards_cargo_check_then_connlint() {
    let dir = service("wrapper");
    write(
        &dir,
        "src/lib.rs",
        format!("{LOOP}\npub fn unused() {{\n    let x = 1;\n}}\n"),
    );
    let target = dir.join("target");
    let (_, out, err) = run(bin()
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target)
        .arg("--with")
        .arg("check")
        .arg("--message-format=json")
        .arg("--offline")
        .arg("--all-targets"));
    let mut codes = Vec::new();
    let mut finished = 0;
    for m in cargo_metadata::Message::parse_stream(out.as_bytes()) {
        match m.expect("a cargo message") {
            cargo_metadata::Message::CompilerMessage(m) => {
                codes.push(m.message.code.map(|c| c.code).unwrap_or_default());
                assert_eq!(finished, 0, "messages come before the closing line");
            }
            cargo_metadata::Message::BuildFinished(f) => {
                finished += 1;
                assert!(!f.success, "connlint found something");
            }
            cargo_metadata::Message::TextLine(l) => panic!("not a cargo message: {l}"),
            _ => {}
        }
    }
    assert_eq!(finished, 1, "one closing line: {out}{err}");
    let first_connlint = codes.iter().position(|c| c.starts_with("connlint::"));
    assert!(
        codes.iter().position(|c| c == "unused_variables") < first_connlint,
        "{codes:?}"
    );
    assert_eq!(
        codes.iter().filter(|c| c.starts_with("connlint::")).count(),
        2
    );
    let raw: String = json_lines(&out)
        .iter()
        .filter(|v| v["reason"] == "compiler-message")
        .map(|v| format!("{}\n", v["message"]))
        .collect();
    // rustc's names are relative to the workspace root, connlint's absolute.
    let applied = apply_with_rustfix(&raw, &dir);
    assert!(applied >= 3, "rustc's `_x` and both hoists: {applied}");
    let (_, out, err) = run(bin()
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target)
        .arg("--with=check")
        .arg("--message-format=json")
        .arg("--offline"));
    // The fixed crate compiles without warnings; what connlint still reports
    // is the hoisted client of a public function (no machine-applicable fix).
    let codes: Vec<String> = json_lines(&out)
        .iter()
        .filter_map(|v| v["message"]["code"]["code"].as_str().map(str::to_string))
        .collect();
    assert_eq!(codes, ["connlint::client_per_call"], "{out}{err}");
    // A crate that does not compile: cargo's failure is the exit status.
    write(
        &dir,
        "src/lib.rs",
        "pub fn broken() -> u8 {\n    \"text\"\n}\n",
    );
    let (code, out, _) = run(bin()
        .current_dir(&dir)
        .env("CARGO_TARGET_DIR", &target)
        .arg("--with=check")
        .arg("--message-format=json")
        .arg("--offline"));
    assert_eq!(code, 101, "{out}");
    assert!(out.contains(r#""code":"E0308""#), "{out}");
}
