//! Settling a line's masks, so that redacting the output again changes nothing.
//!
//! The engine reads a line once, but writing its masks can change how the line reads: a
//! control byte that ended a value is masked away, a bracket the mask text closes turns
//! the rest of a value into a container, a partial mask that held an ellipsis now touches
//! another mask. The next pass would then find one more value in the output.
//!
//! [`settle`] renders the masked line, reads it again, and widens the masks over what that
//! second reading finds (in the line's own offsets), until the masked line reads as it is.
//! With the default masks it runs only on lines holding a byte that can end or reshape a
//! value this way ([`may_unsettle`]): on other lines one reading is already stable, and the
//! second reading would double the cost of every finding ([`needed`]).

use crate::engine::{Region, Span, merge_spans};
use crate::{MaskStyle, Redactor};

/// Readings of the masked line before its masks are kept as they are. Each only widens
/// them; the fuzz corpus and regression inputs, in every mask style, need at most three
/// (two widenings, then a reading that finds nothing more).
const MAX_ROUNDS: usize = 4;

/// Must `line`'s masks be settled? Masks of the `partial` and `fill` styles read as text
/// (an ellipsis, a run of `*`), so their lines always are; with the other styles, those
/// where [`may_unsettle`].
pub(crate) fn needed(style: MaskStyle, line: &[u8]) -> bool {
    matches!(style, MaskStyle::Partial | MaskStyle::Fill) || may_unsettle(line)
}

/// Could masking `line` change how it reads? True when it holds a C0 control byte other
/// than tab, CR and LF (they end values), an ellipsis (partial masks) or a backquote
/// (quotes that pair differently around a mask).
///
/// It runs on every line with a finding, so it reads sixteen bytes at a time and looks at
/// single bytes only in a block that may hold one of them (the block with the newline does).
pub(crate) fn may_unsettle(line: &[u8]) -> bool {
    let risky_at = |i: usize| match line[i] {
        b'\t' | b'\n' | b'\r' => false,
        0..0x20 | b'`' => true,
        0xE2 => line[i..].starts_with("…".as_bytes()),
        _ => false,
    };
    let (blocks, _) = line.as_chunks::<16>();
    for (n, block) in blocks.iter().enumerate() {
        if may_hold_risky(block) && (n * 16..n * 16 + 16).any(risky_at) {
            return true;
        }
    }
    (blocks.len() * 16..line.len()).any(risky_at)
}

#[cfg(any(target_arch = "x86_64", target_arch = "aarch64", target_feature = "simd128"))]
use may_hold_risky_vectors as may_hold_risky;
#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64", target_feature = "simd128")))]
use may_hold_risky_words as may_hold_risky;

/// Does `block` hold a byte below 0x20, a backquote or 0xE2 (an ellipsis' first byte)?
/// With vector instructions: the sixteen bytes compared at once (no early exit, so the
/// compiler vectorizes the fold).
#[cfg(any(test, target_arch = "x86_64", target_arch = "aarch64", target_feature = "simd128"))]
fn may_hold_risky_vectors(block: &[u8; 16]) -> bool {
    block.iter().fold(false, |m, &b| m | (b < 0x20) | (b == b'`') | (b == 0xE2))
}

/// Does `block` hold a byte below 0x20, a backquote or 0xE2 (an ellipsis' first byte)?
/// Without vector instructions (the Fluent Bit module, where the fold above costs 4% of a
/// log line with secrets in WAMR's interpreter): eight bytes at a time in a `u64`, where
/// `v - ONES` borrows into the high bit of each byte of `v` that is zero (for the first
/// test: below 0x20).
#[cfg(any(test, not(any(target_arch = "x86_64", target_arch = "aarch64", target_feature = "simd128"))))]
fn may_hold_risky_words(block: &[u8; 16]) -> bool {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    let word = |x: u64| {
        let (tick, e2) = (x ^ (ONES * u64::from(b'`')), x ^ (ONES * 0xE2));
        (x.wrapping_sub(ONES * 0x20) & !x) | (tick.wrapping_sub(ONES) & !tick) | (e2.wrapping_sub(ONES) & !e2)
    };
    let (words, _) = block.as_chunks::<8>();
    (word(u64::from_ne_bytes(words[0])) | word(u64::from_ne_bytes(words[1]))) & HIGHS != 0
}

