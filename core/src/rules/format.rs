//! Format rules: secrets recognised by their shape (`ghp_…`, `AKIA…`, a JWT).
//!
//! A format rule is data: a regex, the literal keywords that must occur for it to be
//! worth running, and optional refinements (secret group, entropy floor, allowlists,
//! length cap). Built-in rules, gitleaks imports and config rules share this type.

/// Where a rule came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RuleSource {
    /// Shipped with hush.
    Builtin,
    /// Imported from a gitleaks TOML file.
    Gitleaks,
    /// Defined in the user's config.
    Config,
}

impl RuleSource {
    /// `builtin`, `gitleaks` or `config`.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleSource::Builtin => "builtin",
            RuleSource::Gitleaks => "gitleaks",
            RuleSource::Config => "config",
        }
    }
}

/// What an allowlist regex is matched against.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AllowTarget {
    /// The secret (the secret group, or the whole match).
    #[default]
    Secret,
    /// The whole regex match.
    Match,
    /// The whole line.
    Line,
}

/// How an allowlist's checks combine.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum AllowCondition {
    /// Any check that passes allows the finding.
    #[default]
    Or,
    /// All checks present must pass.
    And,
}

/// Conditions under which a match is *not* a secret (gitleaks' `[[rules.allowlists]]`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Allowlist {
    /// What `regexes` are matched against.
    pub target: AllowTarget,
    /// A match of any of these allows the finding.
    pub regexes: Vec<String>,
    /// The secret containing any of these (case-insensitively) allows the finding.
    pub stopwords: Vec<String>,
    /// How `regexes` and `stopwords` combine.
    pub condition: AllowCondition,
}

/// A secret format.
#[derive(Clone, Debug, PartialEq)]
pub struct FormatRule {
    /// Stable id, named after its source (`github-pat`, `aws-access-token`).
    pub id: String,
    /// One line saying what the rule finds.
    pub description: String,
    /// The pattern, in Rust regex syntax (ASCII classes: compiled with Unicode off).
    pub regex: String,
    /// Literals, one of which must occur near a match (matched in lower, UPPER and the
    /// given casing). Empty means "run on every line", which is slow and avoided.
    pub keywords: Vec<String>,
    /// Capture group holding the secret; the whole match when `None`.
    pub secret_group: Option<usize>,
    /// Minimum Shannon entropy (bits per byte) of the secret.
    pub entropy: Option<f64>,
    /// Matches allowed by any of these are dropped.
    pub allowlists: Vec<Allowlist>,
    /// Cap on a match's length for unbounded patterns (default 4 KiB).
    pub max_len: Option<usize>,
    /// Leading characters of the secret that are public (a vendor prefix) and are kept
    /// by the `partial` mask. Defaults to the keyword the secret starts with.
    pub public_prefix: Option<usize>,
    /// Strings that must be masked by this rule (tested for every built-in rule).
    pub examples: Vec<String>,
    /// Strings that must not be masked by this rule.
    pub counter_examples: Vec<String>,
    /// Where the rule came from.
    pub source: RuleSource,
    /// Why the rule is inactive (path-only gitleaks rules), if it is.
    pub inactive: Option<String>,
}

impl FormatRule {
    /// A rule with an id, regex and keywords; the other fields take their defaults.
    pub fn new(id: &str, regex: &str, keywords: &[&str]) -> Self {
        FormatRule {
            id: id.to_owned(),
            description: String::new(),
            regex: regex.to_owned(),
            keywords: keywords.iter().map(|k| (*k).to_owned()).collect(),
            secret_group: None,
            entropy: None,
            allowlists: Vec::new(),
            max_len: None,
            public_prefix: None,
            examples: Vec::new(),
            counter_examples: Vec::new(),
            source: RuleSource::Config,
            inactive: None,
        }
    }

    /// Sets the description.
    pub fn description(mut self, text: &str) -> Self {
        self.description = text.to_owned();
        self
    }

    /// Sets the capture group holding the secret.
    pub fn secret_group(mut self, group: usize) -> Self {
        self.secret_group = Some(group);
        self
    }

    /// Sets the minimum entropy of the secret.
    pub fn entropy(mut self, bits: f64) -> Self {
        self.entropy = Some(bits);
        self
    }

    /// Caps the match length of an unbounded pattern.
    pub fn max_len(mut self, bytes: usize) -> Self {
        self.max_len = Some(bytes);
        self
    }

    /// Sets positive and negative examples.
    pub fn examples(mut self, positive: &[&str], negative: &[&str]) -> Self {
        self.examples = positive.iter().map(|s| (*s).to_owned()).collect();
        self.counter_examples = negative.iter().map(|s| (*s).to_owned()).collect();
        self
    }
}

/// Shannon entropy of `bytes` in bits per byte.
pub fn shannon_entropy(bytes: &[u8]) -> f64 {
    if bytes.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in bytes {
        counts[usize::from(b)] += 1;
    }
    let n = bytes.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entropy() {
        assert_eq!(shannon_entropy(b"aaaa"), 0.0);
        assert!((shannon_entropy(b"abcd") - 2.0).abs() < 1e-9);
        assert!(shannon_entropy(b"ghp_Zq3xV9kLm2Rt8YwBn4Hc7Jd1Fs6Ga0Pe5Ui") > 4.0);
    }
}
