//! Redacting `logging.LogRecord`s: the hot path behind `hush.logging.RedactingFilter` and
//! the record factory that `hush.install()` sets.
//!
//! Per record: the message is rendered with its `args` and redacted; when a secret was
//! masked the record carries the redacted text as `msg` with empty `args` (otherwise it
//! is left untouched, so handlers that group by the message template keep working).
//! `exc_text` is rendered from `exc_info` when absent, then redacted; `stack_info` and
//! string extras (attributes outside the standard set) are redacted, extras key-aware.

use std::borrow::Cow;

use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyFloat, PyFrozenSet, PyInt, PyString, PyTuple, PyType};

use crate::redactor::PyRedactor;
use crate::text;

/// What is computed once per interpreter about `logging`.
struct LoggingInfo {
    /// `logging.LogRecord`: records of exactly this type render with `msg % args`.
    record_type: Py<PyType>,
    /// Attribute names of a standard record (plus those formatters add).
    standard: Py<PyFrozenSet>,
    /// Number of attributes of a fresh record: a record with no more has no extras.
    base_len: usize,
    /// A default `logging.Formatter`, to render tracebacks.
    formatter: Py<PyAny>,
}

static LOGGING: PyOnceLock<LoggingInfo> = PyOnceLock::new();

fn logging_info(py: Python<'_>) -> PyResult<&LoggingInfo> {
    LOGGING.get_or_try_init(py, || {
        let logging = py.import("logging")?;
        let record_type = logging.getattr("LogRecord")?.cast_into::<PyType>()?;
        let sample = record_type.call1(("", 0, "", 0, "", PyTuple::empty(py), py.None()))?;
        let dict = sample.getattr("__dict__")?.cast_into::<PyDict>()?;
        let base_len = dict.len();
        let names: Vec<Bound<'_, PyAny>> = dict.keys().iter().collect();
        let mut all = names;
        for extra in ["message", "asctime", "taskName"] {
            all.push(PyString::new(py, extra).into_any());
        }
        let standard = PyFrozenSet::new(py, &all)?;
        let formatter = logging.getattr("Formatter")?.call0()?;
        Ok(LoggingInfo {
            record_type: record_type.unbind(),
            standard: standard.unbind(),
            base_len,
            formatter: formatter.unbind(),
        })
    })
}

/// `msg % args` as UTF-8 bytes, built in Rust, for the common record: exactly a
/// `LogRecord`, a `str` template whose only conversions are `%s`, `%d` and `%%`, and a
/// tuple of as many arguments, each a `str`, `int` or `float` (exact types, whose `str()`
/// has no side effect and is what `%s` writes; `%d` takes only an `int`). Returns None for
/// anything else (flags, widths, mapping keys, other types, a count mismatch, no args):
/// `RecordRedactor::render` then uses Python's own formatting, errors included.
///
/// Rendering this way skips a temporary `str`: when nothing is masked (most records), no
/// Python object is made at all.
fn render_plain(info: &LoggingInfo, record: &Bound<'_, PyAny>, dict: &Bound<'_, PyDict>) -> PyResult<Option<Vec<u8>>> {
    let py = record.py();
    if !record.get_type().is(info.record_type.bind(py)) {
        return Ok(None);
    }
    let (Some(msg), Some(args)) = (dict.get_item(intern!(py, "msg"))?, dict.get_item(intern!(py, "args"))?) else {
        return Ok(None);
    };
    let (Ok(msg), Ok(args)) = (msg.cast_exact::<PyString>(), args.cast_exact::<PyTuple>()) else {
        return Ok(None);
    };
    if args.is_empty() {
        return Ok(None);
    }
    let template = text::utf8(msg)?;
    let mut out = Vec::with_capacity(template.len() + 16 * args.len());
    let mut args_iter = args.iter_borrowed();
    let mut rest: &[u8] = &template;
    while let Some(pos) = rest.iter().position(|&b| b == b'%') {
        out.extend_from_slice(&rest[..pos]);
        let conversion = rest.get(pos + 1).copied();
        rest = rest.get(pos + 2..).unwrap_or_default();
        if conversion == Some(b'%') {
            out.push(b'%');
            continue;
        }
        let Some(arg) = args_iter.next() else {
            return Ok(None);
        };
        let plain = match conversion {
            Some(b's') => {
                arg.is_exact_instance_of::<PyString>()
                    || arg.is_exact_instance_of::<PyInt>()
                    || arg.is_exact_instance_of::<PyFloat>()
            }
            Some(b'd') => arg.is_exact_instance_of::<PyInt>(),
            _ => false,
        };
        if !plain {
            return Ok(None);
        }
        if let Ok(arg) = arg.cast_exact::<PyString>() {
            out.extend_from_slice(&text::utf8(&arg)?);
            continue;
        }
        // `str()` of a huge int can fail (the digit limit): Python's formatting reports it.
        let Ok(arg) = arg.str() else {
            return Ok(None);
        };
        out.extend_from_slice(&text::utf8(&arg)?);
    }
    if args_iter.next().is_some() {
        return Ok(None);
    }
    out.extend_from_slice(rest);
    Ok(Some(out))
}

