#include "app/seed.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <iomanip>
#include <mutex>
#include <sstream>
#include <thread>

#include "app/wiring.hpp"
#include "common/time.hpp"
#include "domain/storage_migration.hpp"
#include "store/kv/kv_friendship_repository.hpp"
#include "store/kv/kv_newsfeed_repository.hpp"
#include "store/sql/seed_writer.hpp"

namespace chirp::app {
namespace {

// Rows per wide-column write: one round trip each, small enough for an HBase Thrift call.
constexpr std::size_t kKvChunk = 5000;
// Chunks written at once: while HBase's region server applies one, its Thrift gateway decodes
// the next and chirp encodes a third (one at a time, each of the three waited for the others).
constexpr int kKvWriters = 2;

// Where a migrating table's rows live under the current switches (domain/storage_migration.hpp):
// SQL unless the wide-column store is primary; the wide-column store when primary or mirrored.
struct Placement {
  bool sql = true;
  bool kv = false;
};

Placement placement_of(domain::Switches& switches, domain::MigrationSwitches names) {
  const bool kv_only = switches.is_on(names.kv_only);
  return {!kv_only, kv_only || switches.is_on(names.dual_write)};
}

// Writes `rows` through `load` in chunks of kKvChunk, kKvWriters chunks at a time, in no particular
// order (a seed's rows are distinct). The first failure stops the writers; it is thrown once they
// all ended.
template <class Row, class Load>
void load_in_chunks(const std::vector<Row>& rows, const Load& load) {
  const std::size_t chunks = (rows.size() + kKvChunk - 1) / kKvChunk;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex failure_mutex;
  std::exception_ptr failure;
  auto writer = [&] {
    std::vector<Row> chunk;
    for (std::size_t i = next++; i < chunks && !failed; i = next++) {
      const auto first = rows.begin() + static_cast<std::ptrdiff_t>(i * kKvChunk);
      chunk.assign(first, first + static_cast<std::ptrdiff_t>(
                                      std::min(kKvChunk, rows.size() - i * kKvChunk)));
      try {
        load(chunk);
      } catch (...) {
        const std::lock_guard lock(failure_mutex);
        if (!failure) failure = std::current_exception();
        failed = true;
      }
    }
  };
  {
    std::vector<std::jthread> helpers;
    for (int i = 1; i < kKvWriters; ++i) helpers.emplace_back(writer);
    writer();
  }
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

domain::SeedOptions seed_options(const Config& config) {
  domain::SeedOptions options;
  options.users = config.seed_users;
  options.follows = config.seed_follows;
  options.tweets = config.seed_tweets;
  options.likes = config.seed_likes;
  options.comments = config.seed_comments;
  options.feed_size = static_cast<std::size_t>(config.seed_feed_size);
  options.seed = config.seed;
  options.star_followers = config.seed_star_followers;
  options.celebrity_threshold = config.celebrity_threshold;
  options.now = now_micros();
  return options;
}

int seed_command(const Config& config, std::ostream& out) {
  const auto started = std::chrono::steady_clock::now();
  auto elapsed = [&started] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  auto at = [&elapsed] {
    std::ostringstream text;
    text << "[" << std::fixed << std::setprecision(1) << elapsed() << "s] ";
    return text.str();
  };
  const domain::SeedOptions options = seed_options(config);
  if (auto error = domain::seed_options_error(options); !error.empty()) throw UsageError(error);

  Wiring wiring(config, /*migrate=*/true);
  store::sql::SeedWriter writer(wiring.database());
  constexpr const char* kNotFresh =
      "the database already has users; seed a fresh database (a new --data-dir or --database-url)";
  if (writer.has_users()) throw UsageError(kNotFresh);
  const Placement friendships = placement_of(wiring.gatekeepers(), domain::kFriendshipSwitches);
  const Placement newsfeeds = placement_of(wiring.gatekeepers(), domain::kNewsfeedSwitches);
  store::kv::KvFriendshipRepository kv_friendships(wiring.maintenance().kv, nullptr);
  store::kv::KvNewsfeedRepository kv_newsfeeds(wiring.maintenance().kv);
  if ((friendships.kv && !kv_friendships.empty()) || (newsfeeds.kv && !kv_newsfeeds.empty())) {
    throw UsageError(
        "the wide-column store already has friendships or news feeds; seed a fresh one (a new "
        "--data-dir, or an HBase namespace in --kv-url)");
  }

  out << at() << "generating " << options.users << " users, " << options.follows << " follows, "
      << options.tweets << " tweets (seed " << options.seed << ")" << std::endl;
  const domain::SeedData data = domain::generate_seed_data(options);
  // One hash for every user: an argon2 string carries its own salt, so it verifies for each.
  const std::string password_hash = wiring.password_hasher().hash(config.seed_password);
  out << at() << "generated " << data.feeds.size() << " news feed rows (newest "
      << options.feed_size << " per user); writing" << std::endl;

  auto report = [&](std::string_view table, std::int64_t rows) {
    out << at() << "wrote " << rows << " " << table << std::endl;
  };
  const bool written = writer.write(data, password_hash,
                                    store::sql::SeedTables{friendships.sql, newsfeeds.sql}, report);
  if (!written) throw UsageError(kNotFresh);
  if (friendships.kv) {
    std::vector<domain::Friendship> follows;
    follows.reserve(data.follows.size());
    for (const auto& f : data.follows) follows.push_back({f.from, f.to, f.created_at});
    load_in_chunks(follows, [&](const auto& chunk) { kv_friendships.load(chunk); });
    report("friendships into the wide-column store", static_cast<std::int64_t>(follows.size()));
  }
  if (newsfeeds.kv) {
    load_in_chunks(data.feeds, [&](const auto& chunk) { kv_newsfeeds.load(chunk); });
    report("news feed rows into the wide-column store",
           static_cast<std::int64_t>(data.feeds.size()));
  }
  out << "seeded " << data.users.size() << " users, " << data.follows.size() << " follows, "
      << data.tweets.size() << " tweets, " << data.feeds.size() << " news feed rows, "
      << data.likes.size() << " likes, " << data.comments.size() << " comments in " << std::fixed
      << std::setprecision(1) << elapsed() << "s; every user's password is the --password value"
      << std::endl;
  return 0;
}

}  // namespace chirp::app
