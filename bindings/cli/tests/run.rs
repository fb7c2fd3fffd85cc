//! `hush run`: redaction per stream, exit codes, signals, reaping, partial lines, EPIPE and
//! `--env-to-files`. Everything runs unprivileged; the PID-1 test skips where `unshare` is
//! refused.

use std::io::{BufRead, BufReader, Read};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use assert_cmd::cargo::cargo_bin;

/// `hush --no-default-sources run --drain-timeout 500ms -- sh -c SCRIPT` with a clean env.
fn hush_sh(script: &str, extra: &[&str]) -> Command {
    let mut cmd = Command::new(cargo_bin("hush"));
    cmd.env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .args(["--no-default-sources", "run", "--drain-timeout", "500ms"])
        .args(extra)
        .args(["--", "sh", "-c", script]);
    // A non-interactive shell cannot trap a signal ignored on entry, and the test process
    // may inherit ignored SIGHUP/SIGINT/SIGQUIT (`nohup`, a background job): start hush,
    // and so the child, with default dispositions whatever launched the tests.
    // SAFETY: between fork and exec only `sigaction`, which is async-signal-safe, runs.
    unsafe {
        use std::os::unix::process::CommandExt;
        cmd.pre_exec(|| {
            use nix::sys::signal::{SigHandler, Signal, signal};
            for s in
                [Signal::SIGHUP, Signal::SIGINT, Signal::SIGQUIT, Signal::SIGUSR1, Signal::SIGUSR2, Signal::SIGTERM]
            {
                signal(s, SigHandler::SigDfl)?;
            }
            Ok(())
        });
    }
    cmd
}

/// Waits for `child` at most `limit`; kills it and fails the test when it hangs.
fn wait_at_most(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("hush did not exit within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn signal(pid: u32, sig: nix::sys::signal::Signal) {
    nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid as i32), sig).unwrap();
}

/// Reads lines from `child`'s stdout on a thread.
fn line_reader(child: &mut Child) -> mpsc::Receiver<String> {
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

fn expect_line(rx: &mpsc::Receiver<String>, want: &str) {
    let line = rx.recv_timeout(Duration::from_secs(10)).unwrap_or_else(|_| panic!("no `{want}` line"));
    // The line may be an unmasked secret: say only that it differs.
    assert!(line == want, "expected `{want}`, got a different line of {} bytes", line.len());
}

#[test]
fn stdout_and_stderr_are_redacted_on_their_own_streams() {
    let out =
        hush_sh("echo 'out password=hunter22x'; echo 'err api_key=abc123' >&2; echo 'plain'", &[]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "out password=[REDACTED]\nplain\n");
    assert_eq!(String::from_utf8(out.stderr).unwrap(), "err api_key=[REDACTED]\n");
}

#[test]
fn exit_status_is_the_childs() {
    assert_eq!(hush_sh("exit 7", &[]).status().unwrap().code(), Some(7));
    assert_eq!(hush_sh("exit 0", &[]).status().unwrap().code(), Some(0));
}

#[test]
fn child_killed_by_signal_gives_128_plus_n() {
    assert_eq!(hush_sh("kill -KILL $$", &[]).status().unwrap().code(), Some(137));
    assert_eq!(hush_sh("kill -USR1 $$", &[]).status().unwrap().code(), Some(138));
}

#[test]
fn exec_failures_are_127_and_126() {
    let out = Command::new(cargo_bin("hush")).args(["run", "--", "/nonexistent/hush-test-cmd"]).output().unwrap();
    assert_eq!(out.status.code(), Some(127));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "hush: cannot run /nonexistent/hush-test-cmd: No such file or directory\n"
    );
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("not-executable.sh");
    std::fs::write(&script, "#!/bin/sh\necho hi\n").unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out =
        Command::new(cargo_bin("hush")).args(["--no-default-sources", "run", "--"]).arg(&script).output().unwrap();
    assert_eq!(out.status.code(), Some(126));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with("hush: cannot run ") && err.ends_with(": Permission denied\n"), "{err}");
}

