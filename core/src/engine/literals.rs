//! The literal scan: one leftmost-longest Aho-Corasick automaton over every literal, and
//! either a SIMD prefilter that stops where a literal may start ([`Teddy`]; the automaton,
//! anchored there, says which), or a search that walks several lanes of a block in lockstep.
//!
//! A DFA search is bound by the latency of its table loads, not by their number: each
//! transition needs the state the last one produced, so one walk retires about one byte
//! per L1 load latency. Walks over different parts of a block do not depend on each
//! other, so one loop that steps [`LANES`] of them at once keeps that many loads in
//! flight. The parts are cut at newlines: no literal holds a `\n`, so the chain of hits
//! (each search resuming where the last hit says) starts afresh at every line start, and
//! the lanes' chains, put end to end, are the chain of the whole block.

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::dfa::DFA;
use aho_corasick::nfa::contiguous::NFA;
use aho_corasick::{AhoCorasick, Anchored, Input, MatchKind, StartKind};

use super::Hit;
use super::teddy::Teddy;
use super::values::ValueScan;
use crate::{Error, ErrorKind};

/// Walks stepped together. Each lane holds only its state in the stepping loop (its
/// bytes are a slice read at an offset shared by all lanes), so four lanes fit in
/// registers: on the machines measured, four beat three and two, and six and eight lose
/// to four (see the commit that set this).
const LANES: usize = 4;
/// Blocks shorter than this are walked in one lane: cutting them costs more than it saves.
const MIN_LANE_BYTES: usize = 1024;
/// The chain is computed this many bytes (then up to a line end) at a time, so the hit
/// buffer stays small whatever the block size.
const SEGMENT: usize = 256 << 10;
/// Up to this many literals the automaton is a full DFA (fast, a few MiB at most); above,
/// a contiguous NFA.
const DFA_MAX_PATTERNS: usize = 5000;
/// Up to this many known-value forms share the automaton with the other literals; more
/// are found by a [`ValueScan`] of their own, whose cost does not grow with their number.
const SHARED_FORMS_MAX: usize = 64;

/// The compiled literal set: the automaton, and the known-value forms it leaves to a
/// [`ValueScan`].
pub(crate) struct Literals {
    main: Matcher,
    values: Option<ValueScan>,
}

/// How the automaton is searched.
enum Matcher {
    /// The prefilter's stops, each confirmed by an anchored walk of the DFA.
    Teddy(Box<Teddy>, Box<DFA>),
    /// A DFA, searched with the lane walk.
    Dfa(Box<DFA>),
    /// A large set: a contiguous NFA, walked in a single lane.
    Nfa(Box<NFA>),
    /// A set with a literal holding `\n`: searched one match at a time.
    Other(AhoCorasick),
}

impl Literals {
    /// The literal set of `patterns`; those from `forms_from` on are known-value forms.
    #[cfg(test)]
    pub(crate) fn build(patterns: &[Vec<u8>], forms_from: usize) -> Result<Literals, Error> {
        Literals::build_with(patterns, forms_from, true)
    }

    /// The literal set of `patterns` (those from `forms_from` on are known-value forms),
    /// with the SIMD prefilter when `simd` and it fits.
    pub(crate) fn build_with(patterns: &[Vec<u8>], forms_from: usize, simd: bool) -> Result<Literals, Error> {
        let has_newline = patterns.iter().any(|p| p.contains(&b'\n'));
        if !has_newline && patterns.len() - forms_from > SHARED_FORMS_MAX {
            // Forms holding no newline, with the ids they have in `patterns`.
            if let Some(values) = ValueScan::new(&patterns[forms_from..], forms_from as u32) {
                let main = Matcher::build(&patterns[..forms_from], simd)?;
                return Ok(Literals { main, values: Some(values) });
            }
        }
        Ok(Literals { main: Matcher::build(patterns, simd)?, values: None })
    }

