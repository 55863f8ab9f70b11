#include "app/wiring.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>

#include "app/housekeeping.hpp"
#include "app/lazy_kv_store.hpp"
#include "app/maintenance.hpp"
#include "domain/cached_friendships.hpp"
#include "domain/cached_likes.hpp"
#include "domain/fanout.hpp"
#include "domain/storage_migration.hpp"
#include "store/cache/local_object_cache.hpp"
#include "store/cache/local_rate_limit_store.hpp"
#include "store/cache/local_timeline_cache.hpp"
#include "store/hbase/hbase_store.hpp"
#include "store/kv/kv_friendship_repository.hpp"
#include "store/kv/kv_newsfeed_repository.hpp"
#include "store/kv/rocksdb_store.hpp"
#include "store/media/local_media_store.hpp"
#include "store/memcached/memcached_object_cache.hpp"
#include "store/queue/local_job_runner.hpp"
#include "store/queue/outbox_job_queue.hpp"
#include "store/queue/outbox_relay.hpp"
#include "store/rabbitmq/rabbit_job_queue.hpp"
#include "store/redis/redis_client.hpp"
#include "store/redis/redis_gatekeeper_store.hpp"
#include "store/redis/redis_object_cache.hpp"
#include "store/redis/redis_rate_limit_store.hpp"
#include "store/redis/redis_timeline_cache.hpp"
#include "store/sql/comment_repository.hpp"
#include "store/sql/database.hpp"
#include "store/sql/friendship_repository.hpp"
#include "store/sql/gatekeeper_store.hpp"
#include "store/sql/like_repository.hpp"
#include "store/sql/migration_rows.hpp"
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

constexpr std::size_t kTimelineCapacity = 1000;  // ids per list in Redis
// In process, lists hold fewer ids than in Redis: 10,000 lists of 300 ids (16 bytes each) are
// ~50 MB, which keeps the embedded server within DESIGN §8's 200 MB (1,000 ids made it ~600 MB
// under bench/'s mixed load, with the object cache). A page past the cached part reads the store.
constexpr std::size_t kLocalTimelineLists = 10000;
constexpr std::size_t kLocalTimelineCapacity = 300;
constexpr std::size_t kLocalObjectCacheBytes = 64 << 20;  // entries' cost, overhead included
// Cached session/token lookups live briefly: one cached in a race with a logout dies soon.
constexpr std::chrono::seconds kCredentialCacheExpiry{60};

int background_workers(const Config& config) {
  if (!config.amqp_url.empty()) return 0;  // RabbitMQ: `chirp worker` processes run the jobs
  return config.workers >= 0 ? config.workers : 2;
}

// Connections per cache client: one for each thread that may use it at once (handler threads, and
// job consumers in `chirp worker`), so a handler never waits for one (a wait is a futex sleep and
// a context switch on the hot path).
std::size_t cache_pool_size(const Config& config) {
  return static_cast<std::size_t>(std::max(8, config.http_workers + config.worker_concurrency));
}

// The wide-column store's URL: --kv-url, else RocksDB in the data directory.
std::string kv_url(const Config& config) {
  if (!config.kv_url.empty()) return config.kv_url;
  return "rocksdb://" +
         std::filesystem::absolute(config.data_dir + "/kv").lexically_normal().string();
}

// Opens the store and creates chirp's tables in it (idempotent).
std::unique_ptr<store::kv::WideColumnStore> open_store_with_tables(const std::string& url) {
  std::unique_ptr<store::kv::WideColumnStore> store;
  if (url.starts_with("hbase://")) {
    store = std::make_unique<store::hbase::HBaseStore>(url);
  } else {
    store = std::make_unique<store::kv::RocksDbStore>(store::kv::rocksdb_path_from_url(url));
  }
  store::kv::KvFriendshipRepository::create_tables(*store);
  store::kv::KvNewsfeedRepository::create_tables(*store);
  store->create_table(kMaintenanceTable);
  return store;
}

api::Gauge counter(std::string name, std::string help, double value, std::string labels = "") {
  return {std::move(name), std::move(help), "counter", value, std::move(labels)};
}

