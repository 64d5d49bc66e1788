//! `dlint server` driven as an editor drives it: the real binary, JSON-RPC over its standard
//! input and output. Positions are checked in UTF-16 columns; edits the server offers are
//! applied here (with this file's own UTF-16 arithmetic) and compared with `dlint fix`.

mod common;
use common::{dlint_with_stdin, project};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

/// Long enough for a loaded machine; only to keep a broken server from hanging the tests.
const PATIENCE: Duration = Duration::from_secs(60);

struct Client {
    child: Child,
    stdin: ChildStdin,
    incoming: Receiver<Value>,
    /// Notifications read while waiting for something else.
    pending: Vec<Value>,
    next_id: i64,
}

fn read_message(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Client {
    fn start(dir: &Path, env: &[(&str, &str)], capabilities: Value) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_dlint"))
            .arg("server")
            .current_dir(dir)
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("dlint server starts");
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (tx, incoming) = channel();
        std::thread::spawn(move || {
            while let Some(message) = read_message(&mut stdout) {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        let mut client = Client {
            child,
            stdin,
            incoming,
            pending: Vec::new(),
            next_id: 0,
        };
        let result = client.request(
            "initialize",
            json!({"processId": null, "rootUri": null, "capabilities": capabilities}),
        );
        assert_eq!(result["serverInfo"]["name"], "dlint");
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: Value) {
        let body = serde_json::to_vec(&message).unwrap();
        write!(self.stdin, "Content-Length: {}\r\n\r\n", body.len()).unwrap();
        self.stdin.write_all(&body).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next message from the server; requests from the server are answered with null.
    fn receive(&mut self) -> Value {
        loop {
            let message = match self.incoming.recv_timeout(PATIENCE) {
                Ok(m) => m,
                Err(RecvTimeoutError::Timeout) => panic!("the server said nothing"),
                Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
            };
            if message.get("method").is_some() && message.get("id").is_some() {
                let id = message["id"].clone();
                self.send(json!({"jsonrpc": "2.0", "id": id, "result": null}));
                continue;
            }
            return message;
        }
    }

    fn request_full(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.receive();
            if message["id"] == id {
                return message;
            }
            self.pending.push(message);
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        let response = self.request_full(method, params);
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    /// The next `publishDiagnostics` for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Value {
        if let Some(i) = self.pending.iter().position(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        }) {
            return self.pending.remove(i)["params"].clone();
        }
        loop {
            let message = self.receive();
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
            {
                return message["params"].clone();
            }
            self.pending.push(message);
        }
    }

    fn open(&mut self, uri: &str, text: &str) -> Value {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "dockerfile", "version": 1, "text": text}}),
        );
        self.diagnostics(uri)
    }

    fn code_actions(&mut self, uri: &str, range: Value, only: Option<&[&str]>) -> Vec<Value> {
        let mut context = json!({"diagnostics": []});
        if let Some(only) = only {
            context["only"] = json!(only);
        }
        let result = self.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": uri}, "range": range, "context": context}),
        );
        result.as_array().cloned().unwrap_or_default()
    }

    /// `shutdown`, `exit`, and the exit code.
    fn finish(mut self) -> i32 {
        let result = self.request("shutdown", Value::Null);
        assert_eq!(result, Value::Null);
        self.notify("exit", Value::Null);
        self.child.wait().unwrap().code().unwrap_or(-1)
    }
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The byte offset of an LSP position (UTF-16 columns), computed independently of the server.
fn offset(text: &str, position: &Value) -> usize {
    let line = position["line"].as_u64().unwrap() as usize;
    let character = position["character"].as_u64().unwrap() as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (i, c) in text[start..].char_indices() {
        if units >= character || c == '\n' {
            return start + i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// Apply a WorkspaceEdit's edits for `uri` to `text`.
fn apply(text: &str, edit: &Value, uri: &str) -> String {
    let mut edits: Vec<(usize, usize, String)> = edit["changes"][uri]
        .as_array()
        .expect("edits for the document")
        .iter()
        .map(|e| {
            (
                offset(text, &e["range"]["start"]),
                offset(text, &e["range"]["end"]),
                e["newText"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_string();
    for (start, end, new) in edits {
        out.replace_range(start..end, &new);
    }
    out
}

/// What `dlint fix` makes of `text` as the file `name` in `dir`.
fn dlint_fix(dir: &Path, name: &str, text: &str) -> String {
    dlint_with_stdin(dir, &["fix", "--stdin-filename", name, "-"], text).stdout
}

fn codes(diagnostics: &Value) -> Vec<String> {
    diagnostics["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect()
}

fn find<'a>(diagnostics: &'a Value, code: &str) -> &'a Value {
    diagnostics["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {diagnostics}"))
}

const NON_ASCII: &str = "FROM python:3.12\nRUN echo \"héllo 😀\" && pip install --no-cache-dir flask==3.0.3\nENV PIP_NO_CACHE_DIR=1\n";

#[test]
fn a_session_diagnostics_quick_fix_fix_all_change_hover_and_exit() {
    let p = project(&[("app/Dockerfile", NON_ASCII)]);
    let path = p.path().join("app/Dockerfile");
    let uri = file_uri(&path);
    let mut client = Client::start(p.path(), &[], json!({}));

    // Diagnostics on open, with UTF-16 columns: "😀" counts 2, "é" 1.
    let published = client.open(&uri, NON_ASCII);
    assert_eq!(published["version"], 1);
    assert_eq!(codes(&published), ["DC001", "DC002"]);
    let dc001 = find(&published, "DC001");
    assert_eq!(
        dc001["range"],
        json!({"start": {"line": 1, "character": 35}, "end": {"line": 1, "character": 49}})
    );
    let flagged = &NON_ASCII
        [offset(NON_ASCII, &dc001["range"]["start"])..offset(NON_ASCII, &dc001["range"]["end"])];
    assert_eq!(flagged, "--no-cache-dir");
    assert_eq!(dc001["severity"], 2);
    assert_eq!(dc001["source"], "dlint");
    assert_eq!(
        dc001["codeDescription"]["href"],
        dlint::rules::doc_url("DC001").as_str()
    );

    // A quick fix per fixable finding; applied, it is what `dlint fix` does to this finding.
    let actions = client.code_actions(&uri, dc001["range"].clone(), Some(&["quickfix"]));
    let fix = actions
        .iter()
        .find(|a| a["title"].as_str().unwrap().starts_with("Fix DC001"))
        .expect("a quick fix for DC001");
    assert_eq!(fix["kind"], "quickfix");
    assert_eq!(fix["isPreferred"], true);
    let fixed = apply(NON_ASCII, &fix["edit"], &uri);
    assert_eq!(
        fixed,
        "FROM python:3.12\nRUN --mount=type=cache,target=/root/.cache/pip echo \"héllo 😀\" && pip install flask==3.0.3\nENV PIP_NO_CACHE_DIR=1\n"
    );
    assert_eq!(fixed, dlint_fix(p.path(), "app/Dockerfile", NON_ASCII));
    // The unsafe fix says so, and is not preferred.
    let dc002 = find(&published, "DC002");
    let actions = client.code_actions(&uri, dc002["range"].clone(), Some(&["quickfix"]));
    let unsafe_fix = actions
        .iter()
        .find(|a| {
            a["title"]
                .as_str()
                .unwrap()
                .starts_with("Fix DC002 (unsafe)")
        })
        .expect("an unsafe quick fix for DC002");
    assert_eq!(unsafe_fix["isPreferred"], false);

    // Fix-all equals `dlint fix`.
    let whole = json!({"start": {"line": 0, "character": 0}, "end": {"line": 3, "character": 0}});
    let actions = client.code_actions(&uri, whole.clone(), Some(&["source.fixAll"]));
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["kind"], "source.fixAll.dlint");
    let all_fixed = apply(NON_ASCII, &actions[0]["edit"], &uri);
    assert_eq!(all_fixed, dlint_fix(p.path(), "app/Dockerfile", NON_ASCII));

    // An incremental change: the edit applied, diagnostics for the new version.
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"range": dc001["range"], "text": ""}]
        }),
    );
    let published = client.diagnostics(&uri);
    assert_eq!(published["version"], 2);
    assert_eq!(codes(&published), ["DC004", "DC002"]);

    // Hover: the rule's page on a finding, help on a keyword.
    let dc002 = find(&published, "DC002");
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": dc002["range"]["start"]}),
    );
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("**DC002**"), "{shown}");
    assert!(
        shown.contains(
            dlint::rules::registry()
                .iter()
                .find(|r| r.meta().code == "DC002")
                .unwrap()
                .doc()
                .lines()
                .next()
                .unwrap()
        ),
        "{shown}"
    );
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 2}}),
    );
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("FROM [--platform"),
        "{hover}"
    );
    assert_eq!(hover["range"]["end"], json!({"line": 0, "character": 4}));

    assert_eq!(client.finish(), 0);
    // Unsaved text is never written.
    assert_eq!(std::fs::read_to_string(&path).unwrap(), NON_ASCII);
    assert!(!p.path().join("app/.dockerignore").exists());
}

