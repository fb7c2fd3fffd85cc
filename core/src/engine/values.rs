//! The scan for known values' forms when there are many: sampled windows instead of an
//! automaton.
//!
//! Every form is at least `m` bytes long. Looking at the `w` bytes (a window: 8, or 4
//! when some form is short) at every `s`-th position, with `s = m - w + 1`, sees at least
//! one whole window of each occurrence: the occurrence at `q` holds the sampled position
//! `p` in `q..q + s`, and `p + w <= q + m`.
//! So each form enters its windows at offsets `0..s` into a hashed bit set, and the scan
//! hashes one window every `s` bytes: its cost does not grow with the number of values
//! (thousands of values, each in several encodings, made the automaton a large NFA
//! walked in one lane), and its tables are independent of the text.
//!
//! A window in the bit set is confirmed against the entries of its hash bucket: a second
//! hash of the window first (values often share a prefix, and so windows), then the form
//! at the offset the entry gives, in full.

use super::Hit;

/// Bytes hashed at a sampled position: the long window, when every form has at least
/// [`LONG_MIN`] bytes (fewer values share a window), else the short one.
const LONG_WINDOW: usize = 8;
const SHORT_WINDOW: usize = 4;
const LONG_MIN: usize = 16;
/// The longest stride used (longer forms gain little: a window every 32 bytes is cheap).
const MAX_STRIDE: usize = 32;
/// Bit-set bits per entry (about 1/16 of the windows of text hit a set bit by chance).
const BITS_PER_ENTRY: usize = 16;

/// The compiled set of forms.
pub(crate) struct ValueScan {
    /// Every form's bytes, one after the other; `ends[i]` is where form `i` ends.
    bytes: Vec<u8>,
    ends: Vec<u32>,
    /// Pattern id of form 0 (form `i` is pattern `base + i`).
    base: u32,
    window: usize,
    stride: usize,
    /// The window hashes, one bit each, indexed by the hash's top `64 - bit_shift` bits.
    bits: Vec<u64>,
    bit_shift: u32,
    /// Entries by hash bucket (the hash's top `64 - bucket_shift` bits): bucket `b` is
    /// `entries[starts[b]..starts[b + 1]]`. An entry is the form's index times 32 plus
    /// the window's offset in it, and the window's second hash (compared before the form).
    starts: Vec<u32>,
    entries: Vec<(u32, u32)>,
    bucket_shift: u32,
}

impl ValueScan {
    /// The scan for `forms` (pattern ids `base..`), or `None` when a form is too short to
    /// sample (four bytes or fewer).
    pub(crate) fn new(forms: &[Vec<u8>], base: u32) -> Option<ValueScan> {
        let min = forms.iter().map(Vec::len).min()?;
        if min <= SHORT_WINDOW || forms.len() >= 1 << 27 {
            return None;
        }
        let window = if min >= LONG_MIN { LONG_WINDOW } else { SHORT_WINDOW };
        let stride = (min - window + 1).min(MAX_STRIDE);
        let mut bytes = Vec::with_capacity(forms.iter().map(Vec::len).sum());
        let mut ends = Vec::with_capacity(forms.len());
        for f in forms {
            bytes.extend_from_slice(f);
            ends.push(bytes.len() as u32);
        }
        let count = forms.len() * stride;
        let bit_order = (count * BITS_PER_ENTRY).next_power_of_two().trailing_zeros().clamp(12, 30);
        let bucket_order = bit_order.saturating_sub(4).max(8);
        let (bit_shift, bucket_shift) = (64 - bit_order, 64 - bucket_order);
        let mut bits = vec![0u64; (1usize << bit_order) / 64];
        // Entries by bucket: a counting sort in two passes over the forms' windows, which
        // hashes each twice rather than holding a keyed copy of every entry (tens of MiB
        // for 10,000 values).
        let mut starts = vec![0u32; (1usize << bucket_order) + 1];
        each_window(forms, window, stride, |_, v| {
            let h = hash(v);
            let bit = (h >> bit_shift) as usize;
            bits[bit / 64] |= 1 << (bit % 64);
            starts[(h >> bucket_shift) as usize + 1] += 1;
        });
        for b in 1..starts.len() {
            starts[b] += starts[b - 1];
        }
        // `starts[b + 1]` is where bucket `b` ends: fill each bucket from its end down, so
        // `starts[b + 1]` ends where it starts, then move the starts one place down.
        let mut entries = vec![(0u32, 0u32); count];
        each_window(forms, window, stride, |e, v| {
            let slot = &mut starts[(hash(v) >> bucket_shift) as usize + 1];
            *slot -= 1;
            entries[*slot as usize] = (e, check(v));
        });
        let buckets = starts.len() - 1;
        starts.copy_within(1.., 0);
        starts[buckets] = count as u32;
        Some(ValueScan { bytes, ends, base, window, stride, bits, bit_shift, starts, entries, bucket_shift })
    }

