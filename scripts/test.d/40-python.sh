# Python package: fresh venv, pip install ./bindings/python, pytest, mypy --strict, stubtest.
CI=${CI:-true} exec bash bindings/python/run-tests.sh
