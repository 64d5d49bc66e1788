//! BuildKit-shaped views of a parse, for comparing with BuildKit itself: the S-expression dump of
//! its parser test suite, and the JSON record of the shared corpus (`buildkit.jsonl`).

use super::tree::{Dockerfile, Instruction, Keyword};
use super::words::go_quote;
use serde_json::{Value, json};

/// BuildKit's `Node.Dump()` of the whole file: one `(cmd ["flags"] "arg" ...)` line per instruction.
pub fn sexp_dump(df: &Dockerfile) -> String {
    let mut out = String::new();
    for inst in &df.instructions {
        out.push('(');
        out.push_str(&node_dump(inst));
        out.push_str(")\n");
    }
    out
}

fn node_dump(inst: &Instruction) -> String {
    let mut s = inst.keyword_text.to_lowercase();
    if !inst.flags.is_empty() {
        let quoted: Vec<String> = inst.flags.iter().map(|f| go_quote(&f.text)).collect();
        s.push_str(&format!(" [{}]", quoted.join(" ")));
    }
    if let Some(inner) = &inst.inner {
        s.push_str(&format!(" ({})", node_dump(inner)));
        return s;
    }
    for value in chain_values(inst) {
        s.push(' ');
        s.push_str(&go_quote(&value));
    }
    s
}

/// BuildKit's node chain: ENV and LABEL carry a third item per pair, the separator (`=`, or
/// empty for the legacy `KEY value` form).
fn chain_values(inst: &Instruction) -> Vec<String> {
    if !matches!(inst.keyword, Keyword::Env | Keyword::Label) {
        return inst.values.clone();
    }
    let mut out = Vec::new();
    for pair in &inst.pairs {
        out.push(pair.key.clone());
        out.push(pair.value.clone().unwrap_or_default());
        out.push(if pair.equals { "=" } else { "" }.to_string());
    }
    out
}

/// The record `debug parse` prints, in the schema of the shared corpus's `buildkit.jsonl`.
pub fn buildkit_record(path: &str, df: &Dockerfile) -> Value {
    if let Some(err) = df.errors.first() {
        return json!({"path": path, "ok": false, "error": err.message});
    }
    let instructions: Vec<Value> = df
        .instructions
        .iter()
        .map(|inst| {
            let effective = inst.effective();
            let heredocs: Vec<Value> = if inst.inner.is_some() {
                Vec::new()
            } else {
                inst.heredocs
                    .iter()
                    .map(|h| json!({"name": h.name, "fd": h.fd, "content": h.content}))
                    .collect()
            };
            json!({
                "cmd": inst.keyword_text,
                "sub_cmd": inst.inner.as_ref().map(|i| i.keyword_text.clone()),
                "json": effective.json,
                "start_line": inst.start_line,
                "end_line": inst.end_line,
                "flags": inst.flags.iter().map(|f| f.text.clone()).collect::<Vec<_>>(),
                "value": effective.values,
                "heredocs": heredocs,
            })
        })
        .collect();
    json!({"path": path, "ok": true, "instructions": instructions})
}