    fn form(&self, i: u32) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i as usize - 1] as usize };
        &self.bytes[start..self.ends[i as usize] as usize]
    }

    /// Appends every occurrence of a form inside `hay[from..to]` to `out`, in order of
    /// start (longer first at the same start).
    pub(crate) fn scan(&self, hay: &[u8], from: usize, to: usize, out: &mut Vec<Hit>) {
        let first = out.len();
        self.walk(hay, from, to, |hit| out.push(hit), |_| false);
        out[first..].sort_unstable_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
    }

    /// The occurrence in `hay[from..]` that starts first (the longest of those), if it
    /// starts at `max_start` or before.
    pub(crate) fn find(&self, hay: &[u8], from: usize, max_start: usize) -> Option<Hit> {
        let key = |h: Hit| (h.start, std::cmp::Reverse(h.end));
        let best = std::cell::Cell::new(None::<Hit>);
        self.walk(
            hay,
            from,
            hay.len(),
            |hit| {
                if hit.start <= max_start && best.get().is_none_or(|b| key(hit) < key(b)) {
                    best.set(Some(hit));
                }
            },
            // An occurrence starting at `q` holds a sampled position before `q + stride`:
            // past the best one's (or `max_start`'s), nothing earlier can turn up.
            |p| p >= best.get().map_or(max_start, |b| b.start.min(max_start)).saturating_add(self.stride),
        );
        best.get()
    }

    /// Calls `found` for each occurrence in `hay[from..to]`, by sampled position, until
    /// `stop` says so at one.
    #[inline]
    fn walk(&self, hay: &[u8], from: usize, to: usize, mut found: impl FnMut(Hit), stop: impl Fn(usize) -> bool) {
        let hay = &hay[..to];
        let mut p = from;
        while p + self.window <= hay.len() && !stop(p) {
            let v = word(&hay[p..p + self.window]);
            let h = hash(v);
            let bit = (h >> self.bit_shift) as usize;
            if self.bits[bit / 64] & (1 << (bit % 64)) != 0 {
                let b = (h >> self.bucket_shift) as usize;
                let c = check(v);
                for &(entry, ec) in &self.entries[self.starts[b] as usize..self.starts[b + 1] as usize] {
                    if ec != c {
                        continue;
                    }
                    let (form, off) = (entry >> 5, (entry & 31) as usize);
                    let Some(start) = p.checked_sub(off).filter(|&q| q >= from) else { continue };
                    let f = self.form(form);
                    if hay[start..].starts_with(f) {
                        found(Hit { start, end: start + f.len(), pattern: self.base + form });
                    }
                }
            }
            p += self.stride;
        }
    }
}

/// Calls `each` with every form's windows at offsets `0..stride`: the entry (form index
/// times 32 plus offset) and the window's bytes as a word.
#[inline]
fn each_window(forms: &[Vec<u8>], window: usize, stride: usize, mut each: impl FnMut(u32, u64)) {
    for (i, f) in forms.iter().enumerate() {
        for (off, w) in f.windows(window).take(stride).enumerate() {
            each((i as u32) << 5 | off as u32, word(w));
        }
    }
}

/// A window's bytes (four or eight) as a word.
#[inline]
fn word(window: &[u8]) -> u64 {
    match window.first_chunk::<8>() {
        Some(w) => u64::from_le_bytes(*w),
        None => u64::from(u32::from_le_bytes([window[0], window[1], window[2], window[3]])),
    }
}

