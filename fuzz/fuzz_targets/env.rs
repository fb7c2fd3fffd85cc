//! Every `hush env` input format: sanitizing never panics, and re-emitted output parses
//! again in the same format.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn redactor() -> &'static hush::Redactor {
    static R: OnceLock<hush::Redactor> = OnceLock::new();
    R.get_or_init(hush::Redactor::default)
}

fuzz_target!(|data: &[u8]| {
    for format in hush::env::Format::ALL {
        if let Ok(s) = hush::env::sanitize(data, format, redactor()) {
            let again = hush::env::sanitize(&s.output, s.format, redactor());
            assert!(again.is_ok(), "re-emitted {} output does not parse", s.format.as_str());
        }
    }
});
