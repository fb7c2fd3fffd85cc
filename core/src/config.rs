//! The TOML configuration file.
//!
//! A config is found by `--config FILE`, else `$HUSH_CONFIG`, else there is none and the
//! built-in defaults apply — nothing is read implicitly ([`Config::discover`]). Every key is
//! optional; unknown keys are errors. Relative paths in a config file resolve against the
//! file's directory. Errors name the file, line and rule id and never quote a value.
//!
//! ```toml
//! # Mask style: redacted (default), label, hash, partial or fill.
//! mask = "label"
//! # Key for the `hash` mask and fingerprints: a file of at least 16 bytes (one trailing
//! # newline is ignored). Required when mask = "hash".
//! hash_key_file = "hush.key"
//! # Cap on the bytes of one line held in memory (default 1 MiB, minimum 4096).
//! line_cap = 1048576
//! # Skip imported or configured rules that fail to compile (listed as warnings) instead of
//! # failing.
//! lenient = false
//!
//! [keys]
//! deny = ["x_internal_ticket"]      # whole names that are always sensitive
//! allow = ["public_token_hint"]     # whole names that are never sensitive
//! metadata = ["checksum"]           # last words that make a name describe, not hold, a secret
//! strong = ["pwd"]                  # words sensitive in any position
//! weak = ["code"]                   # words sensitive only as the last word
//! exclude = ["keycloak_realm"]      # names that look sensitive but are not
//! # true: strong/weak/metadata/exclude replace the built-in lists instead of extending them.
//! replace_defaults = false
//!
//! # Extra format rules (regex syntax of the `regex` crate, ASCII classes). Limits: at most
//! # 20000 format rules in all, built-in, imported and configured (more: `too many rules
//! # (limit 20000)`); a rule's compiled regex at most 10 MiB (bigger: an error naming its id).
//! [[rules]]
//! id = "acme-api-key"
//! description = "ACME API key"
//! regex = '''\bacme_([a-z0-9]{32})\b'''
//! keywords = ["acme_"]      # literals that must occur; derived from the regex when omitted
//! secret_group = 1          # mask only this group (default: the whole match)
//! entropy = 3.0             # minimum Shannon entropy of the secret, bits per byte
//! max_len = 4096            # cap on a match of an unbounded regex
//! [[rules.allowlists]]
//! regex_target = "secret"   # secret (default), match or line
//! regexes = ['''^acme_0{32}$''']
//! stopwords = ["example"]
//! condition = "or"          # or (default): any check allows; and: all must
//!
//! # Rule ids to turn off (format rules, built-in or imported).
//! disable = ["basic-auth"]
//! # Values never masked (such as documented example keys), and regexes for them.
//! allow_values = ["AKIAIOSFODNN7EXAMPLE"]
//! allow_regexes = ['''^sk_test_''']
//! # Known secret values, masked wherever they occur (rule ids known:config:1, :2 …).
//! known_values = ["plum-Orbit-4471"]
//! # Files: one known value per line; directories: every regular file is a secret.
//! known_files = ["secrets.txt"]
//! secrets_dirs = ["/run/secrets"]
//! # A gitleaks rule file to import.
//! gitleaks = "gitleaks.toml"
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;
use zeroize::Zeroizing;

use crate::gitleaks::{LineIndex, toml_error};
use crate::known::MIN_KNOWN_LEN;
use crate::rules::format::{
    AllowCondition, AllowTarget, Allowlist, FormatRule, RuleSource, derive_keywords, parse_regex,
};
use crate::{Builder, Error, KeyRules, MaskStyle};

/// Environment variable naming the config file when no path is given.
pub const CONFIG_ENV: &str = "HUSH_CONFIG";

