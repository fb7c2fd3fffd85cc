# WASM/JS package: node tests, type tests and the browser test of the viewer.
exec bash bindings/wasm/run-tests.sh
