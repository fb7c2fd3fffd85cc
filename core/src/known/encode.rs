//! Encoded forms of a known value, all searched in the engine's single Aho-Corasick pass,
//! and the span to mask when one of them is found.
//!
//! Forms: the raw bytes; base64 (standard and URL-safe alphabets, each of the three byte
//! alignments, so the value is found inside a longer base64 string); percent-encoding
//! (upper- and lower-case hex, `%20` or `+` for space, RFC 3986 and `encodeURIComponent`
//! reserved sets); JSON / backslash escaping; lower- and upper-case hex.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use zeroize::Zeroizing;

/// Which encoding a searched form is: decides how far the masked span reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Form {
    /// The value itself.
    Raw,
    /// The stable core of a base64 encoding: the span grows to the enclosing base64 token.
    Base64,
    /// Percent-encoded.
    Percent,
    /// JSON / backslash escaped.
    Escaped,
    /// Hex digits.
    Hex,
}

/// Shortest base64 core kept: a shorter one would match unrelated base64 text.
const MIN_BASE64_CORE: usize = 6;

/// Every form of `value` to search for, each with its kind. Duplicates (a value with no
/// byte that needs escaping has escaped forms equal to the raw one) are removed.
pub(crate) fn encoded_forms(value: &[u8]) -> Vec<(Vec<u8>, Form)> {
    let mut out: Vec<(Vec<u8>, Form)> = Vec::with_capacity(16);
    let push = |form: Vec<u8>, kind: Form, out: &mut Vec<(Vec<u8>, Form)>| {
        if !form.is_empty() && !out.iter().any(|(f, _)| *f == form) {
            out.push((form, kind));
        }
    };
    push(value.to_vec(), Form::Raw, &mut out);
    for core in base64_cores(value) {
        push(core, Form::Base64, &mut out);
    }
    // Most values have no byte that these encodings change: skip building twelve copies
    // of the raw form (thousands of values are loaded at start-up).
    let unreserved = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
    if !value.iter().all(unreserved) {
        for upper in [true, false] {
            for plus in [false, true] {
                for component in [false, true] {
                    push(percent_encode(value, upper, plus, component), Form::Percent, &mut out);
                }
            }
        }
    }
    if value.iter().any(|&b| !(0x20..0x80).contains(&b) || matches!(b, b'"' | b'\\' | b'/')) {
        for slash in [false, true] {
            for ascii in [false, true] {
                push(json_escape(value, slash, ascii), Form::Escaped, &mut out);
            }
        }
    }
    if value.iter().any(|b| matches!(b, b'\\' | b'"' | b'$' | b'`')) {
        push(shell_escape(value), Form::Escaped, &mut out);
    }
    push(hex(value, false), Form::Hex, &mut out);
    push(hex(value, true), Form::Hex, &mut out);
    out
}

/// The base64 characters that depend only on `value`, whatever precedes or follows it, for
/// each of the three alignments of its first byte and both alphabets.
///
/// With `a` unknown bytes before the value, output character `i` covers bits `6i..6i+6` of
/// the input; it is stable when those bits lie inside the value's bits `8a..8(a+len)`.
fn base64_cores(value: &[u8]) -> Vec<Vec<u8>> {
    let mut cores: Vec<Vec<u8>> = Vec::with_capacity(6);
    // One input and one output buffer for the six encodings (thousands of values are
    // encoded at start-up); zeroized after, as they hold the value.
    let mut input = Zeroizing::new(Vec::with_capacity(value.len() + 2));
    let mut enc = Zeroizing::new(vec![0u8; (value.len() + 2).div_ceil(3) * 4]);
    for align in 0..3usize {
        let first = (8 * align).div_ceil(6);
        let last = (8 * (align + value.len())) / 6; // exclusive
        if last <= first || last - first < MIN_BASE64_CORE {
            continue;
        }
        input.clear();
        input.resize(align, 0);
        input.extend_from_slice(value);
        for engine in [&STANDARD_NO_PAD, &URL_SAFE_NO_PAD] {
            let Ok(n) = engine.encode_slice(input.as_slice(), enc.as_mut_slice()) else { continue };
            let core = &enc[first..last.min(n)];
            if !cores.iter().any(|c| c.as_slice() == core) {
                cores.push(core.to_vec());
            }
        }
    }
    cores
}

