//! Native baseline for `benches/wasm_bench.mjs`: the core's `redact` MB/s on a file,
//! with the default rules, best of several runs. Prints one JSON line.
//!
//! `cargo run --release -p hush-wasm --example native_bench -- corpus.log [runs]`

use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: native_bench <file> [runs]");
    let runs: usize = args.next().map_or(7, |r| r.parse().expect("runs is a number"));
    let input = std::fs::read(&path).expect("read corpus");
    let redactor = hush::Redactor::default();
    let mut best = f64::INFINITY;
    let mut masked = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let (out, report) = redactor.redact_with_report(&input);
        let secs = start.elapsed().as_secs_f64();
        std::hint::black_box(out);
        masked = report.total();
        best = best.min(secs);
    }
    let mbps = input.len() as f64 / best / 1e6;
    println!("{{\"bytes\":{},\"seconds\":{best:.6},\"mbps\":{mbps:.1},\"masked\":{masked}}}", input.len());
}
