#include "store/kv/kv_friendship_repository.hpp"

#include <unordered_set>

#include "common/errors.hpp"
#include "store/kv/record_fields.hpp"
#include "store/kv/time_range_filter.hpp"

namespace chirp::store::kv {
namespace {

constexpr std::string_view kFromUser = "from_user_id";
constexpr std::string_view kToUser = "to_user_id";
constexpr std::string_view kCreatedAt = "created_at";

// How far past its requested time a follow may move before create gives up (as in SQL).
constexpr int kMaxTimeShifts = 10'000;

const Field kFromUserReversed{std::string(kFromUser), FieldType::Integer, true};
const Field kToUserReversed{std::string(kToUser), FieldType::Integer, true};
const Field kFromUserField{std::string(kFromUser), FieldType::Integer};
const Field kToUserField{std::string(kToUser), FieldType::Integer};
const Field kCreatedAtField{std::string(kCreatedAt), FieldType::Timestamp};

ModelSpec followings_spec() {
  return {"followings", {kFromUserReversed, kCreatedAtField}, {kToUserField}};
}
ModelSpec followers_spec() {
  return {"followers", {kToUserReversed, kCreatedAtField}, {kFromUserField}};
}
ModelSpec follow_index_spec() {
  return {"follow_index", {kToUserReversed, kFromUserField}, {kCreatedAtField}};
}

Record index_key(domain::UserId from, domain::UserId to) {
  return {{std::string(kToUser), to}, {std::string(kFromUser), from}};
}
Record index_row(domain::UserId from, domain::UserId to, Micros created_at) {
  return {{std::string(kToUser), to},
          {std::string(kFromUser), from},
          {std::string(kCreatedAt), created_at}};
}
Record followings_row(domain::UserId from, domain::UserId to, Micros created_at) {
  return index_row(from, to, created_at);  // same three fields, other key
}
Record followers_row(domain::UserId from, domain::UserId to, Micros created_at) {
  return index_row(from, to, created_at);
}

std::vector<domain::UserId> distinct(const std::vector<domain::UserId>& ids) {
  std::unordered_set<domain::UserId> seen;
  std::vector<domain::UserId> unique;
  for (const domain::UserId id : ids) {
    if (seen.insert(id).second) unique.push_back(id);
  }
  return unique;
}

domain::Friendship friendship_of(const Record& record) {
  return {integer_field(record, kFromUser), integer_field(record, kToUser),
          integer_field(record, kCreatedAt)};
}

std::vector<domain::TimelineItem> timeline_of(const std::vector<Record>& records,
                                              std::string_view id_field) {
  std::vector<domain::TimelineItem> items;
  items.reserve(records.size());
  for (const Record& record : records) {
    items.push_back({integer_field(record, id_field), integer_field(record, kCreatedAt)});
  }
  return items;
}

}  // namespace

KvFriendshipRepository::KvFriendshipRepository(WideColumnStore& store,
                                               domain::FollowCounters* counters)
    : followings_(store, followings_spec()),
      followers_(store, followers_spec()),
      follow_index_(store, follow_index_spec()),
      counters_(counters) {}

void KvFriendshipRepository::create_tables(WideColumnStore& store) {
  for (const ModelSpec& spec : {followings_spec(), followers_spec(), follow_index_spec()}) {
    store.create_table(spec.table);
  }
}

std::optional<domain::Friendship> KvFriendshipRepository::create(domain::UserId from,
                                                                 domain::UserId to,
                                                                 Micros created_at) {
  // Claiming the index row makes the follow exist exactly once, however many callers race.
  if (!follow_index_.create_if_absent(index_row(from, to, created_at), kCreatedAt)) {
    return std::nullopt;
  }
  Micros placed_at = created_at;
  try {
    placed_at = place_list_rows(from, to, created_at);
  } catch (...) {
    follow_index_.remove_if(index_key(from, to), kCreatedAt, created_at);
    throw;
  }
  // Publishes the final time. It fails only when a concurrent remove() took the index row
  // meanwhile (it read the requested time, so it could not find our list rows): that unfollow
  // comes after this follow, and it has counted, so undo the rows and count as a follow that
  // happened.
  if (!follow_index_.update_if(index_row(from, to, placed_at), kCreatedAt, created_at)) {
    remove_list_rows(from, to, placed_at);
  }
  if (counters_ != nullptr) counters_->add_follow(from, to, 1);
  return domain::Friendship{from, to, placed_at};
}

Micros KvFriendshipRepository::place_list_rows(domain::UserId from, domain::UserId to,
                                               Micros created_at) {
  Micros at = created_at;
  for (int shift = 0; shift <= kMaxTimeShifts; ++shift, ++at) {
    if (!followings_.create_if_absent(followings_row(from, to, at), kToUser)) continue;
    if (followers_.create_if_absent(followers_row(from, to, at), kFromUser)) return at;
    // `to` already has a follower at this time: give the followings slot back and move on.
    followings_.remove_if(followings_row(from, to, at), kToUser, to);
  }
  throw DuplicateKey(std::string(kCreatedAt));
}

void KvFriendshipRepository::remove_list_rows(domain::UserId from, domain::UserId to,
                                              Micros created_at) {
  followings_.remove_if(followings_row(from, to, created_at), kToUser, to);
  followers_.remove_if(followers_row(from, to, created_at), kFromUser, from);
}

bool KvFriendshipRepository::remove(domain::UserId from, domain::UserId to) {
  while (true) {
    const std::optional<Record> indexed = follow_index_.get(index_key(from, to));
    if (!indexed) return false;
    const Micros created_at = integer_field(*indexed, kCreatedAt);
    // Conditional on the time read: of two concurrent unfollows only one deletes (and counts).
    // A failure with the row still present means a create published its final time: read again.
    if (!follow_index_.remove_if(index_key(from, to), kCreatedAt, created_at)) continue;
    remove_list_rows(from, to, created_at);
    if (counters_ != nullptr) counters_->add_follow(from, to, -1);
    return true;
  }
}

bool KvFriendshipRepository::exists(domain::UserId from, domain::UserId to) {
  return follow_index_.get(index_key(from, to)).has_value();
}

std::vector<domain::UserId> KvFriendshipRepository::among(const std::vector<Record>& index_keys,
                                                          std::string_view other_field) {
  std::vector<domain::UserId> found;
  for (const std::optional<Record>& record : follow_index_.get_many(index_keys)) {
    if (record) found.push_back(integer_field(*record, other_field));
  }
  return found;
}

std::vector<domain::UserId> KvFriendshipRepository::followed_among(
    domain::UserId from, const std::vector<domain::UserId>& candidates) {
  std::vector<Record> keys;
  for (const domain::UserId to : distinct(candidates)) keys.push_back(index_key(from, to));
  return among(keys, kToUser);
}

std::vector<domain::UserId> KvFriendshipRepository::followers_among(
    domain::UserId to, const std::vector<domain::UserId>& candidates) {
  std::vector<Record> keys;
  for (const domain::UserId from : distinct(candidates)) keys.push_back(index_key(from, to));
  return among(keys, kFromUser);
}

std::vector<domain::TimelineItem> KvFriendshipRepository::followers(
    domain::UserId to, const domain::TimeRange& range) {
  const std::optional<FilterArgs> filter =
      newest_first_filter(followers_.spec(), {{std::string(kToUser), to}}, range);
  if (!filter) return {};
  return timeline_of(followers_.filter(*filter), kFromUser);
}

std::vector<domain::TimelineItem> KvFriendshipRepository::followings(
    domain::UserId from, const domain::TimeRange& range) {
  const std::optional<FilterArgs> filter =
      newest_first_filter(followings_.spec(), {{std::string(kFromUser), from}}, range);
  if (!filter) return {};
  return timeline_of(followings_.filter(*filter), kToUser);
}

std::vector<domain::UserId> KvFriendshipRepository::follower_ids_after(domain::UserId to,
                                                                       domain::UserId after_id,
                                                                       std::size_t limit) {
  if (limit == 0 || after_id >= kMaxEncodedInteger) return {};
  FilterArgs args{.prefix = {{std::string(kToUser), to}}, .limit = limit};
  // Ascending from_user_id: it is the second key part, zero-padded and not reversed.
  if (after_id >= 0) args.start = index_key(after_id + 1, to);
  std::vector<domain::UserId> ids;
  for (const Record& record : follow_index_.filter(args)) {
    ids.push_back(integer_field(record, kFromUser));
  }
  return ids;
}

std::vector<domain::Friendship> KvFriendshipRepository::followings_of(domain::UserId from) {
  std::vector<domain::Friendship> friendships;
  for (const Record& record : followings_.filter({.prefix = {{std::string(kFromUser), from}}})) {
    friendships.push_back(friendship_of(record));
  }
  return friendships;
}

std::vector<domain::Friendship> KvFriendshipRepository::followers_of(domain::UserId to) {
  std::vector<domain::Friendship> friendships;
  for (const Record& record : followers_.filter({.prefix = {{std::string(kToUser), to}}})) {
    friendships.push_back(friendship_of(record));
  }
  return friendships;
}

std::optional<domain::Friendship> KvFriendshipRepository::find(domain::UserId from,
                                                               domain::UserId to) {
  const std::optional<Record> indexed = follow_index_.get(index_key(from, to));
  if (!indexed) return std::nullopt;
  return friendship_of(*indexed);
}

void KvFriendshipRepository::put(const domain::Friendship& friendship) {
  const auto [from, to, created_at] = friendship;
  const std::optional<domain::Friendship> previous = find(from, to);
  if (previous && previous->created_at != created_at) {
    remove_list_rows(from, to, previous->created_at);
  }
  // The index last: while it is missing, a re-run of put finds nothing to clean up.
  followings_.create(followings_row(from, to, created_at));
  followers_.create(followers_row(from, to, created_at));
  follow_index_.create(index_row(from, to, created_at));
}

void KvFriendshipRepository::erase(domain::UserId from, domain::UserId to,
                                   std::optional<Micros> created_at) {
  const std::optional<domain::Friendship> indexed = find(from, to);
  if (!created_at) {
    if (!indexed) return;
    created_at = indexed->created_at;
  }
  if (indexed && indexed->created_at == *created_at) {
    follow_index_.remove_if(index_key(from, to), kCreatedAt, *created_at);
  }
  remove_list_rows(from, to, *created_at);
}

void KvFriendshipRepository::load(const std::vector<domain::Friendship>& absent) {
  std::vector<Record> rows;
  rows.reserve(absent.size());
  for (const auto& [from, to, created_at] : absent) rows.push_back(index_row(from, to, created_at));
  // The three tables share the row's fields; each spec picks its own key from them.
  followings_.bulk_load(rows);
  followers_.bulk_load(rows);
  follow_index_.bulk_load(rows);
}

bool KvFriendshipRepository::empty() {
  FilterArgs first;
  first.limit = 1;
  return follow_index_.filter(first).empty();
}

}  // namespace chirp::store::kv
