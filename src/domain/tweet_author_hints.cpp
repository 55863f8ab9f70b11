#include "domain/tweet_author_hints.hpp"

#include <bit>

namespace chirp::domain {

TweetAuthorHints::TweetAuthorHints(std::size_t slots)
    : mask_(std::bit_ceil(slots < 1 ? std::size_t{1} : slots) - 1), slots_(mask_ + 1) {}

std::optional<UserId> TweetAuthorHints::find(TweetId tweet) const {
  const Slot& slot = slots_[static_cast<std::size_t>(tweet) & mask_];
  if (tweet <= 0 || slot.tweet.load(std::memory_order_relaxed) != tweet) return std::nullopt;
  return slot.author.load(std::memory_order_relaxed);
}

void TweetAuthorHints::remember(TweetId tweet, UserId author) {
  if (tweet <= 0) return;
  Slot& slot = slots_[static_cast<std::size_t>(tweet) & mask_];
  slot.tweet.store(tweet, std::memory_order_relaxed);
  slot.author.store(author, std::memory_order_relaxed);
}

}  // namespace chirp::domain
