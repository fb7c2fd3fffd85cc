//! A SIMD prefilter for the literal scan: Teddy (after Hyperscan and `aho-corasick`'s
//! packed searcher) over the literals' first bytes, with ASCII case folded into its masks.
//!
//! The DFA walk retires about a byte per load latency per lane, whatever the text. This
//! filter looks at 16 positions in a handful of vector instructions and stops only where a
//! literal may start; an anchored DFA walk from there says which literal (if any) it is.
//!
//! Why not `aho_corasick::packed`: it takes at most 128 case-sensitive patterns, and the
//! default literal set has ~600 (key words in three casings, each with its delimiters).
//! Folded and cut to their first [`FP_LEN`] bytes they are ~130 *fingerprints*, and a
//! letter's two cases differ only in the high nibble, so one mask entry holds both.
//!
//! How a position is judged:
//! 1. the masks: each of [`BUCKETS`] buckets holds some fingerprints; position `p` passes
//!    when, for some bucket, each byte `p + j` has a low and a high nibble that some
//!    fingerprint of the bucket has at `j` (a superset: nibbles of different fingerprints
//!    combine). Fingerprints are put into buckets so that these combinations are rare in
//!    log text ([`FREQ`]).
//! 2. an exact check of the folded bytes at `p` against the fingerprint set (a hashed bit
//!    set), in scalar code, for the positions that pass the masks.
//!
//! A literal occurrence always passes both, so no literal is missed.

// Off x86-64 some kernels, tables and the scalar reference go unused (and without
// `simd128` on wasm no `Teddy` is built at all).
#![cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]

/// A fingerprint is a literal's first bytes, at most this many, ASCII-folded.
pub(crate) const FP_LEN: usize = 4;
/// Buckets: AVX2's shuffle looks up 16-entry tables per 128-bit half, 8 bucket bits each.
const BUCKETS: usize = 16;
/// Start fingerprints at a rate above this (estimated per position) and the DFA walk is
/// as fast: the set is too large or too common for the masks.
const MAX_RATE: f64 = 0.06;
/// Above this many fingerprints the masks say yes too often to pay; not even tried.
const MAX_FINGERPRINTS: usize = 400;

/// Byte frequencies of log and source text, per 65,536 bytes (at least 1): the
/// `gen-corpus` bench logs (70%) and Rust source with prose (30%). Only the ranking matters:
/// it steers which fingerprints share a bucket.
#[rustfmt::skip]
const FREQ: [u16; 256] = [
    1, 1, 1, 1, 1, 1, 1, 1, 1, 14, 848, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    6392, 40, 3156, 18, 1, 1, 71, 49, 334, 336, 16, 101, 876, 1212, 883, 1069,
    3011, 1890, 1952, 860, 1127, 1039, 797, 712, 776, 718, 1676, 136, 40, 820, 72, 89,
    1, 238, 136, 71, 161, 285, 70, 164, 148, 58, 29, 103, 154, 160, 76, 231,
    156, 25, 151, 158, 595, 146, 43, 35, 48, 164, 192, 142, 17, 142, 1, 536,
    70, 2261, 779, 1249, 1336, 3950, 1099, 573, 676, 1765, 73, 394, 1236, 883, 1489, 1591,
    997, 298, 1802, 2230, 2159, 1108, 449, 243, 145, 416, 89, 183, 30, 183, 1, 1,
    2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 2, 1, 1, 3, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
];

/// Which vector code scans.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kernel {
    /// AVX2: nibble tables, 16 positions a step. A bucket accepts, at each position, every
    /// byte whose two nibbles some of its fingerprints have there.
    Avx2,
    /// AVX-512 VBMI: 128-entry byte tables, 64 positions a step. A bucket accepts exactly
    /// its fingerprints' bytes (an ASCII byte and the same byte with the top bit set).
    Avx512,
    /// WebAssembly SIMD (a build with `simd128`): the AVX2 tables in 128-bit halves.
    #[cfg_attr(target_arch = "x86_64", allow(dead_code))]
    Simd128,
}

