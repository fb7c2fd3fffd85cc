//! The streaming writer with the input split at fuzzer-chosen points: equal to one-shot
//! `redact` without `flush_partial`; with it, the known value never leaks 8 characters.
#![no_main]

use std::io::Write;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

const KNOWN: &[u8] = b"plum-Orbit-4471";

fn redactor() -> &'static hush::Redactor {
    static R: OnceLock<hush::Redactor> = OnceLock::new();
    R.get_or_init(|| hush::Redactor::builder().known_value(KNOWN).line_cap(4096).build().unwrap())
}

fuzz_target!(|input: (Vec<u8>, Vec<u16>, bool)| {
    let (data, cuts, partial) = input;
    let r = redactor();
    let mut points: Vec<usize> = cuts.iter().map(|&c| usize::from(c) % (data.len() + 1)).collect();
    points.sort_unstable();
    let mut w = r.stream(Vec::new());
    let mut last = 0;
    for p in points {
        w.write_all(&data[last..p]).unwrap();
        if partial {
            w.flush_partial().unwrap();
        }
        last = p;
    }
    w.write_all(&data[last..]).unwrap();
    let (out, _) = w.finish().unwrap();
    if partial {
        // Where the known value occurs whole, none of its 8-byte windows may come out,
        // unless the input also holds that window elsewhere.
        let mut rest = data.clone();
        while let Some(i) = rest.windows(KNOWN.len()).position(|w| w == KNOWN) {
            rest[i..i + KNOWN.len()].fill(b'#');
        }
        if rest != data && !KNOWN.windows(8).any(|k| rest.windows(8).any(|o| o == k)) {
            assert!(!KNOWN.windows(8).any(|k| out.windows(8).any(|o| o == k)), "known value leaked");
        }
    } else {
        assert_eq!(out, r.redact(&data).as_ref(), "stream differs from one-shot redact");
    }
});
