-- (b) GET /api/newsfeeds/ by many logged-in users: each request carries the next token of the
-- rotation (BENCH_TOKENS); most ask for the first page (20 items), BENCH_NEXT_FRACTION (default 0.2)
-- ask for a later page with created_at__lt = a time in the past (SPEC §1.6 cursor).
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(here .. "common.lua")

function common.make_request()
  local tok = common.next_token()
  return wrk.format("GET", common.list_path("/api/newsfeeds/"), common.auth_headers(tok))
end

common.install()