/// A 64-bit hash of a window: multiplicative, its top bits used.
#[inline]
fn hash(v: u64) -> u64 {
    v.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// A second, independent hash of a window, kept in the entries.
#[inline]
fn check(v: u64) -> u32 {
    (v.wrapping_mul(0xC2B2_AE3D_27D4_EB4F) >> 32) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every occurrence of every form, by a naive search.
    fn naive(forms: &[Vec<u8>], hay: &[u8], from: usize, to: usize) -> Vec<(usize, usize, u32)> {
        let mut out = Vec::new();
        for q in from..to {
            for (i, f) in forms.iter().enumerate() {
                if hay[q..to].starts_with(f) {
                    out.push((q, q + f.len(), i as u32 + 7));
                }
            }
        }
        out.sort_by_key(|&(s, e, p)| (s, std::cmp::Reverse(e), p));
        out
    }

    /// Forms with a short one (four-byte windows) and forms of 16 bytes or more (eight).
    const FORMS: &[&[&str]] = &[
        &["hunter22", "cHVudGVy", "hunter22xyz", "22xyz-token", "aaaaaa", "a%20b%2Fc"],
        &["hunter22hunter22", "hunter22hunter22xyz", "aaaaaaaaaaaaaaaaaaa", "22xyz-token-22xyz-"],
    ];

    proptest! {
        #[test]
        fn the_scan_finds_every_occurrence(
            parts in prop::collection::vec(prop::sample::select(vec![
                "hunter22", "cHVudGVy", "xyz", "-token", "aaa", "a", "a%20b%2Fc", " ", "\n", "hunter2", "22",
                "hunter22hunter22", "aaaaaaaaaaaaaaaaaa", "-22xyz-",
            ]), 0..200),
            from in 0usize..40,
            cut in 0usize..40,
        ) {
            for set in FORMS {
            let forms: Vec<Vec<u8>> = set.iter().map(|f| f.as_bytes().to_vec()).collect();
            let scan = ValueScan::new(&forms, 7).expect("forms longer than a window");
            let hay = parts.concat().into_bytes();
            let from = from.min(hay.len());
            let to = hay.len() - cut.min(hay.len() - from);
            let mut got = Vec::new();
            scan.scan(&hay, from, to, &mut got);
            let got: Vec<(usize, usize, u32)> = got.iter().map(|h| (h.start, h.end, h.pattern)).collect();
            let want = naive(&forms, &hay, from, to);
            let mut sorted = got.clone();
            sorted.sort_by_key(|&(s, e, p)| (s, std::cmp::Reverse(e), p));
            prop_assert_eq!(&sorted, &want);
            prop_assert!(got.windows(2).all(|w| (w[0].0, std::cmp::Reverse(w[0].1)) <= (w[1].0, std::cmp::Reverse(w[1].1))));
            // `find` (to the end of `hay`): the first start, the longest there, within
            // `max_start`.
            let all = naive(&forms, &hay, from, hay.len());
            for max_start in [usize::MAX, from + 10, from] {
                let first = all.iter().filter(|w| w.0 <= max_start).map(|&(s, e, _)| (s, e)).next();
                let found = scan.find(&hay, from, max_start).map(|h| (h.start, h.end));
                prop_assert_eq!(found, first);
            }
            }
        }
    }

    #[test]
    fn forms_too_short_to_sample_are_refused() {
        assert!(ValueScan::new(&[b"abcd".to_vec(), b"abcdefgh".to_vec()], 0).is_none());
        assert!(ValueScan::new(&[], 0).is_none());
    }

    #[test]
    fn thousands_of_values_stay_exact() {
        let forms: Vec<Vec<u8>> = (0..20_000).map(|i| format!("known-value-{i:06}-xyz").into_bytes()).collect();
        let scan = ValueScan::new(&forms, 0).unwrap();
        let hay = b"x known-value-012345-xyz y known-value-99999-xyz known-value-019999-xyz".to_vec();
        let mut got = Vec::new();
        scan.scan(&hay, 0, hay.len(), &mut got);
        let got: Vec<(usize, u32)> = got.iter().map(|h| (h.start, h.pattern)).collect();
        assert_eq!(got, vec![(2, 12_345), (49, 19_999)]);
    }
}
