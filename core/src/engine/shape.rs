//! What a rule's regex shape tells before it runs: the literals its matches start with,
//! a bounded lead before its literal, whether it starts with a keyword, its first bytes
//! and every byte it can match. Each lets the engine search less (see `format`).

use regex_automata::meta::{self, Regex};
use regex_syntax::hir::Hir;

use super::format::REGEX_SIZE_LIMIT;

/// A rule shaped `lead literal rest` (gitleaks' generic `…{0,50}?(?:api|key|…)…=value`):
/// its trigger is the literal, a match starts at most `lead` bytes before a hit, and the
/// bounded part of the regex from the literal on (`check`) must match anchored at the hit
/// before the whole regex runs. Most hits of common words (`api` in `/api/`) fail the
/// check within a few bytes, so the regex runs on few lines.
pub(super) struct LeadCheck {
    pub(super) lead: usize,
    pub(super) check: Regex,
    pub(super) literals: Vec<Vec<u8>>,
}

/// Splits `hir` into a bounded lead and a part that starts with a few literals (matched
/// case-insensitively when the regex is): the lead's length, the check regex and the
/// literals in lower, UPPER and Title case.
pub(super) fn lead_check(hir: &Hir) -> Option<LeadCheck> {
    use regex_syntax::hir::HirKind;
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let HirKind::Concat(parts) = hir.kind() else { return None };
    let mut lead = 0usize;
    for i in 0..parts.len() {
        if i > 0 {
            let mut extractor = Extractor::new();
            extractor.kind(ExtractKind::Prefix).limit_total(5000).limit_literal_len(64);
            let seq = extractor.extract(&Hir::concat(parts[i..].to_vec()));
            if let Some(lits) = seq.literals().filter(|l| !l.is_empty() && l.iter().all(|l| l.as_bytes().len() >= 3)) {
                let mut lower: Vec<Vec<u8>> = lits.iter().map(|l| l.as_bytes().to_ascii_lowercase()).collect();
                lower.sort_unstable();
                lower.dedup();
                if lower.len() > 32 {
                    return None;
                }
                let mut end = i + 1;
                while end < parts.len() && parts[end].properties().maximum_len().is_some() {
                    end += 1;
                }
                let check = meta::Builder::new()
                    .configure(meta::Config::new().nfa_size_limit(Some(REGEX_SIZE_LIMIT)).utf8_empty(false).dfa(false))
                    .build_from_hir(&Hir::concat(parts[i..end].to_vec()))
                    .ok()?;
                let mut literals = Vec::new();
                for l in lower {
                    let mut title = l.clone();
                    title[0] = title[0].to_ascii_uppercase();
                    for form in [l.to_ascii_uppercase(), title, l] {
                        if !literals.contains(&form) {
                            literals.push(form);
                        }
                    }
                }
                return Some(LeadCheck { lead, check, literals });
            }
        }
        lead += parts[i].properties().maximum_len()?;
        if lead > 256 {
            return None;
        }
    }
    None
}

/// The literals every match of `hir` starts with, when there are at most 64 and each is
/// at least 2 bytes long.
pub(super) fn match_prefixes(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let mut extractor = Extractor::new();
    extractor.kind(ExtractKind::Prefix).limit_total(64);
    let mut seq = extractor.extract(hir);
    seq.dedup();
    let lits = seq.literals()?;
    if lits.is_empty() || lits.len() > 64 || lits.iter().any(|l| l.as_bytes().len() < 2) {
        return None;
    }
    if lits.len() <= 8 {
        return Some(lits.iter().map(|l| l.as_bytes().to_vec()).collect());
    }
    // Many literals are the case variants of a `(?i)` prefix: search the lower, UPPER and
    // Title casings only (as keywords are searched), which keeps the literal automaton small.
    let mut out: Vec<Vec<u8>> = Vec::new();
    for l in lits {
        let lower = l.as_bytes().to_ascii_lowercase();
        let mut title = lower.clone();
        title[0] = title[0].to_ascii_uppercase();
        for form in [lower.to_ascii_uppercase(), title, lower] {
            if !out.contains(&form) {
                out.push(form);
            }
        }
    }
    Some(out)
}

