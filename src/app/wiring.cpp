#include "app/wiring.hpp"

#include <filesystem>

#include "store/cache/local_rate_limit_store.hpp"
#include "store/media/local_media_store.hpp"
#include "store/sql/database.hpp"
#include "store/sql/profile_repository.hpp"
#include "store/sql/session_repository.hpp"
#include "store/sql/token_repository.hpp"
#include "store/sql/user_repository.hpp"

namespace chirp::app {

struct Wiring::Parts {
  explicit Parts(const Config& config)
      : database(store::sql::DatabaseOptions{config.effective_database_url(),
                                             static_cast<std::size_t>(config.db_pool_size)}),
        users(database),
        profiles(database),
        sessions(database),
        tokens(database),
        media(config.media_root()),
        hasher(config.password_cost),
        accounts(users, sessions, tokens, hasher, {}),
        directory(users, profiles),
        profile_service(directory, profiles, media, counts),
        rate_limiter(rate_limit_store, config.rate_limits),
        services{accounts, directory, profile_service, media, rate_limiter,
                 [this] { return failing_dependencies(); }, {}} {}

  std::vector<std::string> failing_dependencies() {
    std::vector<std::string> failing;
    if (!database.ping()) failing.emplace_back("database");
    return failing;
  }

  store::sql::Database database;
  store::sql::SqlUserRepository users;
  store::sql::SqlProfileRepository profiles;
  store::sql::SqlSessionRepository sessions;
  store::sql::SqlTokenRepository tokens;
  store::media::LocalMediaStore media;
  store::cache::LocalRateLimitStore rate_limit_store;
  domain::PasswordHasher hasher;
  domain::AccountService accounts;
  domain::UserDirectory directory;
  domain::ProfileCounts counts;  // zeros until friendships and tweets exist
  domain::ProfileService profile_service;
  domain::RateLimiter rate_limiter;
  api::Services services;
};

Wiring::Wiring(const Config& config, bool migrate) {
  std::filesystem::create_directories(config.data_dir);
  parts_ = std::make_unique<Parts>(config);
  if (migrate) parts_->database.migrate();
}

Wiring::~Wiring() = default;

api::Services& Wiring::services() { return parts_->services; }
domain::AccountService& Wiring::accounts() { return parts_->accounts; }
domain::UserRepository& Wiring::user_repository() { return parts_->users; }
const domain::PasswordHasher& Wiring::password_hasher() { return parts_->hasher; }
int Wiring::schema_version() { return parts_->database.schema_version(); }

}  // namespace chirp::app
