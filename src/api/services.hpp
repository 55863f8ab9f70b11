#pragma once
// What handlers may use: domain services and interfaces, never concrete stores. app/wiring.cpp
// fills this in.
#include <functional>
#include <string>
#include <vector>

#include "api/metrics.hpp"
#include "domain/accounts.hpp"
#include "domain/comments.hpp"
#include "domain/friendships.hpp"
#include "domain/gatekeepers.hpp"
#include "domain/likes.hpp"
#include "domain/media_store.hpp"
#include "domain/newsfeeds.hpp"
#include "domain/notifications.hpp"
#include "domain/profiles.hpp"
#include "domain/rate_limiter.hpp"
#include "domain/tweets.hpp"
#include "domain/users.hpp"
#include "http/body.hpp"

namespace chirp::api {

struct ApiSettings {
  long long session_cookie_max_age_s = 14LL * 24 * 3600;
  bool secure_cookies = false;  // add "Secure" to cookies when served over TLS (behind a proxy)
  http::BodyLimits body_limits;
};

struct Services {
  domain::AccountService& accounts;
  domain::UserDirectory& users;
  domain::ProfileService& profiles;
  domain::TweetService& tweets;
  domain::FriendshipService& friendships;
  domain::NewsfeedService& newsfeeds;
  domain::CommentService& comments;
  domain::LikeService& likes;
  domain::NotificationService& notifications;
  domain::GatekeeperService& gatekeepers;
  domain::MediaStore& media;
  domain::RateLimiter& rate_limiter;
  // Gauges and counters of the stores and queues for /metrics.
  Metrics& metrics;
  std::function<std::vector<Gauge>()> gauges;
  // Names of configured dependencies that do not answer right now ("database", "redis", ...).
  std::function<std::vector<std::string>()> failing_dependencies;
  ApiSettings settings;
};

}  // namespace chirp::api
