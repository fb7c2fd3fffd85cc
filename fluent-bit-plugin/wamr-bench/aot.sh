#!/usr/bin/env bash
# Compiles the hush module ahead of time with WAMR's compiler and runs the bench on the
# AOT file, as Fluent Bit runs a `.aot` given as `WASM_Path` (its WAMR is built with the
# AOT loader).
#
# Usage: aot.sh MODULE.wasm [N]      (N records of each kind, default 200,000)
#
# Needs cmake, clang and LLVM 19 (Debian: apt-get install cmake clang libclang-dev
# llvm-19-dev). The compiler is WAMR's compiler library from the sources wamrx-sys vendors
# (so the same WAMR version as the bench's runtime) behind the driver in wamrc/; the bench
# is built against a copy of wamrx-sys with its AOT loader switched on. Everything goes
# under $CARGO_TARGET_DIR (or target/ here). Compiling the module takes a minute or two.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
[[ $# -ge 1 ]] || { echo "usage: aot.sh MODULE.wasm [N]" >&2; exit 2; }
module=$(realpath "$1")
n=${2:-200000}
llvm=/usr/lib/llvm-19/lib/cmake/llvm
for tool in cmake clang clang++; do
    command -v "$tool" >/dev/null || { echo "aot.sh: $tool not found (apt-get install cmake clang libclang-dev llvm-19-dev)" >&2; exit 2; }
done
[[ -f $llvm/LLVMConfig.cmake ]] || { echo "aot.sh: LLVM 19 not found at $llvm (apt-get install llvm-19-dev)" >&2; exit 2; }
target=${CARGO_TARGET_DIR:-$here/target}
mkdir -p "$target"

# WAMR's sources, as wamrx-sys vendors them.
cargo fetch --quiet --manifest-path "$here/Cargo.toml"
crate=$(cargo metadata --quiet --format-version 1 --manifest-path "$here/Cargo.toml" |
    python3 -c 'import json, os, sys
print(next(os.path.dirname(p["manifest_path"]) for p in json.load(sys.stdin)["packages"] if p["name"] == "wamrx-sys"))')

echo "aot.sh: building the compiler (WAMR from $crate, LLVM 19)" >&2
log="$target/wamrc.log"
quiet() { "$@" >>"$log" 2>&1 || { tail -40 "$log" >&2; echo "aot.sh: failed, see $log" >&2; exit 1; }; }
: >"$log"
quiet cmake -S "$here/wamrc" -B "$target/wamrc" -DWAMR_ROOT="$crate/wasm-micro-runtime" -DLLVM_DIR="$llvm" \
    -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++
quiet cmake --build "$target/wamrc" -j "$(nproc)"

aot="$target/$(basename "$module" .wasm).aot"
echo "aot.sh: compiling $module" >&2
quiet "$target/wamrc/wamrc" "$module" "$aot"

# The bench with the AOT loader: a copy of wamrx-sys whose build switches it on (the
# crate builds the fast interpreter only). Cargo records the patch in Cargo.lock, which is
# put back afterwards.
copy="$target/wamrx-sys-aot"
rm -rf "$copy"
cp -r "$crate" "$copy"
sed -i 's/define("WAMR_BUILD_AOT", "0")/define("WAMR_BUILD_AOT", "1")/' "$copy/build.rs"
grep -q 'define("WAMR_BUILD_AOT", "1")' "$copy/build.rs" || { echo "aot.sh: cannot switch on wamrx-sys's AOT loader" >&2; exit 1; }
cp "$here/Cargo.lock" "$target/Cargo.lock.saved"
trap 'cp "$target/Cargo.lock.saved" "$here/Cargo.lock"' EXIT
CARGO_TARGET_DIR="$target/aot" cargo build --quiet --release --manifest-path "$here/Cargo.toml" \
    --config "patch.crates-io.wamrx-sys.path=\"$copy\""
"$target/aot/release/hush-wamr-bench" "$aot" "$n"
