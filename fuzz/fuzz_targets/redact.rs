//! `redact` on arbitrary bytes: idempotent, and every byte outside a finding unchanged.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn redactor() -> &'static hush::Redactor {
    static R: OnceLock<hush::Redactor> = OnceLock::new();
    R.get_or_init(|| hush::Redactor::builder().known_value(b"plum-Orbit-4471").build().unwrap())
}

fuzz_target!(|data: &[u8]| {
    let r = redactor();
    let once = r.redact(data).into_owned();
    assert_eq!(r.redact(&once).as_ref(), once.as_slice(), "redaction is not idempotent");
    // Bytes outside findings are copied: the gaps between findings appear, in order.
    let mut at = 0;
    let mut cursor = 0;
    for f in r.scan(data) {
        let gap = &data[cursor..f.start.max(cursor)];
        if !gap.is_empty() {
            let found = once[at..].windows(gap.len()).position(|w| w == gap);
            assert!(found.is_some(), "bytes outside a finding changed");
            at += found.unwrap_or(0) + gap.len();
        }
        cursor = cursor.max(f.end);
    }
    assert!(once.ends_with(&data[cursor.min(data.len())..]), "bytes after the last finding changed");
});
