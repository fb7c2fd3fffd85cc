//! Hostile and malformed input: bytes outside findings pass through unchanged, in the
//! one-shot `redact` and in the streaming writer at several chunkings; oversized key values
//! and oversized rules hit their documented limits.
//!
//! Assertions never print input: they name offsets, rule ids and lengths.

use std::io::Write;

use hush::{Finding, Redactor};

const KNOWN: &[u8] = b"plum-Orbit-4471";
const MASK: &[u8] = b"[REDACTED]";

fn redactor() -> Redactor {
    Redactor::builder().known_value(KNOWN).build().unwrap()
}

/// `input` with every finding's span replaced by the default mask.
fn expected_from(input: &[u8], findings: &[Finding]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut cursor = 0;
    for f in findings {
        assert!(f.start >= cursor && f.end <= input.len(), "finding {f} out of order or range");
        out.extend_from_slice(&input[cursor..f.start]);
        out.extend_from_slice(MASK);
        cursor = f.end;
    }
    out.extend_from_slice(&input[cursor..]);
    out
}

/// Streams `input` in `chunk`-byte writes.
fn streamed(r: &Redactor, input: &[u8], chunk: usize) -> (Vec<u8>, hush::Report) {
    let mut w = r.stream(Vec::new());
    for piece in input.chunks(chunk.max(1)) {
        w.write_all(piece).unwrap();
    }
    w.finish().unwrap()
}

/// One-shot and streamed output are the input with each finding replaced by a mask (nothing
/// else changed), every occurrence of each `secret` lies inside a finding, and a finding
/// exists only when `secrets` is non-empty.
fn check(name: &str, input: &[u8], secrets: &[&[u8]]) -> Vec<u8> {
    let r = redactor();
    let findings = r.scan(input);
    let once = r.redact(input).into_owned();
    assert!(once == expected_from(input, &findings), "{name}: bytes outside the findings changed");
    if secrets.is_empty() {
        assert!(findings.is_empty(), "{name}: {} findings in input without secrets", findings.len());
    }
    for secret in secrets {
        let mut from = 0;
        let mut seen = 0;
        while let Some(i) = memchr::memmem::find(&input[from..], secret) {
            let (s, e) = (from + i, from + i + secret.len());
            let covered = (s..e).all(|p| findings.iter().any(|f| f.start <= p && p < f.end));
            assert!(covered, "{name}: secret at {s}..{e} not masked");
            from = e;
            seen += 1;
        }
        assert!(seen > 0, "{name}: test input lacks one of its secrets");
    }
    for chunk in [1, 3, 64, 4096, input.len()] {
        if chunk == 1 && input.len() > 100_000 {
            continue;
        }
        let (out, _) = streamed(&r, input, chunk);
        assert!(out == once, "{name}: stream in {chunk}-byte writes differs from redact");
    }
    once
}

#[test]
fn invalid_utf8_passes_through() {
    // Every byte value, repeated: no literal occurs in it.
    let all: Vec<u8> = (0..=255u8).cycle().take(64 * 1024).collect();
    assert!(check("all bytes", &all, &[]) == all);
    let mut mixed = b"\xff\xfe\xc3\x28 user=bob password=hunter22 \xe2\x82 ".to_vec();
    mixed.extend_from_slice(KNOWN);
    mixed.extend_from_slice(b"\x80\xbf\n\xf0\x9f\x92 tail \xc0\xaf\n");
    let out = check("invalid utf-8 with secrets", &mixed, &[b"hunter22", KNOWN]);
    assert!(out.starts_with(b"\xff\xfe\xc3\x28 user=bob password=[REDACTED] \xe2\x82 [REDACTED]\x80\xbf\n"));
}

#[test]
fn nul_bytes_pass_through() {
    let nuls = vec![0u8; 10_000];
    assert!(check("only NULs", &nuls, &[]) == nuls);
    let mut input = b"\0\0ts=1\0password=hunter22\0user=bob\0".to_vec();
    input.extend_from_slice(KNOWN);
    input.extend_from_slice(b"\0\0\n\0");
    let out = check("NULs with secrets", &input, &[b"hunter22", KNOWN]);
    assert_eq!(out, b"\0\0ts=1\0password=[REDACTED]\0user=bob\0[REDACTED]\0\0\n\0");
}

