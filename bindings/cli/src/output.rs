//! Writing to stdout: one buffered handle, and write errors mapped to exit statuses
//! (EPIPE stops quietly with 141, anything else such as a full disk is exit 2).

use std::io::{self, Write};

use crate::common::CliError;

/// Buffer size for stdout and file output.
pub const OUTPUT_BUFFER: usize = 1 << 16;

/// A buffered, locked stdout.
pub fn stdout() -> io::BufWriter<io::StdoutLock<'static>> {
    io::BufWriter::with_capacity(OUTPUT_BUFFER, io::stdout().lock())
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
