//! C ABI for hush: `libhush.so` / `libhush.a` with the header `hush.h`.
//!
//! Every entry point catches panics, reports failures through a negative return value or
//! NULL plus [`hush_last_error`], and never puts input bytes into an error message.

use std::cell::RefCell;
use std::ffi::{CStr, CString, c_char, c_int};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::ptr;

use hush::Redactor;

/// An opaque, immutable redactor. Safe to share between threads for concurrent redact calls.
pub struct HushRedactor {
    redactor: Redactor,
}

/// A result owned by the library. When `changed` is 0, `data` is NULL and the input is the
/// result (nothing was masked); otherwise `data` holds `len` bytes. Release with
/// `hush_output_free` either way.
#[repr(C)]
pub struct HushOutput {
    /// The redacted bytes (not NUL-terminated), or NULL when unchanged.
    pub data: *mut u8,
    /// Number of bytes in `data` (the input length when unchanged).
    pub len: usize,
    /// 1 when something was masked, 0 otherwise.
    pub changed: c_int,
}

thread_local! {
    static LAST_ERROR: RefCell<Option<CString>> = const { RefCell::new(None) };
}

fn set_error(message: &str) {
    let c = CString::new(message.replace('\0', " ")).unwrap_or_default();
    LAST_ERROR.with(|e| *e.borrow_mut() = Some(c));
}

fn clear_error() {
    LAST_ERROR.with(|e| *e.borrow_mut() = None);
}

/// Runs `f`, turning a panic into an error (the panic message is not passed on: it could
/// in principle quote input).
fn guard<T>(fallback: T, f: impl FnOnce() -> Result<T, String>) -> T {
    clear_error();
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => v,
        Ok(Err(message)) => {
            set_error(&message);
            fallback
        }
        Err(_) => {
            set_error("internal error (panic) in hush");
            fallback
        }
    }
}

/// # Safety
/// `data` must be NULL (then `len` must be 0) or point at `len` readable bytes.
unsafe fn bytes<'a>(data: *const u8, len: usize) -> Result<&'a [u8], String> {
    if data.is_null() {
        return if len == 0 { Ok(&[]) } else { Err("NULL input with a non-zero length".into()) };
    }
    // SAFETY: the caller guarantees `len` readable bytes at `data`.
    Ok(unsafe { std::slice::from_raw_parts(data, len) })
}

/// # Safety
/// `out` must be NULL or point at a writable `HushOutput`.
unsafe fn output<'a>(out: *mut HushOutput) -> Result<&'a mut HushOutput, String> {
    // SAFETY: the caller guarantees `out` is writable when not NULL.
    let out = unsafe { out.as_mut() }.ok_or("NULL output")?;
    *out = HushOutput { data: ptr::null_mut(), len: 0, changed: 0 };
    Ok(out)
}

fn fill(out: &mut HushOutput, result: std::borrow::Cow<'_, [u8]>) {
    match result {
        std::borrow::Cow::Borrowed(b) => *out = HushOutput { data: ptr::null_mut(), len: b.len(), changed: 0 },
        std::borrow::Cow::Owned(v) => {
            let boxed = v.into_boxed_slice();
            let len = boxed.len();
            let data = Box::into_raw(boxed).cast::<u8>();
            *out = HushOutput { data, len, changed: 1 };
        }
    }
}

fn handle<'a>(r: *const HushRedactor) -> Result<&'a HushRedactor, String> {
    // SAFETY: a non-NULL handle comes from hush_new*, and is alive until hush_free.
    unsafe { r.as_ref() }.ok_or_else(|| "NULL redactor".to_owned())
}

/// Creates a redactor with the built-in rules (no files, no environment).
/// Returns NULL on failure (see `hush_last_error`). Free with `hush_free`.
#[unsafe(no_mangle)]
pub extern "C" fn hush_new() -> *mut HushRedactor {
    guard(ptr::null_mut(), || {
        let redactor = Redactor::builder().build().map_err(|e| e.to_string())?;
        Ok(Box::into_raw(Box::new(HushRedactor { redactor })))
    })
}

/// Creates a redactor from TOML config text (`toml`, `toml_len` bytes; NULL/0 for none)
/// and, when `secrets_dir` is not NULL, every file in that directory as a known value.
/// Returns NULL on failure (see `hush_last_error`). Free with `hush_free`.
///
/// # Safety
/// `toml` must point at `toml_len` readable bytes (or be NULL with 0); `secrets_dir` must
/// be NULL or a NUL-terminated path.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hush_new_from_toml(
    toml: *const c_char,
    toml_len: usize,
    secrets_dir: *const c_char,
) -> *mut HushRedactor {
    guard(ptr::null_mut(), || {
        // SAFETY: forwarded caller guarantee.
        let text = unsafe { bytes(toml.cast(), toml_len) }?;
        let text =
            std::str::from_utf8(text).map_err(|e| format!("config is not UTF-8 (at byte {})", e.valid_up_to()))?;
        let mut builder = Redactor::builder().config_toml(text).map_err(|e| e.to_string())?;
        if !secrets_dir.is_null() {
            // SAFETY: the caller guarantees a NUL-terminated string.
            let dir = unsafe { CStr::from_ptr(secrets_dir) };
            let dir = dir.to_str().map_err(|_| "secrets directory path is not UTF-8".to_owned())?;
            builder = builder.secrets_dir(dir);
        }
        let redactor = builder.build().map_err(|e| e.to_string())?;
        Ok(Box::into_raw(Box::new(HushRedactor { redactor })))
    })
}

