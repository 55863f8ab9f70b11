#include "store/redis/redis_timeline_cache.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "store/redis/timeline_scripts.hpp"

namespace chirp::store::redis {
namespace {

using domain::TimelineItem;

RedisScript with_helpers(std::string_view body) {
  return RedisScript(std::string(timeline_scripts::kHelpers) + std::string(body));
}

// Function-local statics: a script's SHA1 is learnt once per process.
const RedisScript& fill_ticket_script() {
  static const RedisScript script{std::string(timeline_scripts::kFillTicket)};
  return script;
}
const RedisScript& fill_script() {
  static const RedisScript script{std::string(timeline_scripts::kFill)};
  return script;
}
const RedisScript& add_script() {
  static const RedisScript script = with_helpers(timeline_scripts::kAdd);
  return script;
}
const RedisScript& remove_script() {
  static const RedisScript script = with_helpers(timeline_scripts::kRemove);
  return script;
}
const RedisScript& invalidate_script() {
  static const RedisScript script = with_helpers(timeline_scripts::kInvalidate);
  return script;
}
const RedisScript& range_script() {
  static const RedisScript script{std::string(timeline_scripts::kRange)};
  return script;
}

// Newest first: by time, ties by id (TimeRange's order).
bool newer(const TimelineItem& a, const TimelineItem& b) {
  return a.created_at != b.created_at ? a.created_at > b.created_at : a.id > b.id;
}

std::int64_t parse_id(const std::string& text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) {
    throw RedisError("timeline cache: bad member '" + text + "'");
  }
  return value;
}

// Scores are doubles holding integer µs; Redis prints them in full below 2^53.
Micros parse_score(const std::string& text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) {
    throw RedisError("timeline cache: bad score '" + text + "'");
  }
  return static_cast<Micros>(std::llround(value));
}

std::uint64_t parse_ticket(const RedisReply& reply) {
  std::uint64_t value = 0;
  const std::string& text = reply.text;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (reply.type != RedisReply::Type::kString || ec != std::errc{} ||
      end != text.data() + text.size()) {
    throw RedisError("timeline cache: bad generation '" + text + "'");
  }
  return value;
}

}  // namespace

RedisTimelineCache::RedisTimelineCache(RedisClient& client, std::size_t capacity,
                                       std::chrono::seconds idle_expiry)
    : client_(client),
      capacity_(capacity),
      idle_expiry_s_(std::to_string(std::max<std::int64_t>(1, idle_expiry.count()))) {}

RedisTimelineCache::Keys RedisTimelineCache::keys_for(std::string_view key) {
  std::string list = "chirp:tl:{" + std::string(key) + "}";
  return Keys{list, list + ":meta", list + ":gen"};
}

void RedisTimelineCache::write_failed(std::string_view what, std::string_view key,
                                      const std::exception& error) {
  client_.mark_dirty();
  errors_.fetch_add(1, std::memory_order_relaxed);
  warning_.warn(fmt::format(
      "timeline cache: {} {} failed ({}); the Redis database will be flushed once it answers", what,
      key, error.what()));
}

void RedisTimelineCache::read_failed(std::string_view what, std::string_view key,
                                     const std::exception& error) {
  errors_.fetch_add(1, std::memory_order_relaxed);
  warning_.warn(fmt::format("timeline cache: {} {} failed ({}); reading the store instead", what,
                            key, error.what()));
}

RedisClient::ScriptCall RedisTimelineCache::range_call(std::string_view key,
                                                       const domain::TimeRange& range) const {
  Keys keys = keys_for(key);
  std::string max = "+inf";
  std::string min = "-inf";
  if (range.after) {
    min = "(" + std::to_string(*range.after);
  } else if (range.before) {
    max = "(" + std::to_string(*range.before);
  }
  return {{std::move(keys.list), std::move(keys.meta)},
          {std::move(max), std::move(min), std::to_string(range.limit), idle_expiry_s_,
           range.after ? "1" : "0"}};
}

std::optional<domain::CachedRange> RedisTimelineCache::range(std::string_view key,
                                                             const domain::TimeRange& range) {
  RedisReply reply;
  try {
    auto call = range_call(key, range);
    reply = client_.eval(range_script(), call.keys, call.args);
  } catch (const std::exception& e) {
    read_failed("range", key, e);
    misses_.fetch_add(1, std::memory_order_relaxed);
    return std::nullopt;
  }
  return parse_range(key, range, reply);
}

std::vector<std::optional<domain::CachedRange>> RedisTimelineCache::range_many(
    const std::vector<std::string>& keys, const domain::TimeRange& range) {
  std::vector<std::optional<domain::CachedRange>> answers(keys.size());
  if (keys.empty()) return answers;
  std::vector<RedisClient::ScriptCall> calls;
  calls.reserve(keys.size());
  for (const auto& key : keys) calls.push_back(range_call(key, range));
  std::vector<RedisReply> replies;
  try {
    replies = client_.eval_each(range_script(), calls);
  } catch (const std::exception& e) {
    read_failed("range", keys.front(), e);
    misses_.fetch_add(static_cast<std::int64_t>(keys.size()), std::memory_order_relaxed);
    return answers;
  }
  for (std::size_t i = 0; i < keys.size() && i < replies.size(); ++i) {
    answers[i] = parse_range(keys[i], range, replies[i]);
  }
  return answers;
}