#[test]
fn ignore_this_rule_here_silences_the_finding() {
    let p = project(&[]);
    let uri = file_uri(&p.path().join("Dockerfile"));
    let text = "FROM python:3.12\n  RUN pip install --no-cache-dir flask==3.0.3\n";
    let mut client = Client::start(p.path(), &[], json!({}));
    let published = client.open(&uri, text);
    let dc001 = find(&published, "DC001");
    let actions = client.code_actions(&uri, dc001["range"].clone(), None);
    let ignore = actions
        .iter()
        .find(|a| a["title"] == "Ignore DC001 for this instruction")
        .expect("an ignore action");
    let ignored = apply(text, &ignore["edit"], &uri);
    assert_eq!(
        ignored,
        "FROM python:3.12\n  # dlint ignore=DC001\n  RUN pip install --no-cache-dir flask==3.0.3\n"
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": ignored}]}),
    );
    assert_eq!(codes(&client.diagnostics(&uri)), Vec::<String>::new());
    assert_eq!(client.finish(), 0);
}

#[test]
fn broken_text_and_a_panicking_rule_leave_the_server_up() {
    let p = project(&[]);
    let mut client = Client::start(
        p.path(),
        &[("DLINT_SERVER_TEST_PANIC", "BOOM-7f3a")],
        json!({}),
    );
    let broken = file_uri(&p.path().join("broken.Dockerfile"));
    let published = client.open(
        &broken,
        "FROM a\nENV PATH\nRUN <<EOF\n\u{0}\u{1}garbage \\\n",
    );
    assert!(
        codes(&published).contains(&"DL1000".to_string()),
        "{published}"
    );

    let crashing = file_uri(&p.path().join("crash.Dockerfile"));
    let published = client.open(&crashing, "FROM a\n# BOOM-7f3a\n");
    assert_eq!(codes(&published), ["internal-error"]);
    assert!(
        find(&published, "internal-error")["message"]
            .as_str()
            .unwrap()
            .contains("bug in dlint")
    );

    let fine = file_uri(&p.path().join("Dockerfile"));
    let published = client.open(&fine, "FROM alpine:3.20\nENV HOME\n");
    assert_eq!(codes(&published), ["DL1000"]);
    assert_eq!(client.finish(), 0);
}

