//! Per-tag state for a PEM private key printed one line per record.
//!
//! A record whose string value ends in `-----BEGIN … PRIVATE KEY-----` opens a block for
//! its tag and member name; following records of that tag have that member masked while
//! it holds base64 (or a `Proc-Type:`/`DEK-Info:` header), until `-----END`, anything
//! else, or the bounds below.

use std::collections::HashMap;

/// Lines one block may span (as in the core's stream processor).
pub(crate) const MAX_LINES: usize = 256;
/// Bytes one block may span.
pub(crate) const MAX_BYTES: usize = 16 * 1024;
/// Tags with an open block at once; opening one more evicts the oldest.
pub(crate) const MAX_TAGS: usize = 1024;

struct Block {
    key: Vec<u8>,
    lines: usize,
    bytes: usize,
    opened: u64,
}

/// What to do with a value of a tag that has an open block.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Not the block's member, or blank: leave it.
    Leave,
    /// A body line: mask `raw[..end]` (the rest is trailing line breaks).
    Mask { end: usize },
    /// The block ended (or was not a key after all): leave the value, scan it normally.
    Closed,
}

/// Open blocks by tag.
#[derive(Default)]
pub(crate) struct Blocks {
    open: HashMap<Vec<u8>, Block>,
    clock: u64,
}

impl Blocks {
    pub(crate) fn is_empty(&self) -> bool {
        self.open.is_empty()
    }

    pub(crate) fn is_open(&self, tag: &[u8]) -> bool {
        self.open.contains_key(tag)
    }

    /// Classifies the value `raw` (escaped JSON string content) of member `key`.
    pub(crate) fn continue_block(&mut self, tag: &[u8], key: &[u8], raw: &[u8]) -> Verdict {
        let Some(block) = self.open.get_mut(tag) else {
            return Verdict::Leave;
        };
        if block.key != key {
            return Verdict::Leave;
        }
        let end = content_end(raw);
        let content = &raw[..end];
        if content.iter().all(|b| matches!(b, b' ' | b'\t')) {
            return Verdict::Leave;
        }
        let body = is_body(content);
        block.lines += 1;
        block.bytes += raw.len();
        if !body {
            self.open.remove(tag);
            return Verdict::Closed;
        }
        if block.lines >= MAX_LINES || block.bytes >= MAX_BYTES {
            // Mask this line (fail closed) but stop following the block.
            self.open.remove(tag);
        }
        Verdict::Mask { end }
    }

    /// Opens a block for `tag` when `raw` ends in a private-key header.
    pub(crate) fn maybe_open(&mut self, tag: &[u8], key: &[u8], raw: &[u8]) -> bool {
        if !ends_in_header(&raw[..content_end(raw)]) {
            return false;
        }
        if self.open.len() >= MAX_TAGS && !self.open.contains_key(tag) {
            let oldest = self.open.iter().min_by_key(|(_, b)| b.opened).map(|(t, _)| t.clone());
            if let Some(t) = oldest {
                self.open.remove(&t);
            }
        }
        self.clock += 1;
        self.open.insert(tag.to_vec(), Block { key: key.to_vec(), lines: 0, bytes: 0, opened: self.clock });
        true
    }
}

/// End of `raw` without trailing whitespace and escaped line breaks.
pub(crate) fn content_end(raw: &[u8]) -> usize {
    let mut end = raw.len();
    loop {
        if end >= 2 && matches!(&raw[end - 2..end], br"\n" | br"\r" | br"\t") && !escaped_backslash_before(raw, end - 2)
        {
            end -= 2;
        } else if end >= 1 && matches!(raw[end - 1], b' ' | b'\t') {
            end -= 1;
        } else {
            return end;
        }
    }
}

/// True when the backslash at `at` is itself escaped (`\\n` is a backslash and an `n`).
fn escaped_backslash_before(raw: &[u8], at: usize) -> bool {
    raw[..at].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 1
}

fn is_body(content: &[u8]) -> bool {
    if content.starts_with(b"Proc-Type:") || content.starts_with(b"DEK-Info:") {
        return true;
    }
    let mut i = 0;
    while i < content.len() {
        match content[i] {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'+' | b'=' | b' ' | b'\t' | b'/' => i += 1,
            // JSON may escape the slash.
            b'\\' if content.get(i + 1) == Some(&b'/') => i += 2,
            _ => return false,
        }
    }
    true
}

/// `-----BEGIN <label> PRIVATE KEY-----` at the very end, at the start of a line.
fn ends_in_header(content: &[u8]) -> bool {
    let Some(rest) = content.strip_suffix(b"-----") else {
        return false;
    };
    let Some(begin) = memchr::memmem::rfind(rest, b"-----BEGIN") else {
        return false;
    };
    let label = &rest[begin + 10..];
    let before = &content[..begin];
    let line_start = before.is_empty() || before.ends_with(br"\n") || before.trim_ascii_end().is_empty();
    line_start
        && label.len() <= 48
        && label.ends_with(b"PRIVATE KEY")
        && label.iter().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_a_block_for_its_tag_and_member_only() {
        let mut b = Blocks::default();
        assert!(!b.maybe_open(b"t", b"log", br"-----BEGIN PUBLIC KEY-----\n"));
        assert!(b.maybe_open(b"t", b"log", br"-----BEGIN RSA PRIVATE KEY-----\n"));
        assert_eq!(b.continue_block(b"other", b"log", b"MIIEow"), Verdict::Leave);
        assert_eq!(b.continue_block(b"t", b"stream", b"stderr"), Verdict::Leave);
        assert_eq!(b.continue_block(b"t", b"log", br"MIIEowIBAAKCAQEA\n"), Verdict::Mask { end: 16 });
        assert_eq!(b.continue_block(b"t", b"log", br"ab\/cd=="), Verdict::Mask { end: 8 });
        assert_eq!(b.continue_block(b"t", b"log", br"-----END RSA PRIVATE KEY-----\n"), Verdict::Closed);
        assert!(b.is_empty());
    }

    #[test]
    fn bounded_in_lines_and_tags() {
        let mut b = Blocks::default();
        b.maybe_open(b"t", b"log", b"-----BEGIN PRIVATE KEY-----");
        let mut masked = 0;
        while let Verdict::Mask { .. } = b.continue_block(b"t", b"log", b"QUJDRA==") {
            masked += 1;
        }
        assert_eq!(masked, MAX_LINES);
        for i in 0..MAX_TAGS + 10 {
            b.maybe_open(format!("tag{i}").as_bytes(), b"log", b"-----BEGIN PRIVATE KEY-----");
        }
        assert_eq!(b.open.len(), MAX_TAGS);
        assert!(!b.is_open(b"tag0"));
        assert!(b.is_open(format!("tag{}", MAX_TAGS + 9).as_bytes()));
    }

    #[test]
    fn trailing_breaks() {
        assert_eq!(content_end(br"abc\n\r "), 3);
        assert_eq!(content_end(br"abc\\n"), 6);
    }
}
