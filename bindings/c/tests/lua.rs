//! Runs `fluent-bit-plugin/lua/test_hush.lua` (hush.lua's `hush_filter` callback over
//! sample records) under LuaJIT against the built `libhush.so`.

mod common;

use std::path::Path;
use std::process::Command;

#[test]
fn lua_filter_redacts_records_through_ffi() {
    if !common::have("luajit") {
        return;
    }
    let lib = common::library();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fluent-bit-plugin/lua/test_hush.lua");
    let out = Command::new("luajit")
        .arg(&script)
        .env("HUSH_LIB", &lib)
        .env_remove("HUSH_CONFIG")
        .env_remove("HUSH_SECRETS_DIR")
        .output()
        .expect("run luajit");
    assert!(out.status.success(), "Lua filter test failed:\n{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let n: usize = stdout.trim().strip_prefix("ok ").and_then(|n| n.parse().ok()).expect("ok <n>");
    assert!(n >= 19, "only {n} Lua checks ran");
}
