//! Mask styles: what a secret is replaced with.
//!
//! Every mask is recognisable as a mask, so redacting twice changes nothing
//! (`redact(redact(x)) == redact(x)`), and none contains quotes or backslashes,
//! so a JSON string stays a valid JSON string.

use std::fmt;
use std::str::FromStr;

use hmac::{Hmac, Mac};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::{Error, RuleId};

/// The text that replaces a secret. The names are the same in config, CLI, Python and JS.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum MaskStyle {
    /// `[REDACTED]` (the default).
    #[default]
    Redacted,
    /// `[REDACTED:<rule-id>]`.
    Label,
    /// `[REDACTED:h:<first 8 hex of HMAC-SHA256(key, secret)>]`: the same secret gives
    /// the same tag, so occurrences can be correlated. Needs a key of at least 16 bytes.
    Hash,
    /// Keeps a token's public vendor prefix and its last 4 characters (`ghp_…a1b2`)
    /// when the secret has at least 16 characters; `[REDACTED]` otherwise.
    Partial,
    /// `*` repeated to the secret's byte length, for fixed-width or binary data.
    Fill,
}

impl MaskStyle {
    /// All styles, in documentation order.
    pub const ALL: [MaskStyle; 5] =
        [MaskStyle::Redacted, MaskStyle::Label, MaskStyle::Hash, MaskStyle::Partial, MaskStyle::Fill];

    /// The style's name: `redacted`, `label`, `hash`, `partial` or `fill`.
    pub fn as_str(self) -> &'static str {
        match self {
            MaskStyle::Redacted => "redacted",
            MaskStyle::Label => "label",
            MaskStyle::Hash => "hash",
            MaskStyle::Partial => "partial",
            MaskStyle::Fill => "fill",
        }
    }
}

impl fmt::Display for MaskStyle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for MaskStyle {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        // The name given is not echoed: a misplaced argument may be a secret.
        MaskStyle::ALL
            .into_iter()
            .find(|m| m.as_str() == s)
            .ok_or_else(|| Error::config("unknown mask style (expected one of: redacted, label, hash, partial, fill)"))
    }
}

/// Minimum length of the key for [`MaskStyle::Hash`].
pub const MIN_HASH_KEY_LEN: usize = 16;

const PLAIN: &[u8] = b"[REDACTED]";
const ELLIPSIS: &str = "\u{2026}";
/// How every label mask starts (see [`mask_len_at`] for the whole shape).
const OPEN: &[u8] = b"[REDACTED";
/// Characters kept at the end of a secret by [`MaskStyle::Partial`].
const PARTIAL_TAIL_CHARS: usize = 4;
const PARTIAL_MIN_CHARS: usize = 16;

/// A configured mask: style plus the hash key when the style needs one.
#[derive(Clone)]
pub(crate) struct Masker {
    style: MaskStyle,
    hash_key: Option<Zeroizing<Vec<u8>>>,
}

impl fmt::Debug for Masker {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Masker").field("style", &self.style).finish_non_exhaustive()
    }
}

impl Masker {
    pub(crate) fn new(style: MaskStyle, hash_key: Option<Zeroizing<Vec<u8>>>) -> Result<Self, Error> {
        if style == MaskStyle::Hash {
            match &hash_key {
                None => {
                    return Err(Error::config(
                        "mask `hash` needs a hash key (hash_key_file) of at least 16 bytes; \
                         unkeyed hashes of passwords can be brute-forced",
                    ));
                }
                Some(k) if k.len() < MIN_HASH_KEY_LEN => {
                    return Err(Error::config(format!(
                        "hash key is {} bytes; at least {MIN_HASH_KEY_LEN} are required",
                        k.len()
                    )));
                }
                Some(_) => {}
            }
        }
        Ok(Masker { style, hash_key })
    }

    pub(crate) fn style(&self) -> MaskStyle {
        self.style
    }

