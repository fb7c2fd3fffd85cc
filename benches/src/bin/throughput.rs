//! Quick one-shot throughput probe: `throughput [MB] [known-values]` prints MB/s of
//! `redact` and of the streaming writer on the realistic corpus, and the candidate rate.
//! `CORPUS=FILE` reads the input from a file instead. `ONLY=redact` or `ONLY=stream` runs one of the two (for profiling); `REPS=N` warms up
//! `redact` N-1 times first; `NO_SIMD=1` scans without the SIMD prefilter.

use std::io::Write;
use std::time::Instant;

fn main() {
    let mb: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(64);
    let known: usize = std::env::args().nth(2).and_then(|s| s.parse().ok()).unwrap_or(0);
    let input = match std::env::var_os("CORPUS") {
        Some(path) => std::fs::read(path).expect("CORPUS names a readable file"),
        None => hush_benches::corpus(mb << 20, hush_benches::Density::OneIn(200), 7),
    };
    // NO_SIMD=1: the portable lane walk instead of the SIMD prefilter.
    let mut b = hush::Redactor::builder().vector_prefilter(std::env::var_os("NO_SIMD").is_none());
    for v in hush_benches::KNOWN_VALUES {
        b = b.known_value(v.as_bytes());
    }
    for i in 0..known {
        b = b.known_value(format!("known-value-{i:06}-xyz").as_bytes());
    }
    let t = Instant::now();
    let r = b.build().unwrap();
    eprintln!("build: {:?}", t.elapsed());
    let only = std::env::var("ONLY").unwrap_or_default();
    let reps: usize = std::env::var("REPS").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    for _ in 1..reps {
        std::hint::black_box(r.redact(&input));
    }
    if only != "stream" {
        redact_probe(&r, &input);
    }
    if only != "redact" {
        stream_probe(&r, &input);
    }
}

fn redact_probe(r: &hush::Redactor, input: &[u8]) {
    let t = Instant::now();
    let (out, report) = r.redact_with_report(input);
    let secs = t.elapsed().as_secs_f64();
    println!(
        "redact: {:.0} MB/s ({} findings, {} bytes out)",
        input.len() as f64 / secs / 1e6,
        report.total(),
        out.len()
    );
    let mb = input.len() as f64 / 1e6;
    println!(
        "candidate lines: {:.0}/MB of {:.0} lines/MB; confirmed findings: {:.1}/MB",
        report.candidate_lines as f64 / mb,
        report.lines as f64 / mb,
        report.total() as f64 / mb
    );
}

fn stream_probe(r: &hush::Redactor, input: &[u8]) {
    let t = Instant::now();
    let mut w = r.stream(std::io::sink());
    for chunk in input.chunks(64 << 10) {
        w.write_all(chunk).unwrap();
    }
    w.finish().unwrap();
    let secs = t.elapsed().as_secs_f64();
    println!("stream: {:.0} MB/s", input.len() as f64 / secs / 1e6);
}
