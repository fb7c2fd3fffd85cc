//! Raising the package's exception classes.
//!
//! `ConfigError(HushError, ValueError)` and `SourceError(HushError, OSError)` need multiple
//! inheritance, which extension types cannot declare, so the classes are plain Python
//! classes in `hush._errors` and are looked up here when an error is raised.

use pyo3::prelude::*;
use pyo3::types::PyType;

/// The Python exception class `hush._errors.<name>`.
fn class<'py>(py: Python<'py>, name: &str) -> PyResult<Bound<'py, PyType>> {
    Ok(py.import("hush._errors")?.getattr(name)?.cast_into::<PyType>()?)
}

fn raise(py: Python<'_>, name: &str, message: String) -> PyErr {
    match class(py, name) {
        Ok(cls) => PyErr::from_type(cls, message),
        Err(e) => e,
    }
}

/// Maps a core error to `ConfigError` or `SourceError`. Core messages never hold secrets.
pub(crate) fn from_core(py: Python<'_>, err: &hush::Error) -> PyErr {
    let name = match err.kind() {
        hush::ErrorKind::Source | hush::ErrorKind::Io => "SourceError",
        _ => "ConfigError",
    };
    raise(py, name, err.to_string())
}
