//! No secret in diagnostics: every error and warning path reachable from the command
//! line, fed with secrets placed where a careless message would quote them (bad config
//! and gitleaks TOML, bad regexes, unreadable or oversized secret files, short known
//! values, a short hash key, bad option values, malformed env dumps). Each case checks the
//! exit status and that stderr (and stdout, which may carry a report) holds no secret.
//! Failure messages name the case, never the output.

mod common;

use std::path::Path;
use std::process::Output;

use common::{hush, write};

/// Secrets placed in the inputs. `SHORT` is a too-short known value (also a secret).
const SECRET: &str = "plum-Orbit-4471";
const SECRET2: &str = "Vault-Key-99x7Q";
const SHORT: &str = "xq7z9";

/// Asserts the run exited with `code`, said something on stderr on an error (2), and
/// printed no secret anywhere.
fn assert_clean(case: &str, out: &Output, code: i32) {
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(code), "{case}: unexpected exit status");
    if code == 2 {
        assert!(stderr.starts_with("hush: "), "{case}: no diagnostic on stderr");
    }
    for s in [SECRET, SECRET2, SHORT] {
        let at =
            stderr.find(s).map(|i| format!("stderr byte {i}")).or(stdout.find(s).map(|i| format!("stdout byte {i}")));
        assert!(at.is_none(), "{case}: a secret is in the output ({})", at.unwrap_or_default());
    }
}

/// Writes each case's text to `dir/name` and runs every command on it (the file's path
/// appended, `x` on stdin): each must fail with a clean diagnostic. A failure names the
/// command and the case.
fn bad_file_cases(dir: &Path, name: &str, cases: &[(&str, Vec<u8>)], commands: &[&[&str]]) {
    for (case, text) in cases {
        let file = write(dir, name, text);
        for args in commands {
            let out = hush().args(*args).arg(&file).write_stdin("x\n").output().unwrap();
            assert_clean(&format!("{args:?}: {case}"), &out, 2);
        }
    }
}

#[test]
fn bad_config_files_never_quote_a_value() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("unterminated array", format!("known_values = [\"{SECRET}\"\nmask = \"label\"\n").into()),
        ("string for a list", format!("known_values = \"{SECRET}\"\n").into()),
        ("number in the list", format!("known_values = [\"{SECRET}\", 5]\n").into()),
        ("bad escape", format!("known_values = [\"\\q{SECRET}\"]\n").into()),
        ("unquoted value", format!("known_values = [{SECRET}]\n").into()),
        ("bare secret line", format!("mask = \"label\"\n{SECRET}\n").into()),
        ("duplicate key", format!("known_values = [\"{SECRET}\"]\nknown_values = [\"{SECRET2}\"]\n").into()),
        ("string for a number", format!("line_cap = \"{SECRET}\"\n").into()),
        ("mask name", format!("mask = \"{SECRET}\"\n").into()),
        ("short known value", format!("known_values = [\"{SECRET}\", \"{SHORT}\"]\n").into()),
        ("rule regex", format!("[[rules]]\nid = \"r\"\nregex = \"({SECRET}\"\n").into()),
        ("rule secret group", format!("[[rules]]\nid = \"r\"\nregex = \"{SECRET}\"\nsecret_group = 2\n").into()),
        ("rule without id", format!("[[rules]]\nregex = \"{SECRET}\"\n").into()),
        ("allow regex", format!("allow_regexes = [\"[{SECRET}\"]\n").into()),
        ("allow value type", format!("allow_values = \"{SECRET}\"\n").into()),
        ("keys table", format!("[keys]\ndeny = \"{SECRET}\"\n").into()),
        ("invalid UTF-8", [format!("known_values = [\"{SECRET}").as_bytes(), b"\xff\xfe\"]\n"].concat()),
    ];
    bad_file_cases(dir.path(), "bad.toml", &cases, &[&["--config"], &["rules", "--check"]]);
    // `selftest` on the last one (invalid UTF-8).
    let out = hush().args(["selftest", "--config"]).arg(dir.path().join("bad.toml")).output().unwrap();
    assert_clean("selftest", &out, 2);
}

#[test]
fn bad_gitleaks_files_never_quote_a_value() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("regex", format!("[[rules]]\nid = \"g\"\nregex = \"({SECRET}\"\n").into()),
        ("unterminated string", format!("title = \"{SECRET}\n").into()),
        ("keywords type", format!("[[rules]]\nid = \"g\"\nregex = \"a\"\nkeywords = \"{SECRET}\"\n").into()),
        ("secret group", format!("[[rules]]\nid = \"g\"\nregex = \"{SECRET}\"\nsecretGroup = 3\n").into()),
        ("allowlist regex", format!("[allowlist]\nregexes = [\"({SECRET}\"]\n").into()),
        ("invalid UTF-8", [format!("title = \"{SECRET}").as_bytes(), b"\xff\"\n"].concat()),
    ];
    bad_file_cases(dir.path(), "gitleaks.toml", &cases, &[&["--gitleaks"]]);
}

