//! The WebAssembly exports: `hush_filter` and `hush_counter`.
//!
//! Fluent Bit calls one module instance from one thread and never re-enters it, so the
//! filter lives in a plain static cell. It holds no borrow flag or lock across a call:
//! after a trap (which the host turns into a dropped record) the next call starts over.

use std::cell::UnsafeCell;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use crate::Filter;

struct Global(UnsafeCell<Option<Filter>>);

// SAFETY: a module instance runs on one thread (wasm32-wasip1 has no threads).
unsafe impl Sync for Global {}

static FILTER: Global = Global(UnsafeCell::new(None));

fn filter() -> &'static mut Filter {
    // SAFETY: single-threaded and not re-entered (see the module docs), so this is the
    // only live reference.
    let slot = unsafe { &mut *FILTER.0.get() };
    match slot {
        Some(filter) => filter,
        None => slot.insert(load_filter()),
    }
}

/// The filter of the first call. Kept out of line: the interpreter copies a function's
/// constants into its frame on every call, and `filter()` is called on every record.
#[cold]
#[inline(never)]
fn load_filter() -> Filter {
    let (filter, error) = Filter::from_dir(first_preopen());
    if let Some(e) = error {
        eprintln!("[hush] using the built-in rules: {e}");
    }
    filter
}

unsafe extern "C" {
    /// The linker's constructor list (wasi-libc's and Rust's start-up code).
    fn __wasm_call_ctors();
}

/// Makes the module a WASI reactor: the host (WAMR, and the test harness) calls this once
/// after instantiation. Without it wasm-ld treats the module as a command and wraps every
/// export (`hush_filter`, and the `malloc`/`free` the host calls twice each per record)
/// in a run of the constructors and destructors, on every call.
#[unsafe(no_mangle)]
pub extern "C" fn _initialize() {
    // SAFETY: called once by the host before any other export, as WASI reactors require.
    unsafe { __wasm_call_ctors() }
}

/// Redacts one record. Tag and record are NUL-terminated copies in module memory; the
/// result is `record_ptr` (unchanged) or a NUL-terminated JSON object in a buffer owned
/// by the module and reused by the next call.
///
/// # Safety
/// `tag_ptr`/`record_ptr` must be null or point at `tag_len`/`record_len` readable bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn hush_filter(
    tag_ptr: *const u8,
    tag_len: u32,
    _time_sec: u32,
    _time_nsec: u32,
    record_ptr: *const u8,
    record_len: u32,
) -> *const u8 {
    let f = filter();
    if reload_check_due()
        && let Some(e) = f.maybe_reload(Instant::now())
    {
        eprintln!("[hush] keeping the previous rules: {e}");
    }
    let tag: &[u8] = if tag_ptr.is_null() {
        &[]
    } else {
        // SAFETY: the host copied `tag_len` bytes there.
        unsafe { std::slice::from_raw_parts(tag_ptr, tag_len as usize) }
    };
    let record = (!record_ptr.is_null()).then(|| {
        // SAFETY: the host copied `record_len` bytes there.
        unsafe { std::slice::from_raw_parts(record_ptr, record_len as usize) }
    });
    match f.filter(tag, record) {
        crate::Verdict::Unchanged => record_ptr,
        crate::Verdict::Rewritten => f.output().as_ptr(),
    }
}

/// The counter at `index` (see `COUNTER_NAMES`), or -1 for an unknown index.
#[unsafe(no_mangle)]
pub extern "C" fn hush_counter(index: u32) -> i64 {
    filter().counters().get(index as usize)
}

/// How often the filter is asked whether a reload is due (it reloads at most every
/// `RELOAD_INTERVAL`, 30 s; this adds at most a second to that).
const CHECK_EVERY_NS: u64 = 1_000_000_000;
/// Monotonic time from which `maybe_reload` is called again.
static NEXT_CHECK_NS: AtomicU64 = AtomicU64::new(0);

/// Is it time to ask the filter about a reload? Reads the raw monotonic clock: in the
/// interpreter, `Instant::now` and the duration arithmetic on it cost several times that
/// call, on every record. Fails towards checking.
fn reload_check_due() -> bool {
    let mut now: u64 = 0;
    // SAFETY: WASI writes one timestamp into `now`.
    if unsafe { clock_time_get(CLOCK_MONOTONIC, 1, &mut now) } != 0 {
        return true;
    }
    if now < NEXT_CHECK_NS.load(Ordering::Relaxed) {
        return false;
    }
    NEXT_CHECK_NS.store(now.saturating_add(CHECK_EVERY_NS), Ordering::Relaxed);
    true
}

/// WASI's monotonic clock id.
const CLOCK_MONOTONIC: u32 = 1;

#[repr(C)]
struct Prestat {
    tag: u8,
    name_len: u32,
}

#[link(wasm_import_module = "wasi_snapshot_preview1")]
unsafe extern "C" {
    fn fd_prestat_get(fd: i32, out: *mut Prestat) -> i32;
    fn fd_prestat_dir_name(fd: i32, path: *mut u8, len: usize) -> i32;
    fn clock_time_get(id: u32, precision: u64, time: *mut u64) -> i32;
}

/// The name of the first preopened directory (fd 3): the first of `accessible_paths`.
fn first_preopen() -> Option<PathBuf> {
    let mut stat = Prestat { tag: 0, name_len: 0 };
    // SAFETY: WASI writes a prestat into `stat`.
    if unsafe { fd_prestat_get(3, &mut stat) } != 0 || stat.tag != 0 {
        return None;
    }
    let mut name = vec![0u8; stat.name_len as usize];
    // SAFETY: `name` has room for `name_len` bytes.
    if unsafe { fd_prestat_dir_name(3, name.as_mut_ptr(), name.len()) } != 0 {
        return None;
    }
    while name.last() == Some(&0) {
        name.pop();
    }
    String::from_utf8(name).ok().map(PathBuf::from)
}
