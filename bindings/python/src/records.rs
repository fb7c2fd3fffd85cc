//! Redacting `logging.LogRecord`s: the hot path behind `hush.logging.RedactingFilter` and
//! the record factory that `hush.install()` sets.
//!
//! Per record: the message is rendered with its `args` and redacted; when a secret was
//! masked the record carries the redacted text as `msg` with empty `args` (otherwise it
//! is left untouched, so handlers that group by the message template keep working).
//! `exc_text` is rendered from `exc_info` when absent, then redacted; `stack_info` and
//! string extras (attributes outside the standard set) are redacted, extras key-aware.
//!
//! A record of exactly `logging.LogRecord` is read and written through its attributes,
//! not its `__dict__`: on CPython 3.11 and 3.12 fetching `__dict__` turns the record's
//! inline attribute values into a dict, and every later attribute access of the logging
//! code (the handler, the formatter) goes through a slower path for the rest of the
//! record's life, about 3,000 instructions per record (more than the redaction itself).
//! Whether such a record may have extras is told without `__dict__` too (see [`Layout`]).

use std::borrow::Cow;
use std::cell::Cell;
use std::ffi::{c_int, c_void};

use pyo3::ffi;
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
    /// How a fresh record shows through its traversal; None where that cannot be relied on.
    layout: Option<Layout>,
    /// `LogRecord.__init__` when it is `logging`'s own (a function of `logging`'s namespace,
    /// so it sets `msg`, `args`, `exc_info` and `stack_info` from its arguments); None when
    /// something replaced it before hush first ran.
    init: Option<Py<PyAny>>,
    /// `LogRecord.__dict__`, a live view of the class namespace, where a replaced
    /// `__init__` shows (one dict lookup, against two type lookups for the attribute).
    namespace: Py<PyAny>,
}

/// Most objects a probe collects: more than any `LogRecord` has attributes.
const PROBE_VISITS: usize = 64;

/// How a fresh `LogRecord` shows through its type's `tp_traverse` (what
/// `gc.get_referents` lists), found by probing at start-up. On CPython 3.11+ a record
/// whose `__dict__` was never fetched keeps its attributes as inline values, and the
/// traversal visits each value and then the type; a record with a dict (3.9, 3.10, or
/// 3.11 and 3.12 after `__dict__`) visits the dict instead.
///
/// So a record whose traversal visits as many objects as a fresh one's has as many
/// attributes: exactly what the `__dict__` length test of the extras pass checks
/// ([`LoggingInfo::base_len`]), told without fetching `__dict__`.
struct Layout {
    /// The type's `tp_traverse`.
    traverse: ffi::traverseproc,
    /// Objects a fresh record's traversal visits: its attributes, then its type.
    visits: usize,
}

/// Counts the objects a traversal visits, stopping once past `limit`.
struct Count {
    seen: usize,
    limit: usize,
}

/// `visitproc` of [`Count`].
unsafe extern "C" fn count_visit(_obj: *mut ffi::PyObject, arg: *mut c_void) -> c_int {
    // SAFETY: `arg` is the `Count` that `Layout::fresh_size` passes, alive for the call.
    let count = unsafe { &mut *arg.cast::<Count>() };
    count.seen += 1;
    c_int::from(count.seen > count.limit)
}

/// The objects a probe's traversal visited (borrowed pointers, compared only).
struct Collect {
    seen: Vec<*mut ffi::PyObject>,
}

/// `visitproc` of [`Collect`]; stops at [`PROBE_VISITS`].
unsafe extern "C" fn collect_visit(obj: *mut ffi::PyObject, arg: *mut c_void) -> c_int {
    // SAFETY: `arg` is the `Collect` that `Layout::collect` passes, alive for the call.
    let collect = unsafe { &mut *arg.cast::<Collect>() };
    collect.seen.push(obj);
    c_int::from(collect.seen.len() >= PROBE_VISITS)
}