/// The prefilter for one literal set.
pub(crate) struct Teddy {
    kernel: Kernel,
    /// [`Kernel::Avx2`]: per fingerprint byte `j`, the tables for low (`.0`) and high
    /// (`.1`) nibbles. Bytes 0..16 of a table give buckets 0-7 for each nibble value,
    /// 16..32 buckets 8-15: AVX2 shuffles each 128-bit half on its own.
    nibbles: [([u8; 32], [u8; 32]); FP_LEN],
    /// [`Kernel::Avx512`]: per fingerprint byte `j` and bucket octet, a table indexed by
    /// the byte's low seven bits.
    bytes: [[[u8; 128]; 2]; FP_LEN],
    /// The folded fingerprints, hashed with their length into a 65,536-bit set.
    exact: Box<[u64; 1024]>,
    /// Bit `n` set: some fingerprint is `n` bytes long.
    lens: u8,
}

impl Teddy {
    /// The prefilter for `patterns`, or `None` when this CPU lacks the vector instructions,
    /// a literal is shorter than two bytes, or the masks would pass too many positions.
    pub(crate) fn new(patterns: &[Vec<u8>]) -> Option<Teddy> {
        Teddy::build(patterns, best_kernel()?)
    }

    /// The prefilter for `patterns` with `kernel` (which the CPU must support to `find`).
    fn build(patterns: &[Vec<u8>], kernel: Kernel) -> Option<Teddy> {
        let mut fps: Vec<Vec<u8>> = Vec::new();
        for p in patterns {
            if p.len() < 2 {
                return None;
            }
            fps.push(p[..p.len().min(FP_LEN)].iter().map(|&b| fold(b)).collect());
        }
        fps.sort_unstable();
        fps.dedup();
        if fps.is_empty() || fps.len() > MAX_FINGERPRINTS {
            return None;
        }
        let buckets = cluster(&fps, kernel);
        if buckets.iter().map(|b| b.rate(kernel)).sum::<f64>() > MAX_RATE {
            return None;
        }
        let mut nibbles = [([0u8; 32], [0u8; 32]); FP_LEN];
        let mut bytes = [[[0u8; 128]; 2]; FP_LEN];
        for (k, shape) in buckets.iter().enumerate() {
            let (octet, bit) = (k / 8, 1u8 << (k % 8));
            for j in 0..FP_LEN {
                let (lo, hi) = shape.nibbles(j);
                for n in 0..16 {
                    if lo & (1 << n) != 0 {
                        nibbles[j].0[16 * octet + n] |= bit;
                    }
                    if hi & (1 << n) != 0 {
                        nibbles[j].1[16 * octet + n] |= bit;
                    }
                }
                for b in 0..=255u8 {
                    if shape.has(j, b) {
                        bytes[j][octet][usize::from(b & 0x7F)] |= bit;
                    }
                }
            }
        }
        let mut exact = Box::new([0u64; 1024]);
        let mut lens = 0u8;
        for fp in &fps {
            let h = hash(fp.len(), word(fp));
            exact[h / 64] |= 1 << (h % 64);
            lens |= 1 << fp.len();
        }
        Some(Teddy { kernel, nibbles, bytes, exact, lens })
    }

    /// The first position at or after `at` where a fingerprint starts in `hay`.
    #[cfg(test)]
    pub(crate) fn find(&self, hay: &[u8], at: usize) -> Option<usize> {
        let mut first = None;
        self.each(hay, at, |p| {
            first = Some(p);
            usize::MAX
        });
        first
    }

    /// Calls `f` at each position from `from` on where a fingerprint starts, in order;
    /// `f` returns where to go on from (past the position; `usize::MAX` stops). The scan
    /// resumes inside the current step when it can, so a chain of hits costs no rescans.
    #[inline]
    pub(crate) fn each(&self, hay: &[u8], from: usize, f: impl FnMut(usize) -> usize) {
        #[cfg(target_arch = "x86_64")]
        {
            // SAFETY: `new` chose the kernel after checking that this CPU has its
            // instructions (`best_kernel`); tests call `build` only with supported ones.
            #[allow(unsafe_code)]
            unsafe {
                match self.kernel {
                    Kernel::Avx2 => x86::each_avx2(self, hay, from, f),
                    Kernel::Avx512 => x86::each_avx512(self, hay, from, f),
                    Kernel::Simd128 => self.each_scalar(hay, from, f),
                }
            }
        }
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        {
            wasm::each(self, hay, from, f)
        }
        #[cfg(not(any(target_arch = "x86_64", all(target_arch = "wasm32", target_feature = "simd128"))))]
        {
            self.each_scalar(hay, from, f)
        }
    }

