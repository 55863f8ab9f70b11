#include "store/redis/redis_gatekeeper_store.hpp"

#include <fmt/format.h>

#include <charconv>

namespace chirp::store::redis {
namespace {

// Fills the hash only when it is absent: a save() that reached Redis while this process was
// reading SQL is newer than what was read, and must not be overwritten.
const RedisScript kFillIfAbsent(R"lua(
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'percent', ARGV[1], 'whitelist', ARGV[2], 'description', ARGV[3])
return 1
)lua");

std::optional<domain::Gatekeeper> from_hash(std::string_view name, const RedisReply& reply) {
  if (reply.type != RedisReply::Type::kArray || reply.elements.empty()) return std::nullopt;
  domain::Gatekeeper out{std::string(name), 0, {}, {}};
  bool has_percent = false;
  for (std::size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
    const std::string& field = reply.elements[i].text;
    const std::string& value = reply.elements[i + 1].text;
    if (field == "percent") {
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out.percent);
      has_percent = ec == std::errc() && end == value.data() + value.size();
    } else if (field == "whitelist") {
      auto ids = domain::parse_whitelist(value);
      if (!ids) return std::nullopt;
      out.whitelist = std::move(*ids);
    } else if (field == "description") {
      out.description = value;
    }
  }
  if (!has_percent) return std::nullopt;  // damaged or half-written: read SQL instead
  return out;
}

}  // namespace

std::optional<domain::Gatekeeper> RedisGatekeeperStore::get(std::string_view name) {
  const std::string hash = key(name);
  try {
    if (auto cached = from_hash(name, client_.command({"HGETALL", hash}))) return cached;
  } catch (const std::exception& e) {
    warning_.warn(fmt::format("gatekeepers: Redis read failed ({}); reading SQL", e.what()));
    return durable_.get(name);
  }
  auto stored = durable_.get(name);
  if (stored) {
    try {
      client_.eval(kFillIfAbsent, {hash},
                   {std::to_string(stored->percent), domain::format_whitelist(stored->whitelist),
                    stored->description});
    } catch (const std::exception& e) {
      // Nothing to undo: the next read misses again and reads SQL.
      warning_.warn(fmt::format("gatekeepers: filling Redis failed ({})", e.what()));
    }
  }
  return stored;
}

void RedisGatekeeperStore::save(const domain::Gatekeeper& gatekeeper) {
  durable_.save(gatekeeper);
  try {
    auto reply = client_.command({"HSET", key(gatekeeper.name), "percent",
                                  std::to_string(gatekeeper.percent), "whitelist",
                                  domain::format_whitelist(gatekeeper.whitelist), "description",
                                  gatekeeper.description});
    if (reply.is_error()) throw RedisError(reply.text);
  } catch (const std::exception& e) {
    // Redis may still hold the old value: have it flushed before Redis is used again.
    client_.mark_dirty();
    warning_.warn(fmt::format("gatekeepers: writing \"{}\" to Redis failed ({}); Redis will be "
                              "flushed when it answers",
                              gatekeeper.name, e.what()));
  }
}

}  // namespace chirp::store::redis