impl Layout {
    /// Probes fresh records of `record_type`; None unless each behaves as described.
    fn probe(py: Python<'_>, record_type: &Bound<'_, PyType>) -> PyResult<Option<Layout>> {
        // SAFETY: `record_type` is a live type object; a heap type (a Python class) has
        // its slots readable through `PyType_GetSlot` on every supported version.
        let slot = unsafe { ffi::PyType_GetSlot(record_type.as_ptr().cast(), ffi::Py_tp_traverse) };
        if slot.is_null() {
            return Ok(None);
        }
        // SAFETY: the `Py_tp_traverse` slot holds a `traverseproc`.
        let traverse: ffi::traverseproc = unsafe { std::mem::transmute(slot) };
        let fresh = || record_type.call1(("", 0, "", 0, "", PyTuple::empty(py), py.None()));
        // The attribute values from one record's `__dict__`, the traversal of another
        // (fetching `__dict__` changes what is traversed).
        let named = fresh()?;
        let names: Vec<Bound<'_, PyAny>> = named.getattr("__dict__")?.cast_into::<PyDict>()?.keys().iter().collect();
        let layout = Layout { traverse, visits: names.len() + 1 };
        let record = fresh()?;
        let seen = layout.collect(&record);
        if seen.len() != layout.visits || seen[names.len()] != record_type.as_ptr() {
            return Ok(None);
        }
        for (name, &value) in names.iter().zip(&seen) {
            if record.getattr(name.cast::<PyString>()?)?.as_ptr() != value {
                return Ok(None);
            }
        }
        // One more attribute, set as an attribute or through `__dict__` (as `extra=`
        // is), must change the count.
        let with_attr = fresh()?;
        with_attr.setattr("hush_probe", "x")?;
        let with_item = fresh()?;
        with_item.getattr("__dict__")?.set_item("hush_probe", "x")?;
        if layout.fresh_size(&with_attr) || layout.fresh_size(&with_item) {
            return Ok(None);
        }
        Ok(Some(layout))
    }

    fn collect(&self, record: &Bound<'_, PyAny>) -> Vec<*mut ffi::PyObject> {
        let mut collect = Collect { seen: Vec::with_capacity(PROBE_VISITS) };
        // SAFETY: as in `fresh_size`.
        unsafe { (self.traverse)(record.as_ptr(), collect_visit, (&raw mut collect).cast()) };
        collect.seen
    }

    /// Does `record` (exactly a `LogRecord`) have as many attributes as a fresh one?
    fn fresh_size(&self, record: &Bound<'_, PyAny>) -> bool {
        let mut count = Count { seen: 0, limit: self.visits };
        // SAFETY: `traverse` is the `tp_traverse` of the record's type (the callers check
        // the type), called with the GIL held as `gc.get_referents` does; the visitor
        // only counts, into `count`, which outlives the call.
        unsafe { (self.traverse)(record.as_ptr(), count_visit, (&raw mut count).cast()) };
        count.seen == self.visits
    }
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
        let layout = Layout::probe(py, &record_type)?;
        let init = record_type.getattr("__init__")?;
        let own_init = init.getattr_opt("__globals__")?.is_some_and(|g| g.is(logging.dict()))
            && init.getattr_opt("__qualname__")?.is_some_and(|q| q.eq("LogRecord.__init__").unwrap_or(false));
        Ok(LoggingInfo {
            layout,
            init: own_init.then(|| init.unbind()),
            namespace: record_type.getattr("__dict__")?.unbind(),
            record_type: record_type.unbind(),
            standard: standard.unbind(),
            base_len,
            formatter: formatter.unbind(),
        })
    })
}

