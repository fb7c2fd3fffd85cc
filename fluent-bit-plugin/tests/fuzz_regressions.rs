//! The `fluentbit_record` fuzz target's invariants (`fuzz/checks/fluentbit_record.rs`),
//! replayed in `cargo test`: on the inputs the fuzzer found
//! (`fuzz/regressions/fluentbit_record/`) and on Fluent Bit records built from every
//! conformance input, as `fuzz/smoke.sh` seeds the target.

use std::path::{Path, PathBuf};

#[path = "../../fuzz/checks/fluentbit_record.rs"]
mod check;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn redactor() -> hush::Redactor {
    hush::Redactor::builder().known_value(b"plum-Orbit-4471").build().unwrap()
}

/// A Fluent Bit record holding `text` as its `log` member.
fn record(text: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({ "log": text, "stream": "stdout", "n": 1 })).unwrap()
}

#[test]
fn regression_inputs() {
    let dir = root().join("fuzz/regressions/fluentbit_record");
    let entries: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
    assert!(!entries.is_empty(), "regression inputs missing");
    let r = redactor();
    for path in entries {
        check::check(&r, &std::fs::read(&path).unwrap());
    }
}

#[test]
fn conformance_inputs_as_records() {
    let r = redactor();
    let mut n = 0;
    for entry in std::fs::read_dir(root().join("testdata/conformance")).unwrap() {
        let cases: serde_json::Value = serde_json::from_slice(&std::fs::read(entry.unwrap().path()).unwrap()).unwrap();
        for case in cases.as_array().unwrap() {
            let Some(text) = case["input"].as_str() else { continue };
            // The whole input as one record, then each of its lines as a record of its own
            // (a PEM key printed line by line spans records).
            check::check(&r, &record(text));
            let lines: Vec<Vec<u8>> = text.split_inclusive('\n').map(record).collect();
            check::check(&r, &lines.join(&b'\n'));
            n += 1;
        }
    }
    assert!(n > 100, "only {n} conformance inputs found");
}
