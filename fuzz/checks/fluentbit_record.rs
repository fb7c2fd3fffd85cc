//! Invariants of the Fluent Bit record path, shared by the `fluentbit_record` fuzz target
//! and the plugin's replay test (`fluent-bit-plugin/tests/fuzz_regressions.rs`).
//!
//! The input is split at `\n` into records of one tag, filtered in order by one
//! [`Filter`], as the `hush_filter` export does (PEM blocks are followed across records):
//! - nothing panics;
//! - a record that is a JSON object comes back unchanged, or as a NUL-terminated JSON
//!   object with the same member names (byte for byte, in the same order);
//! - a second pass (a fresh filter over the outputs, in order) changes nothing;
//! - anything else gets the documented fail-closed verdict: `{"hush_error":"invalid
//!   JSON", …}` with only numbers and booleans besides, counted as `invalid_json`; a record
//!   over the cap likewise gets `"record over the size cap"`.
//!
//! Failure messages name record indexes, never contents: an input may hold a secret.

use hush_fluent_bit::{Filter, Verdict};

/// The tag every record is filtered under.
pub const TAG: &[u8] = b"kube.var.log.containers.app";
/// The record size cap of the first pass (small, so the over-cap path is exercised too).
pub const CAP: usize = 2048;

/// Filters the records of `data` twice and asserts the invariants above.
pub fn check(redactor: &hush::Redactor, data: &[u8]) {
    let mut first = Filter::from_redactor(redactor.clone()).with_cap(CAP);
    let mut outputs: Vec<Vec<u8>> = Vec::new();
    for (i, record) in data.split(|&b| b == b'\n').enumerate() {
        let before = first.counters();
        let verdict = first.filter(TAG, Some(record));
        let after = first.counters();
        if record.len() > CAP {
            assert_error_record(&first, verdict, "record over the size cap", i);
            assert!(after.over_cap == before.over_cap + 1, "record {i}: over the cap but not counted");
            continue;
        }
        if !is_object(record) {
            assert_error_record(&first, verdict, "invalid JSON", i);
            assert!(after.invalid_json == before.invalid_json + 1, "record {i}: invalid but not counted");
            continue;
        }
        assert!(after.invalid_json == before.invalid_json, "record {i}: a JSON object was counted as invalid");
        let out = match verdict {
            Verdict::Unchanged => record.to_vec(),
            Verdict::Rewritten => rewritten(&first, i).to_vec(),
        };
        assert!(is_object(&out), "record {i}: the output is not a JSON object");
        assert!(member_names(&out) == member_names(record), "record {i}: member names changed");
        outputs.push(out);
    }
    // The second pass has no small cap: masks may have made an output longer than CAP.
    let mut second = Filter::from_redactor(redactor.clone());
    for (i, out) in outputs.iter().enumerate() {
        let again = match second.filter(TAG, Some(out)) {
            Verdict::Unchanged => out.as_slice(),
            Verdict::Rewritten => rewritten(&second, i),
        };
        assert!(again == out.as_slice(), "output {i}: a second pass changes it (not idempotent)");
    }
}

/// The filter's output without its NUL terminator, which must be its only NUL byte (the
/// host reads the output as a C string).
fn rewritten(f: &Filter, i: usize) -> &[u8] {
    let out = f.output();
    assert!(out.last() == Some(&0), "record {i}: output not NUL-terminated");
    let body = &out[..out.len() - 1];
    assert!(!body.contains(&0), "record {i}: NUL byte inside the output");
    body
}

/// `{"hush_error":"<reason>", …}` with nothing but numbers and booleans besides.
fn assert_error_record(f: &Filter, verdict: Verdict, reason: &str, i: usize) {
    assert!(verdict == Verdict::Rewritten, "record {i}: `{reason}` record passed unchanged");
    let body = rewritten(f, i);
    // Raw values: a kept number such as `8e900` is valid JSON but no f64.
    type Members = std::collections::BTreeMap<String, Box<serde_json::value::RawValue>>;
    let Ok(members) = serde_json::from_slice::<Members>(body) else {
        panic!("record {i}: the error record is not a JSON object");
    };
    assert!(member_names(body).first() == Some(&&b"hush_error"[..]), "record {i}: hush_error is not the first member");
    let expected = format!("\"{reason}\"");
    assert!(
        members.get("hush_error").map(|v| v.get()) == Some(expected.as_str()),
        "record {i}: wrong hush_error reason"
    );
    let harmless = members.iter().all(|(k, v)| {
        let v = v.get();
        k == "hush_error" || v == "true" || v == "false" || v.starts_with(|c: char| c == '-' || c.is_ascii_digit())
    });
    assert!(harmless, "record {i}: the error record keeps more than numbers and booleans");
}

/// Is `json` a JSON object, by the grammar (lone surrogate escapes and huge numbers are
/// valid JSON text, as the filter reads it)?
fn is_object(json: &[u8]) -> bool {
    let first = json.iter().find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
    first == Some(&b'{') && serde_json::from_slice::<serde::de::IgnoredAny>(json).is_ok()
}

/// The raw member names of valid JSON text, in order, at every depth.
fn member_names(json: &[u8]) -> Vec<&[u8]> {
    let mut names = Vec::new();
    let mut i = 0;
    while i < json.len() {
        if json[i] != b'"' {
            i += 1;
            continue;
        }
        let start = i + 1;
        let mut end = start;
        while json[end] != b'"' {
            end += if json[end] == b'\\' { 2 } else { 1 };
        }
        i = end + 1;
        let next = json[i..].iter().find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
        if next == Some(&b':') {
            names.push(&json[start..end]);
        }
    }
    names
}