#[test]
fn configuration_per_document_reloaded_when_it_changes() {
    let p = project(&[("svc/dlint.toml", "ignore = [\"DC001\"]\n")]);
    let uri = file_uri(&p.path().join("svc/Dockerfile"));
    let text = "FROM python:3.12\nRUN pip install --no-cache-dir flask==3.0.3\n";
    let capabilities =
        json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    let mut client = Client::start(p.path(), &[], capabilities);
    assert_eq!(codes(&client.open(&uri, text)), Vec::<String>::new());
    std::fs::write(p.path().join("svc/dlint.toml"), "select = [\"DC001\"]\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&p.path().join("svc/dlint.toml")), "type": 2}]}),
    );
    assert_eq!(codes(&client.diagnostics(&uri)), ["DC001"]);
    // A configuration that does not load is shown, not a crash.
    std::fs::write(p.path().join("svc/dlint.toml"), "selectt = 1\n").unwrap();
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&p.path().join("svc/dlint.toml")), "type": 2}]}),
    );
    assert_eq!(codes(&client.diagnostics(&uri)), ["invalid-configuration"]);
    assert_eq!(client.finish(), 0);
}

#[test]
fn the_build_context_is_the_documents_directory() {
    let p = project(&[("app/present.txt", "x")]);
    let uri = file_uri(&p.path().join("app/Dockerfile"));
    let mut client = Client::start(p.path(), &[], json!({}));
    let published = client.open(
        &uri,
        "FROM alpine:3.20\nCOPY present.txt missing.txt /srv/\n",
    );
    assert_eq!(codes(&published), ["DC009"]);
    assert!(
        find(&published, "DC009")["message"]
            .as_str()
            .unwrap()
            .contains("missing.txt")
    );
    assert_eq!(client.finish(), 0);
}

