#include "app/wiring.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "domain/fanout.hpp"
#include "store/cache/local_object_cache.hpp"
#include "store/cache/local_rate_limit_store.hpp"
#include "store/cache/local_timeline_cache.hpp"
#include "store/media/local_media_store.hpp"
#include "store/queue/local_job_runner.hpp"
#include "store/queue/outbox_job_queue.hpp"
#include "store/sql/comment_repository.hpp"
#include "store/sql/database.hpp"
#include "store/sql/friendship_repository.hpp"
#include "store/sql/like_repository.hpp"
#include "store/sql/newsfeed_repository.hpp"
#include "store/sql/notification_repository.hpp"
#include "store/sql/outbox_repository.hpp"
#include "store/sql/profile_repository.hpp"
#include "store/sql/session_repository.hpp"
#include "store/sql/token_repository.hpp"
#include "store/sql/tweet_repository.hpp"
#include "store/sql/user_repository.hpp"
#include "store/sql/user_stats_repository.hpp"

namespace chirp::app {
namespace {

// Bounds the in-process timelines at about capacity * lists * 16 bytes (~160 MB worst case).
constexpr std::size_t kTimelineLists = 10000;
constexpr std::size_t kObjectCacheBytes = 64 << 20;

int background_workers(const Config& config) {
  if (config.workers >= 0) return config.workers;
  return config.amqp_url.empty() ? 2 : 0;
}

}  // namespace

// Members are declared in dependency order: construction wires them, destruction (reverse order)
// stops the job runner before anything its jobs use goes away.
struct Wiring::Parts {
  explicit Parts(const Config& config)
      : database(store::sql::DatabaseOptions{config.effective_database_url(),
                                             static_cast<std::size_t>(config.db_pool_size)}),
        users(database),
        profiles(database),
        sessions(database),
        tokens(database),
        tweets(database),
        friendships(database),
        newsfeeds(database),
        stats(database),
        outbox(database),
        comments(database),
        likes(database),
        notifications(database),
        media(config.media_root()),
        objects(kObjectCacheBytes),
        timelines(1000, kTimelineLists),
        job_queue(outbox, [this] { wake_runner(); }),
        hasher(config.password_cost),
        accounts(users, sessions, tokens, hasher, {}),
        directory(users, profiles, objects),
        loader(tweets, objects, directory, likes),
        profile_service(directory, profiles, media, stats, friendships),
        tweet_service({tweets, newsfeeds, timelines, loader, media, job_queue,
                       [this] { wake_runner(); }}),
        notification_service(notifications, tweets, comments, directory),
        friendship_service(friendships, directory, job_queue, notification_service),
        newsfeed_service(newsfeeds, tweets, friendships, stats, timelines, loader),
        comment_service(comments, likes, directory, loader),
        like_service(likes, comments, directory, loader),
        fanout({tweets, friendships, newsfeeds, stats, timelines, job_queue},
               {config.celebrity_threshold, static_cast<std::size_t>(config.fanout_batch_size), 20}),
        rate_limiter(rate_limit_store, config.rate_limits),
        metrics(api::route_patterns(api::all_routes())),
        services{accounts,
                 directory,
                 profile_service,
                 tweet_service,
                 friendship_service,
                 newsfeed_service,
                 comment_service,
                 like_service,
                 notification_service,
                 media,
                 rate_limiter,
                 metrics,
                 [this] { return gauges(); },
                 [this] { return failing_dependencies(); },
                 {}},
        workers(background_workers(config)) {}

  ~Parts() {
    if (runner) runner->stop();
  }

  void start_workers() {
    if (workers <= 0 || runner) return;
    store::queue::JobRunnerOptions options;
    options.workers = workers;
    runner = std::make_unique<store::queue::LocalJobRunner>(
        outbox, [this](const domain::Job& job) { run_job(job); }, options);
    runner->start();
  }

