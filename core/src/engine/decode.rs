//! Decode and redact: in a closed set of contexts where credentials travel encoded, decode
//! the segment, run the same rules over the decoded bytes, and when anything matches mask
//! the whole encoded span.
//!
//! Contexts:
//! * `Authorization: Basic <base64>` (also inside `git -c http.extraheader="AUTHORIZATION: basic …"`);
//! * the `"auth": "<base64>"` field of a `.dockerconfigjson`;
//! * a percent-encoded password in a URL / DSN userinfo (`postgres://app:p%40ss@db`);
//! * the values of a Kubernetes Secret's `data:` block (YAML `  name: <base64>` lines, or
//!   `"name": "<base64>"` lines of a `"data": {` object), tracked across lines by the stream
//!   processor through [`data_block_start`] and [`Engine::data_entry`].
//!
//! Bounds: a decoded segment is at most [`MAX_DECODED`] bytes and decoding nests at most
//! [`MAX_DEPTH`] levels (a base64 Docker config inside a Secret's data is depth 2).
//! Decoded bytes live in zeroize-on-drop buffers.

use base64::Engine as _;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use zeroize::Zeroizing;

use super::{Engine, Region, Span};
use crate::rules::keys::KeyRules;
use crate::{RuleId, RuleKind};

/// Largest decoded segment examined.
pub(crate) const MAX_DECODED: usize = 64 * 1024;
/// Deepest nesting of decoded segments.
pub(crate) const MAX_DEPTH: u8 = 2;

/// Which context a literal opens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Context {
    /// `basic ` in any of its casings, after `authorization` or `extraheader`.
    Basic,
    /// `"auth"` followed by `: "<base64>"`.
    DockerAuth,
    /// `://`: a URL whose password may be percent-encoded.
    Url,
    /// `data:` / `"data"`: a line that may open a Kubernetes Secret's data block (the
    /// stream processor tracks the block; nothing to do within the line).
    DataBlock,
}

/// The literals that put a line through the decode contexts.
pub(crate) fn literals() -> &'static [(&'static str, Context)] {
    &[
        ("Basic ", Context::Basic),
        ("basic ", Context::Basic),
        ("BASIC ", Context::Basic),
        ("\"auth\"", Context::DockerAuth),
        ("://", Context::Url),
        ("data:", Context::DataBlock),
        ("\"data\"", Context::DataBlock),
    ]
}

/// Base64 decoding that accepts both alphabets' padding styles.
const B64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);
const B64_URL: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

#[inline]
fn is_base64_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_')
}

/// The base64 token starting at `p` (with its padding): its end.
fn base64_end(line: &[u8], p: usize) -> usize {
    let mut e = p;
    while e < line.len() && is_base64_byte(line[e]) {
        e += 1;
    }
    while e < line.len() && line[e] == b'=' && e - p < MAX_DECODED * 2 {
        e += 1;
    }
    e
}

fn decode_base64(text: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if text.len() < 8 || text.len() / 4 * 3 > MAX_DECODED {
        return None;
    }
    let mut out = Zeroizing::new(Vec::with_capacity(text.len() / 4 * 3 + 3));
    if B64.decode_vec(text, &mut out).is_err() {
        out.clear();
        B64_URL.decode_vec(text, &mut out).ok()?;
    }
    Some(out)
}

fn percent_decode(text: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    if memchr::memchr(b'%', text).is_none() || text.len() > MAX_DECODED {
        return None;
    }
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Zeroizing::new(Vec::with_capacity(text.len()));
    let mut i = 0;
    while i < text.len() {
        if text[i] == b'%'
            && i + 2 < text.len()
            && let (Some(h), Some(l)) = (hex(text[i + 1]), hex(text[i + 2]))
        {
            out.push(h << 4 | l);
            i += 3;
            continue;
        }
        out.push(text[i]);
        i += 1;
    }
    Some(out)
}

