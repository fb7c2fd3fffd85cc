//! Shared test helpers: the conformance corpus loader.

#![allow(dead_code)]

pub mod generate;

use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde_json::Value;

/// One conformance case.
pub struct Case {
    pub file: String,
    pub name: String,
    pub input: Vec<u8>,
    pub expected: Vec<u8>,
    pub options: Value,
}

pub fn testdata_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/conformance")
}

pub fn load_cases() -> Vec<Case> {
    let dir = testdata_dir();
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("conformance corpus missing at {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let list: Vec<Value> = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for v in list {
            let bytes = |text_key: &str, b64_key: &str| -> Vec<u8> {
                if let Some(s) = v.get(b64_key).and_then(Value::as_str) {
                    base64::engine::general_purpose::STANDARD.decode(s).unwrap()
                } else {
                    v[text_key].as_str().unwrap_or_else(|| panic!("case without {text_key}")).as_bytes().to_vec()
                }
            };
            cases.push(Case {
                file: path.file_name().unwrap().to_string_lossy().into_owned(),
                name: v["name"].as_str().unwrap().to_owned(),
                input: bytes("input", "input_base64"),
                expected: bytes("expected", "expected_base64"),
                options: v.get("options").cloned().unwrap_or(Value::Null),
            });
        }
    }
    cases
}

/// Builds the redactor a case asks for; cases with the same options share one.
pub fn redactor_for(case: &Case) -> hush::Redactor {
    use std::collections::HashMap;
    use std::sync::Mutex;
    static CACHE: Mutex<Option<HashMap<String, hush::Redactor>>> = Mutex::new(None);
    let key = case.options.to_string();
    let mut cache = CACHE.lock().unwrap();
    let map = cache.get_or_insert_with(HashMap::new);
    if let Some(r) = map.get(&key) {
        return r.clone();
    }
    let r = build_redactor(case);
    map.insert(key, r.clone());
    r
}

fn build_redactor(case: &Case) -> hush::Redactor {
    let o = &case.options;
    let mut b = hush::Redactor::builder();
    if let Some(cfg) = o.get("config").and_then(Value::as_str) {
        b = b.config_toml(cfg).unwrap_or_else(|e| panic!("{}: config: {e}", case.name));
    }
    if let Some(m) = o.get("mask").and_then(Value::as_str) {
        b = b.mask(m.parse().unwrap());
    }
    if let Some(k) = o.get("hash_key").and_then(Value::as_str) {
        b = b.hash_key(k.as_bytes());
    }
    if let Some(list) = o.get("known").and_then(Value::as_array) {
        for v in list {
            b = b.known_value(v.as_str().unwrap().as_bytes());
        }
    }
    b.build().unwrap_or_else(|e| panic!("{}: build: {e}", case.name))
}

pub fn is_json(case: &Case) -> bool {
    case.options.get("json").and_then(Value::as_bool).unwrap_or(false)
}
