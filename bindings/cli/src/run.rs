//! `hush run`: run a program with its stdout and stderr each redacted on its own stream.
//!
//! Threads, no async runtime: one thread per output pipe ([`pump`]), one thread that takes
//! every signal with `sigwait` ([`signals`]: forwarding, reload on SIGHUP, reaping on
//! SIGCHLD), and optionally one polling secret directories ([`watch`]). The main thread
//! spawns the child, waits for its exit status, lets the pumps drain, cleans up and returns
//! the child's status.

mod child;
mod envfiles;
mod pump;
mod signals;
mod watch;

use std::ffi::OsString;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use hush::Redactor;

use crate::common::{CommonArgs, EXIT_ERROR, build_redactor};

/// Arguments of `hush run`.
#[derive(clap::Args, Debug, Clone)]
#[command(
    override_usage = "hush run [OPTIONS] -- CMD [ARGS...]",
    after_help = "\
Examples:
  hush run -- ./server --port 8080
  hush run --secrets-dir /run/secrets --scrub-env -- python app.py
  hush run --env-to-files /run/app-secrets --files-owner 1000:1000 -- docker-entrypoint.sh postgres
  ENTRYPOINT [\"hush\", \"run\", \"--\"] in a Dockerfile

The child's stdout and stderr are pipes: set PYTHONUNBUFFERED=1 or use `stdbuf -oL` so output
is not held in the child's buffers.

Exit status: the child's; 128+N when it was killed by signal N; 126 when CMD cannot be
executed; 127 when it is not found; 2 for hush's own usage or config errors."
)]
pub struct RunArgs {
    /// Remove sensitive variables from the child's environment (their values still redact output).
    #[arg(long)]
    pub scrub_env: bool,
    /// Move each sensitive variable into DIR/NAME (mode 0400) and set NAME_FILE=DIR/NAME instead.
    #[arg(long, value_name = "DIR")]
    pub env_to_files: Option<PathBuf>,
    /// Owner of the --env-to-files directory and files (default: the current user).
    #[arg(long, value_name = "UID[:GID]", requires = "env_to_files", value_parser = envfiles::parse_owner)]
    pub files_owner: Option<envfiles::Owner>,
    /// Keep the --env-to-files files when the child exits.
    #[arg(long, requires = "env_to_files")]
    pub keep_files: bool,
    /// Reload when a file in DIR changes (checked every second; repeatable).
    #[arg(long, value_name = "DIR")]
    pub watch: Vec<PathBuf>,
    /// After the child exits, how long to keep draining its output (`2s`, `500ms`).
    #[arg(long, value_name = "DURATION", default_value = "2s", value_parser = parse_duration)]
    pub drain_timeout: Duration,
    /// The program to run and its arguments.
    #[arg(value_name = "CMD", required = true, trailing_var_arg = true, allow_hyphen_values = true)]
    pub command: Vec<OsString>,
}

/// Parses `2`, `2s`, `1.5s` or `500ms`.
fn parse_duration(s: &str) -> Result<Duration, String> {
    let (number, unit) = match s.strip_suffix("ms") {
        Some(n) => (n, 0.001),
        None => (s.strip_suffix('s').unwrap_or(s), 1.0),
    };
    number
        .trim()
        .parse::<f64>()
        .ok()
        .filter(|n| n.is_finite() && *n >= 0.0)
        .map(|n| Duration::from_secs_f64(n * unit))
        .ok_or_else(|| format!("invalid duration `{s}` (use 2s or 500ms)"))
}

/// The current redactor, swapped on reload; pumps pick up a new one at a line boundary.
pub(crate) struct Shared {
    redactor: Mutex<Redactor>,
    generation: AtomicU64,
}

impl Shared {
    fn new(redactor: Redactor) -> Self {
        Shared { redactor: Mutex::new(redactor), generation: AtomicU64::new(0) }
    }

    /// The redactor in use and its generation.
    pub(crate) fn current(&self) -> (Redactor, u64) {
        let guard = self.redactor.lock().unwrap_or_else(PoisonError::into_inner);
        (guard.clone(), self.generation.load(Ordering::Acquire))
    }