    /// The keyed fingerprint of a secret (first 8 bytes of the HMAC, as hex), if a key is set.
    pub(crate) fn fingerprint(&self, secret: &[u8]) -> Option<String> {
        let key = self.hash_key.as_ref()?;
        let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key length");
        mac.update(secret);
        let tag = mac.finalize().into_bytes();
        Some(hex(&tag[..8]))
    }

    /// Appends the mask for `secret` to `out`. `prefix_len` bytes at the start of the
    /// secret are public (a vendor prefix such as `ghp_`) and are kept by `partial`.
    pub(crate) fn write(&self, out: &mut Vec<u8>, rule: &RuleId, secret: &[u8], prefix_len: usize) {
        match self.style {
            MaskStyle::Redacted => out.extend_from_slice(PLAIN),
            MaskStyle::Label => {
                out.extend_from_slice(b"[REDACTED:");
                out.extend_from_slice(rule.as_str().as_bytes());
                out.push(b']');
            }
            MaskStyle::Hash => {
                let tag = self.fingerprint(secret).unwrap_or_default();
                out.extend_from_slice(b"[REDACTED:h:");
                out.extend_from_slice(&tag.as_bytes()[..8.min(tag.len())]);
                out.push(b']');
            }
            MaskStyle::Fill => out.resize(out.len() + secret.len(), b'*'),
            MaskStyle::Partial => write_partial(out, secret, prefix_len),
        }
    }
}

fn write_partial(out: &mut Vec<u8>, secret: &[u8], prefix_len: usize) {
    let chars = char_starts(secret).count();
    if chars < PARTIAL_MIN_CHARS {
        out.extend_from_slice(PLAIN);
        return;
    }
    let tail_start = char_starts(secret).nth(chars - PARTIAL_TAIL_CHARS).unwrap_or(secret.len());
    // Keep the prefix only when it leaves a real secret between prefix and tail.
    let prefix_len = if prefix_len + 8 <= tail_start { prefix_len } else { 0 };
    out.extend_from_slice(&secret[..prefix_len]);
    out.extend_from_slice(ELLIPSIS.as_bytes());
    out.extend_from_slice(&secret[tail_start..]);
}

/// Byte offsets where characters start: UTF-8 lead bytes, and every byte of invalid sequences.
fn char_starts(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes.iter().enumerate().filter(|(_, b)| (**b & 0xC0) != 0x80).map(|(i, _)| i)
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[usize::from(b >> 4)] as char);
        s.push(DIGITS[usize::from(b & 15)] as char);
    }
    s
}

/// Can `text` hold a mask of any style? Every mask has a `[` (label masks), a `*` (the
/// fill mask) or the ellipsis (the partial mask): one search for the three spares a value
/// without them the checks for each shape (most values, several per finding).
pub(crate) fn may_hold_mask(text: &[u8]) -> bool {
    let lead = ELLIPSIS.as_bytes()[0];
    // A value of a few bytes is looked through faster by hand than through memchr's call
    // and dispatch (measured: half the instructions below 16 bytes, more above).
    if text.len() < 16 {
        return text.iter().any(|&b| b == b'[' || b == b'*' || b == lead);
    }
    memchr::memchr3(b'[', b'*', lead, text).is_some()
}

/// Is `value` already a mask (starts with one, holds the partial mask's ellipsis, or is
/// made only of `*`, the fill mask)? Such values are never masked again, which keeps
/// redaction idempotent.
pub(crate) fn is_mask(value: &[u8]) -> bool {
    mask_len_at(value).is_some()
        || find_short(value, ELLIPSIS.as_bytes()).is_some()
        || (!value.is_empty() && value.iter().all(|&b| b == b'*'))
}

