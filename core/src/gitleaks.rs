//! Import of gitleaks (v8) TOML rule files.
//!
//! Each `[[rules]]` entry becomes a [`FormatRule`] with source `gitleaks`, keeping its id,
//! description, regex, keywords, `secretGroup`, `entropy` and allowlists. How gitleaks
//! concepts map onto a log stream:
//!
//! * A rule without `secretGroup` masks the first capture group that matched non-empty, else
//!   the whole match (gitleaks' own rule).
//! * Keywords are matched in lower, UPPER and Title case (gitleaks lower-cases the text).
//!   A rule without keywords uses its regex's literal prefixes; without those it is listed
//!   as inactive, since running it on every line is not affordable.
//! * Logs have no file paths or commits: `path` on a rule with a regex is ignored (the rule
//!   runs on all input), a path-only rule (`pkcs12-file`) is loaded as inactive, and the
//!   `paths` / `commits` of an allowlist never match, so an `AND` allowlist that needs them
//!   never applies.
//! * The top-level `[allowlist]` and `[[allowlists]]` (optionally limited by `targetRules`)
//!   are added to every (targeted) rule as an extra allowlist.
//! * `[extend] useDefault` matches hush, whose built-in rules stay on; `disabledRules`
//!   disables rules by id (built-in ones included); `path` and `url` are not followed.
//! * Rules that can only match across lines (`private-key`, `kubernetes-secret-yaml`) still
//!   run within a line and are listed as covered by the built-in multi-line handling.
//! * A `skipReport` rule (a part of a composite rule) is inactive; `required` conditions of
//!   composite rules are not checked, so such a rule masks on its own (fails closed).
//!
//! Errors name the TOML line and rule id and never quote the file's values.

use serde::Deserialize;
use toml::Spanned;

use crate::Error;
use crate::rules::format::{
    AllowCondition, AllowTarget, Allowlist, FormatRule, RuleSource, derive_keywords, parse_regex,
};

/// Rules imported from one gitleaks file.
#[derive(Debug)]
pub(crate) struct Imported {
    pub(crate) rules: Vec<FormatRule>,
    /// What was skipped or behaves differently from gitleaks (never secret values).
    pub(crate) warnings: Vec<String>,
    /// `[extend] disabledRules`: rule ids to disable.
    pub(crate) disabled: Vec<String>,
}

/// gitleaks rules whose multi-line form is served by hush's built-in handling, and what
/// covers them.
const COVERED: &[(&str, &str)] = &[
    ("private-key", "covered by built-in private-key (multi-line PEM blocks); also runs within single lines"),
    (
        "kubernetes-secret-yaml",
        "covered by built-in key rules (multi-line Secret manifests: `name: value` lines); also runs within single lines",
    ),
];

