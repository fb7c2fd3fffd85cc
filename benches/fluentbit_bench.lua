-- Records per second through hush.lua's hush_filter callback (LuaJIT FFI + libhush.so).
-- Usage: HUSH_LIB=target/release/libhush.so luajit benches/fluentbit_bench.lua [N]
-- A fresh record table per call, as Fluent Bit's Lua filter builds one per record.

local script_dir = arg[0]:match("(.*/)") or "./"
dofile(script_dir .. "../fluent-bit-plugin/lua/hush.lua")

local n = tonumber(arg[1]) or 1000000

local function bench(name, make)
  local start = os.clock()
  local changed = 0
  for i = 1, n do
    local code = hush_filter("bench", 0, make(i))
    if code == 2 then
      changed = changed + 1
    end
  end
  local secs = os.clock() - start
  assert(changed == n, "records not redacted")
  print(string.format("luajit + libhush.so   %-22s %d records in %.2f s = %.0f records/s", name, n, secs, n / secs))
end

bench("key record", function(i)
  return { level = "info", msg = "user login", password = "hunter2", path = "/api/v1/x", seq = i }
end)
bench("secret in log string", function(i)
  return {
    log = "2024-05-01T10:00:00Z GET /api/v1/x?api_key=abc123xyz" .. i
      .. " Authorization: Bearer 9f8e7d6c5b4a39281706f5e4 DB_PASSWORD=plum-Orbit-4471\n",
    stream = "stdout",
    seq = i,
  }
end)
