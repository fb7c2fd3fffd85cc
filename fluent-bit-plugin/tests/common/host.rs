//! A stand-in for Fluent Bit's `filter_wasm` host (v5.1.1, WAMR 2.4.1), on `wasmi`.
//!
//! It calls the module exactly as `flb_wasm_call_function_format_json` does: the tag and
//! the JSON record are copied NUL-terminated into module memory through the module's
//! allocator (`wasm_runtime_module_dup_data` → exported `malloc`; a failed copy passes 0),
//! the function gets `(tag_ptr, tag_len, time_sec, time_nsec, record_ptr, record_len)`
//! with lengths excluding the NUL, the result is read as a NUL-terminated string and
//! copied (`flb_strdup`), then both copies are freed. A trap drops the record (the host
//! logs an error and clears the exception), as do a null result and an empty string; any
//! other result must parse as a JSON object (`flb_pack_json`, root type object).
//!
//! WASI: the module's preview1 imports are stubbed: stdout/stderr captured, a clock the
//! test can move forward or make trap once, no preopened directories, no environment.

#![allow(dead_code)]

use std::path::Path;

use wasmi::{Caller, Engine, Extern, Func, Instance, Linker, Memory, Module, Store, TypedFunc, Val};

/// Host-side state seen by the WASI stubs.
#[derive(Default)]
pub struct HostState {
    /// Bytes the module wrote to fd 1 and 2.
    pub stderr: Vec<u8>,
    /// Added to the real monotonic clock (lets a test move time forward).
    pub clock_offset_ns: u64,
    /// The next clock read traps instead (to test a call after a trap).
    pub trap_next_clock: bool,
    /// Seed for `random_get`.
    rng: u64,
}

/// What the host made of one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The record is kept: the function returned `record_ptr` itself.
    Unchanged(String),
    /// The record is replaced by this JSON object.
    Replaced(String),
    /// The record is dropped (null pointer or empty string).
    Dropped,
    /// The call trapped: the record is dropped and an error logged.
    Trapped(String),
}

impl Outcome {
    /// The record that goes on down the pipeline, if any.
    pub fn record(&self) -> Option<&str> {
        match self {
            Outcome::Unchanged(s) | Outcome::Replaced(s) => Some(s),
            Outcome::Dropped | Outcome::Trapped(_) => None,
        }
    }
}

/// One module instance, as the filter holds it for its lifetime.
pub struct Host {
    pub store: Store<HostState>,
    instance: Instance,
    memory: Memory,
    malloc: TypedFunc<i32, i32>,
    free: TypedFunc<i32, ()>,
    function: TypedFunc<(i32, i32, i32, i32, i32, i32), i32>,
    start: std::time::Instant,
}

const WASI: &str = "wasi_snapshot_preview1";
const ENOSYS: i32 = 52;
const EBADF: i32 = 8;

impl Host {
    /// Loads and instantiates the module at `path`, calling `_initialize` when exported
    /// (WAMR runs a WASI reactor's initializer at instantiation).
    pub fn load(path: &Path, function: &str) -> Host {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let engine = Engine::default();
        let module = Module::new(&engine, &bytes[..]).expect("valid wasm module");
        let mut store = Store::new(&engine, HostState { rng: 0x9e37_79b9_7f4a_7c15, ..HostState::default() });
        let mut linker = Linker::<HostState>::new(&engine);
        let start = std::time::Instant::now();
        for import in module.imports() {
            assert_eq!(import.module(), WASI, "unexpected import module");
            let ty = import.ty().func().expect("only function imports").clone();
            let name = import.name().to_owned();
            let func =
                Func::new(&mut store, ty, move |caller, params, results| wasi(&name, caller, params, results, start));
            linker.define(WASI, import.name(), func).expect("define import");
        }
        let instance = linker.instantiate_and_start(&mut store, &module).expect("instantiate");
        if let Ok(init) = instance.get_typed_func::<(), ()>(&store, "_initialize") {
            init.call(&mut store, ()).expect("_initialize");
        }
        let memory = instance.get_memory(&store, "memory").expect("exported memory");
        let malloc = instance.get_typed_func(&store, "malloc").expect("exported malloc");
        let free = instance.get_typed_func(&store, "free").expect("exported free");
        let function =
            instance.get_typed_func(&store, function).expect("filter function with six i32 and one i32 result");
        Host { store, instance, memory, malloc, free, function, start }
    }

    /// Linear memory size in 64 KiB pages.
    pub fn pages(&self) -> u64 {
        self.memory.size(&self.store)
    }

    /// `wasm_runtime_module_dup_data`: allocate in the module and copy; 0 when it fails.
    fn dup(&mut self, data: &[u8]) -> i32 {
        let Ok(len) = i32::try_from(data.len()) else {
            return 0;
        };
        let Ok(ptr) = self.malloc.call(&mut self.store, len) else {
            return 0;
        };
        if ptr != 0 {
            self.memory.write(&mut self.store, ptr as u32 as usize, data).expect("malloc returned memory in bounds");
        }
        ptr
    }

    /// Filters one record the way `cb_wasm_filter` does with `Event_Format json`.
    pub fn call(&mut self, tag: &str, time_sec: u32, time_nsec: u32, record: &str) -> Outcome {
        self.call_inner(tag, time_sec, time_nsec, Some(record))
    }

    /// Like [`call`](Self::call); `None` passes `record_ptr == 0`, as WAMR does when the
    /// copy into module memory fails.
    pub fn call_raw(&mut self, tag: &str, record: Option<&str>) -> Outcome {
        self.call_inner(tag, 0, 0, record)
    }

