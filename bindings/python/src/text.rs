//! Moving text between Python and the core: UTF-8 views, GIL release, offsets.

use std::borrow::Cow;

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

/// Inputs at least this long are redacted with the GIL released, so other Python threads
/// run meanwhile; shorter ones are not worth the hand-over.
pub(crate) const DETACH_MIN_BYTES: usize = 4096;

/// Runs `f` on `input`, releasing the GIL when the input is large.
pub(crate) fn run<'a, T: Send>(py: Python<'_>, input: &'a [u8], f: impl FnOnce(&'a [u8]) -> T + Send) -> T {
    if input.len() >= DETACH_MIN_BYTES { py.detach(|| f(input)) } else { f(input) }
}

#[cfg(not(windows))]
unsafe extern "C" {
    // Part of the stable ABI since Python 3.10 and exported by every CPython 3.9 on Unix;
    // pyo3 declares it only for 3.10+ or non-abi3 builds.
    fn PyUnicode_AsUTF8AndSize(
        unicode: *mut pyo3::ffi::PyObject,
        size: *mut pyo3::ffi::Py_ssize_t,
    ) -> *const std::ffi::c_char;
}

/// The UTF-8 bytes of a `str`, borrowed from the object without a copy where possible
/// (for ASCII text it is the string's own buffer; otherwise CPython caches the encoding).
#[cfg(not(windows))]
#[inline]
pub(crate) fn utf8<'a>(text: &'a Bound<'_, PyString>) -> PyResult<Cow<'a, [u8]>> {
    let mut size: pyo3::ffi::Py_ssize_t = 0;
    // SAFETY: `text` is a live `str`. The buffer returned belongs to the object, is never
    // mutated and lives as long as the object, which the borrow `'a` keeps alive.
    let ptr = unsafe { PyUnicode_AsUTF8AndSize(text.as_ptr(), &mut size) };
    if ptr.is_null() {
        // Lone surrogates: the `UnicodeEncodeError` raised holds the whole text.
        drop(PyErr::take(text.py()));
        return surrogates_passed(text);
    }
    let len = usize::try_from(size).unwrap_or(0);
    // SAFETY: CPython guarantees `len` readable bytes at `ptr` (see above for lifetime).
    Ok(Cow::Borrowed(unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) }))
}

/// The UTF-8 bytes of a `str` (Windows' `python3.dll` of 3.9 lacks the borrowing call).
#[cfg(windows)]
pub(crate) fn utf8<'a>(text: &'a Bound<'_, PyString>) -> PyResult<Cow<'a, [u8]>> {
    Ok(match text.to_cow() {
        Ok(Cow::Borrowed(s)) => Cow::Borrowed(s.as_bytes()),
        Ok(Cow::Owned(s)) => Cow::Owned(s.into_bytes()),
        // Lone surrogates: the `UnicodeEncodeError` holds the whole text.
        Err(_) => return surrogates_passed(text),
    })
}

/// The bytes of a `str` holding lone surrogates (what `surrogateescape` decoding puts in
/// `os.environ`, file names and `sys.argv` for undecodable bytes): each surrogate as its
/// 3-byte form (`surrogatepass`), which the core passes through like any invalid UTF-8 and
/// [`to_str`] turns back into the same surrogate. Raising instead would lose the log line
/// and put the whole text, secrets included, into the exception (`UnicodeEncodeError`
/// keeps it in `.object` and `args`, which `repr`, error trackers and debuggers show).
fn surrogates_passed<'a>(text: &Bound<'_, PyString>) -> PyResult<Cow<'a, [u8]>> {
    let encoded = text.call_method1(pyo3::intern!(text.py(), "encode"), ("utf-8", "surrogatepass"));
    match encoded {
        Ok(bytes) => Ok(Cow::Owned(bytes.cast_into::<PyBytes>()?.as_bytes().to_vec())),
        // Not reachable for a `str`; the message names no text either way.
        Err(_) => Err(pyo3::exceptions::PyValueError::new_err("text cannot be encoded as UTF-8")),
    }
}

