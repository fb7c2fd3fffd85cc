//! Bounded, zeroize-on-drop reading of secret files.
//!
//! A file is checked with `stat` (following symlinks) before it is opened, so a FIFO or a
//! device is never opened, and again with `fstat` after, in case it was swapped. It is
//! read to EOF into a buffer of fixed capacity, never reallocated (a reallocation would
//! leave a copy of the secret behind): a file that shrank since `stat` is read as it is
//! now, one that grew past the limit is skipped.

use std::fs::{self, File};
use std::io::{self, Read};
use std::path::Path;

use zeroize::Zeroizing;

/// Why a file was not read. Never holds file content.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// Absent, a dangling symlink or a symlink loop: there is no file to read.
    Missing(io::Error),
    /// A directory, FIFO, socket or device.
    NotRegular,
    /// Bigger than the limit (the size seen).
    TooLarge(u64),
    /// Reading failed (permissions, I/O).
    Io(io::Error),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Missing(e) => write!(f, "no file to read ({e})"),
            ReadError::NotRegular => f.write_str("not a regular file"),
            ReadError::TooLarge(n) => write!(f, "file too large ({n} bytes)"),
            ReadError::Io(e) => write!(f, "cannot read ({e})"),
        }
    }
}

fn classify_stat_error(e: io::Error) -> ReadError {
    // ELOOP has no stable ErrorKind; a loop has no file at its end, like a dangling link.
    let is_loop = e.raw_os_error() == Some(40) || e.raw_os_error() == Some(62);
    if e.kind() == io::ErrorKind::NotFound || e.kind() == io::ErrorKind::NotADirectory || is_loop {
        ReadError::Missing(e)
    } else {
        ReadError::Io(e)
    }
}

/// Opens `path` when it is a regular file of at most `max` bytes.
pub(crate) fn open_checked(path: &Path, max: u64) -> Result<File, ReadError> {
    let meta = fs::metadata(path).map_err(classify_stat_error)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    if meta.len() > max {
        return Err(ReadError::TooLarge(meta.len()));
    }
    let file = File::open(path).map_err(classify_stat_error)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    Ok(file)
}

/// Reads an open file to EOF, at most `max` bytes.
///
/// The buffer starts at the file's size (a known-values file may be allowed 16 MiB: zeroing
/// that, and zeroizing it again, cost more than reading a small file) and grows if the
/// file does, by a copy into a new buffer: a reallocation would leave the old bytes
/// behind, not zeroized.
pub(crate) fn read_open(mut file: File, max: u64) -> Result<Zeroizing<Vec<u8>>, ReadError> {
    let cap = usize::try_from(max).unwrap_or(usize::MAX - 1);
    let size = file.metadata().map_or(0, |m| m.len());
    // Files under /proc report no size: those start at a page.
    let first = (usize::try_from(size).unwrap_or(cap).min(cap) + 1).max(4096.min(cap + 1));
    let mut buf = Zeroizing::new(vec![0u8; first]);
    let mut n = 0;
    loop {
        if n == buf.len() {
            let mut bigger = Zeroizing::new(vec![0u8; buf.len().saturating_mul(2).min(cap + 1)]);
            bigger[..n].copy_from_slice(&buf[..n]);
            buf = bigger;
        }
        match file.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => {
                n += k;
                if n > cap {
                    return Err(ReadError::TooLarge(n as u64));
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(ReadError::Io(e)),
        }
    }
    buf.truncate(n);
    Ok(buf)
}

/// Reads the regular file at `path`, at most `max` bytes.
pub(crate) fn read_secret(path: &Path, max: u64) -> Result<Zeroizing<Vec<u8>>, ReadError> {
    let file = open_checked(path, max)?;
    read_open(file, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_small_regular_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s");
        fs::write(&p, b"plum-Orbit-4471\n").unwrap();
        assert_eq!(read_secret(&p, 1024).unwrap().as_slice(), b"plum-Orbit-4471\n");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_file_reporting_no_size_is_read_whole() {
        // procfs files report size 0: the buffer grows past its first page.
        let path = Path::new("/proc/self/smaps");
        let got = read_open(File::open(path).unwrap(), 1 << 24).unwrap();
        assert!(got.len() > 4096, "read {} bytes", got.len());
        assert!(got.ends_with(b"\n"));
        assert!(matches!(read_open(File::open(path).unwrap(), 100), Err(ReadError::TooLarge(101))));
    }

    #[test]
    fn too_large_and_not_regular_and_missing() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big");
        fs::write(&p, vec![b'a'; 100]).unwrap();
        assert!(matches!(read_secret(&p, 99), Err(ReadError::TooLarge(100))));
        assert!(matches!(read_secret(dir.path(), 1024), Err(ReadError::NotRegular)));
        assert!(matches!(read_secret(&dir.path().join("none"), 1024), Err(ReadError::Missing(_))));
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loop_and_dangling_link_are_missing() {
        let dir = tempfile::tempdir().unwrap();
        let a = dir.path().join("a");
        let b = dir.path().join("b");
        std::os::unix::fs::symlink(&b, &a).unwrap();
        std::os::unix::fs::symlink(&a, &b).unwrap();
        assert!(matches!(read_secret(&a, 1024), Err(ReadError::Missing(_))));
        let d = dir.path().join("dangling");
        std::os::unix::fs::symlink(dir.path().join("gone"), &d).unwrap();
        assert!(matches!(read_secret(&d, 1024), Err(ReadError::Missing(_))));
    }

    #[test]
    fn file_that_shrinks_after_stat_reads_to_eof() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s");
        fs::write(&p, b"a-much-longer-secret-value\n").unwrap();
        let file = open_checked(&p, 1024).unwrap();
        fs::write(&p, b"short-secret\n").unwrap();
        assert_eq!(read_open(file, 1024).unwrap().as_slice(), b"short-secret\n");
    }

    #[test]
    fn file_that_grows_past_limit_after_stat_is_rejected() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("s");
        fs::write(&p, b"small").unwrap();
        let file = open_checked(&p, 16).unwrap();
        fs::write(&p, vec![b'x'; 64]).unwrap();
        assert!(matches!(read_open(file, 16), Err(ReadError::TooLarge(_))));
    }
}