api::Gauge gauge(std::string name, std::string help, double value, std::string labels = "") {
  return {std::move(name), std::move(help), "gauge", value, std::move(labels)};
}

api::ApiSettings api_settings(const Config& config) {
  api::ApiSettings settings;
  settings.secure_cookies = config.secure_cookies;
  return settings;
}

}  // namespace

// The chosen implementations. Members are declared in dependency order: construction wires them,
// destruction (reverse order) stops the background threads before anything their jobs use goes.
struct Wiring::Parts {
  explicit Parts(const Config& config)
      : database(store::sql::DatabaseOptions{config.effective_database_url(),
                                             static_cast<std::size_t>(config.db_pool_size)}),
        users(database),
        profiles(database),
        sessions(database),
        tokens(database),
        tweets(database),
        sql_friendships(database),
        sql_newsfeeds(database),
        stats(database),
        outbox(database),
        comments(database),
        likes(database),
        notifications(database),
        media(config.media_root()),
        sql_friendship_rows(database),
        sql_newsfeed_rows(database),
        follow_counters(database),
        kv([url = kv_url(config)] { return open_store_with_tables(url); }),
        kv_friendships(kv, &follow_counters),
        kv_friendship_rows(kv, nullptr),
        kv_newsfeeds(kv),
        maintenance{
            database, sql_friendship_rows, kv_friendship_rows, sql_newsfeed_rows, kv_newsfeeds, kv,
            outbox},
        kv_configured(!config.kv_url.empty()),
        kv_remote(config.kv_url.starts_with("hbase://")) {
    choose_caches(config);
    if (redis) {
      // A process that lost a cache write flushes Redis at its next use of it; one that may not use
      // it again soon (a worker between jobs) must not leave the others reading stale lists.
      redis_healer = std::make_unique<Housekeeping>(std::chrono::seconds(1), [this] {
        if (redis->dirty()) redis->ping();  // ping runs the pending flush once Redis answers
      });
    }
    choose_gatekeepers();
    friendships = std::make_unique<domain::MigratingFriendshipRepository>(
        domain::FriendshipStores{sql_friendships, sql_friendship_rows, kv_friendships,
                                 kv_friendship_rows},
        *gatekeeper_service);
    newsfeeds = std::make_unique<domain::MigratingNewsfeedRepository>(sql_newsfeeds, kv_newsfeeds,
                                                                      *gatekeeper_service);
    if (!config.amqp_url.empty()) {
      rabbit = std::make_unique<store::rabbitmq::RabbitJobQueue>(
          store::rabbitmq::AmqpOptions{config.amqp_url});
    }
    outbox_queue = std::make_unique<store::queue::OutboxJobQueue>(outbox, [this] { wake(); });
    // Jobs published while running a job (batches of a fan-out) go straight to RabbitMQ on the full
    // stack; on the embedded stack they are outbox rows like every other job.
    domain::JobQueue& job_publisher =
        rabbit ? static_cast<domain::JobQueue&>(*rabbit) : *outbox_queue;

    hasher = std::make_unique<domain::PasswordHasher>(config.password_cost);
    // Session and token lookups with their user: Redis on the full stack (entries expire soon, see
    // kCredentialCacheExpiry); in process on the embedded one, which sees every change at once.
    domain::ObjectCache* credentials = nullptr;
    if (redis) {
      credential_cache = std::make_unique<store::redis::RedisObjectCache>(
          *redis, "chirp:cred:", kCredentialCacheExpiry);
      credentials = credential_cache.get();
    } else if (local_objects != nullptr) {
      credentials = objects.get();
    }
    accounts = std::make_unique<domain::AccountService>(
        users, sessions, tokens, *hasher, domain::AccountSettings{},
        domain::AccountCaches{objects.get(), credentials});
    directory = std::make_unique<domain::UserDirectory>(users, profiles, *objects);
    cached_likes = std::make_unique<domain::CachedLikeRepository>(likes, *objects);
    loader = std::make_unique<domain::TweetLoader>(tweets, *objects, *directory, *cached_likes);
    cached_friendships =
        std::make_unique<domain::CachedFriendshipRepository>(*friendships, *objects);
    profile_service = std::make_unique<domain::ProfileService>(*directory, profiles, media, stats,
                                                               *cached_friendships);
    tweet_service = std::make_unique<domain::TweetService>(domain::TweetDependencies{
        tweets, *newsfeeds, *timelines, *loader, media, *outbox_queue, [this] { wake(); }});
    notification_service =
        std::make_unique<domain::NotificationService>(notifications, tweets, comments, *directory);
    friendship_service = std::make_unique<domain::FriendshipService>(
        *cached_friendships, *directory, *outbox_queue, *notification_service);
    newsfeed_service = std::make_unique<domain::NewsfeedService>(
        *newsfeeds, tweets, *cached_friendships, stats, *timelines, *loader);
    comment_service =
        std::make_unique<domain::CommentService>(comments, *cached_likes, *directory, *loader);
    like_service =
        std::make_unique<domain::LikeService>(*cached_likes, comments, *directory, *loader);
    fanout = std::make_unique<domain::FanoutService>(
        domain::FanoutDependencies{tweets, *friendships, *newsfeeds, stats, *timelines,
                                   job_publisher},
        domain::FanoutSettings{config.celebrity_threshold,
                               static_cast<std::size_t>(config.fanout_batch_size), 20});
    rate_limiter = std::make_unique<domain::RateLimiter>(*rate_limit_store, config.rate_limits);
    metrics = std::make_unique<api::Metrics>(api::route_patterns(api::all_routes()));
    services =
        std::make_unique<api::Services>(api::Services{*accounts,
                                                      *directory,
                                                      *profile_service,
                                                      *tweet_service,
                                                      *friendship_service,
                                                      *newsfeed_service,
                                                      *comment_service,
                                                      *like_service,
                                                      *notification_service,
                                                      *gatekeeper_service,
                                                      media,
                                                      *rate_limiter,
                                                      *metrics,
                                                      [this] { return gauges(); },
                                                      [this] { return failing_dependencies(); },
                                                      api_settings(config)});
    workers = background_workers(config);
  }

