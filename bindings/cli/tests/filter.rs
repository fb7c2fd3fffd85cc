//! The default filter: stdin and files to stdout, --in-place, --dry-run, --json-lines,
//! --summary, --report, EPIPE and a full disk.

mod common;

use std::io::Read;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::process::{Command as StdCommand, Stdio};

use common::{KNOWN, hush, hush_path, known_file, write};
use predicates::prelude::*;

#[test]
fn redacts_stdin_to_stdout() {
    hush()
        .write_stdin("user=app password=hunter22x host=db\nplain line\n")
        .assert()
        .success()
        .stdout("user=app password=[REDACTED] host=db\nplain line\n")
        .stderr("");
}

#[test]
fn files_in_order_and_dash_for_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.log", "token=abcdef123456\n");
    let b = write(dir.path(), "b.log", "ok\n");
    hush()
        .arg(&a)
        .arg("-")
        .arg(&b)
        .write_stdin("from stdin\n")
        .assert()
        .success()
        .stdout("token=[REDACTED]\nfrom stdin\nok\n");
}

#[test]
fn missing_file_is_exit_2_and_others_still_run() {
    let dir = tempfile::tempdir().unwrap();
    let b = write(dir.path(), "b.log", "secret=abcdef123456\n");
    hush()
        .arg(dir.path().join("nope.log"))
        .arg(&b)
        .assert()
        .code(2)
        .stdout("secret=[REDACTED]\n")
        .stderr(predicate::str::starts_with("hush: ").and(predicate::str::contains("nope.log: No such file")));
}

#[test]
fn known_file_values_are_masked_and_never_echoed() {
    let (_dir, known) = known_file();
    hush()
        .arg("--known-file")
        .arg(&known)
        .arg("--summary")
        .write_stdin(format!("connecting with {KNOWN} failed\n"))
        .assert()
        .success()
        .stdout("connecting with [REDACTED] failed\n")
        .stderr(predicate::str::contains(KNOWN).not().and(predicate::str::contains("1 secret")));
}

#[test]
fn summary_counts_per_rule_on_stderr() {
    hush()
        .arg("--summary")
        .write_stdin("password=hunter22x\npassword=other22x\ntoken=abcdef123456\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("[REDACTED]"))
        .stderr(
            predicate::str::contains("redacted 3 secrets in 3 lines")
                .and(predicate::str::is_match(r"key:password\s+2\s+key").unwrap())
                .and(predicate::str::is_match(r"key:token\s+1\s+key").unwrap())
                .and(predicate::str::contains("hunter22x").not()),
        );
}

#[test]
fn report_file_is_json_with_counts() {
    let dir = tempfile::tempdir().unwrap();
    let report = dir.path().join("report.json");
    hush().arg("--report").arg(&report).write_stdin("password=hunter22x\nok\n").assert().success();
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert_eq!(v["total"], 1);
    assert_eq!(v["lines"], 2);
    assert_eq!(v["dry_run"], false);
    assert_eq!(v["rules"]["key:password"]["count"], 1);
    assert_eq!(v["rules"]["key:password"]["kind"], "key");
    assert_eq!(v["files"][0]["path"], "-");
    assert!(!std::fs::read_to_string(&report).unwrap().contains("hunter22x"));
}

#[test]
fn dry_run_copies_input_and_prints_would_redact_counts() {
    let input = "password=hunter22x\nAuthorization: Bearer 9f8e7d6c5b4a39281706f5e4\nok\n";
    hush()
        .arg("--dry-run")
        .write_stdin(input)
        .assert()
        .success()
        .stdout(input)
        .stderr(predicate::str::contains("would redact 2 secrets").and(predicate::str::contains("key:password")));
}

#[test]
fn dry_run_in_place_leaves_the_file_alone() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "app.log", "password=hunter22x\n");
    hush()
        .args(["--dry-run", "--in-place"])
        .arg(&f)
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("would redact 1 secret in 1 line"));
    assert_eq!(std::fs::read_to_string(&f).unwrap(), "password=hunter22x\n");
}

#[test]
fn json_lines_redacts_keys_at_any_depth_and_falls_back_to_text() {
    let input = concat!(
        r#"{"level":"info","ctx":{"db":{"password":"hunter22x"}},"msg":"ok"}"#,
        "\n",
        "plain text password=hunter22x\n",
        r#"{"broken": "json password=hunter22x"#,
        "\n"
    );
    let out = hush().arg("--json-lines").write_stdin(input).assert().success().get_output().stdout.clone();
    let text = String::from_utf8(out).unwrap();
    assert!(!text.contains("hunter22x"), "{text}");
    let lines: Vec<&str> = text.lines().collect();
    let first: serde_json::Value = serde_json::from_str(lines[0]).expect("still valid JSON");
    assert_eq!(first["ctx"]["db"]["password"], "[REDACTED]");
    assert_eq!(first["msg"], "ok");
    assert_eq!(lines[1], "plain text password=[REDACTED]");
    assert_eq!(lines.len(), 3);
}