/// Widens `spans` (of a whole `line`) until the masked line reads the same again.
pub(crate) fn settle(red: &Redactor, line: &[u8], spans: &mut Vec<Span>) {
    let region = Region { starts_line: true, ends_line: true };
    let mut masked = zeroize::Zeroizing::new(Vec::new());
    let mut pieces = Vec::new();
    let mut wider = Vec::new();
    for _ in 0..MAX_ROUNDS {
        merge_spans(spans);
        masked.clear();
        render(red, line, spans, &mut masked, &mut pieces);
        let again = red.engine().scan_line(&masked, region, red.keys());
        for sp in again.spans {
            let (start, end) = (line_start(&pieces, sp.start), line_end(&pieces, sp.end));
            if start < end && !covered(spans, start, end) {
                wider.push(Span { kind: sp.kind, ..Span::key(start, end, sp.rule) });
            }
        }
        if wider.is_empty() {
            return;
        }
        spans.append(&mut wider);
    }
    merge_spans(spans);
}

/// A stretch of the masked line, from `out_start` in it: `line[start..end]`, copied as it
/// is or (`mask`) masked.
struct Piece {
    out_start: usize,
    start: usize,
    end: usize,
    mask: bool,
}

/// Writes `line` with its (merged) spans masked, and the pieces it is made of.
fn render(red: &Redactor, line: &[u8], spans: &[Span], out: &mut Vec<u8>, pieces: &mut Vec<Piece>) {
    pieces.clear();
    let mut cursor = 0;
    for sp in spans {
        if sp.start > cursor {
            pieces.push(Piece { out_start: out.len(), start: cursor, end: sp.start, mask: false });
            out.extend_from_slice(&line[cursor..sp.start]);
        }
        pieces.push(Piece { out_start: out.len(), start: sp.start, end: sp.end, mask: true });
        sp.write_mask(red.masker(), &line[sp.start..sp.end], out);
        cursor = sp.end;
    }
    pieces.push(Piece { out_start: out.len(), start: cursor, end: line.len(), mask: false });
    out.extend_from_slice(&line[cursor..]);
}

/// The piece holding masked offset `at` (the last piece for the end of the line).
fn piece_at(pieces: &[Piece], at: usize) -> &Piece {
    let i = pieces.partition_point(|p| p.out_start <= at);
    &pieces[i.saturating_sub(1)]
}

/// The line offset where a finding starting at masked offset `at` starts: inside a mask,
/// the masked bytes' start.
fn line_start(pieces: &[Piece], at: usize) -> usize {
    let p = piece_at(pieces, at);
    if p.mask { p.start } else { (p.start + at - p.out_start).min(p.end) }
}

/// The line offset where a finding ending at masked offset `at` (exclusive) ends: inside a
/// mask, the masked bytes' end.
fn line_end(pieces: &[Piece], at: usize) -> usize {
    if at == 0 {
        return 0;
    }
    let p = piece_at(pieces, at - 1);
    if p.mask { p.end } else { (p.start + at - p.out_start).min(p.end) }
}