fn utf16le(text: &str) -> Vec<u8> {
    let mut out = vec![0xff, 0xfe]; // byte-order mark
    out.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    out
}

/// UTF-16 is not decoded (SECURITY.md): the bytes pass through unchanged, line breaks
/// (`\n\0`) stay where they were, and nothing is corrupted.
#[test]
fn utf16le_passes_through() {
    let plain = utf16le("2024-05-01 INFO started worker 3\r\nGET /health 200 took 3ms\r\n");
    assert!(check("UTF-16LE", &plain, &[]) == plain);
    let with_secret = utf16le("user=bob password=hunter22 plum-Orbit-4471\r\nnext line\r\n");
    let out = check("UTF-16LE with a secret", &with_secret, &[]);
    assert!(out == with_secret, "UTF-16LE input was altered");
}

#[test]
fn carriage_return_line_endings() {
    let input = b"a=1\rpassword=hunter22\rb=2\rtoken: tok-9f8e7d6c5b\rplum-Orbit-4471\r";
    let out = check("CR-only", input, &[b"hunter22", b"tok-9f8e7d6c5b", KNOWN]);
    assert_eq!(out, b"a=1\rpassword=[REDACTED]\rb=2\rtoken: [REDACTED]\r[REDACTED]\r");
    assert_eq!(redactor().redact_with_report(input).1.lines, 1, "no `\\n`: one line");
}

/// A progress bar redrawn with `\r` a million times, never a `\n` (memory is measured in
/// `memory.rs`): unchanged.
#[test]
fn progress_bar_of_a_million_carriage_returns() {
    let mut input = Vec::with_capacity(32 << 20);
    for i in 0..1_000_000u32 {
        write!(input, "\r {:3}% [{:<20}] {} MB/s", i % 101, "=".repeat((i % 21) as usize), i % 97).unwrap();
    }
    let r = redactor();
    let (once, report) = r.redact_with_report(&input);
    assert!(once == input, "progress bar output differs from its input");
    assert_eq!(report.total(), 0);
    let (out, _) = streamed(&r, &input, 29);
    assert!(out == input, "streamed progress bar differs from its input");
}

#[test]
fn ansi_escapes_everywhere() {
    const TOKEN: &str = "ghp_0123456789abcdefghijklmnopqrstuvwxyz";
    let cases: &[(&str, &str, &[&str])] = &[
        // No secret: every code survives.
        (
            "\x1b[2K\x1b[1G\x1b[1;32mINFO\x1b[0m user=\x1b[36mbob\x1b[0m \x1b[38;5;208mdone\x1b[m\n",
            "\x1b[2K\x1b[1G\x1b[1;32mINFO\x1b[0m user=\x1b[36mbob\x1b[0m \x1b[38;5;208mdone\x1b[m\n",
            &[],
        ),
        // Around the key.
        ("x \x1b[1mpassword\x1b[0m=hunter22 y\n", "x \x1b[1mpassword\x1b[0m=[REDACTED] y\n", &["hunter22"]),
        // Around the value.
        ("x password=\x1b[31mhunter22\x1b[0m y\n", "x password=\x1b[31m[REDACTED]\x1b[0m y\n", &["hunter22"]),
        // Around both, at the start of a line.
        (
            "\x1b[33mDB_PASSWORD\x1b[0m=\x1b[31mhunter22\x1b[0m\n",
            "\x1b[33mDB_PASSWORD\x1b[0m=\x1b[31m[REDACTED]\x1b[0m\n",
            &["hunter22"],
        ),
        // Inside the value (a highlighted part): the whole value is masked.
        ("x password=hun\x1b[1mter22\x1b[0m y\n", "x password=[REDACTED]\x1b[0m y\n", &["hun", "ter22"]),
        // Inside a quoted value.
        ("{\"password\": \"\x1b[31mhunter22\x1b[0m\"}\n", "{\"password\": \"[REDACTED]\"}\n", &["hunter22"]),
        // Known value and token wrapped in colour.
        ("sent \x1b[31mplum-Orbit-4471\x1b[0m ok\n", "sent \x1b[31m[REDACTED]\x1b[0m ok\n", &["plum-Orbit-4471"]),
        (
            "token \x1b[32mghp_0123456789abcdefghijklmnopqrstuvwxyz\x1b[0m ok\n",
            "token \x1b[32m[REDACTED]\x1b[0m ok\n",
            &[TOKEN],
        ),
        // A coloured key=value inside a JSON string.
        (
            "{\"msg\":\"\x1b[31mpassword=hunter22\x1b[0m\"}\n",
            "{\"msg\":\"\x1b[31mpassword=[REDACTED]\x1b[0m\"}\n",
            &["hunter22"],
        ),
    ];
    for (i, (input, want, secrets)) in cases.iter().enumerate() {
        let secrets: Vec<&[u8]> = secrets.iter().map(|s| s.as_bytes()).collect();
        let out = check(&format!("ANSI case {i}"), input.as_bytes(), &secrets);
        assert!(out == want.as_bytes(), "ANSI case {i}: output differs from the expected text");
    }
}