thread_local! {
    /// The buffer [`render_plain`] renders into, kept between records of a thread so that
    /// a record costs no allocation (taken out while in use, so a nested use makes its own).
    static RENDERED: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

/// Capacity up to which [`RENDERED`] is kept after a record (a long message's is freed).
const RENDERED_KEEP: usize = 16 * 1024;

/// A record's attributes, reached through its `__dict__` or as attributes.
struct Record<'a, 'py> {
    obj: &'a Bound<'py, PyAny>,
    /// The `__dict__` of a record that is not exactly a `LogRecord`, which is what
    /// `logging` itself reads and writes (a subclass may define properties).
    dict: Option<Bound<'py, PyDict>>,
    /// The record's type looks attributes up with `object`'s own `__getattribute__`
    /// (`LogRecord` defines neither it nor `__getattr__`, unless something added them), so
    /// [`Record::get`] calls that directly rather than through the type's slot.
    generic: bool,
}

impl<'py> Record<'_, 'py> {
    fn get(&self, name: &Bound<'py, PyString>) -> PyResult<Option<Bound<'py, PyAny>>> {
        match &self.dict {
            Some(dict) => dict.get_item(name),
            None if self.generic => {
                let py = self.obj.py();
                // SAFETY: `obj` and `name` are live; the type's `tp_getattro` is this very
                // function (see `generic`), so this is the lookup `getattr` would make.
                match unsafe {
                    Bound::from_owned_ptr_or_opt(py, ffi::PyObject_GenericGetAttr(self.obj.as_ptr(), name.as_ptr()))
                } {
                    Some(value) => Ok(Some(value)),
                    None => match PyErr::take(py) {
                        // As `getattr_opt` tells a missing attribute (below 3.13).
                        Some(err) if err.get_type(py).is(py.get_type::<pyo3::exceptions::PyAttributeError>()) => {
                            Ok(None)
                        }
                        Some(err) => Err(err),
                        None => Ok(None),
                    },
                }
            }
            None => self.obj.getattr_opt(name),
        }
    }

    fn set(&self, name: &Bound<'py, PyString>, value: impl IntoPyObject<'py>) -> PyResult<()> {
        match &self.dict {
            Some(dict) => dict.set_item(name, value),
            None => self.obj.setattr(name, value),
        }
    }
}

/// The attributes every record is read for, as they were on entry.
struct Fields<'py> {
    msg: Option<Bound<'py, PyAny>>,
    args: Option<Bound<'py, PyAny>>,
    exc_info: Option<Bound<'py, PyAny>>,
    stack_info: Option<Bound<'py, PyAny>>,
}

/// `msg % args` as UTF-8 bytes, built in Rust, for the common record: exactly a
/// `LogRecord`, a `str` template whose only conversions are `%s`, `%d` and `%%`, and a
/// tuple of as many arguments, each a `str`, `int` or `float` (exact types, whose `str()`
/// has no side effect and is what `%s` writes; `%d` takes only an `int`). Returns None for
/// anything else (flags, widths, mapping keys, other types, a count mismatch, no args):
/// `RecordRedactor::render` then uses Python's own formatting, errors included.
///
/// Rendering this way skips a temporary `str`: when nothing is masked (most records), no
/// Python object is made at all. The bytes are appended to `out` (a reused buffer, see
/// [`RENDERED`]), which holds a partial message when this returns false or fails.
fn render_plain(exact: bool, fields: &Fields<'_>, out: &mut Vec<u8>) -> PyResult<bool> {
    if !exact {
        return Ok(false);
    }
    let (Some(msg), Some(args)) = (&fields.msg, &fields.args) else {
        return Ok(false);
    };
    let (Ok(msg), Ok(args)) = (msg.cast_exact::<PyString>(), args.cast_exact::<PyTuple>()) else {
        return Ok(false);
    };
    if args.is_empty() {
        return Ok(false);
    }
    let template = text::utf8(msg)?;
    out.reserve(template.len() + 16 * args.len());
    let mut args_iter = args.iter_borrowed();
    let mut rest: &[u8] = &template;
    while let Some(pos) = find_percent(rest) {
        out.extend_from_slice(&rest[..pos]);
        let conversion = rest.get(pos + 1).copied();
        rest = rest.get(pos + 2..).unwrap_or_default();
        if conversion == Some(b'%') {
            out.push(b'%');
            continue;
        }
        let Some(arg) = args_iter.next() else {
            return Ok(false);
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
            return Ok(false);
        }
        if let Ok(arg) = arg.cast_exact::<PyString>() {
            out.extend_from_slice(&text::utf8(&arg)?);
            continue;
        }
        // `str()` of a huge int can fail (the digit limit): Python's formatting reports it.
        let Ok(arg) = arg.str() else {
            return Ok(false);
        };
        out.extend_from_slice(&text::utf8(&arg)?);
    }
    if args_iter.next().is_some() {
        return Ok(false);
    }
    out.extend_from_slice(rest);
    Ok(true)
}

