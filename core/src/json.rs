//! JSON-aware redaction: one pass over JSON text.
//!
//! Keys at any depth act as key rules: a scalar under a sensitive key is masked (numbers
//! become a masked string; `true`, `false`, `null` are placeholders and stay), and an
//! object or array under one keeps its structure with every scalar leaf masked. Every
//! other string value is redacted as text — after unescaping, so a `log` field holding a
//! multi-line traceback or a PEM key is seen as the text it stands for. Strings that do
//! not change keep their exact bytes; the output is valid JSON with the same keys.

use std::borrow::Cow;

use crate::{Finding, JsonError, Redactor, Report, RuleId, RuleKind};

/// Deepest nesting accepted (deeper input is rejected rather than risking the stack).
const MAX_DEPTH: usize = 1024;

pub(crate) fn redact_json<'a>(
    red: &Redactor,
    input: &'a [u8],
    report: &mut Report,
) -> Result<Cow<'a, [u8]>, JsonError> {
    let mut w = JsonRedactor { red, input, pos: 0, out: None, copied: 0, report };
    w.document()?;
    w.report.bytes_in += input.len() as u64;
    let out = match w.out.take() {
        None => Cow::Borrowed(input),
        Some(mut out) => {
            out.extend_from_slice(&input[w.copied..]);
            Cow::Owned(out)
        }
    };
    report.bytes_out += out.len() as u64;
    report.lines += memchr::memchr_iter(b'\n', input).count() as u64 + 1;
    Ok(out)
}

/// A container on the parse stack: the sensitive-key rule it inherits, if any.
struct Frame {
    is_object: bool,
    secret: Option<RuleId>,
}

struct JsonRedactor<'r, 'a> {
    red: &'r Redactor,
    input: &'a [u8],
    pos: usize,
    /// Output, allocated at the first change; `copied` is how much input it already holds.
    out: Option<Vec<u8>>,
    copied: usize,
    report: &'r mut Report,
}

impl JsonRedactor<'_, '_> {
    fn err(&self, reason: &'static str) -> JsonError {
        JsonError { offset: self.pos, reason }
    }

    fn ws(&mut self) {
        while self.pos < self.input.len() && matches!(self.input[self.pos], b' ' | b'\t' | b'\n' | b'\r') {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    /// Replaces `input[start..end]` with `with` in the output.
    fn replace(&mut self, start: usize, end: usize, with: &[u8]) {
        let out = self.out.get_or_insert_with(|| Vec::with_capacity(self.input.len() + 64));
        out.extend_from_slice(&self.input[self.copied..start]);
        out.extend_from_slice(with);
        self.copied = end;
    }

    fn document(&mut self) -> Result<(), JsonError> {
        let mut stack: Vec<Frame> = Vec::new();
        // The sensitive-key rule for the next value, if its key is sensitive.
        let mut pending_key: Option<RuleId> = None;
        self.ws();
        loop {
            // A value is expected here.
            self.ws();
            let inherited = stack.last().and_then(|f| f.secret.clone());
            let secret = pending_key.take().or(inherited);
            match self.peek() {
                Some(b'{') | Some(b'[') => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(self.err("nesting too deep"));
                    }
                    let is_object = self.peek() == Some(b'{');
                    self.pos += 1;
                    stack.push(Frame { is_object, secret });
                    self.ws();
                    let close = if is_object { b'}' } else { b']' };
                    if self.peek() == Some(close) {
                        self.pos += 1;
                        stack.pop();
                    } else if is_object {
                        pending_key = self.key()?;
                        continue;
                    } else {
                        continue;
                    }
                }
                Some(b'"') => self.string_value(secret)?,
                Some(b't') => self.literal(b"true")?,
                Some(b'f') => self.literal(b"false")?,
                Some(b'n') => self.literal(b"null")?,
                Some(b'-' | b'0'..=b'9') => self.number(secret)?,
                Some(_) => return Err(self.err("expected a value")),
                None => return Err(self.err("unexpected end of input")),
            }
            // After a value: `,` or a closing bracket, repeatedly.
            loop {
                self.ws();
                let Some(frame) = stack.last() else {
                    return if self.pos == self.input.len() { Ok(()) } else { Err(self.err("trailing characters")) };
                };
                let close = if frame.is_object { b'}' } else { b']' };
                match self.peek() {
                    Some(b',') => {
                        self.pos += 1;
                        if frame.is_object {
                            self.ws();
                            pending_key = self.key()?;
                        }
                        break;
                    }
                    Some(c) if c == close => {
                        self.pos += 1;
                        stack.pop();
                    }
                    _ => return Err(self.err("expected `,` or a closing bracket")),
                }
            }
        }
    }

