//! Environment sanitizing, on the core's `hush::env`.

use pyo3::prelude::*;

use crate::redactor::PyRedactor;

/// `(name, value)` pairs with each value redacted as bound to its name (key-aware: a
/// sensitive name masks the whole value; other values are redacted as text).
#[pyfunction]
pub(crate) fn sanitize_vars(redactor: &PyRedactor, vars: Vec<(String, String)>) -> Vec<(String, String)> {
    hush::env::sanitize_vars(vars, &redactor.get())
}

/// `(name, rule id)` for each variable whose value would be masked, in input order.
#[pyfunction]
pub(crate) fn sensitive_names(redactor: &PyRedactor, vars: Vec<(String, String)>) -> Vec<(String, String)> {
    hush::env::sensitive_names(vars, &redactor.get())
}
