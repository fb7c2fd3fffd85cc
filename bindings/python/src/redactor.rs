//! `hush.Redactor` and the small value classes it returns.

use std::borrow::Cow;
use std::path::PathBuf;
use std::sync::RwLock;

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyString};

use crate::errors;
use crate::stream::PyRedactStream;
use crate::text::{self, CodePoints};

/// A secret given to `known=`: text or bytes.
#[derive(FromPyObject)]
enum Secret {
    Text(String),
    Bytes(Vec<u8>),
}

impl Secret {
    fn as_bytes(&self) -> &[u8] {
        match self {
            Secret::Text(s) => s.as_bytes(),
            Secret::Bytes(b) => b,
        }
    }
}

/// A compiled redactor. Immutable between reloads, shared safely across threads.
#[pyclass(name = "Redactor", module = "hush", frozen, subclass)]
pub(crate) struct PyRedactor {
    // A reload swaps the whole redactor; readers clone the cheap `Arc` handle.
    inner: RwLock<hush::Redactor>,
}

impl PyRedactor {
    pub(crate) fn from_core(red: hush::Redactor) -> Self {
        PyRedactor { inner: RwLock::new(red) }
    }

    /// The current redactor (a cheap handle).
    pub(crate) fn get(&self) -> hush::Redactor {
        self.inner.read().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

fn parse_mask(py: Python<'_>, mask: &str) -> PyResult<hush::MaskStyle> {
    mask.parse().map_err(|e: hush::Error| errors::from_core(py, &e))
}

#[pymethods]
impl PyRedactor {
    /// Builds a redactor; `config` is the path of a TOML config file.
    #[new]
    #[pyo3(signature = (config=None, *, secrets_dirs=None, known=None, default_sources=true, mask=None, hash_key_file=None))]
    fn new(
        py: Python<'_>,
        config: Option<PathBuf>,
        secrets_dirs: Option<Vec<PathBuf>>,
        known: Option<Vec<Secret>>,
        default_sources: bool,
        mask: Option<&str>,
        hash_key_file: Option<PathBuf>,
    ) -> PyResult<Self> {
        let mut builder = hush::Redactor::builder();
        if let Some(path) = &config {
            // Relative paths inside the config resolve against its directory.
            let parsed = hush::config::Config::from_file(path).map_err(|e| errors::from_core(py, &e))?;
            builder = builder.config(&parsed).map_err(|e| errors::from_core(py, &e))?;
        }
        // Keyword arguments override the config file.
        if let Some(mask) = mask {
            builder = builder.mask(parse_mask(py, mask)?);
        }
        if let Some(path) = &hash_key_file {
            builder = builder.hash_key_file(path).map_err(|e| errors::from_core(py, &e))?;
        }
        builder = builder.default_sources(default_sources);
        for dir in secrets_dirs.unwrap_or_default() {
            builder = builder.secrets_dir(dir);
        }
        for secret in known.unwrap_or_default() {
            builder = builder.known_value(secret.as_bytes());
        }
        let red = py.detach(|| builder.build()).map_err(|e| errors::from_core(py, &e))?;
        Ok(PyRedactor::from_core(red))
    }

    /// Builds a redactor from TOML config text (without the default sources).
    #[staticmethod]
    fn from_toml(py: Python<'_>, text: &str) -> PyResult<Self> {
        let red = hush::Redactor::from_toml(text).map_err(|e| errors::from_core(py, &e))?;
        Ok(PyRedactor::from_core(red))
    }

    /// Redacts text. Returns the same object when nothing was masked.
    fn redact<'py>(&self, text: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyString>> {
        let text = text.cast::<PyString>().map_err(|_| {
            PyTypeError::new_err(format!(
                "redact() takes str, not {} (use redact_bytes for bytes)",
                text.get_type().name().map(|n| n.to_string()).unwrap_or_default()
            ))
        })?;
        text::redact_str(&self.get(), text)
    }

    /// Redacts bytes (any encoding; non-UTF-8 bytes pass through). Returns the same
    /// object when nothing was masked.
    fn redact_bytes<'py>(&self, data: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyBytes>> {
        let red = self.get();
        if let Ok(bytes) = data.cast::<PyBytes>() {
            return Ok(text::redact_bytes(&red, bytes));
        }
        if let Ok(array) = data.cast::<PyByteArray>() {
            let owned = array.to_vec();
            let out = text::run(data.py(), &owned, |b| red.redact(b));
            return Ok(PyBytes::new(data.py(), &out));
        }
        Err(PyTypeError::new_err("redact_bytes() takes bytes or bytearray (use redact for str)"))
    }

