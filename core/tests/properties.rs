//! Property tests: the engine against a naive reference redactor on generated logs, chunking
//! invariance, idempotence, the `flush_partial` no-leak guarantee, JSON validity, and
//! generated logs laced with hostile bytes (colour codes, `\r`, NULs, invalid UTF-8)
//! changing only where findings are.
//!
//! The reference shares no code with the matcher or the stream: per rule a `regex::bytes`
//! over each whole line, known values by substring search, then merge and mask.

use std::io::Write;

use proptest::prelude::*;
use regex::bytes::Regex;

const SENSITIVE: &[&str] =
    &["password", "DB_PASSWORD", "api_key", "apiKey", "access_token", "client_secret", "X-Auth-Token"];
const PLAIN: &[&str] = &["user", "host", "level", "path", "token_count", "keyboard", "author", "session_timeout"];
const WORDS: &[&str] = &[
    "GET",
    "/api/v1/items",
    "ok",
    "retrying",
    "9f1c2e7a-3b4d-4e5f-8a9b-0c1d2e3f4a5b",
    "200",
    "took",
    "3ms",
    "user",
    "info",
];
const KNOWN: &[u8] = b"plum-Orbit-4471";
const GH_PREFIX: &str = "ghp_";

#[derive(Clone, Debug)]
enum Piece {
    Word(usize),
    Pair { key: String, value: String },
    Known,
    GitHub(String),
    Json { key: String, value: String },
}

fn piece() -> impl Strategy<Value = Piece> {
    let value = "[A-Za-z0-9]{6,14}";
    prop_oneof![
        4 => (0..WORDS.len()).prop_map(Piece::Word),
        2 => (prop::sample::select(SENSITIVE), value).prop_map(|(k, v)| Piece::Pair { key: k.to_owned(), value: v }),
        2 => (prop::sample::select(PLAIN), value).prop_map(|(k, v)| Piece::Pair { key: k.to_owned(), value: v }),
        1 => Just(Piece::Known),
        1 => "[A-Za-z0-9]{36}".prop_map(Piece::GitHub),
        1 => (prop::sample::select(SENSITIVE), value).prop_map(|(k, v)| Piece::Json { key: k.to_owned(), value: v }),
    ]
}

fn render(lines: &[Vec<Piece>]) -> Vec<u8> {
    let mut out = String::new();
    for line in lines {
        out.push_str("ts=1");
        for p in line {
            out.push(' ');
            match p {
                Piece::Word(i) => out.push_str(WORDS[*i]),
                Piece::Pair { key, value } => out.push_str(&format!("{key}={value}")),
                Piece::Known => out.push_str(std::str::from_utf8(KNOWN).unwrap()),
                Piece::GitHub(t) => out.push_str(&format!("{GH_PREFIX}{t}")),
                Piece::Json { key, value } => out.push_str(&format!("{{\"{key}\": \"{value}\"}}")),
            }
        }
        out.push('\n');
    }
    out.into_bytes()
}

fn logs() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(prop::collection::vec(piece(), 0..8), 1..12).prop_map(|l| render(&l))
}

/// The naive reference redactor.
struct Reference {
    rules: Vec<Regex>,
}

