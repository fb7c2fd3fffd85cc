#!/usr/bin/env bash
# Fluent Bit plugin throughput over N records of each kind (default 1,000,000): the .wasm
# module under the host harness (wasmi), the same module in WAMR's fast interpreter called
# as filter_wasm calls it (fluent-bit-plugin/wamr-bench), and the Lua filter (LuaJIT FFI +
# libhush.so).
# Usage: benches/fluentbit_bench.sh [--wamr | --no-wamr] [--aot] [N]
# The WAMR row builds WAMR's C sources (cmake, libclang for bindgen): it runs by default when
# both are installed; --wamr requires it, --no-wamr skips it. --aot adds the row of the
# module compiled ahead of time (fluent-bit-plugin/wamr-bench/aot.sh: also LLVM 19, and a
# minute or two to compile).
set -euo pipefail
cd "$(dirname "$0")/.."
WAMR=auto
AOT=no
while [ $# -gt 0 ]; do
    case "$1" in
        --wamr) WAMR=yes; shift ;;
        --no-wamr) WAMR=no; shift ;;
        --aot) AOT=yes; shift ;;
        *) break ;;
    esac
done
N="${1:-1000000}"
TARGET="${CARGO_TARGET_DIR:-$PWD/target}"
WASM="$TARGET/wasm32-wasip1/release/hush_fluent_bit.wasm"

have_wamr_tools() {
    command -v cmake >/dev/null && ldconfig -p 2>/dev/null | grep -q 'libclang[-.0-9]*\.so'
}
if [ "$WAMR" = auto ]; then
    if have_wamr_tools; then WAMR=yes; else
        WAMR=no
        echo "(WAMR row skipped: needs cmake and libclang, e.g. apt-get install cmake clang libclang-dev)"
    fi
fi

(cd fluent-bit-plugin && cargo build --quiet --release --target wasm32-wasip1 -p hush-fluent-bit)
cargo build --quiet --release -p hush-c
HUSH_WASM="$WASM" cargo run --quiet --release -p hush-fluent-bit --example bench_harness -- "$N"
if [ "$WAMR" = yes ]; then
    # Its own workspace (see its Cargo.toml), so it is built from its directory.
    (cd fluent-bit-plugin/wamr-bench && cargo run --quiet --release -- "$WASM" "$N")
fi
if [ "$AOT" = yes ]; then
    CARGO_TARGET_DIR="$TARGET/wamr-aot" fluent-bit-plugin/wamr-bench/aot.sh "$WASM" "$N"
fi
HUSH_LIB="$TARGET/release/libhush.so" luajit benches/fluentbit_bench.lua "$N"
