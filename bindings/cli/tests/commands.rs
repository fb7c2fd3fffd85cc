//! `selftest`, `rules`, `completions`, `--version`, `--help` and the exit-code table.

mod common;

use common::{KNOWN, hush, known_file, write};
use predicates::prelude::*;

#[test]
fn version_includes_the_rule_catalogue() {
    hush()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"^hush \d+\.\d+\.\d+ \(rule catalogue [0-9.]+\)\n$").unwrap());
}

#[test]
fn help_has_examples_and_the_exit_code_table() {
    let assert = hush().arg("--help").assert().success();
    let help = String::from_utf8(assert.get_output().stdout.clone()).unwrap();
    for needle in [
        "docker history --no-trunc IMAGE | hush scan -",
        "Exit status:",
        "0    ok",
        "1    findings",
        "2    usage, config or I/O error",
        "126  run:",
        "127  run:",
        "141  stdout was closed",
    ] {
        assert!(help.contains(needle), "help lacks {needle:?}");
    }
}

#[test]
fn usage_errors_are_exit_2_with_hush_prefix() {
    hush().arg("--no-such-flag").assert().code(2).stderr(predicate::str::starts_with("hush: "));
    hush().args(["scan", "--format", "xml", "-"]).assert().code(2).stderr(predicate::str::starts_with("hush: "));
    hush()
        .args(["--mask", "loud"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("hush: ").and(predicate::str::contains("redacted, label")));
}

#[test]
fn hash_mask_without_a_key_is_a_config_error() {
    hush()
        .args(["--mask", "hash"])
        .write_stdin("x\n")
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("hush: ").and(predicate::str::contains("hash key")));
}

#[test]
fn short_hash_key_file_is_rejected_without_echoing_it() {
    let dir = tempfile::tempdir().unwrap();
    let key = write(dir.path(), "short.key", "tiny-key-xyz\n");
    hush()
        .args(["--mask", "hash", "--hash-key-file"])
        .arg(&key)
        .write_stdin("x\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("tiny-key-xyz").not().and(predicate::str::contains("16")));
}

#[test]
fn missing_hash_key_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    hush()
        .args(["--mask", "hash", "--hash-key-file"])
        .arg(dir.path().join("absent.key"))
        .write_stdin("x\n")
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("hush: ").and(predicate::str::contains("absent.key")));
}

#[test]
fn hash_mask_with_a_key_file() {
    let dir = tempfile::tempdir().unwrap();
    let key = write(dir.path(), "hash.key", "0123456789abcdef0123456789abcdef\n");
    hush()
        .args(["--mask", "hash", "--hash-key-file"])
        .arg(&key)
        .write_stdin("password=hunter22x\n")
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"^password=\[REDACTED:h:[0-9a-f]{8}\]\n$").unwrap());
}

#[test]
fn missing_config_file_is_exit_2_naming_it() {
    hush()
        .args(["--config", "/nonexistent/hush.toml"])
        .write_stdin("x\n")
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("hush: /nonexistent/hush.toml: "));
}

#[test]
fn hush_config_variable_is_read() {
    let mut cmd = hush();
    cmd.env("HUSH_CONFIG", "/nonexistent/from-env.toml")
        .write_stdin("x\n")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("from-env.toml"));
}

#[test]
fn selftest_passes_on_the_defaults() {
    hush().arg("selftest").assert().success().stdout(
        predicate::str::contains("ok                  jwt")
            .and(predicate::str::contains("ok                  canary:json"))
            .and(predicate::str::contains("0 failed")),
    );
}

#[test]
fn selftest_checks_known_values_without_printing_them() {
    let (_dir, known) = known_file();
    hush()
        .arg("selftest")
        .arg("--known-file")
        .arg(&known)
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"ok +known:").unwrap().and(predicate::str::contains(KNOWN).not()));
}

#[test]
fn selftest_quiet_prints_only_the_totals_when_all_pass() {
    hush().args(["selftest", "--quiet"]).assert().success().stdout(
        predicate::str::is_match(r"^selftest: \d+ passed, 0 failed, 0 disabled by config, 0 inactive\n$").unwrap(),
    );
}

#[test]
fn rules_lists_id_kind_bound_source_status() {
    hush().arg("rules").assert().success().stdout(
        predicate::str::starts_with("ID")
            .and(predicate::str::contains("KIND"))
            .and(predicate::str::contains("BOUND"))
            .and(predicate::str::contains("SOURCE"))
            .and(predicate::str::is_match(r"\njwt +format +\d+ +builtin +active +JSON Web Token").unwrap()),
    );
}

#[test]
fn rules_check_missing_file_is_exit_2() {
    hush()
        .args(["rules", "--check", "/nonexistent/rules.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("hush: /nonexistent/rules.toml: "));
}

#[test]
fn rules_check_valid_file_is_exit_0() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write(dir.path(), "hush.toml", "mask = \"label\"\n");
    hush().args(["rules", "--check"]).arg(&cfg).assert().success().stdout(predicate::str::contains("hush.toml: ok"));
}

#[test]
fn completions_for_each_shell() {
    for (shell, needle) in [
        ("bash", "_hush()"),
        ("zsh", "#compdef hush"),
        ("fish", "complete -c hush"),
        ("elvish", "hush"),
        ("powershell", "hush"),
    ] {
        hush().args(["completions", shell]).assert().success().stdout(predicate::str::contains(needle));
    }
    hush().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn global_options_after_the_subcommand() {
    hush()
        .args(["scan", "--mask", "label", "-"])
        .write_stdin("password=hunter22x\n")
        .assert()
        .code(1)
        .stdout("-:1:10 key:password key\n");
}
