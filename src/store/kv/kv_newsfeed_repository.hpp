#pragma once
// News feeds in the wide-column store (DESIGN §6), for the gray release away from SQL: the
// repository the domain uses when feed reads or writes go to the wide-column store, and the raw
// rows that dual writes, backfill and verify move between the stores. Two tables:
//   newsfeeds        user_id(reversed):created_at:tweet_id → tweet_id, author_id   (the feed)
//   newsfeed_tweets  tweet_id(reversed):user_id            → created_at, author_id (which feeds
//                    hold a tweet: deleting a tweet is one prefix scan, find is one get)
#include "domain/migration_rows.hpp"
#include "domain/social_repositories.hpp"
#include "store/kv/model.hpp"

namespace chirp::store::kv {

class KvNewsfeedRepository final : public domain::NewsfeedRepository, public domain::NewsfeedRows {
 public:
  explicit KvNewsfeedRepository(WideColumnStore& store);

  static void create_tables(WideColumnStore& store);

  // domain::NewsfeedRepository
  void add(const std::vector<domain::FeedEntry>& entries) override;
  std::vector<domain::TimelineItem> list(domain::UserId user,
                                         const domain::TimeRange& range) override;
  void remove_tweet(domain::TweetId tweet) override;
  void remove_author(domain::UserId user, domain::UserId author) override;

  // domain::NewsfeedRows
  std::vector<domain::FeedEntry> entries_of(domain::UserId user) override;
  std::optional<domain::FeedEntry> find(domain::UserId user, domain::TweetId tweet) override;
  void put(const std::vector<domain::FeedEntry>& entries) override;
  void erase(domain::UserId user, domain::TweetId tweet) override;

  // Bulk load of an empty store (`chirp seed`): writes entries known to be absent, without the
  // read that add() makes to keep existing entries. Safe to call from several threads at once.
  void load(const std::vector<domain::FeedEntry>& absent);
  // True when no feed holds an entry.
  bool empty();

 private:
  // Deletes the feed rows first, then their index rows, so an interrupted call can be re-run.
  void remove_entries(const std::vector<domain::FeedEntry>& entries);

  Model feeds_;
  Model feed_tweets_;
};

}  // namespace chirp::store::kv
