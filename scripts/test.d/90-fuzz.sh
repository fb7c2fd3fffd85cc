# Every fuzz target for a short smoke run (SKIPPED when nightly or cargo-fuzz is missing).
exec bash fuzz/smoke.sh "${HUSH_FUZZ_SECONDS:-15}"