/// A parsed configuration; apply it to a [`Builder`] with [`Config::apply`].
///
/// ```
/// let config = hush::config::Config::from_toml("mask = \"label\"\ndisable = [\"jwt\"]\n").unwrap();
/// let redactor = config.apply(hush::Redactor::builder()).unwrap().build().unwrap();
/// assert_eq!(redactor.redact_str("password=hunter22"), "password=[REDACTED:key:password]");
/// ```
#[derive(Clone, Default)]
pub struct Config {
    file: Option<PathBuf>,
    mask: Option<MaskStyle>,
    hash_key_file: Option<PathBuf>,
    keys: KeyLists,
    rules: Vec<FormatRule>,
    disable: Vec<String>,
    allow_values: Vec<Zeroizing<Vec<u8>>>,
    allow_regexes: Vec<String>,
    known_values: Vec<Zeroizing<Vec<u8>>>,
    gitleaks: Option<PathBuf>,
    line_cap: Option<usize>,
    secrets_dirs: Vec<PathBuf>,
    known_files: Vec<PathBuf>,
    lenient: Option<bool>,
}

impl fmt::Debug for Config {
    /// Shows counts, never values.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("file", &self.file)
            .field("mask", &self.mask)
            .field("rules", &self.rules.len())
            .field("disable", &self.disable)
            .field("allow_values", &self.allow_values.len())
            .field("known_values", &self.known_values.len())
            .field("gitleaks", &self.gitleaks)
            .finish_non_exhaustive()
    }
}