/// A key value of 10 MB with no delimiter: masked to its end as one span (fail closed, see
/// SECURITY.md) and counted as `truncated`, in one shot, streamed and with `flush_partial`.
#[test]
fn ten_megabyte_key_value_is_masked_and_counted_truncated() {
    let r = redactor();
    let value = vec![b'a'; 10_000_000];
    for (lead, tail, want) in [
        (&b"ts=1 password="[..], &b" next=1\n"[..], &b"ts=1 password=[REDACTED] next=1\n"[..]),
        (b"password=", b"\n", b"password=[REDACTED]\n"),
    ] {
        let mut input = lead.to_vec();
        input.extend_from_slice(&value);
        input.extend_from_slice(tail);
        let (once, report) = r.redact_with_report(&input);
        assert!(once.as_ref() == want, "one-shot: {} bytes out", once.len());
        let (out, streamed_report) = streamed(&r, &input, 64 * 1024);
        assert!(out == want, "streamed: {} bytes out", out.len());
        let mut w = r.stream(Vec::new());
        for piece in input.chunks(1 << 20) {
            w.write_all(piece).unwrap();
            w.flush_partial().unwrap();
        }
        let (flushed, flushed_report) = w.finish().unwrap();
        assert!(!flushed.windows(64).any(|win| win == &value[..64]), "flush_partial released value bytes");
        for rep in [&report, &streamed_report, &flushed_report] {
            let count = &rep.rules["key:password"];
            assert_eq!((count.count, count.truncated), (1, 1), "one span, counted truncated");
            assert_eq!(rep.total(), 1);
        }
    }
    // A value that fits in the line cap is not truncated.
    let short = format!("ts=1 password={} next=1\n", "a".repeat(100_000));
    let (_, report) = r.redact_with_report(short.as_bytes());
    assert_eq!(report.rules["key:password"].truncated, 0);
}

/// A regex too big to compile is rejected with its rule id; in lenient mode it is skipped
/// with a warning naming it.
#[test]
fn huge_regex_is_rejected_with_its_rule_id() {
    let config = "[[rules]]\nid = \"huge-regex\"\nregex = '''\\bhuge_(?:[a-z0-9]{1000}){1000}'''\n";
    let err = Redactor::from_toml(config).expect_err("a 10^6-state regex must not compile");
    assert_eq!(err.rule_id(), Some("huge-regex"), "error: {err}");
    assert_eq!(err.kind(), hush::ErrorKind::Rule);
    assert!(err.to_string().contains("huge-regex"), "{err}");
    let gitleaks =
        "[[rules]]\nid = \"huge-gitleaks\"\nregex = '''huge_(?:[a-z0-9]{1000}){1000}'''\nkeywords = [\"huge_\"]\n";
    let err = Redactor::builder().gitleaks_toml(gitleaks).build().expect_err("strict import fails");
    assert!(err.to_string().contains("huge-gitleaks"), "{err}");
    let lenient = Redactor::builder().gitleaks_toml(gitleaks).lenient(true).build().unwrap();
    assert!(lenient.warnings().iter().any(|w| w.contains("huge-gitleaks")), "{:?}", lenient.warnings());
    assert_eq!(lenient.redact_str("password=hunter22"), "password=[REDACTED]");
}