    /// [`each`](Self::each) with the exact check at every position, without vector code:
    /// the reference.
    pub(crate) fn each_scalar(&self, hay: &[u8], from: usize, f: impl FnMut(usize) -> usize) {
        drive(self, hay, from, 64, |at, m| fill(hay, at, 64, m, |p| below(hay.len() - p)), f)
    }

    /// Do the folded bytes at `p` begin with a fingerprint (or a hash twin of one)?
    #[inline]
    fn exact_at(&self, hay: &[u8], p: usize) -> bool {
        let rest = &hay[p..];
        let (v, n) = match rest.first_chunk::<FP_LEN>() {
            Some(w) => (u32::from_le_bytes(*w), FP_LEN),
            None => {
                let mut bytes = [0u8; FP_LEN];
                bytes[..rest.len()].copy_from_slice(rest);
                (u32::from_le_bytes(bytes), rest.len())
            }
        };
        let v = fold_word(v);
        // Bit 0: a fingerprint of `len` bytes may start here. No branches: the verdict is
        // unpredictable (see `drive`), and the three lookups are cheap.
        let has = |len: usize| -> u64 {
            let h = hash(len, v & (u32::MAX >> (8 * (FP_LEN - len))));
            u64::from(n >= len) & u64::from(self.lens >> len) & (self.exact[h / 64] >> (h % 64))
        };
        (has(4) | has(3) | has(2)) & 1 != 0
    }
}

/// [`fold`] on the four bytes of a word at once: bit 5 set in each ASCII upper-case
/// letter (`A`..=`Z`), every other byte as it is.
#[inline]
fn fold_word(v: u32) -> u32 {
    let low7 = v & 0x7F7F_7F7F;
    // Per byte, top bit set: at least `A`, and above `Z` (seven-bit sums cannot carry).
    let at_least_a = low7 + 0x3F3F_3F3F;
    let above_z = low7 + 0x2525_2525;
    let upper = at_least_a & !above_z & !v & 0x8080_8080;
    v | (upper >> 2)
}

/// ASCII case folding: letters to lower case, every other byte as it is.
#[inline]
fn fold(b: u8) -> u8 {
    b.to_ascii_lowercase()
}

/// A fingerprint's bytes as a little-endian word (missing bytes zero).
fn word(fp: &[u8]) -> u32 {
    let mut bytes = [0u8; FP_LEN];
    bytes[..fp.len()].copy_from_slice(fp);
    u32::from_le_bytes(bytes)
}

/// A 16-bit hash of a fingerprint of `len` bytes with value `v`.
#[inline]
fn hash(len: usize, v: u32) -> usize {
    ((v ^ (len as u32).wrapping_mul(0x9E37_79B9)).wrapping_mul(0x85EB_CA6B) >> 16) as usize
}

/// The fastest kernel the running CPU supports.
fn best_kernel() -> Option<Kernel> {
    #[cfg(target_arch = "x86_64")]
    {
        if std::is_x86_feature_detected!("avx512vbmi") && std::is_x86_feature_detected!("avx512bw") {
            return Some(Kernel::Avx512);
        }
        if std::is_x86_feature_detected!("avx2") {
            return Some(Kernel::Avx2);
        }
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        return Some(Kernel::Simd128);
    }
    #[allow(unreachable_code)]
    None
}

/// The bytes a bucket accepts at each fingerprint position, before a kernel's tables
/// widen them.
#[derive(Clone, Copy, Default)]
struct Shape([[u64; 4]; FP_LEN]);

impl Shape {
    /// The shape of one fingerprint: both cases of a letter; any byte past its end.
    fn of(fp: &[u8]) -> Shape {
        let mut s = Shape::default();
        for (j, set) in s.0.iter_mut().enumerate() {
            match fp.get(j) {
                Some(&b) => {
                    for c in [b, b.to_ascii_uppercase()] {
                        set[usize::from(c / 64)] |= 1 << (c % 64);
                    }
                }
                None => *set = [u64::MAX; 4],
            }
        }
        s
    }

    fn has(&self, j: usize, b: u8) -> bool {
        self.0[j][usize::from(b / 64)] & (1 << (b % 64)) != 0
    }

    fn union(self, other: Shape) -> Shape {
        let mut s = self;
        for (a, b) in s.0.iter_mut().zip(other.0) {
            for (x, y) in a.iter_mut().zip(b) {
                *x |= y;
            }
        }
        s
    }

