//! Records per second through the hush module in WAMR's fast interpreter, called the way
//! Fluent Bit's `filter_wasm` calls it with `Event_Format json`
//! (`flb_wasm_instantiate` and `flb_wasm_call_function_format_json` in `src/wasm/flb_wasm.c`).
//!
//! Usage: `hush-wamr-bench MODULE.wasm [N] [--heap BYTES] [--stack BYTES] [--kind K]`
//! (N records of each kind, or of kind K only (0: key record, 1: secret in log string,
//! 2: log line without a secret), default 1,000,000; heap 8 MiB and stack 64 KiB, as the
//! README configures `wasm_heap_size` and `wasm_stack_size`; Fluent Bit's defaults are
//! 8 KiB each). The WASI preopen is a fresh empty directory, so the module runs its
//! built-in rules. `MODULE.aot`, compiled ahead of time, runs in a build of this bench
//! with WAMR's AOT loader; `aot.sh` makes both.

use std::ffi::{CStr, CString, c_char};
use std::path::PathBuf;
use std::ptr;
use std::time::Instant;

use wamrx_sys::*;

/// `wasm_stack_size 64K`, as the plugin's README configures: Fluent Bit's default of 8 KiB
/// is too small for the module in the interpreter (every record traps).
const DEFAULT_STACK: u32 = 64 << 10;
/// `wasm_heap_size 8M`, as the plugin's README configures.
const DEFAULT_HEAP: u32 = 8 << 20;
/// Distinct records of each kind, cycled through.
const DISTINCT: usize = 1000;

#[path = "../../bench/records.rs"]
mod records;
use records::KINDS;

struct Options {
    module: PathBuf,
    n: usize,
    heap: u32,
    stack: u32,
    /// Only this record kind (an index into `KINDS`), for per-kind instruction counts.
    kind: Option<usize>,
}

fn parse_args() -> Result<Options, String> {
    let mut args = std::env::args().skip(1);
    let mut opts =
        Options { module: PathBuf::new(), n: 1_000_000, heap: DEFAULT_HEAP, stack: DEFAULT_STACK, kind: None };
    let mut positional = Vec::new();
    while let Some(a) = args.next() {
        let mut value = |name: &str| -> Result<u32, String> {
            args.next().and_then(|v| v.parse().ok()).ok_or(format!("{name} needs a number of bytes"))
        };
        match a.as_str() {
            "--heap" => opts.heap = value("--heap")?,
            "--stack" => opts.stack = value("--stack")?,
            "--kind" => {
                let k = value("--kind")? as usize;
                if k >= KINDS.len() {
                    return Err(format!("--kind must be below {}", KINDS.len()));
                }
                opts.kind = Some(k);
            }
            _ => positional.push(a),
        }
    }
    let mut positional = positional.into_iter();
    opts.module =
        positional.next().ok_or("usage: hush-wamr-bench MODULE.wasm [N] [--heap B] [--stack B] [--kind K]")?.into();
    if let Some(n) = positional.next() {
        opts.n = n.parse().map_err(|_| format!("N must be a number, not {n:?}"))?;
    }
    Ok(opts)
}

/// One instantiated module with its execution environment, as `struct flb_wasm` holds it.
struct Wamr {
    inst: wasm_module_inst_t,
    env: wasm_exec_env_t,
    function: CString,
}

impl Wamr {
    /// Loads and instantiates `bytes` like `flb_wasm_instantiate`: WASI with `dir` as the
    /// only accessible path, no argv or environment, the process's stdio.
    fn instantiate(bytes: &mut [u8], dir: &CStr, stack: u32, heap: u32) -> Result<Wamr, String> {
        let mut error = [0 as c_char; 128];
        // SAFETY: plain calls into the WAMR C API with valid buffers. WAMR keeps pointers
        // into `bytes` and `dirs`, which outlive the instance (the bytes are leaked by the
        // caller's scope, the preopen list is copied at instantiation).
        unsafe {
            let mut init = RuntimeInitArgs { mem_alloc_type: Alloc_With_System_Allocator, ..Default::default() };
            if !wasm_runtime_full_init(&mut init) {
                return Err("wasm_runtime_full_init failed".into());
            }
            let module = wasm_runtime_load(bytes.as_mut_ptr(), bytes.len() as u32, error.as_mut_ptr(), 128);
            if module.is_null() {
                return Err(format!("load: {}", CStr::from_ptr(error.as_ptr()).to_string_lossy()));
            }
            let mut dirs = [dir.as_ptr()];
            wasm_runtime_set_wasi_args_ex(
                module,
                dirs.as_mut_ptr(),
                1,
                ptr::null_mut(),
                0,
                ptr::null_mut(),
                0,
                ptr::null_mut(),
                0,
                0,
                1,
                2,
            );
            let inst = wasm_runtime_instantiate(module, stack, heap, error.as_mut_ptr(), 128);
            if inst.is_null() {
                return Err(format!("instantiate: {}", CStr::from_ptr(error.as_ptr()).to_string_lossy()));
            }
            let env = wasm_runtime_create_exec_env(inst, stack);
            if env.is_null() {
                return Err("wasm_runtime_create_exec_env failed".into());
            }
            Ok(Wamr { inst, env, function: c"hush_filter".into() })
        }
    }

