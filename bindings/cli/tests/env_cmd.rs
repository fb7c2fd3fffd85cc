//! `hush env`: every format, auto detection, --current, --check and errors.

use assert_cmd::Command;

fn hush_env(extra: &[&str]) -> Command {
    let mut cmd = Command::cargo_bin("hush").unwrap();
    cmd.env_clear().arg("--no-default-sources").arg("env").args(extra);
    cmd
}

/// Runs `hush env` on `input` from stdin and returns stdout.
fn sanitize(input: &[u8], extra: &[&str]) -> Vec<u8> {
    let out = hush_env(extra).write_stdin(input.to_vec()).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

const CASES: &[(&str, &str, &str)] = &[
    ("env", "HOME=/root\nDB_PASSWORD=hunter22x\n", "HOME=/root\nDB_PASSWORD=[REDACTED]\n"),
    ("dotenv", "# db\nDB_PASSWORD='hunter 22'\nUSER=app # me\n", "# db\nDB_PASSWORD='[REDACTED]'\nUSER=app # me\n"),
    (
        "export",
        "declare -x API_TOKEN=\"abc123\"\ndeclare -x TERM=\"xterm\"\n",
        "declare -x API_TOKEN=\"[REDACTED]\"\ndeclare -x TERM=\"xterm\"\n",
    ),
    (
        "docker-inspect",
        "[{\"Config\": {\"Env\": [\"PATH=/bin\", \"SECRET_KEY=abc\\\"d\"]}}]\n",
        "[{\"Config\": {\"Env\": [\"PATH=/bin\", \"SECRET_KEY=[REDACTED]\"]}}]\n",
    ),
    (
        "compose",
        "services:\n  db:\n    environment:\n      - POSTGRES_PASSWORD=pw123456\n      POSTGRES_USER: app\n",
        "services:\n  db:\n    environment:\n      - POSTGRES_PASSWORD=[REDACTED]\n      POSTGRES_USER: app\n",
    ),
    (
        "k8s",
        "env:\n- name: DB_PASSWORD\n  value: \"pw123456\"\n- name: MODE\n  value: prod\n",
        "env:\n- name: DB_PASSWORD\n  value: \"[REDACTED]\"\n- name: MODE\n  value: prod\n",
    ),
];

#[test]
fn every_format_explicit_and_auto() {
    for (format, input, expected) in CASES {
        assert_eq!(
            String::from_utf8(sanitize(input.as_bytes(), &["--format", format])).unwrap(),
            *expected,
            "{format}"
        );
        assert_eq!(String::from_utf8(sanitize(input.as_bytes(), &[])).unwrap(), *expected, "auto: {format}");
    }
}

#[test]
fn environ_with_nul_bytes() {
    assert_eq!(sanitize(b"A=1\0DB_PASSWORD=x1y2\0", &[]), b"A=1\0DB_PASSWORD=[REDACTED]\0");
}

#[test]
fn reads_a_file_and_dash_means_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(".env");
    std::fs::write(&file, "API_KEY=abc123\n").unwrap();
    hush_env(&[file.to_str().unwrap()]).assert().success().stdout("API_KEY=[REDACTED]\n");
    hush_env(&["-"]).write_stdin("API_KEY=abc123\n").assert().success().stdout("API_KEY=[REDACTED]\n");
    hush_env(&[dir.path().join("missing").to_str().unwrap()]).assert().code(2);
}

#[test]
fn check_lists_names_and_rules_and_exits_1() {
    let out = hush_env(&["--check"]).write_stdin("HOME=/root\nDB_PASSWORD=hunter22x\n").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "DB_PASSWORD key:password key\n");
    hush_env(&["--check"]).write_stdin("HOME=/root\n").assert().code(0).stdout("");
}

#[test]
fn current_masks_the_process_environment() {
    let out = hush_env(&["--current"]).env("DB_PASSWORD", "hunter22x").env("SHELL_NAME", "dash").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("DB_PASSWORD=[REDACTED]\n"), "{text}");
    assert!(text.contains("SHELL_NAME=dash\n"), "{text}");
    assert!(!text.contains("hunter22x"));
    let check = hush_env(&["--current", "--check"]).env("DB_PASSWORD", "hunter22x").output().unwrap();
    assert_eq!((check.status.code(), check.stdout), (Some(1), b"DB_PASSWORD key:password key\n".to_vec()));
    let environ = hush_env(&["--current", "--format", "environ"]).env("API_TOKEN", "t0k3n").output().unwrap();
    assert!(environ.stdout.split(|&b| b == 0).any(|entry| entry == b"API_TOKEN=[REDACTED]"), "NUL-separated output");
}

#[test]
fn undetectable_input_is_exit_2_without_echoing_input() {
    let out = hush_env(&[]).write_stdin("some words hunter22x\n").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with("hush: <stdin>: line 1 (byte 0): cannot detect"), "{err}");
    assert!(!err.contains("hunter22x"));
}

#[test]
fn invalid_json_and_unknown_format_are_exit_2() {
    let out = hush_env(&["--format", "docker-inspect"]).write_stdin("[{\"Env\": [\"A=1\",]}]").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("invalid JSON"));
    hush_env(&["--format", "yaml"]).write_stdin("A=1\n").assert().code(2);
}
