//! Criterion benches of the core: `redact` and the streaming writer by ruleset, secret
//! density, line length and chunk size. Run `cargo bench -p hush-benches`; the quick
//! subset is `cargo bench -p hush-benches -- quick`.

use std::hint::black_box;
use std::io::Write;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use hush::Redactor;
use hush_benches::{Density, KNOWN_VALUES, corpus, quiet_corpus};

const SIZE: usize = 4 << 20;

fn with_known(n: usize) -> Redactor {
    let mut b = Redactor::builder();
    for v in KNOWN_VALUES {
        b = b.known_value(v.as_bytes());
    }
    for i in 0..n {
        b = b.known_value(format!("known-value-{i:06}-{}", i * 7919 % 10007).as_bytes());
    }
    b.build().unwrap()
}

fn gitleaks() -> Option<Redactor> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/data/gitleaks.toml");
    let text = std::fs::read_to_string(path).ok()?;
    Redactor::builder().gitleaks_toml(&text).build().ok()
}

fn quick(c: &mut Criterion) {
    let input = corpus(SIZE, Density::OneIn(200), 1);
    let r = with_known(0);
    let (_, report) = r.redact_with_report(&input);
    let mb = input.len() as f64 / 1e6;
    eprintln!(
        "candidate rate: {:.0} candidate lines/MB of {:.0} lines/MB, {:.1} confirmed findings/MB",
        report.candidate_lines as f64 / mb,
        report.lines as f64 / mb,
        report.total() as f64 / mb
    );
    let mut g = c.benchmark_group("quick");
    g.throughput(Throughput::Bytes(input.len() as u64)).sample_size(10).measurement_time(Duration::from_secs(3));
    g.bench_function("redact/defaults", |b| b.iter(|| black_box(r.redact(&input))));
    g.bench_function("stream/defaults/64KiB", |b| {
        b.iter(|| {
            let mut w = r.stream(std::io::sink());
            for chunk in input.chunks(64 << 10) {
                w.write_all(chunk).unwrap();
            }
            black_box(w.finish().unwrap().1)
        })
    });
    g.finish();
}

/// One call per short text, as the logging filters, the C ABI (the Fluent Bit Lua filter)
/// and the JS package redact: a log line with three secrets, the same as a value bound to a
/// key that is not sensitive, and a JSON record holding it.
fn one_shot(c: &mut Criterion) {
    let line: &[u8] = b"2024-05-01T10:00:00Z GET /api/v1/x?api_key=abc123xyz7 Authorization: Bearer 9f8e7d6c5b4a39281706f5e4 DB_PASSWORD=plum-Orbit-4471";
    let record = br#"{"log":"2024-05-01T10:00:00Z GET /api/v1/x?api_key=abc123xyz7 Authorization: Bearer 9f8e7d6c5b4a39281706f5e4 DB_PASSWORD=plum-Orbit-4471\n","stream":"stdout","seq":7}"#;
    let r = with_known(0);
    let mut g = c.benchmark_group("one-shot");
    g.sample_size(20).measurement_time(Duration::from_secs(3));
    g.bench_function("redact/log-line", |b| b.iter(|| black_box(r.redact(black_box(line)))));
    g.bench_function("redact_value/log-line", |b| b.iter(|| black_box(r.redact_value("log", black_box(line)))));
    g.bench_function("redact_json/log-record", |b| b.iter(|| black_box(r.redact_json(black_box(record)))));
    g.finish();
}

fn rulesets(c: &mut Criterion) {
    let input = corpus(SIZE, Density::OneIn(200), 2);
    let mut g = c.benchmark_group("ruleset");
    g.throughput(Throughput::Bytes(input.len() as u64)).sample_size(10).measurement_time(Duration::from_secs(2));
    let keys_only = Redactor::builder().builtin_formats(false).build().unwrap();
    g.bench_function("keys-only", |b| b.iter(|| black_box(keys_only.redact(&input))));
    g.bench_function("defaults", |b| b.iter(|| black_box(with_known(0).redact(&input))));
    if let Some(r) = gitleaks() {
        g.bench_function("defaults+gitleaks", |b| b.iter(|| black_box(r.redact(&input))));
    }
    for n in [10, 1_000, 10_000] {
        let r = with_known(n);
        g.bench_with_input(BenchmarkId::new("known-values", n), &n, |b, _| b.iter(|| black_box(r.redact(&input))));
    }
    g.finish();
}

fn density(c: &mut Criterion) {
    let r = with_known(0);
    let mut g = c.benchmark_group("density");
    g.sample_size(10).measurement_time(Duration::from_secs(2));
    for (name, d) in [
        ("none", Density::None),
        ("1-in-1000", Density::OneIn(1000)),
        ("1-in-20", Density::OneIn(20)),
        ("every-line", Density::OneIn(1)),
    ] {
        let input = corpus(SIZE, d, 3);
        g.throughput(Throughput::Bytes(input.len() as u64));
        g.bench_function(name, |b| b.iter(|| black_box(r.redact(&input))));
    }
    let quiet = quiet_corpus(SIZE, 120, 4);
    g.throughput(Throughput::Bytes(quiet.len() as u64));
    g.bench_function("no-candidates", |b| b.iter(|| black_box(r.redact(&quiet))));
    g.finish();
}

fn line_length(c: &mut Criterion) {
    let r = with_known(0);
    let mut g = c.benchmark_group("line-length");
    g.sample_size(10).measurement_time(Duration::from_secs(2));
    for (name, len) in [("80B", 80), ("4KiB", 4 << 10), ("1MiB", 1 << 20)] {
        let mut input = quiet_corpus(SIZE, len, 5);
        // One secret every 64 KiB so the confirm path runs too.
        for at in (0..input.len().saturating_sub(64)).step_by(64 << 10) {
            input[at..at + 18].copy_from_slice(b" password=hunter2 ");
        }
        g.throughput(Throughput::Bytes(input.len() as u64));
        g.bench_function(name, |b| b.iter(|| black_box(r.redact(&input))));
    }
    g.finish();
}

fn chunk_size(c: &mut Criterion) {
    let r = with_known(0);
    let input = corpus(SIZE, Density::OneIn(200), 6);
    let mut g = c.benchmark_group("stream-chunk");
    g.throughput(Throughput::Bytes(input.len() as u64)).sample_size(10).measurement_time(Duration::from_secs(2));
    for size in [64usize, 4 << 10, 64 << 10] {
        g.bench_with_input(BenchmarkId::from_parameter(size), &size, |b, &size| {
            b.iter(|| {
                let mut w = r.stream(std::io::sink());
                for chunk in input.chunks(size) {
                    w.write_all(chunk).unwrap();
                }
                black_box(w.finish().unwrap().1)
            })
        });
    }
    g.finish();
}

criterion_group!(benches, quick, one_shot, rulesets, density, line_length, chunk_size);
criterion_main!(benches);
