#!/usr/bin/env bash
# Builds and installs the `hush` Python package into a fresh venv, then runs pytest and
# mypy --strict. Needs Python >= 3.9 with venv (Debian/Ubuntu: apt-get install python3-venv),
# a Rust toolchain and network access to PyPI (maturin, pytest, mypy, structlog, loguru).
#
#   bindings/python/run-tests.sh            # venv in $HUSH_PY_VENV or a temp dir
#   CI=true bindings/python/run-tests.sh    # structlog/loguru tests fail if missing
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python="${PYTHON:-python3}"
venv="${HUSH_PY_VENV:-$(mktemp -d)/venv}"

"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
# Build once in release mode (the benchmark and the tests use the same wheel).
"$venv/bin/python" -m pip install --quiet "$here" pytest mypy structlog loguru

cd "$here"
# `hush` is imported from the installed wheel (the source tree has no compiled module).
"$venv/bin/python" -m pytest -q -p no:cacheprovider tests
"$venv/bin/python" -m mypy --strict --no-incremental tests/typing/usage.py
"$venv/bin/python" -m mypy --strict --no-incremental -p hush
# The stubs of the compiled module must match it (names, signatures, final classes).
(cd /tmp && "$venv/bin/python" -m mypy.stubtest hush._hush)
echo "python: all tests passed"