#[test]
fn sigterm_is_forwarded_to_the_child() {
    let script = "trap 'echo got-term; kill $! 2>/dev/null; exit 3' TERM; echo ready; sleep 100 & wait";
    let mut child = hush_sh(script, &[]).stdout(Stdio::piped()).spawn().unwrap();
    let lines = line_reader(&mut child);
    expect_line(&lines, "ready");
    signal(child.id(), nix::sys::signal::Signal::SIGTERM);
    expect_line(&lines, "got-term");
    assert_eq!(wait_at_most(&mut child, Duration::from_secs(10)).code(), Some(3));
}

#[test]
fn sigint_and_usr1_are_forwarded() {
    let script = "trap 'echo got-usr1' USR1; trap 'echo got-int; kill $! 2>/dev/null; exit 4' INT; echo ready; \
                  while :; do sleep 0.05; done";
    let mut child = hush_sh(script, &[]).stdout(Stdio::piped()).spawn().unwrap();
    let lines = line_reader(&mut child);
    expect_line(&lines, "ready");
    signal(child.id(), nix::sys::signal::Signal::SIGUSR1);
    expect_line(&lines, "got-usr1");
    signal(child.id(), nix::sys::signal::Signal::SIGINT);
    expect_line(&lines, "got-int");
    assert_eq!(wait_at_most(&mut child, Duration::from_secs(10)).code(), Some(4));
}

/// Needs known values loaded from `--secrets-dir` (the known-values work in the core).
#[test]
fn sighup_reloads_a_new_secret_file_then_is_forwarded() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = dir.path().to_str().unwrap();
    let script =
        format!("trap 'echo got-hup; cat {secrets}/api; echo; exit 0' HUP; echo ready; while :; do sleep 0.05; done");
    let mut child = hush_sh(&script, &["--secrets-dir", secrets]).stdout(Stdio::piped()).spawn().unwrap();
    let lines = line_reader(&mut child);
    expect_line(&lines, "ready");
    std::fs::write(dir.path().join("api"), "zq-Secret-9981x").unwrap();
    signal(child.id(), nix::sys::signal::Signal::SIGHUP);
    expect_line(&lines, "got-hup");
    expect_line(&lines, "[REDACTED]");
    assert_eq!(wait_at_most(&mut child, Duration::from_secs(10)).code(), Some(0));
}

/// Needs known values loaded from `--secrets-dir` (the known-values work in the core).
#[test]
fn watch_reloads_when_a_secret_file_changes() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = dir.path().to_str().unwrap();
    let stop = dir.path().join("stop");
    // The child waits for the file, then prints it every 0.2 s until told to stop: the
    // watcher polls once a second, so some copy after its reload must come out masked
    // (no fixed sleep to lose against a loaded machine).
    let script = format!(
        "echo ready; while [ ! -s {secrets}/api ]; do sleep 0.05; done; \
         while [ ! -e {stop} ]; do cat {secrets}/api; echo; sleep 0.2; done",
        stop = stop.display()
    );
    let mut child =
        hush_sh(&script, &["--secrets-dir", secrets, "--watch", secrets]).stdout(Stdio::piped()).spawn().unwrap();
    let lines = line_reader(&mut child);
    expect_line(&lines, "ready");
    std::fs::write(dir.path().join("api"), "zq-Watched-5521y").unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let mut masked = false;
    while !masked && std::time::Instant::now() < deadline {
        // Lines before the reload show the value: never print them.
        masked = lines.recv_timeout(Duration::from_secs(1)).is_ok_and(|line| line == "[REDACTED]");
    }
    std::fs::write(&stop, "").unwrap();
    assert!(masked, "no masked copy of the watched secret within 20 s");
    assert_eq!(wait_at_most(&mut child, Duration::from_secs(10)).code(), Some(0));
}

