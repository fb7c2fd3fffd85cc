//! Compiles `tests/c/abi_test.c` against `hush.h` and the built `libhush.so`, runs it, and
//! runs it again under valgrind (definite leaks and memory errors fail).
//!
//! Needs `cc`; valgrind is required when `HUSH_REQUIRE_TOOLS=1` (set by run-tests.sh and
//! CI) and otherwise skipped with a note when missing.

use std::path::{Path, PathBuf};

use std::process::Command;

mod common;

use common::{have, lib_dir, library};

/// Compiles the program once per test binary: both tests share it (compiling it twice in
/// parallel to one path races, and the second run fails with "Text file busy").
fn build_program() -> PathBuf {
    static EXE: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    EXE.get_or_init(compile_program).clone()
}

fn compile_program() -> PathBuf {
    let library = library();
    let lib = library.parent().expect("libhush.so has a directory");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let exe = lib_dir().join(format!("hush_abi_test_{}", std::process::id()));
    let status = Command::new("cc")
        .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-pthread", "-o"])
        .arg(&exe)
        .arg(dir.join("tests/c/abi_test.c"))
        .arg("-I")
        .arg(dir)
        .arg("-L")
        .arg(lib)
        .arg(format!("-Wl,-rpath,{}", lib.display()))
        .arg("-lhush")
        .status()
        .expect("cc runs");
    assert!(status.success(), "compiling the C test program failed");
    exe
}

#[test]
fn c_program_uses_the_abi() {
    let exe = build_program();
    let out = Command::new(&exe).output().expect("run C test");
    assert!(out.status.success(), "C test failed:\n{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "ok\n");
}

#[test]
fn c_program_is_clean_under_valgrind() {
    if !have("valgrind") {
        return;
    }
    let exe = build_program();
    let out = Command::new("valgrind")
        .args(["--leak-check=full", "--errors-for-leak-kinds=definite", "--error-exitcode=1", "-q"])
        .arg(&exe)
        .arg("50")
        .output()
        .expect("run valgrind");
    assert!(out.status.success(), "valgrind reported errors:\n{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "ok\n");
}
