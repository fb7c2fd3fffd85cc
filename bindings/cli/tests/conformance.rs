//! The conformance corpus (`testdata/conformance/*.json`) through the `hush` filter.
//!
//! Options map to CLI flags: `mask` → `--mask`, `known` → a temp `--known-file` (one value
//! per line), `hash_key` → a temp `--hash-key-file`, `config` → a temp `--config`, and
//! `json: true` → `--json-lines` (for single-line documents; multi-line JSON cases are
//! skipped, since the filter reads JSON one line at a time).
//!
//! Known values from a file are named after the file (`known:file:known.txt`), not
//! `known:api:N` as through the API; with the `label` mask the expected text is
//! translated accordingly. Everything else must match byte for byte.

#[path = "../../../testdata/cases.rs"]
mod cases;
mod common;

use cases::{Case, load_cases};
use common::hush;
use serde_json::Value;

const KNOWN_FILE: &str = "known.txt";

/// `known:api:N` → the rule id of a value read from the known file.
fn translate_known_ids(expected: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(expected);
    let re = regex::Regex::new(r"known:api:\d+").unwrap();
    re.replace_all(&text, format!("known:file:{KNOWN_FILE}").as_str()).into_owned().into_bytes()
}

/// Runs one case through the CLI; `None` when the case cannot be expressed as a filter run.
fn run_case(case: &Case) -> Option<(Vec<u8>, Vec<u8>)> {
    let o = &case.options;
    let json = o.get("json").and_then(Value::as_bool).unwrap_or(false);
    let body = case.input.strip_suffix(b"\n").unwrap_or(&case.input);
    if json && body.contains(&b'\n') {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = hush();
    if json {
        cmd.arg("--json-lines");
    }
    if let Some(mask) = o.get("mask").and_then(Value::as_str) {
        cmd.args(["--mask", mask]);
    }
    let mut expected = case.expected.clone();
    if let Some(values) = o.get("known").and_then(Value::as_array) {
        let lines: Vec<&str> = values.iter().map(|v| v.as_str().unwrap()).collect();
        let path = dir.path().join(KNOWN_FILE);
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        cmd.arg("--known-file").arg(path);
        expected = translate_known_ids(&expected);
    }
    if let Some(key) = o.get("hash_key").and_then(Value::as_str) {
        let path = dir.path().join("hash.key");
        std::fs::write(&path, key).unwrap();
        cmd.arg("--hash-key-file").arg(path);
    }
    if let Some(config) = o.get("config").and_then(Value::as_str) {
        let path = dir.path().join("hush.toml");
        std::fs::write(&path, config).unwrap();
        cmd.arg("--config").arg(path);
    }
    let out = cmd.write_stdin(case.input.clone()).output().unwrap();
    assert!(
        out.status.success(),
        "{} ({}): hush exited with {:?}: {}",
        case.name,
        case.file,
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    Some((out.stdout, expected))
}

#[test]
fn corpus_through_the_cli_filter() {
    let cases = load_cases();
    assert!(!cases.is_empty(), "empty conformance corpus");
    let mut failures = Vec::new();
    let mut ran = 0;
    for case in &cases {
        let Some((got, expected)) = run_case(case) else {
            continue;
        };
        ran += 1;
        if got != expected {
            failures.push(format!(
                "{} ({})\n  expected: {:?}\n  got:      {:?}",
                case.name,
                case.file,
                String::from_utf8_lossy(&expected),
                String::from_utf8_lossy(&got)
            ));
        }
    }
    assert!(ran * 10 >= cases.len() * 9, "only {ran} of {} cases could run through the CLI", cases.len());
    assert!(failures.is_empty(), "{} of {ran} cases fail through the CLI:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn known_ids_are_translated_only_in_rule_labels() {
    assert_eq!(translate_known_ids(b"a [REDACTED:known:api:12] b"), b"a [REDACTED:known:file:known.txt] b");
    assert_eq!(translate_known_ids(b"known:apis"), b"known:apis");
}