  ~Parts() {
    housekeeping.reset();
    if (relay) relay->stop();
    if (runner) runner->stop();
  }

  void choose_caches(const Config& config) {
    if (!config.redis_url.empty()) {
      store::redis::RedisOptions options{config.redis_url};
      options.pool_size = cache_pool_size(config);
      redis = std::make_unique<store::redis::RedisClient>(options);
      auto t = std::make_unique<store::redis::RedisTimelineCache>(*redis, kTimelineCapacity);
      redis_timelines = t.get();
      timelines = std::move(t);
      rate_limit_store = std::make_unique<store::redis::RedisRateLimitStore>(*redis);
    } else {
      auto t = std::make_unique<store::cache::LocalTimelineCache>(kLocalTimelineCapacity,
                                                                  kLocalTimelineLists);
      local_timelines = t.get();
      timelines = std::move(t);
      rate_limit_store = std::make_unique<store::cache::LocalRateLimitStore>();
    }
    if (!config.memcached_url.empty()) {
      store::memcached::MemcachedOptions options{config.memcached_url};
      options.pool_size = cache_pool_size(config);
      auto o = std::make_unique<store::memcached::MemcachedObjectCache>(options);
      memcached_objects = o.get();
      objects = std::move(o);
    } else {
      auto o = std::make_unique<store::cache::LocalObjectCache>(kLocalObjectCacheBytes);
      local_objects = o.get();
      objects = std::move(o);
    }
  }

