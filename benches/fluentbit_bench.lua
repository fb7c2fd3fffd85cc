-- Records per second through hush.lua's hush_filter callback (LuaJIT FFI + libhush.so).
-- Usage: HUSH_LIB=target/release/libhush.so luajit benches/fluentbit_bench.lua [N]
-- A fresh record table per call, as Fluent Bit's Lua filter builds one per record.
-- Each kind also runs through a plain Lua filter that loops over the keys (the kind of
-- filter behind the reference figure for Fluent Bit with a Lua filter): hush's own cost per
-- record is the difference of the two.

local script_dir = arg[0]:match("(.*/)") or "./"
dofile(script_dir .. "../fluent-bit-plugin/lua/hush.lua")

local n = tonumber(arg[1]) or 1000000

-- A Lua filter that only loops over the keys, masking one by name.
local function plain_loop(_, timestamp, record)
  for k, v in pairs(record) do
    if type(v) == "string" and k == "password" then
      record[k] = "***"
    end
  end
  return 2, timestamp, record
end

local function run(filter, make)
  local start = os.clock()
  local changed = 0
  for i = 1, n do
    local code = filter("bench", 0, make(i))
    if code == 2 then
      changed = changed + 1
    end
  end
  return os.clock() - start, changed
end

-- `redacted`: whether hush changes every record of the kind (else none).
local function bench(name, make, redacted)
  local secs, changed = run(hush_filter, make)
  if redacted then
    assert(changed == n, name .. ": records not redacted")
  else
    assert(changed == 0, name .. ": records changed")
  end
  local plain = run(plain_loop, make)
  print(string.format("luajit + libhush.so   %-22s %d records in %.2f s = %.0f records/s", name, n, secs, n / secs))
  print(string.format("luajit, a plain loop  %-22s %d records in %.2f s = %.0f records/s (hush adds %.2f us a record)",
    name, n, plain, n / plain, (secs - plain) / n * 1e6))
end

bench("key record", function(i)
  return { level = "info", msg = "user login", password = "hunter2", path = "/api/v1/x", seq = i }
end, true)
-- A container runtime's record: one `log` line with its stream and a sequence number.
local function log_record(line, i)
  return { log = line, stream = "stdout", seq = i }
end

bench("secret in log string", function(i)
  return log_record("2024-05-01T10:00:00Z GET /api/v1/x?api_key=abc123xyz" .. i
    .. " Authorization: Bearer 9f8e7d6c5b4a39281706f5e4 DB_PASSWORD=plum-Orbit-4471\n", i)
end, true)
bench("log line, no secret", function(i)
  return log_record("2024-05-01T10:00:00Z INFO GET /api/v1/x?page=" .. i
    .. " 200 OK in 12 ms (client 10.0.0.7, agent curl/8.5)\n", i)
end, false)
