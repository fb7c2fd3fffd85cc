//! The three rule families: key names, token formats and known values.

pub(crate) mod builtin;
pub(crate) mod catalog;
pub mod format;
pub mod keys;

/// Every built-in format rule (structural rules and the vendor catalogue), with its
/// examples: what `hush selftest` pushes through a configured redactor.
pub fn builtin_format_rules() -> Vec<format::FormatRule> {
    let mut rules = builtin::structural_rules();
    rules.extend(catalog::rules());
    rules
}
