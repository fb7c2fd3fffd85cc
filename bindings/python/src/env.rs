//! Environment sanitizing, on the core's `hush::env`.
//!
//! Names and values are taken as `str` objects rather than extracted as Rust `String`s:
//! `os.environ` holds lone surrogates for undecodable bytes, and a failed extraction
//! raises a `UnicodeEncodeError` that carries the whole value (see [`text::utf8`]).

use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::redactor::PyRedactor;
use crate::text;

/// A `(name, value)` pair as given.
type Var<'py> = (Bound<'py, PyString>, Bound<'py, PyString>);

/// `(name, value)` pairs with each value redacted as bound to its name (key-aware: a
/// sensitive name masks the whole value; other values are redacted as text).
#[pyfunction]
pub(crate) fn sanitize_vars<'py>(redactor: &PyRedactor, vars: Vec<Var<'py>>) -> PyResult<Vec<Var<'py>>> {
    let red = redactor.get();
    vars.into_iter()
        .map(|(name, value)| {
            let key = text::utf8(&name)?;
            let masked = text::redact_value_str(&red, &String::from_utf8_lossy(&key), &value)?;
            Ok((name, masked))
        })
        .collect()
}

/// `(name, rule id)` for each variable whose value would be masked, in input order.
#[pyfunction]
pub(crate) fn sensitive_names<'py>(
    redactor: &PyRedactor,
    vars: Vec<Var<'py>>,
) -> PyResult<Vec<(Bound<'py, PyString>, String)>> {
    let red = redactor.get();
    let mut out = Vec::new();
    for (name, value) in vars {
        let key = String::from_utf8_lossy(&text::utf8(&name)?).into_owned();
        let value = String::from_utf8_lossy(&text::utf8(&value)?).into_owned();
        if let Some((_, rule)) = hush::env::sensitive_names([(key, value)], &red).pop() {
            out.push((name, rule));
        }
    }
    Ok(out)
}
