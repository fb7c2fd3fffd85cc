//! Config TOML and gitleaks TOML: an error or a redactor, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(r) = hush::Redactor::from_toml(text) {
        let _ = r.redact(b"password=hunter22 token=abc");
    }
    if let Ok(r) = hush::Redactor::builder().gitleaks_toml(text).lenient(true).build() {
        let _ = r.redact(b"password=hunter22 token=abc");
    }
});
