//! `cargo connlint server` answers a scripted LSP session over stdio: the
//! findings of a workspace on open, a quick fix, and an empty list once the
//! saved file is fixed.

use std::io::{BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Stdio};
use std::time::{Duration, Instant};

use lsp_server::{Message, Notification, Request, RequestId};
use lsp_types as lsp;
use serde_json::json;

mod common;
use common::{bin, scratch, write};

struct Client {
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl Client {
    /// Starts the server (`bin` with `args`) and initializes it for `root`:
    /// the process, the client and the `initialize` answer.
    fn start(args: &[&str], root: &Path) -> (Child, Client, serde_json::Value) {
        let mut child = bin()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the server");
        let mut client = Client {
            stdin: child.stdin.take().expect("stdin"),
            stdout: BufReader::new(child.stdout.take().expect("stdout")),
        };
        let init = client.request(
            1,
            "initialize",
            json!({"processId": null, "rootUri": format!("file://{}", root.display()), "capabilities": {}}),
        );
        client.notify("initialized", json!({}));
        (child, client, init)
    }

    /// `shutdown` then `exit`: the server must exit with success.
    fn stop(mut self, mut child: Child) {
        self.request(99, "shutdown", json!(null));
        self.notify("exit", json!(null));
        let status = child.wait().expect("the server exits");
        assert!(status.success(), "{status}");
    }

    fn send(&mut self, message: Message) {
        message.write(&mut self.stdin).expect("write to the server");
        self.stdin.flush().expect("flush");
    }

    fn notify(&mut self, method: &str, params: serde_json::Value) {
        self.send(Message::Notification(Notification::new(
            method.into(),
            params,
        )));
    }

    fn request(&mut self, id: i32, method: &str, params: serde_json::Value) -> serde_json::Value {
        self.send(Message::Request(Request::new(
            RequestId::from(id),
            method.into(),
            params,
        )));
        loop {
            match Message::read(&mut self.stdout).expect("read from the server") {
                Some(Message::Response(r)) if r.id == RequestId::from(id) => {
                    match r.response_result {
                        Ok(result) => return result,
                        Err(e) => panic!("{method}: {} ({})", e.message, e.code),
                    }
                }
                Some(_) => {}
                None => panic!("the server closed its output during `{method}`"),
            }
        }
    }

    /// The text of the next `window/showMessage`.
    fn shown_message(&mut self) -> String {
        loop {
            match Message::read(&mut self.stdout).expect("read from the server") {
                Some(Message::Notification(n)) if n.method == "window/showMessage" => {
                    return n.params["message"].as_str().unwrap_or_default().to_string();
                }
                Some(_) => {}
                None => panic!("the server closed its output"),
            }
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<lsp::Diagnostic> {
        loop {
            match Message::read(&mut self.stdout).expect("read from the server") {
                Some(Message::Notification(n)) if n.method == "textDocument/publishDiagnostics" => {
                    let p: lsp::PublishDiagnosticsParams =
                        serde_json::from_value(n.params).expect("publishDiagnostics params");
                    if p.uri.as_str() == uri {
                        return p.diagnostics;
                    }
                }
                Some(Message::Notification(n)) if n.method == "window/showMessage" => {
                    panic!("the server reported an error: {}", n.params)
                }
                Some(_) => {}
                None => panic!("the server closed its output"),
            }
        }
    }
}

#[test]
fn scripted_session() {
    let dir = scratch("lsp");
    write(
        &dir,
        "Cargo.toml",
        "[package]\nname = \"svc\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nreqwest = \"0.12\"\n\n[workspace]\n",
    );
    let bad = "pub async fn f(urls: Vec<String>) {\n    for u in urls {\n        let c = reqwest::Client::new();\n        c.get(u).send().await.unwrap().text().await.unwrap();\n    }\n}\n";
    let main = write(&dir, "src/lib.rs", bad);
    let uri = format!("file://{}", main.display());
    let started = Instant::now();
    let (child, mut client, init) = Client::start(&["connlint", "server"], &dir);
    assert_eq!(
        init["capabilities"]["textDocumentSync"]["save"],
        json!(true),
        "{init}"
    );
    assert_eq!(init["serverInfo"]["name"], json!("connlint"));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "rust", "version": 1, "text": bad}}),
    );
    let found = client.diagnostics(&uri);
    assert_eq!(found.len(), 1, "{found:?}");
    let d = &found[0];
    assert_eq!(
        d.range,
        lsp::Range::new(lsp::Position::new(2, 16), lsp::Position::new(2, 38))
    );
    assert_eq!(
        d.code,
        Some(lsp::NumberOrString::String("client_in_loop".into()))
    );
    assert_eq!(d.source.as_deref(), Some("connlint"));
    assert_eq!(d.severity, Some(lsp::DiagnosticSeverity::WARNING));
    assert!(
        d.related_information
            .as_ref()
            .is_some_and(|r| r[0].message.contains("loop"))
    );

    let actions = client.request(
        2,
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": d.range, "context": {"diagnostics": [d]}}),
    );
    let actions: Vec<lsp::CodeAction> = serde_json::from_value(actions).expect("code actions");
    assert_eq!(actions.len(), 1, "{actions:?}");
    let fix = &actions[0];
    assert_eq!(fix.kind, Some(lsp::CodeActionKind::QUICKFIX));
    assert_eq!(fix.is_preferred, Some(true), "a machine-applicable hoist");
    let edits = fix
        .edit
        .as_ref()
        .and_then(|e| e.changes.as_ref())
        .and_then(|c| c.values().next())
        .cloned()
        .unwrap_or_default();
    assert!(
        edits
            .iter()
            .any(|e| e.new_text.contains("let c = reqwest::Client::new();")),
        "{edits:?}"
    );
    // Nothing to fix elsewhere in the file.
    let none = client.request(
        3,
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": lsp::Range::new(lsp::Position::new(0, 0), lsp::Position::new(0, 3)), "context": {"diagnostics": []}}),
    );
    assert_eq!(none, json!([]));

    // The user fixes the code and saves: the finding goes away.
    write(
        &dir,
        "src/lib.rs",
        "pub async fn f(c: &reqwest::Client, urls: Vec<String>) {\n    for u in urls {\n        c.get(u).send().await.unwrap().text().await.unwrap();\n    }\n}\n",
    );
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(client.diagnostics(&uri), Vec::new());

    // A broken config is shown to the user, with its line; the server keeps serving.
    write(&dir, "connlint.toml", "[lints]\nclient_in_lop = \"deny\"\n");
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    let shown = client.shown_message();
    assert!(
        shown.contains("connlint.toml:2:1: unknown lint `client_in_lop`"),
        "{shown}"
    );
    std::fs::remove_file(dir.join("connlint.toml")).expect("remove the config");
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(client.diagnostics(&uri), Vec::new());

    client.stop(child);
    assert!(started.elapsed() < Duration::from_secs(60));
}

