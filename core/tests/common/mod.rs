//! Shared test helpers: the conformance corpus (loaded by `testdata/cases.rs`) and the
//! redactor each case asks for.

#![allow(dead_code)]

pub mod generate;

use serde_json::Value;

#[path = "../../../testdata/cases.rs"]
mod cases;
#[allow(unused_imports)] // not every test binary loads the corpus
pub use cases::{Case, load_cases};

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
    build_redactor_with(case, |b| b)
}

/// The redactor for `case`, its builder first passed through `tweak`.
#[allow(dead_code)]
pub fn build_redactor_with(case: &Case, tweak: impl FnOnce(hush::Builder) -> hush::Builder) -> hush::Redactor {
    let o = &case.options;
    let mut b = tweak(hush::Redactor::builder());
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