/// The fields of `record`, just made by `factory(*args)`, when they are known without
/// reading them: `factory` is `LogRecord`, `record` is exactly a `LogRecord`, and
/// `LogRecord.__init__` is `logging`'s own (checked on each call: it may be replaced at any
/// time), which sets `msg`, `exc_info` and `stack_info` to its arguments and `args` too,
/// unless it is a 1-tuple holding a mapping (`args[0]` then): so `args` is read back from
/// the record unless it is a tuple of another length or whose item is a `str`, `int`,
/// `float` or None (exact types, never a mapping).
fn made_fields<'py>(
    py: Python<'py>,
    factory: &Bound<'py, PyAny>,
    record: &Bound<'py, PyAny>,
    args: [&Bound<'py, PyAny>; 9],
) -> PyResult<Option<Fields<'py>>> {
    let info = logging_info(py)?;
    let record_type = info.record_type.bind(py);
    let Some(init) = &info.init else {
        return Ok(None);
    };
    if !factory.is(record_type)
        || record.get_type_ptr() != record_type.as_type_ptr()
        || !info.namespace.bind(py).get_item(intern!(py, "__init__")).is_ok_and(|i| i.is(init))
    {
        return Ok(None);
    }
    let [_, _, _, _, msg, rec_args, exc_info, _, sinfo] = args;
    let args_kept = rec_args.cast_exact::<PyTuple>().is_ok_and(|t| {
        t.len() != 1
            || t.get_borrowed_item(0).is_ok_and(|a| {
                a.is_exact_instance_of::<PyString>()
                    || a.is_exact_instance_of::<PyInt>()
                    || a.is_exact_instance_of::<PyFloat>()
                    || a.is_none()
            })
    });
    Ok(Some(Fields {
        msg: Some(msg.clone()),
        args: if args_kept { Some(rec_args.clone()) } else { record.getattr_opt(intern!(py, "args"))? },
        exc_info: Some(exc_info.clone()),
        stack_info: Some(sinfo.clone()),
    }))
}

