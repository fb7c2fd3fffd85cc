//! Known values: the real secrets, given explicitly or loaded from secret files and the
//! environment, matched verbatim and in encoded forms.

use std::fmt;
use std::path::PathBuf;

use zeroize::Zeroizing;

/// A known secret with the rule id that names its source (never the value).
#[derive(Clone)]
pub struct KnownValue {
    pub(crate) rule: String,
    pub(crate) value: Zeroizing<Vec<u8>>,
    pub(crate) explicit: bool,
}

impl fmt::Debug for KnownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KnownValue({}, {} bytes)", self.rule, self.value.len())
    }
}

impl KnownValue {
    pub(crate) fn new(rule: String, value: &[u8], explicit: bool) -> Self {
        KnownValue { rule, value: Zeroizing::new(value.to_vec()), explicit }
    }

    pub(crate) fn is_api(&self) -> bool {
        self.rule.starts_with("known:api:")
    }

    /// The rule id, such as `known:file:db_password`.
    pub fn rule_id(&self) -> &str {
        &self.rule
    }
}

/// Where known values are loaded from when the redactor is built (and re-read on reload).
#[derive(Clone, Debug, Default)]
pub(crate) struct KnownSources {
    pub(crate) secrets_dirs: Vec<PathBuf>,
    pub(crate) known_files: Vec<PathBuf>,
    pub(crate) defaults: bool,
}

/// Minimum length of a known value.
pub(crate) const MIN_KNOWN_LEN: usize = 6;

/// The forms of `value` to search for: the value itself (more come with encodings).
pub(crate) fn encoded_forms(value: &[u8]) -> Vec<Vec<u8>> {
    vec![value.to_vec()]
}

/// Values loaded from sources, with warnings naming skipped sources (never values).
#[derive(Default)]
pub(crate) struct Loaded {
    pub(crate) values: Vec<KnownValue>,
    pub(crate) warnings: Vec<String>,
}

/// Loads known values from the configured sources.
pub(crate) fn load(sources: &KnownSources, _keys: &crate::KeyRules) -> Result<Loaded, crate::Error> {
    let _ = sources;
    Ok(Loaded::default())
}

/// The span to mask for a known-value hit at `s..e`: the hit itself (base64 forms extend
/// to the enclosing base64 token).
pub(crate) fn enclosing_run(_line: &[u8], s: usize, e: usize) -> (usize, usize) {
    (s, e)
}
