//! Output that cannot be written: a full disk under `--in-place` (EFBIG from a file-size
//! limit, unprivileged), and a closed stdout or `/dev/full` for every subcommand that
//! prints (the filter's own cases are in `filter.rs`).

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command as StdCommand, Output, Stdio};

use common::{hush_path, write};

/// The names in `dir`, sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn in_place_on_a_full_disk_leaves_the_file_untouched_and_no_temp_file() {
    if StdCommand::new("prlimit").arg("--version").output().is_err() {
        eprintln!("SKIPPED: prlimit (util-linux) is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let original = "2024-05-01 INFO login ok password=hunter22x user=alice\n".repeat(2_000).into_bytes();
    let log = write(dir.path(), "app.log", &original);
    // The temp file may not grow past 4 KiB; SIGXFSZ ignored makes the write fail with
    // EFBIG instead of killing hush, as on a disk that fills up.
    let out = StdCommand::new("sh")
        .arg("-c")
        .arg(r#"trap "" XFSZ; exec prlimit --fsize=4096 "$0" --no-default-sources --in-place "$1""#)
        .arg(hush_path())
        .arg(&log)
        .env_remove("HUSH_CONFIG")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr, format!("hush: cannot write to the temp file for {}: File too large\n", log.display()));
    assert!(std::fs::read(&log).unwrap() == original, "the original file changed");
    assert_eq!(entries(dir.path()), ["app.log"], "a temp file was left behind");
}

/// Runs hush with `args`, `stdin` as input and stdout set up by `stdout`.
fn run_with_stdout(args: &[&str], stdin: &[u8], stdout: Stdio) -> Output {
    let mut child = StdCommand::new(hush_path())
        .arg("--no-default-sources")
        .args(args)
        .env_remove("HUSH_CONFIG")
        .stdin(Stdio::piped())
        .stdout(stdout)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    // hush may stop reading before the end (EPIPE on our side is fine).
    let _ = input.write_all(stdin);
    drop(input);
    child.wait_with_output().unwrap()
}

/// Every subcommand that writes to stdout, with input that makes it write.
fn printing_commands() -> Vec<(Vec<&'static str>, Vec<u8>)> {
    let log = "2024-05-01 password=hunter22x token=ghp_0123456789abcdefghijABCDEFGHIJ012345\n".repeat(2_000);
    vec![
        (vec!["scan", "-"], log.clone().into_bytes()),
        (vec!["scan", "--format", "json", "-"], log.clone().into_bytes()),
        (vec!["scan", "--format", "sarif", "-"], log.into_bytes()),
        (vec!["env"], "DB_PASSWORD=hunter22x\nHOME=/root\n".repeat(2_000).into_bytes()),
        (vec!["rules"], Vec::new()),
        (vec!["completions", "bash"], Vec::new()),
    ]
}

#[test]
fn every_subcommand_on_a_closed_stdout_stops_quietly_with_141() {
    for (args, input) in printing_commands() {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader); // the reader is gone before hush writes anything
        let out = run_with_stdout(&args, &input, Stdio::from(writer));
        assert_eq!(out.status.code(), Some(141), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{args:?}: not quiet");
    }
}

#[test]
fn every_subcommand_writing_to_dev_full_is_exit_2_with_a_message() {
    for (args, input) in printing_commands() {
        let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
        let out = run_with_stdout(&args, &input, Stdio::from(full));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.ends_with("hush: cannot write to stdout: No space left on device\n"), "{args:?}: {stderr}");
    }
}

/// Runs hush on `input` with stderr set up by `stderr`; stdout is captured.
fn run_with_stderr(args: &[&str], stderr: Stdio) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "in.log", "password=hunter22x\n".repeat(100));
    StdCommand::new(hush_path())
        .arg("--no-default-sources")
        .args(args)
        .arg(&input)
        .env_remove("HUSH_CONFIG")
        .stdout(Stdio::piped())
        .stderr(stderr)
        .output()
        .unwrap()
}

#[test]
fn a_full_or_closed_stderr_is_an_exit_status_not_a_panic() {
    let full = || Stdio::from(std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full"));
    let closed = || {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        Stdio::from(writer)
    };
    // The summary is asked-for output: like stdout, 2 on a full disk, 141 on EPIPE.
    let out = run_with_stderr(&["--summary"], full());
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(out.stdout, "password=[REDACTED]\n".repeat(100).into_bytes(), "stdout output is complete");
    assert_eq!(run_with_stderr(&["--summary"], closed()).status.code(), Some(141));
    assert_eq!(run_with_stderr(&["--dry-run"], full()).status.code(), Some(2));
    // A diagnostic that cannot be shown keeps the error's own status (was a panic: 101).
    for stderr in [full(), closed()] {
        assert_eq!(run_with_stderr(&["--mask", "loud"], stderr).status.code(), Some(2));
    }
    assert_eq!(run_with_stderr(&["--unknown-option"], full()).status.code(), Some(2));
    assert_eq!(run_with_stderr(&["--known-file", "/nonexistent"], full()).status.code(), Some(2));
}
