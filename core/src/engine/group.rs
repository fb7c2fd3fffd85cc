//! Where a format rule's secret group lies in a match, read off the match itself.
//!
//! A search for capture groups costs the meta regex more than finding the match: it finds
//! the match with its lazy DFAs, then runs a one-pass DFA over it again for the groups
//! (measured on `Authorization: Bearer …`: 2.1k instructions for the match, 4.7k with
//! its group). For most rules with a secret group, the group's bounds follow from the match
//! alone by the shape of the regex: a lead of fixed length and then bytes that cannot
//! start the group (`(?i:\bbearer)\s+(…)`), and after the group bytes that cannot end it
//! (`\b(hvs\.[\w-]{24,300})(?:[^\w-]|$)`). [`GroupSplit::of`] recognises those shapes;
//! such a rule searches without captures.

use std::ops::Range;

use regex_syntax::hir::{Class, Hir, HirKind};

/// A set of bytes.
type ByteSet = [bool; 256];

/// How to find a top-level capture group's bounds in a match of the whole regex: the
/// regex is `lead lead_run (group) tail_run tail`, where `lead` and `tail` always match
/// the same number of bytes and the runs match only bytes of their sets, which the
/// group can neither start nor end with. The group then starts at the first byte after
/// the lead outside `lead_run`, and ends after the last byte before the tail outside
/// `tail_run`: there is no other way to split the match.
#[derive(Clone)]
pub(crate) struct GroupSplit {
    lead: usize,
    lead_run: Option<Box<ByteSet>>,
    tail: usize,
    tail_run: Option<Box<ByteSet>>,
}

impl GroupSplit {
    /// The split of `hir` around its capture group `group`, when its shape has one.
    pub(crate) fn of(hir: &Hir, group: usize) -> Option<GroupSplit> {
        let mut parts = Vec::new();
        flatten(hir, &mut parts);
        let at = parts.iter().position(|p| matches!(p.kind(), HirKind::Capture(c) if c.index as usize == group))?;
        let HirKind::Capture(capture) = parts[at].kind() else { return None };
        let inner = &capture.sub;
        if inner.properties().minimum_len().is_none_or(|n| n == 0) {
            return None;
        }
        let (first, last) = (edge_bytes(inner, Edge::First)?, edge_bytes(inner, Edge::Last)?);
        let (lead, lead_run) = side(&parts[..at], Edge::First, &first)?;
        let (tail, tail_run) = side(&parts[at + 1..], Edge::Last, &last)?;
        Some(GroupSplit { lead, lead_run, tail, tail_run })
    }

    /// The group's bounds in `hay[m]`, a match of the whole regex.
    pub(crate) fn bounds(&self, hay: &[u8], m: Range<usize>) -> Range<usize> {
        let mut start = (m.start + self.lead).min(m.end);
        let mut end = m.end.saturating_sub(self.tail).max(start);
        if let Some(run) = &self.lead_run {
            start += hay[start..end].iter().take_while(|&&b| run[b as usize]).count();
        }
        if let Some(run) = &self.tail_run {
            end -= hay[start..end].iter().rev().take_while(|&&b| run[b as usize]).count();
        }
        start..end
    }
}

