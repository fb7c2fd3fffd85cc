#!/usr/bin/env bash
# Fluent Bit plugin throughput: the .wasm module under the host harness (wasmi) and the
# Lua filter (LuaJIT FFI + libhush.so), over N records of each kind (default 1,000,000).
# Usage: benches/fluentbit_bench.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
N="${1:-1000000}"
TARGET="${CARGO_TARGET_DIR:-$PWD/target}"
(cd fluent-bit-plugin && cargo build --quiet --release --target wasm32-wasip1 -p hush-fluent-bit)
cargo build --quiet --release -p hush-c
HUSH_WASM="$TARGET/wasm32-wasip1/release/hush_fluent_bit.wasm" \
    cargo run --quiet --release -p hush-fluent-bit --example bench_harness -- "$N"
HUSH_LIB="$TARGET/release/libhush.so" luajit benches/fluentbit_bench.lua "$N"
