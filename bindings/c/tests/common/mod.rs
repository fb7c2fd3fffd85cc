//! Locating and building `libhush.so` for the integration tests.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// `target/<profile>`, where cargo puts `libhush.so` for this test run.
pub fn lib_dir() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.parent().and_then(Path::parent).unwrap().to_path_buf()
}

/// `libhush.so`: the one `HUSH_LIB` names when set, otherwise built here (same profile and
/// target directory as this test), once per test binary, since cargo builds no cdylib for
/// integration tests.
///
/// `scripts/test` builds it together with the workspace's tests and sets `HUSH_LIB`: a
/// `cargo build -p hush-c` here would resolve features for this package alone and compile
/// the core and its dependencies a second time.
pub fn library() -> PathBuf {
    if let Some(lib) = std::env::var_os("HUSH_LIB") {
        let lib = PathBuf::from(lib);
        assert!(lib.exists(), "HUSH_LIB names no file: {}", lib.display());
        return lib;
    }
    static BUILD: std::sync::Once = std::sync::Once::new();
    BUILD.call_once(|| {
        let mut cmd = Command::new(env!("CARGO"));
        cmd.args(["build", "--quiet", "-p", "hush-c", "--lib"]).current_dir(env!("CARGO_MANIFEST_DIR"));
        if lib_dir().file_name().is_some_and(|p| p == "release") {
            cmd.arg("--release");
        }
        assert!(cmd.status().expect("cargo runs").success(), "building libhush.so failed");
    });
    let lib = lib_dir().join("libhush.so");
    assert!(lib.exists(), "libhush.so not built at {}", lib.display());
    lib
}

/// True when `tool --version` runs. A missing tool fails when `HUSH_REQUIRE_TOOLS` is set
/// (run-tests.sh, CI) and otherwise skips the test with a note.
pub fn have(tool: &str) -> bool {
    if Command::new(tool).arg("-v").output().is_ok() || Command::new(tool).arg("--version").output().is_ok() {
        return true;
    }
    assert!(std::env::var_os("HUSH_REQUIRE_TOOLS").is_none(), "{tool} is not installed");
    eprintln!("skipped: {tool} is not installed");
    false
}