/// The parts of a concatenation, nested ones spread out.
fn flatten<'h>(hir: &'h Hir, out: &mut Vec<&'h Hir>) {
    match hir.kind() {
        HirKind::Concat(subs) => subs.iter().for_each(|s| flatten(s, out)),
        _ => out.push(hir),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Edge {
    First,
    Last,
}

/// One side of the group, `edge` being the side next to it (`First`: the parts before
/// it, whose run touches the group's first byte, `group_edge`). Returns the fixed length
/// away from the group, and the set of the run next to it. `None` when the parts are not
/// fixed parts and then a run, or the run's bytes meet `group_edge`.
fn side(parts: &[&Hir], edge: Edge, group_edge: &ByteSet) -> Option<(usize, Option<Box<ByteSet>>)> {
    // From the match's edge inwards: fixed parts first, then the run.
    let ordered: Vec<&Hir> = match edge {
        Edge::First => parts.to_vec(),
        Edge::Last => parts.iter().rev().copied().collect(),
    };
    let fixed = ordered.iter().take_while(|p| fixed_len(p).is_some()).count();
    let len = ordered[..fixed].iter().map(|p| fixed_len(p).unwrap_or(0)).sum();
    if fixed == ordered.len() {
        return Some((len, None));
    }
    // Every byte the run's parts can match (a superset is safe: the group's edge must
    // still miss it all, and the run is skipped up to the first byte outside it).
    let mut run = Box::new([false; 256]);
    for p in &ordered[fixed..] {
        let bytes = super::shape::alphabet(p);
        run.iter_mut().zip(bytes.iter()).for_each(|(r, &b)| *r |= b);
    }
    if run.iter().zip(group_edge.iter()).any(|(&a, &b)| a && b) {
        return None;
    }
    Some((len, Some(run)))
}

/// The length of every match of `hir`, when it is always the same.
fn fixed_len(hir: &Hir) -> Option<usize> {
    let p = hir.properties();
    p.minimum_len().filter(|&n| p.maximum_len() == Some(n))
}

/// The bytes a non-empty match of `hir` can start (`First`) or end (`Last`) with.
fn edge_bytes(hir: &Hir, edge: Edge) -> Option<ByteSet> {
    let mut set = [false; 256];
    edge_into(hir, edge, &mut set)?;
    Some(set)
}

/// Adds the edge bytes of `hir` to `set`; returns whether `hir` can match empty (then the
/// part beyond it in a concatenation adds its own).
fn edge_into(hir: &Hir, edge: Edge, set: &mut ByteSet) -> Option<bool> {
    Some(match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(lit) => {
            let b = if edge == Edge::First { lit.0.first() } else { lit.0.last() };
            b.iter().for_each(|&&b| set[b as usize] = true);
            lit.0.is_empty()
        }
        HirKind::Class(Class::Bytes(c)) => {
            c.iter().for_each(|r| (r.start()..=r.end()).for_each(|b| set[b as usize] = true));
            false
        }
        HirKind::Class(Class::Unicode(_)) => return None,
        HirKind::Repetition(r) => edge_into(&r.sub, edge, set)? || r.min == 0,
        HirKind::Capture(c) => edge_into(&c.sub, edge, set)?,
        HirKind::Concat(subs) => {
            let mut empty = true;
            let ordered: Vec<&Hir> =
                if edge == Edge::First { subs.iter().collect() } else { subs.iter().rev().collect() };
            for s in ordered {
                if !edge_into(s, edge, set)? {
                    empty = false;
                    break;
                }
            }
            empty
        }
        HirKind::Alternation(subs) => {
            let mut empty = false;
            for s in subs {
                empty |= edge_into(s, edge, set)?;
            }
            empty
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::meta::Regex;
    use regex_automata::util::syntax;

    fn parse(pattern: &str) -> Hir {
        regex_syntax::ParserBuilder::new().unicode(false).utf8(false).build().parse(pattern).unwrap()
    }

    fn regex(pattern: &str) -> Regex {
        Regex::builder().syntax(syntax::Config::new().unicode(false).utf8(false)).build(pattern).unwrap()
    }

    /// Every match in `hay`: the group's bounds by the split equal the capture search's.
    fn agrees(pattern: &str, group: usize, split: &GroupSplit, hay: &[u8]) -> usize {
        let re = regex(pattern);
        let mut caps = re.create_captures();
        let mut n = 0;
        for m in re.find_iter(hay) {
            re.captures(
                regex_automata::Input::new(hay).span(m.range()).anchored(regex_automata::Anchored::Yes),
                &mut caps,
            );
            let want = caps.get_group(group).map(|s| s.range());
            assert_eq!(Some(split.bounds(hay, m.range())), want, "{pattern} on {:?}", String::from_utf8_lossy(hay));
            n += 1;
        }
        n
    }

    #[test]
    fn shapes_with_and_without_a_split() {
        let split = |p: &str| GroupSplit::of(&parse(p), 1).is_some();
        assert!(split(r"(?i:\bbearer)\s+([A-Za-z0-9\-._~+/]{8,}=*)"));
        assert!(split(r"\b(hvs\.[\w-]{24,300})(?:[^\w-]|$)"));
        assert!(split(r"(?:\b|bot)([0-9]{5,16}:AA[\w-]{33})(?:[^\w-]|$)"));
        assert!(split(r"(?i:X-Amz-Signature)=([0-9a-f]{64})\b"));
        // A run before the group that its first byte may belong to.
        assert!(!split(r"a[ a]*(a+)"));
        // A group that may be empty, or sits inside an alternation.
        assert!(!split(r"x(a*)y"));
        assert!(!split(r"x(a)|y"));
        // A run after the group that its last byte may belong to.
        assert!(!split(r"(a+)[a ]*"));
    }

    #[test]
    fn bounds_match_the_capture_search() {
        let cases: &[(&str, &[&str])] = &[
            (
                r"(?i:\bbearer)\s+([A-Za-z0-9\-._~+/]{8,}=*)",
                &["Authorization: Bearer  9f8e7d6c5b4a3928==x", "bearer\tabcdefgh bEaReR abcdefghij"],
            ),
            (
                r"\b(hvs\.[\w-]{24,300})(?:[^\w-]|$)",
                &["t=hvs.abcdefghijklmnopqrstuvwx;", "hvs.abcdefghijklmnopqrstuvwxyz"],
            ),
            (
                r"(?:\b|bot)([0-9]{5,16}:AA[\w-]{33})(?:[^\w-]|$)",
                &["bot123456:AAabcdefghijabcdefghijabcdefghijabc ", "x 123456:AAabcdefghijabcdefghijabcdefghijabc"],
            ),
            (
                r#"k[ \t]{0,2}=[ \t]{0,2}"?([a-z]{3,})"?[ ;]{0,2}end"#,
                &[r#"k = "abc" ;end"#, "k=abcd end", "k\t=\t\"xyz\"end"],
            ),
        ];
        for (pattern, hays) in cases {
            let split = GroupSplit::of(&parse(pattern), 1).expect("a split");
            let n: usize = hays.iter().map(|h| agrees(pattern, 1, &split, h.as_bytes())).sum();
            assert!(n >= hays.len(), "{pattern}: every sample has a match");
        }
    }

    /// Every built-in rule with a secret group: where its shape has a split, the split
    /// gives the capture search's bounds on its examples, alone and inside other text.
    #[test]
    fn builtin_rules_split_as_their_captures_do() {
        let (mut split_rules, mut matches) = (0, 0);
        for rule in crate::rules::builtin_format_rules() {
            let Some(group) = rule.secret_group else { continue };
            let Some(split) = GroupSplit::of(&parse(&rule.regex), group) else { continue };
            split_rules += 1;
            for sample in rule.examples.iter().chain(&rule.counter_examples) {
                for (before, after) in [("", ""), ("x ", " y"), ("a=", ";"), ("\"", "\"\n"), ("bot", "-"), ("\t", "==")]
                {
                    let hay = format!("{before}{sample}{after}{before}{sample}");
                    matches += agrees(&rule.regex, group, &split, hay.as_bytes());
                }
            }
        }
        // Most rules with a group have a split (the Bearer token's among them).
        assert!(split_rules >= 30, "{split_rules} rules split");
        assert!(matches >= 400, "{matches} matches compared");
    }
}