/// The note listed for an active imported rule that built-in handling covers, if any.
pub(crate) fn coverage_note(rule: &FormatRule) -> Option<String> {
    if rule.source != RuleSource::Gitleaks {
        return None;
    }
    COVERED.iter().find(|(id, _)| *id == rule.id).map(|(_, note)| (*note).to_owned())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct GlFile {
    extend: Option<GlExtend>,
    rules: Vec<Spanned<GlRule>>,
    allowlist: Option<Spanned<GlAllowlist>>,
    allowlists: Vec<Spanned<GlAllowlist>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct GlExtend {
    #[serde(rename = "useDefault", alias = "usedefault")]
    use_default: bool,
    path: Option<String>,
    url: Option<String>,
    #[serde(rename = "disabledRules", alias = "disabledrules")]
    disabled_rules: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct GlRule {
    id: String,
    description: String,
    regex: Option<String>,
    #[serde(rename = "secretGroup", alias = "secretgroup")]
    secret_group: usize,
    entropy: f64,
    keywords: Vec<String>,
    path: Option<String>,
    allowlist: Option<GlAllowlist>,
    allowlists: Vec<GlAllowlist>,
    required: Vec<toml::Value>,
    #[serde(rename = "skipReport", alias = "skipreport")]
    skip_report: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct GlAllowlist {
    condition: Option<String>,
    commits: Vec<String>,
    paths: Vec<String>,
    #[serde(rename = "regexTarget", alias = "regextarget")]
    regex_target: Option<String>,
    regexes: Vec<String>,
    #[serde(alias = "stopWords")]
    stopwords: Vec<String>,
    #[serde(rename = "targetRules", alias = "targetrules")]
    target_rules: Vec<String>,
}

/// 1-based line of byte `offset` in `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

/// Line numbers of many offsets in one text: counting newlines from the start for each
/// entry of a long file would be quadratic (100,000 rules took minutes).
pub(crate) struct LineIndex(Vec<usize>);

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        LineIndex(memchr::memchr_iter(b'\n', text.as_bytes()).collect())
    }

    /// The 1-based line of byte `offset` (as [`line_of`]).
    pub(crate) fn line(&self, offset: usize) -> usize {
        self.0.partition_point(|&nl| nl < offset) + 1
    }
}

/// A TOML error as a hush error: the line, and a message that never quotes a value.
pub(crate) fn toml_error(text: &str, e: &toml::de::Error, what: &str) -> Error {
    let err = Error::config(format!("invalid {what}: {}", scrub_serde_message(e.message())));
    match e.span() {
        Some(span) => err.with_line(line_of(text, span.start)),
        None => err,
    }
}

/// Drops the value from a serde message (`invalid type: string "…", expected a sequence`
/// would otherwise echo what may be a secret); keeps field names and what was expected.
pub(crate) fn scrub_serde_message(message: &str) -> String {
    let first = message.lines().next().unwrap_or("").trim();
    for kind in ["invalid type", "invalid value"] {
        if first.starts_with(kind) {
            // The expected part comes last and is fixed text from the schema.
            return match first.rfind(", expected ") {
                Some(i) => format!("{kind}, expected {}", &first[i + ", expected ".len()..]),
                None => kind.to_owned(),
            };
        }
    }
    // Anything else that quotes a string value loses the quoted text.
    let mut out = String::with_capacity(first.len());
    let mut in_quote = false;
    let mut escaped = false;
    for c in first.chars() {
        if in_quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_quote = false;
                out.push_str("…\"");
            }
            continue;
        }
        out.push(c);
        if c == '"' {
            in_quote = true;
        }
    }
    out
}

/// Parses gitleaks TOML text into format rules.
///
/// Strict mode fails on the first rule that cannot be used as written (bad regex, missing
/// id, secret group out of range); lenient mode skips it with a warning.
pub(crate) fn import(text: &str, lenient: bool) -> Result<Imported, Error> {
    let file: GlFile = toml::from_str(text).map_err(|e| toml_error(text, &e, "gitleaks TOML"))?;
    let mut warnings = Vec::new();
    let mut disabled = Vec::new();

    if let Some(ext) = &file.extend {
        if !ext.use_default {
            warnings.push(
                "gitleaks [extend] useDefault is off; hush's built-in rules stay on (turn them off in hush's own config)"
                    .to_owned(),
            );
        }
        if ext.path.is_some() || ext.url.is_some() {
            warnings.push("gitleaks [extend] path/url is not followed; import that file separately".to_owned());
        }
        disabled.extend(ext.disabled_rules.iter().cloned());
    }

    // Global allowlists, each with the rule ids it is limited to (empty: every rule).
    let mut globals: Vec<(Vec<String>, Allowlist)> = Vec::new();
    let lines = LineIndex::new(text);
    let global_iter = file.allowlist.iter().chain(&file.allowlists);
    for (n, a) in global_iter.enumerate() {
        let line = lines.line(a.span().start);
        let what = format!("global allowlist {}", n + 1);
        match convert_allowlist(a.get_ref(), &what, None, line) {
            Ok(Converted::Use(list)) => globals.push((a.get_ref().target_rules.clone(), list)),
            Ok(Converted::Never(why)) => warnings.push(why),
            Ok(Converted::Empty) => {}
            Err(e) if lenient => warnings.push(format!("skipped {what}: {}", e)),
            Err(e) => return Err(e),
        }
    }

    let mut rules = Vec::with_capacity(file.rules.len());
    for spanned in &file.rules {
        let line = lines.line(spanned.span().start);
        match convert_rule(spanned.get_ref(), line, &globals, &mut warnings) {
            Ok(rule) => rules.push(rule),
            Err(e) if lenient => warnings.push(format!("skipped gitleaks rule: {}", e)),
            Err(e) => return Err(e),
        }
    }
    Ok(Imported { rules, warnings, disabled })
}

