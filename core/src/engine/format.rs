//! Compiled format rules: a regex run only on windows around its keywords.

use std::ops::Range;

use base64::Engine as _;
use regex_automata::Input;
use regex_automata::meta::{self, Regex};
use regex_automata::util::captures::Captures;
use regex_automata::util::syntax;

use super::group::GroupSplit;
use super::linear::Linear;
use super::shape::{LeadCheck, alphabet, first_bytes, lead_check, match_prefixes, starts_with_keyword};
use super::{DEFAULT_MAX_LEN, Span};
use crate::rules::format::{AllowCondition, AllowTarget, FormatRule, shannon_entropy};
use crate::{Error, RuleId, RuleKind};

/// Limit on one rule's compiled regex (bytes of NFA); larger rules are rejected.
pub(super) const REGEX_SIZE_LIMIT: usize = 10 << 20;

pub(crate) fn compile_regex(pattern: &str) -> Result<Regex, String> {
    meta::Builder::new()
        .syntax(syntax::Config::new().unicode(false).utf8(false))
        .configure(meta::Config::new().nfa_size_limit(Some(REGEX_SIZE_LIMIT)).utf8_empty(false).dfa(false))
        .build(pattern)
        .map_err(|e| first_line(&e.to_string()))
}

fn first_line(s: &str) -> String {
    s.lines().find(|l| !l.trim().is_empty()).unwrap_or(s).trim().to_owned()
}

/// Extra checks for structural rules whose shape alone is too loose.
#[derive(Clone, Copy, Debug)]
enum Validator {
    None,
    /// A bearer token has a digit or a symbol, or is long: not an English word.
    Bearer,
    /// A Basic credential (or a Docker config `auth`) decodes to `user:password`.
    Basic,
}

struct CompiledAllowlist {
    target: AllowTarget,
    regexes: Vec<Regex>,
    stopwords: Vec<Vec<u8>>,
    condition: AllowCondition,
}

