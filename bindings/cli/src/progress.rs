//! The progress bar: only for big regular files, only when a person watches stderr.

use std::fs::Metadata;
use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Files smaller than this finish before a bar is worth drawing.
pub const PROGRESS_MIN_BYTES: u64 = 64 << 20;

/// Whether to draw a bar for an input with this metadata: a regular file of at least
/// [`PROGRESS_MIN_BYTES`], stderr a terminal, and no `--no-progress`. Never for pipes.
pub fn wanted(meta: &Metadata, stderr_is_terminal: bool, no_progress: bool) -> bool {
    !no_progress && stderr_is_terminal && meta.is_file() && meta.len() >= PROGRESS_MIN_BYTES
}

/// A bar for `meta` labelled with the file name, or `None` when not [`wanted`].
pub fn bar_for(meta: &Metadata, label: &str, no_progress: bool) -> Option<ProgressBar> {
    if !wanted(meta, std::io::stderr().is_terminal(), no_progress) {
        return None;
    }
    let bar = ProgressBar::with_draw_target(Some(meta.len()), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{prefix} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}")
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar.set_prefix(label.to_owned());
    Some(bar)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bar_only_for_big_regular_files_on_a_terminal() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.log");
        let f = std::fs::File::create(&big).unwrap();
        f.set_len(PROGRESS_MIN_BYTES).unwrap(); // sparse: no disk used
        let big_meta = std::fs::metadata(&big).unwrap();
        assert!(wanted(&big_meta, true, false));
        assert!(!wanted(&big_meta, false, false), "never when stderr is not a terminal");
        assert!(!wanted(&big_meta, true, true), "--no-progress");
        f.set_len(PROGRESS_MIN_BYTES - 1).unwrap();
        assert!(!wanted(&std::fs::metadata(&big).unwrap(), true, false), "small file");
        assert!(!wanted(&std::fs::metadata(dir.path()).unwrap(), true, false), "not a regular file");
    }
}
