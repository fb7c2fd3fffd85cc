//! Import of gitleaks TOML rule files.

use crate::{Error, FormatRule};

/// Rules imported from one gitleaks file.
pub(crate) struct Imported {
    pub(crate) rules: Vec<FormatRule>,
    pub(crate) warnings: Vec<String>,
}

/// Parses gitleaks TOML text into format rules.
pub(crate) fn import(_text: &str, _lenient: bool) -> Result<Imported, Error> {
    Err(Error::config("gitleaks import is not available yet"))
}
