#include "domain/gatekeepers.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "common/errors.hpp"

namespace chirp::domain {
namespace {

using namespace std::chrono_literals;

// An in-memory store that counts reads and can be made to fail like an unreachable server.
class FakeGatekeeperStore final : public GatekeeperStore {
 public:
  std::optional<Gatekeeper> get(std::string_view name) override {
    std::lock_guard lock(mutex_);
    ++reads;
    if (down) throw Unavailable("gatekeeper store is down");
    auto it = rows.find(std::string(name));
    if (it == rows.end()) return std::nullopt;
    return it->second;
  }
  std::vector<Gatekeeper> list() override {
    std::lock_guard lock(mutex_);
    if (down) throw Unavailable("gatekeeper store is down");
    std::vector<Gatekeeper> out;
    for (const auto& [name, g] : rows) out.push_back(g);
    return out;
  }
  void save(const Gatekeeper& gatekeeper) override {
    std::lock_guard lock(mutex_);
    if (down) throw Unavailable("gatekeeper store is down");
    rows[gatekeeper.name] = gatekeeper;
  }
  // Another process's write: bypasses every cache.
  void put(Gatekeeper g) {
    std::lock_guard lock(mutex_);
    rows[g.name] = std::move(g);
  }

  std::atomic<int> reads{0};
  std::atomic<bool> down{false};

