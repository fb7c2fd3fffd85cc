//! The config file through the CLI: `--config`, `rules --check`, and `selftest` telling
//! "disabled by config" from a failure.

mod common;

use common::{hush, write};
use predicates::prelude::*;

/// The JWT rule's own example (public test data).
const JWT: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

fn config(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "hush.toml", text);
    (dir, path)
}

#[test]
fn config_mask_applies_and_the_flag_overrides_it() {
    let (_d, cfg) = config("mask = \"label\"\n");
    hush()
        .arg("--config")
        .arg(&cfg)
        .write_stdin("password=hunter22x\n")
        .assert()
        .success()
        .stdout("password=[REDACTED:key:password]\n");
    hush()
        .arg("--config")
        .arg(&cfg)
        .args(["--mask", "redacted"])
        .write_stdin("password=hunter22x\n")
        .assert()
        .success()
        .stdout("password=[REDACTED]\n");
}

#[test]
fn selftest_reports_a_disabled_rule_as_disabled_by_config() {
    let (_d, cfg) = config("disable = [\"jwt\"]\n");
    hush().arg("selftest").arg("--config").arg(&cfg).assert().success().stdout(
        predicate::str::contains("disabled by config  jwt")
            .and(predicate::str::contains("ok                  jwt").not()),
    );
}

#[test]
fn selftest_reports_an_allowlisted_example_as_disabled_by_config() {
    let (_d, cfg) = config(&format!("allow_values = [\"{JWT}\"]\n"));
    hush()
        .args(["selftest", "--config"])
        .arg(&cfg)
        .assert()
        .success()
        .stdout(predicate::str::contains("disabled by config  jwt").and(predicate::str::contains(JWT).not()));
}

#[test]
fn selftest_canary_let_through_by_config_is_disabled_by_config() {
    // Allowing the key name `password` everywhere lets the canaries through: that is the
    // config's doing, so it is "disabled by config", never "ok".
    let (_d, cfg) = config("[keys]\nallow = [\"db_password\", \"password\"]\n");
    hush()
        .args(["selftest", "--config"])
        .arg(&cfg)
        .assert()
        .stdout(predicate::str::contains("disabled by config  canary:env"));
}

#[test]
fn rules_shows_inactive_rules_with_the_reason() {
    let (_d, cfg) = config("disable = [\"jwt\"]\n");
    hush()
        .arg("rules")
        .arg("--config")
        .arg(&cfg)
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"\njwt +format +- +builtin +inactive: disabled by config").unwrap());
}

#[test]
fn rules_check_reports_file_and_line() {
    let (_d, cfg) = config("mask = \"label\"\nno_such_key = 1\n");
    hush()
        .args(["rules", "--check"])
        .arg(&cfg)
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("hush: ").and(predicate::str::contains("hush.toml:2")));
}

#[test]
fn rules_check_reports_the_rule_id() {
    let (_d, cfg) = config("[[rules]]\nid = \"broken-rule\"\nregex = '''(unclosed'''\nkeywords = [\"x\"]\n");
    hush()
        .args(["rules", "--check"])
        .arg(&cfg)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("hush.toml").and(predicate::str::contains("broken-rule")));
}

#[test]
fn config_errors_never_echo_values() {
    let (_d, cfg) = config("known_values = [\"tiny\"]\n");
    hush()
        .arg("--config")
        .arg(&cfg)
        .write_stdin("x\n")
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("hush: ").and(predicate::str::contains("tiny").not()));
}

#[test]
fn relative_paths_in_a_config_resolve_against_its_directory() {
    let (dir, cfg) = config("known_files = [\"secrets.txt\"]\n");
    write(dir.path(), "secrets.txt", "plum-Orbit-4471\n");
    let elsewhere = tempfile::tempdir().unwrap();
    hush()
        .arg("--config")
        .arg(&cfg)
        .current_dir(elsewhere.path())
        .write_stdin("login with plum-Orbit-4471 failed\n")
        .assert()
        .success()
        .stdout("login with [REDACTED] failed\n");
}

#[test]
fn gitleaks_file_rules_apply_and_a_missing_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let rules = write(
        dir.path(),
        "gitleaks.toml",
        "[[rules]]\nid = \"acme-key\"\ndescription = \"ACME key\"\nregex = '''acme_[a-z0-9]{16}'''\nkeywords = [\"acme_\"]\n",
    );
    hush()
        .args(["--mask", "label", "--gitleaks"])
        .arg(&rules)
        .write_stdin("key acme_0123456789abcdef used\n")
        .assert()
        .success()
        .stdout("key [REDACTED:acme-key] used\n");
    hush()
        .arg("--gitleaks")
        .arg(dir.path().join("missing.toml"))
        .write_stdin("x\n")
        .assert()
        .code(2)
        .stderr(predicate::str::starts_with("hush: ").and(predicate::str::contains("missing.toml")));
}
