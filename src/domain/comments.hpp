#pragma once
// Comments (SPEC §8): list by tweet (oldest first), create, edit and delete by the owner.
#include <optional>
#include <string>
#include <vector>

#include "domain/interaction_repositories.hpp"
#include "domain/social_repositories.hpp"
#include "domain/tweet_loader.hpp"
#include "domain/users.hpp"

namespace chirp::domain {

inline constexpr std::size_t kCommentMaxLength = 140;
inline constexpr std::size_t kMaxCommentsPerList = 1000;

struct CommentView {
  Comment comment;
  UserSummary author;
  bool has_liked = false;
};

struct CommentList {
  std::vector<CommentView> comments;
  bool has_next_page = false;
};

std::vector<std::string> comment_content_errors(std::string_view content);

class CommentService {
 public:
  CommentService(CommentRepository& comments, LikeRepository& likes, UserDirectory& users,
                 TweetLoader& tweets)
      : comments_(comments), likes_(likes), users_(users), tweets_(tweets) {}

  // Oldest first, after `after` when given, at most `limit` (has_next_page when more exist).
  CommentList list(TweetId tweet, std::optional<Micros> after, std::size_t limit,
                   std::optional<UserId> caller);
  // ValidationError: content rules, or tweet_id "Tweet does not exist.".
  CommentView create(UserId user, TweetId tweet, const std::string& content);
  // NotFound, PermissionDenied::not_owner, ValidationError.
  CommentView update(CommentId id, UserId caller, const std::string& content);
  void remove(CommentId id, UserId caller);

 private:
  std::vector<CommentView> views(const std::vector<Comment>& comments, std::optional<UserId> caller);
  Comment owned(CommentId id, UserId caller);

  CommentRepository& comments_;
  LikeRepository& likes_;
  UserDirectory& users_;
  TweetLoader& tweets_;
};

}  // namespace chirp::domain
