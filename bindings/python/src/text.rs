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
pub(crate) fn utf8<'a>(text: &'a Bound<'_, PyString>) -> PyResult<Cow<'a, [u8]>> {
    let mut size: pyo3::ffi::Py_ssize_t = 0;
    // SAFETY: `text` is a live `str`. The buffer returned belongs to the object, is never
    // mutated and lives as long as the object, which the borrow `'a` keeps alive.
    let ptr = unsafe { PyUnicode_AsUTF8AndSize(text.as_ptr(), &mut size) };
    if ptr.is_null() {
        return Err(PyErr::fetch(text.py()));
    }
    let len = usize::try_from(size).unwrap_or(0);
    // SAFETY: CPython guarantees `len` readable bytes at `ptr` (see above for lifetime).
    Ok(Cow::Borrowed(unsafe { std::slice::from_raw_parts(ptr.cast::<u8>(), len) }))
}

/// The UTF-8 bytes of a `str` (Windows' `python3.dll` of 3.9 lacks the borrowing call).
#[cfg(windows)]
pub(crate) fn utf8<'a>(text: &'a Bound<'_, PyString>) -> PyResult<Cow<'a, [u8]>> {
    Ok(match text.to_cow()? {
        Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
        Cow::Owned(s) => Cow::Owned(s.into_bytes()),
    })
}

/// Redacts a Python `str`, returning the very same object when nothing was masked.
pub(crate) fn redact_str<'py>(red: &hush::Redactor, text: &Bound<'py, PyString>) -> PyResult<Bound<'py, PyString>> {
    let py = text.py();
    let utf8 = utf8(text)?;
    let out = run(py, &utf8, |b| red.redact(b));
    Ok(match out {
        Cow::Borrowed(_) => text.clone(),
        Cow::Owned(bytes) => PyString::new(py, &String::from_utf8_lossy(&bytes)),
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
        Cow::Owned(bytes) => PyString::new(py, &String::from_utf8_lossy(&bytes)),
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

/// Splits `bytes` into the longest valid UTF-8 prefix and an incomplete trailing sequence
/// (at most 3 bytes) that may be completed by the next chunk.
pub(crate) fn split_utf8(bytes: &[u8]) -> (Cow<'_, str>, &[u8]) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), &[]),
        Err(e) if e.error_len().is_none() => {
            let (head, tail) = bytes.split_at(e.valid_up_to());
            (String::from_utf8_lossy(head), tail)
        }
        // Not reachable for redacted valid text; never hold bytes back indefinitely.
        Err(_) => (String::from_utf8_lossy(bytes), &[]),
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
        assert_eq!(head, "ab");
        assert_eq!(tail, &bytes[2..3]);
        let (whole, rest) = split_utf8(bytes);
        assert_eq!((whole.as_ref(), rest), ("ab€", &[][..]));
    }
}
