//! `hush scan`: directory walks with .gitignore, binary files, stdin, and the text, JSON
//! and SARIF formats.

mod common;

use common::{KNOWN, hush, known_file, write};
use predicates::prelude::*;
use serde_json::Value;

const JWT: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

/// A tree: a committed `.env` with a secret, an ignored log with one, a binary file with
/// one, a clean file and a `.git` directory that is never walked.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, ".gitignore", "*.log\n");
    write(d, ".env", "APP_NAME=demo\nDB_PASSWORD=hunter22x\n");
    write(d, "debug.log", "password=hunter22x\n");
    write(d, "src/config.txt", format!("jwt: {JWT}\n"));
    write(d, "src/clean.txt", "nothing to see\n");
    write(d, "blob.bin", b"\x00\x01\x02 token=abcdef123456\n");
    write(d, ".git/config", "password=hunter22x\n");
    dir
}

#[test]
fn walks_a_directory_respecting_gitignore() {
    let dir = tree();
    let out = hush().arg("scan").arg(".").current_dir(dir.path()).assert().code(1).get_output().stdout.clone();
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text, "./.env:2:13 key:password key\n./src/config.txt:1:6 jwt format\n");
}

#[test]
fn binary_files_only_with_binary_flag() {
    let dir = tree();
    hush()
        .args(["scan", "--binary", "."])
        .current_dir(dir.path())
        .assert()
        .code(1)
        .stdout(predicate::str::contains("./blob.bin:1:11 key:token key"));
}

#[test]
fn output_never_contains_the_secret() {
    let dir = tree();
    for format in ["text", "json", "sarif"] {
        hush()
            .args(["scan", "--binary", "--format", format, "."])
            .current_dir(dir.path())
            .assert()
            .code(1)
            .stdout(predicate::str::contains("hunter22x").not().and(predicate::str::contains(JWT).not()));
    }
}

#[test]
fn stdin_is_reported_as_dash() {
    hush()
        .args(["scan", "-"])
        .write_stdin("layer 1\nRUN export API_TOKEN=abcdef123456\n")
        .assert()
        .code(1)
        .stdout("-:2:22 key:token key\n");
}

#[test]
fn clean_input_is_exit_0_with_no_output() {
    hush().args(["scan", "-"]).write_stdin("all good\n").assert().success().stdout("");
}

#[test]
fn unreadable_path_is_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    hush()
        .arg("scan")
        .arg(dir.path().join("missing"))
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("hush: ").and(predicate::str::contains("missing")));
}

#[test]
fn json_lines_have_positions_and_rule() {
    let out = hush()
        .args(["scan", "--format", "json", "-"])
        .write_stdin(format!("x\nlogin with {KNOWN} ok password=hunter22x\n"))
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let rows: Vec<Value> = String::from_utf8(out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(r["path"], "-");
    assert_eq!((r["line"].as_u64(), r["column"].as_u64(), r["end_column"].as_u64()), (Some(2), Some(40), Some(49)));
    assert_eq!(r["rule_id"], "key:password");
    assert_eq!(r["kind"], "key");
    assert!(r.get("fingerprint").is_none(), "no hash key, no fingerprint");
}

#[test]
fn json_fingerprint_with_a_hash_key_and_known_values() {
    let (dir, known) = known_file();
    let key = write(dir.path(), "hash.key", "0123456789abcdef0123456789abcdef\n");
    let run = |input: String| -> Vec<Value> {
        let out = hush()
            .args(["scan", "--format", "json"])
            .arg("--known-file")
            .arg(&known)
            .arg("--hash-key-file")
            .arg(&key)
            .arg("-")
            .write_stdin(input)
            .assert()
            .code(1)
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
    };
    let a = run(format!("first {KNOWN}\n"));
    let b = run(format!("another line\nsecond: {KNOWN} again\n"));
    let fp = a[0]["fingerprint"].as_str().expect("fingerprint");
    assert_eq!(fp.len(), 16);
    assert!(fp.bytes().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(a[0]["fingerprint"], b[0]["fingerprint"], "same secret, same fingerprint");
    assert_eq!(b[0]["line"], 2);
    assert!(a[0]["rule_id"].as_str().unwrap().starts_with("known:"));
}

#[test]
fn sarif_has_the_required_fields() {
    let dir = tree();
    let key_dir = tempfile::tempdir().unwrap();
    let key = write(key_dir.path(), "hash.key", "0123456789abcdef0123456789abcdef");
    let out = hush()
        .args(["scan", "--format", "sarif", "--hash-key-file"])
        .arg(&key)
        .arg(".")
        .current_dir(dir.path())
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let doc: Value = serde_json::from_slice(&out).expect("SARIF is JSON");
    assert_eq!(doc["version"], "2.1.0");
    assert!(doc["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &doc["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "hush");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for r in results {
        let id = r["ruleId"].as_str().unwrap();
        assert!(rules.iter().any(|rule| rule["id"] == id), "{id} listed in driver.rules");
        assert_eq!(r["level"], "error");
        assert!(r["message"]["text"].as_str().unwrap().contains(id));
        let loc = &r["locations"][0]["physicalLocation"];
        assert!(loc["artifactLocation"]["uri"].is_string());
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(loc["region"]["startColumn"].as_u64().unwrap() >= 1);
        assert_eq!(r["partialFingerprints"].as_object().unwrap().len(), 1);
    }
    let env = results.iter().find(|r| r["ruleId"] == "key:password").unwrap();
    let loc = &env["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], ".env");
    assert_eq!((loc["region"]["startLine"].as_u64(), loc["region"]["startColumn"].as_u64()), (Some(2), Some(13)));
}

#[test]
fn sarif_without_findings_is_valid_and_exit_0() {
    let out = hush()
        .args(["scan", "--format", "sarif", "-"])
        .write_stdin("clean\n")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let doc: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(doc["runs"][0]["results"].as_array().unwrap().len(), 0);
    assert!(!doc["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap().is_empty());
}

#[test]
fn large_files_are_streamed_with_correct_lines() {
    let dir = tempfile::tempdir().unwrap();
    let filler = "2024-05-01 INFO nothing secret on this line at all\n".repeat(100_000); // ~5 MiB
    let f = write(dir.path(), "big.txt", format!("{filler}token=abcdef123456\n{filler}password=hunter22x\n"));
    hush()
        .arg("scan")
        .arg(&f)
        .assert()
        .code(1)
        .stdout(format!("{p}:100001:7 key:token key\n{p}:200002:10 key:password key\n", p = f.display()));
}