/// `text`, or `<unprintable T object>` when `str()`/`repr()` of `obj` failed (an int past
/// the digit limit, a raising `__str__`): the record is already unformattable, and the
/// filter must not raise into the code that logs.
fn printable<'py>(obj: &Bound<'py, PyAny>, text: PyResult<Bound<'py, PyString>>) -> Bound<'py, PyString> {
    text.unwrap_or_else(|_| {
        let name = obj.get_type().name().map(|n| n.to_string()).unwrap_or_default();
        PyString::new(obj.py(), &format!("<unprintable {name} object>"))
    })
}

/// Redacts log records in place; a `logging.Filter` when subclassed in Python
/// (`hush.logging.RedactingFilter`).
#[pyclass(module = "hush._hush", frozen, subclass)]
pub(crate) struct RecordRedactor {
    redactor: Py<PyRedactor>,
}

impl RecordRedactor {
    /// The rendered message (`record.getMessage()`), computed without a Python frame for
    /// plain records.
    fn render<'py>(
        &self,
        info: &LoggingInfo,
        record: &Bound<'py, PyAny>,
        dict: &Bound<'py, PyDict>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = record.py();
        if !record.get_type().is(info.record_type.bind(py)) {
            return record.call_method0(intern!(py, "getMessage"));
        }
        let msg = match dict.get_item(intern!(py, "msg"))? {
            Some(m) if m.is_exact_instance_of::<PyString>() => m,
            Some(m) => m.str()?.into_any(),
            None => return record.call_method0(intern!(py, "getMessage")),
        };
        match dict.get_item(intern!(py, "args"))? {
            Some(args) if args.is_truthy()? => msg.rem(args),
            _ => Ok(msg),
        }
    }

    /// Redacts the rendered message; when a secret was masked, `msg` becomes the redacted
    /// text and `args` empty.
    fn redact_message(
        &self,
        red: &hush::Redactor,
        info: &LoggingInfo,
        record: &Bound<'_, PyAny>,
        dict: &Bound<'_, PyDict>,
    ) -> PyResult<()> {
        let py = record.py();
        if let Some(rendered) = render_plain(info, record, dict)? {
            if let Cow::Owned(out) = text::run(py, &rendered, |b| red.redact(b)) {
                dict.set_item(intern!(py, "msg"), text::to_str(py, &out))?;
                dict.set_item(intern!(py, "args"), PyTuple::empty(py))?;
            }
            return Ok(());
        }
        match self.render(info, record, dict) {
            Ok(message) => {
                let message = match message.cast_into::<PyString>() {
                    Ok(s) => s,
                    Err(e) => e.into_inner().str()?,
                };
                let redacted = text::redact_str(red, &message)?;
                if !redacted.is(&message) {
                    dict.set_item(intern!(py, "msg"), redacted)?;
                    dict.set_item(intern!(py, "args"), PyTuple::empty(py))?;
                }
                Ok(())
            }
            // The handler will fail to format too and print `msg` and `args` through
            // `handleError`: make sure what it prints is redacted.
            Err(_) => self.redact_unformattable(red, dict),
        }
    }

    /// Redacts message, traceback and stack; extras too when `extras` is set.
    fn redact_in_place(&self, record: &Bound<'_, PyAny>, extras: bool) -> PyResult<()> {
        let py = record.py();
        let info = logging_info(py)?;
        let red = self.redactor.get().get();
        let dict = record.getattr(intern!(py, "__dict__"))?.cast_into::<PyDict>()?;
        self.redact_message(&red, info, record, &dict)?;

        if let Some(exc_info) = dict.get_item(intern!(py, "exc_info"))?
            && exc_info.is_truthy()?
        {
            let exc_text = match dict.get_item(intern!(py, "exc_text"))? {
                Some(t) if t.is_truthy()? => t,
                _ => info.formatter.bind(py).call_method1(intern!(py, "formatException"), (exc_info,))?,
            };
            if let Ok(s) = exc_text.cast::<PyString>() {
                dict.set_item(intern!(py, "exc_text"), text::redact_str(&red, s)?)?;
            }
        }
        if let Some(stack) = dict.get_item(intern!(py, "stack_info"))?
            && let Ok(s) = stack.cast::<PyString>()
        {
            let redacted = text::redact_str(&red, s)?;
            if !redacted.is(s) {
                dict.set_item(intern!(py, "stack_info"), redacted)?;
            }
        }
        if extras && dict.len() > info.base_len {
            self.redact_extras_of(&red, info, &dict)?;
        }
        Ok(())
    }

    fn redact_unformattable(&self, red: &hush::Redactor, dict: &Bound<'_, PyDict>) -> PyResult<()> {
        let py = dict.py();
        if let Some(msg) = dict.get_item(intern!(py, "msg"))? {
            dict.set_item(intern!(py, "msg"), text::redact_str(red, &printable(&msg, msg.str()))?)?;
        }
        if let Some(args) = dict.get_item(intern!(py, "args"))? {
            if let Ok(tuple) = args.cast::<PyTuple>() {
                let reprs = tuple
                    .iter()
                    .map(|a| text::redact_str(red, &printable(&a, a.repr())))
                    .collect::<PyResult<Vec<_>>>()?;
                dict.set_item(intern!(py, "args"), PyTuple::new(py, reprs)?)?;
            } else {
                dict.set_item(intern!(py, "args"), (text::redact_str(red, &printable(&args, args.repr()))?,))?;
            }
        }
        Ok(())
    }

    fn redact_extras_of(&self, red: &hush::Redactor, info: &LoggingInfo, dict: &Bound<'_, PyDict>) -> PyResult<()> {
        let py = dict.py();
        let standard = info.standard.bind(py);
        // Collect first: the dict must not change while it is iterated.
        let mut changed = Vec::new();
        for (key, value) in dict.iter() {
            let Ok(value) = value.cast::<PyString>() else {
                continue;
            };
            if standard.contains(&key)? {
                continue;
            }
            let Ok(name) = key.cast::<PyString>() else {
                continue;
            };
            let redacted = text::redact_value_str(red, &name.to_cow()?, value)?;
            if !redacted.is(value) {
                changed.push((key.clone(), redacted));
            }
        }
        for (key, value) in changed {
            dict.set_item(key, value)?;
        }
        Ok(())
    }
}

