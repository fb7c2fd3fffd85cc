//! `logging.Logger.makeRecord` while `hush.install()` is in effect: one native method in
//! place of the Python wrapper the facade used to set (a Python frame per record, around
//! the original `makeRecord` frame and the record factory's call).
//!
//! `install()` sets the record factory (which redacts every record made) and this method,
//! because extras are set on the record after the factory returns, in `makeRecord`. For the
//! call `Logger._log` makes (positional arguments only) on `logging`'s own `makeRecord`, the
//! method does what that `makeRecord` does, without its frame: it calls the current factory
//! (`logging._logRecordFactory`, read on each call like `makeRecord` does), or, when that is
//! still hush's, the factory hush wraps and then the redaction, directly; then it sets the
//! extras as `makeRecord` does (same checks, same `KeyError`) and redacts them. Any other
//! call (keywords, a wrong count) or a `makeRecord` replaced by someone else before
//! `install()` is passed to the replaced function and only its extras are redacted, as the
//! wrapper did.
//!
//! The method is a `METH_FASTCALL | METH_KEYWORDS` method descriptor (a Python function's
//! own call is cheap, but a frame for a wrapper costs more than the work it does), made once
//! and set on `logging.Logger` by the facade; `uninstall()` puts the replaced function back.
//! A method descriptor carries no data of its own, so what `install()` gives it lives in
//! [`STATE`].

use std::ffi::c_int;
use std::ptr;
use std::sync::atomic::{AtomicPtr, Ordering};

use pyo3::Borrowed;
use pyo3::exceptions::PyKeyError;
use pyo3::ffi;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString, PyTuple};

use crate::records::RecordFactory;

/// What the method needs from `install()`.
#[pyclass(module = "hush._hush", frozen)]
struct MakeRecordState {
    /// The `makeRecord` replaced (`logging.Logger.makeRecord` before `install()`).
    original: Py<PyAny>,
    /// `original` is `logging`'s own `Logger.makeRecord`, so the method may do its work.
    own: bool,
    /// The record factory `install()` set; None after `uninstall()` (a method descriptor
    /// still referenced then makes records as `makeRecord` does, without redaction).
    factory: Option<Py<RecordFactory>>,
    /// `logging`'s module namespace (`makeRecord`'s globals).
    globals: Py<PyDict>,
    /// `("message", "asctime")`: the names `makeRecord` refuses as extras.
    reserved: Py<PyTuple>,
}

/// The current [`MakeRecordState`] (a strong reference), null before the first `install()`.
/// Replaced and read with the GIL held only, so a reader that takes its own reference
/// before releasing the GIL keeps a state alive however `install()` changes it meanwhile.
/// (The module is built for the stable ABI, which free-threaded CPython does not load.)
static STATE: AtomicPtr<ffi::PyObject> = AtomicPtr::new(ptr::null_mut());

/// The method descriptor, made once per interpreter.
static METHOD: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// `METH_FASTCALL`: in the stable ABI from 3.10 (pyo3 declares it for 3.10+ only under
/// `abi3`), but the same convention and value in every CPython since 3.7, 3.9 included.
const METH_FASTCALL: c_int = 0x0080;

/// A `METH_FASTCALL | METH_KEYWORDS` function.
type FastWithKeywords = unsafe extern "C" fn(
    *mut ffi::PyObject,
    *const *mut ffi::PyObject,
    ffi::Py_ssize_t,
    *mut ffi::PyObject,
) -> *mut ffi::PyObject;

/// Number of parameters of `makeRecord` after `self`, and how many are required.
const PARAMS: usize = 10;
const REQUIRED: usize = 7;
/// Index of `extra` among the parameters after `self`.
const EXTRA: usize = 8;

/// `makeRecord($self, name, level, fn, lno, msg, args, exc_info, func=None, extra=None,
/// sinfo=None)`, see the module documentation.
unsafe extern "C" fn make_record_fastcall(
    slf: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    // SAFETY: CPython calls a method with the GIL held; `slf` and the `nargs` positional
    // then `len(kwnames)` keyword values at `args` are borrowed for the call.
    let py = unsafe { Python::assume_attached() };
    let nargs = usize::try_from(nargs).unwrap_or(0);
    let nkw = if kwnames.is_null() { 0 } else { unsafe { ffi::PyTuple_Size(kwnames) }.max(0) as usize };
    let values: &[*mut ffi::PyObject] =
        if nargs + nkw == 0 { &[] } else { unsafe { std::slice::from_raw_parts(args, nargs + nkw) } };
    let slf = unsafe { Bound::from_borrowed_ptr(py, slf) };
    let kwnames = unsafe { Bound::from_borrowed_ptr_or_opt(py, kwnames) };
    let run = std::panic::AssertUnwindSafe(|| make_record(py, &slf, values, nargs, kwnames.as_ref()));
    let err = match std::panic::catch_unwind(run) {
        Ok(Ok(record)) => return record.into_ptr(),
        Ok(Err(err)) => err,
        // No panic message: it could quote the record.
        Err(_) => pyo3::panic::PanicException::new_err("hush panicked while making a log record"),
    };
    err.restore(py);
    ptr::null_mut()
}