    fn call_inner(&mut self, tag: &str, time_sec: u32, time_nsec: u32, record: Option<&str>) -> Outcome {
        let mut tag_c = tag.as_bytes().to_vec();
        tag_c.push(0);
        let tag_buf = self.dup(&tag_c);
        let (rec_buf, rec_len) = match record {
            Some(record) => {
                let mut rec_c = record.as_bytes().to_vec();
                rec_c.push(0);
                (self.dup(&rec_c), record.len() as i32)
            }
            None => (0, 0),
        };
        let args = (tag_buf, tag.len() as i32, time_sec as i32, time_nsec as i32, rec_buf, rec_len);
        let result = self.function.call(&mut self.store, args);
        let outcome = match result {
            Err(trap) => Outcome::Trapped(trap.to_string()),
            Ok(ptr) => match self.read_c_str(ptr) {
                None => Outcome::Trapped("[wasm] returned value is invalid".into()),
                Some(_) if ptr == 0 => Outcome::Dropped,
                Some(s) if s.is_empty() => Outcome::Dropped,
                Some(s) => {
                    let text = String::from_utf8(s).expect("module returned UTF-8");
                    let parsed: serde_json::Value = serde_json::from_str(&text).expect("module returned valid JSON");
                    assert!(parsed.is_object(), "module returned JSON that is not an object");
                    if ptr == rec_buf && rec_buf != 0 { Outcome::Unchanged(text) } else { Outcome::Replaced(text) }
                }
            },
        };
        for buf in [tag_buf, rec_buf] {
            if buf != 0 {
                self.free.call(&mut self.store, buf).expect("free");
            }
        }
        outcome
    }

    /// `wasm_runtime_validate_app_str_addr` + copy: `None` when no NUL before memory ends.
    fn read_c_str(&self, ptr: i32) -> Option<Vec<u8>> {
        let data = self.memory.data(&self.store);
        let start = ptr as u32 as usize;
        let rest = data.get(start..)?;
        let nul = memchr::memchr(0, rest)?;
        Some(rest[..nul].to_vec())
    }

    /// Calls the module's `hush_counter` export.
    pub fn counter(&mut self, index: u32) -> i64 {
        let f = self.instance.get_typed_func::<i32, i64>(&self.store, "hush_counter").expect("hush_counter export");
        f.call(&mut self.store, index as i32).expect("hush_counter")
    }

    /// Nanoseconds of the module's monotonic clock.
    pub fn now_ns(&self) -> u64 {
        self.start.elapsed().as_nanos() as u64 + self.store.data().clock_offset_ns
    }
}

fn memory(caller: &Caller<'_, HostState>) -> Memory {
    caller.get_export("memory").and_then(Extern::into_memory).expect("exported memory")
}

fn read_u32(caller: &Caller<'_, HostState>, at: i32) -> u32 {
    let mut b = [0u8; 4];
    memory(caller).read(caller, at as u32 as usize, &mut b).expect("in bounds");
    u32::from_le_bytes(b)
}

fn write(caller: &mut Caller<'_, HostState>, at: i32, data: &[u8]) {
    let mem = memory(caller);
    mem.write(caller, at as u32 as usize, data).expect("in bounds");
}

/// The WASI preview1 stubs.
fn wasi(
    name: &str,
    mut caller: Caller<'_, HostState>,
    params: &[Val],
    results: &mut [Val],
    start: std::time::Instant,
) -> Result<(), wasmi::Error> {
    let arg = |i: usize| params[i].i32().expect("i32 argument");
    let errno = match name {
        "fd_write" => {
            let (fd, iovs, n) = (arg(0), arg(1), arg(2));
            let mut total = 0u32;
            for i in 0..n {
                let base = read_u32(&caller, iovs + i * 8);
                let len = read_u32(&caller, iovs + i * 8 + 4);
                let mut buf = vec![0u8; len as usize];
                memory(&caller).read(&caller, base as usize, &mut buf).expect("in bounds");
                if fd == 1 || fd == 2 {
                    caller.data_mut().stderr.extend_from_slice(&buf);
                }
                total += len;
            }
            write(&mut caller, arg(3), &total.to_le_bytes());
            0
        }
        "clock_time_get" => {
            if std::mem::take(&mut caller.data_mut().trap_next_clock) {
                return Err(wasmi::Error::new("injected trap in clock_time_get"));
            }
            let ns = if arg(0) == 0 {
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
            } else {
                start.elapsed().as_nanos() as u64
            } + caller.data().clock_offset_ns;
            let at = params[2].i32().expect("i32 pointer");
            write(&mut caller, at, &ns.to_le_bytes());
            0
        }
        "random_get" => {
            let (buf, len) = (arg(0), arg(1));
            let mut bytes = vec![0u8; len as usize];
            for b in &mut bytes {
                let s = &mut caller.data_mut().rng;
                *s ^= *s << 13;
                *s ^= *s >> 7;
                *s ^= *s << 17;
                *b = *s as u8;
            }
            write(&mut caller, buf, &bytes);
            0
        }
        "environ_sizes_get" | "args_sizes_get" => {
            write(&mut caller, arg(0), &0u32.to_le_bytes());
            write(&mut caller, arg(1), &0u32.to_le_bytes());
            0
        }
        "environ_get" | "args_get" | "sched_yield" => 0,
        "proc_exit" => return Err(wasmi::Error::new("proc_exit")),
        "fd_prestat_get" | "fd_prestat_dir_name" | "fd_close" | "fd_fdstat_get" => EBADF,
        _ => ENOSYS,
    };
    if let Some(r) = results.first_mut() {
        *r = Val::I32(errno);
    }
    Ok(())
}

/// The built module: `HUSH_WASM`, or the release build under the target directory.
pub fn module_path() -> std::path::PathBuf {
    if let Some(p) = std::env::var_os("HUSH_WASM") {
        return p.into();
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("wasm32-wasip1/release/hush_fluent_bit.wasm")
}
