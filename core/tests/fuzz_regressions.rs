//! Inputs the fuzzers found (`fuzz/regressions/<target>/`), replayed with the same invariants.

use std::path::Path;

fn inputs(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions").join(target);
    let Ok(entries) = std::fs::read_dir(&dir) else { return Vec::new() };
    entries
        .map(|e| e.unwrap().path())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect()
}

/// `redact` is idempotent and changes no byte outside the findings `scan` reports.
#[test]
fn redact_regressions() {
    let r = hush::Redactor::builder().known_value(b"plum-Orbit-4471").build().unwrap();
    let cases = inputs("redact");
    assert!(!cases.is_empty(), "regression inputs missing");
    for (name, data) in cases {
        let once = r.redact(&data).into_owned();
        assert_eq!(r.redact(&once).as_ref(), once.as_slice(), "{name}: not idempotent");
        let mut at = 0;
        let mut cursor = 0;
        for f in r.scan(&data) {
            let gap = &data[cursor..f.start.max(cursor)];
            if !gap.is_empty() {
                let found = once[at..].windows(gap.len()).position(|w| w == gap);
                assert!(found.is_some(), "{name}: bytes outside a finding changed");
                at += found.unwrap_or(0) + gap.len();
            }
            cursor = cursor.max(f.end);
        }
        assert!(once.ends_with(&data[cursor.min(data.len())..]), "{name}: bytes after the last finding changed");
    }
}
