//! `dlint server`: a language server over standard input and output.
//!
//! Synchronous, on one thread, with `lsp-server` (the transport rust-analyzer and ruff use) and
//! `lsp-types`: linting a Dockerfile takes milliseconds, so each message is handled to the end
//! before the next, and no request ever sees a half-applied change. Documents live in memory
//! as the editor sends them; the server never writes a file.

mod actions;
mod compose;
mod diagnostics;
mod document;
mod hover;
mod position;
mod workspace;

use document::Document;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, DiagnosticOptions,
    DiagnosticServerCapabilities, DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher,
    GlobPattern, HoverProviderCapability, InitializeParams, InitializeResult, Registration,
    RegistrationParams, SaveOptions, ServerCapabilities, ServerInfo, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Url, notification,
    request,
};
use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use workspace::Workspace;

type Error = Box<dyn std::error::Error + Send + Sync>;

/// Serve until the client says `exit`. Exit code 0 after `shutdown` then `exit`, 1 otherwise
/// (as LSP asks).
pub fn run() -> u8 {
    let (connection, io_threads) = Connection::stdio();
    let code = match serve(&connection) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("dlint server: {e}");
            1
        }
    };
    drop(connection);
    let _ = io_threads.join();
    code
}

/// What the client can do, as far as the server cares.
struct ClientSupport {
    /// `textDocument/diagnostic` (pull diagnostics).
    pull: bool,
    /// Whether to push diagnostics as well: always, unless the client pulls and asked for
    /// pull only (`initializationOptions: {"diagnosticMode": "pull"}`), so that a client doing
    /// both does not show each finding twice.
    push: bool,
    /// Watchers registered by the server (`workspace/didChangeWatchedFiles`).
    watch: bool,
}

impl ClientSupport {
    fn of(params: &InitializeParams) -> ClientSupport {
        let pull = params
            .capabilities
            .text_document
            .as_ref()
            .is_some_and(|t| t.diagnostic.is_some());
        let pull_only = params
            .initialization_options
            .as_ref()
            .and_then(|o| o.get("diagnosticMode"))
            .and_then(|m| m.as_str())
            == Some("pull");
        let watch = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        ClientSupport {
            pull,
            push: !(pull && pull_only),
            watch,
        }
    }
}

fn capabilities(client: &ClientSupport) -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![
                CodeActionKind::QUICKFIX,
                CodeActionKind::new(actions::FIX_ALL),
            ]),
            resolve_provider: Some(false),
            ..CodeActionOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        diagnostic_provider: client.pull.then(|| {
            DiagnosticServerCapabilities::Options(DiagnosticOptions {
                identifier: Some(diagnostics::SOURCE.to_string()),
                inter_file_dependencies: false,
                workspace_diagnostics: false,
                ..DiagnosticOptions::default()
            })
        }),
        ..ServerCapabilities::default()
    }
}

fn serve(connection: &Connection) -> Result<u8, Error> {
    let (id, params) = connection
        .initialize_start()
        .map_err(|e| format!("no `initialize` request from the client ({e})"))?;
    let params: InitializeParams = serde_json::from_value(params)?;
    let client = ClientSupport::of(&params);
    let result = InitializeResult {
        capabilities: capabilities(&client),
        server_info: Some(ServerInfo {
            name: "dlint".to_string(),
            version: Some(env!("DLINT_VERSION").to_string()),
        }),
    };
    connection.initialize_finish(id, serde_json::to_value(result)?)?;
    let mut server = Server {
        sender: connection.sender.clone(),
        client,
        documents: HashMap::new(),
        workspace: Workspace::new(),
    };
    server.register_watchers();
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request)? {
                    return Ok(0);
                }
                server.on_request(request);
            }
            Message::Notification(n) if n.method == notification::Exit::METHOD => return Ok(1),
            Message::Notification(n) => server.on_notification(n),
            Message::Response(_) => {}
        }
    }
    // The client closed the connection without `shutdown` and `exit`.
    Ok(1)
}

struct Server {
    sender: crossbeam_channel::Sender<Message>,
    client: ClientSupport,
    documents: HashMap<Url, Document>,
    workspace: Workspace,
}