    /// The leftmost-longest literal occurrence in `hay[from..]`.
    #[inline(always)]
    pub(crate) fn find(&self, hay: &[u8], from: usize) -> Option<Hit> {
        let main = self.main.find(hay, from);
        let Some(values) = &self.values else { return main };
        // Only a form starting no later than the automaton's hit can come first.
        let form = values.find(hay, from, main.map_or(usize::MAX, |h| h.start));
        match (main, form) {
            (Some(m), Some(f)) if (f.start, m.end) < (m.start, f.end) => Some(f),
            (Some(m), _) => Some(m),
            (None, f) => f,
        }
    }

    /// Appends to `out` the hits in `hay[from..to]` (`from` a line start or the block
    /// start, `to` a line end or the block end), in order of start: the automaton's chain
    /// (`find(from)`, then `find` again from `resume(hit)`, and so on), and every form.
    pub(crate) fn chain(
        &self,
        hay: &[u8],
        from: usize,
        to: usize,
        resume: &impl Fn(Hit) -> usize,
        out: &mut Vec<Hit>,
        scratch: &mut Vec<Hit>,
    ) {
        let Some(values) = &self.values else { return self.main.chain(hay, from, to, resume, out) };
        scratch.clear();
        self.main.chain(hay, from, to, resume, scratch);
        let forms_from = scratch.len();
        values.scan(hay, from, to, scratch);
        if scratch.len() == forms_from {
            out.extend_from_slice(scratch);
            return;
        }
        let (chain, forms) = scratch.split_at(forms_from);
        let (mut i, mut j) = (0, 0);
        while i < chain.len() || j < forms.len() {
            if j == forms.len() || (i < chain.len() && chain[i].start <= forms[j].start) {
                out.push(chain[i]);
                i += 1;
            } else {
                out.push(forms[j]);
                j += 1;
            }
        }
    }

    /// Are the known-value forms searched apart from the automaton (a [`ValueScan`])?
    pub(crate) fn forms_apart(&self) -> bool {
        self.values.is_some()
    }

    /// Is the automaton searched one match at a time (a literal holds a newline)?
    fn unsegmented(&self) -> bool {
        matches!(self.main, Matcher::Other(_))
    }

    #[cfg(test)]
    pub(crate) fn uses_teddy(&self) -> bool {
        matches!(self.main, Matcher::Teddy(..))
    }
}

impl Matcher {
    fn build(patterns: &[Vec<u8>], simd: bool) -> Result<Matcher, Error> {
        let limit =
            |e: aho_corasick::BuildError| Error::new(ErrorKind::Limit, format!("cannot build literal matcher: {e}"));
        let has_newline = patterns.iter().any(|p| p.contains(&b'\n'));
        // No prefilter: the lane walk treats every special state as a dead or match state,
        // and a prefilter would make start states special too.
        if has_newline {
            let ac = AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(patterns);
            ac.map(Matcher::Other).map_err(limit)
        } else if patterns.len() <= DFA_MAX_PATTERNS {
            if let Some(teddy) = Teddy::new(patterns).filter(|_| simd) {
                let dfa = DFA::builder()
                    .match_kind(MatchKind::LeftmostLongest)
                    .start_kind(StartKind::Anchored)
                    .prefilter(false)
                    .build(patterns);
                return dfa.map(|d| Matcher::Teddy(Box::new(teddy), Box::new(d))).map_err(limit);
            }
            let dfa = DFA::builder().match_kind(MatchKind::LeftmostLongest).prefilter(false).build(patterns);
            dfa.map(|d| Matcher::Dfa(Box::new(d))).map_err(limit)
        } else {
            let nfa = aho_corasick::nfa::contiguous::Builder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .prefilter(false)
                .build(patterns);
            nfa.map(|n| Matcher::Nfa(Box::new(n))).map_err(limit)
        }
    }

