//! Anchored matching of *linear* regexes without a regex engine: a sequence of byte runs,
//! choices of literals that cannot both fit, and look-arounds
//! (`(?i:\bbearer)\s+([A-Za-z0-9\-._~+/]{8,}=*)`, `\b((?:ghp|gho)_[A-Za-z0-9]{36})\b`), each
//! run greedy.
//!
//! Most format rules start with their keyword and run anchored at its hits (see
//! `format`). For those the meta regex's lazy DFA costs about 30 instructions a byte
//! (every byte past a token's minimum length is a match state, off its fast loop), and
//! setting a search up costs more than a short token; in the Fluent Bit module's
//! interpreter both are several times dearer. Walking the sequence directly costs a few
//! instructions a byte and needs no compiled regex at all.
//!
//! Greedy matching without backtracking finds the regex's own (leftmost-first) match when
//! no run could have stopped earlier: [`Linear::of`] accepts a sequence only when every run
//! of variable length is followed by bytes it cannot match (so stopping early leaves a
//! byte nothing after it can take), and any look-around that could decide a shorter run's
//! fate sees the same answer there as at the greedy end. The match is then the only one
//! that starts at the hit, and its groups are where the walk passed. Other regexes keep
//! the meta regex.

use regex_syntax::hir::{Class, Hir, HirKind, Look};

/// A set of bytes.
type ByteSet = [bool; 256];

/// One step of the sequence.
#[derive(Clone, Debug)]
enum Item {
    /// `min..=max` bytes of the set, as many as there are (greedy).
    Run { set: Box<ByteSet>, min: usize, max: usize },
    /// One byte of each set in turn (a literal, `(?i)` or not, and single classes): runs of
    /// exactly one byte, merged.
    Fixed(Box<[ByteSet]>),
    /// One of these fixed-width sequences of byte sets (each pair differs in a set they
    /// share no byte of, so at most one fits), or, with `or_end`, the end of the text
    /// (where none fits): an alternation of literals, `(?i)` ones among them, or a token's
    /// terminator (`(?:[^\w-]|$)`, gitleaks' `(?:[\x60'"\s;]|\\[nr]|$)`).
    OneOf { branches: Box<[Box<[ByteSet]>]>, or_end: bool },
    /// A zero-width assertion.
    Look(Look),
    /// Where the secret group starts.
    GroupStart,
    /// Where the secret group ends.
    GroupEnd,
}

/// A linear regex, walked without backtracking (see the module docs).
#[derive(Clone, Debug)]
pub(crate) struct Linear {
    items: Box<[Item]>,
}

/// A match: the whole of it, and the secret group's bounds when the regex has one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LinearMatch {
    pub whole: std::ops::Range<usize>,
    pub group: Option<std::ops::Range<usize>>,
}

impl Linear {
    /// The sequence of `hir` (a regex parsed without Unicode), with capture group `group`
    /// marked, when it is linear and greedy matching is exact for it.
    pub(crate) fn of(hir: &Hir, group: Option<usize>) -> Option<Linear> {
        let mut items = Vec::new();
        flatten(hir, group, &mut items)?;
        let items = merge_fixed(items);
        if let Some(g) = group {
            // The group must be marked exactly once (not inside a repetition).
            let starts = items.iter().filter(|i| matches!(i, Item::GroupStart)).count();
            if starts != 1 || g == 0 {
                return None;
            }
        }
        for i in 0..items.len() {
            if let Item::Run { set, min, max } = &items[i]
                && min != max
                && !greedy_is_exact(set, *min, &items[i + 1..])
            {
                return None;
            }
        }
        Some(Linear { items: items.into_boxed_slice() })
    }