#[test]
fn bad_options_are_usage_errors() {
    for args in [&["--files-owner", "app", "--env-to-files", "/tmp/x"][..], &["--drain-timeout", "soon"]] {
        let out = Command::new(cargo_bin("hush")).arg("run").args(args).args(["--", "true"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn sighup_keeps_hush_and_redaction_running() {
    // SIGHUP reloads (same sources here) and is forwarded; neither hush nor the child stops
    // and output after the reload is still redacted.
    let script = "trap 'echo got-hup' HUP; echo ready; n=0; while [ $n -lt 40 ]; do sleep 0.05; n=$((n+1)); done; echo 'password=hunter22x'";
    let mut child = hush_sh(script, &[]).stdout(Stdio::piped()).spawn().unwrap();
    let lines = line_reader(&mut child);
    expect_line(&lines, "ready");
    signal(child.id(), nix::sys::signal::Signal::SIGHUP);
    expect_line(&lines, "got-hup");
    expect_line(&lines, "password=[REDACTED]");
    assert_eq!(wait_at_most(&mut child, Duration::from_secs(10)).code(), Some(0));
}

/// `(pid, ppid, state)` of every process, from /proc.
fn processes() -> Vec<(u32, u32, char)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        let Some(rest) = stat.rfind(')').map(|i| &stat[i + 2..]) else { continue };
        let mut fields = rest.split(' ');
        let state = fields.next().and_then(|s| s.chars().next()).unwrap_or('?');
        let ppid = fields.next().and_then(|s| s.parse().ok()).unwrap_or(0);
        out.push((pid, ppid, state));
    }
    out
}

#[test]
fn orphaned_grandchild_is_reparented_and_reaped() {
    // The subshell forks `sleep 1` and exits: the grandchild is re-parented to hush (the
    // subreaper) and must be reaped when it exits, while the main child keeps running.
    let script = "(sleep 1 >/dev/null 2>&1 &); echo started; sleep 3";
    let mut child = hush_sh(script, &[]).stdout(Stdio::piped()).spawn().unwrap();
    let hush = child.id();
    let lines = line_reader(&mut child);
    expect_line(&lines, "started");
    let children = |p: &[(u32, u32, char)]| p.iter().filter(|(_, ppid, _)| *ppid == hush).count();
    assert_eq!(children(&processes()), 2, "main child and the re-parented grandchild");
    std::thread::sleep(Duration::from_millis(1600));
    let now = processes();
    let zombies: Vec<_> = now.iter().filter(|(_, ppid, state)| *ppid == hush && *state == 'Z').collect();
    assert!(zombies.is_empty(), "zombies under hush: {zombies:?}");
    assert_eq!(children(&now), 1, "only the main child is left");
    assert_eq!(wait_at_most(&mut child, Duration::from_secs(10)).code(), Some(0));
}

#[test]
fn as_pid_1_in_a_pid_namespace_orphans_are_reaped() {
    let probe = Command::new("unshare").args(["-Urpf", "--mount-proc", "true"]).output();
    if !probe.as_ref().is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: `unshare -Urpf --mount-proc` is refused here");
        return;
    }
    let script = "echo \"pid-of-parent=$PPID\"; (sleep 0.2 &); sleep 0.8; \
                  for s in /proc/[0-9]*/stat; do cat \"$s\" 2>/dev/null; echo; done";
    let out = Command::new("unshare")
        .args(["-Urpf", "--mount-proc"])
        .arg(cargo_bin("hush"))
        .args(["--no-default-sources", "run", "--", "sh", "-c", script])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("pid-of-parent=1\n"), "hush is PID 1: {text}");
    for line in text.lines().filter(|l| l.contains(") ")) {
        let state = line.rsplit_once(") ").map(|(_, r)| &r[..1]).unwrap_or("?");
        assert_ne!(state, "Z", "zombie in the namespace: {line}");
    }
    assert!(!text.contains("(sleep) S 1 "), "the orphaned sleep was reaped");
}

#[test]
fn partial_line_prompt_is_released_and_secret_never_appears() {
    let script = "printf 'Enter code: '; sleep 1; printf 'api_key=zq9Secret77'; sleep 1";
    let mut child = hush_sh(script, &[]).stdout(Stdio::piped()).spawn().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    let n = stdout.read(&mut first).unwrap();
    // The prompt comes alone, released after 100 ms of quiet while the child sleeps.
    assert_eq!(&first[..n], b"Enter code: ");
    let mut rest = Vec::new();
    stdout.read_to_end(&mut rest).unwrap();
    let rest = String::from_utf8(rest).unwrap();
    assert!(!rest.contains("zq9Secret77"), "secret leaked: {} bytes", rest.len());
    assert!(rest.starts_with("api_key=") && rest.contains("[REDACTED]"), "{rest}");
    assert_eq!(wait_at_most(&mut child, Duration::from_secs(10)).code(), Some(0));
}

