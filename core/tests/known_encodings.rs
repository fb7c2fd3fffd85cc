//! Known values in encoded forms: base64 (all alignments, both alphabets, with and without
//! padding), percent-encoding, JSON / backslash escaping and hex. Decoys stay untouched.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use hush::{MaskStyle, Redactor};

const SECRET: &str = "plum-Orbit-4471";

fn redactor() -> Redactor {
    Redactor::builder()
        .mask(MaskStyle::Label)
        .known_value(SECRET.as_bytes())
        .build()
        .unwrap()
}

/// Deterministic filler bytes (no randomness: the test must be reproducible).
fn filler(n: usize, seed: u64) -> Vec<u8> {
    let mut x = seed;
    (0..n)
        .map(|_| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) as u8
        })
        .collect()
}

#[test]
fn value_at_each_alignment_inside_a_10kb_base64_blob() {
    let r = redactor();
    for offset in [3000usize, 3001, 3002] {
        let mut data = filler(7500, 7);
        data.splice(offset..offset, SECRET.bytes());
        for enc in [STANDARD.encode(&data), URL_SAFE_NO_PAD.encode(&data)] {
            assert!(enc.len() >= 10_000);
            let line = format!("payload={enc} end\n");
            assert_eq!(
                r.redact_str(&line),
                "payload=[REDACTED:known:api:1] end\n",
                "offset {offset}"
            );
        }
    }
    let decoy = format!("payload={} end\n", STANDARD.encode(filler(7500, 7)));
    assert_eq!(r.redact_str(&decoy), decoy);
}

#[test]
fn base64_alphabets_and_padding() {
    let r = redactor();
    for prefix in ["", "u", "us", "user:"] {
        let data = format!("{prefix}{SECRET}");
        for enc in [
            STANDARD.encode(&data),
            STANDARD_NO_PAD.encode(&data),
            URL_SAFE.encode(&data),
            URL_SAFE_NO_PAD.encode(&data),
        ] {
            assert_eq!(
                r.redact_str(&format!("v \"{enc}\" w")),
                "v \"[REDACTED:known:api:1]\" w",
                "{prefix:?}"
            );
        }
    }
    let basic = STANDARD.encode(format!("deploy:{SECRET}"));
    let line = format!("curl -H 'X-Auth: Basic {basic}'");
    let out = r.redact_str(&line);
    assert!(!out.contains(&basic) && !out.contains(&basic[..8]), "{out}");
}

#[test]
fn percent_encoded_forms() {
    let r = Redactor::builder()
        .mask(MaskStyle::Label)
        .known_value(b"p@ss w/rd!9")
        .build()
        .unwrap();
    for enc in [
        "p%40ss%20w%2Frd%219",
        "p%40ss%20w%2frd%219",
        "p%40ss+w%2Frd%219",
        "p%40ss%20w%2Frd!9",
    ] {
        assert_eq!(
            r.redact_str(&format!("GET /login?x={enc}&y=1")),
            "GET /login?x=[REDACTED:known:api:1]&y=1",
            "{enc}"
        );
    }
}

#[test]
fn json_and_backslash_escaped_forms() {
    let r = Redactor::builder()
        .mask(MaskStyle::Label)
        .known_value(br#"q"uo\te/$x-1"#)
        .build()
        .unwrap();
    for enc in [
        r#"q\"uo\\te/$x-1"#,
        r#"q\"uo\\te\/$x-1"#,
        r#"q\"uo\\te/\$x-1"#,
    ] {
        assert_eq!(
            r.redact_str(&format!(r#"{{"msg":"got {enc} back"}}"#)),
            r#"{"msg":"got [REDACTED:known:api:1] back"}"#,
            "{enc}"
        );
    }
    let r = Redactor::builder()
        .mask(MaskStyle::Label)
        .known_value("pässwort-42".as_bytes())
        .build()
        .unwrap();
    assert_eq!(
        r.redact_str(r#"{"v":"p\u00e4sswort-42"}"#),
        r#"{"v":"[REDACTED:known:api:1]"}"#
    );
}

#[test]
fn hex_forms() {
    let r = redactor();
    let lower: String = SECRET.bytes().map(|b| format!("{b:02x}")).collect();
    let upper = lower.to_ascii_uppercase();
    assert_eq!(
        r.redact_str(&format!("dump {lower}")),
        "dump [REDACTED:known:api:1]"
    );
    assert_eq!(
        r.redact_str(&format!("dump 0x{upper};")),
        "dump 0x[REDACTED:known:api:1];"
    );
}

#[test]
fn decoys_stay_untouched() {
    let r = redactor();
    let decoys = [
        "plum-Orbit-4472 plum Orbit 4471 plum-orbit-4471\n".to_owned(),
        format!("{}\n", STANDARD.encode("plum-Orbit-4472 and friends")),
        format!("{}\n", STANDARD.encode(filler(3000, 99))),
        "706c756d2d4f726269742d34343732\n".to_owned(),
        "plum%2DOrbit%2D4472\n".to_owned(),
    ];
    for d in decoys {
        assert_eq!(r.redact_str(&d), d);
    }
}

#[test]
fn streaming_in_small_chunks_matches_one_shot() {
    use std::io::Write;
    let r = redactor();
    let mut data = filler(2000, 3);
    data.splice(1001..1001, SECRET.bytes());
    let input = format!("a {} b {}\n", STANDARD.encode(&data), SECRET);
    let mut w = r.stream(Vec::new());
    for chunk in input.as_bytes().chunks(7) {
        w.write_all(chunk).unwrap();
    }
    let (out, _) = w.finish().unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), r.redact_str(&input));
    assert_eq!(
        r.redact_str(&input),
        "a [REDACTED:known:api:1] b [REDACTED:known:api:1]\n"
    );
}

#[test]
fn flush_partial_holds_a_base64_token_that_may_go_on() {
    use std::io::Write;
    let r = redactor();
    let enc = STANDARD.encode(format!("user:{SECRET}:and-more-bytes-after"));
    let (head, tail) = enc.split_at(enc.len() - 6);
    let mut w = r.stream(Vec::new());
    w.write_all(format!("blob {head}").as_bytes()).unwrap();
    w.flush_partial().unwrap();
    w.write_all(format!("{tail} done\n").as_bytes()).unwrap();
    let (out, _) = w.finish().unwrap();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "blob [REDACTED:known:api:1] done\n"
    );
}

#[test]
fn explicit_value_with_newlines_matches_trimmed_and_by_line() {
    let r = Redactor::builder()
        .mask(MaskStyle::Label)
        .known_value(b"plum-Orbit-4471\n")
        .known_value(b"first-line-secret\nsecond-line-secret\n")
        .build()
        .unwrap();
    assert_eq!(
        r.redact_str("a plum-Orbit-4471 b second-line-secret c"),
        "a [REDACTED:known:api:1] b [REDACTED:known:api:2] c"
    );
}
