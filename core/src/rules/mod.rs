//! The three rule families: key names, token formats and known values.

pub(crate) mod builtin;
pub(crate) mod catalog;
pub mod format;
pub mod keys;

use format::FormatRule;

/// Every built-in format rule: the structural rules (PEM private keys, JWTs, HTTP
/// credentials) followed by the vendor token catalogue (AWS, GitHub, Stripe, Slack and
/// 70-odd more).
///
/// These are the rules a default [`Redactor`](crate::Redactor) runs. Each carries
/// `examples` it must mask and `counter_examples` (near misses) it must leave alone,
/// which the test suite checks for every rule; front ends use the list to show the
/// catalogue.
///
/// ```
/// let rules = hush::rules::builtin_format_rules();
/// assert!(rules.iter().any(|r| r.id == "github-pat"));
/// assert!(rules.iter().all(|r| !r.examples.is_empty()));
/// ```
pub fn builtin_format_rules() -> Vec<FormatRule> {
    let mut rules = builtin::structural_rules();
    rules.extend(catalog::rules());
    rules
}
