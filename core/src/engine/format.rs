//! Compiled format rules: a regex run only on windows around its keywords.

use base64::Engine as _;
use regex_automata::meta::{self, Regex};
use regex_automata::util::syntax;
use regex_automata::Input;

use super::{Span, DEFAULT_MAX_LEN};
use crate::rules::format::{shannon_entropy, AllowCondition, AllowTarget, FormatRule};
use crate::{Error, RuleId, RuleKind};

/// Limit on one rule's compiled regex (bytes of NFA); larger rules are rejected.
const REGEX_SIZE_LIMIT: usize = 10 << 20;

pub(crate) fn compile_regex(pattern: &str) -> Result<Regex, String> {
    meta::Builder::new()
        .syntax(syntax::Config::new().unicode(false).utf8(false))
        .configure(meta::Config::new().nfa_size_limit(Some(REGEX_SIZE_LIMIT)).utf8_empty(false))
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
    /// A Basic credential decodes to `user:password`.
    Basic,
}

struct CompiledAllowlist {
    target: AllowTarget,
    regexes: Vec<Regex>,
    stopwords: Vec<Vec<u8>>,
    condition: AllowCondition,
}

pub(crate) struct CompiledRule {
    id: RuleId,
    regex: Regex,
    group: Option<usize>,
    entropy: Option<f64>,
    allowlists: Vec<CompiledAllowlist>,
    bound: usize,
    unbounded: bool,
    keywords: Vec<String>,
    public_prefix: Option<usize>,
    validator: Validator,
}

impl CompiledRule {
    pub(crate) fn compile(rule: &FormatRule) -> Result<Self, Error> {
        let regex = compile_regex(&rule.regex).map_err(|m| Error::rule(&rule.id, m))?;
        let hir = regex_syntax::ParserBuilder::new()
            .unicode(false)
            .utf8(false)
            .build()
            .parse(&rule.regex)
            .map_err(|e| Error::rule(&rule.id, first_line(&e.to_string())))?;
        let cap = rule.max_len.unwrap_or(DEFAULT_MAX_LEN);
        let (bound, unbounded) = match hir.properties().maximum_len() {
            Some(n) if n <= 1 << 16 => (n, false),
            _ => (cap, true),
        };
        if let Some(g) = rule.secret_group {
            if g >= regex.group_info().group_len(regex_automata::PatternID::ZERO) {
                return Err(Error::rule(&rule.id, format!("secret group {g} does not exist in the regex")));
            }
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
        let validator = match (rule.source, rule.id.as_str()) {
            (crate::rules::format::RuleSource::Builtin, "bearer-token") => Validator::Bearer,
            (crate::rules::format::RuleSource::Builtin, "basic-auth") => Validator::Basic,
            _ => Validator::None,
        };
        Ok(CompiledRule {
            id: RuleId::new(&rule.id),
            regex,
            group: rule.secret_group,
            entropy: rule.entropy,
            allowlists,
            bound,
            unbounded,
            keywords: rule.keywords.clone(),
            public_prefix: rule.public_prefix,
            validator,
        })
    }

    /// Longest match (the rule's `max_len` cap for unbounded patterns).
    pub(crate) fn bound(&self) -> usize {
        self.bound
    }

    /// The keyword literals in the casings searched for: as given, lower, UPPER and Title.
    pub(crate) fn keyword_forms(&self) -> Vec<Vec<u8>> {
        let mut out: Vec<Vec<u8>> = Vec::new();
        for k in &self.keywords {
            let mut title = k.to_ascii_lowercase();
            if let Some(first) = title.get_mut(..1) {
                first.make_ascii_uppercase();
            }
            for form in [k.clone(), k.to_ascii_lowercase(), k.to_ascii_uppercase(), title] {
                let form = form.into_bytes();
                if !form.is_empty() && !out.contains(&form) {
                    out.push(form);
                }
            }
        }
        out
    }

    /// Runs the regex on `line[lo..hi]` (look-around sees the whole line) and records matches.
    pub(crate) fn find(&self, line: &[u8], lo: usize, hi: usize, out: &mut Vec<Span>) {
        let input = Input::new(line).span(lo..hi);
        for caps in self.regex.captures_iter(input) {
            let Some(whole) = caps.get_match() else { continue };
            let secret = match self.group {
                Some(g) => match caps.get_group(g) {
                    Some(s) => s,
                    None => continue,
                },
                None => whole.span(),
            };
            let (start, mut end) = (secret.start, secret.end);
            if start == end {
                continue;
            }
            let mut truncated = false;
            if self.unbounded && end - start > self.bound {
                end = start + self.bound;
                truncated = true;
            }
            let bytes = &line[start..end];
            if self.entropy.is_some_and(|min| shannon_entropy(bytes) < min) {
                continue;
            }
            if !self.validate(bytes) || self.allowed(line, whole.range(), bytes) {
                continue;
            }
            out.push(Span {
                start,
                end,
                rule: self.id.clone(),
                kind: RuleKind::Format,
                prefix_len: self.prefix_len(bytes),
                truncated,
                quote: false,
                continues: None,
            });
        }
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