#[pymethods]
impl RecordRedactor {
    #[new]
    fn new(redactor: Py<PyRedactor>) -> Self {
        RecordRedactor { redactor }
    }

    /// The redactor in use.
    #[getter]
    fn redactor(&self, py: Python<'_>) -> Py<PyRedactor> {
        self.redactor.clone_ref(py)
    }

    /// `logging.Filter.filter`: redacts the record in place and keeps it.
    fn filter(&self, record: &Bound<'_, PyAny>) -> PyResult<bool> {
        self.redact_in_place(record, true)?;
        Ok(true)
    }

    /// Redacts message, traceback, stack and string extras of `record` in place.
    fn redact_record(&self, record: &Bound<'_, PyAny>) -> PyResult<()> {
        self.redact_in_place(record, true)
    }

    /// Redacts only the string extras of `record` (key-aware).
    fn redact_extras(&self, record: &Bound<'_, PyAny>) -> PyResult<()> {
        let py = record.py();
        let info = logging_info(py)?;
        let dict = record.getattr(intern!(py, "__dict__"))?.cast_into::<PyDict>()?;
        if dict.len() > info.base_len {
            self.redact_extras_of(&self.redactor.get().get(), info, &dict)?;
        }
        Ok(())
    }
}

/// A log record factory (`logging.setLogRecordFactory`) that calls the previous factory
/// and redacts the record it made. Extras are added after the factory runs, so they are
/// handled by `hush.install()`'s `Logger.makeRecord` wrapper.
#[pyclass(module = "hush._hush", frozen)]
pub(crate) struct RecordFactory {
    previous: Py<PyAny>,
    redactor: Py<RecordRedactor>,
}

#[pymethods]
impl RecordFactory {
    #[new]
    fn new(previous: Py<PyAny>, redactor: Py<RecordRedactor>) -> Self {
        RecordFactory { previous, redactor }
    }

    /// The factory this one wraps.
    #[getter]
    fn previous(&self, py: Python<'_>) -> Py<PyAny> {
        self.previous.clone_ref(py)
    }

    /// The record redactor in use.
    #[getter]
    fn record_redactor(&self, py: Python<'_>) -> Py<RecordRedactor> {
        self.redactor.clone_ref(py)
    }

    #[pyo3(signature = (*args, **kwargs))]
    fn __call__<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let record = self.previous.bind(py).call(args, kwargs)?;
        self.redactor.get().redact_in_place(&record, false)?;
        Ok(record)
    }
}