  // ---- gatekeepers (SPEC §11) ----
  // SQL is the truth; on the full stack Redis sits in front of it (see redis_gatekeeper_store.hpp).
  // Every process caches values for 2 s, so a change reaches all of them within SPEC's 5 s.
  void choose_gatekeepers() {
    sql_gatekeepers = std::make_unique<store::sql::SqlGatekeeperStore>(database);
    domain::GatekeeperStore* store = sql_gatekeepers.get();
    if (redis) {
      redis_gatekeepers =
          std::make_unique<store::redis::RedisGatekeeperStore>(*redis, *sql_gatekeepers);
      store = redis_gatekeepers.get();
    }
    gatekeeper_service = std::make_unique<domain::GatekeeperService>(*store);
  }
  // ---- end of gatekeepers ----

  // serve: the embedded stack runs jobs in-process; the full stack relays the outbox to RabbitMQ.
  void start_background() {
    if (!housekeeping) {
      housekeeping = std::make_unique<Housekeeping>(std::chrono::hours(1), [this] {
        Micros now = now_micros();
        sessions.remove_expired(now);
        outbox.purge_done(now - 24LL * 3600 * 1'000'000);
      });
    }
    if (rabbit && !relay) {
      relay = std::make_unique<store::queue::OutboxRelay>(outbox, *rabbit,
                                                          store::queue::RelayOptions{});
      relay->start();
    } else if (!rabbit && workers > 0 && !runner) {
      store::queue::JobRunnerOptions options;
      options.workers = workers;
      runner = std::make_unique<store::queue::LocalJobRunner>(
          outbox, [this](const domain::Job& job) { run_job(job); }, options);
      runner->start();
    }
  }

  void run_job(const domain::Job& job) {
    try {
      if (job.kind == kMaintenanceJob) return run_maintenance_job(maintenance, job);
      fanout->run(job);
    } catch (const domain::MalformedJob& e) {
      spdlog::error("dropping job {}: {}", job.kind, e.what());
    }
  }

  void wake() {
    if (runner) runner->wake();
    if (relay) relay->wake();
  }

  std::vector<std::string> failing_dependencies() {
    std::vector<std::string> failing;
    if (!database.ping()) failing.emplace_back("database");
    if (redis && !redis->ping()) failing.emplace_back("redis");
    if (memcached_objects && !memcached_objects->ping()) failing.emplace_back("memcached");
    if (rabbit && !rabbit->ping()) failing.emplace_back("rabbitmq");
    if ((kv_configured || kv.is_open()) && !kv.ping()) failing.emplace_back("kv");
    return failing;
  }