/// A rule's regex, compiled on first use for built-in rules.
///
/// Compiling the ~80 built-in regexes is most of a redactor's build time (about 35 ms,
/// and 85% of the instructions of `Redactor::default()`), while a typical log triggers
/// a handful of them. Built-in patterns are known to compile (`every_builtin_regex_compiles`
/// below); imported and config rules compile eagerly so their errors surface at build.
enum RuleRegex {
    Ready(Regex),
    Deferred { pattern: &'static str, regex: std::sync::OnceLock<Regex> },
}

impl RuleRegex {
    fn get(&self) -> &Regex {
        match self {
            RuleRegex::Ready(r) => r,
            RuleRegex::Deferred { pattern, regex } => regex.get_or_init(|| {
                // Cannot fail: every built-in pattern is compiled by a test. The message
                // names no input, only that a shipped pattern is broken.
                compile_regex(pattern).expect("a built-in rule's regex compiles (tested)")
            }),
        }
    }
}

pub(crate) struct CompiledRule {
    id: RuleId,
    regex: RuleRegex,
    group: Option<usize>,
    /// Where the secret group lies in a match, when that follows from the match alone:
    /// the regex then searches without captures.
    split: Option<GroupSplit>,
    /// gitleaks semantics for a rule without `secretGroup`: the secret is the first capture
    /// group that matched non-empty, else the whole match.
    first_group: bool,
    entropy: Option<f64>,
    allowlists: Vec<CompiledAllowlist>,
    bound: usize,
    unbounded: bool,
    keywords: Vec<String>,
    /// For a built-in rule (whose keywords occur inside its matches, as its examples
    /// test): the bytes its regex can match anywhere. A keyword casing with a byte outside
    /// it can never be part of a match (`sk` for the case-sensitive `SK[0-9a-f]{32}`) and
    /// is not searched, which spares the literal scan hits on `tasks` and `disk`.
    alphabet: Option<Box<[bool; 256]>>,
    /// For an imported rule whose every match starts with one of a few literals: those
    /// literals. They replace the keywords as the rule's trigger, and the regex runs
    /// anchored at each hit instead of over a window around it.
    prefixes: Option<Vec<Vec<u8>>>,
    /// Every match starts with one of the keywords (`\bbearer\s+…`, `ghp_…`): the regex
    /// runs anchored at each keyword hit, as for `prefixes`.
    keyword_led: bool,
    /// The bytes every match starts with, when they are at most three (`;` for
    /// `;Password=…`): a hit with none of them in the bound before it is in no match.
    first_bytes: Option<Box<[u8]>>,
    /// For an anchored rule whose regex is a plain sequence (55 of the 74 anchored built-in
    /// rules): the sequence, walked at each hit instead of running the regex.
    linear: Option<Linear>,
    /// For an imported rule whose matches are a bounded lead (`[\w.-]{0,50}?`) and then
    /// one of a few literals: see [`LeadCheck`].
    lead: Option<LeadCheck>,
    public_prefix: Option<usize>,
    validator: Validator,
}

/// Most hits of one anchored rule on one line searched one by one; above this the line
/// is searched once as a window, so work stays linear on hostile input.
pub(crate) const MAX_ANCHORED_HITS: usize = 64;

impl CompiledRule {
    pub(crate) fn compile(rule: &FormatRule) -> Result<Self, Error> {
        let hir = regex_syntax::ParserBuilder::new()
            .unicode(false)
            .utf8(false)
            .build()
            .parse(&rule.regex)
            .map_err(|e| Error::rule(&rule.id, first_line(&e.to_string())))?;
        let prefixes = match rule.source {
            crate::rules::format::RuleSource::Gitleaks => match_prefixes(&hir),
            _ => None,
        };
        let keyword_led =
            rule.source != crate::rules::format::RuleSource::Gitleaks && starts_with_keyword(&hir, &rule.keywords);
        let lead = match (&prefixes, rule.source) {
            (None, crate::rules::format::RuleSource::Gitleaks) => lead_check(&hir),
            _ => None,
        };
        // Only a rule searched in windows around its hits uses them.
        let first_bytes = (prefixes.is_none() && !keyword_led && lead.is_none()).then(|| first_bytes(&hir)).flatten();
        let cap = rule.max_len.unwrap_or(DEFAULT_MAX_LEN);
        let (bound, unbounded) = match hir.properties().maximum_len() {
            Some(n) if n <= 1 << 16 => (n, false),
            _ => (cap, true),
        };
        let regex = match crate::rules::catalog::static_pattern(rule) {
            Some(pattern) => RuleRegex::Deferred { pattern, regex: std::sync::OnceLock::new() },
            None => RuleRegex::Ready(compile_regex(&rule.regex).map_err(|m| Error::rule(&rule.id, m))?),
        };
        // Groups counted on the syntax tree: the regex may not be compiled yet.
        let groups = hir.properties().explicit_captures_len() + 1;
        if let Some(g) = rule.secret_group
            && g >= groups
        {
            return Err(Error::rule(&rule.id, format!("secret group {g} does not exist in the regex")));
        }
        let mut allowlists = Vec::new();
        for a in &rule.allowlists {
            let regexes = a
                .regexes
                .iter()
                .map(|r| compile_regex(r).map_err(|m| Error::rule(&rule.id, format!("allowlist regex: {m}"))))
                .collect::<Result<Vec<_>, _>>()?;
            allowlists.push(CompiledAllowlist {
                target: a.target,
                regexes,
                stopwords: a.stopwords.iter().map(|s| s.to_ascii_lowercase().into_bytes()).collect(),
                condition: a.condition,
            });
        }
        let first_group =
            rule.source == crate::rules::format::RuleSource::Gitleaks && rule.secret_group.is_none() && groups > 1;
        // Only anchored rules are walked; gitleaks' first non-empty group is left to the
        // regex's captures.
        let walked = (prefixes.is_some() || keyword_led) && !first_group;
        let linear = walked.then(|| Linear::of(&hir, rule.secret_group)).flatten();
        let validator = match (rule.source, rule.id.as_str()) {
            (crate::rules::format::RuleSource::Builtin, "bearer-token") => Validator::Bearer,
            (crate::rules::format::RuleSource::Builtin, "basic-auth" | "docker-config-auth") => Validator::Basic,
            _ => Validator::None,
        };
        Ok(CompiledRule {
            id: RuleId::new(&rule.id),
            regex,
            group: rule.secret_group,
            split: rule.secret_group.and_then(|g| GroupSplit::of(&hir, g)),
            first_group,
            entropy: rule.entropy,
            allowlists,
            bound,
            unbounded,
            keywords: rule.keywords.clone(),
            alphabet: (rule.source == crate::rules::format::RuleSource::Builtin).then(|| alphabet(&hir)),
            prefixes,
            keyword_led,
            first_bytes,
            linear,
            lead,
            public_prefix: rule.public_prefix,
            validator,
        })
    }

