//! Helpers shared by the CLI tests: a `hush` command isolated from the host.

#![allow(dead_code)]

use assert_cmd::Command;

/// A known value used across tests (never a real secret).
pub const KNOWN: &str = "plum-Orbit-4471";

/// `hush` with no default sources and no `HUSH_CONFIG`, so the host environment, its
/// variables and `/run/secrets` cannot change results.
pub fn hush() -> Command {
    let mut cmd = Command::cargo_bin("hush").expect("hush binary");
    cmd.env_remove("HUSH_CONFIG").arg("--no-default-sources");
    cmd
}

/// The path of the built binary, for tests that need `std::process::Command`.
pub fn hush_path() -> std::path::PathBuf {
    assert_cmd::cargo::cargo_bin("hush")
}

/// Writes `text` to `name` in `dir` and returns the path.
pub fn write(dir: &std::path::Path, name: &str, text: impl AsRef<[u8]>) -> std::path::PathBuf {
    let path = dir.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&path, text).unwrap();
    path
}

/// A temp dir holding a known-value file with [`KNOWN`]; returns (dir, path).
pub fn known_file() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "known.txt", format!("{KNOWN}\n"));
    (dir, path)
}