 private:
  std::mutex mutex_;
  std::map<std::string, Gatekeeper> rows;
};

struct FakeClock {
  std::chrono::steady_clock::time_point now{std::chrono::steady_clock::time_point{} + 1h};
  GatekeeperService::Clock fn() {
    return [this] { return now; };
  }
};

class GatekeeperServiceTest : public ::testing::Test {
 protected:
  GatekeeperService make() { return GatekeeperService(store, {2000ms, clock.fn()}); }
  FakeGatekeeperStore store;
  FakeClock clock;
};

FieldErrors errors_of(GatekeeperService& service, std::string_view name,
                      const GatekeeperChange& change) {
  try {
    service.set(name, change);
  } catch (const ValidationError& e) {
    return e.errors;
  }
  return {};
}

TEST(Gatekeeper, UserIsInWhenWhitelistedOrInTheFirstBuckets) {
  Gatekeeper g{"x", 10, {7, 250}, ""};
  EXPECT_TRUE(is_in(g, 100));  // bucket 0
  EXPECT_TRUE(is_in(g, 309));  // bucket 9
  EXPECT_FALSE(is_in(g, 310));
  EXPECT_FALSE(is_in(g, 99));
  EXPECT_TRUE(is_in(g, 7));
  EXPECT_TRUE(is_in(g, 250));
  EXPECT_FALSE(is_on(g));

  // Raising the percent keeps everyone already in.
  for (UserId user = 1; user < 1000; ++user) {
    for (int percent = 0; percent < 100; ++percent) {
      if (is_in({"x", percent, {}, ""}, user)) {
        ASSERT_TRUE(is_in({"x", percent + 1, {}, ""}, user));
      }
    }
  }
  EXPECT_FALSE(is_in({"x", 0, {}, ""}, 100));
  EXPECT_TRUE(is_in({"x", 100, {}, ""}, 99));
  EXPECT_TRUE(is_on({"x", 100, {}, ""}));
}

TEST(Gatekeeper, ServerSwitchesAreTheSixMigrationSwitches) {
  std::vector<std::string_view> names(server_switches().begin(), server_switches().end());
  EXPECT_EQ(names, (std::vector<std::string_view>{"friendship_dual_write", "friendship_read_kv",
                                                  "friendship_kv_only", "newsfeed_dual_write",
                                                  "newsfeed_read_kv", "newsfeed_kv_only"}));
}

TEST(Gatekeeper, NameRule) {
  EXPECT_FALSE(gatekeeper_name_error("friendship_read_kv"));
  EXPECT_FALSE(gatekeeper_name_error("a"));
  EXPECT_FALSE(gatekeeper_name_error(std::string(64, 'a')));
  EXPECT_TRUE(gatekeeper_name_error(""));
  EXPECT_TRUE(gatekeeper_name_error(std::string(65, 'a')));
  EXPECT_TRUE(gatekeeper_name_error("Upper"));
  EXPECT_TRUE(gatekeeper_name_error("has-dash"));
  EXPECT_TRUE(gatekeeper_name_error("sp ace"));
  EXPECT_TRUE(gatekeeper_name_error("dot.ted"));
}

TEST(Gatekeeper, WhitelistText) {
  EXPECT_EQ(parse_whitelist(""), std::vector<UserId>{});
  EXPECT_EQ(parse_whitelist("  "), std::vector<UserId>{});
  EXPECT_EQ(parse_whitelist("1,2, 3"), (std::vector<UserId>{1, 2, 3}));
  EXPECT_EQ(parse_whitelist("-4"), std::vector<UserId>{-4});  // the domain rejects it later
  EXPECT_FALSE(parse_whitelist("1,x"));
  EXPECT_FALSE(parse_whitelist("1,"));
  EXPECT_FALSE(parse_whitelist("1.5"));
  EXPECT_EQ(format_whitelist({1, 22, 333}), "1,22,333");
  EXPECT_EQ(format_whitelist({}), "");
}

TEST_F(GatekeeperServiceTest, UnknownNameIsOffWithEmptyFields) {
  auto service = make();
  EXPECT_EQ(service.get("nobody_set_me"), (Gatekeeper{"nobody_set_me", 0, {}, ""}));
  EXPECT_EQ(service.cached("nobody_set_me"), (Gatekeeper{"nobody_set_me", 0, {}, ""}));
  EXPECT_FALSE(service.is_on("nobody_set_me"));
  EXPECT_FALSE(service.is_in("nobody_set_me", 100));
}

TEST_F(GatekeeperServiceTest, SetMergesWithTheStoredValue) {
  auto service = make();
  auto g = service.set("feature", {30, std::nullopt, std::nullopt});
  EXPECT_EQ(g, (Gatekeeper{"feature", 30, {}, ""}));
  g = service.set("feature", {std::nullopt, std::vector<UserId>{9, 3, 9}, std::nullopt});
  EXPECT_EQ(g, (Gatekeeper{"feature", 30, {3, 9}, ""}));  // sorted, without repeats
  g = service.set("feature", {std::nullopt, std::nullopt, "  new search  "});
  EXPECT_EQ(g, (Gatekeeper{"feature", 30, {3, 9}, "new search"}));  // trimmed
  // Another process changed the percent meanwhile: a whitelist change keeps its percent.
  store.put({"feature", 55, {3, 9}, "new search"});
  g = service.set("feature", {std::nullopt, std::vector<UserId>{}, std::nullopt});
  EXPECT_EQ(g, (Gatekeeper{"feature", 55, {}, "new search"}));
  EXPECT_EQ(service.get("feature"), g);
}

TEST_F(GatekeeperServiceTest, SetValidates) {
  auto service = make();
  EXPECT_EQ(errors_of(service, "x", {-1, std::nullopt, std::nullopt}),
            (FieldErrors{{"percent", {"Ensure this value is greater than or equal to 0."}}}));
  EXPECT_EQ(errors_of(service, "x", {101, std::nullopt, std::nullopt}),
            (FieldErrors{{"percent", {"Ensure this value is less than or equal to 100."}}}));
  EXPECT_EQ(errors_of(service, "x", {std::nullopt, std::vector<UserId>{1, 0}, std::nullopt})
                .at(0)
                .first,
            "whitelist");
  EXPECT_EQ(errors_of(service, "x", {std::nullopt, std::vector<UserId>(1001, 5), std::nullopt})
                .at(0)
                .first,
            "whitelist");
  EXPECT_EQ(errors_of(service, "x", {std::nullopt, std::nullopt, std::string(1001, 'd')}),
            (FieldErrors{{"description", {"Ensure this field has no more than 1000 characters."}}}));
  // Code points, not bytes: 1000 two-byte characters fit.
  std::string wide;
  for (int i = 0; i < 1000; ++i) wide += "\xC3\xA9";
  EXPECT_TRUE(errors_of(service, "x", {std::nullopt, std::nullopt, wide}).empty());
  // Every bad field at once, the name first.
  auto all = errors_of(service, "Bad-Name", {200, std::vector<UserId>{-3}, std::nullopt});
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].first, "name");
  EXPECT_EQ(all[1].first, "percent");
  EXPECT_EQ(all[2].first, "whitelist");
  // Nothing invalid was stored.
  EXPECT_EQ(store.list().size(), 1u);  // only "x" with the wide description
}

