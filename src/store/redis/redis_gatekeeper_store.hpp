#pragma once
// Gatekeepers on the full stack: hashes "gatekeeper:{name}" (fields percent, whitelist,
// description) in Redis in front of the durable SQL table.
//
// Why not Redis alone: chirp's Redis database is a cache that may be emptied (RedisClient FLUSHDBs
// after a lost write; the servers run without persistence), and losing a switch such as
// friendship_kv_only would silently route reads back to a store that lacks rows. So SQL stays the
// truth: save() writes SQL, then Redis; get() reads Redis and, on a miss, SQL, filling Redis only
// when no newer write got there first. When Redis is down reads go to SQL, and a Redis write that
// failed marks the client dirty, so the stale hash is flushed before Redis is used again.
// list() reads SQL, which always holds every gatekeeper.
#include <string>

#include "domain/gatekeepers.hpp"
#include "store/redis/redis_client.hpp"
#include "store/redis/throttled_warning.hpp"

namespace chirp::store::redis {

class RedisGatekeeperStore final : public domain::GatekeeperStore {
 public:
  RedisGatekeeperStore(RedisClient& client, domain::GatekeeperStore& durable,
                       std::string key_prefix = "gatekeeper:")
      : client_(client), durable_(durable), key_prefix_(std::move(key_prefix)) {}

  std::optional<domain::Gatekeeper> get(std::string_view name) override;
  std::vector<domain::Gatekeeper> list() override { return durable_.list(); }
  void save(const domain::Gatekeeper& gatekeeper) override;

  std::string key(std::string_view name) const { return key_prefix_ + std::string(name); }

 private:
  RedisClient& client_;
  domain::GatekeeperStore& durable_;
  std::string key_prefix_;
  ThrottledWarning warning_;
};

}  // namespace chirp::store::redis