/// Whether every match of `hir` starts with one of `keywords` (in any casing): a hit of
/// one of them is then where a match starts, and the regex can run anchored there. The
/// test folds ASCII case pairs (`[bB]`, from `(?i)`) to lower case first, so a
/// case-insensitive prefix yields one literal, not one per casing.
pub(super) fn starts_with_keyword(hir: &Hir, keywords: &[String]) -> bool {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    use regex_syntax::hir::{Class, HirKind, Literal};
    fn fold(hir: &Hir) -> Hir {
        match hir.kind() {
            HirKind::Class(Class::Bytes(c)) => match c.ranges() {
                [a, b]
                    if a.start() == a.end() && b.start() == b.end() && a.start().to_ascii_lowercase() == b.start() =>
                {
                    Hir::literal([b.start()])
                }
                _ => hir.clone(),
            },
            HirKind::Literal(Literal(bytes)) => Hir::literal(bytes.to_ascii_lowercase()),
            HirKind::Concat(subs) => Hir::concat(subs.iter().map(fold).collect()),
            HirKind::Alternation(subs) => Hir::alternation(subs.iter().map(fold).collect()),
            HirKind::Capture(c) => {
                Hir::capture(regex_syntax::hir::Capture { sub: Box::new(fold(&c.sub)), ..c.clone() })
            }
            HirKind::Repetition(r) => {
                Hir::repetition(regex_syntax::hir::Repetition { sub: Box::new(fold(&r.sub)), ..r.clone() })
            }
            HirKind::Empty | HirKind::Look(_) | HirKind::Class(Class::Unicode(_)) => hir.clone(),
        }
    }
    let mut extractor = Extractor::new();
    extractor.kind(ExtractKind::Prefix).limit_total(64);
    let seq = extractor.extract(&fold(hir));
    let lower: Vec<String> = keywords.iter().map(|k| k.to_ascii_lowercase()).collect();
    seq.literals().is_some_and(|lits| {
        !lits.is_empty()
            && lits.iter().all(|l| lower.iter().any(|k| !k.is_empty() && l.as_bytes().starts_with(k.as_bytes())))
    })
}

/// The first bytes of every match of `hir`, when there are one to three of them.
pub(super) fn first_bytes(hir: &Hir) -> Option<Box<[u8]>> {
    use regex_syntax::hir::literal::{ExtractKind, Extractor};
    let mut extractor = Extractor::new();
    extractor.kind(ExtractKind::Prefix).limit_literal_len(1).limit_total(64);
    let seq = extractor.extract(hir);
    let mut bytes: Vec<u8> = Vec::new();
    for lit in seq.literals()? {
        let &first = lit.as_bytes().first()?;
        if !bytes.contains(&first) {
            bytes.push(first);
        }
    }
    (1..=3).contains(&bytes.len()).then(|| bytes.into_boxed_slice())
}

/// Every byte `hir` can match somewhere (look-arounds match none).
pub(super) fn alphabet(hir: &Hir) -> Box<[bool; 256]> {
    use regex_syntax::hir::{Class, HirKind};
    fn walk(hir: &Hir, set: &mut [bool; 256]) {
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => {}
            HirKind::Literal(lit) => lit.0.iter().for_each(|&b| set[b as usize] = true),
            HirKind::Class(Class::Bytes(c)) => {
                c.iter().for_each(|r| (r.start()..=r.end()).for_each(|b| set[b as usize] = true))
            }
            HirKind::Class(Class::Unicode(c)) => {
                for r in c.iter() {
                    let (lo, hi) = (r.start() as u32, r.end() as u32);
                    (lo.min(255)..=hi.min(255)).for_each(|b| set[b as usize] = true);
                    if hi >= 0x80 {
                        set[0x80..].iter_mut().for_each(|b| *b = true);
                    }
                }
            }
            HirKind::Repetition(r) => walk(&r.sub, set),
            HirKind::Capture(c) => walk(&c.sub, set),
            HirKind::Concat(subs) | HirKind::Alternation(subs) => subs.iter().for_each(|s| walk(s, set)),
        }
    }
    let mut set = Box::new([false; 256]);
    walk(hir, &mut set);
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pattern: &str) -> Hir {
        regex_syntax::ParserBuilder::new().unicode(false).utf8(false).build().parse(pattern).unwrap()
    }

    #[test]
    fn rules_whose_matches_start_with_a_keyword() {
        let led =
            |p: &str, k: &[&str]| starts_with_keyword(&parse(p), &k.iter().map(|k| k.to_string()).collect::<Vec<_>>());
        assert!(led(r"(?i:\bbearer)\s+([A-Za-z0-9\-._~+/]{8,}=*)", &["bearer", "Bearer"]));
        assert!(led(r"\b((?:ghp|gho)_[A-Za-z0-9]{36})\b", &["ghp_", "gho_"]));
        // Case-insensitive and longer than the extractor's 64 casings would allow.
        assert!(led(r"(?i:X-Amz-Signature)=([0-9a-f]{64})\b", &["X-Amz-Signature="]));
        // A byte before the keyword, or a keyword only some matches start with.
        assert!(!led(r"(?:^|[^/\w])(SK[0-9a-f]{32})\b", &["SK"]));
        assert!(!led(r"(?:ghp|xyz)_[a-z]{8}", &["ghp_"]));
        // A keyword beside the match, not in it.
        assert!(!led(r"[0-9a-f]{32}", &["token"]));
    }

    #[test]
    fn first_bytes_of_matches() {
        let first = |p: &str| first_bytes(&parse(p)).map(|b| b.to_vec());
        assert_eq!(first(r"(?i:;[ \t]{0,2}(?:password|pwd)[ \t]{0,2}=)(\S+)"), Some(b";".to_vec()));
        assert_eq!(first(r"\b(?:dd|DD)[a-z]{4}"), Some(b"dD".to_vec()));
        assert_eq!(first(r"[a-z]{4}"), None);
        assert_eq!(first(r"(?:^|x)abc"), Some(b"ax".to_vec()));
        assert_eq!(first(r"(?:^|[^/\w])(SK[0-9a-f]{32})"), None);
    }
}