    /// Longest match (the rule's `max_len` cap for unbounded patterns).
    pub(crate) fn bound(&self) -> usize {
        self.bound
    }

    /// Whether the regex runs anchored at each literal hit (see `prefixes` and
    /// `keyword_led`).
    pub(crate) fn anchored(&self) -> bool {
        self.prefixes.is_some() || self.keyword_led
    }

    /// The literals searched for: the match prefixes of an anchored rule, else the keywords
    /// as given, lower, UPPER and Title (for a built-in rule, only the casings its regex can
    /// match).
    pub(crate) fn keyword_forms(&self) -> Vec<Vec<u8>> {
        if let Some(p) = &self.prefixes {
            return p.clone();
        }
        if let Some(l) = &self.lead {
            return l.literals.clone();
        }
        let mut out: Vec<Vec<u8>> = Vec::new();
        for k in &self.keywords {
            let mut title = k.to_ascii_lowercase();
            if let Some(first) = title.get_mut(..1) {
                first.make_ascii_uppercase();
            }
            for form in [k.clone(), k.to_ascii_lowercase(), k.to_ascii_uppercase(), title] {
                let form = form.into_bytes();
                let matchable = self.alphabet.as_ref().is_none_or(|a| form.iter().all(|&b| a[b as usize]));
                if !form.is_empty() && matchable && !out.contains(&form) {
                    out.push(form);
                }
            }
        }
        out
    }

    /// Where to start searching for a match around a literal hit at `at`, or `None` when no
    /// match can use this hit: a lead check fails, or none of the rule's first bytes occurs
    /// in the bound before it.
    pub(crate) fn window_start(&self, line: &[u8], at: usize) -> Option<usize> {
        match &self.lead {
            Some(l) => {
                let input = Input::new(line).span(at..line.len()).anchored(regex_automata::Anchored::Yes);
                l.check.is_match(input).then(|| at.saturating_sub(l.lead))
            }
            None => {
                let lo = at.saturating_sub(self.bound);
                // A match holding this hit starts at or before it, with one of its first bytes.
                let before = &line[lo..(at + 1).min(line.len())];
                let can_start = match self.first_bytes.as_deref() {
                    Some(&[a]) => memchr::memchr(a, before).is_some(),
                    Some(&[a, b]) => memchr::memchr2(a, b, before).is_some(),
                    Some(&[a, b, c]) => memchr::memchr3(a, b, c, before).is_some(),
                    _ => true,
                };
                can_start.then_some(lo)
            }
        }
    }

