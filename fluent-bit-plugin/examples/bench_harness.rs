//! Records per second through the `.wasm` module under the Fluent Bit host harness
//! (wasmi interpreter). Usage: `cargo run --release --example bench_harness [N]`
//! (module from `HUSH_WASM` or the release build; N defaults to 1,000,000).

#[path = "../tests/common/host.rs"]
mod host;

use std::time::Instant;

#[path = "../bench/records.rs"]
mod records;

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let path = host::module_path();
    let mut h = host::Host::load(&path, "hush_filter");
    for records::Kind { name, make, redacted } in records::KINDS {
        let records: Vec<String> = (0..1000).map(make).collect();
        let start = Instant::now();
        let (mut replaced, mut unchanged) = (0usize, 0usize);
        for i in 0..n {
            match h.call("bench", i as u32, 0, &records[i % records.len()]) {
                host::Outcome::Replaced(_) => replaced += 1,
                host::Outcome::Unchanged(_) => unchanged += 1,
                other => panic!("{name}: record {i} not kept: {other:?}"),
            }
        }
        let secs = start.elapsed().as_secs_f64();
        assert_eq!(if redacted { replaced } else { unchanged }, n, "{name}: records not as expected");
        println!("wasm harness (wasmi)  {name:<22} {n} records in {secs:.2} s = {:.0} records/s", n as f64 / secs);
    }
}
