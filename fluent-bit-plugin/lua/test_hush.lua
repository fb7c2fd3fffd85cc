-- Runs hush.lua's hush_filter callback over sample records, as Fluent Bit's Lua filter
-- would. Usage: HUSH_LIB=/path/libhush.so luajit test_hush.lua
-- Prints "ok <n>" on success; on failure names the case (never the values) and exits 1.

local dir = arg[0]:match("(.*/)") or "./"
dofile(dir .. "hush.lua")

local failures, cases = 0, 0

local function check(cond, name)
  cases = cases + 1
  if not cond then
    io.stderr:write("FAIL: " .. name .. "\n")
    failures = failures + 1
  end
end

-- Unchanged record: code 0, same table, nothing rewritten.
local rec = { level = "info", msg = "user login", path = "/api/v1/x", seq = 1 }
local code, ts, out = hush_filter("app", 1700000000.5, rec)
check(code == 0, "clean record reports no change")
check(ts == 1700000000.5 and out.msg == "user login" and out.seq == 1, "clean record kept")

-- Sensitive keys and secrets inside text.
rec = {
  level = "info",
  msg = "user login",
  password = "hunter2",
  log = "GET /x Authorization: Bearer 9f8e7d6c5b4a39281706f5e4\n",
  env = "DB_PASSWORD=plum-Orbit-4471\nHOME=/root",
  seq = 7,
}
code, ts, out = hush_filter("app", 1.0, rec)
check(code == 2, "modified record reports code 2")
check(out.password == "[REDACTED]", "password key masked")
check(out.log == "GET /x Authorization: Bearer [REDACTED]\n", "bearer token in log masked")
check(out.env == "DB_PASSWORD=[REDACTED]\nHOME=/root", "env dump password masked")
check(out.msg == "user login" and out.level == "info" and out.seq == 7, "other fields kept")

-- Nested maps and arrays; everything under a sensitive key is masked.
rec = {
  kubernetes = { pod = "web-1", labels = { app = "web" } },
  request = { headers = { Authorization = "Basic YWRtaW46aHVudGVyMg==", Accept = "*/*" } },
  args = { "--user", "app", "--password=plum-Orbit-4471" },
  credentials = { user = "svc", pin = 1234, nested = { "a1b2c3d4e5" }, enabled = true },
}
code, ts, out = hush_filter("k8s", 2.0, rec)
check(code == 2, "nested record modified")
check(out.kubernetes.pod == "web-1" and out.kubernetes.labels.app == "web", "metadata kept")
check(out.request.headers.Accept == "*/*", "plain header kept")
check(not out.request.headers.Authorization:find("YWRtaW46aHVudGVyMg", 1, true), "basic credential masked")
check(out.args[1] == "--user" and out.args[2] == "app", "plain arguments kept")
check(out.args[3] == "--password=[REDACTED]", "password argument masked")
check(out.credentials.user == "[REDACTED]", "string under a sensitive key masked")
check(out.credentials.pin == "[REDACTED]", "number under a sensitive key masked")
check(out.credentials.nested[1] == "[REDACTED]", "array under a sensitive key masked")
check(out.credentials.enabled == true, "boolean kept")

-- UTF-8 text and a long value.
rec = { msg = "café ☕ password=plüm-Orbit-4471 fin", blob = string.rep("x", 1048576) .. " token=abcdef123456" }
code, ts, out = hush_filter("u", 3.0, rec)
check(out.msg == "café ☕ password=[REDACTED] fin", "UTF-8 text redacted")
check(#out.blob < 1048576 + 20 and out.blob:sub(-17) == " token=[REDACTED]", "1 MiB value redacted")

if failures > 0 then
  os.exit(1)
end
print("ok " .. cases)
