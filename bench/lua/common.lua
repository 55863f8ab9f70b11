-- bench/lua/common.lua: what every wrk scenario script shares (loaded by each with dofile).
--
-- Environment (set by bench/bench.py, which runs wrk):
--   BENCH_TOKENS   file of "user_id token" lines (bench.py tokens); requests rotate over them, so
--                  successive requests (and so the connections that send them) act as different users
--   BENCH_RESULT   file the done() callback appends one JSON line to (also printed as "BENCH_RESULT {...}")
--   BENCH_NAME     the scenario's name in that line
--   BENCH_SEED     random seed (default 1); each wrk thread seeds with BENCH_SEED + its number
--   BENCH_USERS    user ids for random picks are 1..BENCH_USERS (timelines)
--   BENCH_NEXT_FRACTION  share of list reads that ask for a later page with created_at__lt (default 0.2)
--
-- A scenario script defines common.make_request(), a function returning the request string
-- (wrk.format), and then calls common.install() which defines wrk's global callbacks:
--   setup(thread)  remembers each thread (done() reads its status counts) and numbers it
--   init(args)     loads the tokens, seeds the random generator
--   request()      calls make_request
--   response()     counts responses by status code
--   done()         writes the JSON line: requests, duration, req/s, latency percentiles (µs),
--                  status counts, non-2xx, socket errors
local M = {}

local function env(name, default)
  local v = os.getenv(name)
  if v == nil or v == "" then return default end
  return v
end
M.env = env

M.users = tonumber(env("BENCH_USERS", "1000"))
M.next_fraction = tonumber(env("BENCH_NEXT_FRACTION", "0.2"))

-- Tokens: loaded per thread in init() (each wrk thread has its own Lua state).
M.tokens = {}
M.token_users = {}
M.cursor = 0

function M.load_tokens()
  local path = env("BENCH_TOKENS", nil)
  if path == nil then return end
  local f = assert(io.open(path, "r"), "cannot open BENCH_TOKENS " .. path)
  for line in f:lines() do
    local uid, tok = line:match("^(%d+)%s+(%S+)")
    if tok then
      M.tokens[#M.tokens + 1] = tok
      M.token_users[#M.token_users + 1] = tonumber(uid)
    end
  end
  f:close()
  assert(#M.tokens > 0, "no tokens in " .. path)
end

-- The next token in rotation (and its user id). Threads start at different offsets.
function M.next_token()
  M.cursor = M.cursor % #M.tokens + 1
  return M.tokens[M.cursor], M.token_users[M.cursor]
end

function M.auth_headers(tok)
  return { ["Authorization"] = "Token " .. tok }
end

-- A created_at__lt cursor some time in the past: a page further down a feed or timeline (the
-- seeded tweets span 30 days). ISO-8601 UTC, one of the SPEC §1.5 cursor formats.
function M.past_cursor()
  local t = os.time() - math.random(600, 20 * 86400)
  return os.date("!%Y-%m-%dT%H:%M:%S", t) .. "." .. string.format("%06d", math.random(0, 999999)) .. "Z"
end

-- A list path, with a later-page cursor for BENCH_NEXT_FRACTION of the calls.
function M.list_path(path)
  if math.random() < M.next_fraction then
    local sep = path:find("?", 1, true) and "&" or "?"
    return path .. sep .. "created_at__lt=" .. M.past_cursor()
  end
  return path
end

local words = { "coffee", "deploy", "friday", "lunch", "rain", "train", "music", "chirp", "code",
  "review", "bike", "tea", "ship", "bug", "pizza", "sunny", "weekend", "sleep", "garden", "book" }
M.posted = 0
M.thread_id = 0

-- A tweet body: unique (thread, counter, clock), 6..140 characters, JSON.
function M.tweet_body()
  M.posted = M.posted + 1
  local parts = { string.format("bench t%d n%d %d", M.thread_id, M.posted, os.time()) }
  local len = #parts[1]
  for _ = 1, math.random(2, 12) do
    local w = words[math.random(#words)]
    if len + 1 + #w > 140 then break end
    parts[#parts + 1] = w
    len = len + 1 + #w
  end
  return '{"content": "' .. table.concat(parts, " ") .. '"}'
end

M.post_headers_base = { ["Content-Type"] = "application/json" }

function M.post_headers(tok)
  return { ["Authorization"] = "Token " .. tok, ["Content-Type"] = "application/json" }
end

local function json_escape(s)
  return (tostring(s):gsub('[%c"\\]', function(c) return string.format("\\u%04x", c:byte()) end))
end

function M.install()
  local threads = {}
  local counter = 0

  _G.setup = function(thread)
    counter = counter + 1
    thread:set("thread_id", counter)
    threads[#threads + 1] = thread
  end

  _G.init = function(args)
    M.thread_id = tonumber(_G.thread_id or 1) or 1
    math.randomseed(tonumber(env("BENCH_SEED", "1")) + M.thread_id * 7919)
    M.load_tokens()
    if #M.tokens > 0 then
      M.cursor = (M.thread_id * 104729) % #M.tokens
    end
    _G.statuses = {}
    if M.init then M.init(args) end
  end

  _G.request = function()
    return M.make_request()
  end

  _G.response = function(status, headers, body)
    local s = _G.statuses
    s[status] = (s[status] or 0) + 1
  end

  _G.done = function(summary, latency, requests)
    local statuses = {}
    local non2xx = 0
    local counted = 0
    for _, t in ipairs(threads) do
      local s = t:get("statuses") or {}
      for code, n in pairs(s) do
        statuses[code] = (statuses[code] or 0) + n
      end
    end
    local parts = {}
    for code, n in pairs(statuses) do
      counted = counted + n
      if code < 200 or code > 299 then non2xx = non2xx + n end
      parts[#parts + 1] = string.format('"%d": %d', code, n)
    end
    local e = summary.errors
    local socket_errors = e.connect + e.read + e.write + e.timeout
    local secs = summary.duration / 1e6
    local line = string.format(
      '{"name": "%s", "requests": %d, "duration_s": %.3f, "rps": %.1f, "bytes": %d, ' ..
      '"latency_us": {"p50": %d, "p90": %d, "p99": %d, "p999": %d, "max": %d, "mean": %.1f, "stdev": %.1f}, ' ..
      '"statuses": {%s}, "non2xx": %d, "counted": %d, "wrk_status_errors": %d, ' ..
      '"socket_errors": {"connect": %d, "read": %d, "write": %d, "timeout": %d, "total": %d}}',
      json_escape(env("BENCH_NAME", "scenario")), summary.requests, secs, summary.requests / secs,
      summary.bytes,
      latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
      latency.max, latency.mean, latency.stdev,
      table.concat(parts, ", "), non2xx, counted, e.status,
      e.connect, e.read, e.write, e.timeout, socket_errors)
    io.write("BENCH_RESULT " .. line .. "\n")
    local out = env("BENCH_RESULT", nil)
    if out then
      local f = assert(io.open(out, "a"))
      f:write(line .. "\n")
      f:close()
    end
  end
end

return M