enum Converted {
    Use(Allowlist),
    /// The allowlist can never apply in a log stream (and why).
    Never(String),
    /// Nothing that applies to a log stream (only paths or commits, combined with OR).
    Empty,
}

fn convert_allowlist(a: &GlAllowlist, what: &str, rule: Option<&str>, line: usize) -> Result<Converted, Error> {
    let located = |msg: String| {
        let e = Error::config(format!("{what}: {msg}")).with_line(line);
        match rule {
            Some(id) => e.with_rule(id),
            None => e,
        }
    };
    let condition = match a.condition.as_deref().map(str::to_ascii_uppercase).as_deref() {
        None | Some("") | Some("OR") | Some("||") => AllowCondition::Or,
        Some("AND") | Some("&&") => AllowCondition::And,
        Some(_) => return Err(located("`condition` must be OR or AND".into())),
    };
    let target = match a.regex_target.as_deref() {
        None | Some("") | Some("secret") => AllowTarget::Secret,
        Some("match") => AllowTarget::Match,
        Some("line") => AllowTarget::Line,
        Some(_) => {
            return Err(located("`regexTarget` must be secret, match or line".into()));
        }
    };
    let regexes: Vec<String> = a.regexes.iter().map(|r| from_re2(r)).collect();
    for r in &regexes {
        parse_regex(r).map_err(|m| located(format!("allowlist regex: {m}")))?;
    }
    let has_paths = !a.paths.is_empty() || !a.commits.is_empty();
    if condition == AllowCondition::And && has_paths {
        let owner = rule.map(|id| format!("gitleaks rule `{id}`: ")).unwrap_or_default();
        return Ok(Converted::Never(format!(
            "{owner}{what} (line {line}) needs file paths or commits (condition AND), which logs do not have; it never applies"
        )));
    }
    if regexes.is_empty() && a.stopwords.is_empty() {
        return Ok(Converted::Empty);
    }
    Ok(Converted::Use(Allowlist { target, regexes, stopwords: a.stopwords.clone(), condition }))
}

fn convert_rule(
    r: &GlRule,
    line: usize,
    globals: &[(Vec<String>, Allowlist)],
    warnings: &mut Vec<String>,
) -> Result<FormatRule, Error> {
    if r.id.is_empty() {
        return Err(Error::config("gitleaks rule without an `id`").with_line(line));
    }
    let id = r.id.as_str();
    let err = |msg: String| Error::rule(id, msg).with_line(line);
    let mut rule = FormatRule::new(id, r.regex.as_deref().unwrap_or(""), &[]).description(&r.description);
    rule.source = RuleSource::Gitleaks;

    let Some(regex) = r.regex.as_deref().filter(|s| !s.is_empty()) else {
        if r.path.is_some() {
            rule.inactive = Some("path-only rule: logs have no file paths".to_owned());
            return Ok(rule);
        }
        return Err(err("rule has neither `regex` nor `path`".into()));
    };
    let regex = from_re2(regex);
    rule.regex.clone_from(&regex);
    let hir = parse_regex(&regex).map_err(err)?;
    let groups = hir.properties().explicit_captures_len();
    if r.secret_group > groups {
        return Err(err(format!("secretGroup {} but the regex has {groups} capture groups", r.secret_group)));
    }
    rule.secret_group = (r.secret_group > 0).then_some(r.secret_group);
    rule.entropy = (r.entropy > 0.0).then_some(r.entropy);
    rule.keywords = keyword_casings(&r.keywords);
    if rule.keywords.is_empty() {
        match derive_keywords(&hir) {
            Some(k) => rule.keywords = keyword_casings(&k),
            None => {
                let why = "no keywords and no literal prefix to search for";
                warnings.push(format!("gitleaks rule `{id}` (line {line}) is inactive: {why}"));
                rule.inactive = Some(why.to_owned());
                return Ok(rule);
            }
        }
    }
    if r.skip_report {
        rule.inactive = Some("skipReport: only a part of a composite rule".to_owned());
        return Ok(rule);
    }
    if !r.required.is_empty() {
        warnings
            .push(format!("gitleaks rule `{id}` (line {line}): `required` rules are not checked; it masks on its own"));
    }

    for (n, a) in r.allowlist.iter().chain(&r.allowlists).enumerate() {
        let what = format!("allowlist {}", n + 1);
        match convert_allowlist(a, &what, Some(id), line)? {
            Converted::Use(list) => rule.allowlists.push(list),
            Converted::Never(why) => warnings.push(why),
            Converted::Empty => {}
        }
    }
    for (targets, list) in globals {
        if targets.is_empty() || targets.iter().any(|t| t == id) {
            rule.allowlists.push(list.clone());
        }
    }
    Ok(rule)
}