  void run_job(const domain::Job& job) {
    try {
      fanout.run(job);
    } catch (const domain::MalformedJob& e) {
      spdlog::error("dropping job {}: {}", job.kind, e.what());
    }
  }

  void wake_runner() {
    if (runner) runner->wake();
  }

  std::vector<std::string> failing_dependencies() {
    std::vector<std::string> failing;
    if (!database.ping()) failing.emplace_back("database");
    return failing;
  }

  std::vector<api::Gauge> gauges() {
    std::vector<api::Gauge> out;
    try {
      out.push_back({"chirp_outbox_pending", "Jobs waiting in the outbox.", "gauge",
                     static_cast<double>(outbox.pending_count()), ""});
    } catch (const std::exception&) {
      // The database is down: /readyz says so; metrics still answer.
    }
    if (runner) {
      out.push_back({"chirp_jobs_completed_total", "Background jobs run successfully.", "counter",
                     static_cast<double>(runner->completed()), ""});
      out.push_back({"chirp_jobs_failed_total", "Background job attempts that failed.", "counter",
                     static_cast<double>(runner->failed()), ""});
    }
    out.push_back({"chirp_cache_hits_total", "Cache reads answered from the cache.", "counter",
                   static_cast<double>(objects.hits()), "cache=\"objects\""});
    out.push_back({"chirp_cache_hits_total", "", "counter", static_cast<double>(timelines.hits()),
                   "cache=\"timelines\""});
    out.push_back({"chirp_cache_misses_total", "Cache reads that went to a store.", "counter",
                   static_cast<double>(objects.misses()), "cache=\"objects\""});
    out.push_back({"chirp_cache_misses_total", "", "counter", static_cast<double>(timelines.misses()),
                   "cache=\"timelines\""});
    return out;
  }

  store::sql::Database database;
  store::sql::SqlUserRepository users;
  store::sql::SqlProfileRepository profiles;
  store::sql::SqlSessionRepository sessions;
  store::sql::SqlTokenRepository tokens;
  store::sql::SqlTweetRepository tweets;
  store::sql::SqlFriendshipRepository friendships;
  store::sql::SqlNewsfeedRepository newsfeeds;
  store::sql::SqlUserStatsRepository stats;
  store::sql::SqlOutboxRepository outbox;
  store::sql::SqlCommentRepository comments;
  store::sql::SqlLikeRepository likes;
  store::sql::SqlNotificationRepository notifications;
  store::media::LocalMediaStore media;
  store::cache::LocalObjectCache objects;
  store::cache::LocalTimelineCache timelines;
  store::cache::LocalRateLimitStore rate_limit_store;
  store::queue::OutboxJobQueue job_queue;
  domain::PasswordHasher hasher;
  domain::AccountService accounts;
  domain::UserDirectory directory;
  domain::TweetLoader loader;
  domain::ProfileService profile_service;
  domain::TweetService tweet_service;
  domain::NotificationService notification_service;
  domain::FriendshipService friendship_service;
  domain::NewsfeedService newsfeed_service;
  domain::CommentService comment_service;
  domain::LikeService like_service;
  domain::FanoutService fanout;
  domain::RateLimiter rate_limiter;
  api::Metrics metrics;
  api::Services services;
  int workers;
  std::unique_ptr<store::queue::LocalJobRunner> runner;
};

Wiring::Wiring(const Config& config, bool migrate) {
  std::filesystem::create_directories(config.data_dir);
  parts_ = std::make_unique<Parts>(config);
  if (migrate) parts_->database.migrate();
}

Wiring::~Wiring() = default;

void Wiring::start_background_workers() { parts_->start_workers(); }
api::Services& Wiring::services() { return parts_->services; }
domain::AccountService& Wiring::accounts() { return parts_->accounts; }
domain::UserRepository& Wiring::user_repository() { return parts_->users; }
const domain::PasswordHasher& Wiring::password_hasher() { return parts_->hasher; }
int Wiring::schema_version() { return parts_->database.schema_version(); }

}  // namespace chirp::app
