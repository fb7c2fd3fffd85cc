//! The conformance corpus loader shared by the Rust test suites (the core's and the
//! CLI's): `#[path]`-included, so each suite reads the cases the same way. It needs
//! `base64` and `serde_json` as dev-dependencies.

use std::path::PathBuf;

use base64::Engine as _;
use serde_json::Value;

/// One conformance case.
pub struct Case {
    /// The corpus file it comes from.
    pub file: String,
    pub name: String,
    pub input: Vec<u8>,
    pub expected: Vec<u8>,
    /// `mask`, `known`, `hash_key`, `config`, `json`: see `testdata/README.md`.
    pub options: Value,
}

/// `testdata/conformance`, found from the crate being tested.
fn testdata_dir() -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|dir| dir.join("testdata/conformance"))
        .find(|dir| dir.is_dir())
        .expect("testdata/conformance in a parent directory of the crate")
}

/// Every case, file by file in name order.
pub fn load_cases() -> Vec<Case> {
    let dir = testdata_dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("conformance corpus missing at {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for path in files {
        let list: Vec<Value> = serde_json::from_slice(&std::fs::read(&path).unwrap())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        for v in list {
            let bytes = |text_key: &str, b64_key: &str| -> Vec<u8> {
                match v.get(b64_key).and_then(Value::as_str) {
                    Some(b64) => base64::engine::general_purpose::STANDARD.decode(b64).unwrap(),
                    None => {
                        v[text_key].as_str().unwrap_or_else(|| panic!("case without {text_key}")).as_bytes().to_vec()
                    }
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
