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

/// Starts the watcher thread; it runs until hush exits.
pub(super) fn start(dirs: Vec<PathBuf>, shared: Arc<Shared>) {
    std::thread::Builder::new()
        .name("hush-watch".into())
        .spawn(move || {
            let mut last = snapshot(&dirs);
            loop {
                std::thread::sleep(INTERVAL);
                let now = snapshot(&dirs);
                if now != last {
                    shared.reload();
                    last = now;
                }
            }
        })
        .expect("spawning the watch thread");
}