  std::vector<api::Gauge> gauges() {
    std::vector<api::Gauge> out;
    try {
      out.push_back(gauge("chirp_outbox_pending",
                          "Jobs waiting in the outbox (not yet run or relayed).",
                          static_cast<double>(outbox.pending_count())));
    } catch (const std::exception&) {
      // The database is down: /readyz says so; metrics still answer.
    }
    try {
      auto oldest = outbox.oldest_pending();
      double lag = oldest ? static_cast<double>(now_micros() - *oldest) / 1e6 : 0.0;
      out.push_back(gauge("chirp_outbox_lag_seconds",
                          "Age of the oldest job not yet run or relayed (fan-out lag).", lag));
    } catch (const std::exception&) {
    }
    auto db_pool = database.pool_stats();
    out.push_back(gauge("chirp_pool_connections", "Connections of each pool: size and in use.",
                        static_cast<double>(db_pool.size), "pool=\"database\",state=\"size\""));
    out.push_back(gauge("chirp_pool_connections", "", static_cast<double>(db_pool.in_use),
                        "pool=\"database\",state=\"in_use\""));
    if (redis) {
      auto redis_pool = redis->pool_stats();
      out.push_back(gauge("chirp_pool_connections", "", static_cast<double>(redis_pool.capacity),
                          "pool=\"redis\",state=\"size\""));
      out.push_back(gauge("chirp_pool_connections", "", static_cast<double>(redis_pool.in_use),
                          "pool=\"redis\",state=\"in_use\""));
    }
    if (rabbit) {
      out.push_back(gauge("chirp_queue_depth", "Jobs waiting in RabbitMQ (-1: unreachable).",
                          static_cast<double>(rabbit->queue_depth())));
    }
    if (relay) {
      out.push_back(counter("chirp_outbox_relayed_total", "Outbox rows published to RabbitMQ.",
                            static_cast<double>(relay->relayed())));
    }
    out.push_back(counter("chirp_kv_mirror_failures_total",
                          "Dual writes whose mirror write failed (chirp verify shows them).",
                          static_cast<double>(friendships->mirror_failures()),
                          "table=\"friendships\""));
    out.push_back(counter("chirp_kv_mirror_failures_total", "",
                          static_cast<double>(newsfeeds->mirror_failures()),
                          "table=\"newsfeeds\""));
    if (runner) {
      out.push_back(counter("chirp_jobs_completed_total", "Background jobs run successfully.",
                            static_cast<double>(runner->completed())));
      out.push_back(counter("chirp_jobs_failed_total", "Background job attempts that failed.",
                            static_cast<double>(runner->failed())));
    }
    auto cache_counts = [&](const char* cache, double hits, double misses) {
      std::string label = std::string("cache=\"") + cache + "\"";
      out.push_back(
          counter("chirp_cache_hits_total", "Cache reads answered from the cache.", hits, label));
      out.push_back(
          counter("chirp_cache_misses_total", "Cache reads that went to a store.", misses, label));
    };
    if (local_objects) cache_counts("objects", local_objects->hits(), local_objects->misses());
    if (memcached_objects)
      cache_counts("objects", memcached_objects->hits(), memcached_objects->misses());
    if (local_timelines)
      cache_counts("timelines", local_timelines->hits(), local_timelines->misses());
    if (redis_timelines)
      cache_counts("timelines", redis_timelines->hits(), redis_timelines->misses());
    // Requests sent to the cache servers (a pipeline or a multi-get counts once per server): what
    // a request costs them.
    auto round_trips = [&](const char* server, std::int64_t n) {
      out.push_back(counter("chirp_cache_round_trips_total", "Requests sent to a cache server.",
                            static_cast<double>(n), std::string("server=\"") + server + "\""));
    };
    if (redis) round_trips("redis", redis->counters().round_trips);
    if (memcached_objects) round_trips("memcached", memcached_objects->requests());
    std::stable_sort(out.begin(), out.end(),
                     [](const api::Gauge& a, const api::Gauge& b) { return a.name < b.name; });
    return out;
  }

  store::sql::Database database;
  store::sql::SqlUserRepository users;
  store::sql::SqlProfileRepository profiles;
  store::sql::SqlSessionRepository sessions;
  store::sql::SqlTokenRepository tokens;
  store::sql::SqlTweetRepository tweets;
  store::sql::SqlFriendshipRepository sql_friendships;
  store::sql::SqlNewsfeedRepository sql_newsfeeds;
  store::sql::SqlUserStatsRepository stats;
  store::sql::SqlOutboxRepository outbox;
  store::sql::SqlCommentRepository comments;
  store::sql::SqlLikeRepository likes;
  store::sql::SqlNotificationRepository notifications;
  store::media::LocalMediaStore media;

  // Friendships and news feeds in the wide-column store, and their move from SQL (DESIGN §6).
  store::sql::SqlFriendshipRows sql_friendship_rows;
  store::sql::SqlNewsfeedRows sql_newsfeed_rows;
  store::sql::SqlFollowCounters follow_counters;
  LazyKvStore kv;
  store::kv::KvFriendshipRepository kv_friendships;      // counts follows (primary)
  store::kv::KvFriendshipRepository kv_friendship_rows;  // mirror of SQL: no counting
  store::kv::KvNewsfeedRepository kv_newsfeeds;
  MaintenanceStores maintenance;
  bool kv_configured;  // --kv-url given: /readyz checks it
  bool kv_remote;      // HBase: shared by every process, may be down for a while
  std::unique_ptr<domain::MigratingFriendshipRepository> friendships;
  std::unique_ptr<domain::MigratingNewsfeedRepository> newsfeeds;