#[derive(Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct KeyLists {
    deny: Vec<String>,
    allow: Vec<String>,
    metadata: Vec<String>,
    strong: Vec<String>,
    weak: Vec<String>,
    exclude: Vec<String>,
    replace_defaults: bool,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct ConfigToml {
    mask: Option<Spanned<String>>,
    hash_key_file: Option<String>,
    keys: KeyLists,
    rules: Vec<Spanned<RuleToml>>,
    disable: Vec<String>,
    allow_values: Vec<String>,
    allow_regexes: Vec<Spanned<String>>,
    known_values: Vec<Spanned<String>>,
    gitleaks: Option<String>,
    line_cap: Option<usize>,
    secrets_dirs: Vec<String>,
    known_files: Vec<String>,
    lenient: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct RuleToml {
    id: String,
    description: String,
    regex: String,
    keywords: Vec<String>,
    secret_group: Option<usize>,
    entropy: Option<f64>,
    max_len: Option<usize>,
    allowlists: Vec<AllowlistToml>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct AllowlistToml {
    regex_target: Option<String>,
    regexes: Vec<String>,
    stopwords: Vec<String>,
    condition: Option<String>,
}

impl Config {
    /// Parses config text. Relative paths resolve against the current directory.
    pub fn from_toml(text: &str) -> Result<Config, Error> {
        Self::parse(text, None)
    }

    /// Reads and parses a config file; relative paths in it resolve against its directory.
    /// Errors name the file.
    #[cfg(feature = "fs")]
    pub fn from_file(path: &Path) -> Result<Config, Error> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::new(crate::ErrorKind::Source, format!("cannot read config: {}", e.kind())).with_file(path)
        })?;
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut config = Self::parse(&text, Some(&base)).map_err(|e| e.with_file(path))?;
        config.file = Some(path.to_path_buf());
        Ok(config)
    }

    /// Finds the config: `explicit` (a `--config` path), else the file named by
    /// `$HUSH_CONFIG` (when set and not empty), else none. Nothing is read implicitly.
    #[cfg(feature = "fs")]
    pub fn discover(explicit: Option<&Path>) -> Result<Option<Config>, Error> {
        if let Some(path) = explicit {
            return Self::from_file(path).map(Some);
        }
        #[cfg(feature = "env")]
        if let Some(path) = std::env::var_os(CONFIG_ENV).filter(|p| !p.is_empty()) {
            return Self::from_file(Path::new(&path)).map(Some);
        }
        Ok(None)
    }

    /// The file this config was read from, if any.
    pub fn file(&self) -> Option<&Path> {
        self.file.as_deref()
    }

    fn parse(text: &str, base: Option<&Path>) -> Result<Config, Error> {
        let raw: ConfigToml = toml::from_str(text).map_err(|e| toml_error(text, &e, "config"))?;
        let resolve = |p: &str| match base {
            Some(dir) if Path::new(p).is_relative() => dir.join(p),
            _ => PathBuf::from(p),
        };
        let lines = LineIndex::new(text);
        let at = |offset: usize| lines.line(offset);

        let mask = match &raw.mask {
            // The message leaves out the value given.
            Some(m) => Some(m.get_ref().parse::<MaskStyle>().map_err(|_| {
                Error::config("unknown mask style (expected one of: redacted, label, hash, partial, fill)")
                    .with_line(at(m.span().start))
            })?),
            None => None,
        };
        let mut known_values = Vec::with_capacity(raw.known_values.len());
        for (n, v) in raw.known_values.iter().enumerate() {
            if v.get_ref().len() < MIN_KNOWN_LEN {
                return Err(Error::config(format!(
                    "known_values entry {} is shorter than {MIN_KNOWN_LEN} bytes",
                    n + 1
                ))
                .with_line(at(v.span().start)));
            }
            known_values.push(Zeroizing::new(v.get_ref().as_bytes().to_vec()));
        }
        let mut allow_regexes = Vec::new();
        for r in &raw.allow_regexes {
            parse_regex(r.get_ref())
                .map_err(|m| Error::config(format!("allow_regexes: {m}")).with_line(at(r.span().start)))?;
            allow_regexes.push(r.get_ref().clone());
        }
        if raw.rules.len() > crate::engine::MAX_RULES {
            // Checked again with the built-in and imported rules when the redactor is built.
            let limit = crate::engine::MAX_RULES;
            return Err(Error::new(crate::ErrorKind::Limit, format!("too many rules (limit {limit})")));
        }
        let mut rules = Vec::new();
        for r in &raw.rules {
            rules.push(convert_rule(r.get_ref(), at(r.span().start))?);
        }
        if raw.line_cap == Some(0) {
            return Err(Error::config("line_cap must be positive"));
        }
        Ok(Config {
            file: None,
            mask,
            hash_key_file: raw.hash_key_file.as_deref().map(resolve),
            keys: raw.keys.clone(),
            rules,
            disable: raw.disable.clone(),
            allow_values: raw.allow_values.iter().map(|v| Zeroizing::new(v.as_bytes().to_vec())).collect(),
            allow_regexes,
            known_values,
            gitleaks: raw.gitleaks.as_deref().map(resolve),
            line_cap: raw.line_cap,
            secrets_dirs: raw.secrets_dirs.iter().map(|p| resolve(p)).collect(),
            known_files: raw.known_files.iter().map(|p| resolve(p)).collect(),
            lenient: raw.lenient,
        })
    }

    /// Applies this config on top of `builder`: scalar settings replace the builder's,
    /// lists extend them. Reads the hash key file now; other files are read at build time.
    pub fn apply(&self, builder: Builder) -> Result<Builder, Error> {
        let mut b = builder;
        // Errors about a file the config names (a key file) keep that file.
        let located = |e: Error| match &self.file {
            Some(f) if e.file().is_none() => e.with_file(f),
            _ => e,
        };
        if let Some(mask) = self.mask {
            b = b.mask(mask);
        }
        if let Some(path) = &self.hash_key_file {
            b = with_hash_key_file(b, path).map_err(located)?;
        }
        b = self.apply_keys(b);
        for rule in &self.rules {
            b = b.format_rule(rule.clone());
        }
        for id in &self.disable {
            b = b.disable(id);
        }
        for v in &self.allow_values {
            b = b.allow_value(v);
        }
        for r in &self.allow_regexes {
            b = b.allow_regex(r);
        }
        for (n, v) in self.known_values.iter().enumerate() {
            b = b.known_value_named(&format!("config:{}", n + 1), v);
        }
        if let Some(cap) = self.line_cap {
            b = b.line_cap(cap);
        }
        if let Some(on) = self.lenient {
            b = b.lenient(on);
        }
        self.apply_files(b).map_err(located)
    }

    fn apply_keys(&self, mut b: Builder) -> Builder {
        let k = &self.keys;
        let lists_given = !(k.strong.is_empty() && k.weak.is_empty() && k.metadata.is_empty() && k.exclude.is_empty());
        if k.replace_defaults {
            b = b.key_rules(KeyRules::new(&k.strong, &k.weak, &k.metadata, &k.exclude));
        } else if lists_given {
            let mut rules = b.keys.clone().unwrap_or_default();
            rules.add_strong(&k.strong);
            rules.add_weak(&k.weak);
            rules.add_metadata(&k.metadata);
            rules.add_excluded(&k.exclude);
            b = b.key_rules(rules);
        }
        b.deny_keys(&k.deny).allow_keys(&k.allow)
    }

    #[cfg(feature = "fs")]
    fn apply_files(&self, mut b: Builder) -> Result<Builder, Error> {
        if let Some(path) = &self.gitleaks {
            b = b.gitleaks_file(path);
        }
        for d in &self.secrets_dirs {
            b = b.secrets_dir(d);
        }
        for f in &self.known_files {
            b = b.known_file(f);
        }
        Ok(b)
    }

    #[cfg(not(feature = "fs"))]
    fn apply_files(&self, b: Builder) -> Result<Builder, Error> {
        if self.gitleaks.is_some() || !self.secrets_dirs.is_empty() || !self.known_files.is_empty() {
            return Err(Error::config("gitleaks, secrets_dirs and known_files need the `fs` feature"));
        }
        Ok(b)
    }
}

