-- (a) The reference: GET /healthz on the same server (the minimal response; DESIGN §8 reports every
-- scenario's throughput as a ratio to this one, measured in the same run). No token needed.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(here .. "common.lua")

local req = wrk.format("GET", "/healthz")
function common.make_request()
  return req
end

common.install()
