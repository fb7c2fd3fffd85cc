//! One thread per child output pipe: read, redact, write to hush's own stream.
//!
//! Complete lines go out as soon as they arrive; after [`QUIET`] without input the partial
//! line (a prompt) is released with `flush_partial`. When hush's own output is closed the
//! pipe is still read and discarded, so the child never blocks on a full pipe.

use std::fs::File;
use std::io::{self, Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::poll::{PollFd, PollFlags, PollTimeout, poll};

use super::Shared;

/// How long a partial line waits for more input before it is released.
const QUIET: Duration = Duration::from_millis(100);
/// Longest poll while nothing is pending (bounds how late the drain deadline is noticed).
const IDLE_POLL: Duration = Duration::from_millis(250);

/// Which of hush's streams a pump writes to.
#[derive(Clone, Copy, Debug)]
pub(super) enum Output {
    Stdout,
    Stderr,
}

impl Output {
    fn open(self) -> io::Result<File> {
        let fd = match self {
            Output::Stdout => io::stdout().as_fd().try_clone_to_owned()?,
            Output::Stderr => io::stderr().as_fd().try_clone_to_owned()?,
        };
        Ok(File::from(fd))
    }

    fn name(self) -> &'static str {
        match self {
            Output::Stdout => "stdout",
            Output::Stderr => "stderr",
        }
    }
}

/// The drain deadline, set when the main child has exited.
#[derive(Default)]
pub(super) struct Drain {
    deadline: Mutex<Option<Instant>>,
}

impl Drain {
    /// Starts the countdown: pumps stop at EOF or after `timeout`, whichever comes first.
    pub(super) fn start(&self, timeout: Duration) {
        *self.deadline.lock().unwrap_or_else(PoisonError::into_inner) = Some(Instant::now() + timeout);
    }

    /// Time left, `None` while the child runs.
    fn remaining(&self) -> Option<Duration> {
        let deadline = *self.deadline.lock().unwrap_or_else(PoisonError::into_inner);
        deadline.map(|d| d.saturating_duration_since(Instant::now()))
    }
}

/// Writes to hush's stream; after a write error (EPIPE, a full disk) output is discarded
/// so that reading the child's pipe goes on.
struct Sink {
    file: Option<File>,
    output: Output,
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if let Some(file) = self.file.as_mut()
            && let Err(e) = file.write_all(buf)
        {
            if e.kind() != io::ErrorKind::BrokenPipe {
                super::warn(format_args!("writing {}: {e}; output discarded", self.output.name()));
            }
            self.file = None;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Starts the pump thread for one pipe.
pub(super) fn start(
    pipe: impl Into<OwnedFd>,
    output: Output,
    shared: Arc<Shared>,
    drain: Arc<Drain>,
) -> JoinHandle<()> {
    let pipe = File::from(pipe.into());
    std::thread::Builder::new()
        .name(format!("hush-{}", output.name()))
        .spawn(move || pump(pipe, output, &shared, &drain))
        .expect("spawning a pump thread")
}

fn pump(mut pipe: File, output: Output, shared: &Shared, drain: &Drain) {
    let sink = || Sink { file: output.open().ok(), output };
    let (redactor, mut generation) = shared.current();
    let mut writer = redactor.stream(sink());
    let mut buf = vec![0u8; 64 * 1024];
    // True while a partial line is held that has not been released after a quiet period.
    let mut partial_waiting = false;
    loop {
        let remaining = drain.remaining();
        if remaining == Some(Duration::ZERO) {
            break;
        }
        let wait = if partial_waiting { QUIET } else { IDLE_POLL };
        let wait = remaining.map_or(wait, |r| r.min(wait));
        let mut fds = [PollFd::new(pipe.as_fd(), PollFlags::POLLIN)];
        match poll(&mut fds, PollTimeout::try_from(wait).unwrap_or(PollTimeout::MAX)) {
            Err(Errno::EINTR) => continue,
            Err(_) => break,
            Ok(0) => {
                if partial_waiting {
                    let _ = writer.flush_partial();
                    partial_waiting = false;
                }
                continue;
            }
            Ok(_) => {}
        }
        match pipe.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                // Switch to a reloaded redactor before this input, at a line boundary so
                // that no line is split between two redactors.
                if writer.pending_len() == 0 && shared.changed_since(generation) {
                    let _ = writer.finish();
                    let (redactor, g) = shared.current();
                    generation = g;
                    writer = redactor.stream(sink());
                }
                let _ = writer.write_all(&buf[..n]);
                partial_waiting = writer.pending_len() > 0;
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        }
    }
    let _ = writer.finish();
}