/// Do the (merged, sorted) `spans` cover every byte of `start..end`?
fn covered(spans: &[Span], start: usize, end: usize) -> bool {
    let mut cursor = start;
    for sp in spans.iter().skip_while(|sp| sp.end <= start) {
        if sp.start > cursor {
            return false;
        }
        cursor = cursor.max(sp.end);
        if cursor >= end {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Pieces of lines that reshape values once masked: control bytes, ellipses and
    /// backquotes next to keys, quotes and brackets.
    const PIECES: &[&str] = &[
        "token=",
        "auth:",
        "\"auth\":",
        "pass=",
        "key:",
        "TOKEN:",
        "'password': ",
        ";Pwd=",
        "[",
        "[…",
        "]",
        "{",
        "}",
        "(",
        "\"",
        "\"\"",
        "'",
        "`",
        "…",
        "\0",
        "\x07",
        "\x01",
        "\x1b[31m",
        "\t",
        " ",
        "=",
        ":",
        "a",
        "hunter2",
    ];

    fn line() -> impl Strategy<Value = Vec<u8>> {
        prop::collection::vec(prop::sample::select(PIECES), 1..12).prop_map(|p| p.concat().into_bytes())
    }

    /// One redactor per mask style (building one per case would take most of the time).
    static REDACTORS: std::sync::LazyLock<Vec<Redactor>> = std::sync::LazyLock::new(|| {
        MaskStyle::ALL.iter().map(|&s| Redactor::builder().mask(s).hash_key(&[7; 32]).build().unwrap()).collect()
    });

    /// What `may_unsettle` reads sixteen bytes at a time, one byte at a time.
    fn risky_bytewise(line: &[u8]) -> bool {
        (0..line.len()).any(|i| {
            (line[i] < 0x20 && !matches!(line[i], b'\t' | b'\n' | b'\r'))
                || line[i] == b'`'
                || line[i..].starts_with("…".as_bytes())
        })
    }

    #[test]
    fn bytes_that_may_unsettle() {
        assert!(!may_unsettle(b"GET /x?api_key=abc123 Authorization: Bearer 9f8e7d6c5b4a\tDB_PASSWORD=plum\r\n"));
        for risky in ["\0", "\x07", "\x1b", "\x1f", "`", "…"] {
            for at in 0..17 {
                let line = format!("{}{risky}{}", "a".repeat(at), "b".repeat(17 - at));
                assert!(may_unsettle(line.as_bytes()), "{risky:?} at {at}");
            }
        }
        // Its lead byte alone, or another character that starts with it, is no ellipsis.
        assert!(!may_unsettle(&"aaaaaaa\u{2014}aaaaaaa\u{2026}".as_bytes()[..18]));
        assert!(!may_unsettle("aaaaaaa\u{2014}aaaaaaa".as_bytes()));
    }

    #[test]
    fn masks_widen_over_what_the_next_pass_reads() {
        let r = Redactor::default();
        // The inner `[` masked, the outer value's bracket reads as closed and runs on.
        assert_eq!(
            r.redact("o token=[…{;token=[}e".as_bytes()).as_ref(),
            "o token=[…{;token=[REDACTED]}[REDACTED]".as_bytes()
        );
        // The BEL byte that ended `TOKEN`'s value is masked: `key:`'s value is read.
        assert_eq!(r.redact(b"TOKEN:Key:\"\x01(\"auth:(\x07key:=").as_ref(), b"TOKEN:[REDACTED]\x07key:[REDACTED]");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn may_unsettle_reads_as_bytewise(line in prop::collection::vec(prop_oneof![
            20 => 0x20u8..,
            1 => prop::sample::select(&[b'\t', b'\n', b'\r', 0, 0x07, 0x1b, 0x1f, b'`', 0xE2, 0x80, 0xA6][..]),
        ], 0..64)) {
            let mut with_ellipses = line.clone();
            with_ellipses.extend_from_slice("a…".as_bytes());
            prop_assert_eq!(may_unsettle(&line), risky_bytewise(&line));
            // Both ways of looking at sixteen bytes, whichever this target uses.
            for block in line.as_chunks::<16>().0 {
                let candidate = block.iter().any(|&b| b < 0x20 || b == b'`' || b == 0xE2);
                prop_assert_eq!(may_hold_risky_vectors(block), candidate);
                prop_assert_eq!(may_hold_risky_words(block), candidate);
            }
            prop_assert!(may_unsettle(&with_ellipses));
        }

        #[test]
        fn redacting_the_output_again_changes_nothing(line in line(), style in prop::sample::select(&MaskStyle::ALL[..])) {
            let r = &REDACTORS[MaskStyle::ALL.iter().position(|&s| s == style).unwrap()];
            let once = r.redact(&line).into_owned();
            prop_assert!(r.redact(&once).as_ref() == once.as_slice(), "not idempotent with style {}", style.as_str());
        }
    }
}
