//! `hush._hush`: the compiled half of the `hush` Python package.
//!
//! The pure-Python facade (`python/hush/`) re-exports these classes and adds the logging,
//! structlog and loguru integrations; everything on a per-record hot path lives here.

mod env;
mod errors;
mod make_record;
mod records;
mod redactor;
mod stream;
mod text;

use pyo3::prelude::*;

/// The extension module.
#[pymodule]
fn _hush(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<redactor::PyRedactor>()?;
    m.add_class::<redactor::PyFinding>()?;
    m.add_class::<redactor::PyRuleInfo>()?;
    m.add_class::<stream::PyRedactStream>()?;
    m.add_class::<stream::PyReport>()?;
    m.add_class::<records::RecordRedactor>()?;
    records::add_filter_method(m.py())?;
    m.add_class::<records::RecordFactory>()?;
    m.add_function(wrap_pyfunction!(make_record::make_record_method, m)?)?;
    m.add_function(wrap_pyfunction!(env::sanitize_vars, m)?)?;
    m.add_function(wrap_pyfunction!(env::sensitive_names, m)?)?;
    m.add("CATALOG_VERSION", hush::CATALOG_VERSION)?;
    m.add("DETACH_MIN_BYTES", text::DETACH_MIN_BYTES)?;
    Ok(())
}
