//! Records per second through the filter logic compiled natively (no WebAssembly): the
//! module's cost without an interpreter. Usage: `cargo run --release --example bench_native [N]`.

use std::time::Instant;

use hush_fluent_bit::{Filter, Verdict};

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    let mut f = Filter::new();
    let records: Vec<String> = (0..1000)
        .map(|i| format!(r#"{{"level":"info","msg":"user login","password":"hunter2","path":"/api/v1/x","seq":{i}}}"#))
        .collect();
    let start = Instant::now();
    for i in 0..n {
        let v = f.filter(b"bench", Some(records[i % records.len()].as_bytes()));
        assert_eq!(v, Verdict::Rewritten);
    }
    let secs = start.elapsed().as_secs_f64();
    core_only(n);
    keys_only(n);
    println!("native filter  key record  {n} records in {secs:.2} s = {:.0} records/s", n as f64 / secs);
}

fn core_only(n: usize) {
    let r = hush::Redactor::default();
    let rec = br#"{"level":"info","msg":"user login","password":"hunter2","path":"/api/v1/x","seq":1}"#;
    let start = Instant::now();
    for _ in 0..n {
        std::hint::black_box(r.redact_json(rec).unwrap());
    }
    println!("core redact_json {:.0}/s", n as f64 / start.elapsed().as_secs_f64());
    let start = Instant::now();
    for _ in 0..n {
        std::hint::black_box(r.scan(b"/api/v1/x1234567890918273645546372819098765432101234567"));
    }
    println!("core scan probe {:.0}/s", n as f64 / start.elapsed().as_secs_f64());
}

fn keys_only(n: usize) {
    let r = hush::Redactor::default();
    let start = Instant::now();
    for _ in 0..n {
        for k in ["level", "msg", "password", "path", "seq"] {
            std::hint::black_box(r.key_rule(k));
        }
    }
    println!("core key_rule x5 {:.0}/s", n as f64 / start.elapsed().as_secs_f64());
}