fn state(py: Python<'_>) -> PyResult<Bound<'_, MakeRecordState>> {
    let state = STATE.load(Ordering::Acquire);
    if state.is_null() {
        return Err(pyo3::exceptions::PyRuntimeError::new_err("hush: makeRecord called before install()"));
    }
    // SAFETY: `STATE` holds a strong reference to a `MakeRecordState`, replaced only with
    // the GIL held, which this thread holds until the new reference is taken.
    Ok(unsafe { Bound::from_borrowed_ptr(py, state).cast_into_unchecked() })
}

fn make_record<'py>(
    py: Python<'py>,
    slf: &Bound<'py, PyAny>,
    values: &[*mut ffi::PyObject],
    nargs: usize,
    kwnames: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let state = state(py)?;
    let state = state.get();
    if state.own && kwnames.is_none() && (REQUIRED..=PARAMS).contains(&nargs) {
        let globals = state.globals.bind(py);
        if let Some(factory) = globals.get_item(intern!(py, "_logRecordFactory"))? {
            // Borrowed, without a reference of our own each: `values` holds references alive
            // for the call, and None (a missing optional argument) lives forever.
            // SAFETY: every pointer is a live object (see above).
            let arg =
                |i: usize| unsafe { Borrowed::from_ptr(py, values.get(i).copied().unwrap_or_else(|| ffi::Py_None())) };
            let all: [Borrowed<'_, 'py, PyAny>; PARAMS] = std::array::from_fn(arg);
            let [name, level, fn_, lno, msg, args, exc_info, func, extra, sinfo] = &all;
            let factory_args = [&**name, &**level, &**fn_, &**lno, &**msg, &**args, &**exc_info, &**func, &**sinfo];
            let ours = state.factory.as_ref().filter(|f| f.as_any().is(&factory)).map(|f| f.get());
            let record = match ours {
                Some(ours) => ours.make(py, factory_args)?,
                None => call9(&factory, factory_args)?,
            };
            if !extra.is_none() {
                set_extras(state, &record, extra)?;
                if let Some(factory) = &state.factory
                    && extra.is_truthy()?
                {
                    factory.get().redact_extras_of(&record)?;
                }
            }
            return Ok(record);
        }
    }
    // Anything else goes to the replaced function: its errors, its work.
    let mut positional = Vec::with_capacity(nargs + 1);
    positional.push(slf.clone());
    // SAFETY: as above.
    positional.extend(values[..nargs].iter().map(|&p| unsafe { Bound::from_borrowed_ptr(py, p) }));
    let mut extra = positional.get(EXTRA + 1).cloned();
    let kwargs = match kwnames {
        None => None,
        Some(names) => {
            let kwargs = PyDict::new(py);
            for (name, &value) in names.cast::<PyTuple>()?.iter().zip(&values[nargs..]) {
                // SAFETY: as above.
                let value = unsafe { Bound::from_borrowed_ptr(py, value) };
                if name.cast::<PyString>().is_ok_and(|n| n.to_cow().is_ok_and(|n| n == "extra")) {
                    extra = Some(value.clone());
                }
                kwargs.set_item(name, value)?;
            }
            Some(kwargs)
        }
    };
    let record = state.original.bind(py).call(PyTuple::new(py, positional)?, kwargs.as_ref())?;
    if let (Some(factory), Some(extra)) = (&state.factory, extra)
        && extra.is_truthy()?
    {
        factory.get().redact_extras_of(&record)?;
    }
    Ok(record)
}