#[test]
fn pull_diagnostics_when_the_client_supports_them() {
    let p = project(&[]);
    let uri = file_uri(&p.path().join("Dockerfile"));
    let capabilities = json!({"textDocument": {"diagnostic": {"dynamicRegistration": false}}});
    let mut client = Client::start(p.path(), &[], capabilities);
    client.open(&uri, "FROM alpine:3.20\nENV HOME\n");
    let report = client.request(
        "textDocument/diagnostic",
        json!({"textDocument": {"uri": uri}}),
    );
    assert_eq!(report["kind"], "full");
    assert_eq!(report["items"][0]["code"], "DL1000");
    assert_eq!(client.finish(), 0);
}

#[test]
fn compose_files_show_their_inline_dockerfiles_findings() {
    let p = project(&[]);
    let uri = file_uri(&p.path().join("compose.yaml"));
    let text = "services:\n  web:\n    build:\n      context: .\n      dockerfile_inline: |\n        FROM alpine:3.20\n        ENV HOME\n";
    let mut client = Client::start(p.path(), &[], json!({}));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
    );
    let published = client.diagnostics(&uri);
    let dl1000 = find(&published, "DL1000");
    assert_eq!(dl1000["range"]["start"], json!({"line": 6, "character": 8}));
    assert_eq!(client.finish(), 0);
}

#[test]
fn exit_without_shutdown_is_exit_code_1() {
    let p = project(&[]);
    let mut client = Client::start(p.path(), &[], json!({}));
    client.notify("exit", Value::Null);
    assert_eq!(client.child.wait().unwrap().code(), Some(1));
}

#[test]
fn shellcheck_findings_show_with_their_wiki_page() {
    if dlint::rules::shell::runner::program().is_none() {
        common::notice("shellcheck not installed, the server's SC findings are not tested");
        return;
    }
    let p = project(&[]);
    let uri = file_uri(&p.path().join("Dockerfile"));
    let mut client = Client::start(p.path(), &[], json!({}));
    let published = client.open(&uri, "FROM alpine:3.20\nRUN echo $undefined_name\n");
    let sc2154 = find(&published, "SC2154");
    assert_eq!(sc2154["range"]["start"], json!({"line": 1, "character": 9}));
    assert_eq!(
        sc2154["codeDescription"]["href"],
        "https://www.shellcheck.net/wiki/SC2154"
    );
    assert_eq!(client.finish(), 0);
}