/// `value` with every mask taken out: label masks in the maskers' shape ([`mask_len_at`]),
/// the partial mask's ellipsis and `*` (the fill mask). What a value was before other
/// findings in or next to it were masked is judged on what is left. A look-alike
/// (`[REDACTED` with no closing bracket in the shape) stays: it is text.
pub(crate) fn strip_masks(value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len());
    let mut rest = value;
    while let Some(&b) = rest.first() {
        if let Some(len) = mask_len_at(rest) {
            rest = &rest[len..];
        } else if rest.starts_with(ELLIPSIS.as_bytes()) {
            rest = &rest[ELLIPSIS.len()..];
        } else {
            if b != b'*' {
                out.push(b);
            }
            rest = &rest[1..];
        }
    }
    out
}

/// Does `line[start..end]` take in or touch a mask: one inside it, one starting right at
/// `end` (or inside and running past it), or one ending right at `start`? A pattern's
/// boundary (`\b`, "not a token character") may hold only because a mask replaced the
/// bytes next to the match.
pub(crate) fn touches_mask(line: &[u8], start: usize, end: usize) -> bool {
    // An ellipsis inside, or starting right at `end`; not one a few bytes past it (a
    // token before `@…` was skipped, and masked once the gap between them grew).
    let ellipsis_end = (end + ELLIPSIS.len()).min(line.len());
    // Both searches below start with a `[` or the ellipsis' lead byte in this window: one
    // search for either spares the two when there is none (most matches).
    let window = &line[start..(end + OPEN.len()).max(ellipsis_end).min(line.len())];
    if memchr::memchr2(OPEN[0], ELLIPSIS.as_bytes()[0], window).is_some()
        && (label_mask_opens_in(line, start, end + 1)
            || find_short(&line[start..ellipsis_end], ELLIPSIS.as_bytes()).is_some())
    {
        return true;
    }
    let before = &line[start.saturating_sub(MAX_MASK_LEN)..start];
    before.ends_with(ELLIPSIS.as_bytes())
        || (before.ends_with(b"]")
            && rfind_short(before, OPEN).is_some_and(|i| mask_len_at(&before[i..]) == Some(before.len() - i)))
}

/// Does a mask open in `line[start..end]`: a label mask in the shape the maskers write
/// (judged on the whole line, so it may close past `end`) or the partial mask's ellipsis?
///
/// This is the one test of "holds a mask" (with [`mask_len_at`] for the shape): a
/// look-alike such as `[REDACTED` typed by a user is text, and must not hide a secret
/// that follows it in the same value or URL userinfo.
pub(crate) fn holds_mask(line: &[u8], start: usize, end: usize) -> bool {
    label_mask_opens_in(line, start, end) || find_short(&line[start..end], ELLIPSIS.as_bytes()).is_some()
}

/// Does a label mask in the maskers' shape ([`enclosing_mask_len_at`], judged on the whole
/// line) open at an offset in `start..end`?
fn label_mask_opens_in(line: &[u8], start: usize, end: usize) -> bool {
    // Openings found in this window start before `end`.
    let window = &line[start..(end + OPEN.len() - 1).min(line.len())];
    // `OPEN` cannot overlap itself, so every occurrence is one the old non-overlapping
    // search found.
    let mut at = 0;
    while let Some(i) = find_short(&window[at..], OPEN) {
        // One that holds masks counts too: `[REDACTED:;Pwd=[REDACTED]]` was a mask in the
        // shape before a rule masked a match inside it, and a match starting in it must be
        // skipped on the next pass as it was on the first (idempotence).
        if enclosing_mask_len_at(&line[start + at + i..]).is_some() {
            return true;
        }
        at += i + 1;
    }
    false
}

/// The first occurrence of `needle` (not empty) in `hay`, found by its first byte. These
/// searches run on a value or a window of a few dozen bytes, several times per finding:
/// a `memmem` searcher's setup costs more than the search there (most of all in an
/// interpreter, such as a WASM filter's), and the first bytes searched for here (`[` and
/// the ellipsis' lead byte) are rare in such text.
pub(crate) fn find_short(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let mut at = 0;
    while let Some(i) = memchr::memchr(first, &hay[at..]) {
        let p = at + i;
        if hay[p + 1..].starts_with(rest) {
            return Some(p);
        }
        at = p + 1;
    }
    None
}

