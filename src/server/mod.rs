//! `cargo connlint server`: a language server over stdio (`lsp-server`,
//! the crate rust-analyzer uses). It checks the workspace of a file when the
//! file is opened or saved, publishes the findings of every file of that
//! workspace (and clears the files that no longer have any), and answers
//! `textDocument/codeAction` with the suggestions as quick fixes.
//!
//! The findings come from an [`engine::Engine`]: [`engine::FullRun`]
//! analyses the workspace again on each event; an incremental cache plugs
//! in as another engine without changing the protocol side.

pub mod convert;
pub mod engine;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use lsp_types::notification::{self as notif, Notification as _};
use lsp_types::request::{self as req, Request as _};

use convert::Published;
use engine::Engine;

/// What the server has published, per workspace root and file.
#[derive(Default)]
struct State {
    /// Files with findings, per workspace root (to clear them on the next run).
    /// (URIs as strings: `lsp::Uri` caches its parse and cannot be a map key.)
    published: BTreeMap<PathBuf, BTreeSet<String>>,
    findings: BTreeMap<String, Vec<Published>>,
    /// Files saved since the last check.
    saved: Vec<PathBuf>,
}

pub fn capabilities() -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::NONE),
                save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                ..lsp::TextDocumentSyncOptions::default()
            },
        )),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX]),
                ..lsp::CodeActionOptions::default()
            },
        )),
        ..lsp::ServerCapabilities::default()
    }
}

/// Serves LSP on stdin and stdout until the client says `exit`.
pub fn run_stdio(engine: &mut dyn Engine) -> Result<()> {
    let (connection, io_threads) = Connection::stdio();
    serve(&connection, engine)?;
    drop(connection);
    io_threads
        .join()
        .context("the LSP reader or writer thread failed")?;
    Ok(())
}