    /// The leftmost-longest literal occurrence in `hay[from..]`.
    #[inline]
    fn find(&self, hay: &[u8], from: usize) -> Option<Hit> {
        match self {
            Matcher::Dfa(dfa) => first_match(&**dfa, hay, from),
            _ => self.find_other(hay, from),
        }
    }

    /// [`find`](Self::find) for the matchers other than a plain DFA. Out of line: an
    /// interpreter (the Fluent Bit module, which always has a plain DFA) copies a function's
    /// constants on every call, so the DFA walk is kept on its own.
    #[inline(never)]
    fn find_other(&self, hay: &[u8], from: usize) -> Option<Hit> {
        match self {
            // The DFA walk by hand: on the short inputs of one-shot calls (a log record),
            // the generic search's setup costs as much as the walk itself.
            Matcher::Teddy(teddy, dfa) => {
                let mut found = None;
                teddy.each(hay, from, |p| match longest_at(&**dfa, hay, p) {
                    Some(hit) => {
                        found = Some(hit);
                        usize::MAX
                    }
                    None => p + 1,
                });
                found
            }
            Matcher::Dfa(dfa) => first_match(&**dfa, hay, from),
            Matcher::Nfa(nfa) => reference_find(&**nfa, hay, from),
            Matcher::Other(ac) => {
                let m = ac.find(Input::new(hay).span(from..hay.len()))?;
                Some(Hit { start: m.start(), end: m.end(), pattern: m.pattern().as_usize() as u32 })
            }
        }
    }

    /// Appends to `out` the chain of hits in `hay[from..to]` (`from` a line start or the
    /// block start, `to` a line end or the block end): `find(from)`, then `find` again
    /// from `resume(hit)`, and so on.
    fn chain(&self, hay: &[u8], from: usize, to: usize, resume: &impl Fn(Hit) -> usize, out: &mut Vec<Hit>) {
        match self {
            Matcher::Teddy(teddy, dfa) => {
                let hay = &hay[..to];
                teddy.each(hay, from, |p| match longest_at(&**dfa, hay, p) {
                    Some(hit) => {
                        out.push(hit);
                        resume(hit)
                    }
                    None => p + 1,
                });
            }
            Matcher::Dfa(dfa) => walk(&**dfa, hay, from, to, resume, out),
            // One lane: an NFA step follows failure links, a branchy loop that two
            // interleaved walks slow down (measured 211 -> 129 MB/s with 10,000 known values).
            Matcher::Nfa(nfa) => lanes::<NFA, 1>(nfa, hay, from, to, resume, out),
            Matcher::Other(_) => {
                let mut at = from;
                while let Some(hit) = self.find(&hay[..to], at) {
                    out.push(hit);
                    at = resume(hit);
                }
            }
        }
    }
}

/// The leftmost-longest match in `hay[from..]` by an unanchored walk without a prefilter:
/// the same as `aut.try_find`, with less setup.
#[inline(always)]
fn first_match<A: Automaton>(aut: &A, hay: &[u8], from: usize) -> Option<Hit> {
    let Ok(mut sid) = aut.start_state(Anchored::No) else { return reference_find(aut, hay, from) };
    let mut found = None;
    for (at, &byte) in hay.iter().enumerate().skip(from) {
        sid = aut.next_state(Anchored::No, sid, byte);
        if aut.is_special(sid) {
            if aut.is_dead(sid) {
                return found;
            }
            if aut.is_match(sid) {
                let pid = aut.match_pattern(sid, 0);
                let end = at + 1;
                found = Some(Hit { start: end - aut.pattern_len(pid), end, pattern: pid.as_usize() as u32 });
            }
        }
    }
    found
}

/// The longest literal starting at `at`, by an anchored walk.
#[inline]
fn longest_at<A: Automaton>(aut: &A, hay: &[u8], at: usize) -> Option<Hit> {
    let mut sid = aut.start_state(Anchored::Yes).ok()?;
    let mut found = None;
    for (i, &byte) in hay[at..].iter().enumerate() {
        sid = aut.next_state(Anchored::Yes, sid, byte);
        if aut.is_special(sid) {
            if aut.is_dead(sid) {
                break;
            }
            if aut.is_match(sid) {
                let pid = aut.match_pattern(sid, 0);
                found = Some(Hit { start: at, end: at + i + 1, pattern: pid.as_usize() as u32 });
            }
        }
    }
    found
}