    /// The low and high nibbles of the bytes accepted at position `j`.
    fn nibbles(&self, j: usize) -> (u16, u16) {
        let (mut lo, mut hi) = (0u16, 0u16);
        for (w, &word) in self.0[j].iter().enumerate() {
            let mut bits = word;
            while bits != 0 {
                let b = 64 * w + bits.trailing_zeros() as usize;
                lo |= 1 << (b & 15);
                hi |= 1 << (b >> 4);
                bits &= bits - 1;
            }
        }
        (lo, hi)
    }

    /// Estimated share of text positions the bucket passes with `kernel`'s tables: per
    /// position, the frequency of the bytes they accept, multiplied over the positions.
    fn rate(&self, kernel: Kernel) -> f64 {
        (0..FP_LEN)
            .map(|j| {
                if self.0[j] == [u64::MAX; 4] {
                    return 1.0;
                }
                let mut sum = 0u32;
                match kernel {
                    Kernel::Avx2 | Kernel::Simd128 => {
                        let (lo, hi) = self.nibbles(j);
                        for h in (0..16).filter(|h| hi & (1 << h) != 0) {
                            for l in (0..16).filter(|l| lo & (1 << l) != 0) {
                                sum += u32::from(FREQ[h << 4 | l]);
                            }
                        }
                    }
                    Kernel::Avx512 => {
                        // The tables see the low seven bits: a byte and its twin with the
                        // top bit set are accepted together.
                        let set = &self.0[j];
                        for (w, mut bits) in [set[0] | set[2], set[1] | set[3]].into_iter().enumerate() {
                            while bits != 0 {
                                let b = 64 * w + bits.trailing_zeros() as usize;
                                sum += u32::from(FREQ[b]) + u32::from(FREQ[b | 0x80]);
                                bits &= bits - 1;
                            }
                        }
                    }
                }
                f64::from(sum) / 65536.0
            })
            .product()
    }
}

/// Puts sorted, distinct fingerprints into [`BUCKETS`] shapes: fingerprints sharing their
/// first two bytes start together, then the two groups whose union adds the least to the
/// estimated rate merge, until the groups fit the buckets.
fn cluster(fps: &[Vec<u8>], kernel: Kernel) -> Vec<Shape> {
    let mut groups: Vec<Shape> = Vec::new();
    let mut last: Option<&[u8]> = None;
    for fp in fps {
        let head = &fp[..2];
        match groups.last_mut() {
            Some(g) if last == Some(head) => *g = g.union(Shape::of(fp)),
            _ => groups.push(Shape::of(fp)),
        }
        last = Some(head);
    }
    let mut rates: Vec<f64> = groups.iter().map(|g| g.rate(kernel)).collect();
    let merge_cost = |g: &[Shape], r: &[f64], a: usize, b: usize| g[a].union(g[b]).rate(kernel) - r[a] - r[b];
    let n = groups.len();
    // cost[a][b] for a < b: what merging groups a and b adds to the estimated rate.
    let mut cost: Vec<Vec<f64>> = (0..n)
        .map(|a| (0..n).map(|b| if a < b { merge_cost(&groups, &rates, a, b) } else { f64::INFINITY }).collect())
        .collect();
    let mut alive: Vec<usize> = (0..n).collect();
    while alive.len() > BUCKETS {
        let mut best = (f64::INFINITY, 0, 0);
        for (i, &a) in alive.iter().enumerate() {
            for &b in &alive[i + 1..] {
                if cost[a][b] < best.0 {
                    best = (cost[a][b], a, b);
                }
            }
        }
        let (_, a, b) = best;
        groups[a] = groups[a].union(groups[b]);
        rates[a] = groups[a].rate(kernel);
        alive.retain(|&g| g != b);
        for &c in &alive {
            if c != a {
                let (x, y) = (a.min(c), a.max(c));
                cost[x][y] = merge_cost(&groups, &rates, x, y);
            }
        }
    }
    alive.into_iter().map(|g| groups[g]).collect()
}

/// Bytes a kernel classifies before the candidates among them are checked.
const WINDOW: usize = 512;
/// The most steps in a window (the narrowest kernel steps 16 bytes).
const WINDOW_STEPS: usize = WINDOW / 16;

/// One window's candidates: per step, bit `i` for position `at + i` of the step.
type Masks = [u64; WINDOW_STEPS];