    /// The match starting at `at` that ends at or before `hi` (look-arounds see all of
    /// `hay`), as an anchored search of the regex over `hay[at..hi]` finds it.
    pub(crate) fn find_at(&self, hay: &[u8], at: usize, hi: usize) -> Option<LinearMatch> {
        let mut p = at;
        let (mut group_start, mut group) = (at, None);
        for item in self.items.iter() {
            match item {
                Item::Run { set, min, max } => {
                    let limit = hi.min(p.saturating_add(*max));
                    let run = hay[p..limit].iter().position(|&b| !set[usize::from(b)]).unwrap_or(limit - p);
                    if run < *min {
                        return None;
                    }
                    p += run;
                }
                Item::Fixed(sets) => {
                    let bytes = hay[p..hi].get(..sets.len())?;
                    if !sets.iter().zip(bytes).all(|(set, &b)| set[usize::from(b)]) {
                        return None;
                    }
                    p += sets.len();
                }
                Item::OneOf { branches, or_end } => {
                    let rest = &hay[p..hi];
                    let fits =
                        |b: &[ByteSet]| b.len() <= rest.len() && b.iter().zip(rest).all(|(s, &c)| s[usize::from(c)]);
                    match branches.iter().find(|b| fits(b)) {
                        Some(b) => p += b.len(),
                        None if *or_end && p == hay.len() => {}
                        None => return None,
                    }
                }
                Item::Look(look) => {
                    if !holds(*look, hay, p) {
                        return None;
                    }
                }
                Item::GroupStart => group_start = p,
                Item::GroupEnd => group = Some(group_start..p),
            }
        }
        Some(LinearMatch { whole: at..p, group })
    }
}

/// `items` with each stretch of one-byte runs as one [`Item::Fixed`].
fn merge_fixed(items: Vec<Item>) -> Vec<Item> {
    let mut out = Vec::with_capacity(items.len());
    let mut fixed: Vec<ByteSet> = Vec::new();
    for item in items {
        match item {
            Item::Run { set, min: 1, max: 1 } => fixed.push(*set),
            other => {
                if !fixed.is_empty() {
                    out.push(Item::Fixed(std::mem::take(&mut fixed).into_boxed_slice()));
                }
                out.push(other);
            }
        }
    }
    if !fixed.is_empty() {
        out.push(Item::Fixed(fixed.into_boxed_slice()));
    }
    out
}

/// Appends the items of `hir`, or fails when it is not linear.
fn flatten(hir: &Hir, group: Option<usize>, out: &mut Vec<Item>) -> Option<()> {
    match hir.kind() {
        HirKind::Empty => {}
        HirKind::Literal(lit) => {
            for &b in lit.0.iter() {
                out.push(Item::Run { set: single(b), min: 1, max: 1 });
            }
        }
        HirKind::Class(_) => out.push(Item::Run { set: byte_set(hir)?, min: 1, max: 1 }),
        HirKind::Look(look) => {
            supported(*look).then_some(())?;
            out.push(Item::Look(*look));
        }
        HirKind::Repetition(r) => {
            let set = byte_set(&r.sub)?;
            let max = r.max.map_or(usize::MAX, |m| m as usize);
            // A lazy run prefers the shortest: the other end of greedy.
            if !r.greedy && r.min as usize != max {
                return None;
            }
            out.push(Item::Run { set, min: r.min as usize, max });
        }
        HirKind::Capture(c) => {
            let marked = group == Some(c.index as usize);
            if marked {
                out.push(Item::GroupStart);
            }
            flatten(&c.sub, group, out)?;
            if marked {
                out.push(Item::GroupEnd);
            }
        }
        HirKind::Concat(subs) => {
            for s in subs {
                flatten(s, group, out)?;
            }
        }
        HirKind::Alternation(subs) => {
            // The text end fits only where no byte is left, so no other branch: it is
            // exclusive with all of them wherever it stands.
            let is_end = |s: &&Hir| matches!(s.kind(), HirKind::Look(Look::End));
            let or_end = subs.iter().any(|s| is_end(&s));
            let branches = subs.iter().filter(|s| !is_end(s)).map(fixed_sets).collect::<Option<Vec<_>>>()?;
            // No two branches can both fit: some set of one shares no byte with the other's.
            let exclusive = branches.iter().enumerate().all(|(i, a)| {
                !a.is_empty() && branches[i + 1..].iter().all(|b| a.iter().zip(b.iter()).any(|(x, y)| disjoint(x, y)))
            });
            (exclusive && !branches.is_empty()).then_some(())?;
            let branches = branches.into_iter().map(Vec::into_boxed_slice).collect();
            out.push(Item::OneOf { branches, or_end });
        }
    }
    Some(())
}

/// The bytes a one-byte `hir` (a byte literal or class) matches.
fn byte_set(hir: &Hir) -> Option<Box<ByteSet>> {
    match hir.kind() {
        HirKind::Literal(lit) if lit.0.len() == 1 => Some(single(lit.0[0])),
        HirKind::Class(Class::Bytes(c)) => {
            let mut set = Box::new([false; 256]);
            for r in c.iter() {
                (r.start()..=r.end()).for_each(|b| set[usize::from(b)] = true);
            }
            Some(set)
        }
        _ => None,
    }
}