#[test]
fn bad_secret_sources_never_quote_a_value() {
    let dir = tempfile::tempdir().unwrap();
    // A known-values file with a value too short after a good one.
    let known = write(dir.path(), "known.txt", format!("{SECRET}\n{SHORT}\n"));
    assert_clean("short known value", &hush().arg("--known-file").arg(&known).output().unwrap(), 2);
    // A hash key that is a secret, one byte too short.
    let key = write(dir.path(), "hash.key", SECRET);
    let out = hush().args(["--mask", "hash", "--hash-key-file"]).arg(&key).output().unwrap();
    assert_clean("short hash key", &out, 2);
    // Secrets directories: an oversized secret file and a short one warn; the run goes on.
    let secrets = dir.path().join("secrets");
    write(&secrets, "huge", SECRET.repeat(10_000));
    write(&secrets, "short", SHORT);
    write(&secrets, "good", SECRET2);
    let out = hush().arg("--secrets-dir").arg(&secrets).write_stdin(format!("{SECRET2}\n")).output().unwrap();
    assert_clean("oversized and short secret files", &out, 0);
    // A mode-000 secret file: an error naming it (root reads it, then it is a value).
    let locked = write(&secrets, "locked", SECRET);
    std::fs::set_permissions(&locked, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    let code = if std::fs::read(&locked).is_ok() { 0 } else { 2 };
    assert_clean("unreadable secret file", &hush().arg("--secrets-dir").arg(&secrets).output().unwrap(), code);
    // `scan` of an unreadable file holding a secret.
    let log = write(dir.path(), "app.log", format!("password={SECRET}\n"));
    std::fs::set_permissions(&log, std::os::unix::fs::PermissionsExt::from_mode(0o000)).unwrap();
    let out = hush().arg("scan").arg(&log).output().unwrap();
    assert_clean("scan of an unreadable file", &out, if code == 0 { 1 } else { 2 });
}

#[test]
fn default_source_warnings_never_quote_a_value() {
    let dir = tempfile::tempdir().unwrap();
    let huge = write(dir.path(), "db_password", SECRET.repeat(10_000));
    let out = assert_cmd::Command::cargo_bin("hush")
        .unwrap()
        .env_clear()
        .env("DB_PASSWORD_FILE", &huge)
        .env("API_TOKEN", SHORT)
        .env("SESSION_SECRET", "true")
        .env("REDIS_PASSWORD_FILE", dir.path().join("missing"))
        .write_stdin("x\n")
        .output()
        .unwrap();
    assert_clean("default source warnings", &out, 0);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("DB_PASSWORD_FILE") && stderr.contains("known:env:API_TOKEN"), "warnings missing");
}

#[test]
fn bad_option_values_are_not_echoed() {
    let cases: [&[&str]; 5] = [
        &["--mask", SECRET],
        &[&format!("--mask={SECRET}")],
        &["scan", "--format", SECRET, "-"],
        &["env", "--format", SECRET],
        &["env", "--current", "--format", SECRET],
    ];
    for args in cases {
        assert_clean(&format!("{:?}", args.first()), &hush().args(args).write_stdin("x\n").output().unwrap(), 2);
    }
    // clap names an unknown option without its `=value`.
    assert_clean("unknown option", &hush().arg(format!("--password={SECRET}")).output().unwrap(), 2);
}

#[test]
fn malformed_env_dumps_never_quote_a_value() {
    let cases: [(&str, &[&str], String); 5] = [
        ("unterminated quote", &[], format!("DB_PASSWORD=\"{SECRET}\n")),
        ("truncated docker inspect", &[], format!("[{{\"Config\":{{\"Env\":[\"DB_PASSWORD={SECRET}\"")),
        ("not NAME=VALUE", &["--format", "env"], format!("{SECRET} {SECRET2}\n")),
        ("bad docker JSON", &["--format", "docker-inspect"], format!("{{\"Env\":[\"A={SECRET}\\q\"]}}")),
        ("yaml quote", &["--format", "k8s"], format!("env:\n- name: DB_PASSWORD\n  value: \"{SECRET}\n")),
    ];
    for (case, extra, input) in cases {
        let out = hush().arg("env").args(extra).write_stdin(input).output().unwrap();
        assert_clean(case, &out, 2);
    }
}