/// The protocol: initialize, then requests and notifications until shutdown.
pub fn serve(connection: &Connection, engine: &mut dyn Engine) -> Result<()> {
    let info = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": {"name": "connlint", "version": env!("CARGO_PKG_VERSION")},
    });
    let (id, _params) = connection
        .initialize_start()
        .context("the LSP client did not initialize")?;
    connection
        .initialize_finish(id, info)
        .context("cannot answer `initialize`")?;
    let mut state = State::default();
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request)? {
                    return Ok(());
                }
                let response = answer(&state, request);
                connection.sender.send(Message::Response(response))?;
            }
            Message::Notification(n) => {
                let Some((file, saved)) = checked_file(&n) else {
                    continue;
                };
                // Opening another file of a workspace checked since the last save
                // changes nothing: its findings are published already.
                let fresh = state.published.keys().any(|root| file.starts_with(root));
                if saved {
                    state.saved.push(file.clone());
                } else if fresh && state.saved.is_empty() {
                    continue;
                }
                check(connection, engine, &mut state, &file)?;
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

/// The file a notification asks to check, and whether it was saved (else opened).
fn checked_file(n: &Notification) -> Option<(PathBuf, bool)> {
    let (uri, saved) = match n.method.as_str() {
        notif::DidOpenTextDocument::METHOD => {
            let p = serde_json::from_value::<lsp::DidOpenTextDocumentParams>(n.params.clone());
            (p.ok()?.text_document.uri, false)
        }
        notif::DidSaveTextDocument::METHOD => {
            let p = serde_json::from_value::<lsp::DidSaveTextDocumentParams>(n.params.clone());
            (p.ok()?.text_document.uri, true)
        }
        _ => return None,
    };
    Some((convert::uri_to_path(&uri)?, saved))
}

fn send_notification<N: notif::Notification>(
    connection: &Connection,
    params: N::Params,
) -> Result<()> {
    let n = Notification::new(N::METHOD.to_string(), params);
    connection.sender.send(Message::Notification(n))?;
    Ok(())
}

/// Checks the workspace of `file` and publishes what changed.
fn check(
    connection: &Connection,
    engine: &mut dyn Engine,
    state: &mut State,
    file: &Path,
) -> Result<()> {
    // The saved files stay pending until a check succeeds (a cache must see them).
    let findings = match engine.check(file, &state.saved) {
        Ok(f) => {
            state.saved.clear();
            f
        }
        Err(e) => {
            // A broken config or manifest: say so, keep serving.
            let params = lsp::ShowMessageParams {
                typ: lsp::MessageType::ERROR,
                message: format!("connlint: {e:#}"),
            };
            return send_notification::<notif::ShowMessage>(connection, params);
        }
    };
    let mut now: BTreeMap<String, (lsp::Uri, Vec<Published>)> = BTreeMap::new();
    for d in &findings.diagnostics {
        if let Some((uri, published)) = convert::diagnostic(d, &findings.files) {
            now.entry(uri.as_str().to_string())
                .or_insert_with(|| (uri, Vec::new()))
                .1
                .push(published);
        }
    }
    let before = state.published.remove(&findings.root).unwrap_or_default();
    for key in before.iter().filter(|u| !now.contains_key(*u)) {
        state.findings.remove(key);
        if let Ok(uri) = key.parse::<lsp::Uri>() {
            publish(connection, uri, Vec::new())?;
        }
    }
    let mut files = BTreeSet::new();
    for (key, (uri, list)) in now {
        publish(
            connection,
            uri,
            list.iter().map(|p| p.diagnostic.clone()).collect(),
        )?;
        files.insert(key.clone());
        state.findings.insert(key, list);
    }
    // The file itself, even when it has no finding, so the client knows it was checked.
    if let Some(uri) = convert::path_to_uri(file)
        .filter(|u| !files.contains(u.as_str()) && !before.contains(u.as_str()))
    {
        publish(connection, uri, Vec::new())?;
    }
    state.published.insert(findings.root, files);
    Ok(())
}

fn publish(
    connection: &Connection,
    uri: lsp::Uri,
    diagnostics: Vec<lsp::Diagnostic>,
) -> Result<()> {
    let params = lsp::PublishDiagnosticsParams::new(uri, diagnostics, None);
    send_notification::<notif::PublishDiagnostics>(connection, params)
}

fn overlaps(a: &lsp::Range, b: &lsp::Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// Answers a request: code actions; anything else is "method not found".
fn answer(state: &State, request: Request) -> Response {
    let id: RequestId = request.id.clone();
    if request.method != req::CodeActionRequest::METHOD {
        return Response::new_err(
            id,
            lsp_server::ErrorCode::MethodNotFound as i32,
            format!("connlint does not answer `{}`", request.method),
        );
    }
    let params: lsp::CodeActionParams = match serde_json::from_value(request.params) {
        Ok(p) => p,
        Err(e) => {
            return Response::new_err(
                id,
                lsp_server::ErrorCode::InvalidParams as i32,
                format!("bad codeAction parameters: {e}"),
            );
        }
    };
    let actions: Vec<lsp::CodeActionOrCommand> = state
        .findings
        .get(params.text_document.uri.as_str())
        .into_iter()
        .flatten()
        .filter(|p| overlaps(&p.diagnostic.range, &params.range))
        .flat_map(|p| p.fixes.iter().cloned())
        .map(lsp::CodeActionOrCommand::CodeAction)
        .collect();
    Response::new_ok(id, actions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::Findings;

    /// An engine that answers from memory: how a cache plugs in.
    struct Canned(
        Vec<crate::diagnostic::Diagnostic>,
        Vec<crate::source::SourceFile>,
    );

    impl Engine for Canned {
        fn check(&mut self, _file: &Path, _saved: &[PathBuf]) -> Result<Findings> {
            Ok(Findings {
                root: PathBuf::from("/ws"),
                files: self.1.clone(),
                diagnostics: std::mem::take(&mut self.0),
            })
        }
    }

    fn next(client: &Connection) -> Option<Message> {
        client
            .receiver
            .recv_timeout(std::time::Duration::from_secs(10))
            .ok()
    }

    #[test]
    fn publishes_then_clears_in_memory() {
        use crate::diagnostic::{Diagnostic, Level};
        let file =
            crate::source::SourceFile::new("a.rs".into(), "/ws/a.rs".into(), "fn f() {}\n".into());
        let d = Diagnostic::new(
            "client_in_loop",
            Level::Warning,
            "built in a loop",
            0,
            3..4,
            "here",
        );
        let mut engine = Canned(vec![d], vec![file]);
        let (server, client) = Connection::memory();
        let thread =
            std::thread::spawn(move || serve(&server, &mut engine).map_err(|e| e.to_string()));
        let init = Request::new(
            RequestId::from(1),
            "initialize".into(),
            serde_json::json!({"capabilities": {}}),
        );
        let _ = client.sender.send(Message::Request(init));
        assert!(matches!(next(&client), Some(Message::Response(_))));
        let _ = client.sender.send(Message::Notification(Notification::new(
            "initialized".into(),
            serde_json::json!({}),
        )));
        let open = serde_json::json!({"textDocument": {"uri": "file:///ws/a.rs", "languageId": "rust", "version": 1, "text": ""}});
        for round in 0..2 {
            // Opened, then saved: a second open alone would change nothing.
            let method = ["textDocument/didOpen", "textDocument/didSave"][round];
            let _ = client.sender.send(Message::Notification(Notification::new(
                method.into(),
                open.clone(),
            )));
            let Some(Message::Notification(n)) = next(&client) else {
                panic!("no publishDiagnostics");
            };
            let p: lsp::PublishDiagnosticsParams =
                serde_json::from_value(n.params).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(p.uri.as_str(), "file:///ws/a.rs");
            assert_eq!(
                p.diagnostics.len(),
                1 - round,
                "the second run has nothing left"
            );
        }
        let _ = client.sender.send(Message::Request(Request::new(
            RequestId::from(2),
            "shutdown".into(),
            serde_json::json!(null),
        )));
        assert!(matches!(next(&client), Some(Message::Response(_))));
        let _ = client.sender.send(Message::Notification(Notification::new(
            "exit".into(),
            serde_json::json!(null),
        )));
        assert_eq!(thread.join().ok(), Some(Ok(())));
    }
}