/// `callable(*args)` with the 9 arguments of a record factory, without an argument tuple
/// (`PyObject_CallFunctionObjArgs` passes them on as a vectorcall).
pub(crate) fn call9<'py>(callable: &Bound<'py, PyAny>, a: [&Bound<'py, PyAny>; 9]) -> PyResult<Bound<'py, PyAny>> {
    // SAFETY: every argument is a live object; the list ends with NULL as the call requires.
    unsafe {
        let out = ffi::PyObject_CallFunctionObjArgs(
            callable.as_ptr(),
            a[0].as_ptr(),
            a[1].as_ptr(),
            a[2].as_ptr(),
            a[3].as_ptr(),
            a[4].as_ptr(),
            a[5].as_ptr(),
            a[6].as_ptr(),
            a[7].as_ptr(),
            a[8].as_ptr(),
            ptr::null_mut::<ffi::PyObject>(),
        );
        Bound::from_owned_ptr_or_err(callable.py(), out)
    }
}

/// `makeRecord`'s extras loop:
///
/// ```python
/// for key in extra:
///     if (key in ["message", "asctime"]) or (key in rv.__dict__):
///         raise KeyError("Attempt to overwrite %r in LogRecord" % key)
///     rv.__dict__[key] = extra[key]
/// ```
fn set_extras(state: &MakeRecordState, record: &Bound<'_, PyAny>, extra: &Bound<'_, PyAny>) -> PyResult<()> {
    let py = record.py();
    let reserved = state.reserved.bind(py);
    // The same dict on every iteration (an item named `__dict__` does not shadow the
    // attribute): fetched once.
    let dict = record.getattr(intern!(py, "__dict__"))?;
    for key in extra.try_iter()? {
        let key = key?;
        if reserved.contains(&key)? || dict.contains(&key)? {
            let text = intern!(py, "Attempt to overwrite %r in LogRecord").rem(&key)?;
            return Err(PyKeyError::new_err(text.unbind()));
        }
        // `a[b] = c` evaluates `c` first.
        let value = extra.get_item(&key)?;
        dict.set_item(&key, value)?;
    }
    Ok(())
}

/// Is `original` `logging`'s own `Logger.makeRecord` (a function of `logging`'s namespace,
/// with its name and defaults), whose work the method may do itself?
fn is_loggings_own(original: &Bound<'_, PyAny>, globals: &Bound<'_, PyDict>) -> PyResult<bool> {
    let py = original.py();
    let function_type = py.import("types")?.getattr("FunctionType")?;
    if !original.get_type().is(&function_type) || !original.getattr("__globals__")?.is(globals) {
        return Ok(false);
    }
    let none3 = PyTuple::new(py, [py.None(), py.None(), py.None()])?;
    let code = original.getattr("__code__")?;
    Ok(original.getattr("__qualname__")?.eq("Logger.makeRecord")?
        && code.getattr("co_name")?.eq("makeRecord")?
        && code.getattr("co_argcount")?.eq(PARAMS + 1)?
        && code.getattr("co_kwonlyargcount")?.eq(0)?
        && code.getattr("co_flags")?.extract::<c_int>()? & 0x0C == 0 // no *args, **kwargs
        && original.getattr("__defaults__")?.eq(none3)?
        && original.getattr("__kwdefaults__")?.is_none())
}

/// `make_record_method(original, factory, /)`: the native `makeRecord` for `install()` to
/// set on `logging.Logger` in place of `original`, redacting through `factory` (None: stop
/// redacting, for `uninstall()`).
#[pyfunction]
pub(crate) fn make_record_method<'py>(
    py: Python<'py>,
    original: Bound<'py, PyAny>,
    factory: Option<Py<RecordFactory>>,
) -> PyResult<Bound<'py, PyAny>> {
    let method = METHOD.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        // The definition must outlive the descriptor: one per interpreter, never freed.
        let fastcall: FastWithKeywords = make_record_fastcall;
        let def = Box::leak(Box::new(ffi::PyMethodDef {
            ml_name: c"makeRecord".as_ptr(),
            // SAFETY: CPython calls `ml_meth` with the signature its flags name, here
            // `METH_FASTCALL | METH_KEYWORDS`; the union only stores the pointer.
            ml_meth: ffi::PyMethodDefPointer {
                PyCFunction: unsafe { std::mem::transmute::<FastWithKeywords, ffi::PyCFunction>(fastcall) },
            },
            ml_flags: METH_FASTCALL | ffi::METH_KEYWORDS,
            ml_doc: c"makeRecord($self, name, level, fn, lno, msg, args, exc_info, func=None, extra=None, sinfo=None)\n--\n\n`logging.Logger.makeRecord` while `hush.install()` is in effect: the record it makes is redacted, extras included."
                .as_ptr(),
        }));
        // The descriptor is bound to `object`, so that like a Python function it accepts any
        // `self` (`makeRecord` never uses it).
        // SAFETY: `PyBaseObject_Type` is static and `def` is never freed.
        let descr = unsafe { ffi::PyDescr_NewMethod(ptr::addr_of_mut!(ffi::PyBaseObject_Type), def) };
        Ok(unsafe { Bound::from_owned_ptr_or_err(py, descr)? }.unbind())
    })?;
    let method = method.bind(py);
    // A `makeRecord` that is this method already (set by an `install()` whose state the
    // facade lost, say on a reload): the function it replaced is the one to keep.
    let original = if original.is(method) { state(py)?.get().original.clone_ref(py).into_bound(py) } else { original };
    let globals = py.import("logging")?.dict();
    let own = is_loggings_own(&original, &globals)?;
    let state = MakeRecordState {
        original: original.unbind(),
        own,
        factory,
        globals: globals.unbind(),
        reserved: PyTuple::new(py, ["message", "asctime"])?.unbind(),
    };
    let new = Bound::new(py, state)?.into_ptr();
    let old = STATE.swap(new, Ordering::AcqRel);
    if !old.is_null() {
        // SAFETY: the strong reference `STATE` held; the GIL is held.
        drop(unsafe { Bound::from_owned_ptr(py, old) });
    }
    Ok(method.clone())
}
