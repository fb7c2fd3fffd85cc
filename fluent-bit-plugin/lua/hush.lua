-- hush.lua: a Fluent Bit Lua filter that redacts secrets natively through libhush.so
-- (LuaJIT FFI). Use it with:
--
--   [FILTER]
--       Name    lua
--       Match   *
--       script  /etc/hush/hush.lua
--       call    hush_filter
--
-- Environment (read once, when Fluent Bit loads the script):
--   HUSH_LIB          path of libhush.so        (default /usr/local/lib/libhush.so)
--   HUSH_CONFIG       a hush.toml config file   (default /etc/hush/hush.toml, used if present)
--   HUSH_SECRETS_DIR  files holding known secret values, one per file
--                     (default /etc/hush/secrets, used if present)
--
-- Every record's keys and string values are redacted, nested maps and arrays included:
-- a value under a sensitive key (password, token, api_key, ...) is masked whole, with
-- everything nested under it; every other string is redacted as text. Numbers under a
-- sensitive key become a masked string; booleans stay. If the library cannot be loaded
-- the script raises an error, so Fluent Bit refuses to start rather than pass secrets.

local ffi = require("ffi")

ffi.cdef [[
typedef struct HushRedactor HushRedactor;
typedef struct HushOutput { uint8_t *data; size_t len; int changed; } HushOutput;
HushRedactor *hush_new(void);
HushRedactor *hush_new_from_toml(const char *toml, size_t toml_len, const char *secrets_dir);
void hush_free(HushRedactor *r);
int hush_redact(const HushRedactor *r, const uint8_t *input, size_t len, HushOutput *out);
int hush_redact_value(const HushRedactor *r, const char *key, size_t key_len,
                      const uint8_t *value, size_t value_len, HushOutput *out);
int hush_key_is_sensitive(const HushRedactor *r, const char *key, size_t key_len);
void hush_output_free(HushOutput *out);
const char *hush_last_error(void);
]]

local DEFAULT_LIB = "/usr/local/lib/libhush.so"
local DEFAULT_CONFIG = "/etc/hush/hush.toml"
local DEFAULT_SECRETS_DIR = "/etc/hush/secrets"
-- Replaces a value when the library reports an error (fail closed).
local FAIL_MASK = "[REDACTED]"
-- Sensitivity of key names is cached; the cache is dropped when it grows this large.
local KEY_CACHE_MAX = 4096

local function readable(path)
  local f = io.open(path, "rb")
  if f then
    f:close()
    return true
  end
  return false
end

local function last_error(lib)
  local e = lib.hush_last_error()
  if e == nil then
    return "unknown error"
  end
  return ffi.string(e)
end

local lib = ffi.load(os.getenv("HUSH_LIB") or DEFAULT_LIB)

local function create()
  local config_path = os.getenv("HUSH_CONFIG")
  if not config_path and readable(DEFAULT_CONFIG) then
    config_path = DEFAULT_CONFIG
  end
  local secrets_dir = os.getenv("HUSH_SECRETS_DIR")
  if not secrets_dir and readable(DEFAULT_SECRETS_DIR) then
    secrets_dir = DEFAULT_SECRETS_DIR
  end
  local text = ""
  if config_path then
    local f = assert(io.open(config_path, "rb"), "hush: cannot open " .. config_path)
    text = f:read("*a")
    f:close()
  end
  local r
  if config_path or secrets_dir then
    r = lib.hush_new_from_toml(text, #text, secrets_dir)
  else
    r = lib.hush_new()
  end
  if r == nil then
    error("hush: " .. last_error(lib))
  end
  return ffi.gc(r, lib.hush_free)
end

local redactor = create()
local out = ffi.new("HushOutput[1]")
local sensitive_cache, cache_size = {}, 0

local function is_sensitive(key)
  local s = sensitive_cache[key]
  if s == nil then
    s = lib.hush_key_is_sensitive(redactor, key, #key) == 1
    if cache_size >= KEY_CACHE_MAX then
      sensitive_cache, cache_size = {}, 0
    end
    sensitive_cache[key] = s
    cache_size = cache_size + 1
  end
  return s
end

-- The result in `out` of a call that returned `rc`: the redacted string, or nil when
-- nothing changed.
local function take_output(rc)
  if rc ~= 0 then
    return FAIL_MASK
  end
  local o = out[0]
  if o.changed == 0 then
    return nil
  end
  local s = ffi.string(o.data, o.len)
  lib.hush_output_free(out)
  return s
end

-- A value under a sensitive key: masked whole unless it is a placeholder.
local function redact_value(key, value)
  return take_output(lib.hush_redact_value(redactor, key, #key, value, #value, out))
end

-- A value under a name already known not to be sensitive (`is_sensitive`, cached here):
-- redacted as text, without classifying the name again.
local function redact_text(value)
  return take_output(lib.hush_redact(redactor, value, #value, out))
end

-- Redacts `tbl` in place. `key` names the member the table belongs to; `secret_key` is
-- the nearest sensitive ancestor name (everything under it is masked). True if changed.
local function walk(tbl, key, secret_key)
  local changed = false
  for k, v in pairs(tbl) do
    local name = key
    if type(k) == "string" then
      name = k
    end
    local masked_by = secret_key
    if masked_by == nil and type(k) == "string" and is_sensitive(k) then
      masked_by = k
    end
    local t = type(v)
    if t == "string" then
      local nv
      if masked_by ~= nil then
        nv = redact_value(masked_by, v)
      else
        nv = redact_text(v)
      end
      if nv ~= nil then
        tbl[k] = nv
        changed = true
      end
    elseif t == "table" then
      if walk(v, name, masked_by) then
        changed = true
      end
    elseif t == "number" and masked_by ~= nil then
      tbl[k] = redact_value(masked_by, tostring(v)) or FAIL_MASK
      changed = true
    end
  end
  return changed
end

--- The filter callback: returns 2 (record modified, timestamp kept) or 0 (unchanged).
function hush_filter(tag, timestamp, record)
  if walk(record, "", nil) then
    return 2, timestamp, record
  end
  return 0, timestamp, record
end

return { filter = hush_filter, is_sensitive = is_sensitive }
