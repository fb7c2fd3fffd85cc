//! Runs `testdata/conformance/config.json` (cases whose `options.config` is TOML config
//! text) through the core, one-shot and streamed in small chunks.

use std::io::Write;

use serde_json::Value;

fn cases() -> Vec<Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../testdata/conformance/config.json");
    let text = std::fs::read_to_string(path).expect("testdata/conformance/config.json is present");
    serde_json::from_str::<Vec<Value>>(&text).expect("config.json is a JSON array")
}

fn redactor(case: &Value) -> hush::Redactor {
    let o = &case["options"];
    let mut b = hush::Redactor::builder();
    if let Some(cfg) = o["config"].as_str() {
        b = b.config_toml(cfg).unwrap_or_else(|e| panic!("{}: config: {e}", case["name"]));
    }
    if let Some(m) = o["mask"].as_str() {
        b = b.mask(m.parse().unwrap());
    }
    for k in o["known"].as_array().into_iter().flatten() {
        b = b.known_value(k.as_str().unwrap().as_bytes());
    }
    b.build().unwrap_or_else(|e| panic!("{}: build: {e}", case["name"]))
}

#[test]
fn config_cases_match() {
    let cases = cases();
    assert!(cases.len() >= 20, "only {} config cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let r = redactor(case);
        let input = case["input"].as_str().unwrap();
        let expected = case["expected"].as_str().unwrap();
        let got = r.redact_str(input);
        if got != expected {
            failures.push(format!("{}: expected {expected:?}, got {got:?}", case["name"]));
            continue;
        }
        let mut w = r.stream(Vec::new());
        for chunk in input.as_bytes().chunks(3) {
            w.write_all(chunk).unwrap();
        }
        let (out, _) = w.finish().unwrap();
        if out != expected.as_bytes() {
            failures.push(format!("{}: streamed output differs", case["name"]));
        }
    }
    assert!(failures.is_empty(), "{} failing:\n{}", failures.len(), failures.join("\n"));
}