/// The last occurrence of `needle` (not empty) in `hay`, as [`find_short`] finds the first.
fn rfind_short(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let mut end = hay.len();
    while let Some(p) = memchr::memrchr(first, &hay[..end]) {
        if hay[p + 1..].starts_with(rest) {
            return Some(p);
        }
        end = p;
    }
    None
}

/// Longest label mask (`[REDACTED:<rule id>]`) recognised as one in context, in bytes.
pub(crate) const MAX_MASK_LEN: usize = 160;

/// The length of the mask at the start of `text`, if one is there in the shape the
/// maskers write: `[REDACTED]`, or `[REDACTED:` and printable ASCII other than brackets up
/// to the `]`, at most [`MAX_MASK_LEN`] bytes in all. Look-alikes (`[REDACTED;x=1;]`, or
/// one closed past control bytes or far away) are text: masking inside them must not
/// change what counts as a mask on the next pass.
pub(crate) fn mask_len_at(text: &[u8]) -> Option<usize> {
    let rest = text.strip_prefix(OPEN)?;
    let len = rest.iter().position(|&b| !b.is_ascii_graphic() || b == b'[' || b == b']').unwrap_or(rest.len());
    let whole = OPEN.len() + len + 1;
    (rest.get(len) == Some(&b']') && (len == 0 || rest[0] == b':') && whole <= MAX_MASK_LEN).then_some(whole)
}

/// Like [`mask_len_at`], but masks inside it (label masks and the partial mask's
/// ellipsis) count as part of its text, and only the bytes outside them count towards
/// [`MAX_MASK_LEN`]: `[REDACTED:key:pa;Pwd=[REDACTED]]` is one, as
/// `[REDACTED:key:pa;Pwd=x]` was before a rule masked `x`. What it holds keeps its shape
/// when findings inside it are masked, so judging words in it stays the same on the next
/// pass.
pub(crate) fn enclosing_mask_len_at(text: &[u8]) -> Option<usize> {
    let rest = text.strip_prefix(OPEN)?;
    match rest.first() {
        Some(b']') => return Some(OPEN.len() + 1),
        Some(b':') => {}
        _ => return None,
    }
    let (mut i, mut own) = (1, 1);
    while own + OPEN.len() < MAX_MASK_LEN {
        let b = *rest.get(i)?;
        if b == b']' {
            return Some(OPEN.len() + i + 1);
        }
        if let Some(len) = mask_len_at(&rest[i..]) {
            i += len;
        } else if rest[i..].starts_with(ELLIPSIS.as_bytes()) {
            i += ELLIPSIS.len();
        } else if b.is_ascii_graphic() && b != b'[' {
            i += 1;
            own += 1;
        } else {
            return None;
        }
    }
    None
}

/// The label masks (in the shape [`enclosing_mask_len_at`] reads) that open before `at`
/// and close after it, as `open..end` ranges, innermost first. The look-back covers the
/// longest mask.
pub(crate) fn masks_around(line: &[u8], at: usize) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let from = at.saturating_sub(MAX_MASK_LEN);
    memchr::memrchr_iter(b'[', &line[from..at]).filter_map(move |i| {
        let open = from + i;
        enclosing_mask_len_at(&line[open..]).map(|len| open..open + len).filter(|m| m.end > at)
    })
}