#[cfg(feature = "fs")]
fn with_hash_key_file(b: Builder, path: &Path) -> Result<Builder, Error> {
    b.hash_key_file(path)
}

#[cfg(not(feature = "fs"))]
fn with_hash_key_file(_b: Builder, _path: &Path) -> Result<Builder, Error> {
    Err(Error::config("hash_key_file needs the `fs` feature"))
}

fn convert_rule(r: &RuleToml, line: usize) -> Result<FormatRule, Error> {
    if r.id.is_empty() {
        return Err(Error::config("[[rules]] entry without an `id`").with_line(line));
    }
    let err = |msg: String| Error::rule(&r.id, msg).with_line(line);
    if r.regex.is_empty() {
        return Err(err("`regex` is required".into()));
    }
    let hir = parse_regex(&r.regex).map_err(err)?;
    let groups = hir.properties().explicit_captures_len();
    if let Some(g) = r.secret_group.filter(|&g| g == 0 || g > groups) {
        return Err(err(format!("secret_group {g} but the regex has {groups} capture groups")));
    }
    let mut rule = FormatRule::new(&r.id, &r.regex, &[]).description(&r.description);
    rule.source = RuleSource::Config;
    rule.keywords = if r.keywords.is_empty() {
        derive_keywords(&hir).ok_or_else(|| {
            err("`keywords` is required: the regex has no literal prefix of 3 or more bytes to search for".into())
        })?
    } else {
        r.keywords.clone()
    };
    rule.secret_group = r.secret_group;
    rule.entropy = r.entropy;
    rule.max_len = r.max_len;
    for (n, a) in r.allowlists.iter().enumerate() {
        let what = format!("allowlist {}", n + 1);
        let target = match a.regex_target.as_deref() {
            None | Some("secret") => AllowTarget::Secret,
            Some("match") => AllowTarget::Match,
            Some("line") => AllowTarget::Line,
            Some(_) => {
                return Err(err(format!("{what}: `regex_target` must be secret, match or line")));
            }
        };
        let condition = match a.condition.as_deref().map(str::to_ascii_lowercase).as_deref() {
            None | Some("or") => AllowCondition::Or,
            Some("and") => AllowCondition::And,
            Some(_) => return Err(err(format!("{what}: `condition` must be or or and"))),
        };
        for re in &a.regexes {
            parse_regex(re).map_err(|m| err(format!("{what}: {m}")))?;
        }
        rule.allowlists.push(Allowlist {
            target,
            regexes: a.regexes.clone(),
            stopwords: a.stopwords.clone(),
            condition,
        });
    }
    Ok(rule)
}

#[cfg(test)]
mod tests;
