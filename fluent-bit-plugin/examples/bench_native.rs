//! Records per second through the filter logic compiled natively (no WebAssembly): the
//! module's cost without an interpreter, and the core's `redact_json` alone.
//!
//! Usage: `cargo run --release --example bench_native [N] [--kind K] [--filter | --core]`
//! (N records of each kind of `bench/records.rs`, or of kind K only, default 1,000,000;
//! through the filter and then the core alone, or only one of them). Kind 3 is a record
//! with no literal in any string (the filter's fast path). For instruction counts, run it
//! under `valgrind --tool=callgrind` at two values of N and difference the totals.

use std::time::Instant;

use hush_fluent_bit::{Filter, Verdict};

#[path = "../bench/records.rs"]
mod records;

/// A record of the shape of the key record whose strings hold no literal at all.
fn clean(i: usize) -> String {
    format!(r#"{{"level":"info","msg":"user login","user":"bob","path":"/home/x","seq":{i}}}"#)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut n = 1_000_000usize;
    let mut only = None;
    let (mut filter, mut core) = (true, true);
    while let Some(a) = args.next() {
        if a == "--kind" {
            only = args.next().and_then(|k| k.parse::<usize>().ok());
        } else if a == "--filter" {
            core = false;
        } else if a == "--core" {
            filter = false;
        } else if let Ok(v) = a.parse() {
            n = v;
        }
    }
    let no_literal = records::Kind { name: "no literal", make: clean, redacted: false };
    let kinds: Vec<records::Kind> = records::KINDS.into_iter().chain([no_literal]).collect();
    let mut f = Filter::new();
    let r = hush::Redactor::default();
    for (k, records::Kind { name, make, redacted }) in kinds.into_iter().enumerate() {
        if only.is_some_and(|o| o != k) {
            continue;
        }
        let records: Vec<String> = (0..1000).map(make).collect();
        let want = if redacted { Verdict::Rewritten } else { Verdict::Unchanged };
        if filter {
            let start = Instant::now();
            for i in 0..n {
                let v = f.filter(b"bench", Some(records[i % records.len()].as_bytes()));
                assert_eq!(v, want, "{name}");
            }
            let secs = start.elapsed().as_secs_f64();
            println!("native filter      {name:<22} {n} records in {secs:.2} s = {:.0} records/s", n as f64 / secs);
        }
        if core {
            let start = Instant::now();
            for i in 0..n {
                std::hint::black_box(r.redact_json(records[i % records.len()].as_bytes()).expect("valid JSON"));
            }
            let secs = start.elapsed().as_secs_f64();
            println!("core redact_json   {name:<22} {n} records in {secs:.2} s = {:.0} records/s", n as f64 / secs);
        }
    }
}
