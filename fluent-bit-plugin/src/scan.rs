//! A validating, allocation-light JSON walker (no DOM): reports every scalar with the
//! byte range of its raw text and the name of the object member it belongs to.
//!
//! The filter runs it over a rejected record to salvage its harmless numeric and boolean
//! fields (a valid record's string values are reported by the core as it redacts them),
//! and rejects records nested deeper than [`MAX_DEPTH`].

use std::ops::Range;

/// Deepest nesting accepted; deeper records are rejected (fail closed).
pub(crate) const MAX_DEPTH: usize = 512;

/// What kind of scalar an [`Item`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A string value; `raw` is its content between the quotes, still escaped.
    Str,
    /// A number; `raw` is its text.
    Number,
    /// `true` or `false`.
    Bool,
    /// `null`.
    Null,
}

/// One scalar value.
#[derive(Clone, Debug)]
pub(crate) struct Item {
    /// Content range of the nearest enclosing member name (still escaped), `None` at
    /// top-level arrays (never, since the root must be an object).
    pub(crate) key: Option<Range<usize>>,
    /// Raw range of the value (for strings: between the quotes).
    pub(crate) raw: Range<usize>,
    pub(crate) kind: Kind,
    /// 1 for members of the root object.
    pub(crate) depth: usize,
    /// True when the value is directly a member of an object (not inside an array).
    pub(crate) member: bool,
}

/// Why a record is not a JSON object. Carries an offset, never input bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ScanError {
    pub(crate) offset: usize,
    pub(crate) reason: &'static str,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    /// After `{`: a member name or `}`.
    FirstKey,
    /// After `,` in an object: a member name.
    Key,
    /// After `[`: a value or `]`.
    FirstValue,
    /// A value.
    Value,
    /// After a value: `,`, or the closing bracket of the container.
    After,
}

struct Frame {
    object: bool,
    key: Option<Range<usize>>,
}

/// Walks `buf`, which must hold exactly one JSON object, calling `on_item` for each scalar
/// in document order. Items before an error are still reported.
pub(crate) fn walk(buf: &[u8], mut on_item: impl FnMut(&Item)) -> Result<(), ScanError> {
    let mut stack: Vec<Frame> = Vec::new();
    let err = |offset: usize, reason: &'static str| Err(ScanError { offset, reason });
    let mut pos = skip_ws(buf, 0);
    if buf.get(pos) != Some(&b'{') {
        return err(pos, "expected a JSON object");
    }
    pos += 1;
    stack.push(Frame { object: true, key: None });
    let mut state = State::FirstKey;
    while let Some(top) = stack.last_mut() {
        pos = skip_ws(buf, pos);
        let Some(&b) = buf.get(pos) else {
            return err(pos, "unexpected end of input");
        };
        match state {
            State::FirstKey | State::Key => {
                if b == b'}' && state == State::FirstKey {
                    pos += 1;
                    stack.pop();
                    state = State::After;
                    continue;
                }
                if b != b'"' {
                    return err(pos, "expected a member name");
                }
                let end = string_end(buf, pos + 1)?;
                top.key = Some(pos + 1..end);
                pos = skip_ws(buf, end + 1);
                if buf.get(pos) != Some(&b':') {
                    return err(pos, "expected `:`");
                }
                pos += 1;
                state = State::Value;
            }
            State::FirstValue | State::Value => {
                if b == b']' && state == State::FirstValue {
                    pos += 1;
                    stack.pop();
                    state = State::After;
                    continue;
                }
                let key = top.key.clone();
                let member = top.object;
                let depth = stack.len();
                match b {
                    b'{' | b'[' => {
                        if stack.len() >= MAX_DEPTH {
                            return err(pos, "nested too deeply");
                        }
                        let object = b == b'{';
                        stack.push(Frame { object, key });
                        state = if object { State::FirstKey } else { State::FirstValue };
                        pos += 1;
                        continue;
                    }
                    b'"' => {
                        let end = string_end(buf, pos + 1)?;
                        on_item(&Item { key, raw: pos + 1..end, kind: Kind::Str, depth, member });
                        pos = end + 1;
                    }
                    b't' | b'f' | b'n' => {
                        let (word, kind): (&[u8], Kind) = match b {
                            b't' => (b"true", Kind::Bool),
                            b'f' => (b"false", Kind::Bool),
                            _ => (b"null", Kind::Null),
                        };
                        if !buf[pos..].starts_with(word) {
                            return err(pos, "invalid literal");
                        }
                        on_item(&Item { key, raw: pos..pos + word.len(), kind, depth, member });
                        pos += word.len();
                    }
                    b'-' | b'0'..=b'9' => {
                        let end = number_end(buf, pos);
                        if end == pos {
                            return err(pos, "invalid number");
                        }
                        on_item(&Item { key, raw: pos..end, kind: Kind::Number, depth, member });
                        pos = end;
                    }
                    _ => return err(pos, "expected a value"),
                }
                state = State::After;
            }
            State::After => {
                let object = top.object;
                match (b, object) {
                    (b',', true) => state = State::Key,
                    (b',', false) => state = State::Value,
                    (b'}', true) | (b']', false) => {
                        stack.pop();
                        state = State::After;
                    }
                    _ => return err(pos, "expected `,` or a closing bracket"),
                }
                pos += 1;
            }
        }
    }
    pos = skip_ws(buf, pos);
    if pos != buf.len() {
        return err(pos, "trailing bytes after the object");
    }
    Ok(())
}

