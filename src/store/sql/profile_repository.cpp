#include "store/sql/profile_repository.hpp"

#include <soci/soci.h>

#include <string>

#include "store/sql/bound_list.hpp"

namespace chirp::store::sql {
namespace {

// Same text for SQLite and MySQL.
constexpr std::string_view kSelectProfile =
    "SELECT user_id, nickname, avatar FROM profiles WHERE user_id = :user_id";
constexpr std::string_view kSelectProfilesByUserIdIn =  // followed by "(:v0, ...)"
    "SELECT user_id, nickname, avatar FROM profiles WHERE user_id IN ";
constexpr std::string_view kUpdateProfile =
    "UPDATE profiles SET nickname = :nickname, avatar = :avatar WHERE user_id = :user_id";

// One row of the profiles table; nickname and avatar may be NULL.
struct ProfileRow {
  long long user_id = 0;
  std::string nickname;
  soci::indicator nickname_indicator = soci::i_null;
  std::string avatar;
  soci::indicator avatar_indicator = soci::i_null;

  void bind_into(soci::details::prepare_temp_type& query) {
    query, soci::into(user_id), soci::into(nickname, nickname_indicator),
        soci::into(avatar, avatar_indicator);
  }

  domain::Profile to_profile() const {
    domain::Profile profile;
    profile.user_id = user_id;
    if (nickname_indicator == soci::i_ok) profile.nickname = nickname;
    if (avatar_indicator == soci::i_ok) profile.avatar = avatar;
    return profile;
  }
};

}  // namespace

std::optional<domain::Profile> SqlProfileRepository::find(domain::UserId user_id) {
  return database_.run([&](soci::session& session) -> std::optional<domain::Profile> {
    long long key = user_id;
    ProfileRow row;
    soci::details::prepare_temp_type query = (session.prepare << kSelectProfile);
    row.bind_into(query);
    query, soci::use(key);
    soci::statement statement(query);
    if (!statement.execute(true)) return std::nullopt;
    return row.to_profile();
  });
}

std::vector<domain::Profile> SqlProfileRepository::find_many(
    const std::vector<domain::UserId>& user_ids) {
  if (user_ids.empty()) return {};
  return database_.run([&](soci::session& session) {
    std::vector<domain::Profile> profiles;
    for (std::vector<long long>& chunk : id_chunks(user_ids)) {
      ProfileRow row;
      soci::details::prepare_temp_type query =
          (session.prepare << with_placeholders(kSelectProfilesByUserIdIn, chunk.size()));
      row.bind_into(query);
      for (long long& id : chunk) query, soci::use(id);
      soci::statement statement(query);
      statement.execute();
      while (statement.fetch()) profiles.push_back(row.to_profile());
    }
    return profiles;
  });
}

void SqlProfileRepository::update(const domain::Profile& profile) {
  database_.run([&](soci::session& session) {
    const std::string nickname = profile.nickname.value_or(std::string());
    soci::indicator nickname_indicator = profile.nickname ? soci::i_ok : soci::i_null;
    const std::string avatar = profile.avatar.value_or(std::string());
    soci::indicator avatar_indicator = profile.avatar ? soci::i_ok : soci::i_null;
    const long long user_id = profile.user_id;
    session << kUpdateProfile, soci::use(nickname, nickname_indicator),
        soci::use(avatar, avatar_indicator), soci::use(user_id);
  });
}

}  // namespace chirp::store::sql
