//! The built `.wasm` module under a host that calls it exactly as Fluent Bit does.
//!
//! Needs the release module (`cargo build --release --target wasm32-wasip1` from
//! `fluent-bit-plugin/`, or `HUSH_WASM=path`). When it is missing the tests say so and
//! pass, unless `HUSH_REQUIRE_WASM=1` (set by run-tests.sh and CI) makes that a failure.

mod common;

/// Compares without printing either side: a failure must not echo a secret.
macro_rules! same {
    ($a:expr, $b:expr, $($what:tt)+) => {
        assert!($a == $b, $($what)+)
    };
}

use common::host::{Host, Outcome, module_path};
use serde_json::{Value, json};

fn host() -> Option<Host> {
    let path = module_path();
    if !path.exists() {
        assert!(
            std::env::var_os("HUSH_REQUIRE_WASM").is_none(),
            "module not built: {} (run fluent-bit-plugin/run-tests.sh)",
            path.display()
        );
        eprintln!("skipped: module not built at {}", path.display());
        return None;
    }
    Some(Host::load(&path, "hush_filter"))
}

/// Fluent Bit's JSON: non-ASCII as `\uXXXX`.
fn fb_json(v: &Value) -> String {
    let s = serde_json::to_string(v).unwrap();
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        }
    }
    out
}

fn parse(s: &str) -> Value {
    serde_json::from_str(s).unwrap()
}

fn core_json(record: &str) -> Value {
    let r = hush::Redactor::default();
    parse(std::str::from_utf8(&r.redact_json(record.as_bytes()).unwrap()).unwrap())
}

#[test]
fn keys_and_embedded_text() {
    let Some(mut h) = host() else { return };
    let rec = fb_json(&json!({
        "user": "alice",
        "password": "hunter2",
        "log": "GET /x Authorization: Bearer 9f8e7d6c5b4a39281706f5e4\n",
        "status": 200
    }));
    let out = h.call("app.web", 1_700_000_000, 5, &rec);
    let Outcome::Replaced(text) = &out else { panic!("expected a rewritten record, got {out:?}") };
    let v = parse(text);
    assert_eq!(v["user"], "alice");
    same!(v["password"], "[REDACTED]", "password not masked");
    same!(v["log"], "GET /x Authorization: Bearer [REDACTED]\n", "bearer token not masked");
    assert_eq!(v["status"], 200);
    same!(v, core_json(&rec), "differs from the core");
}

#[test]
fn nested_maps_and_arrays() {
    let Some(mut h) = host() else { return };
    let rec = fb_json(&json!({
        "kubernetes": {"pod": "web-1", "labels": {"app": "web"}},
        "request": {"headers": {"Authorization": "Basic YWRtaW46aHVudGVyMg==", "Accept": "*/*"}},
        "env": ["PATH=/usr/bin", "DB_PASSWORD=plum-Orbit-4471", {"api_key": "abc123xyz"}],
        "tokens": {"secret": ["a1b2c3d4e5", 42]}
    }));
    let out = h.call("k8s", 0, 0, &rec);
    let v = parse(out.record().expect("record kept"));
    assert_eq!(v["kubernetes"], json!({"pod": "web-1", "labels": {"app": "web"}}));
    assert_eq!(v["request"]["headers"]["Accept"], "*/*");
    assert!(!v.to_string().contains("YWRtaW46aHVudGVyMg"), "basic credential left in output");
    assert_eq!(v["env"][0], "PATH=/usr/bin");
    same!(v["env"][1], "DB_PASSWORD=[REDACTED]", "env password not masked");
    same!(v["env"][2]["api_key"], "[REDACTED]", "nested api_key not masked");
    assert!(!v.to_string().contains("a1b2c3d4e5"), "value under a sensitive key left in output");
    same!(v, core_json(&rec), "differs from the core");
}