/// The loop of every kernel: `window(at, masks)` fills `masks` with the candidates of the
/// steps of `step` positions from `at` (none at or past the end of `hay`) and returns a
/// [`Window`]; the candidates that pass the exact check go to `f`, which says where to go
/// on from (see [`Teddy::each`]).
///
/// A window's masks are computed first, then its candidates are checked. `f` may call out
/// (the DFA walk, a vector's growth), and a call clobbers every vector register: checking
/// each step's candidates as it was classified made the compiler spill the AVX-512
/// kernel's tables (16 registers, 1 KiB) at every step with a candidate and reload them
/// after each call. The x86 kernels' window functions are not inlined, so their tables
/// live in registers only while they classify.
///
/// Branches here are what costs: a window holds a few candidates, scattered, and most
/// of them (about three in four on the bench corpus) fail the exact check. So the loop visits only the steps with candidates
/// (a bit set per step), and a step's candidates are all checked before any goes to `f`,
/// the verdicts gathered without a branch.
#[inline(always)]
fn drive(
    t: &Teddy,
    hay: &[u8],
    from: usize,
    step: usize,
    mut window: impl FnMut(usize, &mut Masks) -> Window,
    mut f: impl FnMut(usize) -> usize,
) {
    let mut masks = [0u64; WINDOW_STEPS];
    let (mut at, mut next) = (from, from);
    while at < hay.len() {
        let Window { steps, mut live } = window(at, &mut masks);
        while live != 0 {
            let i = live.trailing_zeros() as usize;
            live &= live - 1;
            let base = at + i * step;
            if next >= base + step {
                continue;
            }
            let mut cand = masks[i] & !below(next.saturating_sub(base));
            let mut pass = 0u64;
            while cand != 0 {
                let bit = cand.trailing_zeros();
                cand &= cand - 1;
                pass |= u64::from(t.exact_at(hay, base + bit as usize)) << bit;
            }
            while pass != 0 {
                next = f(base + pass.trailing_zeros() as usize);
                if next >= base + step {
                    break;
                }
                pass &= !below(next - base);
            }
        }
        at = next.max(at + steps * step);
    }
}

/// What a kernel's `window` classified: how many steps, and which of them have
/// candidates (bit `i` for step `i`).
struct Window {
    steps: usize,
    live: u64,
}

/// Candidate bits below `n` only.
#[inline(always)]
pub(crate) fn below(n: usize) -> u64 {
    if n >= 64 { u64::MAX } else { (1 << n) - 1 }
}

/// Fills `masks` with `mask(p)` for the steps `p` of `step` bytes from `at` within one
/// [`WINDOW`] and before the end of `hay`.
#[inline(always)]
fn fill(hay: &[u8], at: usize, step: usize, masks: &mut Masks, mask: impl Fn(usize) -> u64) -> Window {
    let (mut steps, mut live) = (0, 0u64);
    while steps < WINDOW / step && at + steps * step < hay.len() {
        let m = mask(at + steps * step);
        masks[steps] = m;
        live |= u64::from(m != 0) << steps;
        steps += 1;
    }
    Window { steps, live }
}

/// The x86-64 kernels.
#[cfg(target_arch = "x86_64")]
#[allow(unsafe_code)]
mod x86 {
    use std::arch::x86_64::*;

    use super::{FP_LEN, Masks, Teddy, Window, below, drive, fill};

