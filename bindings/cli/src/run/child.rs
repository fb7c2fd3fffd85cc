//! Spawning the child: piped stdout/stderr, the parent-death signal, exec failure codes.

use std::ffi::OsString;
use std::io;
use std::os::unix::process::CommandExt;
use std::process::{ChildStderr, ChildStdout, Command, Stdio};

use nix::sys::signal::{SigSet, SigmaskHow, Signal, sigprocmask};
use nix::sys::wait::WaitStatus;
use nix::unistd::Pid;

use super::envfiles::EnvPlan;
use crate::common::{EXIT_CANNOT_EXECUTE, EXIT_ERROR, EXIT_NOT_FOUND};

/// A running child: its pid and the read ends of its output pipes.
pub(super) struct Spawned {
    pub(super) pid: Pid,
    pub(super) stdout: ChildStdout,
    pub(super) stderr: ChildStderr,
}

/// Why the child could not be started, and the exit status that says so.
pub(super) struct Failure {
    pub(super) code: i32,
    pub(super) reason: String,
}

pub(super) fn spawn(command: &[OsString], plan: &EnvPlan) -> Result<Spawned, Failure> {
    let mut cmd = Command::new(&command[0]);
    cmd.args(&command[1..]).stdin(Stdio::inherit()).stdout(Stdio::piped()).stderr(Stdio::piped());
    plan.apply(&mut cmd);
    let parent = nix::unistd::getpid();
    // SAFETY: the closure runs in the forked child before exec and only makes
    // async-signal-safe system calls (prctl, getppid, sigprocmask); it allocates nothing.
    unsafe {
        cmd.pre_exec(move || {
            // Die with hush, even when hush is killed with SIGKILL.
            nix::sys::prctl::set_pdeathsig(Signal::SIGKILL)?;
            // hush may have died between fork and prctl: then nothing would kill us.
            if nix::unistd::getppid() != parent {
                return Err(io::Error::other("hush exited"));
            }
            // hush blocks the signals it forwards; the child starts with none blocked.
            sigprocmask(SigmaskHow::SIG_SETMASK, Some(&SigSet::empty()), None)?;
            Ok(())
        });
    }
    let mut child = cmd.spawn().map_err(|e| Failure { code: exec_failure_code(&e), reason: describe(&e) })?;
    let pid = Pid::from_raw(i32::try_from(child.id()).expect("pid fits in i32"));
    let stdout = child.stdout.take().expect("stdout is piped");
    let stderr = child.stderr.take().expect("stderr is piped");
    // The child is reaped by the signal thread with waitpid; dropping `Child` does not wait.
    drop(child);
    Ok(Spawned { pid, stdout, stderr })
}

/// 127 when the program does not exist, 126 when it exists but cannot be executed.
fn exec_failure_code(e: &io::Error) -> i32 {
    match e.kind() {
        io::ErrorKind::NotFound => EXIT_NOT_FOUND,
        _ => EXIT_CANNOT_EXECUTE,
    }
}

/// The OS reason without Rust's `(os error N)` suffix.
fn describe(e: &io::Error) -> String {
    crate::common::io_reason(e)
}

/// The exit status of hush for the child's wait status: its code, or 128+N for signal N.
pub(super) fn exit_code(status: WaitStatus) -> i32 {
    match status {
        WaitStatus::Exited(_, code) => code,
        WaitStatus::Signaled(_, signal, _) => 128 + signal as i32,
        _ => EXIT_ERROR,
    }
}