/// Percent-encodes every byte outside the unreserved set (`A-Z a-z 0-9 - . _ ~`, plus
/// `! ' ( ) *` for `encodeURIComponent`); `plus` writes a space as `+`.
fn percent_encode(value: &[u8], upper: bool, plus: bool, component: bool) -> Vec<u8> {
    let digits: &[u8; 16] = if upper { b"0123456789ABCDEF" } else { b"0123456789abcdef" };
    let mut out = Vec::with_capacity(value.len() * 3);
    for &b in value {
        let keep = b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~')
            || (component && matches!(b, b'!' | b'\'' | b'(' | b')' | b'*'));
        if keep {
            out.push(b);
        } else if plus && b == b' ' {
            out.push(b'+');
        } else {
            out.extend_from_slice(&[b'%', digits[usize::from(b >> 4)], digits[usize::from(b & 15)]]);
        }
    }
    out
}

/// JSON string escaping: `"` and `\`, control characters, optionally `/` (PHP) and
/// non-ASCII as `\uXXXX` (Python's `ensure_ascii`).
fn json_escape(value: &[u8], slash: bool, ascii: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len() + 8);
    let text = if ascii { std::str::from_utf8(value).ok() } else { None };
    let mut push_u = |out: &mut Vec<u8>, u: u32| out.extend_from_slice(format!("\\u{u:04x}").as_bytes());
    if let Some(text) = text {
        for c in text.chars() {
            if c.is_ascii() {
                escape_ascii(c as u8, slash, &mut out, &mut push_u);
            } else {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    push_u(&mut out, u32::from(*unit));
                }
            }
        }
    } else {
        for &b in value {
            escape_ascii(b, slash, &mut out, &mut push_u);
        }
    }
    out
}

fn escape_ascii(b: u8, slash: bool, out: &mut Vec<u8>, push_u: &mut impl FnMut(&mut Vec<u8>, u32)) {
    match b {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        b'/' if slash => out.extend_from_slice(b"\\/"),
        b'\n' => out.extend_from_slice(b"\\n"),
        b'\r' => out.extend_from_slice(b"\\r"),
        b'\t' => out.extend_from_slice(b"\\t"),
        0x08 => out.extend_from_slice(b"\\b"),
        0x0c => out.extend_from_slice(b"\\f"),
        0..=0x1f => push_u(out, u32::from(b)),
        _ => out.push(b),
    }
}

/// Backslash escaping inside shell double quotes: `\` `"` `$` and backtick.
fn shell_escape(value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len() + 4);
    for &b in value {
        if matches!(b, b'\\' | b'"' | b'$' | b'`') {
            out.push(b'\\');
        }
        out.push(b);
    }
    out
}

fn hex(value: &[u8], upper: bool) -> Vec<u8> {
    let digits: &[u8; 16] = if upper { b"0123456789ABCDEF" } else { b"0123456789abcdef" };
    value.iter().flat_map(|&b| [digits[usize::from(b >> 4)], digits[usize::from(b & 15)]]).collect()
}

#[inline]
fn is_base64_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_')
}

