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
  # A debug build of the tool compiles faster; it only drives cargo and libFuzzer.
  if ! cargo install cargo-fuzz --debug --locked >/dev/null 2>&1; then
    echo "SKIPPED: fuzz smoke run: cargo-fuzz could not be installed"; exit 0
  fi
fi
# Seed corpora: every conformance input, one file each. fluentbit_record gets Fluent Bit
# records instead: the input as a `log` member (non-UTF-8 bytes as lone surrogate
# escapes), and the input's lines as one record each (PEM blocks span records).
python3 - <<'PY'
import base64, json, os, glob
plain = ["redact", "stream", "redact_json", "env"]
for target in plain + ["fluentbit_record"]:
    os.makedirs(f"corpus/{target}", exist_ok=True)
def record(text):
    return json.dumps({"log": text, "stream": "stdout", "n": 1}).encode()
n = 0
for path in glob.glob("../testdata/conformance/*.json"):
    for case in json.load(open(path)):
        data = base64.b64decode(case["input_base64"]) if "input_base64" in case else case["input"].encode()
        for target in plain:
            open(f"corpus/{target}/seed-{n}", "wb").write(data)
        text = data.decode("utf-8", "surrogateescape")
        records = data if case.get("options", {}).get("json") else record(text)
        lines = b"\n".join(record(line) for line in text.splitlines(keepends=True))
        open(f"corpus/fluentbit_record/seed-{n}", "wb").write(records)
        open(f"corpus/fluentbit_record/seed-{n}-lines", "wb").write(lines)
        n += 1
PY
# 1. Replay the seeds and every regression input: deterministic, a failure fails the run.
# 2. Explore for a short time: new crashes are reported loudly with their artifact (to be turned
#    into regression inputs) but do not fail the run, so CI stays deterministic.
status=0
found=()
for target in $(cargo +nightly fuzz list); do
  mkdir -p "corpus/$target"
  if [[ -d "regressions/$target" ]]; then cp regressions/"$target"/* "corpus/$target/"; fi
  echo "replaying seeds of $target"
  if ! cargo +nightly fuzz run "$target" "corpus/$target" -- -runs=0 >"/tmp/hush-fuzz-$target.log" 2>&1; then
    tail -n 30 "/tmp/hush-fuzz-$target.log"; echo "FAILED: $target on a seed or regression input"; status=1; continue
  fi
  echo "fuzzing $target for ${secs}s"
  if ! cargo +nightly fuzz run "$target" -- -max_total_time="$secs" -max_len=65536 >"/tmp/hush-fuzz-$target.log" 2>&1; then
    found+=("$target: $(grep -o 'artifacts/[^ ]*' "/tmp/hush-fuzz-$target.log" | tail -n 1)")
  fi
done
if ((${#found[@]})); then
  echo "FUZZ FINDINGS (not fatal; add them to fuzz/regressions/<target>/ once fixed):"
  printf '  %s\n' "${found[@]}"
fi
exit $status
