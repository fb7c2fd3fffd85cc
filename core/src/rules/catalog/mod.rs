//! The built-in catalogue of vendor token formats.
//!
//! Each rule is a row of a static table ([`Spec`]), grouped by vendor family in the
//! submodules, and named after its source: the gitleaks rule id where gitleaks has the
//! rule, otherwise the vendor's own name for the credential.
//!
//! How the engine runs a rule shapes how the rows are written:
//!
//! * **Keywords** are literals that occur inside every match (`ghp_`, `AKIA`, `xoxb-`).
//!   One Aho-Corasick pass finds them (as given, lower-case and UPPER-case); the regex
//!   runs only on a window of the line around a hit.
//! * **Every repetition is bounded** (`{n,m}`, never `+` or `*`): the window is the
//!   regex's maximum match length on each side of the keyword.
//! * **Boundaries**: a token inside a longer identifier is not a token. `\b` is used
//!   where the token's characters are word characters; where they include `-`, `.` or
//!   `/`, a consuming tail such as `(?:[^\w-]|$)` ends the token and the secret is the
//!   capture group.
//! * **Key context**: shapes without a distinctive prefix (a 40-character AWS secret
//!   key, a Twilio auth token, a Heroku key that looks like a UUID) are matched only
//!   after a vendor-specific name, and only the value is masked (`secret_group`).
//! * **Entropy gating** drops placeholders such as `AKIAXXXXXXXXXXXXXXXX`.
//!
//! Public material (certificates, public keys, fingerprints, digests, UUIDs, Stripe
//! publishable keys and object ids, Twilio account SIDs) is never matched; the tests in
//! `core/tests/catalog.rs` and the conformance corpus hold a negative case for each.
//!
//! Many rules are adapted from [gitleaks](https://github.com/gitleaks/gitleaks)
//! (MIT License, Copyright (c) 2019 Zachary Rice); see the `NOTICE` file at the root of
//! the repository.

mod ai;
mod chat;
mod cloud;
mod commerce;
mod infra;
mod monitoring;
mod packages;
mod vcs;

use super::format::{FormatRule, RuleSource};

/// One catalogue row: a [`FormatRule`] as static data.
pub(super) struct Spec {
    /// Rule id, named after its source.
    pub id: &'static str,
    /// What the rule finds.
    pub description: &'static str,
    /// The pattern (ASCII classes; every repetition bounded).
    pub regex: &'static str,
    /// Literals, one of which occurs in every match.
    pub keywords: &'static [&'static str],
    /// Capture group holding the secret (the whole match when `None`).
    pub secret_group: Option<usize>,
    /// Minimum Shannon entropy of the secret, in bits per byte.
    pub entropy: Option<f64>,
    /// Public leading bytes of the secret kept by the `partial` mask, when the keyword
    /// the secret starts with is not the right prefix.
    pub public_prefix: Option<usize>,
    /// Texts the rule must mask.
    pub examples: &'static [&'static str],
    /// Near misses the rule must leave alone.
    pub counter_examples: &'static [&'static str],
}

impl Spec {
    /// Defaults for the optional fields, for `..Spec::DEFAULT`.
    pub const DEFAULT: Spec = Spec {
        id: "",
        description: "",
        regex: "",
        keywords: &[],
        secret_group: None,
        entropy: None,
        public_prefix: None,
        examples: &[],
        counter_examples: &[],
    };

    fn to_rule(&self) -> FormatRule {
        let mut rule = FormatRule::new(self.id, self.regex, self.keywords)
            .description(self.description)
            .examples(self.examples, self.counter_examples);
        rule.secret_group = self.secret_group;
        rule.entropy = self.entropy;
        rule.public_prefix = self.public_prefix;
        rule.source = RuleSource::Builtin;
        rule
    }
}

/// `name <assignment> value` between a key name and its value, in the syntaxes logs
/// and configs use: `K=V`, `K: V`, `"k": "v"`, `k => 'v'`, `K := V`.
macro_rules! assign {
    () => {
        r#"["']?[ \t]{0,3}(?:=>|:=|=|:)[ \t]{0,3}["']?"#
    };
}
pub(crate) use assign;

/// Every catalogue row.
fn specs() -> impl Iterator<Item = &'static Spec> {
    [
        cloud::RULES,
        vcs::RULES,
        chat::RULES,
        commerce::RULES,
        monitoring::RULES,
        packages::RULES,
        infra::RULES,
        ai::RULES,
    ]
    .into_iter()
    .flatten()
}

/// The vendor token rules.
pub(crate) fn rules() -> Vec<FormatRule> {
    specs().map(Spec::to_rule).collect()
}

/// The catalogue's own copy of `rule`'s pattern when `rule` is an unmodified catalogue
/// rule: such a pattern is known to compile, so the engine may compile it on first use.
pub(crate) fn static_pattern(rule: &FormatRule) -> Option<&'static str> {
    if rule.source != RuleSource::Builtin {
        return None;
    }
    specs().find(|s| s.id == rule.id && s.regex == rule.regex).map(|s| s.regex)
}
