//! The two record kinds of the Fluent Bit benchmarks, shared (`#[path]`) by
//! `examples/bench_harness.rs` and `wamr-bench`; `benches/fluentbit_bench.lua` builds the
//! same records in Lua.

/// Builds the record with sequence number `i`.
pub type MakeRecord = fn(usize) -> String;

/// A record with a sensitive key, and one with secrets inside a `log` string.
pub const KINDS: [(&str, MakeRecord); 2] = [
    ("key record", |i| {
        format!(r#"{{"level":"info","msg":"user login","password":"hunter2","path":"/api/v1/x","seq":{i}}}"#)
    }),
    ("secret in log string", |i| {
        format!(
            r#"{{"log":"2024-05-01T10:00:00Z GET /api/v1/x?api_key=abc123xyz{i} Authorization: Bearer 9f8e7d6c5b4a39281706f5e4 DB_PASSWORD=plum-Orbit-4471\n","stream":"stdout","seq":{i}}}"#
        )
    }),
];