/// Frees a redactor (NULL is ignored). No call may be using it concurrently.
///
/// # Safety
/// `r` must be NULL or come from `hush_new*` and not be freed already.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hush_free(r: *mut HushRedactor) {
    if !r.is_null() {
        // SAFETY: the caller guarantees `r` is a live handle from Box::into_raw.
        drop(unsafe { Box::from_raw(r) });
    }
}

/// Redacts `len` bytes of text into `out`. Returns 0, or -1 on failure.
///
/// # Safety
/// `r` must be a live handle; `input` must point at `len` readable bytes (or be NULL with
/// 0); `out` must point at a writable `HushOutput`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hush_redact(
    r: *const HushRedactor,
    input: *const u8,
    len: usize,
    out: *mut HushOutput,
) -> c_int {
    guard(-1, || {
        // SAFETY: forwarded caller guarantees.
        let (out, input) = unsafe { (output(out)?, bytes(input, len)?) };
        fill(out, handle(r)?.redactor.redact(input));
        Ok(0)
    })
}

/// Redacts a JSON document into `out`: keys at any depth act as key rules and every string
/// value is redacted as text; the output is valid JSON with the same keys. Returns 0, or
/// -1 when the input is not valid JSON or on failure.
///
/// # Safety
/// As for `hush_redact`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hush_redact_json(
    r: *const HushRedactor,
    input: *const u8,
    len: usize,
    out: *mut HushOutput,
) -> c_int {
    guard(-1, || {
        // SAFETY: forwarded caller guarantees.
        let (out, input) = unsafe { (output(out)?, bytes(input, len)?) };
        fill(out, handle(r)?.redactor.redact_json(input).map_err(|e| e.to_string())?);
        Ok(0)
    })
}

/// Redacts `value` as bound to the name `key`: masked whole when the name is sensitive,
/// otherwise redacted as text. Returns 0, or -1 on failure (`key` not UTF-8 included).
///
/// # Safety
/// As for `hush_redact`; `key` must point at `key_len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hush_redact_value(
    r: *const HushRedactor,
    key: *const c_char,
    key_len: usize,
    value: *const u8,
    value_len: usize,
    out: *mut HushOutput,
) -> c_int {
    guard(-1, || {
        // SAFETY: forwarded caller guarantees.
        let (out, key, value) = unsafe { (output(out)?, bytes(key.cast(), key_len)?, bytes(value, value_len)?) };
        let key = std::str::from_utf8(key).map_err(|_| "key is not UTF-8".to_owned())?;
        fill(out, handle(r)?.redactor.redact_value(key, value));
        Ok(0)
    })
}

/// 1 when `key` is a sensitive name (its values are masked whole), 0 when not, -1 on failure.
///
/// # Safety
/// `r` must be a live handle; `key` must point at `key_len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hush_key_is_sensitive(r: *const HushRedactor, key: *const c_char, key_len: usize) -> c_int {
    guard(-1, || {
        // SAFETY: forwarded caller guarantee.
        let key = unsafe { bytes(key.cast(), key_len) }?;
        let key = std::str::from_utf8(key).map_err(|_| "key is not UTF-8".to_owned())?;
        Ok(c_int::from(handle(r)?.redactor.key_rule(key).is_some()))
    })
}

/// Releases the bytes of a `HushOutput` and resets it (safe to call twice, and on
/// unchanged results).
///
/// # Safety
/// `out` must be NULL or a `HushOutput` filled by this library.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hush_output_free(out: *mut HushOutput) {
    // SAFETY: the caller guarantees `out` is NULL or valid.
    let Some(out) = (unsafe { out.as_mut() }) else {
        return;
    };
    if !out.data.is_null() {
        // SAFETY: `data`/`len` came from Box<[u8]>::into_raw in `fill`.
        drop(unsafe { Box::from_raw(ptr::slice_from_raw_parts_mut(out.data, out.len)) });
    }
    *out = HushOutput { data: ptr::null_mut(), len: 0, changed: 0 };
}

/// The last error on the calling thread as a NUL-terminated string, or NULL when the last
/// call succeeded. Valid until the next hush call on this thread. Never contains input.
#[unsafe(no_mangle)]
pub extern "C" fn hush_last_error() -> *const c_char {
    LAST_ERROR.with(|e| e.borrow().as_ref().map_or(ptr::null(), |c| c.as_ptr()))
}

/// The library version as a NUL-terminated string.
#[unsafe(no_mangle)]
pub extern "C" fn hush_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_value_and_last_error() {
        let r = hush_new();
        assert!(!r.is_null());
        let mut out = HushOutput { data: ptr::null_mut(), len: 0, changed: 0 };
        let (k, v) = ("api_key", b"abc123xyz");
        let rc = unsafe { hush_redact_value(r, k.as_ptr().cast(), k.len(), v.as_ptr(), v.len(), &mut out) };
        assert_eq!(rc, 0);
        assert_eq!(out.changed, 1);
        assert_eq!(unsafe { std::slice::from_raw_parts(out.data, out.len) }, b"[REDACTED]");
        unsafe { hush_output_free(&mut out) };
        assert!(out.data.is_null());
        assert!(hush_last_error().is_null());
        let rc = unsafe { hush_redact(r, ptr::null(), 3, &mut out) };
        assert_eq!(rc, -1);
        let msg = unsafe { CStr::from_ptr(hush_last_error()) }.to_str().unwrap();
        assert_eq!(msg, "NULL input with a non-zero length");
        unsafe { hush_free(r) };
    }
}
