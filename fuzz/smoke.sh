#!/usr/bin/env bash
# Runs every fuzz target for a short time (default 20 s each), seeded from testdata/.
#   fuzz/smoke.sh [SECONDS]
# Needs the nightly toolchain and cargo-fuzz; prints SKIPPED loudly when they are missing.
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-20}
if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "SKIPPED: fuzz smoke run: no nightly toolchain (rustup toolchain install nightly)"; exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  if ! cargo install cargo-fuzz --locked >/dev/null 2>&1; then
    echo "SKIPPED: fuzz smoke run: cargo-fuzz could not be installed"; exit 0
  fi
fi
# Seed corpora: every conformance input, one file each.
python3 - <<'PY'
import base64, json, os, glob
for target in ["redact", "stream", "redact_json", "env"]:
    os.makedirs(f"corpus/{target}", exist_ok=True)
n = 0
for path in glob.glob("../testdata/conformance/*.json"):
    for case in json.load(open(path)):
        data = base64.b64decode(case["input_base64"]) if "input_base64" in case else case["input"].encode()
        for target in ["redact", "stream", "redact_json", "env"]:
            open(f"corpus/{target}/seed-{n}", "wb").write(data)
        n += 1
PY
for target in $(cargo +nightly fuzz list); do
  echo "fuzzing $target for ${secs}s"
  cargo +nightly fuzz run "$target" -- -max_total_time="$secs" -max_len=65536 2>&1 | tail -n 3
done
