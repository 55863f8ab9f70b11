#include "store/sql/migrations.hpp"

namespace chirp::store::sql {
namespace {

// Times are integer microseconds. MySQL text is utf8mb4 with binary collation: the domain stores
// usernames and emails lowercase, so uniqueness is an exact byte match. VARCHAR sizes are in code
// points. Unique indexes are named after their column so SQLite and MySQL report the same key.

constexpr std::string_view kAccountsSqlite = R"sql(
CREATE TABLE IF NOT EXISTS users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  username TEXT NOT NULL,
  email TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  is_staff INTEGER NOT NULL DEFAULT 0,
  date_joined INTEGER NOT NULL,
  CONSTRAINT username UNIQUE (username),
  CONSTRAINT email UNIQUE (email)
);
CREATE INDEX IF NOT EXISTS users_date_joined ON users (date_joined);
CREATE TABLE IF NOT EXISTS profiles (
  user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  nickname TEXT,
  avatar TEXT
);
CREATE TABLE IF NOT EXISTS sessions (
  key_hash TEXT PRIMARY KEY NOT NULL,
  user_id INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_user_id ON sessions (user_id);
CREATE INDEX IF NOT EXISTS sessions_expires_at ON sessions (expires_at);
CREATE TABLE IF NOT EXISTS tokens (
  key_hash TEXT PRIMARY KEY NOT NULL,
  user_id INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS tokens_user_id ON tokens (user_id)
)sql";

constexpr std::string_view kAccountsMysql = R"sql(
CREATE TABLE IF NOT EXISTS users (
  id BIGINT NOT NULL AUTO_INCREMENT,
  username VARCHAR(32) NOT NULL,
  email VARCHAR(254) NOT NULL,
  password_hash VARCHAR(255) NOT NULL,
  is_staff TINYINT NOT NULL DEFAULT 0,
  date_joined BIGINT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY username (username),
  UNIQUE KEY email (email),
  KEY users_date_joined (date_joined)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS profiles (
  user_id BIGINT NOT NULL,
  nickname VARCHAR(800) NULL,
  avatar VARCHAR(255) NULL,
  PRIMARY KEY (user_id),
  CONSTRAINT profiles_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS sessions (
  key_hash VARCHAR(64) NOT NULL,
  user_id BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (key_hash),
  KEY sessions_user_id (user_id),
  KEY sessions_expires_at (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS tokens (
  key_hash VARCHAR(64) NOT NULL,
  user_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (key_hash),
  KEY tokens_user_id (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
)sql";

// Tweets, follows, news feeds, per-user counters and the job outbox. No foreign keys: the fan-out
// path writes thousands of feed rows at a time, and follows and feeds may live in another store.
// Tweet times are unique across all tweets and follow times within each user's two lists (SPEC
// §1.6); the repositories move a clashing time one microsecond later, so these unique keys are
// what makes cursor pages exact. Lists are read newest first through (owner, created_at) indexes.
constexpr std::string_view kSocialSqlite = R"sql(
CREATE TABLE IF NOT EXISTS tweets (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id INTEGER NOT NULL,
  content TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  likes_count INTEGER NOT NULL DEFAULT 0,
  comments_count INTEGER NOT NULL DEFAULT 0,
  CONSTRAINT created_at UNIQUE (created_at)
);
CREATE INDEX IF NOT EXISTS tweets_user_created ON tweets (user_id, created_at);
CREATE TABLE IF NOT EXISTS tweet_photos (
  id INTEGER PRIMARY KEY,
  tweet_id INTEGER NOT NULL,
  position INTEGER NOT NULL,
  path TEXT NOT NULL,
  CONSTRAINT tweet_position UNIQUE (tweet_id, position)
);
CREATE TABLE IF NOT EXISTS friendships (
  id INTEGER PRIMARY KEY,
  from_user_id INTEGER NOT NULL,
  to_user_id INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  CONSTRAINT from_to UNIQUE (from_user_id, to_user_id),
  CONSTRAINT from_created UNIQUE (from_user_id, created_at),
  CONSTRAINT to_created UNIQUE (to_user_id, created_at)
);
CREATE INDEX IF NOT EXISTS friendships_to_from ON friendships (to_user_id, from_user_id);
CREATE TABLE IF NOT EXISTS newsfeeds (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL,
  tweet_id INTEGER NOT NULL,
  author_id INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  CONSTRAINT user_tweet UNIQUE (user_id, tweet_id)
);
CREATE INDEX IF NOT EXISTS newsfeeds_user_created ON newsfeeds (user_id, created_at, tweet_id);
CREATE INDEX IF NOT EXISTS newsfeeds_tweet ON newsfeeds (tweet_id);
CREATE INDEX IF NOT EXISTS newsfeeds_user_author ON newsfeeds (user_id, author_id);
CREATE TABLE IF NOT EXISTS user_stats (
  user_id INTEGER PRIMARY KEY NOT NULL,
  followers_count INTEGER NOT NULL DEFAULT 0,
  followings_count INTEGER NOT NULL DEFAULT 0,
  tweets_count INTEGER NOT NULL DEFAULT 0,
  pull_mode INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS user_stats_pull_mode ON user_stats (user_id) WHERE pull_mode = 1;
CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  done INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS outbox_done_id ON outbox (done, id)
)sql";

// tweets.content holds 140 code points; the margin costs nothing in a VARCHAR. The newsfeeds
// (user_id, created_at, tweet_id) index covers a feed page, ties included, without a filesort.
constexpr std::string_view kSocialMysql = R"sql(
CREATE TABLE IF NOT EXISTS tweets (
  id BIGINT NOT NULL AUTO_INCREMENT,
  user_id BIGINT NOT NULL,
  content VARCHAR(560) NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  likes_count BIGINT NOT NULL DEFAULT 0,
  comments_count BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  UNIQUE KEY created_at (created_at),
  KEY tweets_user_created (user_id, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS tweet_photos (
  id BIGINT NOT NULL AUTO_INCREMENT,
  tweet_id BIGINT NOT NULL,
  position INT NOT NULL,
  path VARCHAR(255) NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY tweet_position (tweet_id, position)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS friendships (
  id BIGINT NOT NULL AUTO_INCREMENT,
  from_user_id BIGINT NOT NULL,
  to_user_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY from_to (from_user_id, to_user_id),
  UNIQUE KEY from_created (from_user_id, created_at),
  UNIQUE KEY to_created (to_user_id, created_at),
  KEY friendships_to_from (to_user_id, from_user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS newsfeeds (
  id BIGINT NOT NULL AUTO_INCREMENT,
  user_id BIGINT NOT NULL,
  tweet_id BIGINT NOT NULL,
  author_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY user_tweet (user_id, tweet_id),
  KEY newsfeeds_user_created (user_id, created_at, tweet_id),
  KEY newsfeeds_tweet (tweet_id),
  KEY newsfeeds_user_author (user_id, author_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS user_stats (
  user_id BIGINT NOT NULL,
  followers_count BIGINT NOT NULL DEFAULT 0,
  followings_count BIGINT NOT NULL DEFAULT 0,
  tweets_count BIGINT NOT NULL DEFAULT 0,
  pull_mode TINYINT NOT NULL DEFAULT 0,
  PRIMARY KEY (user_id),
  KEY user_stats_pull_mode (pull_mode)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS outbox (
  id BIGINT NOT NULL AUTO_INCREMENT,
  kind VARCHAR(64) NOT NULL,
  payload MEDIUMTEXT NOT NULL,
  created_at BIGINT NOT NULL,
  attempts INT NOT NULL DEFAULT 0,
  done TINYINT NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  KEY outbox_done_id (done, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
)sql";

// Comments, likes and notifications. Comment times are unique within their tweet and like times
// within their object (SPEC §1.6; the repositories move a clashing time one microsecond later);
// the (content_type, object_id, created_at) key also serves the likes list newest first. A like
// exists once per user and object. A notification exists once per (recipient, actor, verb,
// target, action object): insert-or-ignore makes likes and follows notify at most once, while
// every comment notifies (it is its own action object). action_object_id is 0 for none, never
// NULL: NULLs never clash in a unique index. The (target_type, target_id) and action_object_id
// indexes serve the deletions that follow a deleted tweet or comment.
constexpr std::string_view kInteractionsSqlite = R"sql(
CREATE TABLE IF NOT EXISTS comments (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tweet_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  content TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  likes_count INTEGER NOT NULL DEFAULT 0,
  CONSTRAINT tweet_created UNIQUE (tweet_id, created_at)
);
CREATE INDEX IF NOT EXISTS comments_user ON comments (user_id);
CREATE TABLE IF NOT EXISTS likes (
  id INTEGER PRIMARY KEY,
  content_type INTEGER NOT NULL,
  object_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  CONSTRAINT user_object UNIQUE (user_id, content_type, object_id),
  CONSTRAINT object_created UNIQUE (content_type, object_id, created_at)
);
CREATE TABLE IF NOT EXISTS notifications (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  recipient_id INTEGER NOT NULL,
  actor_id INTEGER NOT NULL,
  verb TEXT NOT NULL,
  target_type INTEGER NOT NULL,
  target_id INTEGER NOT NULL,
  action_object_id INTEGER NOT NULL DEFAULT 0,
  unread INTEGER NOT NULL DEFAULT 1,
  timestamp INTEGER NOT NULL,
  CONSTRAINT notification_once
    UNIQUE (recipient_id, actor_id, verb, target_type, target_id, action_object_id)
);
CREATE INDEX IF NOT EXISTS notifications_recipient_unread
  ON notifications (recipient_id, unread, timestamp);
CREATE INDEX IF NOT EXISTS notifications_recipient_time ON notifications (recipient_id, timestamp);
CREATE INDEX IF NOT EXISTS notifications_target ON notifications (target_type, target_id);
CREATE INDEX IF NOT EXISTS notifications_action_object ON notifications (action_object_id)
)sql";

// comments.content holds 140 code points, like tweets.content. InnoDB appends the primary key to
// every secondary index, so (recipient_id, timestamp) already orders ties by id.
constexpr std::string_view kInteractionsMysql = R"sql(
CREATE TABLE IF NOT EXISTS comments (
  id BIGINT NOT NULL AUTO_INCREMENT,
  tweet_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  content VARCHAR(560) NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  likes_count BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (id),
  UNIQUE KEY tweet_created (tweet_id, created_at),
  KEY comments_user (user_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS likes (
  id BIGINT NOT NULL AUTO_INCREMENT,
  content_type INT NOT NULL,
  object_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY user_object (user_id, content_type, object_id),
  UNIQUE KEY object_created (content_type, object_id, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE TABLE IF NOT EXISTS notifications (
  id BIGINT NOT NULL AUTO_INCREMENT,
  recipient_id BIGINT NOT NULL,
  actor_id BIGINT NOT NULL,
  verb VARCHAR(100) NOT NULL,
  target_type INT NOT NULL,
  target_id BIGINT NOT NULL,
  action_object_id BIGINT NOT NULL DEFAULT 0,
  unread TINYINT NOT NULL DEFAULT 1,
  timestamp BIGINT NOT NULL,
  PRIMARY KEY (id),
  UNIQUE KEY notification_once
    (recipient_id, actor_id, verb, target_type, target_id, action_object_id),
  KEY notifications_recipient_unread (recipient_id, unread, timestamp),
  KEY notifications_recipient_time (recipient_id, timestamp),
  KEY notifications_target (target_type, target_id),
  KEY notifications_action_object (action_object_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
)sql";

// Gatekeepers (SPEC §11): one row per switch that was ever set; the whitelist is comma-separated
// user ids ("" for none). Names are at most 64 characters of [a-z0-9_].
constexpr std::string_view kGatekeepersSqlite = R"sql(
CREATE TABLE IF NOT EXISTS gatekeepers (
  name TEXT PRIMARY KEY NOT NULL,
  percent INTEGER NOT NULL,
  whitelist TEXT NOT NULL,
  description TEXT NOT NULL
)
)sql";
constexpr std::string_view kGatekeepersMysql = R"sql(
CREATE TABLE IF NOT EXISTS gatekeepers (
  name VARCHAR(64) NOT NULL,
  percent INT NOT NULL,
  whitelist MEDIUMTEXT NOT NULL,
  description TEXT NOT NULL,
  PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
)sql";

constexpr Migration kMigrations[] = {
    {1, "accounts: users, profiles, sessions, tokens", kAccountsSqlite, kAccountsMysql},
    {2, "social: tweets, tweet_photos, friendships, newsfeeds, user_stats, outbox", kSocialSqlite,
     kSocialMysql},
    {3, "interactions: comments, likes, notifications", kInteractionsSqlite, kInteractionsMysql},
    {4, "gatekeepers", kGatekeepersSqlite, kGatekeepersMysql},
};

}  // namespace

std::span<const Migration> migrations() {
  return kMigrations;
}

}  // namespace chirp::store::sql
