//! The record kinds of the Fluent Bit benchmarks, shared (`#[path]`) by
//! `examples/bench_harness.rs`, `examples/bench_native.rs` and `wamr-bench`;
//! `benches/fluentbit_bench.lua` builds the same records in Lua.

/// Builds the record with sequence number `i`.
pub type MakeRecord = fn(usize) -> String;

/// One kind of record: its name, how to build it, and whether hush changes it.
#[derive(Clone, Copy)]
pub struct Kind {
    pub name: &'static str,
    pub make: MakeRecord,
    pub redacted: bool,
}

/// A record with a sensitive key, one with secrets inside a `log` string, and a `log`
/// line with no secret (what most of a cluster's records are).
pub const KINDS: [Kind; 3] = [
    Kind {
        name: "key record",
        make: |i| format!(r#"{{"level":"info","msg":"user login","password":"hunter2","path":"/api/v1/x","seq":{i}}}"#),
        redacted: true,
    },
    Kind {
        name: "secret in log string",
        make: |i| {
            format!(
                r#"{{"log":"2024-05-01T10:00:00Z GET /api/v1/x?api_key=abc123xyz{i} Authorization: Bearer 9f8e7d6c5b4a39281706f5e4 DB_PASSWORD=plum-Orbit-4471\n","stream":"stdout","seq":{i}}}"#
            )
        },
        redacted: true,
    },
    Kind {
        name: "log line, no secret",
        make: |i| {
            format!(
                r#"{{"log":"2024-05-01T10:00:00Z INFO GET /api/v1/x?page={i} 200 OK in 12 ms (client 10.0.0.7, agent curl/8.5)\n","stream":"stdout","seq":{i}}}"#
            )
        },
        redacted: false,
    },
];