    /// Parses `"key" :` and returns the key's rule when the key is sensitive.
    fn key(&mut self) -> Result<Option<RuleId>, JsonError> {
        if self.peek() != Some(b'"') {
            return Err(self.err("expected a string key"));
        }
        let (start, end, escaped) = self.string_span()?;
        let raw = &self.input[start..end];
        let rule = if escaped {
            let decoded = unescape(raw);
            self.red.keys().classify_bytes(&decoded)
        } else {
            self.red.keys().classify_bytes(raw)
        };
        self.ws();
        if self.peek() != Some(b':') {
            return Err(self.err("expected `:`"));
        }
        self.pos += 1;
        Ok(rule)
    }

    /// Scans a string at `pos`; returns the content span and whether it has escapes.
    fn string_span(&mut self) -> Result<(usize, usize, bool), JsonError> {
        let start = self.pos + 1;
        let mut p = start;
        let mut escaped = false;
        loop {
            let Some(i) = memchr::memchr3(b'"', b'\\', b'\n', &self.input[p..]) else {
                self.pos = self.input.len();
                return Err(self.err("unterminated string"));
            };
            p += i;
            match self.input[p] {
                b'"' => break,
                b'\\' => {
                    escaped = true;
                    match self.input.get(p + 1) {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => p += 2,
                        Some(b'u')
                            if self.input.len() >= p + 6
                                && self.input[p + 2..p + 6].iter().all(u8::is_ascii_hexdigit) =>
                        {
                            p += 6
                        }
                        _ => {
                            self.pos = p;
                            return Err(self.err("invalid escape"));
                        }
                    }
                }
                _ => {
                    self.pos = p;
                    return Err(self.err("control character in string"));
                }
            }
        }
        if let Some(c) = self.input[start..p].iter().position(|&b| b < 0x20) {
            self.pos = start + c;
            return Err(self.err("control character in string"));
        }
        self.pos = p + 1;
        Ok((start, p, escaped))
    }

    fn string_value(&mut self, secret: Option<RuleId>) -> Result<(), JsonError> {
        let (start, end, escaped) = self.string_span()?;
        let raw = &self.input[start..end];
        let text: Cow<'_, [u8]> = if escaped { Cow::Owned(unescape(raw)) } else { Cow::Borrowed(raw) };
        if let Some(rule) = secret {
            if crate::engine::is_placeholder(&text) {
                return Ok(());
            }
            let mut mask = Vec::new();
            self.red.masker().write(&mut mask, &rule, &text, 0);
            self.record(rule, start);
            self.replace(start, end, &escape(&mask, false));
            return Ok(());
        }
        let mut sub = Report::default();
        let redacted = crate::stream::redact_all(self.red, &text, &mut sub, None);
        if let Cow::Owned(new) = redacted {
            for (rule, count) in sub.rules {
                let entry = self.report.rules.entry(rule).or_default();
                entry.kind = entry.kind.or(count.kind);
                entry.count += count.count;
                entry.truncated += count.truncated;
            }
            let ascii_escapes = escaped && has_unicode_escape(raw);
            self.replace(start, end, &escape(&new, ascii_escapes));
        }
        Ok(())
    }

    fn record(&mut self, rule: RuleId, at: usize) {
        let f = Finding { rule, kind: RuleKind::Key, start: at, end: at, truncated: false };
        self.report.record(&f);
    }

    fn literal(&mut self, word: &'static [u8]) -> Result<(), JsonError> {
        if self.input[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.err("invalid literal"))
        }
    }

    fn number(&mut self, secret: Option<RuleId>) -> Result<(), JsonError> {
        let start = self.pos;
        let b = self.input;
        let mut p = self.pos;
        if b.get(p) == Some(&b'-') {
            p += 1;
        }
        let digits = |p: &mut usize| {
            let s = *p;
            while b.get(*p).is_some_and(u8::is_ascii_digit) {
                *p += 1;
            }
            *p > s
        };
        let int_start = p;
        if !digits(&mut p) {
            self.pos = p;
            return Err(self.err("invalid number"));
        }
        // JSON has no leading zeros (`01`, `-00`): such a record is invalid, not a number.
        if b[int_start] == b'0' && p - int_start > 1 {
            self.pos = int_start + 1;
            return Err(self.err("invalid number"));
        }
        if b.get(p) == Some(&b'.') {
            p += 1;
            if !digits(&mut p) {
                self.pos = p;
                return Err(self.err("invalid number"));
            }
        }
        if matches!(b.get(p), Some(b'e' | b'E')) {
            p += 1;
            if matches!(b.get(p), Some(b'+' | b'-')) {
                p += 1;
            }
            if !digits(&mut p) {
                self.pos = p;
                return Err(self.err("invalid number"));
            }
        }
        self.pos = p;
        if let Some(rule) = secret {
            let mut mask = vec![b'"'];
            self.red.masker().write(&mut mask, &rule, &b[start..p], 0);
            mask.push(b'"');
            self.record(rule, start);
            self.replace(start, p, &mask);
        }
        Ok(())
    }
}

fn has_unicode_escape(raw: &[u8]) -> bool {
    memchr::memmem::find(raw, b"\\u").is_some()
}

