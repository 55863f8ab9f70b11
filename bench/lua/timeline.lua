-- (c) User timelines: GET /api/tweets/?user_id=ID for random seeded users (1..BENCH_USERS), by
-- logged-in callers (token rotation); BENCH_NEXT_FRACTION of them ask for a later page.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(here .. "common.lua")

function common.make_request()
  local tok = common.next_token()
  local path = common.list_path("/api/tweets/?user_id=" .. math.random(1, common.users))
  return wrk.format("GET", path, common.auth_headers(tok))
end

common.install()
