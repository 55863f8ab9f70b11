#include "app/seed.hpp"

#include <chrono>
#include <iomanip>
#include <sstream>

#include "app/wiring.hpp"
#include "common/time.hpp"
#include "store/sql/seed_writer.hpp"

namespace chirp::app {

domain::SeedOptions seed_options(const Config& config) {
  domain::SeedOptions options;
  options.users = config.seed_users;
  options.follows = config.seed_follows;
  options.tweets = config.seed_tweets;
  options.likes = config.seed_likes;
  options.comments = config.seed_comments;
  options.feed_size = static_cast<std::size_t>(config.seed_feed_size);
  options.seed = config.seed;
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

  out << at() << "generating " << options.users << " users, " << options.follows << " follows, "
      << options.tweets << " tweets (seed " << options.seed << ")" << std::endl;
  const domain::SeedData data = domain::generate_seed_data(options);
  // One hash for every user: an argon2 string carries its own salt, so it verifies for each.
  const std::string password_hash = wiring.password_hasher().hash(config.seed_password);
  out << at() << "generated " << data.feeds.size() << " news feed rows (newest "
      << options.feed_size << " per user); writing" << std::endl;

  const bool written =
      writer.write(data, password_hash, [&](std::string_view table, std::int64_t rows) {
        out << at() << "wrote " << rows << " " << table << std::endl;
      });
  if (!written) throw UsageError(kNotFresh);
  out << "seeded " << data.users.size() << " users, " << data.follows.size() << " follows, "
      << data.tweets.size() << " tweets, " << data.feeds.size() << " news feed rows, "
      << data.likes.size() << " likes, " << data.comments.size() << " comments in " << std::fixed
      << std::setprecision(1) << elapsed() << "s; every user's password is the --password value"
      << std::endl;
  return 0;
}

}  // namespace chirp::app
