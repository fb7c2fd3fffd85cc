//! The Fluent Bit record path: arbitrary bytes, split at `\n` into records, through the
//! plugin's `Filter` as the `hush_filter` export calls it. The invariants (never a panic;
//! JSON objects keep their member names and a second pass changes nothing; anything else
//! gets the fail-closed error record) are in `checks/fluentbit_record.rs`.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

#[path = "../checks/fluentbit_record.rs"]
mod check;

fn redactor() -> &'static hush::Redactor {
    static R: OnceLock<hush::Redactor> = OnceLock::new();
    R.get_or_init(|| hush::Redactor::builder().known_value(b"plum-Orbit-4471").build().unwrap())
}

fuzz_target!(|data: &[u8]| check::check(redactor(), data));