    /// One record through the module like `flb_wasm_call_function_format_json`: look the
    /// function up, copy tag and record (with their NUL) into module memory, call with six
    /// i32, check and copy the NUL-terminated result, free both copies. `None` when the
    /// host would drop the record.
    fn call(&mut self, tag: &CStr, record: &CStr, time_sec: u32) -> Option<CString> {
        // SAFETY: WAMR C API calls on a live instance; every module address is validated
        // by WAMR before it is turned into a native pointer.
        unsafe {
            let func = wasm_runtime_lookup_function(self.inst, self.function.as_ptr());
            if func.is_null() {
                return None;
            }
            let tag_len = tag.count_bytes();
            let record_len = record.count_bytes();
            let tag_buf = wasm_runtime_module_dup_data(self.inst, tag.as_ptr(), tag_len as u64 + 1);
            let record_buf = wasm_runtime_module_dup_data(self.inst, record.as_ptr(), record_len as u64 + 1);
            let mut args = [tag_buf as u32, tag_len as u32, time_sec, 0, record_buf as u32, record_len as u32];
            let mut result = None;
            if wasm_runtime_call_wasm(self.env, func, 6, args.as_mut_ptr()) {
                if wasm_runtime_validate_app_str_addr(self.inst, args[0] as u64) {
                    let native = wasm_runtime_addr_app_to_native(self.inst, args[0] as u64);
                    if !native.is_null() {
                        result = Some(CStr::from_ptr(native as *const c_char).to_owned());
                    }
                }
            } else {
                let e = CStr::from_ptr(wasm_runtime_get_exception(self.inst));
                eprintln!("exception running wasm code: {}", e.to_string_lossy());
                wasm_runtime_clear_exception(self.inst);
            }
            for buf in [tag_buf, record_buf] {
                if buf != 0 {
                    wasm_runtime_module_free(self.inst, buf);
                }
            }
            result
        }
    }
}

/// A fresh empty directory for the WASI preopen (no `hush.toml`, no `secrets/`).
fn empty_dir() -> std::io::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("hush-wamr-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn run(opts: &Options) -> Result<(), String> {
    let mut bytes = std::fs::read(&opts.module).map_err(|e| format!("{}: {e}", opts.module.display()))?;
    let dir = empty_dir().map_err(|e| format!("temporary directory: {e}"))?;
    let dir_c = CString::new(dir.to_string_lossy().into_owned()).map_err(|_| "directory name has a NUL")?;
    // An AOT file (`\0aot`, from `aot.sh`) runs compiled; a `.wasm` in the fast interpreter.
    let mode = if bytes.starts_with(b"\0aot") { "AOT" } else { "fast-interp" };
    let mut wamr = Wamr::instantiate(&mut bytes, &dir_c, opts.stack, opts.heap)?;
    let tag = c"bench";
    for (k, records::Kind { name, make, redacted: want_redacted }) in KINDS.into_iter().enumerate() {
        if opts.kind.is_some_and(|only| only != k) {
            continue;
        }
        let records: Vec<CString> = (0..DISTINCT).map(|i| CString::new(make(i)).expect("no NUL")).collect();
        let start = Instant::now();
        let mut redacted = 0usize;
        for i in 0..opts.n {
            let record = &records[i % DISTINCT];
            let out = wamr.call(tag, record, i as u32).ok_or(format!("{name}: record {i} dropped"))?;
            redacted += usize::from(out.as_c_str() != record.as_c_str());
        }
        let secs = start.elapsed().as_secs_f64();
        if want_redacted && redacted != opts.n {
            return Err(format!("{name}: {} of {} records came back unredacted", opts.n - redacted, opts.n));
        }
        if !want_redacted && redacted != 0 {
            return Err(format!("{name}: {redacted} of {} records came back changed", opts.n));
        }
        println!(
            "wasm WAMR {} {mode} {name:<22} {} records in {secs:.2} s = {:.0} records/s",
            wamr_version(),
            opts.n,
            opts.n as f64 / secs
        );
    }
    #[cfg(feature = "profile")]
    // SAFETY: prints WAMR's per-function totals for a live instance.
    unsafe {
        wasm_runtime_dump_perf_profiling(wamr.inst)
    };
    let _ = std::fs::remove_dir(&dir);
    Ok(())
}

/// The vendored WAMR version, as `major.minor.patch`.
fn wamr_version() -> String {
    let (mut major, mut minor, mut patch) = (0, 0, 0);
    // SAFETY: writes three integers.
    unsafe { wasm_runtime_get_version(&mut major, &mut minor, &mut patch) };
    format!("{major}.{minor}.{patch}")
}

fn main() {
    let result = parse_args().and_then(|opts| run(&opts));
    if let Err(e) = result {
        eprintln!("hush-wamr-bench: {e}");
        std::process::exit(1);
    }
}
