#include "domain/comments.hpp"

#include <unordered_set>

#include "common/errors.hpp"
#include "common/text.hpp"
#include "domain/account_rules.hpp"
#include "domain/clock.hpp"

namespace chirp::domain {

std::vector<std::string> comment_content_errors(std::string_view content) {
  if (content.empty()) return {std::string(kBlank)};
  if (code_point_length(content) > kCommentMaxLength) return {max_length_message(kCommentMaxLength)};
  return {};
}

std::vector<CommentView> CommentService::views(const std::vector<Comment>& comments,
                                               std::optional<UserId> caller) {
  std::vector<UserId> authors;
  std::vector<std::int64_t> ids;
  for (const auto& c : comments) {
    authors.push_back(c.user_id);
    ids.push_back(c.id);
  }
  auto users = users_.summaries(authors);
  std::unordered_set<std::int64_t> liked;
  if (caller && !ids.empty()) {
    for (auto id : likes_.liked_among(*caller, ContentType::Comment, ids)) liked.insert(id);
  }
  std::vector<CommentView> out;
  out.reserve(comments.size());
  for (const auto& c : comments) {
    auto u = users.find(c.user_id);
    if (u == users.end()) continue;
    out.push_back({c, u->second, liked.contains(c.id)});
  }
  return out;
}

CommentList CommentService::list(TweetId tweet, std::optional<Micros> after, std::size_t limit,
                                 std::optional<UserId> caller) {
  auto rows = comments_.list_by_tweet(tweet, after, limit + 1);
  CommentList out;
  out.has_next_page = rows.size() > limit;
  if (out.has_next_page) rows.resize(limit);
  out.comments = views(rows, caller);
  return out;
}

CommentView CommentService::create(UserId user, TweetId tweet, const std::string& content) {
  if (auto messages = comment_content_errors(content); !messages.empty()) {
    throw ValidationError({{"content", std::move(messages)}});
  }
  // The author is read before the transaction: a store call from inside it could wait for a pooled
  // connection held by another transaction waiting for ours.
  auto target = tweets_.load_one(tweet, std::nullopt);
  if (!target) throw ValidationError("tweet_id", "Tweet does not exist.");
  UserId tweet_author = target->tweet.user_id;
  auto comment = comments_.create(
      tweet, user, content, unique_now(),
      [&](const Comment& c) -> std::optional<NewNotification> {
        if (tweet_author == user) return std::nullopt;  // never for your own actions
        return NewNotification{tweet_author, user, "commented on your tweet", ContentType::Tweet,
                               c.tweet_id, c.id};
      });
  if (!comment) throw ValidationError("tweet_id", "Tweet does not exist.");
  tweets_.forget(tweet);  // comments_count changed
  auto out = views({*comment}, user);
  if (out.empty()) throw NotFound();
  return out.front();
}

Comment CommentService::owned(CommentId id, UserId caller) {
  auto comment = comments_.find(id);
  if (!comment) throw NotFound();
  if (comment->user_id != caller) throw PermissionDenied::not_owner();
  return *comment;
}

CommentView CommentService::update(CommentId id, UserId caller, const std::string& content) {
  owned(id, caller);
  if (auto messages = comment_content_errors(content); !messages.empty()) {
    throw ValidationError({{"content", std::move(messages)}});
  }
  if (!comments_.update_content(id, content, now_micros())) throw NotFound();
  auto comment = comments_.find(id);
  if (!comment) throw NotFound();
  auto out = views({*comment}, caller);
  if (out.empty()) throw NotFound();
  return out.front();
}

void CommentService::remove(CommentId id, UserId caller) {
  owned(id, caller);
  auto removed = comments_.remove(id);
  if (!removed) throw NotFound();
  tweets_.forget(removed->tweet_id);  // comments_count changed
}

}  // namespace chirp::domain
