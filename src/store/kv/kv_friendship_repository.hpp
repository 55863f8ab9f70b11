#pragma once
// Friendships in the wide-column store (DESIGN §6), for the gray release away from SQL: the
// repository the domain uses when friendship reads or writes go to the wide-column store, and the
// raw rows that dual writes, backfill and verify move between the stores. Three tables:
//   followings   from_user_id(reversed):created_at → to_user_id      (a user's followings list)
//   followers    to_user_id(reversed):created_at   → from_user_id    (a user's followers list)
//   follow_index to_user_id(reversed):from_user_id → created_at      (one get answers "does A
//                follow B"; one prefix scan lists followers by id)
// The index row is the friendship's identity: create claims it with check_and_put, remove deletes
// it with check_and_remove, so concurrent duplicates resolve to one winner without transactions.
#include "domain/migration_rows.hpp"
#include "domain/social_repositories.hpp"
#include "store/kv/model.hpp"

namespace chirp::store::kv {

class KvFriendshipRepository final : public domain::FriendshipRepository,
                                     public domain::FriendshipRows {
 public:
  // `counters` non-null: create/remove adjust them (friendships live only here). Null: the
  // repository mirrors SQL, which keeps the counts.
  KvFriendshipRepository(WideColumnStore& store, domain::FollowCounters* counters);

  static void create_tables(WideColumnStore& store);

  // domain::FriendshipRepository
  std::optional<domain::Friendship> create(domain::UserId from, domain::UserId to,
                                           Micros created_at) override;
  bool remove(domain::UserId from, domain::UserId to) override;
  bool exists(domain::UserId from, domain::UserId to) override;
  std::vector<domain::UserId> followed_among(
      domain::UserId from, const std::vector<domain::UserId>& candidates) override;
  std::vector<domain::UserId> followers_among(
      domain::UserId to, const std::vector<domain::UserId>& candidates) override;
  std::vector<domain::TimelineItem> followers(domain::UserId to,
                                              const domain::TimeRange& range) override;
  std::vector<domain::TimelineItem> followings(domain::UserId from,
                                               const domain::TimeRange& range) override;
  std::vector<domain::UserId> follower_ids_after(domain::UserId to, domain::UserId after_id,
                                                 std::size_t limit) override;

  // domain::FriendshipRows
  std::vector<domain::Friendship> followings_of(domain::UserId from) override;
  std::vector<domain::Friendship> followers_of(domain::UserId to) override;
  std::optional<domain::Friendship> find(domain::UserId from, domain::UserId to) override;
  void put(const domain::Friendship& friendship) override;
  void erase(domain::UserId from, domain::UserId to, std::optional<Micros> created_at) override;

  // Bulk load of an empty store (`chirp seed`): writes the rows of friendships known to be absent,
  // with unique (from, time) and (to, time) pairs, without the per-row checks of create and put.
  // Safe to call from several threads at once.
  void load(const std::vector<domain::Friendship>& absent);
  // True when the store holds no friendship at all.
  bool empty();

 private:
  // Places the two list rows at the first free time from `created_at` on; returns that time.
  Micros place_list_rows(domain::UserId from, domain::UserId to, Micros created_at);
  // Deletes the two list rows of from→to at `created_at` — only rows that name that pair.
  void remove_list_rows(domain::UserId from, domain::UserId to, Micros created_at);
  std::vector<domain::UserId> among(const std::vector<Record>& index_keys,
                                    std::string_view other_field);

  Model followings_;
  Model followers_;
  Model follow_index_;
  domain::FollowCounters* counters_;
};

}  // namespace chirp::store::kv