#[test]
fn in_place_rewrites_and_keeps_permissions() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "app.log", "a\npassword=hunter22x\nb\n");
    std::fs::set_permissions(&f, std::fs::Permissions::from_mode(0o640)).unwrap();
    let uid_before = std::fs::metadata(&f).unwrap().uid();
    hush().arg("--in-place").arg(&f).assert().success().stdout("");
    assert_eq!(std::fs::read_to_string(&f).unwrap(), "a\npassword=[REDACTED]\nb\n");
    let meta = std::fs::metadata(&f).unwrap();
    assert_eq!(meta.mode() & 0o7777, 0o640);
    assert_eq!(meta.uid(), uid_before);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 1, "no temp file left behind: {leftovers:?}");
}

#[test]
fn in_place_follows_a_symlink_to_its_target() {
    let dir = tempfile::tempdir().unwrap();
    let target = write(dir.path(), "real/app.log", "token=abcdef123456\n");
    let link = dir.path().join("link.log");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    hush().arg("-i").arg(&link).assert().success();
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "link kept");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "token=[REDACTED]\n");
}

#[test]
fn in_place_leaves_a_clean_file_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "clean.log", "nothing here\n");
    let ino = std::fs::metadata(&f).unwrap().ino();
    hush().arg("--in-place").arg(&f).assert().success();
    assert_eq!(std::fs::metadata(&f).unwrap().ino(), ino);
}

#[test]
fn in_place_refuses_a_file_open_for_writing_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "busy.log", "password=hunter22x\n");
    // This test process is "another process" for hush: it holds the file open for appending.
    let writer = std::fs::OpenOptions::new().append(true).open(&f).unwrap();
    hush()
        .arg("--in-place")
        .arg(&f)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("open for writing").and(predicate::str::contains("--force")));
    assert_eq!(std::fs::read_to_string(&f).unwrap(), "password=hunter22x\n", "unchanged");
    hush().args(["--in-place", "--force"]).arg(&f).assert().success();
    assert_eq!(std::fs::read_to_string(&f).unwrap(), "password=[REDACTED]\n");
    drop(writer);
}

#[test]
fn in_place_allows_a_file_open_only_for_reading() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "read.log", "password=hunter22x\n");
    let reader = std::fs::File::open(&f).unwrap();
    hush().arg("--in-place").arg(&f).assert().success();
    assert_eq!(std::fs::read_to_string(&f).unwrap(), "password=[REDACTED]\n");
    drop(reader);
}

#[test]
fn in_place_needs_files() {
    hush().arg("--in-place").assert().code(2).stderr(predicate::str::contains("--in-place needs FILE"));
    hush().args(["--force", "x"]).assert().code(2).stderr(predicate::str::starts_with("hush: "));
}

#[test]
fn closed_stdout_stops_quietly_with_141() {
    let dir = tempfile::tempdir().unwrap();
    let line = "2024-05-01 INFO request ok password=hunter22x id=42\n";
    let big = write(dir.path(), "big.log", line.repeat(200_000)); // about 10 MiB
    let mut child = StdCommand::new(hush_path())
        .arg("--no-default-sources")
        .arg(&big)
        .env_remove("HUSH_CONFIG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout); // like `hush big.log | head -c 64`
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.code(), Some(141));
    assert_eq!(stderr, "", "quiet: no message, no panic");
    assert!(String::from_utf8_lossy(&first).starts_with("2024-05-01 INFO request ok password=[REDACTED]"));
}

#[test]
fn epipe_through_a_shell_pipeline_with_head() {
    let dir = tempfile::tempdir().unwrap();
    let big = write(dir.path(), "big.log", "line token=abcdef123456\n".repeat(400_000));
    let script = r#""$0" --no-default-sources "$1" | head -1; "#;
    let out = StdCommand::new("sh").arg("-c").arg(script).arg(hush_path()).arg(&big).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "line token=[REDACTED]\n");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

#[test]
fn full_disk_is_exit_2_with_a_message() {
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "in.log", "password=hunter22x\n".repeat(10_000));
    let out = StdCommand::new(hush_path())
        .arg("--no-default-sources")
        .arg(&input)
        .env_remove("HUSH_CONFIG")
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "hush: cannot write to stdout: No space left on device\n");
}

#[test]
fn directory_argument_points_to_scan() {
    let dir = tempfile::tempdir().unwrap();
    hush().arg(dir.path()).assert().code(2).stderr(predicate::str::contains("use `hush scan`"));
}