/// A `str` from redacted bytes: UTF-8, with surrogates encoded by [`surrogates_passed`]
/// restored; any other invalid sequence becomes U+FFFD (as `errors="replace"`).
///
/// One pass: CPython's decoder validates as it copies (ASCII a word at a time), and the
/// `surrogatepass` handler runs only where a sequence is invalid.
pub(crate) fn to_str<'py>(py: Python<'py>, bytes: &[u8]) -> Bound<'py, PyString> {
    let len = pyo3::ffi::Py_ssize_t::try_from(bytes.len()).unwrap_or(pyo3::ffi::Py_ssize_t::MAX);
    // SAFETY: `bytes` is valid for `len` bytes; the error handler name is a C string.
    let ptr = unsafe { pyo3::ffi::PyUnicode_DecodeUTF8(bytes.as_ptr().cast(), len, c"surrogatepass".as_ptr()) };
    if ptr.is_null() {
        // The failed decode's `UnicodeDecodeError` (which holds the bytes) is dropped here.
        drop(PyErr::take(py));
        return PyString::new(py, &String::from_utf8_lossy(bytes));
    }
    // SAFETY: `ptr` is a new reference to the `str` that `PyUnicode_DecodeUTF8` returned.
    unsafe { Bound::from_owned_ptr(py, ptr).cast_into_unchecked() }
}

/// Redacts a Python `str`, returning the very same object when nothing was masked.
pub(crate) fn redact_str<'py>(red: &hush::Redactor, text: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyString>> {
    let py = text.py();
    let utf8 = utf8(text)?;
    let out = run(py, &utf8, |b| red.redact(b));
    Ok(match out {
        Cow::Borrowed(_) => text.clone(),
        Cow::Owned(bytes) => to_str(py, &bytes),
    })
}

/// Redacts `value` as bound to `key` (key-aware), returning the same object when unchanged.
pub(crate) fn redact_value_str<'py>(
    red: &hush::Redactor,
    key: &str,
    value: &Bound<'py, PyString>,
) -> PyResult<Bound<'py, PyString>> {
    let py = value.py();
    let utf8 = utf8(value)?;
    let out = run(py, &utf8, |b| red.redact_value(key, b));
    Ok(match out {
        Cow::Borrowed(_) => value.clone(),
        Cow::Owned(bytes) => to_str(py, &bytes),
    })
}

/// Redacts `bytes`, returning the same object when nothing was masked.
pub(crate) fn redact_bytes<'py>(red: &hush::Redactor, data: &Bound<'py, PyBytes>) -> Bound<'py, PyBytes> {
    let py = data.py();
    match run(py, data.as_bytes(), |b| red.redact(b)) {
        Cow::Borrowed(_) => data.clone(),
        Cow::Owned(out) => PyBytes::new(py, &out),
    }
}

/// Converts ascending byte offsets into code-point offsets in one pass over `text`.
pub(crate) struct CodePoints<'a> {
    text: &'a [u8],
    byte: usize,
    chars: usize,
}

impl<'a> CodePoints<'a> {
    pub(crate) fn new(text: &'a [u8]) -> Self {
        CodePoints { text, byte: 0, chars: 0 }
    }

    /// The code-point index of byte offset `off` (offsets may come in any order, but
    /// ascending ones cost one pass in total).
    pub(crate) fn at(&mut self, off: usize) -> usize {
        let off = off.min(self.text.len());
        if off < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        // Every byte that is not a UTF-8 continuation byte starts a code point.
        self.chars += self.text[self.byte..off].iter().filter(|&&b| b & 0xC0 != 0x80).count();
        self.byte = off;
        self.chars
    }
}

/// Splits `bytes` before an incomplete trailing UTF-8 sequence (at most 3 bytes) that may
/// be completed by the next chunk.
pub(crate) fn split_utf8(bytes: &[u8]) -> (&[u8], &[u8]) {
    match std::str::from_utf8(bytes) {
        Err(e) if e.error_len().is_none() => bytes.split_at(e.valid_up_to()),
        // Valid, or invalid inside (surrogates, raw bytes): never hold bytes back indefinitely.
        _ => (bytes, &[]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_points_count_multibyte_characters_once() {
        let text = "héllo → wörld".as_bytes();
        let mut cp = CodePoints::new(text);
        let arrow = "héllo ".len();
        assert_eq!(cp.at(arrow), 6);
        assert_eq!(cp.at(text.len()), 13);
        assert_eq!(cp.at(1), 1);
    }

    #[test]
    fn split_utf8_holds_back_an_incomplete_character() {
        let bytes = "ab€".as_bytes();
        let (head, tail) = split_utf8(&bytes[..3]);
        assert_eq!(head, b"ab");
        assert_eq!(tail, &bytes[2..3]);
        let (whole, rest) = split_utf8(bytes);
        assert_eq!((whole, rest), (bytes, &[][..]));
    }
}