#[test]
fn unicode_escapes() {
    let Some(mut h) = host() else { return };
    let rec = fb_json(&json!({"msg": "café ☕ 😀 user=zoë password=plüm-Orbit-4471 done\n", "name": "Zoë"}));
    assert!(rec.contains("\\u00e9") && rec.contains("\\ud83d\\ude00"));
    let out = h.call("u", 0, 0, &rec);
    let v = parse(out.record().expect("record kept"));
    same!(v["msg"], "café ☕ 😀 user=zoë password=[REDACTED] done\n", "msg not redacted as expected");
    assert_eq!(v["name"], "Zoë");
}

#[test]
fn one_mib_record_is_redacted() {
    let Some(mut h) = host() else { return };
    let filler = "lorem ipsum dolor sit amet ".repeat((1 << 20) / 27);
    let rec = fb_json(&json!({"log": format!("{filler} token=plum-Orbit-4471 end\n"), "seq": 1}));
    assert!(rec.len() > 1 << 20);
    let out = h.call("big", 0, 0, &rec);
    let Outcome::Replaced(text) = out else { panic!("1 MiB record not redacted") };
    let v = parse(&text);
    assert!(v["log"].as_str().unwrap().ends_with(" token=[REDACTED] end\n"));
    assert!(v.get("hush_error").is_none());
}

#[test]
fn unchanged_record_is_returned_in_place() {
    let Some(mut h) = host() else { return };
    let rec = r#"{"level":"info","msg":"user login","path":"/api/v1/users","seq":7}"#;
    assert_eq!(h.call("t", 0, 0, rec), Outcome::Unchanged(rec.to_owned()));
    let names = hush_fluent_bit::COUNTER_NAMES;
    let idx = |n: &str| names.iter().position(|x| *x == n).unwrap() as u32;
    assert_eq!(h.counter(idx("records")), 1);
    assert_eq!(h.counter(idx("unchanged")), 1);
}