fn skip_ws(buf: &[u8], mut pos: usize) -> usize {
    while pos < buf.len() && matches!(buf[pos], b' ' | b'\t' | b'\n' | b'\r') {
        pos += 1;
    }
    pos
}

/// Offset of the closing quote of the string whose content starts at `pos`.
fn string_end(buf: &[u8], mut pos: usize) -> Result<usize, ScanError> {
    loop {
        let Some(i) = memchr::memchr2(b'"', b'\\', &buf[pos..]) else {
            return Err(ScanError { offset: buf.len(), reason: "unterminated string" });
        };
        let at = pos + i;
        if let Some(bad) = buf[pos..at].iter().position(|&c| c < 0x20) {
            return Err(ScanError { offset: pos + bad, reason: "control character in string" });
        }
        if buf[at] == b'"' {
            return Ok(at);
        }
        match buf.get(at + 1) {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => pos = at + 2,
            Some(b'u') if buf.len() >= at + 6 && buf[at + 2..at + 6].iter().all(u8::is_ascii_hexdigit) => pos = at + 6,
            _ => {
                return Err(ScanError { offset: at, reason: "invalid escape" });
            }
        }
    }
}

fn number_end(buf: &[u8], mut pos: usize) -> usize {
    while pos < buf.len() && matches!(buf[pos], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') {
        pos += 1;
    }
    pos
}

/// Is `raw` a number in strict JSON syntax (so it may be copied into output verbatim)?
pub(crate) fn is_strict_number(raw: &[u8]) -> bool {
    let mut i = usize::from(raw.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let s = *i;
        while *i < raw.len() && raw[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - s
    };
    let int_start = i;
    let n = digits(&mut i);
    if n == 0 || (n > 1 && raw[int_start] == b'0') {
        return false;
    }
    if raw.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(raw.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(raw.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == raw.len()
}

/// Length in bytes of the string content `raw` once its escapes are decoded.
pub(crate) fn decoded_len(raw: &[u8]) -> usize {
    let mut len = 0;
    let mut i = 0;
    while i < raw.len() {
        if raw[i] != b'\\' {
            len += 1;
            i += 1;
            continue;
        }
        if raw.get(i + 1) != Some(&b'u') {
            len += 1;
            i += 2;
            continue;
        }
        let unit = hex4(&raw[i + 2..]).unwrap_or(0);
        i += 6;
        len += match unit {
            0..=0x7f => 1,
            0x80..=0x7ff => 2,
            // A high surrogate followed by its low half is one 4-byte character.
            0xd800..=0xdbff if raw[i..].starts_with(b"\\u") => {
                i += 6;
                4
            }
            _ => 3,
        };
    }
    len
}

fn hex4(b: &[u8]) -> Option<u32> {
    let s = std::str::from_utf8(b.get(..4)?).ok()?;
    u32::from_str_radix(s, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Member name, raw value, kind and depth of one scalar.
    type Seen = (Option<String>, String, Kind, usize);

    fn items(json: &str) -> Result<Vec<Seen>, ScanError> {
        let mut out = Vec::new();
        walk(json.as_bytes(), |it| {
            let key = it.key.clone().map(|k| json[k].to_owned());
            out.push((key, json[it.raw.clone()].to_owned(), it.kind, it.depth));
        })?;
        Ok(out)
    }

    #[test]
    fn reports_scalars_with_their_member_names() {
        let got = items(r#"{"a":"x","n":-1.5e3,"o":{"b":[true,null,"y\"z"]},"e":{},"f":[]}"#).unwrap();
        let want = vec![
            (Some("a".into()), "x".into(), Kind::Str, 1),
            (Some("n".into()), "-1.5e3".into(), Kind::Number, 1),
            (Some("b".into()), "true".into(), Kind::Bool, 3),
            (Some("b".into()), "null".into(), Kind::Null, 3),
            (Some("b".into()), "y\\\"z".into(), Kind::Str, 3),
        ];
        assert_eq!(got, want);
    }

    #[test]
    fn rejects_what_is_not_one_object() {
        for bad in [
            "",
            "[]",
            "{",
            r#"{"a"}"#,
            r#"{"a":}"#,
            r#"{"a":1,}"#,
            r#"{"a":"\x"}"#,
            "{} {}",
            r#"{"a":tru}"#,
            "{\"a\":\"\u{1}\"}",
        ] {
            assert!(items(bad).is_err(), "accepted case #{}", bad.len());
        }
        let deep = format!("{{\"a\":{}{}}}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(items(&deep).unwrap_err().reason, "nested too deeply");
    }

    #[test]
    fn strict_numbers() {
        for ok in ["0", "-0", "12", "1.5", "1e9", "-2.5E-3"] {
            assert!(is_strict_number(ok.as_bytes()), "{ok}");
        }
        for bad in ["", "-", "01", "1.", "1e", "1-2", "+1"] {
            assert!(!is_strict_number(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn decoded_lengths() {
        assert_eq!(decoded_len(br"ab\ncd"), 5);
        assert_eq!(decoded_len(br"\u00e9"), 2);
        assert_eq!(decoded_len(br"\u20ac"), 3);
        assert_eq!(decoded_len(br"\ud83d\ude00!"), 5);
    }
}
