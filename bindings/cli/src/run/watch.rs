//! `--watch DIR`: reload when a file in a secrets directory changes. Polls names, sizes
//! and modification times every second (Vault Agent rewrites files in place).

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use super::Shared;

const INTERVAL: Duration = Duration::from_secs(1);

type Snapshot = BTreeMap<PathBuf, (u64, Option<SystemTime>)>;

fn snapshot(dirs: &[PathBuf]) -> Snapshot {
    let mut files = Snapshot::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else { continue };
        for entry in entries.flatten() {
            // Follow symlinks: Kubernetes secret volumes swap a `..data` link.
            if let Ok(meta) = std::fs::metadata(entry.path()) {
                files.insert(entry.path(), (meta.len(), meta.modified().ok()));
            }
        }
    }
    files
}

/// The watched directories and what they held when the secrets were loaded.
pub(super) struct Watch {
    dirs: Vec<PathBuf>,
    last: Snapshot,
}

/// Records the directories' state. Call it *before* the secrets are loaded: a file that
/// changes between the load and the thread's start must still count as a change.
pub(super) fn baseline(dirs: Vec<PathBuf>) -> Watch {
    let last = snapshot(&dirs);
    Watch { dirs, last }
}

impl Watch {
    /// Takes a new snapshot; true when it differs from the last one.
    fn changed(&mut self) -> bool {
        let now = snapshot(&self.dirs);
        let changed = now != self.last;
        self.last = now;
        changed
    }
}

/// Starts the watcher thread; it runs until hush exits.
pub(super) fn start(mut watch: Watch, shared: Arc<Shared>) {
    std::thread::Builder::new()
        .name("hush-watch".into())
        .spawn(move || {
            loop {
                std::thread::sleep(INTERVAL);
                if watch.changed() {
                    shared.reload();
                }
            }
        })
        .expect("spawning the watch thread");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_before_the_thread_starts_still_counts() {
        let dir = std::env::temp_dir().join(format!("hush-watch-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut watch = baseline(vec![dir.clone()]);
        // Written after the baseline (the secrets load) but before any poll.
        std::fs::write(dir.join("db_password"), "s3cret-value").unwrap();
        let first = watch.changed();
        let second = watch.changed();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(first, "a file added after the baseline must be seen as a change");
        assert!(!second, "an unchanged directory must not trigger a reload");
    }
}
