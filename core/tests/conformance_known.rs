//! Runs the known-value cases of the conformance corpus (`testdata/conformance/known.json`)
//! through the core: `options.mask` and `options.known` are honoured.

use hush::{MaskStyle, Redactor};

#[test]
fn known_conformance_cases() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../testdata/conformance/known.json");
    let cases: Vec<serde_json::Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert!(cases.len() >= 10);
    let mut failures = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let options = &case["options"];
        let mut b = Redactor::builder();
        if let Some(mask) = options["mask"].as_str() {
            b = b.mask(mask.parse::<MaskStyle>().unwrap());
        }
        for v in options["known"].as_array().into_iter().flatten() {
            b = b.known_value(v.as_str().unwrap().as_bytes());
        }
        let r = b.build().unwrap();
        let input = case["input"].as_str().unwrap();
        let expected = case["expected"].as_str().unwrap();
        if name.ends_with("-decoy") {
            assert_eq!(input, expected, "{name}: a decoy must expect its input");
        }
        let got = r.redact_str(input);
        if got != expected {
            failures.push(format!("{name}:\n  got      {got:?}\n  expected {expected:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
