#pragma once
// Who wrote the tweets this process has loaded lately, in process memory, so a page can ask the
// object cache for its authors in the same multi-get as for its tweets (authors otherwise need the
// tweets' records first: a second round trip). A hint only: the tweet record fetched with it says
// who the author is, and a missing or wrong hint just costs that author one more read. A tweet's
// author never changes, so hints are never invalidated; a slot holds the last tweet hashed to it.
#include <atomic>
#include <cstddef>
#include <optional>
#include <vector>

#include "domain/entities.hpp"

namespace chirp::domain {

class TweetAuthorHints {
 public:
  // `slots` (rounded up to a power of two) tweets are remembered at most; 16 bytes each.
  explicit TweetAuthorHints(std::size_t slots = std::size_t{1} << 17);
  std::optional<UserId> find(TweetId tweet) const;
  void remember(TweetId tweet, UserId author);

 private:
  // Relaxed atomics: a reader racing a writer of the same slot may see a tweet id with another
  // tweet's author, which is a wrong hint, never a wrong answer.
  struct Slot {
    std::atomic<TweetId> tweet{0};
    std::atomic<UserId> author{0};
  };
  std::size_t mask_;
  std::vector<Slot> slots_;
};

}  // namespace chirp::domain
