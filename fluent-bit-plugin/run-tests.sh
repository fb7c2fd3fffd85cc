#!/usr/bin/env bash
# Builds and tests the Fluent Bit plugin on a fresh machine: the wasm32-wasip1 module under
# the Fluent Bit host harness, the C ABI (cc + valgrind), and the Lua filter (LuaJIT).
# Installs what is missing: the rustup target, and luajit/valgrind through apt-get.
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$(cd .. && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"

rustup target add wasm32-wasip1
missing=()
command -v luajit >/dev/null || missing+=(luajit)
command -v valgrind >/dev/null || missing+=(valgrind)
command -v cc >/dev/null || missing+=(gcc)
if [ "${#missing[@]}" -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

# The module (this directory's .cargo/config.toml adds the allocator exports and
# panic=abort) and the native library.
cargo build --release --target wasm32-wasip1 -p hush-fluent-bit
cargo build -p hush-c

# Missing tools or module are failures here, not skips.
export HUSH_REQUIRE_WASM=1 HUSH_REQUIRE_TOOLS=1
export HUSH_WASM="$CARGO_TARGET_DIR/wasm32-wasip1/release/hush_fluent_bit.wasm"
cargo test -p hush-fluent-bit -p hush-c
