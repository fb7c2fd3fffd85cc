//! `redact_json`: valid JSON in gives valid JSON out with the same keys; invalid JSON is an
//! error, never a panic.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn redactor() -> &'static hush::Redactor {
    static R: OnceLock<hush::Redactor> = OnceLock::new();
    R.get_or_init(hush::Redactor::default)
}

fn keys(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                out.push(k.clone());
                keys(v, out);
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| keys(v, out)),
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(parsed) = serde_json::from_slice::<serde_json::Value>(data) else {
        let _ = redactor().redact_json(data);
        return;
    };
    let out = redactor().redact_json(data).expect("valid JSON is accepted");
    let again: serde_json::Value = serde_json::from_slice(&out).expect("output is valid JSON");
    let (mut a, mut b) = (Vec::new(), Vec::new());
    keys(&parsed, &mut a);
    keys(&again, &mut b);
    assert_eq!(a, b, "keys changed");
});
