#include "domain/rate_limiter.hpp"

#include <gtest/gtest.h>

#include "common/errors.hpp"
#include "store/cache/local_rate_limit_store.hpp"

using namespace chirp;

TEST(RateLimiter, AllowsLimitThenRefusesWithRetryAfter) {
  store::cache::LocalRateLimitStore store;
  domain::RateLimiter limiter(store, true);
  // A 1-hour window cannot roll over during the test.
  std::vector<domain::RateRule> rules{{3, 3600}};
  for (int i = 0; i < 3; ++i) EXPECT_NO_THROW(limiter.check("s", "ip:1", rules));
  try {
    limiter.check("s", "ip:1", rules);
    FAIL() << "expected RateLimited";
  } catch (const RateLimited& e) {
    EXPECT_GE(e.retry_after, 1);
    EXPECT_LE(e.retry_after, 3600);
  }
}

TEST(RateLimiter, KeysAndScopesHaveSeparateBuckets) {
  store::cache::LocalRateLimitStore store;
  domain::RateLimiter limiter(store, true);
  std::vector<domain::RateRule> rules{{1, 3600}};
  limiter.check("a", "ip:1", rules);
  EXPECT_NO_THROW(limiter.check("a", "ip:2", rules));
  EXPECT_NO_THROW(limiter.check("b", "ip:1", rules));
  EXPECT_THROW(limiter.check("a", "ip:1", rules), RateLimited);
}

TEST(RateLimiter, EveryRuleCounts) {
  store::cache::LocalRateLimitStore store;
  domain::RateLimiter limiter(store, true);
  std::vector<domain::RateRule> rules{{100, 3600}, {2, 7200}};
  limiter.check("t", "user:1", rules);
  limiter.check("t", "user:1", rules);
  EXPECT_THROW(limiter.check("t", "user:1", rules), RateLimited);
}

TEST(RateLimiter, DisabledNeverRefuses) {
  store::cache::LocalRateLimitStore store;
  domain::RateLimiter limiter(store, false);
  for (int i = 0; i < 50; ++i) EXPECT_NO_THROW(limiter.check("s", "k", {{1, 3600}}));
}