/// Applies LSP text edits (ASCII text: UTF-16 columns are bytes).
fn apply_edits(text: &str, mut edits: Vec<lsp::TextEdit>) -> String {
    let offset = |p: lsp::Position| {
        let line: usize = text
            .split_inclusive('\n')
            .take(p.line as usize)
            .map(str::len)
            .sum();
        line + p.character as usize
    };
    edits.sort_by_key(|e| std::cmp::Reverse((e.range.start.line, e.range.start.character)));
    let mut out = text.to_string();
    for e in edits {
        out.replace_range(offset(e.range.start)..offset(e.range.end), &e.new_text);
    }
    out
}

/// The quick fixes the server marks preferred, applied together, give the
/// same file as `cargo connlint --fix`; a suppressed finding has neither a
/// diagnostic nor a fix, in the editor as on the command line.
#[test]
fn preferred_code_actions_match_fix() {
    let text = "pub async fn f(urls: Vec<String>) {\n    for u in urls {\n        let c = reqwest::Client::new(); // one per URL\n        c.get(u).send().await.unwrap().text().await.unwrap();\n    }\n}\n\npub async fn g(urls: Vec<String>) {\n    for u in urls {\n        // connlint: allow(client_in_loop) one per URL on purpose\n        let c = reqwest::Client::new();\n        c.get(u).send().await.unwrap().text().await.unwrap();\n    }\n}\n\n// connlint: allow(client_in_loop) stale\nfn h() {}\n";
    let manifest = "[package]\nname = \"svc\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\nreqwest = \"0.12\"\n\n[workspace]\n";
    let editor = scratch("lsp-actions");
    write(&editor, "Cargo.toml", manifest);
    let lib = write(&editor, "src/lib.rs", text);
    let cli = scratch("lsp-actions-cli");
    write(&cli, "Cargo.toml", manifest);
    let fixed = write(&cli, "src/lib.rs", text);
    let (code, _, err) = common::run(bin().current_dir(&cli).args(["--fix", "--allow-no-vcs"]));
    assert_eq!(code, 0, "{err}");
    let fixed = std::fs::read_to_string(fixed).expect("read the fixed file");
    assert_ne!(fixed, text, "--fix changed nothing: {err}");

    let uri = format!("file://{}", lib.display());
    let (child, mut client, _) = Client::start(&["server"], &editor);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "rust", "version": 1, "text": text}}),
    );
    let found = client.diagnostics(&uri);
    let mut codes: Vec<_> = found
        .iter()
        .map(|d| (d.range.start.line, d.code.clone()))
        .collect();
    codes.sort_by_key(|c| c.0);
    assert_eq!(
        codes,
        [
            (
                2,
                Some(lsp::NumberOrString::String("client_in_loop".into()))
            ),
            (
                15,
                Some(lsp::NumberOrString::String("unused_suppression".into()))
            )
        ],
        "{found:?}"
    );
    // The user takes every preferred quick fix and saves, until none is left
    // (`--fix` runs the same rounds: here the hoisted client of a public
    // function is then kept in a `static`).
    let mut current = text.to_string();
    let mut found = found;
    let mut id = 10;
    for _ in 0..4 {
        let mut edits = Vec::new();
        for d in &found {
            id += 1;
            let actions = client.request(
                id,
                "textDocument/codeAction",
                json!({"textDocument": {"uri": uri}, "range": d.range, "context": {"diagnostics": [d]}}),
            );
            let actions: Vec<lsp::CodeAction> =
                serde_json::from_value(actions).expect("code actions");
            let preferred: Vec<_> = actions
                .into_iter()
                .filter(|a| a.is_preferred == Some(true))
                .collect();
            assert!(preferred.len() <= 1, "{d:?}: {preferred:?}");
            let changes = preferred
                .first()
                .and_then(|a| a.edit.as_ref())
                .and_then(|e| e.changes.as_ref());
            for (target, list) in changes.into_iter().flatten() {
                assert_eq!(target.as_str(), uri);
                edits.extend(list.iter().cloned());
            }
        }
        if edits.is_empty() {
            break;
        }
        current = apply_edits(&current, edits);
        std::fs::write(&lib, &current).expect("save");
        client.notify(
            "textDocument/didSave",
            json!({"textDocument": {"uri": uri}}),
        );
        found = client.diagnostics(&uri);
    }
    assert_eq!(current, fixed);
    client.stop(child);
}
