# The comparison script on a 10 MB corpus: proves it works; CI never runs full timings.
exec bash benches/compare.sh --quick
