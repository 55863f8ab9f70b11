#pragma once
// The Lua scripts behind RedisTimelineCache, named like the SQL statements of a repository. Every
// script takes KEYS = {list, meta, generation} (range: {list, meta}).
#include <string_view>

namespace chirp::store::redis::timeline_scripts {

// Shared helpers, prepended to the scripts that need them.
// - Ids are decimal strings of non-negative integers: compare them as numbers without going
//   through Lua's doubles, which lose ids above 2^53.
// - A list's order is (score, id): Redis breaks score ties by comparing members as strings ("10"
//   before "9"), so wherever equal scores meet a cut, the cut is redone by numeric id.
// - bump: a change to the list invalidates outstanding fill tickets; without a generation key no
//   ticket can be outstanding, so there is nothing to do.
// - The meta key holds "<complete>:<count>" ("1:42"): complete is 1 for the whole timeline, 0 for
//   its newest items only; count is the set's size, so a set evicted by Redis's maxmemory policy
//   while its meta key stayed is seen (range answers a miss) instead of read as an empty list.
constexpr std::string_view kHelpers = R"lua(
local function id_less(a, b)
  if #a ~= #b then return #a < #b end
  return a < b
end
local function bump(gen)
  if redis.call('EXISTS', gen) == 1 then redis.call('INCR', gen) end
end
local function set_meta(list, meta, complete)
  redis.call('SET', meta, complete .. ':' .. redis.call('ZCARD', list), 'KEEPTTL')
end
)lua";

// ARGV: ticket lifetime (s). Returns the generation as a string. A new generation starts at the
// server's clock in µs, so a ticket taken before a flush or an expiry can never match again.
constexpr std::string_view kFillTicket = R"lua(
local gen = redis.call('GET', KEYS[3])
if gen then
  redis.call('EXPIRE', KEYS[3], ARGV[1])
  return gen
end
local now = redis.call('TIME')
gen = now[1] .. string.format('%06d', tonumber(now[2]))
redis.call('SET', KEYS[3], gen, 'EX', ARGV[1])
return gen
)lua";

// ARGV: ticket, complete ("1"/"0"), idle expiry (s), then score, id pairs. Returns 1 when filled.
constexpr std::string_view kFill = R"lua(
if redis.call('GET', KEYS[3]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
local batch = {}
for i = 4, #ARGV, 2 do
  batch[#batch + 1] = ARGV[i]
  batch[#batch + 1] = ARGV[i + 1]
  if #batch >= 1000 then
    redis.call('ZADD', KEYS[1], unpack(batch))
    batch = {}
  end
end
if #batch > 0 then redis.call('ZADD', KEYS[1], unpack(batch)) end
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('SET', KEYS[2], ARGV[2] .. ':' .. redis.call('ZCARD', KEYS[1]), 'EX', ARGV[3])
return 1
)lua";

// ARGV: score, id, capacity. Returns 1 when the item was added.
constexpr std::string_view kAdd = R"lua(
local meta = redis.call('GET', KEYS[2])
if not meta then
  bump(KEYS[3])
  return 0
end
local complete = string.sub(meta, 1, 1)
if redis.call('ZSCORE', KEYS[1], ARGV[2]) then return 0 end
bump(KEYS[3])
if complete == '0' then
  -- The list holds only the newest items: an older one stays in the store alone, or the list
  -- would skip the items between.
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  if #oldest == 0 then return 0 end
  local score, oldest_score = tonumber(ARGV[1]), tonumber(oldest[2])
  if score < oldest_score then return 0 end
  if score == oldest_score then
    local smallest = nil
    for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], oldest[2], oldest[2])) do
      if smallest == nil or id_less(id, smallest) then smallest = id end
    end
    if id_less(ARGV[2], smallest) then return 0 end
  end
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
-- The set may have just been created (the list was empty): it expires with its meta key.
local ttl = redis.call('PTTL', KEYS[2])
if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) end
local excess = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[3])
if excess > 0 then
  local cut = redis.call('ZRANGE', KEYS[1], excess - 1, excess, 'WITHSCORES')
  if cut[4] == nil or tonumber(cut[2]) ~= tonumber(cut[4]) then
    redis.call('ZREMRANGEBYRANK', KEYS[1], 0, excess - 1)
  else
    local boundary = cut[2]
    local below = redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. boundary)
    local tied = redis.call('ZRANGEBYSCORE', KEYS[1], boundary, boundary)
    table.sort(tied, id_less)
    for i = 1, excess - below do redis.call('ZREM', KEYS[1], tied[i]) end
  end
  complete = '0'
end
set_meta(KEYS[1], KEYS[2], complete)
return 1
)lua";

// ARGV: id.
constexpr std::string_view kRemove = R"lua(
bump(KEYS[3])
local removed = redis.call('ZREM', KEYS[1], ARGV[1])
local meta = redis.call('GET', KEYS[2])
if removed == 1 and meta then set_meta(KEYS[1], KEYS[2], string.sub(meta, 1, 1)) end
return removed
)lua";

constexpr std::string_view kInvalidate = R"lua(
bump(KEYS[3])
return redis.call('DEL', KEYS[1], KEYS[2])
)lua";

// ARGV: max, min (ZREVRANGEBYSCORE bounds such as "+inf", "(123"), limit, idle expiry (s), and
// "1" when the answer needs the oldest cached score (an `after` range on an incomplete list).
// Returns nil when not cached, else {complete, {id, score, ...} newest first, ids sharing the last
// returned score when the page is full and that score is shared, oldest cached score or ""}.
constexpr std::string_view kRange = R"lua(
local meta = redis.call('GET', KEYS[2])
if not meta then return false end
local complete, count = string.match(meta, '^([01]):(%d+)$')
if not complete or tonumber(count) ~= redis.call('ZCARD', KEYS[1]) then
  redis.call('DEL', KEYS[1], KEYS[2])
  return false
end
redis.call('EXPIRE', KEYS[2], ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[4])
local limit = tonumber(ARGV[3])
local items, tied = {}, {}
if limit > 0 then
  items = redis.call('ZREVRANGEBYSCORE', KEYS[1], ARGV[1], ARGV[2], 'WITHSCORES', 'LIMIT', 0, limit)
  if #items == 2 * limit then
    local last = items[#items]
    tied = redis.call('ZRANGEBYSCORE', KEYS[1], last, last)
    if #tied < 2 then tied = {} end
  end
end
local oldest = ''
if ARGV[5] == '1' and complete == '0' then
  local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  if #first > 0 then oldest = first[2] end
end
return {complete, items, tied, oldest}
)lua";

}  // namespace chirp::store::redis::timeline_scripts