/// `aho_corasick`'s own search, the reference [`first_match`] is tested against.
fn reference_find<A: Automaton>(aut: &A, hay: &[u8], from: usize) -> Option<Hit> {
    let m = aut.try_find(&Input::new(hay).span(from..hay.len())).ok().flatten()?;
    Some(Hit { start: m.start(), end: m.end(), pattern: m.pattern().as_usize() as u32 })
}

/// The lane walk of a DFA over `hay[from..to]`, in one lane when it is short.
fn walk<A: Automaton>(aut: &A, hay: &[u8], from: usize, to: usize, resume: &impl Fn(Hit) -> usize, out: &mut Vec<Hit>) {
    if to - from >= MIN_LANE_BYTES * LANES {
        lanes::<A, LANES>(aut, hay, from, to, resume, out)
    } else {
        lanes::<A, 1>(aut, hay, from, to, resume, out)
    }
}

/// One walk: the next byte, where its part ends, the state, and the longest match seen
/// since the walk last started (leftmost-longest: it stands once the DFA dies).
#[derive(Clone, Copy)]
struct Lane {
    at: usize,
    end: usize,
    sid: StateID,
    mat: Option<Hit>,
}

impl Lane {
    /// After a step into a special state (dead or match; start states are not special
    /// without a prefilter), as `aho_corasick`'s own forward search does.
    #[inline(always)]
    fn special<A: Automaton>(&mut self, dfa: &A, start: StateID, resume: &impl Fn(Hit) -> usize, out: &mut Vec<Hit>) {
        if dfa.is_dead(self.sid) {
            match self.mat.take() {
                Some(m) => self.emit(m, start, resume, out),
                // Unreachable for an unanchored search (only a match leads to the dead
                // state); ending the lane is what the reference search would do.
                None => self.at = self.end,
            }
        } else if dfa.is_match(self.sid) {
            let pid = dfa.match_pattern(self.sid, 0);
            let len = dfa.pattern_len(pid);
            self.mat = Some(Hit { start: self.at - len, end: self.at, pattern: pid.as_usize() as u32 });
        }
    }

    #[inline(always)]
    fn emit(&mut self, m: Hit, start: StateID, resume: &impl Fn(Hit) -> usize, out: &mut Vec<Hit>) {
        out.push(m);
        self.at = resume(m);
        self.sid = start;
    }

    /// At the end of its part: a pending match stands and the walk resumes after it.
    /// Returns whether the lane has bytes left.
    #[inline(always)]
    fn live(&mut self, start: StateID, resume: &impl Fn(Hit) -> usize, out: &mut Vec<Hit>) -> bool {
        while self.at >= self.end {
            match self.mat.take() {
                Some(m) => self.emit(m, start, resume, out),
                None => return false,
            }
        }
        true
    }
}