    /// Runs the regex on `line[lo..hi]` (look-around sees the whole line) and records the
    /// matches in which one of the rule's literal `hits` (`(rule, start, end)`, sorted by
    /// start) starts.
    ///
    /// A match without a hit of its own was found only because a window around another
    /// hit reached it: `;PWd=…` (a casing no literal searches for) 200 bytes after `;Pwd=`.
    /// Whether a window reaches that far changes when masks before it shorten the line, so
    /// such a match would be masked on one pass and not on the next.
    ///
    /// After a match skipped for taking in a mask, the search resumes one byte into it,
    /// not after it: the skipped match must not hide a later one inside it (in
    /// `;Pwd={[REDACTED\0;Pwd=}` the braced value holds a look-alike, and the inner `;Pwd=}`
    /// stands alone once the text before it is masked). A later secret that starts inside
    /// the skipped one and runs to its end or past it is masked from the skipped one's
    /// start: masking only its own bytes would take the skipped match's end away (the `}`
    /// of `;Pwd={…;Pwd=}`), and the next pass would read a different match there. Every
    /// skipped match still near counts, not only the last: in `;Pwd={;Pwd=[REDACTED:;Pwd=}]`
    /// both `{…}` and `[REDACTED:` are skipped, and the `}]` secret, taken back to its
    /// mask's `[`, starts inside the outer one.
    pub(crate) fn find(&self, line: &[u8], lo: usize, hi: usize, hits: &[(u32, usize, usize)], out: &mut Vec<Span>) {
        let mut input = Input::new(line).span(lo..hi);
        let regex = self.regex.get();
        let mut caps = self.needs_captures().then(|| regex.create_captures());
        // Skipped secrets that a later one may start in (few: pruned as the search moves on).
        let mut skipped: Vec<Range<usize>> = Vec::new();
        // A match needs a hit of its own, so none starts after the last hit.
        let last_hit = hits.last().map_or(0, |&(_, s, _)| s);
        while input.start() <= last_hit
            && let Some(m) = self.search(regex, line, &input, caps.as_mut())
        {
            let first = hits.partition_point(|&(_, s, _)| s < m.whole.start);
            if hits.get(first).is_none_or(|&(_, s, _)| s >= m.whole.end) {
                // No hit of its own: look again from inside it, where one may start.
                if m.whole.start + 1 >= hi {
                    break;
                }
                input.set_start(m.whole.start + 1);
                continue;
            }
            let next = match self.record(line, &m, out, &skipped) {
                Recorded::MaskSkipped(secret) => {
                    // A later secret's start reaches back at most a mask's length before
                    // its match, so older entries are dropped. A chain (a secret taken back
                    // into one skipped match, then from its start into an older one that
                    // ended further back) is followed only within that reach: the bound
                    // keeps the list short and the work per line linear.
                    skipped.retain(|sk| sk.end + crate::mask::MAX_MASK_LEN > m.whole.start);
                    skipped.push(secret);
                    m.whole.start + 1
                }
                Recorded::Other => m.whole.end.max(m.whole.start + 1),
            };
            if next >= hi {
                break;
            }
            input.set_start(next);
        }
    }

    /// Runs the regex anchored at `at` (a literal hit of an anchored rule) and records the
    /// match, if any. Returns where the match ends (`at` when there is none).
    pub(crate) fn find_anchored(&self, line: &[u8], at: usize, out: &mut Vec<Span>) -> usize {
        // An unbounded match is capped at the bound later; it must be seen whole to end
        // where the pattern says (`$`, a delimiter), so it may run to the line end.
        let hi = if self.unbounded { line.len() } else { (at + self.bound).min(line.len()) };
        if let Some(linear) = &self.linear {
            let Some(m) = linear.find_at(line, at, hi) else { return at };
            let secret = if self.group.is_some() { m.group } else { Some(m.whole.clone()) };
            let m = Match { whole: m.whole, secret };
            self.record(line, &m, out, &[]);
            return m.whole.end;
        }
        let input = Input::new(line).span(at..hi).anchored(regex_automata::Anchored::Yes);
        let regex = self.regex.get();
        // Most hits do not match: a rule that needs capture slots finds that out without
        // allocating them (a rule without searches once, at the cost of the check).
        if self.needs_captures() && !regex.is_match(input.clone()) {
            return at;
        }
        let mut caps = self.needs_captures().then(|| regex.create_captures());
        match self.search(regex, line, &input, caps.as_mut()) {
            Some(m) => {
                self.record(line, &m, out, &[]);
                m.whole.end
            }
            None => at,
        }
    }

    /// Whether the secret's bounds need a search for capture groups: a secret group whose
    /// bounds do not follow from the match ([`GroupSplit`]), or gitleaks' first group.
    fn needs_captures(&self) -> bool {
        match self.group {
            Some(_) => self.split.is_none(),
            None => self.first_group,
        }
    }

    /// The next match of the regex in `input` and its secret's bounds; `caps` is given
    /// when [`needs_captures`](Self::needs_captures).
    fn search(&self, regex: &Regex, line: &[u8], input: &Input<'_>, caps: Option<&mut Captures>) -> Option<Match> {
        let Some(caps) = caps else {
            let whole = regex.search(input)?.range();
            let secret = match &self.split {
                Some(split) => split.bounds(line, whole.clone()),
                None => whole.clone(),
            };
            return Some(Match { whole, secret: Some(secret) });
        };
        regex.search_captures(input, caps);
        let whole = caps.get_match()?.range();
        let secret = match self.group {
            Some(g) => caps.get_group(g).map(|s| s.range()),
            None if self.first_group => Some(
                (1..caps.group_len())
                    .filter_map(|g| caps.get_group(g))
                    .find(|s| !s.is_empty())
                    .map_or(whole.clone(), |s| s.range()),
            ),
            None => Some(whole.clone()),
        };
        Some(Match { whole, secret })
    }