/// Rewrites RE2 (Go) syntax that Rust's regex reads differently, keeping RE2's meaning:
/// a `{` that does not start a repetition (`{n}`, `{n,}`, `{n,m}`) is a literal in RE2
/// but an error in Rust; inside a class, `[` (other than `[:name:]`), `&&` and `~~` are
/// literals in RE2 but nested classes and set operators in Rust.
pub(crate) fn from_re2(pattern: &str) -> String {
    let b = pattern.as_bytes();
    let mut out = String::with_capacity(pattern.len() + 4);
    let mut i = 0;
    let mut in_class = false;
    while i < b.len() {
        let c = b[i];
        if c == b'\\' {
            // An escape: copy it and the escaped character (whole UTF-8 char) verbatim.
            let next = pattern[i + 1..].chars().next().map_or(0, char::len_utf8);
            out.push_str(&pattern[i..i + 1 + next]);
            i += 1 + next;
            continue;
        }
        if in_class {
            if c == b'[' && b.get(i + 1) == Some(&b':') {
                // A POSIX class `[:alpha:]`: copy through its closing `:]`.
                if let Some(end) = pattern[i + 2..].find(":]") {
                    out.push_str(&pattern[i..i + 2 + end + 2]);
                    i += 2 + end + 2;
                    continue;
                }
            }
            match c {
                b']' => in_class = false,
                b'[' | b'&' | b'~' => out.push('\\'),
                _ => {}
            }
        } else if c == b'[' {
            in_class = true;
            out.push('[');
            i += 1;
            // `^` and a leading `]` belong to the class as written.
            if b.get(i) == Some(&b'^') {
                out.push('^');
                i += 1;
            }
            if b.get(i) == Some(&b']') {
                out.push_str("\\]");
                i += 1;
            }
            continue;
        } else if c == b'{' && !starts_repetition(&b[i..]) {
            out.push('\\');
        }
        let ch = pattern[i..].chars().next().unwrap_or('\0');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// Does `s` (starting at `{`) read `{n}`, `{n,}` or `{n,m}`?
fn starts_repetition(s: &[u8]) -> bool {
    let digits = |from: usize| s[from..].iter().take_while(|b| b.is_ascii_digit()).count();
    let n = digits(1);
    if n == 0 {
        return false;
    }
    match s.get(1 + n) {
        Some(b'}') => true,
        Some(b',') => {
            let m = digits(2 + n);
            s.get(2 + n + m) == Some(&b'}')
        }
        _ => false,
    }
}

/// gitleaks matches keywords case-insensitively; hush searches exact casings, so each
/// keyword is given in lower and Title case (the engine adds UPPER).
fn keyword_casings(keywords: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for k in keywords {
        let lower = k.to_ascii_lowercase();
        let mut title = lower.clone();
        if let Some(first) = title.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        for form in [lower, title] {
            if !form.is_empty() && !out.contains(&form) {
                out.push(form);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests;
