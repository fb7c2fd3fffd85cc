//! No leak, as properties: generated tokens of every built-in format rule and generated
//! known values, embedded in generated text — plain, inside JSON strings, in URLs (userinfo
//! and query), base64-encoded (known values) and wrapped in ANSI colours — leave no 8-byte
//! substring of the secret in the output. Structure: every changed region of the output is
//! a mask (the output is the input with each finding's span replaced by the mask) and the
//! line count is kept.
//!
//! Failure messages name rules, contexts and offsets, never a secret.

mod common;

use base64::Engine as _;
use common::generate::{check_every_bounded_rule, run_quietly};
use hush::rules::format::shannon_entropy;
use hush::{Finding, FormatRule, MaskStyle, Redactor};
use proptest::strategy::Strategy;
use proptest::test_runner::TestCaseError;
use regex::bytes::Regex;

/// Leaks are substrings of this length.
const LEAK: usize = 8;

/// Does an 8-byte window of `secret` occur in `out` and not in `context` (the same text
/// without the secret: a window shared with the surrounding text is no leak)?
fn leaked_window(secret: &[u8], out: &[u8], context: &[u8]) -> Option<usize> {
    secret
        .windows(LEAK)
        .position(|w| memchr::memmem::find(out, w).is_some() && memchr::memmem::find(context, w).is_none())
}

/// The output is the input with each finding replaced by the mask the style writes for it.
fn only_masks_changed(r: &Redactor, input: &[u8], out: &[u8], findings: &[Finding]) -> Result<(), String> {
    let mut cursor = 0;
    let mut at = 0;
    for f in findings {
        if f.start < cursor {
            return Err(format!("finding {f} overlaps the previous one"));
        }
        let gap = &input[cursor..f.start];
        if !out[at..].starts_with(gap) {
            return Err(format!("bytes {cursor}..{} outside findings changed", f.start));
        }
        at += gap.len();
        // The mask ends where the next unchanged bytes start.
        let mask_len = match r.mask_style() {
            MaskStyle::Redacted => b"[REDACTED]".len(),
            MaskStyle::Partial => {
                let rest = &input[f.end..findings.iter().find(|g| g.start >= f.end).map_or(input.len(), |g| g.start)];
                let end = if rest.is_empty() {
                    out.len()
                } else {
                    at + memchr::memmem::find(&out[at..], rest).ok_or("text after a finding changed")?
                };
                end - at
            }
            other => return Err(format!("mask style {other} not handled by this test")),
        };
        let mask = &out[at..at + mask_len];
        let is_mask = mask == b"[REDACTED]" || memchr::memmem::find(mask, "\u{2026}".as_bytes()).is_some();
        if !is_mask {
            return Err(format!("finding {f} replaced by something other than a mask"));
        }
        at += mask_len;
        cursor = f.end;
    }
    if out[at..] != input[cursor..] {
        return Err(format!("bytes after {cursor} changed"));
    }
    let lines = |b: &[u8]| memchr::memchr_iter(b'\n', b).count();
    if lines(input) != lines(out) {
        return Err("line count changed".into());
    }
    Ok(())
}