impl Server {
    fn send(&self, message: Message) {
        // The connection is gone only when the client left; the loop ends then.
        let _ = self.sender.send(message);
    }

    fn notify<N: lsp_types::notification::Notification>(&self, params: N::Params) {
        self.send(Message::Notification(Notification::new(
            N::METHOD.to_string(),
            params,
        )));
    }

    fn log(&self, message: String) {
        self.notify::<notification::LogMessage>(lsp_types::LogMessageParams {
            typ: lsp_types::MessageType::ERROR,
            message,
        });
    }

    /// Ask the client to tell about changes of configuration and ignore files.
    fn register_watchers(&mut self) {
        if !self.client.watch {
            return;
        }
        let watchers = [
            "**/dlint.toml",
            "**/.hadolint.yaml",
            "**/.hadolint.yml",
            "**/.dockerignore",
            "**/*.dockerignore",
        ]
        .into_iter()
        .map(|glob| FileSystemWatcher {
            glob_pattern: GlobPattern::String(glob.to_string()),
            kind: None,
        })
        .collect();
        let options = DidChangeWatchedFilesRegistrationOptions { watchers };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "dlint-watched-files".to_string(),
                method: notification::DidChangeWatchedFiles::METHOD.to_string(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.send(Message::Request(Request::new(
            RequestId::from("dlint-register-watchers".to_string()),
            request::RegisterCapability::METHOD.to_string(),
            params,
        )));
    }

    /// Lint a document (if its last lint is stale) and push its diagnostics.
    fn lint_and_publish(&mut self, uri: &Url) {
        let Some(document) = self.documents.get(uri) else {
            return;
        };
        let linted = diagnostics::lint(document, &mut self.workspace);
        let items = diagnostics::all_to_lsp(&linted, document);
        for problem in &linted.problems {
            if problem.code == "internal-error" {
                self.log(format!("{uri}: {}", problem.message));
            }
        }
        let version = document.version;
        if let Some(document) = self.documents.get_mut(uri) {
            document.findings = Some(linted.findings);
        }
        if self.client.push {
            self.notify::<notification::PublishDiagnostics>(lsp_types::PublishDiagnosticsParams {
                uri: uri.clone(),
                diagnostics: items,
                version: Some(version),
            });
        }
    }

    fn relint_all(&mut self) {
        let uris: Vec<Url> = self.documents.keys().cloned().collect();
        for uri in uris {
            self.lint_and_publish(&uri);
        }
    }

    /// The document's findings, linting it first if it changed since.
    fn findings(&mut self, uri: &Url) -> Option<Vec<crate::diagnostic::Diagnostic>> {
        let document = self.documents.get(uri)?;
        if let Some(findings) = &document.findings {
            return Some(findings.clone());
        }
        let findings = diagnostics::lint(document, &mut self.workspace).findings;
        if let Some(document) = self.documents.get_mut(uri) {
            document.findings = Some(findings.clone());
        }
        Some(findings)
    }

    fn on_notification(&mut self, n: Notification) {
        let method = n.method.clone();
        let handled = catch_unwind(AssertUnwindSafe(|| self.handle_notification(n)));
        if handled.is_err() {
            self.log(format!(
                "dlint server: internal error handling {method}; still running"
            ));
        }
    }

    fn handle_notification(&mut self, n: Notification) {
        match n.method.as_str() {
            notification::DidOpenTextDocument::METHOD => {
                let Ok(params) =
                    serde_json::from_value::<lsp_types::DidOpenTextDocumentParams>(n.params)
                else {
                    return;
                };
                let item = params.text_document;
                let uri = item.uri.clone();
                if let Some(document) =
                    Document::open(item.uri, &item.language_id, item.version, item.text)
                {
                    self.documents.insert(uri.clone(), document);
                    self.lint_and_publish(&uri);
                }
            }
            notification::DidChangeTextDocument::METHOD => {
                let Ok(params) =
                    serde_json::from_value::<lsp_types::DidChangeTextDocumentParams>(n.params)
                else {
                    return;
                };
                let uri = params.text_document.uri;
                let Some(document) = self.documents.get_mut(&uri) else {
                    return;
                };
                for change in params.content_changes {
                    position::apply_change(&mut document.text, change);
                }
                document.version = params.text_document.version;
                document.findings = None;
                self.lint_and_publish(&uri);
            }
            notification::DidSaveTextDocument::METHOD => {
                // The context may have changed on disk (new files): list it again.
                self.workspace.forget_contexts();
                self.relint_all();
            }
            notification::DidCloseTextDocument::METHOD => {
                let Ok(params) =
                    serde_json::from_value::<lsp_types::DidCloseTextDocumentParams>(n.params)
                else {
                    return;
                };
                let uri = params.text_document.uri;
                if self.documents.remove(&uri).is_some() && self.client.push {
                    self.notify::<notification::PublishDiagnostics>(
                        lsp_types::PublishDiagnosticsParams {
                            uri,
                            diagnostics: Vec::new(),
                            version: None,
                        },
                    );
                }
            }
            notification::DidChangeWatchedFiles::METHOD => {
                self.workspace.reload();
                self.relint_all();
            }
            _ => {}
        }
    }

    fn on_request(&mut self, request: Request) {
        let id = request.id.clone();
        let method = request.method.clone();
        let response = match catch_unwind(AssertUnwindSafe(|| self.handle_request(request))) {
            Ok(response) => response,
            Err(_) => {
                self.log(format!(
                    "dlint server: internal error answering {method}; still running"
                ));
                Response::new_err(
                    id,
                    ErrorCode::InternalError as i32,
                    format!("dlint crashed answering {method}"),
                )
            }
        };
        self.send(Message::Response(response));
    }

    fn handle_request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let ok = |value: serde_json::Value| Response::new_ok(id.clone(), value);
        let bad_params = |e: serde_json::Error| {
            Response::new_err(id.clone(), ErrorCode::InvalidParams as i32, e.to_string())
        };
        match request.method.as_str() {
            request::CodeActionRequest::METHOD => {
                let params: lsp_types::CodeActionParams =
                    match serde_json::from_value(request.params) {
                        Ok(p) => p,
                        Err(e) => return bad_params(e),
                    };
                let uri = params.text_document.uri.clone();
                let Some(findings) = self.findings(&uri) else {
                    return ok(serde_json::Value::Null);
                };
                let document = &self.documents[&uri];
                let actions =
                    actions::code_actions(document, &findings, &mut self.workspace, &params);
                ok(serde_json::to_value(actions).unwrap_or_default())
            }
            request::HoverRequest::METHOD => {
                let params: lsp_types::HoverParams = match serde_json::from_value(request.params) {
                    Ok(p) => p,
                    Err(e) => return bad_params(e),
                };
                let uri = params
                    .text_document_position_params
                    .text_document
                    .uri
                    .clone();
                let Some(findings) = self.findings(&uri) else {
                    return ok(serde_json::Value::Null);
                };
                let document = &self.documents[&uri];
                let position = params.text_document_position_params.position;
                ok(
                    serde_json::to_value(hover::hover(document, &findings, position))
                        .unwrap_or_default(),
                )
            }
            request::DocumentDiagnosticRequest::METHOD => {
                let params: lsp_types::DocumentDiagnosticParams =
                    match serde_json::from_value(request.params) {
                        Ok(p) => p,
                        Err(e) => return bad_params(e),
                    };
                // Linted afresh: the answer includes configuration problems too.
                let items = match self.documents.get(&params.text_document.uri) {
                    Some(document) => {
                        let linted = diagnostics::lint(document, &mut self.workspace);
                        diagnostics::all_to_lsp(&linted, document)
                    }
                    None => Vec::new(),
                };
                let report = lsp_types::DocumentDiagnosticReportResult::Report(
                    lsp_types::DocumentDiagnosticReport::Full(
                        lsp_types::RelatedFullDocumentDiagnosticReport {
                            related_documents: None,
                            full_document_diagnostic_report:
                                lsp_types::FullDocumentDiagnosticReport {
                                    result_id: None,
                                    items,
                                },
                        },
                    ),
                );
                ok(serde_json::to_value(report).unwrap_or_default())
            }
            _ => Response::new_err(
                id.clone(),
                ErrorCode::MethodNotFound as i32,
                format!("dlint server does not handle {}", request.method),
            ),
        }
    }
}