  std::unique_ptr<store::redis::RedisClient> redis;
  std::unique_ptr<Housekeeping> redis_healer;
  std::unique_ptr<domain::ObjectCache> objects;
  std::unique_ptr<domain::TimelineCache> timelines;
  std::unique_ptr<domain::RateLimitStore> rate_limit_store;
  // The same objects as above, by concrete type, for their metrics (null when not chosen).
  store::cache::LocalObjectCache* local_objects = nullptr;
  store::memcached::MemcachedObjectCache* memcached_objects = nullptr;
  store::cache::LocalTimelineCache* local_timelines = nullptr;
  store::redis::RedisTimelineCache* redis_timelines = nullptr;

  std::unique_ptr<domain::CachedLikeRepository> cached_likes;  // has_liked flags in `objects`
  // has_followed flags in `objects`, for the services (fan-out reads `friendships`).
  std::unique_ptr<domain::FriendshipRepository> cached_friendships;
  // Session and token lookups in Redis (full stack only).
  std::unique_ptr<domain::ObjectCache> credential_cache;

  // ---- gatekeepers (SPEC §11) ----
  std::unique_ptr<store::sql::SqlGatekeeperStore> sql_gatekeepers;
  std::unique_ptr<store::redis::RedisGatekeeperStore> redis_gatekeepers;  // full stack only
  std::unique_ptr<domain::GatekeeperService> gatekeeper_service;
  // ---- end of gatekeepers ----

  std::unique_ptr<store::rabbitmq::RabbitJobQueue> rabbit;
  std::unique_ptr<store::queue::OutboxJobQueue> outbox_queue;

  std::unique_ptr<domain::PasswordHasher> hasher;
  std::unique_ptr<domain::AccountService> accounts;
  std::unique_ptr<domain::UserDirectory> directory;
  std::unique_ptr<domain::TweetLoader> loader;
  std::unique_ptr<domain::ProfileService> profile_service;
  std::unique_ptr<domain::TweetService> tweet_service;
  std::unique_ptr<domain::NotificationService> notification_service;
  std::unique_ptr<domain::FriendshipService> friendship_service;
  std::unique_ptr<domain::NewsfeedService> newsfeed_service;
  std::unique_ptr<domain::CommentService> comment_service;
  std::unique_ptr<domain::LikeService> like_service;
  std::unique_ptr<domain::FanoutService> fanout;
  std::unique_ptr<domain::RateLimiter> rate_limiter;
  std::unique_ptr<api::Metrics> metrics;
  std::unique_ptr<api::Services> services;
  int workers = 0;
  std::unique_ptr<store::queue::LocalJobRunner> runner;
  std::unique_ptr<store::queue::OutboxRelay> relay;
  std::unique_ptr<Housekeeping> housekeeping;
};

Wiring::Wiring(const Config& config, bool migrate) {
  std::filesystem::create_directories(config.data_dir);
  parts_ = std::make_unique<Parts>(config);
  if (migrate) parts_->database.migrate();
}

Wiring::~Wiring() = default;

void Wiring::start_background_workers() {
  parts_->start_background();
}
void Wiring::run_job(const domain::Job& job) {
  parts_->run_job(job);
}
api::Services& Wiring::services() {
  return *parts_->services;
}
MaintenanceStores& Wiring::maintenance() {
  return parts_->maintenance;
}

void Wiring::open_kv_store() {
  try {
    parts_->kv.store();
  } catch (const store::kv::KvStoreLocked&) {
    throw;
  } catch (const std::exception& e) {
    if (!parts_->kv_remote) throw;  // RocksDB must open: it is on this machine
    spdlog::warn("wide-column store unreachable ({}); it is retried on use", e.what());
  }
}
domain::AccountService& Wiring::accounts() {
  return *parts_->accounts;
}
domain::UserRepository& Wiring::user_repository() {
  return parts_->users;
}
const domain::PasswordHasher& Wiring::password_hasher() {
  return *parts_->hasher;
}

store::sql::Database& Wiring::database() {
  return parts_->database;
}

int Wiring::schema_version() {
  return parts_->database.schema_version();
}
domain::GatekeeperService& Wiring::gatekeepers() {
  return *parts_->gatekeeper_service;
}

}  // namespace chirp::app
