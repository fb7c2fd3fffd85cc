//! Environment sanitizing: each variable's value redacted as bound to its name.

use pyo3::prelude::*;

use crate::redactor::PyRedactor;

/// `(name, value)` pairs with each value redacted as bound to its name (key-aware: a
/// sensitive name masks the whole value; other values are redacted as text).
#[pyfunction]
pub(crate) fn sanitize_vars(
    redactor: &PyRedactor,
    vars: Vec<(String, String)>,
) -> Vec<(String, String)> {
    let red = redactor.get();
    vars.into_iter()
        .map(|(name, value)| {
            let clean =
                String::from_utf8_lossy(&red.redact_value(&name, value.as_bytes())).into_owned();
            (name, clean)
        })
        .collect()
}

/// `(name, rule id)` for each variable whose value would be masked, in input order.
#[pyfunction]
pub(crate) fn sensitive_names(
    redactor: &PyRedactor,
    vars: Vec<(String, String)>,
) -> Vec<(String, String)> {
    let red = redactor.get();
    vars.into_iter()
        .filter_map(|(name, value)| {
            let (_, finding) = red.redact_value_with_rule(&name, value.as_bytes());
            finding.map(|f| (name, f.rule.as_str().to_owned()))
        })
        .collect()
}