    /// Records the secret of match `m`; `skipped` holds the secrets of earlier
    /// matches skipped for a mask, which this one takes in when it runs over their end.
    fn record(&self, line: &[u8], m: &Match, out: &mut Vec<Span>, skipped: &[Range<usize>]) -> Recorded {
        let whole = &m.whole;
        let Some(secret) = m.secret.clone() else { return Recorded::Other };
        let (start, mut end) = (secret.start, secret.end);
        if start == end {
            return Recorded::Other;
        }
        let mut truncated = false;
        if self.unbounded && end - start > self.bound {
            end = start + self.bound;
            truncated = true;
        }
        let bytes = &line[start..end];
        // A match that takes in or touches an earlier mask is the mask re-read, not a
        // new secret: in `<14>.atlasv1.<run>KEY=v` the run is too long for a token until
        // `v` is masked, and then the mask's `[` ends it. Skipping such a match keeps
        // `redact(redact(x)) == redact(x)`.
        if crate::mask::touches_mask(line, start.min(whole.start), end.max(whole.end)) {
            return Recorded::MaskSkipped(start..end);
        }
        if self.entropy.is_some_and(|min| shannon_entropy(bytes) < min) {
            return Recorded::Other;
        }
        if !self.validate(bytes) || self.allowed(line, whole.clone(), bytes) {
            return Recorded::Other;
        }
        // A secret that runs over the `]` of a mask it starts in (`[REDACTED:;Pwd=]`)
        // takes that mask with it, from its `[`; likewise over the end of a skipped
        // secret it starts in.
        let mut whole_masks = crate::mask::start_keeping_masks_whole(line, start, end);
        // Each step moves the start back, so this ends.
        while let Some(sk) = skipped.iter().find(|sk| sk.start < whole_masks && whole_masks < sk.end && sk.end <= end) {
            whole_masks = crate::mask::start_keeping_masks_whole(line, sk.start, end);
        }
        out.push(Span {
            start: whole_masks,
            end,
            rule: self.id.clone(),
            kind: RuleKind::Format,
            prefix_len: if whole_masks == start { self.prefix_len(bytes) } else { 0 },
            truncated,
            quote: false,
            continues: None,
        });
        Recorded::Other
    }

    fn prefix_len(&self, secret: &[u8]) -> usize {
        if let Some(n) = self.public_prefix {
            return n.min(secret.len());
        }
        self.keywords
            .iter()
            .filter(|k| secret.len() > k.len() && secret[..k.len()].eq_ignore_ascii_case(k.as_bytes()))
            .map(String::len)
            .max()
            .unwrap_or(0)
    }

    fn validate(&self, secret: &[u8]) -> bool {
        match self.validator {
            Validator::None => true,
            Validator::Bearer => {
                secret.len() >= 20 || secret.iter().any(|b| b.is_ascii_digit() || b"-._~+/=".contains(b))
            }
            Validator::Basic => base64::engine::general_purpose::STANDARD
                .decode(secret)
                .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(secret))
                .is_ok_and(|d| d.contains(&b':') && d.len() >= 3),
        }
    }

    fn allowed(&self, line: &[u8], whole: std::ops::Range<usize>, secret: &[u8]) -> bool {
        self.allowlists.iter().any(|a| {
            let target = match a.target {
                AllowTarget::Secret => secret,
                AllowTarget::Match => &line[whole.clone()],
                AllowTarget::Line => line,
            };
            let by_regex = (!a.regexes.is_empty()).then(|| a.regexes.iter().any(|r| r.is_match(Input::new(target))));
            let by_stop = (!a.stopwords.is_empty()).then(|| {
                let lower = secret.to_ascii_lowercase();
                a.stopwords.iter().any(|w| memchr::memmem::find(&lower, w).is_some())
            });
            match (a.condition, by_regex, by_stop) {
                (_, None, None) => false,
                (AllowCondition::Or, r, s) => r.unwrap_or(false) || s.unwrap_or(false),
                (AllowCondition::And, r, s) => r.unwrap_or(true) && s.unwrap_or(true),
            }
        })
    }
}

/// A match of a rule's regex.
struct Match {
    whole: Range<usize>,
    /// The secret's bounds; `None` when the secret group took no part in the match.
    secret: Option<Range<usize>>,
}