/// The chain of hits in `hay[from..to]`, walked in `N` lanes cut at newlines.
fn lanes<A: Automaton, const N: usize>(
    dfa: &A,
    hay: &[u8],
    from: usize,
    to: usize,
    resume: &impl Fn(Hit) -> usize,
    out: &mut Vec<Hit>,
) {
    let Ok(start) = dfa.start_state(Anchored::No) else { return };
    let mut bounds = [to; N];
    let mut cut = from;
    for (k, bound) in bounds.iter_mut().enumerate().take(N - 1) {
        let target = (from + (to - from) * (k + 1) / N).max(cut);
        cut = memchr::memchr(b'\n', &hay[target..to]).map_or(to, |i| target + i + 1);
        *bound = cut;
    }
    let mut lanes: [Lane; N] = std::array::from_fn(|k| Lane {
        at: if k == 0 { from } else { bounds[k - 1] },
        end: bounds[k],
        sid: start,
        mat: None,
    });
    // Lane 0 writes to `out`; the others to their own buffers, appended in order.
    let mut rest: [Vec<Hit>; N] = std::array::from_fn(|_| Vec::new());
    'lockstep: loop {
        for (k, lane) in lanes.iter_mut().enumerate() {
            let sink = if k == 0 { &mut *out } else { &mut rest[k] };
            if !lane.live(start, resume, sink) {
                break 'lockstep;
            }
        }
        // Every lane has at least `run` bytes left: step them all until one of them
        // enters a special state, with no end checks in between. Each lane reads a slice
        // of exactly `run` bytes at a shared offset (no bounds checks, few live registers).
        let run = lanes.iter().map(|l| l.end - l.at).min().unwrap_or(0);
        let parts: [&[u8]; N] = std::array::from_fn(|k| &hay[lanes[k].at..lanes[k].at + run]);
        let mut sids: [StateID; N] = std::array::from_fn(|k| lanes[k].sid);
        let mut stepped = run;
        for i in 0..run {
            let mut special = false;
            for (sid, part) in sids.iter_mut().zip(&parts) {
                *sid = dfa.next_state(Anchored::No, *sid, part[i]);
                special |= dfa.is_special(*sid);
            }
            if special {
                stepped = i + 1;
                break;
            }
        }
        for (k, lane) in lanes.iter_mut().enumerate() {
            lane.sid = sids[k];
            lane.at += stepped;
            if dfa.is_special(lane.sid) {
                let sink = if k == 0 { &mut *out } else { &mut rest[k] };
                lane.special(dfa, start, resume, sink);
            }
        }
    }
    // Finish each lane alone, in order.
    for (k, lane) in lanes.iter_mut().enumerate() {
        let sink = if k == 0 { &mut *out } else { &mut rest[k] };
        while lane.live(start, resume, sink) {
            lane.sid = dfa.next_state(Anchored::No, lane.sid, hay[lane.at]);
            lane.at += 1;
            if dfa.is_special(lane.sid) {
                lane.special(dfa, start, resume, sink);
            }
        }
    }
    for r in &rest[1..] {
        out.extend_from_slice(r);
    }
}

/// The chain of hits of one block, computed a segment at a time: what successive
/// `find` calls would return, each from where the last hit says to resume.
#[derive(Default)]
pub(crate) struct HitChain {
    hits: Vec<Hit>,
    next: usize,
    scanned_to: usize,
    /// Reused buffer for merging the automaton's chain with the forms' hits.
    scratch: Vec<Hit>,
}

impl HitChain {
    /// Forgets the last block.
    pub(crate) fn reset(&mut self) {
        self.hits.clear();
        self.next = 0;
        self.scanned_to = 0;
    }