impl Engine {
    /// Runs the decode contexts opened by literal hits (`ctx`, start, end) in `line`.
    pub(super) fn decode_contexts(
        &self,
        line: &[u8],
        hits: &[(Context, usize, usize)],
        keys: &KeyRules,
        depth: u8,
        out: &mut Vec<Span>,
    ) {
        if depth >= MAX_DEPTH {
            return;
        }
        for &(ctx, s, e) in hits {
            let segment = match ctx {
                Context::Basic => basic_segment(line, s, e),
                Context::DockerAuth => docker_auth_segment(line, e),
                Context::Url => url_password(line, s).map(|(a, b)| (a, b, Encoding::Percent)),
                Context::DataBlock => None,
            };
            if let Some((a, b, enc)) = segment {
                self.decode_and_scan(line, a, b, enc, keys, depth, out);
            }
        }
    }

    /// Decodes `line[a..b]` and, when the rules find anything in it, masks all of it.
    #[allow(clippy::too_many_arguments)]
    fn decode_and_scan(
        &self,
        line: &[u8],
        a: usize,
        b: usize,
        enc: Encoding,
        keys: &KeyRules,
        depth: u8,
        out: &mut Vec<Span>,
    ) {
        let decoded = match enc {
            Encoding::Base64 => decode_base64(&line[a..b]),
            Encoding::Percent => percent_decode(&line[a..b]),
        };
        let Some(decoded) = decoded else { return };
        if let Some((rule, kind)) = self.first_finding(&decoded, keys, depth + 1) {
            out.push(Span {
                start: a,
                end: b,
                rule,
                kind,
                prefix_len: 0,
                truncated: false,
                quote: false,
                continues: None,
            });
        }
    }

    /// The rule of the first thing the rules find in decoded text, line by line.
    fn first_finding(&self, decoded: &[u8], keys: &KeyRules, depth: u8) -> Option<(RuleId, RuleKind)> {
        let region = Region { starts_line: true, ends_line: true };
        for line in decoded.split_inclusive(|&b| b == b'\n') {
            let scan = self.scan_line_at(line, region, keys, depth);
            if let Some(sp) = scan.spans.first() {
                return Some((sp.rule.clone(), sp.kind));
            }
            if let Some(rule) = scan.pem_begin {
                return Some((rule, RuleKind::Format));
            }
        }
        None
    }

    /// A line inside a Kubernetes Secret's data block opened at indentation `indent`:
    /// masks the value when it decodes to something the rules find. Returns false when the
    /// line closes the block (less or equally indented, or `}`).
    pub(crate) fn data_entry(&self, line: &[u8], indent: usize, keys: &KeyRules, out: &mut Vec<Span>) -> bool {
        let content = line.trim_ascii_end();
        if content.is_empty() {
            return true;
        }
        let lead = content.len() - content.trim_ascii_start().len();
        let body = &content[lead..];
        if lead <= indent || body.starts_with(b"}") {
            return false;
        }
        // `name: value`, `"name": "value",`.
        let Some(colon) = memchr::memchr(b':', body) else {
            return true;
        };
        let mut p = lead + colon + 1;
        while p < content.len() && matches!(content[p], b' ' | b'\t' | b'"' | b'\'') {
            p += 1;
        }
        let end = base64_end(content, p);
        let rest = &content[end..];
        if end > p && rest.iter().all(|b| matches!(b, b'"' | b'\'' | b',' | b' ' | b'\t')) {
            self.decode_and_scan(line, p, end, Encoding::Base64, keys, 0, out);
        }
        true
    }
}

/// How a segment is encoded.
#[derive(Clone, Copy)]
enum Encoding {
    Base64,
    Percent,
}

/// The credential after `basic ` at `s..e`, when `authorization` or `extraheader` comes
/// shortly before it.
fn basic_segment(line: &[u8], s: usize, e: usize) -> Option<(usize, usize, Encoding)> {
    let before = line[s.saturating_sub(40)..s].to_ascii_lowercase();
    let found = |n: &[u8]| memchr::memmem::find(&before, n).is_some();
    if !found(b"authorization") && !found(b"extraheader") {
        return None;
    }
    let mut p = e;
    while p < line.len() && line[p] == b' ' {
        p += 1;
    }
    let end = base64_end(line, p);
    (end > p).then_some((p, end, Encoding::Base64))
}

