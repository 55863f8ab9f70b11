#include "store/sql/gatekeeper_store.hpp"

#include <gtest/gtest.h>

#include "sql_test_support.hpp"

namespace chirp::store::sql::testing {
namespace {

using domain::Gatekeeper;

class GatekeeperStoreTest : public BackendTest {};
CHIRP_INSTANTIATE_BACKENDS(GatekeeperStoreTest);

TEST_P(GatekeeperStoreTest, SavesReadsAndReplacesByName) {
  SqlGatekeeperStore store(database());
  EXPECT_FALSE(store.get("friendship_read_kv"));
  EXPECT_TRUE(store.list().empty());

  const Gatekeeper first{"friendship_read_kv", 10, {3, 42, 9000000000LL}, "reads from the kv store"};
  store.save(first);
  EXPECT_EQ(store.get("friendship_read_kv"), first);

  const Gatekeeper changed{"friendship_read_kv", 100, {}, ""};
  store.save(changed);
  EXPECT_EQ(store.get("friendship_read_kv"), changed);
  EXPECT_EQ(store.list(), std::vector<Gatekeeper>{changed});
}

TEST_P(GatekeeperStoreTest, ListsEveryGatekeeper) {
  SqlGatekeeperStore store(database());
  const Gatekeeper b{"b_switch", 5, {1}, "b"};
  const Gatekeeper a{"a_switch", 0, {}, "a"};
  store.save(b);
  store.save(a);
  EXPECT_EQ(store.list(), (std::vector<Gatekeeper>{a, b}));
  EXPECT_FALSE(store.get("A_SWITCH"));  // names are exact (MySQL's binary collation too)
}

TEST_P(GatekeeperStoreTest, KeepsLongUnicodeDescriptionsAndFullWhitelists) {
  SqlGatekeeperStore store(database());
  std::string description;
  for (std::size_t i = 0; i < domain::kGatekeeperDescriptionMax; ++i) description += "\xE2\x9C\x93";
  std::vector<domain::UserId> whitelist;
  for (std::size_t i = 0; i < domain::kGatekeeperWhitelistMax; ++i) {
    whitelist.push_back(1'000'000'000'000LL + static_cast<domain::UserId>(i));
  }
  const Gatekeeper big{std::string(domain::kGatekeeperNameMax, 'g'), 77, whitelist, description};
  store.save(big);
  EXPECT_EQ(store.get(big.name), big);
}

}  // namespace
}  // namespace chirp::store::sql::testing
