# Fluent Bit: the wasm32-wasip1 filter through a host harness, the C ABI (cc + valgrind), the Lua filter (luajit).
HUSH_REQUIRE_WASM=1 HUSH_REQUIRE_TOOLS=1 exec bash fluent-bit-plugin/run-tests.sh