impl Reference {
    fn new() -> Self {
        let keys = SENSITIVE.iter().map(|k| regex::escape(k)).collect::<Vec<_>>().join("|");
        Reference {
            rules: vec![
                Regex::new(&format!(r#"(?:^|[\s{{])(?:{keys})=([^\s,;&)}}\]"']+)"#)).unwrap(),
                Regex::new(&format!(r#""(?:{keys})": "([^"]*)""#)).unwrap(),
                Regex::new(r"\b(ghp_[A-Za-z0-9]{36})\b").unwrap(),
            ],
        }
    }

    fn redact(&self, input: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for line in input.split_inclusive(|&b| b == b'\n') {
            let mut spans: Vec<(usize, usize)> = Vec::new();
            for re in &self.rules {
                for c in re.captures_iter(line) {
                    let m = c.get(1).unwrap();
                    spans.push((m.start(), m.end()));
                }
            }
            let mut at = 0;
            while let Some(i) = line[at..].windows(KNOWN.len()).position(|w| w == KNOWN) {
                spans.push((at + i, at + i + KNOWN.len()));
                at += i + 1;
            }
            spans.sort();
            let mut cursor = 0;
            for (s, e) in spans {
                if e <= cursor {
                    continue;
                }
                let s = s.max(cursor);
                out.extend_from_slice(&line[cursor..s]);
                if s == cursor && cursor > 0 && out.ends_with(b"[REDACTED]") {
                    // Adjacent or overlapping spans merged into one mask.
                } else {
                    out.extend_from_slice(b"[REDACTED]");
                }
                cursor = e;
            }
            out.extend_from_slice(&line[cursor..]);
        }
        out
    }
}

fn redactor() -> hush::Redactor {
    static R: std::sync::OnceLock<hush::Redactor> = std::sync::OnceLock::new();
    R.get_or_init(build_redactor).clone()
}

fn build_redactor() -> hush::Redactor {
    hush::Redactor::builder()
        .known_value(KNOWN)
        .format_rule(hush::FormatRule::new("test-github-pat", r"\bghp_[A-Za-z0-9]{36}\b", &["ghp_"]))
        .build()
        .unwrap()
}

/// The same rules plus 40 known values that never occur in generated logs: more encoded
/// forms than share the literal automaton, so the engine searches them apart.
fn split_redactor() -> hush::Redactor {
    static R: std::sync::OnceLock<hush::Redactor> = std::sync::OnceLock::new();
    R.get_or_init(|| {
        let mut b = hush::Redactor::builder().known_value(KNOWN).format_rule(hush::FormatRule::new(
            "test-github-pat",
            r"\bghp_[A-Za-z0-9]{36}\b",
            &["ghp_"],
        ));
        for i in 0..40 {
            b = b.known_value(format!("zq-filler-{i:04}-vw").as_bytes());
        }
        b.build().unwrap()
    })
    .clone()
}

fn stream(r: &hush::Redactor, input: &[u8], cuts: &[usize], partial: bool) -> Vec<u8> {
    let mut w = r.stream(Vec::new());
    let mut last = 0;
    let mut points: Vec<usize> = cuts.iter().map(|c| c % (input.len() + 1)).collect();
    points.sort_unstable();
    for p in points {
        w.write_all(&input[last..p]).unwrap();
        if partial {
            w.flush_partial().unwrap();
        }
        last = p;
    }
    w.write_all(&input[last..]).unwrap();
    w.finish().unwrap().0
}

/// `input` redacted in one call gives the stream's output and report.
fn one_shot_matches_stream(r: &hush::Redactor, input: &[u8]) -> Result<(), TestCaseError> {
    let (once, report) = r.redact_with_report(input);
    let mut w = r.stream(Vec::new());
    w.write_all(input).unwrap();
    let (streamed, streamed_report) = w.finish().unwrap();
    prop_assert!(once.as_ref() == streamed.as_slice(), "one-shot and streamed output differ");
    prop_assert_eq!(report, streamed_report);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn engine_matches_reference(input in logs()) {
        let r = redactor();
        let got = r.redact(&input).into_owned();
        let want = Reference::new().redact(&input);
        prop_assert_eq!(String::from_utf8_lossy(&got), String::from_utf8_lossy(&want));
    }

    #[test]
    fn chunking_invariance_and_idempotence(input in logs(), cuts in prop::collection::vec(any::<usize>(), 0..20)) {
        let r = redactor();
        let once = r.redact(&input).into_owned();
        prop_assert_eq!(&stream(&r, &input, &cuts, false), &once);
        prop_assert_eq!(r.redact(&once).into_owned(), once);
    }

    /// A one-shot redaction of a single line (with or without its newline) scans it once:
    /// it skips the line processor when nothing is masked and hands the processor its scan
    /// otherwise. Output and report must be the stream's.
    #[test]
    fn single_lines_match_the_stream(input in logs(), newline in any::<bool>()) {
        let r = redactor();
        for line in input.split_inclusive(|&b| b == b'\n') {
            let line = if newline { line } else { line.strip_suffix(b"\n").unwrap_or(line) };
            one_shot_matches_stream(&r, line)?;
        }
    }

    /// Short inputs (a record's field values) are searched for a first hit before all of
    /// them, single lines or not: output and report must be the stream's.
    #[test]
    fn short_inputs_match_the_stream(input in logs(), len in 1usize..80) {
        let r = redactor();
        let lines: Vec<&[u8]> = input.split_inclusive(|&b| b == b'\n').collect();
        for pair in lines.windows(2) {
            let joined = [pair[0], pair[1]].concat();
            for piece in [&joined[..len.min(joined.len())], &joined[joined.len().saturating_sub(len)..]] {
                one_shot_matches_stream(&r, piece)?;
            }
        }
    }

    #[test]
    fn known_values_searched_apart_change_nothing(input in logs(), cuts in prop::collection::vec(any::<usize>(), 0..20)) {
        let once = redactor().redact(&input).into_owned();
        let split = split_redactor();
        let apart = split.redact(&input).into_owned();
        prop_assert_eq!(String::from_utf8_lossy(&apart), String::from_utf8_lossy(&once));
        prop_assert_eq!(stream(&split, &input, &cuts, false), once);
    }

    #[test]
    fn flush_partial_never_leaks(input in logs(), cuts in prop::collection::vec(any::<usize>(), 1..30)) {
        let r = redactor();
        let out = stream(&r, &input, &cuts, true);
        for secret in secrets_in(&input) {
            for window in secret.windows(8) {
                prop_assert!(
                    !out.windows(8).any(|w| w == window),
                    "8 characters of a secret leaked (secret length {})", secret.len()
                );
            }
        }
        // Line count is kept.
        prop_assert_eq!(out.iter().filter(|&&b| b == b'\n').count(), input.iter().filter(|&&b| b == b'\n').count());
    }

    #[test]
    fn json_lines_stay_valid(pairs in prop::collection::vec((prop::sample::select(SENSITIVE), "[ -~]{0,20}"), 1..6), plain in "[ -~]{0,30}") {
        let mut obj = serde_json::Map::new();
        for (k, v) in &pairs {
            obj.insert((*k).to_owned(), serde_json::Value::String(v.clone()));
        }
        obj.insert("msg".into(), serde_json::Value::String(plain.clone()));
        obj.insert("n".into(), serde_json::json!(42));
        let line = serde_json::to_string(&serde_json::Value::Object(obj.clone())).unwrap();
        let r = redactor();
        for out in [r.redact(line.as_bytes()).into_owned(), r.redact_json(line.as_bytes()).unwrap().into_owned()] {
            let parsed: serde_json::Value = serde_json::from_slice(&out).expect("redacted JSON parses");
            let keys: Vec<_> = parsed.as_object().unwrap().keys().cloned().collect();
            let want: Vec<_> = obj.keys().cloned().collect();
            prop_assert_eq!(keys, want);
            prop_assert_eq!(&parsed["n"], &serde_json::json!(42));
        }
    }
}

/// Bytes that hostile or sloppy producers put in logs.
fn junk() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        "\x1b\\[[0-9;]{0,6}[mKGH]".prop_map(String::into_bytes),
        Just(b"\r".to_vec()),
        Just(b"\0".to_vec()),
        Just(b"\t".to_vec()),
        prop::collection::vec(0x80u8..=0xff, 1..4),
        prop::collection::vec(any::<u8>(), 1..6),
    ]
}

/// A generated log with junk inserted at arbitrary offsets.
fn hostile_logs() -> impl Strategy<Value = Vec<u8>> {
    (logs(), prop::collection::vec((any::<usize>(), junk()), 0..12)).prop_map(|(mut log, inserts)| {
        for (at, bytes) in inserts {
            let at = at % (log.len() + 1);
            log.splice(at..at, bytes);
        }
        log
    })
}

/// Is `out` the input with each finding's span replaced by the mask (`"[REDACTED]"` in
/// added quotes where a JSON value that was not a string is masked), nothing else changed?
fn masked_at_findings(input: &[u8], findings: &[hush::Finding], out: &[u8]) -> bool {
    let mut at = 0;
    let mut cursor = 0;
    for f in findings {
        let gap = &input[cursor..f.start];
        if !out[at..].starts_with(gap) {
            return false;
        }
        at += gap.len();
        let mask: &[u8] = if out[at..].starts_with(b"\"[REDACTED]\"") { b"\"[REDACTED]\"" } else { b"[REDACTED]" };
        if !out[at..].starts_with(mask) {
            return false;
        }
        at += mask.len();
        cursor = f.end;
    }
    out[at..] == input[cursor..]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Outside findings hostile bytes pass through unchanged, every changed region is a
    /// mask, the line count is kept, and any chunking gives the same output.
    #[test]
    fn hostile_bytes_change_only_at_findings(input in hostile_logs(), cuts in prop::collection::vec(any::<usize>(), 0..20)) {
        let r = redactor();
        let once = r.redact(&input).into_owned();
        let findings = r.scan(&input);
        prop_assert!(masked_at_findings(&input, &findings, &once), "bytes outside the {} findings changed", findings.len());
        let newlines = |b: &[u8]| b.iter().filter(|&&c| c == b'\n').count();
        prop_assert_eq!(newlines(&once), newlines(&input));
        prop_assert!(stream(&r, &input, &cuts, false) == once, "a chunking changed the output");
        prop_assert!(split_redactor().redact(&input) == once, "known values searched apart changed the output");
    }
}

/// The secrets a generated log contains (values of sensitive pairs, the known value, tokens).
fn secrets_in(input: &[u8]) -> Vec<Vec<u8>> {
    let mut out = vec![KNOWN.to_vec()];
    for re in &Reference::new().rules {
        for c in re.captures_iter(input) {
            let m = c.get(1).unwrap().as_bytes();
            if m.len() >= 8 {
                out.push(m.to_vec());
            }
        }
    }
    out
}
