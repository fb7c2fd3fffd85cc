//! The conformance corpus (`testdata/conformance/*.json`) through the core: one-shot,
//! streaming in several chunkings, and idempotence.

mod common;

use std::io::Write;

use common::{is_json, load_cases, redactor_for};

/// The corpus must not shrink unnoticed.
const MIN_CASES: usize = 100;

#[test]
fn corpus_is_large_enough_and_names_are_unique() {
    let cases = load_cases();
    assert!(cases.len() >= MIN_CASES, "only {} conformance cases (need {MIN_CASES})", cases.len());
    let mut names: Vec<_> = cases.iter().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    let before = names.len();
    names.dedup();
    assert_eq!(before, names.len(), "duplicate case names");
}

#[test]
fn every_case_matches() {
    let mut failures = Vec::new();
    for case in load_cases() {
        let r = redactor_for(&case);
        let got = if is_json(&case) {
            r.redact_json(&case.input).map(|c| c.into_owned()).unwrap_or_else(|e| e.to_string().into_bytes())
        } else {
            r.redact(&case.input).into_owned()
        };
        if got != case.expected {
            failures.push(format!(
                "{} ({})\n  expected: {:?}\n  got:      {:?}",
                case.name,
                case.file,
                String::from_utf8_lossy(&case.expected),
                String::from_utf8_lossy(&got)
            ));
        }
    }
    assert!(failures.is_empty(), "{} failing cases:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn the_portable_scan_gives_the_same_output() {
    for case in load_cases().into_iter().filter(|c| !is_json(c)) {
        let r = redactor_for(&case);
        let portable = common::build_redactor_with(&case, |b| b.vector_prefilter(false));
        assert_eq!(portable.redact(&case.input), r.redact(&case.input), "{}: the lane walk differs", case.name);
    }
}

#[test]
fn streaming_and_idempotence() {
    for case in load_cases().into_iter().filter(|c| !is_json(c)) {
        let r = redactor_for(&case);
        let once = r.redact(&case.input).into_owned();
        assert_eq!(r.redact(&once).as_ref(), once.as_slice(), "{}: not idempotent", case.name);
        for size in [1, 3, 64] {
            let mut w = r.stream(Vec::new());
            for chunk in case.input.chunks(size) {
                w.write_all(chunk).unwrap();
            }
            let (out, _) = w.finish().unwrap();
            assert_eq!(out, once, "{}: chunks of {size} differ from one-shot", case.name);
        }
    }
}

/// The whole corpus as one large log (over a lane-split segment of the literal scan):
/// redacted in one piece, it reads the same as streamed in chunks too small to be split,
/// and every case's expected output appears in it.
#[test]
fn the_corpus_as_one_large_log() {
    let cases: Vec<_> = common::load_cases()
        .into_iter()
        .filter(|c| c.options.as_object().is_none_or(|o| o.is_empty()) && c.input.ends_with(b"\n"))
        .collect();
    assert!(cases.len() > 100, "only {} default-option cases", cases.len());
    let r = hush::Redactor::default();
    let mut log = Vec::new();
    while log.len() < 600 << 10 {
        for c in &cases {
            log.extend_from_slice(&c.input);
        }
    }
    let whole = r.redact(&log).into_owned();
    let mut w = r.stream(Vec::new());
    for chunk in log.chunks(700) {
        w.write_all(chunk).unwrap();
    }
    let streamed = w.finish().unwrap().0;
    assert!(whole == streamed, "one-shot and 700-byte chunks differ ({} vs {} bytes)", whole.len(), streamed.len());
    let expected: Vec<u8> = cases.iter().flat_map(|c| c.expected.iter().copied()).collect();
    assert!(whole.starts_with(&expected), "the first round of cases does not read as expected");
}

/// `text` as a JSON string literal with every non-ASCII character written as `\uXXXX`.
fn ascii_json_string(text: &str) -> String {
    let mut out = String::new();
    for c in serde_json::to_string(text).unwrap().chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04X}"));
            }
        }
    }
    out
}

/// `redact_json_reusing` with one scratch for the whole corpus (so its buffers, its line
/// processor and its member-name cache carry over from case to case, and from one
/// redactor to another) gives what `redact_json` gives: for the JSON cases, and for every
/// case's input as string values (plain and `\u`-escaped) and as member names.
#[test]
fn reusing_a_json_scratch_matches_one_shot() {
    let mut scratch = hush::JsonScratch::new();
    let mut checked = 0;
    for case in load_cases() {
        let r = redactor_for(&case);
        let mut docs = Vec::new();
        if is_json(&case) {
            docs.push(case.input.clone());
        }
        if let Ok(text) = std::str::from_utf8(&case.input) {
            for s in [serde_json::to_string(text).unwrap(), ascii_json_string(text)] {
                docs.push(format!(r#"{{"log":{s},"password":{s},"n":[{s},1,{{"token":[2.5,{s}]}}]}}"#).into_bytes());
                docs.push(format!(r#"{{{s}:"v1",{s}:{{"a":"x","b":7}},"c":{s}}}"#).into_bytes());
            }
        }
        for doc in &docs {
            let want = r.redact_json(doc).map(|c| c.into_owned());
            // The second time round, every member name comes from the cache.
            for round in 0..2 {
                let got =
                    r.redact_json_reusing(doc, &mut scratch).map(|o| o.map_or_else(|| doc.clone(), <[u8]>::to_vec));
                assert!(got == want, "{}: round {round} differs from redact_json", case.name);
            }
            checked += 1;
        }
    }
    assert!(checked >= 2 * MIN_CASES, "only {checked} documents checked");
}

/// The output rebuilt from the input and `redact_edits`' masks, as a front end does.
fn rebuild(input: &[u8], out: &[u8], edits: &[hush::Edit]) -> Vec<u8> {
    let mut rebuilt = Vec::new();
    let mut at = 0;
    for e in edits {
        assert!(e.input.start >= at && e.input.end <= input.len(), "edits out of order or past the input");
        rebuilt.extend_from_slice(&input[at..e.input.start]);
        rebuilt.extend_from_slice(&out[e.output.clone()]);
        at = e.input.end;
    }
    rebuilt.extend_from_slice(&input[at..]);
    rebuilt
}

#[test]
fn edits_rebuild_the_output() {
    for case in load_cases().into_iter().filter(|c| !is_json(c)) {
        let r = redactor_for(&case);
        let (out, edits) = r.redact_edits(&case.input);
        assert_eq!(out.as_ref(), r.redact(&case.input).as_ref(), "{}: redact_edits differs from redact", case.name);
        assert_eq!(rebuild(&case.input, &out, &edits), out.as_ref(), "{}: edits do not rebuild the output", case.name);
    }
    // Long lines, processed in overlapping windows, and a PEM block masked line by line.
    let r = hush::Redactor::builder().line_cap(4096).build().unwrap();
    let mut input = b"x=1 ".repeat(3000);
    input.extend_from_slice(b"password=hunter22 ghp_0123456789abcdefghijklmnopqrstuvwxyz\n");
    input.extend_from_slice(b"-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA0123456789abcdefABCDEF\nQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=\n-----END RSA PRIVATE KEY-----\n");
    let (out, edits) = r.redact_edits(&input);
    assert!(edits.len() >= 3, "{} edits", edits.len());
    for secret in [&b"hunter22"[..], b"ghp_0123", b"MIIEow", b"QUJDREVG"] {
        assert!(!out.windows(secret.len()).any(|w| w == secret), "a secret is not masked");
    }
    assert_eq!(rebuild(&input, &out, &edits), out.as_ref());
}
