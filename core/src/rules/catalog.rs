//! The built-in catalogue of vendor token formats.

use super::format::FormatRule;

/// The vendor token rules.
pub(crate) fn rules() -> Vec<FormatRule> {
    Vec::new()
}