TEST_F(GatekeeperServiceTest, ListIsSortedAndHasTheServerSwitches) {
  auto service = make();
  service.set("zeta", {5, std::nullopt, std::nullopt});
  service.set("alpha", {std::nullopt, std::nullopt, "first"});
  service.set(switches::kNewsfeedReadKv, {40, std::nullopt, std::nullopt});
  auto all = service.list();
  std::vector<std::string> names;
  for (const auto& g : all) names.push_back(g.name);
  EXPECT_EQ(names, (std::vector<std::string>{"alpha", "friendship_dual_write", "friendship_kv_only",
                                             "friendship_read_kv", "newsfeed_dual_write",
                                             "newsfeed_kv_only", "newsfeed_read_kv", "zeta"}));
  EXPECT_EQ(all[6].percent, 40);
  EXPECT_EQ(all[1].percent, 0);
}

TEST_F(GatekeeperServiceTest, ReadsTheStoreOncePerNamePerExpiry) {
  auto service = make();
  store.put({"feature", 100, {}, ""});
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(service.is_on("feature"));
  EXPECT_EQ(store.reads, 1);

  // Another process turns it off: seen once the entry expires, not before.
  store.put({"feature", 0, {}, ""});
  clock.now += 1999ms;
  EXPECT_TRUE(service.is_on("feature"));
  clock.now += 1ms;
  EXPECT_FALSE(service.is_on("feature"));
  EXPECT_EQ(store.reads, 2);
}

TEST_F(GatekeeperServiceTest, TheChangingProcessSeesItsChangeAtOnce) {
  auto service = make();
  EXPECT_FALSE(service.is_in("feature", 42));
  service.set("feature", {std::nullopt, std::vector<UserId>{42}, std::nullopt});
  EXPECT_TRUE(service.is_in("feature", 42));
  EXPECT_FALSE(service.is_in("feature", 43));
}

TEST_F(GatekeeperServiceTest, AStoreOutageKeepsTheLastValueAndNeverThrowsOnReads) {
  auto service = make();
  store.put({"feature", 100, {}, ""});
  EXPECT_TRUE(service.is_on("feature"));
  store.down = true;
  clock.now += 5s;
  EXPECT_TRUE(service.is_on("feature"));  // the last value read
  EXPECT_FALSE(service.is_on("never_read"));  // nothing known: off
  const int reads = store.reads;
  for (int i = 0; i < 100; ++i) service.is_on("feature");
  EXPECT_EQ(store.reads, reads);  // retried once per expiry, not per request
  clock.now += 2s;
  service.is_on("feature");
  EXPECT_EQ(store.reads, reads + 1);

  // Admin reads and writes do report the outage.
  EXPECT_THROW(service.get("feature"), Unavailable);
  EXPECT_THROW(service.list(), Unavailable);
  EXPECT_THROW(service.set("feature", {0, std::nullopt, std::nullopt}), Unavailable);
  EXPECT_TRUE(service.is_on("feature"));

  store.down = false;
  store.put({"feature", 0, {}, ""});
  clock.now += 2s;
  EXPECT_FALSE(service.is_on("feature"));
}

TEST_F(GatekeeperServiceTest, ConcurrentReadersAgree) {
  auto service = make();
  store.put({"feature", 50, {}, ""});
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (UserId user = 1; user <= 2000; ++user) {
        if (service.is_in("feature", user) != (user % 100 < 50)) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong, 0);
  EXPECT_EQ(store.reads, 1);
}

}  // namespace
}  // namespace chirp::domain
