//! Writing to stdout: one buffered handle, and write errors mapped to exit statuses
//! (EPIPE stops quietly with 141, anything else such as a full disk is exit 2). Writing
//! to stderr never panics (`eprintln!` does, which would end hush with status 101 when
//! stderr is full or closed).

use std::io::{self, Write};

use crate::common::CliError;

/// Buffer size for stdout and file output.
pub const OUTPUT_BUFFER: usize = 1 << 16;

/// A buffered, locked stdout.
pub fn stdout() -> io::BufWriter<io::StdoutLock<'static>> {
    io::BufWriter::with_capacity(OUTPUT_BUFFER, io::stdout().lock())
}

/// Buffer size for output that mostly comes in blocks (the filter's redacted lines, a block
/// per 64 KiB read): `BufWriter` writes a slice at least as long as its buffer straight
/// through and copies a shorter one, so a small buffer passes the blocks on without a copy
/// and still gathers short writes (JSON lines mode writes a line at a time).
pub const BLOCK_OUTPUT_BUFFER: usize = 8 << 10;

/// A locked stdout for output that mostly comes in blocks ([`BLOCK_OUTPUT_BUFFER`]).
pub fn stdout_for_blocks() -> io::BufWriter<io::StdoutLock<'static>> {
    io::BufWriter::with_capacity(BLOCK_OUTPUT_BUFFER, io::stdout().lock())
}

/// Maps a failed write to stdout to its [`CliError`].
pub fn stdout_error(err: &io::Error) -> CliError {
    CliError::write_failed("stdout", err)
}

/// Writes `bytes` to stdout and flushes.
pub fn write_stdout(bytes: &[u8]) -> Result<(), CliError> {
    let mut out = stdout();
    out.write_all(bytes).and_then(|()| out.flush()).map_err(|e| stdout_error(&e))
}

/// Prints one diagnostic line (`hush: <message>`) to stderr, ignoring a stderr that cannot
/// be written: there is nowhere left to report that.
pub fn diagnostic(message: impl std::fmt::Display) {
    let _ = writeln!(io::stderr().lock(), "hush: {message}");
}

/// Writes requested output (the summary) to stderr; a failure is an error like on stdout.
pub fn write_stderr(text: &str) -> Result<(), CliError> {
    io::stderr().lock().write_all(text.as_bytes()).map_err(|e| CliError::write_failed("stderr", &e))
}