    /// [`Teddy::each`] with AVX2: 16 positions a step.
    ///
    /// # Safety
    /// The CPU must support AVX2.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn each_avx2(t: &Teddy, hay: &[u8], from: usize, f: impl FnMut(usize) -> usize) {
        // SAFETY: the caller vouches for AVX2.
        drive(t, hay, from, AVX2_STEP, |at, masks| unsafe { window_avx2(t, hay, at, masks) }, f)
    }

    /// Positions an AVX2 step classifies.
    const AVX2_STEP: usize = 16;

    /// One window's masks with AVX2 (see [`drive`]: not inlined, so that the tables are
    /// not held in registers across the candidates' checks).
    ///
    /// # Safety
    /// The CPU must support AVX2.
    #[inline(never)]
    #[target_feature(enable = "avx2")]
    unsafe fn window_avx2(t: &Teddy, hay: &[u8], at: usize, masks: &mut Masks) -> Window {
        const STEP: usize = AVX2_STEP;
        // A step reads STEP + FP_LEN - 1 bytes.
        const READ: usize = STEP + FP_LEN - 1;
        // SAFETY: each table is 32 bytes.
        let load = |m: &[u8; 32]| unsafe { _mm256_loadu_si256(m.as_ptr().cast()) };
        let lo: [__m256i; FP_LEN] = std::array::from_fn(|j| load(&t.nibbles[j].0));
        let hi: [__m256i; FP_LEN] = std::array::from_fn(|j| load(&t.nibbles[j].1));
        let nibble = _mm256_set1_epi8(0x0F);
        let step = |chunk: &[u8]| -> u64 {
            assert!(chunk.len() >= READ);
            let mut acc = _mm256_set1_epi8(-1);
            for j in 0..FP_LEN {
                // SAFETY: j + 16 <= READ <= chunk.len().
                let bytes = unsafe { _mm_loadu_si128(chunk.as_ptr().add(j).cast()) };
                let c = _mm256_broadcastsi128_si256(bytes);
                let l = _mm256_shuffle_epi8(lo[j], _mm256_and_si256(c, nibble));
                let h = _mm256_shuffle_epi8(hi[j], _mm256_and_si256(_mm256_srli_epi16(c, 4), nibble));
                acc = _mm256_and_si256(acc, _mm256_and_si256(l, h));
            }
            let none = _mm256_movemask_epi8(_mm256_cmpeq_epi8(acc, _mm256_setzero_si256())) as u32;
            // Bit i of either half clear: some bucket passed position i.
            u64::from(!(none & (none >> 16)) & 0xFFFF)
        };
        let mask = |at: usize| {
            let rest = &hay[at..];
            if rest.len() >= READ {
                return step(rest);
            }
            // The last bytes, copied into a padded buffer: the padding can only add
            // candidates, and those past the end are masked off.
            let mut buf = [0u8; READ];
            buf[..rest.len()].copy_from_slice(rest);
            step(&buf) & below(rest.len())
        };
        fill(hay, at, STEP, masks, mask)
    }

    /// [`Teddy::each`] with AVX-512 VBMI: 64 positions a step.
    ///
    /// # Safety
    /// The CPU must support AVX-512 BW and VBMI.
    #[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
    pub(super) unsafe fn each_avx512(t: &Teddy, hay: &[u8], from: usize, f: impl FnMut(usize) -> usize) {
        // SAFETY: the caller vouches for AVX-512 BW and VBMI.
        drive(t, hay, from, 64, |at, masks| unsafe { window_avx512(t, hay, at, masks) }, f)
    }

    /// One window's masks with AVX-512 VBMI (see [`drive`]: not inlined, so that the 16
    /// tables are not held in registers across the candidates' checks).
    ///
    /// # Safety
    /// The CPU must support AVX-512 BW and VBMI.
    #[inline(never)]
    #[target_feature(enable = "avx512f,avx512bw,avx512vbmi")]
    unsafe fn window_avx512(t: &Teddy, hay: &[u8], at: usize, masks: &mut Masks) -> Window {
        // SAFETY: each half of a 128-byte table is 64 bytes.
        let load = |m: &[u8]| unsafe { _mm512_loadu_si512(m[..64].as_ptr().cast()) };
        let tables: [[(__m512i, __m512i); 2]; FP_LEN] =
            std::array::from_fn(|j| std::array::from_fn(|o| (load(&t.bytes[j][o][..64]), load(&t.bytes[j][o][64..]))));
        // A step reads 64 + FP_LEN - 1 bytes.
        const READ: usize = 64 + FP_LEN - 1;
        // The buckets some fingerprint passes at each of 64 positions, given the 64 bytes
        // from each offset `j`.
        let classify = |bytes_at: &dyn Fn(usize) -> __m512i| {
            let mut acc = [_mm512_set1_epi8(-1); 2];
            for (j, table) in tables.iter().enumerate() {
                let c = bytes_at(j);
                for (a, &(t0, t1)) in acc.iter_mut().zip(table) {
                    *a = _mm512_and_si512(*a, _mm512_permutex2var_epi8(t0, c, t1));
                }
            }
            _mm512_test_epi8_mask(acc[0], acc[0]) | _mm512_test_epi8_mask(acc[1], acc[1])
        };
        let mask = |at: usize| {
            let avail = hay.len() - at;
            if avail >= READ {
                // Plain loads away from the end: the masked loads' per-step mask
                // arithmetic was half of this loop's instructions.
                // SAFETY: at + j + 64 <= at + READ <= hay.len().
                return classify(&|j| unsafe { _mm512_loadu_si512(hay.as_ptr().add(at + j).cast()) });
            }
            // Near the end bytes past it are not loaded (masked loads read them as zero):
            // zeros can only add candidates, and those past the end are masked off.
            // SAFETY: the mask selects only bytes inside `hay` (offsets below avail - j
            // from at + j), and a masked load does not touch the others.
            let near_end = |j: usize| unsafe {
                _mm512_maskz_loadu_epi8(below(avail.saturating_sub(j)), hay.as_ptr().add(at + j.min(avail)).cast())
            };
            classify(&near_end) & below(avail)
        };
        fill(hay, at, 64, masks, mask)
    }
}