/// How a secret is placed in a line: `(name, before, after)`.
type Context = (&'static str, &'static str, &'static str);

const TEXT: Context = ("text", "2024-05-01T12:00:00Z INFO deploy started with ", " for job 42\n");
const JSON: Context = ("json string", "{\"level\":\"info\",\"msg\":\"uploading with ", " now\",\"n\":1}\n");
const QUERY: Context = ("url query", "GET https://api.example.com/v1/items?page=2&q=", "&sort=asc HTTP/1.1\n");
const USERINFO: Context = ("url userinfo", "fetching https://deploy:", "@git.example.com/repo.git\n");
const ANSI: Context = ("ansi", "\x1b[2m12:00\x1b[0m status \x1b[1;31m", "\x1b[0m done\n");

/// Can `token` stand in `ctx` unescaped (a JSON string, a URL part)?
fn fits(ctx: &Context, token: &str) -> bool {
    match ctx.0 {
        "json string" => !token.bytes().any(|b| b == b'"' || b == b'\\' || b < b' '),
        "url query" => token.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~+/=%:".contains(&b)),
        "url userinfo" => token.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~+=%!$*,;".contains(&b)),
        _ => true,
    }
}

/// One generated token of `rule` in each context it fits: what the rule's own regex calls
/// the secret is masked without a leak, and only masks changed.
fn check_token(r: &Redactor, rule: &FormatRule, re: &Regex, token: &str) -> Result<(), TestCaseError> {
    for ctx in [TEXT, JSON, QUERY, USERINFO, ANSI] {
        if !fits(&ctx, token) {
            continue;
        }
        let line = format!("{}{token}{}", ctx.1, ctx.2);
        let context = format!("{}{}", ctx.1, ctx.2);
        let input = line.as_bytes();
        let (out, findings) = (r.redact(input).into_owned(), r.scan(input));
        only_masks_changed(r, input, &out, &findings)
            .map_err(|e| TestCaseError::fail(format!("rule {} in {}: {e}", rule.id, ctx.0)))?;
        for caps in re.captures_iter(input) {
            let Some(m) = caps.get(rule.secret_group.unwrap_or(0)) else { continue };
            let secret = m.as_bytes();
            if rule.entropy.is_some_and(|min| shannon_entropy(secret) < min) {
                continue; // below the rule's entropy floor: left alone by design
            }
            if let Some(at) = leaked_window(secret, &out, context.as_bytes()) {
                return Err(TestCaseError::fail(format!(
                    "rule {} in {}: secret at {}..{} leaked 8 bytes from its offset {at}",
                    rule.id,
                    ctx.0,
                    m.start(),
                    m.end()
                )));
            }
        }
    }
    Ok(())
}

#[test]
fn format_tokens_do_not_leak_in_any_context() {
    let r = Redactor::default();
    check_every_bounded_rule(12, |rule, re, token| check_token(&r, rule, re, token));
}

/// A known value: 8 to 24 bytes of printable ASCII that need escaping in JSON and URLs,
/// starting and ending with a letter (loaders trim blanks; all-digit values are refused).
fn known_value() -> impl Strategy<Value = String> {
    ("[a-zA-Z]", "[a-zA-Z0-9 !\"#%&'()*+,./:;<=>?@\\\\^_`{|}~-]{6,22}", "[a-zA-Z]").prop_map(|(a, b, c)| a + &b + &c)
}

/// The forms a known value takes in a line, each with the text that holds it: `(context,
/// encoded value, before, after)`.
fn placements(value: &str) -> Vec<(&'static str, String, &'static str, &'static str)> {
    let json = serde_json::to_string(value).unwrap();
    let json_inner = json[1..json.len() - 1].to_owned();
    let pct: String = value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    let b64 = base64::engine::general_purpose::STANDARD.encode(format!("deploy:{value}:x"));
    let b64_url = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("k={value}"));
    vec![
        ("text", value.to_owned(), "retrying connection with ", " after 3s\n"),
        ("json string", json_inner, "{\"msg\":\"auth with ", " failed\",\"n\":2}\n"),
        ("url userinfo", pct.clone(), "GET https://app:", "@db.example.com:5432/x\n"),
        ("url query", pct, "GET https://api.example.com/cb?page=1&q=", "&x=2 HTTP/1.1\n"),
        ("base64", b64, "blob ", " end\n"),
        ("base64url", b64_url, "cookie=", "; Path=/\n"),
        ("ansi", value.to_owned(), "\x1b[2m12:00\x1b[0m using \x1b[1;33m", "\x1b[0m ok\n"),
    ]
}

fn check_known(value: &str, style: MaskStyle) -> Result<(), TestCaseError> {
    let r = Redactor::builder().known_value(value.as_bytes()).mask(style).build().unwrap();
    for (ctx, encoded, before, after) in placements(value) {
        let line = format!("{before}{encoded}{after}");
        let context = format!("{before}{after}");
        let input = line.as_bytes();
        let (out, findings) = (r.redact(input).into_owned(), r.scan(input));
        only_masks_changed(&r, input, &out, &findings)
            .map_err(|e| TestCaseError::fail(format!("{style} mask, {ctx}: {e}")))?;
        for (what, secret) in [("value", value.as_bytes()), ("encoded form", encoded.as_bytes())] {
            if let Some(at) = leaked_window(secret, &out, context.as_bytes()) {
                return Err(TestCaseError::fail(format!(
                    "{style} mask, {ctx}: 8 bytes of the {what} (length {}) leaked from its offset {at}",
                    secret.len()
                )));
            }
        }
    }
    Ok(())
}

#[test]
fn known_values_do_not_leak_in_any_context() {
    let result = run_quietly(&known_value(), 48, |value| check_known(&value, MaskStyle::Redacted));
    assert!(result.is_ok(), "{}", result.unwrap_err());
}

/// The partial mask keeps at most the last 4 characters: no 8-byte leak either.
#[test]
fn partial_mask_keeps_no_eight_bytes() {
    let result = run_quietly(&known_value(), 48, |value| check_known(&value, MaskStyle::Partial));
    assert!(result.is_ok(), "{}", result.unwrap_err());
}