std::optional<domain::CachedRange> RedisTimelineCache::parse_range(std::string_view key,
                                                                   const domain::TimeRange& range,
                                                                   const RedisReply& reply) {
  try {
    if (reply.is_error()) throw RedisError("timeline cache: " + reply.text);
    if (!reply.is_nil() && (reply.type != RedisReply::Type::kArray || reply.elements.size() != 4)) {
      throw RedisError("timeline cache: unexpected range reply");
    }
  } catch (const std::exception& e) {
    read_failed("range", key, e);
    misses_.fetch_add(1, std::memory_order_relaxed);
    return std::nullopt;
  }
  if (reply.is_nil()) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return std::nullopt;
  }

  bool complete = reply.elements[0].text == "1";
  const auto& flat = reply.elements[1].elements;
  const auto& tied = reply.elements[2].elements;
  const std::string& oldest = reply.elements[3].text;
  domain::CachedRange answer;
  try {
    answer.items.reserve(flat.size() / 2 + tied.size());
    for (std::size_t i = 0; i + 1 < flat.size(); i += 2) {
      answer.items.push_back({parse_id(flat[i].text), parse_score(flat[i + 1].text)});
    }
    if (!tied.empty()) {
      // Redis picked among equal scores by string order; redo that choice by numeric id.
      Micros last = answer.items.back().created_at;
      std::erase_if(answer.items, [last](const TimelineItem& i) { return i.created_at == last; });
      for (const RedisReply& id : tied) answer.items.push_back({parse_id(id.text), last});
    }
    std::sort(answer.items.begin(), answer.items.end(), newer);
    if (answer.items.size() > range.limit) answer.items.resize(range.limit);
    // Older items the store holds beyond the cached part belong to the range unless its lower
    // bound (`after`) lies at or above the oldest cached item.
    bool range_reaches_past_cache =
        !range.after || oldest.empty() || parse_score(oldest) > *range.after;
    answer.truncated = !complete && answer.items.size() < range.limit && range_reaches_past_cache;
  } catch (const std::exception& e) {
    read_failed("range", key, e);
    misses_.fetch_add(1, std::memory_order_relaxed);
    return std::nullopt;
  }
  hits_.fetch_add(1, std::memory_order_relaxed);
  return answer;
}

std::uint64_t RedisTimelineCache::fill_ticket(std::string_view key) {
  Keys keys = keys_for(key);
  try {
    return parse_ticket(client_.eval(fill_ticket_script(), {keys.list, keys.meta, keys.generation},
                                     {std::to_string(kTicketLifetime.count())}));
  } catch (const std::exception& e) {
    read_failed("fill ticket", key, e);
    return 0;
  }
}

void RedisTimelineCache::fill(std::string_view key, const std::vector<TimelineItem>& newest,
                              bool complete, std::uint64_t ticket) {
  if (ticket == 0) return;  // taken while Redis was unavailable
  std::vector<TimelineItem> items = newest;
  if (!std::is_sorted(items.begin(), items.end(), newer)) {
    std::sort(items.begin(), items.end(), newer);
  }
  if (items.size() > capacity_) {
    items.resize(capacity_);
    complete = false;
  }
  Keys keys = keys_for(key);
  std::vector<std::string> args;
  args.reserve(3 + 2 * items.size());
  args.push_back(std::to_string(ticket));
  args.push_back(complete ? "1" : "0");
  args.push_back(idle_expiry_s_);
  for (const TimelineItem& item : items) {
    args.push_back(std::to_string(item.created_at));
    args.push_back(std::to_string(item.id));
  }
  try {
    client_.eval(fill_script(), {keys.list, keys.meta, keys.generation}, args);
  } catch (const std::exception& e) {
    // Nothing is lost: the list stays uncached and the next read goes to the store.
    read_failed("fill", key, e);
  }
}

void RedisTimelineCache::add(std::string_view key, const TimelineItem& item) {
  Keys keys = keys_for(key);
  try {
    client_.eval(
        add_script(), {keys.list, keys.meta, keys.generation},
        {std::to_string(item.created_at), std::to_string(item.id), std::to_string(capacity_)});
  } catch (const std::exception& e) {
    write_failed("add to", key, e);
  }
}

void RedisTimelineCache::add_to_each(const std::vector<std::string>& keys,
                                     const TimelineItem& item) {
  if (keys.empty()) return;
  const std::vector<std::string> args{std::to_string(item.created_at), std::to_string(item.id),
                                      std::to_string(capacity_)};
  std::vector<RedisClient::ScriptCall> calls;
  calls.reserve(keys.size());
  for (const auto& key : keys) {
    Keys k = keys_for(key);
    calls.push_back({{k.list, k.meta, k.generation}, args});
  }
  try {
    const auto replies = client_.eval_each(add_script(), calls);
    for (std::size_t i = 0; i < replies.size(); ++i) {
      if (replies[i].is_error()) write_failed("add to", keys[i], RedisError(replies[i].text));
    }
  } catch (const std::exception& e) {
    write_failed("add to", keys.front() + " and the rest of its batch", e);
  }
}

void RedisTimelineCache::remove(std::string_view key, std::int64_t id) {
  Keys keys = keys_for(key);
  try {
    client_.eval(remove_script(), {keys.list, keys.meta, keys.generation}, {std::to_string(id)});
  } catch (const std::exception& e) {
    write_failed("remove from", key, e);
  }
}

void RedisTimelineCache::invalidate(std::string_view key) {
  Keys keys = keys_for(key);
  try {
    client_.eval(invalidate_script(), {keys.list, keys.meta, keys.generation}, {});
  } catch (const std::exception& e) {
    write_failed("invalidate", key, e);
  }
}

}  // namespace chirp::store::redis