    /// Has a reload happened since `generation`?
    pub(crate) fn changed_since(&self, generation: u64) -> bool {
        self.generation.load(Ordering::Acquire) != generation
    }

    /// Rebuilds the redactor (re-reading secret files); on failure keeps the old one.
    pub(crate) fn reload(&self) {
        let (old, _) = self.current();
        match old.reload() {
            Ok(new) => {
                *self.redactor.lock().unwrap_or_else(PoisonError::into_inner) = new;
                self.generation.fetch_add(1, Ordering::AcqRel);
            }
            Err(e) => crate::run::warn(format_args!("reload failed: {e}")),
        }
    }
}

/// Prints `hush: …` to stderr, ignoring a closed stderr.
pub(crate) fn warn(message: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "hush: {message}");
}

/// Runs `hush run`; returns the exit status.
pub fn main(args: RunArgs, common: &CommonArgs) -> i32 {
    let watch = (!args.watch.is_empty()).then(|| watch::baseline(args.watch.clone()));
    let redactor = match build_redactor(common) {
        Ok(r) => r,
        Err(e) => {
            e.report();
            return e.code;
        }
    };
    let plan = match envfiles::prepare(&args, &redactor) {
        Ok(plan) => plan,
        Err(e) => {
            warn(format_args!("{e}"));
            return EXIT_ERROR;
        }
    };
    let shared = Arc::new(Shared::new(redactor));
    let code = supervise(&args, &plan, &shared, watch);
    if !args.keep_files {
        plan.cleanup();
    }
    code
}

/// Spawns the child and everything around it; returns the exit status.
fn supervise(args: &RunArgs, plan: &envfiles::EnvPlan, shared: &Arc<Shared>, watch: Option<watch::Watch>) -> i32 {
    // Block the handled signals before any thread exists so that every thread inherits the
    // mask and only the signal thread (sigwait) receives them.
    let mask = signals::handled();
    if let Err(e) = mask.thread_block() {
        warn(format_args!("cannot block signals: {e}"));
        return EXIT_ERROR;
    }
    if let Err(e) = nix::sys::prctl::set_child_subreaper(true) {
        warn(format_args!("cannot become a child subreaper: {e}"));
    }
    let spawned = match child::spawn(&args.command, plan) {
        Ok(spawned) => spawned,
        Err(failure) => {
            warn(format_args!("cannot run {}: {}", args.command[0].to_string_lossy(), failure.reason));
            return failure.code;
        }
    };
    let (status_tx, status_rx) = std::sync::mpsc::channel();
    let signal_state = signals::start(mask, spawned.pid, Arc::clone(shared), status_tx);
    let drain = Arc::new(pump::Drain::default());
    let pumps = [
        pump::start(spawned.stdout, pump::Output::Stdout, Arc::clone(shared), Arc::clone(&drain)),
        pump::start(spawned.stderr, pump::Output::Stderr, Arc::clone(shared), Arc::clone(&drain)),
    ];
    if let Some(watch) = watch {
        watch::start(watch, Arc::clone(shared));
    }
    let status = status_rx.recv().ok();
    drain.start(args.drain_timeout);
    for pump in pumps {
        let _ = pump.join();
    }
    signal_state.reap_now();
    status.map_or(EXIT_ERROR, child::exit_code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("2s").unwrap(), Duration::from_secs(2));
        assert_eq!(parse_duration("2").unwrap(), Duration::from_secs(2));
        assert_eq!(parse_duration("1.5s").unwrap(), Duration::from_millis(1500));
        assert_eq!(parse_duration("500ms").unwrap(), Duration::from_millis(500));
        assert!(parse_duration("-1s").is_err());
        assert!(parse_duration("soon").is_err());
    }

    #[test]
    fn owners() {
        assert_eq!(envfiles::parse_owner("1000").unwrap(), envfiles::parse_owner("1000").unwrap());
        assert_ne!(envfiles::parse_owner("1000:1000").unwrap(), envfiles::parse_owner("1000").unwrap());
        assert!(envfiles::parse_owner("app").is_err());
        assert!(envfiles::parse_owner("1000:").is_err());
    }
}
