-- (d) The mixed social-network workload (DeathStarBench's mix): per request a random draw picks
-- 60% news feed reads (as newsfeed.lua), 30% user timeline reads (as timeline.lua) and 10% posts
-- (POST /api/tweets/ with a unique JSON content ≤ 140 characters, as the token's user).
-- BENCH_MIX="feed,timeline,post" percentages override the 60,30,10 split.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
local common = dofile(here .. "common.lua")

local mix = {}
for n in common.env("BENCH_MIX", "60,30,10"):gmatch("%d+") do mix[#mix + 1] = tonumber(n) end
local total = mix[1] + mix[2] + mix[3]
local feed_cut = mix[1] / total
local timeline_cut = (mix[1] + mix[2]) / total

function common.make_request()
  local tok = common.next_token()
  local r = math.random()
  if r < feed_cut then
    return wrk.format("GET", common.list_path("/api/newsfeeds/"), common.auth_headers(tok))
  elseif r < timeline_cut then
    local path = common.list_path("/api/tweets/?user_id=" .. math.random(1, common.users))
    return wrk.format("GET", path, common.auth_headers(tok))
  end
  return wrk.format("POST", "/api/tweets/", common.post_headers(tok), common.tweet_body())
end

common.install()