/// The position of the first `%` in `bytes`.
fn find_percent(bytes: &[u8]) -> Option<usize> {
    memchr::memchr(b'%', bytes)
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
        exact: bool,
        record: &Bound<'py, PyAny>,
        fields: &Fields<'py>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = record.py();
        if !exact {
            return record.call_method0(intern!(py, "getMessage"));
        }
        let msg = match &fields.msg {
            Some(m) if m.is_exact_instance_of::<PyString>() => m.clone(),
            Some(m) => m.str()?.into_any(),
            None => return record.call_method0(intern!(py, "getMessage")),
        };
        match &fields.args {
            Some(args) if args.is_truthy()? => msg.rem(args),
            _ => Ok(msg),
        }
    }

    /// Redacts the rendered message; when a secret was masked, `msg` becomes the redacted
    /// text and `args` empty.
    fn redact_message(
        &self,
        red: &hush::Redactor,
        exact: bool,
        record: &Record<'_, '_>,
        fields: &Fields<'_>,
    ) -> PyResult<()> {
        let py = record.obj.py();
        let mut rendered = RENDERED.take();
        let done = match render_plain(exact, fields, &mut rendered) {
            Ok(true) => Some(match text::run(py, &rendered, |b| red.redact(b)) {
                Cow::Owned(out) => record
                    .set(intern!(py, "msg"), text::to_str(py, &out))
                    .and_then(|()| record.set(intern!(py, "args"), PyTuple::empty(py))),
                Cow::Borrowed(_) => Ok(()),
            }),
            Ok(false) => None,
            Err(e) => Some(Err(e)),
        };
        // The message may hold a secret: it does not stay in the buffer.
        rendered.fill(0);
        rendered.clear();
        if rendered.capacity() <= RENDERED_KEEP {
            RENDERED.set(rendered);
        }
        if let Some(done) = done {
            return done;
        }
        match self.render(exact, record.obj, fields) {
            Ok(message) => {
                let message = match message.cast_into::<PyString>() {
                    Ok(s) => s,
                    Err(e) => e.into_inner().str()?,
                };
                let redacted = text::redact_str(red, &message)?;
                if !redacted.is(&message) {
                    record.set(intern!(py, "msg"), redacted)?;
                    record.set(intern!(py, "args"), PyTuple::empty(py))?;
                }
                Ok(())
            }
            // The handler will fail to format too and print `msg` and `args` through
            // `handleError`: make sure what it prints is redacted.
            Err(_) => self.redact_unformattable(red, record, fields),
        }
    }

    /// Redacts message, traceback and stack; extras too when `extras` is set.
    pub(crate) fn redact_in_place(&self, obj: &Bound<'_, PyAny>, extras: bool) -> PyResult<()> {
        self.redact_known(obj, extras, None)
    }

    /// [`Self::redact_in_place`], with the four fields already known when `known` is set
    /// (only for a record of exactly `LogRecord`, see [`made_fields`]).
    fn redact_known<'py>(&self, obj: &Bound<'py, PyAny>, extras: bool, known: Option<Fields<'py>>) -> PyResult<()> {
        let py = obj.py();
        let info = logging_info(py)?;
        let red = self.redactor.get().get();
        let exact = obj.get_type_ptr() == info.record_type.bind(py).as_type_ptr();
        let dict = if exact { None } else { Some(obj.getattr(intern!(py, "__dict__"))?.cast_into::<PyDict>()?) };
        // SAFETY: a `LogRecord` is a heap type, whose slots `PyType_GetSlot` reads on every
        // supported version; only the pointer is compared.
        let generic = exact
            && unsafe { ffi::PyType_GetSlot(obj.get_type_ptr(), ffi::Py_tp_getattro) }
                == ffi::PyObject_GenericGetAttr as *mut c_void;
        let record = Record { obj, dict, generic };
        let fields = match known {
            Some(fields) if exact => fields,
            _ => Fields {
                msg: record.get(intern!(py, "msg"))?,
                args: record.get(intern!(py, "args"))?,
                exc_info: record.get(intern!(py, "exc_info"))?,
                stack_info: record.get(intern!(py, "stack_info"))?,
            },
        };
        // Whether there may be extras is decided before anything on the record changes.
        let extras = extras
            && match (&record.dict, &info.layout) {
                (None, Some(layout)) => !layout.fresh_size(obj),
                _ => true,
            };
        self.redact_message(&red, exact, &record, &fields)?;

        if let Some(exc_info) = &fields.exc_info
            && !exc_info.is_none()
            && exc_info.is_truthy()?
        {
            let exc_text = match record.get(intern!(py, "exc_text"))? {
                Some(t) if t.is_truthy()? => t,
                _ => info.formatter.bind(py).call_method1(intern!(py, "formatException"), (exc_info,))?,
            };
            if let Ok(s) = exc_text.cast::<PyString>() {
                record.set(intern!(py, "exc_text"), text::redact_str(&red, s)?)?;
            }
        }
        if let Some(stack) = &fields.stack_info
            && !stack.is_none()
            && let Ok(s) = stack.cast::<PyString>()
        {
            let redacted = text::redact_str(&red, s)?;
            if !redacted.is(s) {
                record.set(intern!(py, "stack_info"), redacted)?;
            }
        }
        if extras {
            let dict = match record.dict {
                Some(dict) => dict,
                None => obj.getattr(intern!(py, "__dict__"))?.cast_into::<PyDict>()?,
            };
            if dict.len() > info.base_len {
                self.redact_extras_of(&red, info, &dict)?;
            }
        }
        Ok(())
    }

    fn redact_unformattable(&self, red: &hush::Redactor, record: &Record<'_, '_>, fields: &Fields<'_>) -> PyResult<()> {
        let py = record.obj.py();
        if let Some(msg) = &fields.msg {
            record.set(intern!(py, "msg"), text::redact_str(red, &printable(msg, msg.str()))?)?;
        }
        if let Some(args) = &fields.args {
            if let Ok(tuple) = args.cast::<PyTuple>() {
                let reprs = tuple
                    .iter()
                    .map(|a| text::redact_str(red, &printable(&a, a.repr())))
                    .collect::<PyResult<Vec<_>>>()?;
                record.set(intern!(py, "args"), PyTuple::new(py, reprs)?)?;
            } else {
                record.set(intern!(py, "args"), (text::redact_str(red, &printable(args, args.repr()))?,))?;
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

/// `RecordRedactor.filter(record, /)`, `logging.Filter.filter`: redacts the record in
/// place and keeps it. It is a `METH_O` method, added by [`add_filter_method`] rather than
/// through `#[pymethods]`: pyo3 builds methods with `abi3-py39` as `METH_VARARGS |
/// METH_KEYWORDS`, whose call packs the record into an argument tuple and unpacks it
/// again: about 500 instructions of the 6,100 a filtered record added (callgrind).
unsafe extern "C" fn filter_o(slf: *mut ffi::PyObject, record: *mut ffi::PyObject) -> *mut ffi::PyObject {
    // SAFETY: CPython calls a method with the GIL held, `slf` and `record` borrowed for
    // the call.
    let py = unsafe { Python::assume_attached() };
    let (slf, record) = unsafe { (Bound::from_borrowed_ptr(py, slf), Bound::from_borrowed_ptr(py, record)) };
    // SAFETY: CPython checks that `self` is an instance of the type the method descriptor
    // was made for (`RecordRedactor`, see `add_filter_method`) before calling it, bound or
    // not, so the subclass check `cast` would make again is skipped.
    let slf = unsafe { slf.cast_unchecked::<RecordRedactor>() };
    let run = std::panic::AssertUnwindSafe(|| -> PyResult<()> { slf.get().redact_in_place(&record, true) });
    let err = match std::panic::catch_unwind(run) {
        Ok(Ok(())) => return pyo3::types::PyBool::new(py, true).to_owned().into_ptr(),
        Ok(Err(err)) => err,
        // No panic message: it could quote the record.
        Err(_) => pyo3::panic::PanicException::new_err("hush panicked while redacting a log record"),
    };
    err.restore(py);
    std::ptr::null_mut()
}

/// Adds [`filter_o`] to the `RecordRedactor` type as its `filter` method.
pub(crate) fn add_filter_method(py: Python<'_>) -> PyResult<()> {
    let ty = py.get_type::<RecordRedactor>();
    // The definition must outlive the type: one per interpreter, left for its lifetime.
    let def = Box::leak(Box::new(ffi::PyMethodDef {
        ml_name: c"filter".as_ptr(),
        ml_meth: ffi::PyMethodDefPointer { PyCFunction: filter_o },
        ml_flags: ffi::METH_O,
        ml_doc: c"filter($self, record, /)\n--\n\n`logging.Filter.filter`: redacts the record in place and keeps it."
            .as_ptr(),
    }));
    // SAFETY: `ty` is a live type object and `def` is never freed.
    let descr = unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyDescr_NewMethod(ty.as_ptr().cast(), def))? };
    ty.setattr(intern!(py, "filter"), descr)
}

/// A log record factory (`logging.setLogRecordFactory`) that calls the previous factory
/// and redacts the record it made. Extras are added after the factory runs, so they are
/// handled by the `Logger.makeRecord` that `hush.install()` sets (`crate::make_record`).
#[pyclass(module = "hush._hush", frozen)]
pub(crate) struct RecordFactory {
    previous: Py<PyAny>,
    redactor: Py<RecordRedactor>,
}

impl RecordFactory {
    /// What a call does: a record from the previous factory, redacted but for extras.
    /// When the previous factory is `LogRecord` itself, the fields are taken from the
    /// arguments rather than read back from the record (see [`made_fields`]).
    pub(crate) fn make<'py>(&self, py: Python<'py>, args: [&Bound<'py, PyAny>; 9]) -> PyResult<Bound<'py, PyAny>> {
        let previous = self.previous.bind(py);
        let record = crate::make_record::call9(previous, args)?;
        let known = made_fields(py, previous, &record, args)?;
        self.redactor.get().redact_known(&record, false, known)?;
        Ok(record)
    }

    /// Redacts the string extras of `record` (key-aware).
    pub(crate) fn redact_extras_of(&self, record: &Bound<'_, PyAny>) -> PyResult<()> {
        self.redactor.get().redact_extras(record)
    }
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

#[cfg(test)]
mod tests {
    use super::find_percent;

    #[test]
    fn find_percent_finds_the_first_percent_at_every_position() {
        // Bytes one bit away from '%' (0x24 '$', 0x26 '&'), high bytes and NUL around it.
        for fill in [b'a', b'$', b'&', 0xA5, 0x80, 0x00] {
            for len in 0..40 {
                let none = vec![fill; len];
                assert_eq!(find_percent(&none), None, "fill {fill:#x} len {len}");
                for first in 0..len {
                    let mut bytes = none.clone();
                    bytes[first] = b'%';
                    if first + 1 < len {
                        bytes[len - 1] = b'%';
                    }
                    assert_eq!(find_percent(&bytes), Some(first), "fill {fill:#x} len {len}");
                }
            }
        }
    }
}