#[test]
fn error_paths_fail_closed_and_count() {
    let Some(mut h) = host() else { return };
    let names = hush_fluent_bit::COUNTER_NAMES;
    let idx = |n: &str| names.iter().position(|x| *x == n).unwrap() as u32;
    // Not JSON: the harmless numbers and booleans survive, nothing else.
    let out = h.call("t", 0, 0, r#"{"pid":42,"ok":true,"password":1234,"msg":"password=hunter2 unterminated"#);
    same!(
        parse(out.record().unwrap()),
        json!({"hush_error": "invalid JSON", "pid": 42, "ok": true}),
        "invalid JSON record"
    );
    assert_eq!(h.counter(idx("invalid_json")), 1);
    // Not an object.
    let out = h.call("t", 0, 0, r#"["password=hunter2"]"#);
    assert_eq!(parse(out.record().unwrap()), json!({"hush_error": "invalid JSON"}));
    // Over the 16 MiB cap.
    let big = format!(r#"{{"n":1,"log":"{}"}}"#, "a".repeat(hush_fluent_bit::DEFAULT_RECORD_CAP));
    let out = h.call("t", 0, 0, &big);
    assert_eq!(parse(out.record().unwrap()), json!({"hush_error": "record over the size cap", "n": 1}));
    assert_eq!(h.counter(idx("over_cap")), 1);
    // A null record pointer (the host could not copy the record).
    let out = h.call_raw("t", None);
    assert_eq!(
        parse(out.record().unwrap()),
        json!({"hush_error": "record not copied into module memory (raise wasm_heap_size)"})
    );
    assert_eq!(h.counter(idx("null_record")), 1);
}

#[test]
fn dropped_after_trap_and_next_call_works() {
    let Some(mut h) = host() else { return };
    h.store.data_mut().trap_next_clock = true;
    let rec = r#"{"password":"hunter2"}"#;
    let out = h.call("t", 0, 0, rec);
    assert!(matches!(out, Outcome::Trapped(_)), "expected a trap, got {out:?}");
    assert_eq!(out.record(), None, "a trapped call drops the record");
    for _ in 0..3 {
        let out = h.call("t", 0, 0, rec);
        same!(parse(out.record().unwrap()), json!({"password": "[REDACTED]"}), "not redacted after a trap");
    }
}

#[test]
fn pem_key_split_across_three_records() {
    let Some(mut h) = host() else { return };
    let lines = [
        "-----BEGIN RSA PRIVATE KEY-----\n",
        "MIIEowIBAAKCAQEAr7xQ9mB3cd5e8f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8\n",
        "-----END RSA PRIVATE KEY-----\n",
    ];
    let mut logs = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        // Another tag's records in between are not affected.
        let other = h.call("other", 0, 0, &fb_json(&json!({"log": "QUJDREVGR0hJSktMTU5PUA\n"})));
        assert!(matches!(other, Outcome::Unchanged(_)), "record {i} of another tag changed");
        let out = h.call("pod-a", 0, 0, &fb_json(&json!({"log": line, "stream": "stderr"})));
        let v = parse(out.record().unwrap());
        assert_eq!(v["stream"], "stderr");
        logs.push(v["log"].as_str().unwrap().to_owned());
    }
    same!(logs, [lines[0], "[REDACTED]\n", lines[2]], "PEM body not masked across records");
    let after = h.call("pod-a", 0, 0, &fb_json(&json!({"log": "QUJDREVGR0hJSktMTU5PUA\n"})));
    assert!(matches!(after, Outcome::Unchanged(_)), "block stayed open after END");
}

#[test]
fn memory_does_not_grow_over_100k_calls() {
    let Some(mut h) = host() else { return };
    let records: Vec<String> = (0..8)
        .map(|i| match i % 4 {
            0 => format!(r#"{{"level":"info","msg":"user login","password":"hunter2","path":"/api/v1/x","seq":{i}}}"#),
            1 => format!(r#"{{"log":"GET /a?api_key=abc123xyz{i} HTTP/1.1\n","seq":{i}}}"#),
            2 => format!(r#"{{"level":"info","msg":"ok","seq":{i}}}"#),
            _ => format!(r#"{{"nested":{{"token":"abcdef{i}","list":[1,2,"x"]}}}}"#),
        })
        .collect();
    for i in 0..2_000 {
        assert!(h.call("warm", 0, 0, &records[i % records.len()]).record().is_some());
    }
    let pages = h.pages();
    for i in 0..100_000 {
        let out = h.call("steady", i as u32, 0, &records[i % records.len()]);
        assert!(out.record().is_some(), "call {i} dropped");
    }
    assert_eq!(h.pages(), pages, "module memory grew");
}

#[test]
fn corpus_lines_as_log_records_match_the_core() {
    let Some(mut h) = host() else { return };
    let core = hush::Redactor::default();
    let mut lines: Vec<(String, String)> = [
        "2024-05-01 connect user=app password=plum-Orbit-4471 host=db",
        "curl -H 'Authorization: Bearer 9f8e7d6c5b4a39281706f5e4' https://api",
        "postgres://app:s3cr3t-pw@db:5432/prod",
        r#"{"token": "abcdef123456", "user": "bob"}"#,
        "Traceback: connect(password='hunter2hunter2')",
        "nothing to see here",
    ]
    .iter()
    .enumerate()
    .map(|(i, l)| (format!("builtin/{i}"), (*l).to_owned()))
    .collect();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/conformance");
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let cases: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            for case in cases {
                // Cases with options need a config the module reads from accessible_paths.
                let options_empty = case.get("options").is_none_or(|o| o.as_object().is_none_or(|m| m.is_empty()));
                if let (true, Some(input)) = (options_empty, case["input"].as_str()) {
                    lines.push((case["name"].as_str().unwrap_or("?").to_owned(), input.to_owned()));
                }
            }
        }
    }
    let mut checked = 0;
    for (i, (name, input)) in lines.iter().enumerate() {
        // A complete line, as Docker and CRI deliver it (so no tail is cut short).
        let line = if input.ends_with('\n') { input.clone() } else { format!("{input}\n") };
        let want = String::from_utf8(core.redact(line.as_bytes()).into_owned()).unwrap();
        let out = h.call(&format!("corpus-{i}"), 0, 0, &fb_json(&json!({ "log": line })));
        let v = parse(out.record().unwrap_or_else(|| panic!("{name}: record dropped")));
        same!(v["log"].as_str(), Some(want.as_str()), "case {name}: differs from the core");
        checked += 1;
    }
    assert!(checked >= 6);
}