/// What [`CompiledRule::record`] made of a match.
enum Recorded {
    /// Skipped because it takes in or touches a mask; the secret's bytes.
    MaskSkipped(Range<usize>),
    /// Recorded, or skipped for another reason.
    Other,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::format::RuleSource;

    fn forms(regex: &str, keywords: &[&str], source: RuleSource) -> Vec<String> {
        let mut rule = FormatRule::new("t", regex, keywords);
        rule.source = source;
        let c = CompiledRule::compile(&rule).unwrap();
        c.keyword_forms().into_iter().map(|f| String::from_utf8(f).unwrap()).collect()
    }

    #[test]
    fn builtin_rules_search_only_the_casings_their_regex_can_match() {
        assert_eq!(forms(r"(?:^|[^/\w])(SK[0-9a-f]{32})\b", &["SK"], RuleSource::Builtin), ["SK"]);
        assert_eq!(
            forms(r"(?i:twilio)_[a-f0-9]{32}", &["twilio"], RuleSource::Builtin),
            ["twilio", "TWILIO", "Twilio"]
        );
        // A user's keyword may sit beside the match rather than in it: every casing stays.
        assert_eq!(forms(r"SK[0-9a-f]{32}", &["SK"], RuleSource::Config), ["SK", "sk", "Sk"]);
    }

    #[test]
    fn every_builtin_regex_compiles() {
        // `RuleRegex::Deferred` relies on this: catalogue patterns compile on first use.
        let rules = crate::rules::catalog::rules();
        assert!(rules.len() > 70);
        for rule in &rules {
            let pattern = crate::rules::catalog::static_pattern(rule);
            assert!(pattern.is_some(), "{} is not found as a catalogue pattern", rule.id);
            assert!(compile_regex(pattern.unwrap_or_default()).is_ok(), "{} does not compile", rule.id);
        }
    }

    #[test]
    fn a_modified_builtin_rule_compiles_eagerly_and_reports_errors() {
        let mut rule = crate::rules::catalog::rules().remove(0);
        rule.regex = "(unclosed".into();
        assert!(crate::rules::catalog::static_pattern(&rule).is_none());
        assert!(CompiledRule::compile(&rule).is_err());
    }

    /// A keyword-led built-in rule finds, searched anchored at its keyword hits, what it
    /// finds searched over the whole line, on its examples alone and inside other text.
    #[test]
    fn keyword_led_rules_find_anchored_what_they_find_in_a_window() {
        let (mut led_rules, mut found) = (0, 0);
        for rule in crate::rules::builtin_format_rules() {
            let anchored = CompiledRule::compile(&rule).unwrap();
            if !anchored.keyword_led {
                continue;
            }
            led_rules += 1;
            let windowed = CompiledRule { keyword_led: false, ..CompiledRule::compile(&rule).unwrap() };
            let forms = anchored.keyword_forms();
            for sample in rule.examples.iter().chain(&rule.counter_examples) {
                for (before, after) in [("", ""), ("x ", " y"), ("a=", ";"), ("\"", "\"\n"), ("\t", "==")] {
                    let line = format!("{before}{sample}{after}{before}{sample}");
                    let line = line.as_bytes();
                    let mut hits: Vec<(u32, usize, usize)> = (0..line.len())
                        .flat_map(|at| {
                            forms.iter().filter(move |f| line[at..].starts_with(f)).map(move |f| (0, at, at + f.len()))
                        })
                        .collect();
                    hits.sort_unstable();
                    let (mut by_hit, mut by_window) = (Vec::new(), Vec::new());
                    let mut done = 0;
                    for &(_, at, _) in &hits {
                        if at >= done {
                            done = anchored.find_anchored(line, at, &mut by_hit).max(at);
                        }
                    }
                    windowed.find(line, 0, line.len(), &hits, &mut by_window);
                    let ranges = |spans: &[Span]| spans.iter().map(|s| s.start..s.end).collect::<Vec<_>>();
                    assert_eq!(
                        ranges(&by_hit),
                        ranges(&by_window),
                        "{} on {:?}",
                        rule.id,
                        String::from_utf8_lossy(line)
                    );
                    found += by_hit.len();
                }
            }
        }
        assert!(led_rules >= 70, "{led_rules} keyword-led rules");
        assert!(found >= 700, "{found} secrets compared");
    }
}
