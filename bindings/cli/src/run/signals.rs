//! The signal thread: forwards signals to the child, reloads on SIGHUP and reaps every
//! child (the main one and orphans re-parented to hush as subreaper) on SIGCHLD.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, PoisonError};

use nix::errno::Errno;
use nix::sys::signal::{SigSet, Signal, kill};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::Pid;

use super::Shared;

/// Signals passed on to the child unchanged.
const FORWARDED: [Signal; 5] = [Signal::SIGINT, Signal::SIGTERM, Signal::SIGQUIT, Signal::SIGUSR1, Signal::SIGUSR2];

/// Every signal the signal thread takes: the forwarded ones, SIGHUP and SIGCHLD.
pub(super) fn handled() -> SigSet {
    let mut set = SigSet::empty();
    for s in FORWARDED.into_iter().chain([Signal::SIGHUP, Signal::SIGCHLD]) {
        set.add(s);
    }
    set
}

/// Reaping shared by the signal thread and the main thread's final pass.
pub(super) struct Reaper {
    main: Pid,
    /// True once the main child has been reaped: its pid may be reused, so no more forwarding.
    main_done: AtomicBool,
    status_tx: Mutex<Option<Sender<WaitStatus>>>,
}

impl Reaper {
    /// Reaps every exited child without blocking; sends the main child's status.
    fn reap(&self) {
        loop {
            match waitpid(None::<Pid>, Some(WaitPidFlag::WNOHANG)) {
                Ok(WaitStatus::StillAlive) | Err(Errno::ECHILD) => return,
                Err(Errno::EINTR) => {}
                Err(_) => return,
                Ok(status) => {
                    let exited = matches!(status, WaitStatus::Exited(..) | WaitStatus::Signaled(..));
                    if exited && status.pid() == Some(self.main) {
                        self.main_done.store(true, Ordering::Release);
                        let tx = self.status_tx.lock().unwrap_or_else(PoisonError::into_inner).take();
                        if let Some(tx) = tx {
                            let _ = tx.send(status);
                        }
                    }
                }
            }
        }
    }

    /// Reaps whatever has exited by now (called once more before hush exits).
    pub(super) fn reap_now(&self) {
        self.reap();
    }

    fn forward(&self, signal: Signal) {
        if !self.main_done.load(Ordering::Acquire) {
            let _ = kill(self.main, signal);
        }
    }
}

/// Starts the signal thread. `mask` must already be blocked in every thread.
pub(super) fn start(mask: SigSet, main: Pid, shared: Arc<Shared>, status_tx: Sender<WaitStatus>) -> Arc<Reaper> {
    let reaper = Arc::new(Reaper { main, main_done: AtomicBool::new(false), status_tx: Mutex::new(Some(status_tx)) });
    let thread_reaper = Arc::clone(&reaper);
    std::thread::Builder::new()
        .name("hush-signals".into())
        .spawn(move || {
            // The child may have exited before this thread started: SIGCHLD is then pending
            // and delivered by the first wait, but reap once anyway.
            thread_reaper.reap();
            loop {
                match mask.wait() {
                    Ok(Signal::SIGCHLD) => thread_reaper.reap(),
                    Ok(Signal::SIGHUP) => {
                        shared.reload();
                        thread_reaper.forward(Signal::SIGHUP);
                    }
                    Ok(signal) => thread_reaper.forward(signal),
                    Err(_) => {}
                }
            }
        })
        .expect("spawning the signal thread");
    reaper
}
