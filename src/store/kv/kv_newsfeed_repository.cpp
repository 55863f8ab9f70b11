#include "store/kv/kv_newsfeed_repository.hpp"

#include <set>
#include <utility>

#include "store/kv/record_fields.hpp"
#include "store/kv/time_range_filter.hpp"

namespace chirp::store::kv {
namespace {

constexpr std::string_view kUser = "user_id";
constexpr std::string_view kTweet = "tweet_id";
constexpr std::string_view kAuthor = "author_id";
constexpr std::string_view kCreatedAt = "created_at";

// Rows read per scan when a whole feed or a tweet's feeds are walked.
constexpr std::size_t kScanPage = 1000;

ModelSpec feeds_spec() {
  return {"newsfeeds",
          {{std::string(kUser), FieldType::Integer, true},
           {std::string(kCreatedAt), FieldType::Timestamp},
           {std::string(kTweet), FieldType::Integer}},
          {{std::string(kTweet), FieldType::Integer}, {std::string(kAuthor), FieldType::Integer}}};
}

ModelSpec feed_tweets_spec() {
  return {
      "newsfeed_tweets",
      {{std::string(kTweet), FieldType::Integer, true}, {std::string(kUser), FieldType::Integer}},
      {{std::string(kCreatedAt), FieldType::Timestamp},
       {std::string(kAuthor), FieldType::Integer}}};
}

// The same four fields serve as a row of both tables (each model picks its key and columns).
Record entry_record(const domain::FeedEntry& entry) {
  return {{std::string(kUser), entry.user_id},
          {std::string(kTweet), entry.tweet_id},
          {std::string(kAuthor), entry.author_id},
          {std::string(kCreatedAt), entry.created_at}};
}

domain::FeedEntry entry_of(const Record& record) {
  return {integer_field(record, kUser), integer_field(record, kTweet),
          integer_field(record, kAuthor), integer_field(record, kCreatedAt)};
}

Record index_key(domain::UserId user, domain::TweetId tweet) {
  return {{std::string(kTweet), tweet}, {std::string(kUser), user}};
}

}  // namespace

KvNewsfeedRepository::KvNewsfeedRepository(WideColumnStore& store)
    : feeds_(store, feeds_spec()), feed_tweets_(store, feed_tweets_spec()) {}

void KvNewsfeedRepository::create_tables(WideColumnStore& store) {
  store.create_table(feeds_spec().table);
  store.create_table(feed_tweets_spec().table);
}

void KvNewsfeedRepository::add(const std::vector<domain::FeedEntry>& entries) {
  // (user, tweet) is the entry's identity: skip pairs already stored or repeated in the batch,
  // so an entry keeps its first author and time, as SQL's unique key does.
  std::set<std::pair<domain::UserId, domain::TweetId>> seen;
  std::vector<domain::FeedEntry> candidates;
  std::vector<Record> keys;
  for (const domain::FeedEntry& entry : entries) {
    if (!seen.emplace(entry.user_id, entry.tweet_id).second) continue;
    candidates.push_back(entry);
    keys.push_back(index_key(entry.user_id, entry.tweet_id));
  }
  if (candidates.empty()) return;
  const std::vector<std::optional<Record>> stored = feed_tweets_.get_many(keys);
  std::vector<Record> records;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (!stored[i]) records.push_back(entry_record(candidates[i]));
  }
  if (records.empty()) return;
  // The feed first: an index row never points at a missing feed row for long.
  feeds_.batch_create(records);
  feed_tweets_.batch_create(records);
}

std::vector<domain::TimelineItem> KvNewsfeedRepository::list(domain::UserId user,
                                                             const domain::TimeRange& range) {
  const std::optional<FilterArgs> filter =
      newest_first_filter(feeds_.spec(), {{std::string(kUser), user}}, range);
  if (!filter) return {};
  // Reverse key order is created_at descending, then tweet id descending.
  std::vector<domain::TimelineItem> items;
  for (const Record& record : feeds_.filter(*filter)) {
    items.push_back({integer_field(record, kTweet), integer_field(record, kCreatedAt)});
  }
  return items;
}

void KvNewsfeedRepository::remove_entries(const std::vector<domain::FeedEntry>& entries) {
  if (entries.empty()) return;
  std::vector<Record> records;
  records.reserve(entries.size());
  for (const domain::FeedEntry& entry : entries) records.push_back(entry_record(entry));
  feeds_.remove_many(records);
  feed_tweets_.remove_many(records);
}

void KvNewsfeedRepository::remove_tweet(domain::TweetId tweet) {
  // Each page is deleted before the next scan, so the scan always starts at the front.
  while (true) {
    const std::vector<Record> page =
        feed_tweets_.filter({.prefix = {{std::string(kTweet), tweet}}, .limit = kScanPage});
    std::vector<domain::FeedEntry> entries;
    for (const Record& record : page) entries.push_back(entry_of(record));
    remove_entries(entries);
    if (page.size() < kScanPage) return;
  }
}

void KvNewsfeedRepository::remove_author(domain::UserId user, domain::UserId author) {
  FilterArgs args{.prefix = {{std::string(kUser), user}}, .limit = kScanPage};
  while (true) {
    std::vector<Record> page = feeds_.filter(args);
    std::vector<domain::FeedEntry> entries;
    for (const Record& record : page) {
      if (integer_field(record, kAuthor) == author) entries.push_back(entry_of(record));
    }
    remove_entries(entries);
    if (page.size() < kScanPage) return;
    // Start inclusive: continue just after the page's last key.
    args.start = std::move(page.back());
    args.start.insert_or_assign(std::string(kTweet), integer_field(args.start, kTweet) + 1);
  }
}

std::vector<domain::FeedEntry> KvNewsfeedRepository::entries_of(domain::UserId user) {
  std::vector<domain::FeedEntry> entries;
  for (const Record& record : feeds_.filter({.prefix = {{std::string(kUser), user}}})) {
    entries.push_back(entry_of(record));
  }
  return entries;
}

std::optional<domain::FeedEntry> KvNewsfeedRepository::find(domain::UserId user,
                                                            domain::TweetId tweet) {
  const std::optional<Record> indexed = feed_tweets_.get(index_key(user, tweet));
  if (!indexed) return std::nullopt;
  return entry_of(*indexed);
}

void KvNewsfeedRepository::put(const std::vector<domain::FeedEntry>& entries) {
  add(entries);
}

void KvNewsfeedRepository::load(const std::vector<domain::FeedEntry>& absent) {
  std::vector<Record> records;
  records.reserve(absent.size());
  for (const domain::FeedEntry& entry : absent) records.push_back(entry_record(entry));
  feeds_.bulk_load(records);
  feed_tweets_.bulk_load(records);
}

bool KvNewsfeedRepository::empty() {
  FilterArgs first;
  first.limit = 1;
  return feeds_.filter(first).empty();
}

void KvNewsfeedRepository::erase(domain::UserId user, domain::TweetId tweet) {
  const std::optional<domain::FeedEntry> entry = find(user, tweet);
  if (entry) remove_entries({*entry});
}

}  // namespace chirp::store::kv