/// The span to mask for a hit of a `form` at `s..e` in `line`: for base64, the enclosing
/// base64 token with its padding (bounded by the line, which the stream caps); for every
/// other form, the encoded run itself.
pub(crate) fn enclosing_run(line: &[u8], s: usize, e: usize, form: Form) -> (usize, usize) {
    if form != Form::Base64 {
        return (s, e);
    }
    let mut start = s;
    while start > 0 && is_base64_byte(line[start - 1]) {
        start -= 1;
    }
    let mut end = e;
    while end < line.len() && is_base64_byte(line[end]) {
        end += 1;
    }
    let mut pad = 0;
    while pad < 2 && end < line.len() && line[end] == b'=' {
        end += 1;
        pad += 1;
    }
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::engine::general_purpose::{STANDARD, URL_SAFE};

    fn forms(v: &[u8]) -> Vec<Vec<u8>> {
        encoded_forms(v).into_iter().map(|(f, _)| f).collect()
    }

    fn found(v: &[u8], hay: &[u8]) -> bool {
        forms(v).iter().any(|f| hay.windows(f.len()).any(|w| w == f.as_slice()))
    }

    #[test]
    fn base64_core_found_at_every_alignment_and_alphabet() {
        let v = b"pl?m>Orbit~4471";
        for prefix_len in 0..7 {
            for suffix_len in 0..4 {
                let mut input = vec![b'x'; prefix_len];
                input.extend_from_slice(v);
                input.extend(std::iter::repeat_n(b'y', suffix_len));
                for enc in [STANDARD.encode(&input), URL_SAFE.encode(&input), STANDARD_NO_PAD.encode(&input)] {
                    assert!(found(v, enc.as_bytes()), "prefix {prefix_len} suffix {suffix_len}");
                }
            }
        }
    }

    proptest::proptest! {
        /// The shortcuts that skip encodings which would not change the value lose no form.
        #[test]
        fn every_encoding_variant_is_a_form(v in proptest::collection::vec(proptest::prop_oneof![
            proptest::sample::select(b" !\"$%'()*+/\\`~-._\n\x01\x7f".to_vec()),
            proptest::num::u8::ANY,
            proptest::sample::select(b"abcXYZ019".to_vec()),
        ], 1..12)) {
            let got = forms(&v);
            let mut want = vec![shell_escape(&v)];
            for (upper, plus, component) in (0..8).map(|i| (i & 1 == 1, i & 2 == 2, i & 4 == 4)) {
                want.push(percent_encode(&v, upper, plus, component));
            }
            for (slash, ascii) in [(false, false), (false, true), (true, false), (true, true)] {
                want.push(json_escape(&v, slash, ascii));
            }
            for w in want {
                proptest::prop_assert!(got.contains(&w));
            }
        }
    }

    #[test]
    fn base64_cores_of_other_values_do_not_match() {
        let enc = STANDARD.encode(b"plum-Orbit-4472 and some other text");
        assert!(!found(b"plum-Orbit-4471", enc.as_bytes()));
    }

    #[test]
    fn percent_forms_cover_case_and_plus() {
        let v = b"p@ss w/rd!";
        for enc in ["p%40ss%20w%2Frd%21", "p%40ss+w%2Frd%21", "p%40ss%20w%2frd%21", "p%40ss+w%2frd!"] {
            assert!(found(v, enc.as_bytes()), "{enc}");
        }
    }

    #[test]
    fn escaped_forms_cover_json_and_shell() {
        let v = "a\"b\\c/d\tée$x".as_bytes();
        for enc in
            [r#"a\"b\\c/d\t"#.to_owned() + "ée$x", r#"a\"b\\c\/d\tée$x"#.into(), r#"a\"b\\c/d\t\u00e9e$x"#.into()]
        {
            assert!(found(v, enc.as_bytes()), "json form missing");
        }
        assert!(found(v, "a\\\"b\\\\c/d\tée\\$x".as_bytes()), "shell form missing");
    }

    #[test]
    fn hex_forms_both_cases() {
        assert!(found(b"Secret-Value", b"0x5365637265742d56616c7565"));
        assert!(found(b"Secret-Value", b"5365637265742D56616C7565"));
    }

    #[test]
    fn base64_run_extends_to_token_and_padding() {
        let line = b"Authorization: Basic dXNlcjpwbHVtLU9yYml0LTQ0NzE= rest";
        let (s, e) = enclosing_run(line, 25, 30, Form::Base64);
        assert_eq!(&line[s..e], b"dXNlcjpwbHVtLU9yYml0LTQ0NzE=");
        assert_eq!(enclosing_run(line, 25, 30, Form::Hex), (25, 30));
    }

    #[test]
    fn short_values_yield_no_tiny_cores() {
        for (f, k) in encoded_forms(b"abcdef") {
            if k == Form::Base64 {
                assert!(f.len() >= MIN_BASE64_CORE);
            }
        }
    }
}