/// The WebAssembly SIMD kernel (no runtime detection there: the build either has
/// `simd128` or it does not).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[allow(unsafe_code)]
mod wasm {
    use std::arch::wasm32::*;

    use super::{FP_LEN, Teddy, fill};

    /// [`Teddy::each`]: 16 positions a step, each nibble looked up in both bucket octets.
    pub(super) fn each(t: &Teddy, hay: &[u8], from: usize, f: impl FnMut(usize) -> usize) {
        const STEP: usize = 16;
        const READ: usize = STEP + FP_LEN - 1;
        // SAFETY (both loads): `m` is 32 bytes, so `m[16 * o..]` holds 16.
        let half = |m: &[u8; 32], o: usize| unsafe { v128_load(m[16 * o..].as_ptr().cast()) };
        let lo: [[v128; 2]; FP_LEN] = std::array::from_fn(|j| std::array::from_fn(|o| half(&t.nibbles[j].0, o)));
        let hi: [[v128; 2]; FP_LEN] = std::array::from_fn(|j| std::array::from_fn(|o| half(&t.nibbles[j].1, o)));
        let step = |chunk: &[u8]| -> u64 {
            assert!(chunk.len() >= READ);
            let mut acc = [u8x16_splat(0xFF); 2];
            for j in 0..FP_LEN {
                // SAFETY: j + 16 <= READ <= chunk.len().
                let c = unsafe { v128_load(chunk.as_ptr().add(j).cast()) };
                let (l, h) = (v128_and(c, u8x16_splat(0x0F)), u8x16_shr(c, 4));
                for (o, a) in acc.iter_mut().enumerate() {
                    *a = v128_and(*a, v128_and(i8x16_swizzle(lo[j][o], l), i8x16_swizzle(hi[j][o], h)));
                }
            }
            let none = |v| u32::from(i8x16_bitmask(u8x16_eq(v, u8x16_splat(0))));
            u64::from(!(none(acc[0]) & none(acc[1])) & 0xFFFF)
        };
        let mask = |at: usize| {
            let rest = &hay[at..];
            if rest.len() >= READ {
                return step(rest);
            }
            let mut buf = [0u8; READ];
            buf[..rest.len()].copy_from_slice(rest);
            step(&buf) & super::below(rest.len())
        };
        super::drive(t, hay, from, STEP, |at, masks| fill(hay, at, STEP, masks, &mask), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn pats(words: &[&str]) -> Vec<Vec<u8>> {
        words.iter().map(|w| w.as_bytes().to_vec()).collect()
    }

    /// The kernels this CPU can run.
    fn kernels() -> Vec<Kernel> {
        match best_kernel() {
            Some(Kernel::Avx512) => vec![Kernel::Avx512, Kernel::Avx2],
            Some(Kernel::Avx2) => vec![Kernel::Avx2],
            _ => vec![],
        }
    }

    /// Every position a scan stops at, from 0 on.
    fn stops(t: &Teddy, hay: &[u8], scalar: bool) -> Vec<usize> {
        let mut out = Vec::new();
        let mut at = 0;
        if scalar {
            t.each_scalar(hay, 0, |p| {
                out.push(p);
                p + 1
            });
        } else {
            while let Some(p) = t.find(hay, at) {
                out.push(p);
                at = p + 1;
            }
        }
        out
    }

    #[test]
    fn every_literal_start_is_a_stop_in_any_case() {
        let words = ["password", "token", "key=", "SK", "eyJ", "://", "AKIA", "sk_live_"];
        let t = Teddy::build(&pats(&words), Kernel::Avx2).expect("a small set fits");
        let hay = b"x PassWord y TOKEN z KEY= sk eyj a:// AKIA Sk_Live_ . password".repeat(3);
        let found = stops(&t, &hay, true);
        for w in words {
            let w = w.to_ascii_lowercase();
            let lower = hay.to_ascii_lowercase();
            for p in (0..lower.len()).filter(|&p| lower[p..].starts_with(w.as_bytes())) {
                assert!(found.contains(&p), "{w} at {p}");
            }
        }
        assert!(!found.contains(&0), "`x ` starts no fingerprint");
    }

    #[test]
    fn words_fold_like_bytes() {
        for a in 0..=255u8 {
            for b in [0u8, b'A', b'z', b'Z', b'@', b'[', 0xC1, 0xDA] {
                let v = u32::from_le_bytes([a, b, b'Q', a ^ 0x80]);
                let want = u32::from_le_bytes([fold(a), fold(b), b'q', fold(a ^ 0x80)]);
                assert_eq!(fold_word(v), want, "{a:#x} {b:#x}");
            }
        }
    }

    #[test]
    fn unusable_sets_are_refused() {
        for kernel in [Kernel::Avx2, Kernel::Avx512] {
            assert!(Teddy::build(&pats(&["a", "token"]), kernel).is_none(), "a one-byte literal");
            let pairs = (b'a'..=b'z').flat_map(|a| (b'a'..=b'l').map(move |b| vec![a, b]));
            assert!(Teddy::build(&pairs.collect::<Vec<_>>(), kernel).is_none(), "letter pairs pass everywhere");
            let many: Vec<Vec<u8>> = (0..500u32).map(|i| format!("x{i:03}").into_bytes()).collect();
            assert!(Teddy::build(&many, kernel).is_none(), "too many fingerprints");
        }
    }

    #[test]
    fn the_default_literals_fit() {
        let r = crate::Redactor::default();
        assert!(r.engine().uses_teddy() || best_kernel().is_none());
    }

    /// Where a fingerprint of `words` truly starts in `hay`: its folded first bytes.
    fn true_starts(words: &[&str], hay: &[u8]) -> Vec<usize> {
        let folded = hay.to_ascii_lowercase();
        (0..hay.len())
            .filter(|&p| {
                words.iter().any(|w| {
                    let fp = w.as_bytes()[..w.len().min(FP_LEN)].to_ascii_lowercase();
                    folded[p..].starts_with(&fp)
                })
            })
            .collect()
    }

    proptest! {
        /// The vector scan stops at every fingerprint start, and only where the exact
        /// check passes (which hash twins may, so it can stop where no fingerprint is).
        #[test]
        fn vector_scans_stop_at_every_fingerprint(
            parts in prop::collection::vec(prop::sample::select(vec![
                "token", "TOKEN", "Tok", "key", "key=", "kEy:", "pass", "x", " ", "\n", "eyJ", "://",
                "SK", "sk", "abcdefghijklmnop", "\u{e9}", "\0", "\u{ff}", "AKIA",
            ]), 0..400),
            from in 0usize..80,
            jumps in 0usize..50,
        ) {
            let words = ["password", "token", "key=", "key:", "key", "SK", "eyJ", "://", "AKIA", "pass", "\u{e9}t\u{e9}"];
            let hay = parts.concat().into_bytes();
            let hay = &hay[from.min(hay.len())..];
            let want = true_starts(&words, hay);
            for kernel in kernels() {
                let t = Teddy::build(&pats(&words), kernel).expect("a small set fits");
                let got = stops(&t, hay, false);
                for p in &want {
                    prop_assert!(got.contains(p), "{:?} misses {}", kernel, p);
                }
                for &p in &got {
                    prop_assert!(t.exact_at(hay, p), "{:?} stops at {}", kernel, p);
                }
                // A chain that jumps ahead (as hits make it) resumes inside a step: the
                // same stops as finding afresh from each resume point.
                let jump = |p: usize| p + 1 + (p * 7 + jumps) % 23;
                let mut each = Vec::new();
                t.each(hay, 0, |p| {
                    each.push(p);
                    jump(p)
                });
                let (mut afresh, mut at) = (Vec::new(), 0);
                while let Some(p) = t.find(hay, at) {
                    afresh.push(p);
                    at = jump(p);
                }
                prop_assert_eq!(each, afresh, "{:?}", kernel);
            }
        }
    }
}