/// The byte sets of a fixed-width `hir` made of literals and classes.
fn fixed_sets(hir: &Hir) -> Option<Vec<ByteSet>> {
    match hir.kind() {
        HirKind::Literal(lit) => Some(lit.0.iter().map(|&b| *single(b)).collect()),
        HirKind::Class(_) => Some(vec![*byte_set(hir)?]),
        HirKind::Concat(subs) => {
            let mut out = Vec::new();
            for s in subs {
                out.extend(fixed_sets(s)?);
            }
            Some(out)
        }
        _ => None,
    }
}

fn disjoint(a: &ByteSet, b: &ByteSet) -> bool {
    !(0..256).any(|i| a[i] && b[i])
}

fn single(b: u8) -> Box<ByteSet> {
    let mut set = Box::new([false; 256]);
    set[usize::from(b)] = true;
    set
}

/// The look-arounds walked here: ASCII word boundaries and text and line ends.
fn supported(look: Look) -> bool {
    matches!(look, Look::WordAscii | Look::Start | Look::End | Look::StartLF | Look::EndLF)
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Does `look` hold at `p` in `hay`?
fn holds(look: Look, hay: &[u8], p: usize) -> bool {
    match look {
        Look::WordAscii => {
            let before = p > 0 && is_word(hay[p - 1]);
            let after = p < hay.len() && is_word(hay[p]);
            before != after
        }
        Look::Start => p == 0,
        Look::End => p == hay.len(),
        Look::StartLF => p == 0 || hay[p - 1] == b'\n',
        Look::EndLF => p == hay.len() || hay[p] == b'\n',
        // `Linear::of` takes no other look-around.
        _ => false,
    }
}

/// Is stopping a run of `set` (at least `min` long) where greedy stops the only way a
/// match can go on with `rest`?
///
/// Had the run stopped earlier, the next byte would be one of `set`. If something after
/// must consume a byte, that byte is the next one, so `set` must share no byte with what
/// `rest` can start with. If `rest` may consume nothing, the match could end right there;
/// greedy ends it later, so the look-arounds in `rest` must fail wherever a shorter run
/// ends: between two bytes of `set` (a run of at least one byte), a word boundary does
/// not hold when `set` is all word bytes or none, a text end never, a line end only
/// before a newline, a line start only after one.
fn greedy_is_exact(set: &ByteSet, min: usize, rest: &[Item]) -> bool {
    let mut must_consume = false;
    for item in rest {
        match item {
            Item::Run { set: next, min, .. } => {
                if !disjoint(set, next) {
                    return false;
                }
                if *min > 0 {
                    must_consume = true;
                    break;
                }
            }
            Item::Fixed(sets) => {
                if !disjoint(set, &sets[0]) {
                    return false;
                }
                must_consume = true;
                break;
            }
            // A shorter run leaves a byte of `set` next, where no branch fits (nor the text
            // end: a byte follows).
            Item::OneOf { branches, .. } => {
                if branches.iter().any(|b| !disjoint(set, &b[0])) {
                    return false;
                }
                must_consume = true;
                break;
            }
            Item::Look(_) | Item::GroupStart | Item::GroupEnd => {}
        }
    }
    if must_consume {
        return true;
    }
    let looks = rest.iter().filter_map(|i| match i {
        Item::Look(l) => Some(*l),
        _ => None,
    });
    let words = (0..=255u8).filter(|&b| set[usize::from(b)]).map(is_word);
    let (mut all_word, mut no_word) = (true, true);
    for w in words {
        all_word &= w;
        no_word &= !w;
    }
    let newline = set[usize::from(b'\n')];
    looks.into_iter().all(|look| match look {
        _ if min == 0 => false,
        Look::WordAscii => all_word || no_word,
        Look::End | Look::Start => true,
        Look::EndLF | Look::StartLF => !newline,
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_automata::{Anchored, Input};

    // Tests print rule ids and their own examples only.

    fn parse(pattern: &str) -> Hir {
        regex_syntax::ParserBuilder::new().unicode(false).utf8(false).build().parse(pattern).unwrap()
    }

    fn linear(pattern: &str, group: Option<usize>) -> Option<Linear> {
        Linear::of(&parse(pattern), group)
    }

    #[test]
    fn linear_shapes() {
        assert!(linear(r"(?i:\bbearer)\s+([A-Za-z0-9\-._~+/]{8,}=*)", Some(1)).is_some());
        assert!(linear(r"\b((?:ghp|gho)_[A-Za-z0-9]{36})\b", Some(1)).is_some());
        assert!(linear(r"\bAKIA[0-9A-Z]{16}\b", None).is_some());
        // A run that could give bytes back to what follows it.
        assert!(linear(r"[a-z]+[a-z0-9]", None).is_none());
        // A run that may end the match before a boundary it could also end at earlier.
        assert!(linear(r"x[a-z.]{2,}\b", None).is_none());
        // Choices of fixed width that cannot both fit, and a token's terminator.
        assert!(linear(r"(?:ab|c[de]|(?i:xy))z", None).is_some());
        assert!(linear(r"\b(AIza[\w-]{35})(?:[^\w-]|$)", Some(1)).is_some());
        assert!(linear(r#"\b(p8e-(?i)[a-z0-9]{32})(?:[\x60'"\s;]|\\[nr]|$)"#, Some(1)).is_some());
        // Lazy, a choice of varying width, a choice whose branches may both fit, a repeated
        // group.
        assert!(linear(r"x[a-z]{2,}?y", None).is_none());
        assert!(linear(r"(?:ab|c+)x", None).is_none());
        assert!(linear(r"(?:a[bc]|[ab]c)x", None).is_none());
        assert!(linear(r"(?:ab|abc)x", None).is_none());
        assert!(linear(r"(?:ab){2,3}", None).is_none());
        // The secret group inside a repetition is not one place.
        assert!(linear(r"x(?:(a))*", Some(1)).is_none());
    }

    #[test]
    fn finds_what_the_regex_finds() {
        let cases: &[(&str, Option<usize>, &[&str])] = &[
            (
                r"(?i:\bbearer)\s+([A-Za-z0-9\-._~+/]{8,}=*)",
                Some(1),
                &[
                    "Authorization: Bearer 9f8e7d6c5b4a3928==x",
                    "xbearer abcdefghij",
                    "BEARER\t\tab.c/d~e+f== ",
                    "bearer abc",
                ],
            ),
            (r"\b((?:ghp|gho)_[A-Za-z0-9]{4})\b", Some(1), &["ghp_abcd ghp_abcde gho_ab12", "xghp_abcd"]),
            (r"(?m:^key=[a-z]{2,4}$)", None, &["key=ab\nkey=abcde\nkey=abc"]),
        ];
        for &(pattern, group, hays) in cases {
            let re = regex_automata::meta::Builder::new()
                .syntax(regex_automata::util::syntax::Config::new().unicode(false).utf8(false))
                .build(pattern)
                .unwrap();
            let lin = linear(pattern, group).unwrap();
            for hay in hays {
                let hay = hay.as_bytes();
                for at in 0..hay.len() {
                    let input = Input::new(hay).span(at..hay.len()).anchored(Anchored::Yes);
                    let mut caps = re.create_captures();
                    re.search_captures(&input, &mut caps);
                    let want = caps.get_match().map(|m| LinearMatch {
                        whole: m.range(),
                        group: group.and_then(|g| caps.get_group(g)).map(|s| s.range()),
                    });
                    assert_eq!(lin.find_at(hay, at, hay.len()), want, "{pattern} at {at}");
                }
            }
        }
    }

    /// The anchored search of the meta regex over `hay[at..hi]`, as a `LinearMatch`.
    fn regex_find(
        re: &regex_automata::meta::Regex,
        group: Option<usize>,
        hay: &[u8],
        at: usize,
        hi: usize,
    ) -> Option<LinearMatch> {
        let input = Input::new(hay).span(at..hi).anchored(Anchored::Yes);
        let mut caps = re.create_captures();
        re.search_captures(&input, &mut caps);
        caps.get_match()
            .map(|m| LinearMatch { whole: m.range(), group: group.and_then(|g| caps.get_group(g)).map(|s| s.range()) })
    }

    /// Linear shapes beyond the built-in rules (gitleaks' terminators, case-insensitive
    /// choices, line anchors), with counts cut short so that random text fits them often.
    const SHAPES: &[(&str, Option<usize>)] = &[
        (r#"\b(p8e-(?i)[a-z0-9]{4})(?:[\x60'"\s;]|\\[nr]|$)"#, Some(1)),
        (r"\b((?:A3T[A-Z0-9]|AKIA|ASIA)[A-Z2-7]{4})\b", Some(1)),
        (r"ops_eyJ[a-zA-Z0-9+/]{4,}={0,3}", None),
        (r"\b(glpat-[\w-]{4})(?:[^\w-]|$)", Some(1)),
        (r"(?i)CLOJARS_[a-z0-9]{3,6}", None),
        (r"(?m:^key=[a-z]{2,4}$)", None),
        (r"(?i:\bbearer)\s+([A-Za-z0-9\-._~+/]{4,}=*)", Some(1)),
    ];

    proptest::proptest! {
        /// Each shape walks as its regex matches, at every position and window of text made
        /// of its own pieces and their neighbours.
        #[test]
        fn shapes_walk_as_their_regex_matches(
            shape in 0usize..SHAPES.len(),
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "p8e-", "A3T", "AKIA", "ASIA", "ops_eyJ", "glpat-", "CLOJARS_", "clojars_", "key=",
                "Bearer", "bearer ", "abc", "XYZ", "234", "+/", "=", "-", "_", ".", " ", "\t", "\n",
                "\\n", "\\r", "\\x", ";", "'", "`", "\"", "\u{e9}", "\u{ff}",
            ]), 0..12),
            cut in proptest::option::of(0usize..24),
        ) {
            let (pattern, group) = SHAPES[shape];
            let re = crate::engine::format::compile_regex(pattern).unwrap();
            let lin = linear(pattern, group).unwrap();
            let hay = parts.concat().into_bytes();
            for at in 0..hay.len() {
                let hi = cut.map_or(hay.len(), |c| (at + c).min(hay.len()));
                let want = regex_find(&re, group, &hay, at, hi);
                proptest::prop_assert_eq!(lin.find_at(&hay, at, hi), want, "{} at {}", pattern, at);
            }
        }
    }

    type LinearRule = (crate::rules::format::FormatRule, Linear, regex_automata::meta::Regex);

    /// The built-in rules whose regex is linear, with their compiled regexes.
    fn linear_builtins() -> &'static [LinearRule] {
        static RULES: std::sync::LazyLock<Vec<LinearRule>> = std::sync::LazyLock::new(|| {
            crate::rules::builtin_format_rules()
                .into_iter()
                .filter_map(|rule| {
                    let lin = linear(&rule.regex, rule.secret_group)?;
                    let re = crate::engine::format::compile_regex(&rule.regex).unwrap();
                    Some((rule, lin, re))
                })
                .collect()
        });
        &RULES
    }

    #[test]
    fn most_builtin_rules_are_linear() {
        let n = linear_builtins().len();
        assert!(n >= 55, "{n} linear built-in rules");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]
        /// On each linear built-in rule's examples, edited at random (bytes its classes
        /// hold and bytes they do not, runs cut short and made long), the walk finds at
        /// every position what the regex finds there.
        #[test]
        fn builtin_rules_walk_as_their_regex_matches(
            rule in 0usize..1000,
            example in 0usize..8,
            edits in proptest::collection::vec((0usize..400, 0u8..5, proptest::sample::select(
                b"aZ9_-.=/+ \t\n\"':;xX0fF\xff\x00".to_vec())), 0..6),
            cut in proptest::option::of(0usize..64),
        ) {
            let rules = linear_builtins();
            let (r, lin, re) = &rules[rule % rules.len()];
            let mut hay = r.examples[example % r.examples.len()].clone().into_bytes();
            for (pos, op, b) in edits {
                let pos = pos % (hay.len() + 1);
                match op {
                    0 => hay.insert(pos, b),
                    1 if pos < hay.len() => hay[pos] = b,
                    2 if pos < hay.len() => { hay.remove(pos); }
                    // A run made long: the byte before `pos` repeated.
                    3 if pos > 0 => { let c = hay[pos - 1]; hay.splice(pos..pos, std::iter::repeat_n(c, 40)); }
                    _ => hay.splice(pos..pos, b"xx ".iter().copied()).for_each(drop),
                }
            }
            for at in 0..hay.len() {
                let hi = cut.map_or(hay.len(), |c| (at + c).min(hay.len()));
                let want = regex_find(re, r.secret_group, &hay, at, hi);
                proptest::prop_assert_eq!(lin.find_at(&hay, at, hi), want, "rule {} at {}", r.id, at);
            }
        }
    }
}
