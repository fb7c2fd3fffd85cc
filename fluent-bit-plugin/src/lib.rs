//! # hush for Fluent Bit's `filter_wasm`
//!
//! Built for `wasm32-wasip1`, this crate is a module exporting
//! `hush_filter(tag_ptr, tag_len, time_sec, time_nsec, record_ptr, record_len) -> ptr` for
//! `Event_Format json`: it redacts each record with the core's
//! [`redact_json`](hush::Redactor::redact_json) and returns a NUL-terminated JSON object
//! in a module-owned buffer reused across calls, or `record_ptr` itself when nothing
//! changed. See README.md for the host contract and configuration.
//!
//! The filter logic ([`Filter`]) is plain Rust and tested on the host; only the export
//! shim in `wasm.rs` is specific to WebAssembly.

// The allocator is the module's; on the host it is only tested.
#[cfg(any(target_arch = "wasm32", test))]
mod alloc;
mod filter;
mod pem;
mod scan;
mod source;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use filter::{Counters, DEFAULT_RECORD_CAP, DOCKER_SPLIT, Filter, Verdict};
pub use source::{CONFIG_FILE, RELOAD_INTERVAL, SECRETS_DIR};

/// Indexes accepted by the `hush_counter` export, in the order of [`Counters`]' fields.
pub const COUNTER_NAMES: [&str; 10] = [
    "records",
    "unchanged",
    "redacted",
    "invalid_json",
    "null_record",
    "over_cap",
    "pem_lines",
    "partial_tails",
    "reloads",
    "load_errors",
];

impl Counters {
    /// The counter at `index` of [`COUNTER_NAMES`], or -1 when out of range.
    pub fn get(&self, index: usize) -> i64 {
        let all = [
            self.records,
            self.unchanged,
            self.redacted,
            self.invalid_json,
            self.null_record,
            self.over_cap,
            self.pem_lines,
            self.partial_tails,
            self.reloads,
            self.load_errors,
        ];
        all.get(index).map_or(-1, |&v| v as i64)
    }
}