/// Where a secret at `line[start..end]` must start so that masking it leaves every mask
/// whole: at `start`, or, when it starts inside a label mask and runs over that mask's
/// closing `]`, at the mask's `[` (the outermost such mask). Masking only from `start`
/// would leave the mask unclosed, and its text read as text on the next pass.
pub(crate) fn start_keeping_masks_whole(line: &[u8], start: usize, end: usize) -> usize {
    masks_around(line, start).filter(|m| m.end <= end).map(|m| m.start).last().unwrap_or(start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mask(style: MaskStyle, secret: &str, prefix: usize) -> String {
        let key = Some(Zeroizing::new(b"0123456789abcdef".to_vec()));
        let m = Masker::new(style, key).unwrap();
        let mut out = Vec::new();
        m.write(&mut out, &RuleId::new("github-pat"), secret.as_bytes(), prefix);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn unknown_style_error_never_shows_the_name_given() {
        crate::test_support::assert_unknown_name_not_echoed::<MaskStyle>("expected one of: redacted, label");
    }

    #[test]
    fn styles() {
        let tok = "ghp_0123456789abcdefghijklmnopqrstuvwxyz";
        assert_eq!(mask(MaskStyle::Redacted, tok, 4), "[REDACTED]");
        assert_eq!(mask(MaskStyle::Label, tok, 4), "[REDACTED:github-pat]");
        assert_eq!(mask(MaskStyle::Partial, tok, 4), "ghp_\u{2026}wxyz");
        assert_eq!(mask(MaskStyle::Partial, "short-secret", 0), "[REDACTED]");
        assert_eq!(mask(MaskStyle::Fill, "abcé", 0), "*****");
        let h = mask(MaskStyle::Hash, tok, 0);
        assert!(h.starts_with("[REDACTED:h:") && h.len() == "[REDACTED:h:]".len() + 8, "{h}");
        assert_eq!(h, mask(MaskStyle::Hash, tok, 0), "hash is deterministic");
        assert_ne!(h, mask(MaskStyle::Hash, "another-secret-value", 0));
    }

    #[test]
    fn partial_keeps_whole_characters() {
        let out = mask(MaskStyle::Partial, "ééééééééééééééééé", 0);
        assert_eq!(out, "\u{2026}éééé");
    }

    #[test]
    fn touching_a_mask() {
        let line = b"a tok=[REDACTED] b";
        assert!(touches_mask(line, 2, 6), "a mask starts right at the end");
        assert!(touches_mask(line, 2, 8), "a mask starts inside and runs past the end");
        assert!(touches_mask(line, 16, 18), "a mask ends right at the start");
        assert!(!touches_mask(line, 0, 1) && !touches_mask(line, 17, 18));
        assert!(!touches_mask(b"x] tok", 3, 6), "a bracket alone is no mask");
        assert!(!touches_mask(b"[REDACTED;Pwd=m;];Pwd=m", 18, 23), "a look-alike is no mask");
        let line = "tok\u{2026}ab tok @\u{2026}".as_bytes();
        assert!(touches_mask(line, 0, 3), "an ellipsis starts right at the end");
        assert!(touches_mask(line, 0, 4), "an ellipsis starts inside");
        assert!(touches_mask(line, 6, 8), "an ellipsis ends right at the start");
        assert!(!touches_mask(line, 9, 12), "an ellipsis two bytes past the end does not touch");
        assert_eq!(mask_len_at(b"[REDACTED:key:token] x"), Some(20));
        assert_eq!(mask_len_at(b"[REDACTED]"), Some(10));
        assert_eq!(mask_len_at(b"[REDACTEDx]"), None);
    }

    #[test]
    fn holding_a_mask() {
        let line = b"u=[REDACTED:key:token] v=a\xe2\x80\xa6b w=[REDACTEDx] z";
        assert!(holds_mask(line, 0, 3), "a mask opening inside, closing past the end");
        assert!(!holds_mask(line, 4, 22), "one opening before the start");
        assert!(holds_mask(line, 25, 30), "the partial mask's ellipsis");
        assert!(!holds_mask(line, 31, line.len()), "a look-alike is no mask");
        assert_eq!(strip_masks(b"<p>[REDACTED]*\xe2\x80\xa6"), b"<p>");
        assert_eq!(strip_masks(b"[REDACTEDx]"), b"[REDACTEDx]", "a look-alike is kept");
    }

    /// A look-alike typed in a log line is text: the secret after it is masked, and the
    /// output is stable.
    #[test]
    fn look_alikes_hide_no_secret() {
        let r = crate::Redactor::default();
        for (input, expected) in [
            ("password=\"[REDACTEDhunter2x\"", "password=\"[REDACTED]\""),
            ("password=<p>[REDACTEDhunter2x", "password=[REDACTED]"),
            ("password=${X}[REDACTED;hunter2x]", "password=[REDACTED]"),
            ("GET https://deploy:[REDACTEDhunter2x@git.example.com/", "GET https://deploy:[REDACTED]@git.example.com/"),
        ] {
            let once = r.redact_str(input);
            assert_eq!(once, expected, "case at byte {}", input.find('[').unwrap_or(0));
            assert_eq!(r.redact_str(&once), once, "not idempotent");
        }
    }

    proptest::proptest! {
        /// The first-byte searches find what `memmem` finds.
        #[test]
        fn short_searches_match_memmem(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![&b"[REDACTED"[..], b"[RED", b"\xe2\x80\xa6", b"\xe2\x80", b"x", b"[", b"]"]),
                0..12,
            ),
            needle in proptest::sample::select(vec![OPEN, ELLIPSIS.as_bytes(), b"[R", b"x"]),
        ) {
            let hay = parts.concat();
            proptest::prop_assert_eq!(find_short(&hay, needle), memchr::memmem::find(&hay, needle));
            proptest::prop_assert_eq!(rfind_short(&hay, needle), memchr::memmem::rfind(&hay, needle));
        }
    }

    #[test]
    fn hash_needs_a_long_key() {
        assert!(Masker::new(MaskStyle::Hash, None).is_err());
        assert!(Masker::new(MaskStyle::Hash, Some(Zeroizing::new(vec![1; 15]))).is_err());
        assert!(Masker::new(MaskStyle::Hash, Some(Zeroizing::new(vec![1; 16]))).is_ok());
    }

    #[test]
    fn masks_are_recognised() {
        for style in MaskStyle::ALL {
            let out = mask(style, "ghp_0123456789abcdefghijklmnopqrstuvwxyz", 4);
            assert!(is_mask(out.as_bytes()), "{style}: {out}");
        }
        assert!(!is_mask(b"hunter2"));
        assert_eq!("label".parse::<MaskStyle>().unwrap(), MaskStyle::Label);
        assert!("nope".parse::<MaskStyle>().is_err());
    }

    #[test]
    fn enclosing_masks_hold_masks_and_keep_the_length_limit() {
        let len = |t: &str| enclosing_mask_len_at(t.as_bytes());
        assert_eq!(len("[REDACTED] x"), Some(10));
        assert_eq!(len("[REDACTED:key:pa;Pwd=x] y"), Some(23));
        // The same text after a rule masked `x`, in each style that writes a mask.
        assert_eq!(len("[REDACTED:key:pa;Pwd=[REDACTED]] y"), Some(32));
        assert_eq!(len("[REDACTED:key:pa;Pwd=[REDACTED:h:0123abcd]] y"), Some(43));
        assert_eq!(len("[REDACTED:k=ghp_\u{2026}wxyz]"), Some("[REDACTED:k=ghp_".len() + 3 + "wxyz]".len()));
        // Text, as for `mask_len_at`: no colon, a blank, a look-alike inside, no `]`.
        for text in ["[REDACTEDx]", "[REDACTED:a b]", "[REDACTED:a[REDACTED b]", "[REDACTED:a", "[REDACTED:[x]"] {
            assert_eq!(len(text), None, "{text}");
        }
        // Only its own bytes count towards the limit, so masking inside one keeps it one.
        let own = "x".repeat(MAX_MASK_LEN - OPEN.len() - 2);
        assert_eq!(len(&format!("[REDACTED:{own}]")), Some(MAX_MASK_LEN));
        assert_eq!(len(&format!("[REDACTED:{own}x]")), None);
        let held = format!("[REDACTED:{}[REDACTED:long-rule-id]x]", &own[1..]);
        assert_eq!(len(&held), Some(held.len()));
    }
}