#[test]
fn closed_stdout_keeps_draining_so_the_child_finishes() {
    // 4 MB is far more than a pipe holds: without draining the child would block forever.
    let script =
        "i=0; while [ $i -lt 40 ]; do head -c 100000 /dev/zero | tr '\\0' 'x'; echo; i=$((i+1)); done; echo done >&2";
    let mut child = hush_sh(script, &[]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut some = [0u8; 16];
    stdout.read_exact(&mut some).unwrap();
    drop(stdout);
    let status = wait_at_most(&mut child, Duration::from_secs(20));
    assert_eq!(status.code(), Some(0));
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    assert_eq!(err, "done\n");
}

#[test]
fn drain_timeout_bounds_the_wait_for_a_grandchild_holding_the_pipe() {
    let start = Instant::now();
    let script = "(sleep 5; echo late) & echo main-done";
    let mut child = hush_sh(script, &[]).stdout(Stdio::piped()).spawn().unwrap();
    let lines = line_reader(&mut child);
    expect_line(&lines, "main-done");
    assert_eq!(wait_at_most(&mut child, Duration::from_secs(4)).code(), Some(0));
    assert!(start.elapsed() < Duration::from_secs(4));
}

#[test]
fn scrub_env_removes_sensitive_variables() {
    let out = hush_sh("echo \"pw=${DB_PASSWORD-unset} user=$DB_USER\"", &["--scrub-env"])
        .env("DB_PASSWORD", "hunter22x")
        .env("DB_USER", "app")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "pw=unset user=app\n");
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn env_to_files_writes_private_files_and_cleans_up() {
    let base = tempfile::tempdir().unwrap();
    let dir = base.path().join("secrets");
    let script = "echo \"var=${DB_PASSWORD-unset} file=$DB_PASSWORD_FILE user=$DB_USER\"; \
                  stat -c '%a %u' \"$DB_PASSWORD_FILE\" \"$(dirname \"$DB_PASSWORD_FILE\")\"; \
                  [ \"$(cat \"$DB_PASSWORD_FILE\")\" = 'hunter22x' ] && echo content-ok";
    let uid = nix::unistd::getuid().as_raw();
    let gid = nix::unistd::getgid().as_raw();
    let owner = format!("{uid}:{gid}");
    let out = hush_sh(script, &["--env-to-files", dir.to_str().unwrap(), "--files-owner", &owner])
        .env("DB_PASSWORD", "hunter22x")
        .env("DB_USER", "app")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let file = dir.join("DB_PASSWORD");
    let expected = format!("var=unset file={} user=app\n400 {uid}\n700 {uid}\ncontent-ok\n", file.display());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), expected);
    assert!(!file.exists() && !dir.exists(), "files and the directory hush created are removed");
}

#[test]
fn env_to_files_keep_files() {
    let base = tempfile::tempdir().unwrap();
    let dir = base.path().join("kept");
    let out = hush_sh("true", &["--env-to-files", dir.to_str().unwrap(), "--keep-files"])
        .env("API_TOKEN", "t0k3n-value")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let file = dir.join("API_TOKEN");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "t0k3n-value");
    assert_eq!((mode(&file), mode(&dir)), (0o400, 0o700));
}

#[test]
fn child_dies_with_hush_killed_by_sigkill() {
    let mut child = hush_sh("echo $$; exec sleep 100", &[]).stdout(Stdio::piped()).spawn().unwrap();
    let lines = line_reader(&mut child);
    let pid: u32 = lines.recv_timeout(Duration::from_secs(10)).unwrap().parse().unwrap();
    assert!(Path::new(&format!("/proc/{pid}")).exists());
    signal(child.id(), nix::sys::signal::Signal::SIGKILL);
    assert_eq!(wait_at_most(&mut child, Duration::from_secs(5)).code(), None);
    let start = Instant::now();
    // PR_SET_PDEATHSIG kills the child; it is then reaped by whoever adopts it.
    while Path::new(&format!("/proc/{pid}/stat")).exists()
        && !std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| s.contains(") Z "))
    {
        assert!(start.elapsed() < Duration::from_secs(5), "the child outlived hush");
        std::thread::sleep(Duration::from_millis(20));
    }
}