    /// Redacts JSON text: keys at any depth act as key names; the result is valid JSON.
    fn redact_json<'py>(&self, text: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyString>> {
        let py = text.py();
        let red = self.get();
        let utf8 = text::utf8(text)?;
        let out = text::run(py, &utf8, |b| red.redact_json(b)).map_err(|e| PyValueError::new_err(e.to_string()))?;
        Ok(match out {
            Cow::Borrowed(_) => text.clone(),
            Cow::Owned(bytes) => text::to_str(py, &bytes),
        })
    }

    /// Finds secrets without rewriting. Offsets are code points for `str` input (so
    /// `text[f.start:f.end]` is the masked span) and bytes for `bytes` input.
    fn scan(&self, py: Python<'_>, text: &Bound<'_, PyAny>) -> PyResult<Vec<PyFinding>> {
        let red = self.get();
        if let Ok(bytes) = text.cast::<PyBytes>() {
            let found = text::run(py, bytes.as_bytes(), |b| red.scan(b));
            return Ok(found.iter().map(|f| PyFinding::new(f, f.start, f.end)).collect());
        }
        let s = text.cast::<PyString>().map_err(|_| PyTypeError::new_err("scan() takes str or bytes"))?;
        let utf8 = text::utf8(s)?;
        let bytes: &[u8] = &utf8;
        let mut found = text::run(py, bytes, |b| red.scan(b));
        found.sort_by_key(|f| f.start);
        let mut cp = CodePoints::new(bytes);
        Ok(found
            .iter()
            .map(|f| {
                let start = cp.at(f.start);
                let end = cp.at(f.end);
                PyFinding::new(f, start, end)
            })
            .collect())
    }

    /// An incremental redactor writing into `sink` (anything with `write`), or into an
    /// internal buffer read with `read()` when `sink` is None.
    #[pyo3(signature = (sink=None))]
    fn stream(&self, sink: Option<Py<PyAny>>) -> PyRedactStream {
        PyRedactStream::new(&self.get(), sink)
    }

    /// Every rule: format rules, key rules and known-value sources, active or not.
    fn rules(&self) -> Vec<PyRuleInfo> {
        self.get().rules().into_iter().map(PyRuleInfo::from).collect()
    }

    /// Rebuilds from the same configuration and sources, re-reading secret files. Values
    /// known before stay known. On error the redactor keeps its current rules.
    fn reload(&self, py: Python<'_>) -> PyResult<()> {
        let current = self.get();
        let fresh = py.detach(|| current.reload()).map_err(|e| errors::from_core(py, &e))?;
        *self.inner.write().unwrap_or_else(|e| e.into_inner()) = fresh;
        Ok(())
    }

    /// The rule id that makes `name` a sensitive key name, or None.
    fn key_rule(&self, name: &Bound<'_, PyString>) -> PyResult<Option<String>> {
        let name = text::utf8(name)?;
        Ok(self.get().key_rule(&String::from_utf8_lossy(&name)).map(|r| r.as_str().to_owned()))
    }

    /// Redacts `value` as the value of `key`: wholly masked when the key is sensitive,
    /// otherwise redacted as text. Returns the same object when unchanged.
    fn redact_value<'py>(
        &self,
        key: &Bound<'_, PyString>,
        value: &Bound<'py, PyString>,
    ) -> PyResult<Bound<'py, PyString>> {
        let key = text::utf8(key)?;
        text::redact_value_str(&self.get(), &String::from_utf8_lossy(&key), value)
    }

    /// The mask style name.
    #[getter]
    fn mask(&self) -> &'static str {
        self.get().mask_style().as_str()
    }

    /// Warnings from building (skipped sources or rules); never contain secrets.
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.get().warnings().to_vec()
    }

    fn __repr__(&self) -> String {
        let red = self.get();
        let active = red.rules().iter().filter(|r| r.active).count();
        format!("Redactor(mask='{}', active_rules={active})", red.mask_style().as_str())
    }
}

/// One masked span: rule, kind and offsets. Never holds or shows the secret.
#[pyclass(name = "Finding", module = "hush", frozen, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub(crate) struct PyFinding {
    /// The rule that matched, such as `key:password`.
    #[pyo3(get)]
    rule_id: String,
    /// `key`, `format` or `known`.
    #[pyo3(get)]
    kind: &'static str,
    /// Start offset (inclusive).
    #[pyo3(get)]
    start: usize,
    /// End offset (exclusive).
    #[pyo3(get)]
    end: usize,
    /// True when the match reached a length cap (masked up to it).
    #[pyo3(get)]
    truncated: bool,
}

impl PyFinding {
    fn new(f: &hush::Finding, start: usize, end: usize) -> Self {
        PyFinding { rule_id: f.rule.as_str().to_owned(), kind: f.kind.as_str(), start, end, truncated: f.truncated }
    }
}

#[pymethods]
impl PyFinding {
    fn __repr__(&self) -> String {
        format!("Finding(rule_id='{}', kind='{}', start={}, end={})", self.rule_id, self.kind, self.start, self.end)
    }
}

/// A rule as listed by `Redactor.rules()`.
#[pyclass(name = "RuleInfo", module = "hush", frozen)]
pub(crate) struct PyRuleInfo {
    /// Rule id.
    #[pyo3(get)]
    id: String,
    /// `key`, `format` or `known`.
    #[pyo3(get)]
    kind: &'static str,
    /// What the rule finds.
    #[pyo3(get)]
    description: String,
    /// Longest match in bytes (None for inactive rules).
    #[pyo3(get)]
    bound: Option<usize>,
    /// `builtin`, `gitleaks`, `config` or `known`.
    #[pyo3(get)]
    source: String,
    /// Whether the rule runs.
    #[pyo3(get)]
    active: bool,
    /// Why not, or what covers it.
    #[pyo3(get)]
    reason: Option<String>,
}

impl From<hush::RuleInfo> for PyRuleInfo {
    fn from(r: hush::RuleInfo) -> Self {
        PyRuleInfo {
            id: r.id,
            kind: r.kind.as_str(),
            description: r.description,
            bound: r.bound,
            source: r.source,
            active: r.active,
            reason: r.reason,
        }
    }
}

#[pymethods]
impl PyRuleInfo {
    fn __repr__(&self) -> String {
        format!(
            "RuleInfo(id='{}', kind='{}', source='{}', active={})",
            self.id,
            self.kind,
            self.source,
            if self.active { "True" } else { "False" }
        )
    }
}
