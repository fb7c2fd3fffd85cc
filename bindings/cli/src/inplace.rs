//! `--in-place`: rewrite a file through a temp file in the same directory (fsync, then
//! rename over the original), keeping its mode and, when permitted, its owner.
//!
//! A file that another process holds open for writing (a log still being appended to) is
//! refused: the rename would leave that writer appending to the old, unlinked inode and
//! its new lines would never be redacted nor visible. Writers are found through
//! `/proc/*/fd` and the access mode in `/proc/*/fdinfo`.

use std::fs::{self, File, Metadata};
use std::io::{self, BufWriter, Write};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use hush::{Redactor, Report};

use crate::common::CliError;
use crate::filter::{Mode, StreamError, process};
use crate::{output, progress};

/// Options of one in-place rewrite.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// Rewrite even when another process has the file open for writing.
    pub force: bool,
    /// Never draw a progress bar.
    pub no_progress: bool,
    /// Dry run (count only, leave the file alone) and JSON lines.
    pub mode: Mode,
}

/// A process holding a file open for writing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Writer {
    /// Process id.
    pub pid: u32,
    /// Its command name (`/proc/PID/comm`).
    pub command: String,
}

/// Rewrites `path` (the target when it is a symlink) with its redacted content. Leaves the
/// file untouched when nothing was found or in a dry run.
pub fn rewrite(red: &Redactor, path: &Path, opts: &Options) -> Result<Report, CliError> {
    let shown = path.display().to_string();
    let target = fs::canonicalize(path).map_err(|e| CliError::io(&shown, &e))?;
    let meta = fs::metadata(&target).map_err(|e| CliError::io(&shown, &e))?;
    if !meta.is_file() {
        return Err(CliError::usage(format!("{shown}: not a regular file; --in-place rewrites regular files only")));
    }
    if !opts.force {
        refuse_if_open_for_writing(path, &meta)?;
    }
    let source = File::open(&target).map_err(|e| CliError::io(&shown, &e))?;
    let bar = progress::bar_for(&meta, &shown, opts.no_progress);
    let mut input: Box<dyn io::Read> = match &bar {
        Some(bar) => Box::new(bar.wrap_read(source)),
        None => Box::new(source),
    };

    if opts.mode.dry_run {
        let report = process(red, opts.mode, &mut input, &mut io::sink()).map_err(|e| stream_error(path, e))?;
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        return Ok(report);
    }

    let dir = target.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".hush-")
        .suffix(".tmp")
        .tempfile_in(&dir)
        .map_err(|e| CliError::io(format!("{}: cannot create a temp file", dir.display()), &e))?;
    let report = {
        let mut out = BufWriter::with_capacity(output::BLOCK_OUTPUT_BUFFER, temp.as_file_mut());
        let report = process(red, opts.mode, &mut input, &mut out).map_err(|e| stream_error(path, e))?;
        out.flush().map_err(|e| CliError::write_failed(format!("the temp file for {shown}"), &e))?;
        report
    };
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    if report.total() == 0 {
        // Nothing to redact: keep the original inode, times and links.
        return Ok(report);
    }
    let file = temp.as_file();
    keep_owner(file, &meta);
    file.set_permissions(fs::Permissions::from_mode(meta.mode() & 0o7777))
        .map_err(|e| CliError::io(format!("{shown}: cannot set the mode of the temp file"), &e))?;
    file.sync_all().map_err(|e| CliError::write_failed(format!("the temp file for {shown}"), &e))?;
    temp.persist(&target).map_err(|e| CliError::io(format!("{shown}: cannot replace the file"), &e.error))?;
    // The rename is durable only once the directory entry is on disk.
    if let Ok(d) = File::open(&dir) {
        let _ = d.sync_all();
    }
    Ok(report)
}

fn stream_error(path: &Path, e: StreamError) -> CliError {
    match e {
        StreamError::Read(e) => CliError::io(path.display(), &e),
        StreamError::Write(e) => CliError::write_failed(format!("the temp file for {}", path.display()), &e),
    }
}

/// Gives the temp file the original's owner and group. Only root can give a file away;
/// others keep at least the group when they belong to it. Failures are not errors: the
/// file then belongs to whoever runs hush, as with any editor.
fn keep_owner(file: &File, meta: &Metadata) {
    if std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid())).is_err() {
        let _ = std::os::unix::fs::fchown(file, None, Some(meta.gid()));
    }
}

fn refuse_if_open_for_writing(path: &Path, meta: &Metadata) -> Result<(), CliError> {
    match writers(meta) {
        Some(writers) if !writers.is_empty() => {
            let who: Vec<String> = writers.iter().map(|w| format!("{} (pid {})", w.command, w.pid)).collect();
            Err(CliError::usage(format!(
                "{}: open for writing by {}; not rewriting it (use --force to rewrite anyway)",
                path.display(),
                who.join(", ")
            )))
        }
        Some(_) => Ok(()),
        None => {
            output::diagnostic(format_args!(
                "warning: cannot check whether {} is open for writing (no /proc)",
                path.display()
            ));
            Ok(())
        }
    }
}

/// Other processes that hold the file described by `meta` open for writing, or `None`
/// when `/proc` is not available. Processes of other users are invisible to non-root.
pub fn writers(meta: &Metadata) -> Option<Vec<Writer>> {
    let procs = fs::read_dir("/proc").ok()?;
    if !Path::new("/proc/self/fd").exists() {
        return None;
    }
    let me = std::process::id();
    let mut found = Vec::new();
    for entry in procs.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        if pid == me {
            continue;
        }
        if process_writes(pid, meta.dev(), meta.ino()) {
            let command = fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default().trim().to_owned();
            found.push(Writer { pid, command });
        }
    }
    Some(found)
}

/// Does process `pid` have an fd on (dev, ino) opened with write access?
fn process_writes(pid: u32, dev: u64, ino: u64) -> bool {
    let Ok(fds) = fs::read_dir(format!("/proc/{pid}/fd")) else {
        return false;
    };
    for fd in fds.flatten() {
        // stat() follows the fd's magic link to the open file itself.
        let Ok(m) = fs::metadata(fd.path()) else {
            continue;
        };
        if m.dev() != dev || m.ino() != ino {
            continue;
        }
        let info = fs::read_to_string(format!("/proc/{pid}/fdinfo/{}", fd.file_name().to_string_lossy()));
        if info.ok().and_then(|text| open_flags(&text)).is_some_and(opened_for_writing) {
            return true;
        }
    }
    false
}

/// The `flags:` field of an fdinfo file (octal).
fn open_flags(fdinfo: &str) -> Option<u32> {
    let line = fdinfo.lines().find_map(|l| l.strip_prefix("flags:"))?;
    u32::from_str_radix(line.trim(), 8).ok()
}

/// `O_WRONLY` or `O_RDWR` in the access mode bits.
fn opened_for_writing(flags: u32) -> bool {
    const O_ACCMODE: u32 = 0o3;
    flags & O_ACCMODE != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_fdinfo_flags() {
        let text = "pos:\t0\nflags:\t0102001\nmnt_id:\t25\n";
        assert_eq!(open_flags(text), Some(0o102001));
        assert!(opened_for_writing(0o102001));
        assert!(opened_for_writing(0o2));
        assert!(!opened_for_writing(0o100000));
        assert_eq!(open_flags("pos:\t0\n"), None);
    }
}