    /// The first hit at or after `from`, which must be where the previous hit says to
    /// resume, or a line start (where the chain starts afresh), or 0.
    pub(crate) fn next(
        &mut self,
        literals: &Literals,
        data: &[u8],
        from: usize,
        resume: &impl Fn(Hit) -> usize,
    ) -> Option<Hit> {
        if literals.unsegmented() {
            // A literal may hold `\n`: no resynchronisation at line starts to rely on.
            return literals.find(data, from);
        }
        loop {
            while let Some(&hit) = self.hits.get(self.next) {
                self.next += 1;
                if hit.start >= from {
                    return Some(hit);
                }
            }
            let start = self.scanned_to.max(from);
            if start >= data.len() {
                return None;
            }
            let target = (start + SEGMENT).min(data.len());
            let end = memchr::memchr(b'\n', &data[target..]).map_or(data.len(), |i| target + i + 1);
            self.hits.clear();
            self.next = 0;
            literals.chain(data, start, end, resume, &mut self.hits, &mut self.scratch);
            self.scanned_to = end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The chain by `aho_corasick`'s own search, one `try_find` at a time.
    fn reference(lits: &Literals, hay: &[u8], resume: &impl Fn(Hit) -> usize) -> Vec<(usize, usize, u32)> {
        let find = |at| match &lits.main {
            Matcher::Teddy(..) => unreachable!("the reference is an unanchored search"),
            Matcher::Dfa(dfa) => reference_find(&**dfa, hay, at),
            Matcher::Nfa(nfa) => reference_find(&**nfa, hay, at),
            Matcher::Other(_) => lits.find(hay, at),
        };
        let mut out = Vec::new();
        let mut at = 0;
        while let Some(h) = find(at) {
            out.push((h.start, h.end, h.pattern));
            at = resume(h);
        }
        out
    }

    /// The chain by [`Literals::find`], one call at a time.
    fn found(lits: &Literals, hay: &[u8], resume: &impl Fn(Hit) -> usize) -> Vec<(usize, usize, u32)> {
        let mut out = Vec::new();
        let mut at = 0;
        while let Some(h) = lits.find(hay, at) {
            out.push((h.start, h.end, h.pattern));
            at = resume(h);
        }
        out
    }

    fn chained(lits: &Literals, hay: &[u8], resume: &impl Fn(Hit) -> usize) -> Vec<(usize, usize, u32)> {
        let mut chain = HitChain::default();
        let mut out = Vec::new();
        let mut at = 0;
        while let Some(h) = chain.next(lits, hay, at, resume) {
            out.push((h.start, h.end, h.pattern));
            at = resume(h);
        }
        out
    }

    fn only(main: Matcher) -> Literals {
        Literals { main, values: None }
    }

    const WORDS: &[&str] = &["token", "key", "key=", "keys", "secret", "ab", "abc", "bca", "://", "eyJ"];

    proptest! {
        #[test]
        fn lanes_give_the_chain_of_one_search(
            parts in prop::collection::vec(prop::sample::select(vec!["token", "key", "keys=", "abca", "bcab", "x", " ", "\n", "eyJ", ":/", "//", "secretkey"]), 0..2000),
            overlap in any::<bool>(),
        ) {
            let pats: Vec<Vec<u8>> = WORDS.iter().map(|w| w.as_bytes().to_vec()).collect();
            let dfa = Literals::build_with(&pats, pats.len(), false).unwrap();
            prop_assert!(matches!(dfa.main, Matcher::Dfa(_)));
            let simd = Literals::build(&pats, pats.len()).unwrap();
            let nfa = aho_corasick::nfa::contiguous::Builder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .prefilter(false)
                .build(&pats)
                .unwrap();
            let nfa = only(Matcher::Nfa(Box::new(nfa)));
            let hay = parts.concat().into_bytes();
            // Resume inside a match (as for literals that may overlap) or after it.
            let resume = |h: Hit| if overlap && h.pattern.is_multiple_of(2) { h.start + 1 } else { h.end };
            let want = reference(&dfa, &hay, &resume);
            prop_assert_eq!(&chained(&dfa, &hay, &resume), &want);
            prop_assert_eq!(&found(&dfa, &hay, &resume), &want);
            prop_assert_eq!(&chained(&nfa, &hay, &resume), &want);
            prop_assert_eq!(&chained(&simd, &hay, &resume), &want);
            prop_assert_eq!(&found(&simd, &hay, &resume), &want);
            prop_assert_eq!(reference(&nfa, &hay, &resume), want);
        }
    }

    #[test]
    fn a_literal_with_a_newline_is_searched_without_lanes() {
        let lits = Literals::build(&[b"a\nb".to_vec()], 1).unwrap();
        assert!(matches!(lits.main, Matcher::Other(_)));
        let hay = "xa\nb".repeat(2000).into_bytes();
        let resume = |h: Hit| h.end;
        assert_eq!(chained(&lits, &hay, &resume).len(), 2000);
    }
}
