#pragma once
#include <soci/session.h>

#include "domain/social_repositories.hpp"
#include "store/sql/database.hpp"

namespace chirp::store::sql {

class SqlUserStatsRepository final : public domain::UserStatsRepository {
 public:
  explicit SqlUserStatsRepository(Database& database) : database_(database) {}

  domain::UserStats get(domain::UserId user) override;
  void set_pull_mode(domain::UserId user) override;
  std::vector<domain::UserId> pull_mode_users() override;

 private:
  Database& database_;
};

enum class UserCounter { Followers, Followings, Tweets };

// Adds `delta` to one of `user`'s counters, creating their row (at zero, or at `delta` when it is
// positive) if needed. Runs on the caller's session: call it inside the transaction that inserts or
// deletes the rows being counted, so the count always matches them.
// `exact`: a negative delta on a missing row creates it at that delta. Counts changed outside the
// transaction of the rows they count (friendships in the wide-column store) may see an unfollow's
// -1 before its follow's +1; starting at 0 would then lose the -1 for good.
void add_to_user_counter(soci::session& session, Dialect dialect, domain::UserId user,
                         UserCounter counter, long long delta, bool exact = false);

// Adds `delta` to from's followings_count and to's followers_count on the caller's session (inside
// the transaction that changes the friendship), locking the rows in ascending user order.
void add_to_follow_counters(soci::session& session, Dialect dialect, domain::UserId from,
                            domain::UserId to, long long delta, bool exact = false);

}  // namespace chirp::store::sql
