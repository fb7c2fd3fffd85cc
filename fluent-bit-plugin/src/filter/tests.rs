use std::path::PathBuf;
use std::time::{Duration, Instant};

use super::*;
use crate::source::RELOAD_INTERVAL;

fn run(f: &mut Filter, tag: &str, record: &str) -> Option<String> {
    match f.filter(tag.as_bytes(), Some(record.as_bytes())) {
        Verdict::Unchanged => None,
        Verdict::Rewritten => {
            let out = f.output();
            assert_eq!(out.last(), Some(&0), "output not NUL-terminated");
            Some(String::from_utf8(out[..out.len() - 1].to_vec()).unwrap())
        }
    }
}

/// A fresh directory under the system temp dir.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hush-fb-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn unchanged_records_are_not_copied() {
    let mut f = Filter::new();
    assert_eq!(run(&mut f, "t", r#"{"level":"info","msg":"user login","seq":1}"#), None);
    assert_eq!(f.counters().unchanged, 1);
    assert_eq!(f.counters().records, 1);
}

#[test]
fn sensitive_keys_are_masked() {
    let mut f = Filter::new();
    let out = run(&mut f, "t", r#"{"msg":"user login","password":"hunter2"}"#).unwrap();
    assert!(out == r#"{"msg":"user login","password":"[REDACTED]"}"#, "password not masked");
    assert_eq!(f.counters().redacted, 1);
}

#[test]
fn error_record_keeps_harmless_scalars_only() {
    let mut f = Filter::new();
    let out = run(&mut f, "t", r#"{"n":1,"x":01,"ok":false,"secret":7,"o":{"m":2},"s":"password=x"#).unwrap();
    assert_eq!(out, r#"{"hush_error":"invalid JSON","n":1,"ok":false}"#);
    assert_eq!(f.counters().invalid_json, 1);
    assert_eq!(f.filter(b"t", None), Verdict::Rewritten);
    assert_eq!(f.counters().null_record, 1);
    let mut small = Filter::new().with_cap(32);
    let out = run(&mut small, "t", r#"{"n":2,"log":"0123456789012345678901234567"}"#).unwrap();
    assert_eq!(out, r#"{"hush_error":"record over the size cap","n":2}"#);
    assert_eq!(small.counters().over_cap, 1);
}

#[test]
fn pem_lines_masked_per_tag_across_records() {
    let mut f = Filter::new();
    assert_eq!(run(&mut f, "a", r#"{"log":"-----BEGIN EC PRIVATE KEY-----\n"}"#), None);
    assert_eq!(run(&mut f, "b", r#"{"log":"QUJDREVGR0hJSktMTU5PUA==\n"}"#), None);
    let out = run(&mut f, "a", r#"{"log":"QUJDREVGR0hJSktMTU5PUA==\n","stream":"stderr"}"#).unwrap();
    assert!(out == r#"{"log":"[REDACTED]\n","stream":"stderr"}"#, "PEM body line not masked");
    assert_eq!(run(&mut f, "a", r#"{"log":"-----END EC PRIVATE KEY-----\n"}"#), None);
    assert_eq!(run(&mut f, "a", r#"{"log":"QUJDREVGR0hJSktMTU5PUA==\n"}"#), None);
    assert_eq!(f.counters().pem_lines, 1);
}

#[test]
fn trailing_candidates_masked_when_cut_short() {
    let mut f =
        Filter::from_redactor(Redactor::builder().known_value_named("file:db", b"plum-Orbit-4471").build().unwrap());
    f.secrets.push(Secret { name: "db".into(), value: zeroize::Zeroizing::new(b"plum-Orbit-4471".to_vec()) });
    // A prefix of a known value at the end of an unterminated value.
    let out = run(&mut f, "t", r#"{"log":"retrying with plum-Or"}"#).unwrap();
    assert!(out == r#"{"log":"retrying with [REDACTED]"}"#, "known-value prefix not masked");
    // A complete line is never cut short.
    assert_eq!(run(&mut f, "t", r#"{"log":"retrying with plum-Or\n"}"#), None);
    // A JWT cut short: its signature is too short to match, but more bytes would complete it.
    let out = run(&mut f, "t", r#"{"log":"sent eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.Sfl"}"#).unwrap();
    assert!(out == r#"{"log":"sent [REDACTED]"}"#, "partial JWT not masked");
    // Ordinary words at the end stay.
    assert_eq!(run(&mut f, "t", r#"{"log":"user login ok"}"#), None);
    assert_eq!(run(&mut f, "t", r#"{"log":"status 200","path":"/api/v1/x"}"#), None);
    assert_eq!(f.counters().partial_tails, 2);
}

#[test]
fn docker_split_value_masks_its_trailing_token() {
    let mut f = Filter::new();
    let head = "x ".repeat((DOCKER_SPLIT - 10) / 2);
    let value = format!("{head}{}", "abcdefghij");
    assert_eq!(value.len(), DOCKER_SPLIT);
    let out = run(&mut f, "t", &format!(r#"{{"log":"{value}"}}"#)).unwrap();
    assert!(out == format!(r#"{{"log":"{head}[REDACTED]"}}"#), "split tail not masked");
    let shorter = &value[1..];
    assert_eq!(run(&mut f, "t", &format!(r#"{{"log":"{shorter}"}}"#)), None);
}

#[test]
fn loads_config_and_secrets_and_reloads_on_mtime_change() {
    let dir = temp_dir("reload");
    std::fs::write(dir.join(CONFIG_NAME), "").unwrap();
    std::fs::create_dir(dir.join("secrets")).unwrap();
    std::fs::write(dir.join("secrets/db_password"), "plum-Orbit-4471\n").unwrap();
    let (mut f, err) = Filter::from_dir(Some(dir.clone()));
    assert!(err.is_none(), "load failed");
    let out = run(&mut f, "t", r#"{"log":"login with plum-Orbit-4471 failed\n"}"#).unwrap();
    assert!(out == r#"{"log":"login with [REDACTED] failed\n"}"#, "secret file value not masked");

    let t0 = Instant::now();
    assert_eq!(f.maybe_reload(t0), None);
    std::thread::sleep(Duration::from_millis(20));
    std::fs::write(dir.join("secrets/api_token"), "tok-Quartz-9182").unwrap();
    let rec = r#"{"log":"using tok-Quartz-9182\n"}"#;
    // Not yet due: the new file is not read.
    assert_eq!(f.maybe_reload(t0 + Duration::from_secs(10)), None);
    assert_eq!(run(&mut f, "t", rec), None);
    assert_eq!(f.maybe_reload(t0 + RELOAD_INTERVAL + Duration::from_secs(1)), None);
    assert_eq!(f.counters().reloads, 1);
    assert!(
        run(&mut f, "t", rec).is_some_and(|o| o == r#"{"log":"using [REDACTED]\n"}"#),
        "reloaded secret not masked"
    );
    // The old value stays known after a rotation removes its file.
    std::fs::remove_file(dir.join("secrets/db_password")).unwrap();
    assert_eq!(f.maybe_reload(t0 + RELOAD_INTERVAL * 3), None);
    assert_eq!(f.counters().reloads, 2);
    assert!(run(&mut f, "t", r#"{"log":"plum-Orbit-4471\n"}"#).is_some(), "rotated-out secret unmasked");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn load_failure_falls_back_to_builtin_rules_without_quoting_files() {
    let dir = temp_dir("badsource");
    // `secrets` is a file, not a directory: it cannot be listed.
    std::fs::write(dir.join("secrets"), "hunter2hunter2").unwrap();
    let (mut f, err) = Filter::from_dir(Some(dir.clone()));
    let err = err.expect("load failure reported");
    assert!(err.contains("secrets") && !err.contains("hunter2"), "message names the path only");
    assert_eq!(f.counters().load_errors, 1);
    let out = run(&mut f, "t", r#"{"password":"x1y2z3"}"#);
    assert!(out.is_some_and(|o| o == r#"{"password":"[REDACTED]"}"#), "built-in rules not in force");
    std::fs::remove_dir_all(&dir).unwrap();
}

const CONFIG_NAME: &str = crate::source::CONFIG_FILE;

/// The string values the core reports while redacting are exactly those a walk of its
/// output finds (what the filter walked before): same member names, same ranges, same
/// order, whatever the values before them turned into.
#[test]
fn core_reports_the_string_values_of_its_output() {
    let r = Redactor::default();
    let mut scratch = JsonScratch::new();
    let docs = [
        r#"{"level":"info","msg":"user login","password":"hunter2","path":"/api/v1/x","seq":7}"#,
        r#"{"log":"GET /x?api_key=abc123xyz9 ok\n","a":[["x",{"pin":4321,"k":"v"}],"y"],"n":null}"#,
        r#"{"credentials":{"user":"bob","n":[1,"two",{"deep":[true,"three"]}]},"after":"z"}"#,
        r#"{"pa\u0073sword":"s3cr3t-v4lue","caf\u00e9":"na\u00efve password=\"s3cr\u00e9t\" x","e":{}}"#,
        r#"  {"token": 12.5e3 , "list" : [ "Authorization: Bearer 9f8e7d6c5b4a39281706f5e4" , 2 ] }  "#,
        r#"{"":"empty name","x":[],"y":[[]],"z":"DB_PASSWORD=plum-Orbit-4471"}"#,
    ];
    for doc in docs {
        let mut reported = Vec::new();
        let out = r
            .redact_json_visiting(doc.as_bytes(), &mut scratch, &mut |e| {
                if let JsonEvent::Str { key, value } = e {
                    reported.push((doc.as_bytes()[key].to_vec(), value));
                }
            })
            .unwrap()
            .map_or_else(|| doc.as_bytes().to_vec(), <[u8]>::to_vec);
        let mut walked = Vec::new();
        scan::walk(&out, |item| {
            if item.kind == Kind::Str {
                let key = item.key.clone().map_or_else(Vec::new, |k| out[k].to_vec());
                walked.push((key, item.raw.clone()));
            }
        })
        .unwrap();
        assert!(reported == walked, "record {} reported other values than its output holds", doc.len());
    }
}

/// Records nested deeper than the filter accepts are rejected, as the walker did.
#[test]
fn records_nested_too_deeply_fail_closed() {
    let nested = |arrays: usize| format!(r#"{{"n":1,"a":{}{},"s":"x"}}"#, "[".repeat(arrays), "]".repeat(arrays));
    let mut f = Filter::new();
    assert_eq!(run(&mut f, "t", &nested(scan::MAX_DEPTH - 1)), None);
    assert_eq!(run(&mut f, "t", &nested(scan::MAX_DEPTH)).unwrap(), r#"{"hush_error":"invalid JSON","n":1}"#);
    assert_eq!(f.counters().invalid_json, 1);
}

/// Clean trailing tokens are remembered and skip the probe; tokens that were masked are
/// not kept, and masked again the next time.
#[test]
fn clean_tails_are_remembered_and_masked_ones_are_not() {
    let mut f = Filter::new();
    let jwt = r#"{"log":"sent eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.Sfl"}"#;
    for _ in 0..3 {
        assert_eq!(run(&mut f, "t", r#"{"path":"/api/v1/x","code":"E42x"}"#), None);
        assert!(run(&mut f, "t", jwt).unwrap() == r#"{"log":"sent [REDACTED]"}"#, "partial JWT not masked");
    }
    assert!(f.probes.is_clean(b"/api/v1/x") && f.probes.is_clean(b"E42x"));
    assert!(!f.probes.is_clean(b"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.Sfl"));
    assert_eq!(f.counters().partial_tails, 3);
    f.probes.forget();
    assert!(!f.probes.is_clean(b"/api/v1/x"));
}