/// The value of `"auth": "<base64>"` after the key at `e`.
fn docker_auth_segment(line: &[u8], e: usize) -> Option<(usize, usize, Encoding)> {
    let mut p = e;
    while p < line.len() && matches!(line[p], b' ' | b'\t') {
        p += 1;
    }
    if line.get(p) != Some(&b':') {
        return None;
    }
    p += 1;
    while p < line.len() && matches!(line[p], b' ' | b'\t') {
        p += 1;
    }
    if line.get(p) != Some(&b'"') {
        return None;
    }
    let start = p + 1;
    let end = base64_end(line, start);
    (line.get(end) == Some(&b'"') && end > start).then_some((start, end, Encoding::Base64))
}

/// The password of the URL userinfo after `://` at `sep`, when it is percent-encoded.
fn url_password(line: &[u8], sep: usize) -> Option<(usize, usize)> {
    super::url::password(line, sep).filter(|&(start, end)| memchr::memchr(b'%', &line[start..end]).is_some())
}

/// When `line` opens a data block (`data:` alone on its line, possibly after `- `, or
/// `"data": {`), the indentation of that line.
pub(crate) fn data_block_start(line: &[u8]) -> Option<usize> {
    let content = line.trim_ascii_end();
    let body = content.trim_ascii_start();
    let lead = content.len() - body.len();
    let body_after_dash = body.strip_prefix(b"- ").unwrap_or(body);
    let yaml = body_after_dash == b"data:";
    let json = body.starts_with(b"\"data\"") && {
        let rest = body[6..].trim_ascii_start();
        rest.strip_prefix(b":").is_some_and(|r| r.trim_ascii() == b"{")
    };
    (yaml || json).then_some(lead)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_block_openers() {
        assert_eq!(data_block_start(b"data:\n"), Some(0));
        assert_eq!(data_block_start(b"  data:  \r\n"), Some(2));
        assert_eq!(data_block_start(b"- data:\n"), Some(0));
        assert_eq!(data_block_start(b"    \"data\": {\n"), Some(4));
        assert_eq!(data_block_start(b"metadata:\n"), None);
        assert_eq!(data_block_start(b"data: inline\n"), None);
    }

    #[test]
    fn url_password_only_when_percent_encoded() {
        let l = b"postgres://app:p%40ss@db:5432/x";
        let (a, b) = url_password(l, 8).unwrap();
        assert_eq!(&l[a..b], b"p%40ss");
        assert!(url_password(b"postgres://app:plain@db/x", 8).is_none());
    }

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode(b"p%40ss%3a%zz%4").unwrap().as_slice(), b"p@ss:%zz%4");
    }

    #[test]
    fn dsn_password_is_decoded_and_matched_against_known_values() {
        let r = crate::Redactor::builder().known_value(b"p@ss:w0rd!xyz").build().unwrap();
        let line = b"postgres://app:p%40ss%3Aw0rd!xyz@db:5432/app";
        let mut out = Vec::new();
        r.engine().decode_contexts(line, &[(Context::Url, 8, 11)], r.keys(), 0, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!((out[0].rule.as_str(), &line[out[0].start..out[0].end]), ("known:api:1", &b"p%40ss%3Aw0rd!xyz"[..]));
        let mut none = Vec::new();
        r.engine().decode_contexts(
            b"postgres://app:other%40pass@db/app",
            &[(Context::Url, 8, 11)],
            r.keys(),
            0,
            &mut none,
        );
        assert!(none.is_empty());
        // At the depth limit nothing is decoded.
        r.engine().decode_contexts(line, &[(Context::Url, 8, 11)], r.keys(), MAX_DEPTH, &mut none);
        assert!(none.is_empty());
    }

    #[test]
    fn basic_requires_authorization_context() {
        let l = b"Authorization: Basic dXNlcjpwYXNzd29yZA== x";
        assert!(basic_segment(l, 15, 21).is_some());
        assert!(basic_segment(b"the Basic dXNlcjpwYXNzd29yZA== x", 4, 10).is_none());
    }
}