/// Decodes JSON string content (already validated). Lone surrogates become U+FFFD.
fn unescape(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let c = raw[i];
        if c != b'\\' {
            out.push(c);
            i += 1;
            continue;
        }
        let e = raw[i + 1];
        i += 2;
        let simple = match e {
            b'"' => Some(b'"'),
            b'\\' => Some(b'\\'),
            b'/' => Some(b'/'),
            b'b' => Some(8),
            b'f' => Some(12),
            b'n' => Some(b'\n'),
            b'r' => Some(b'\r'),
            b't' => Some(b'\t'),
            _ => None,
        };
        if let Some(s) = simple {
            out.push(s);
            continue;
        }
        let hex = |s: &[u8]| u32::from_str_radix(std::str::from_utf8(s).unwrap_or("0"), 16).unwrap_or(0xFFFD);
        let mut cp = hex(&raw[i..i + 4]);
        i += 4;
        if (0xD800..0xDC00).contains(&cp) && raw[i..].starts_with(b"\\u") && raw.len() >= i + 6 {
            let lo = hex(&raw[i + 2..i + 6]);
            if (0xDC00..0xE000).contains(&lo) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 6;
            }
        }
        let ch = char::from_u32(cp).unwrap_or('\u{FFFD}');
        let mut buf = [0u8; 4];
        out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
    }
    out
}

/// Encodes text as JSON string content. Invalid UTF-8 becomes U+FFFD; non-ASCII is written
/// as `\uXXXX` when `ascii` is set (to keep the input's style).
fn escape(text: &[u8], ascii: bool) -> Vec<u8> {
    let s = String::from_utf8_lossy(text);
    let mut out = Vec::with_capacity(text.len() + 8);
    for ch in s.chars() {
        match ch {
            '"' => out.extend_from_slice(b"\\\""),
            '\\' => out.extend_from_slice(b"\\\\"),
            '\n' => out.extend_from_slice(b"\\n"),
            '\r' => out.extend_from_slice(b"\\r"),
            '\t' => out.extend_from_slice(b"\\t"),
            c if (c as u32) < 0x20 || (ascii && !c.is_ascii()) => {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out.extend_from_slice(format!("\\u{:04x}", u).as_bytes());
                }
            }
            c => {
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::Redactor;

    fn rj(input: &str) -> String {
        let r = Redactor::default();
        String::from_utf8(r.redact_json(input.as_bytes()).unwrap().into_owned()).unwrap()
    }

    #[test]
    fn keys_at_any_depth() {
        assert_eq!(rj(r#"{"a":{"password":"x1y2z3"},"b":1}"#), r#"{"a":{"password":"[REDACTED]"},"b":1}"#);
        assert_eq!(rj(r#"{"pin": 123456}"#), r#"{"pin": "[REDACTED]"}"#);
        assert_eq!(rj(r#"{"token": null, "secret": true}"#), r#"{"token": null, "secret": true}"#);
        assert_eq!(
            rj(r#"{"credentials": {"user": "bob", "n": [1, "two"]}}"#),
            r#"{"credentials": {"user": "[REDACTED]", "n": ["[REDACTED]", "[REDACTED]"]}}"#
        );
    }

    #[test]
    fn string_values_are_redacted_as_text() {
        assert_eq!(
            rj(r#"{"log":"Authorization: Bearer abcdef123456\n","n":2}"#),
            r#"{"log":"Authorization: Bearer [REDACTED]\n","n":2}"#
        );
        assert_eq!(rj(r#"["login password=hunter22 x", "ok"]"#), r#"["login password=[REDACTED] x", "ok"]"#);
        assert_eq!(rj(r#"["password=hunter22 x"]"#), r#"["password=[REDACTED]"]"#);
    }

    #[test]
    fn unchanged_is_borrowed_and_exact() {
        let r = Redactor::default();
        let input = br#" {"msg": "caf\u00e9 \"ok\"", "x": [1.5e3, -0, false]} "#;
        assert!(matches!(r.redact_json(input).unwrap(), std::borrow::Cow::Borrowed(_)));
    }

    #[test]
    fn escapes_keep_their_style() {
        assert_eq!(
            rj(r#"{"log":"caf\u00e9 password=\"s3cr\u00e9t\""}"#),
            r#"{"log":"caf\u00e9 password=\"[REDACTED]\""}"#
        );
    }

    #[test]
    fn invalid_json_is_an_error() {
        let r = Redactor::default();
        for bad in [
            &b"{"[..],
            b"{\"a\" 1}",
            b"[1,]",
            b"\"abc",
            b"{} x",
            b"01x",
            b"{\"a\":tru}",
            b"\"a\nb\"",
            b"{\"a\":01}",
            b"[-00]",
        ] {
            assert!(r.redact_json(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
        for good in [&b"[0, -0, 0.5, 10, -0e1, 100]"[..], b"{\"a\":0}"] {
            assert!(r.redact_json(good).is_ok(), "{}", String::from_utf8_lossy(good));
        }
        let deep = "[".repeat(5000);
        assert!(r.redact_json(deep.as_bytes()).is_err());
    }
}
