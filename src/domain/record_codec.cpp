#include "domain/record_codec.hpp"

#include <cstdint>
#include <cstring>

namespace chirp::domain {
namespace {

constexpr char kUserFormat = 1;
constexpr char kTweetFormat = 1;
constexpr char kIdentityFormat = 1;

class Writer {
 public:
  explicit Writer(char format) { out_.push_back(format); }
  void i64(std::int64_t v) {
    char buf[8];
    std::memcpy(buf, &v, 8);
    out_.append(buf, 8);
  }
  void str(std::string_view s) {
    i64(static_cast<std::int64_t>(s.size()));
    out_.append(s);
  }
  void opt(const std::optional<std::string>& s) {
    out_.push_back(s ? 1 : 0);
    if (s) str(*s);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// Every read is bounds-checked: a truncated or foreign value yields nullopt, never UB.
class Reader {
 public:
  Reader(std::string_view in, char format) : in_(in) {
    ok_ = !in_.empty() && in_[0] == format;
    pos_ = 1;
  }
  bool ok() const { return ok_ && pos_ == in_.size(); }
  std::int64_t i64() {
    if (!ok_ || in_.size() - pos_ < 8) return fail();
    std::int64_t v;
    std::memcpy(&v, in_.data() + pos_, 8);
    pos_ += 8;
    return v;
  }
  std::string str() {
    auto n = i64();
    if (!ok_ || n < 0 || static_cast<std::size_t>(n) > in_.size() - pos_) return fail(), "";
    std::string s(in_.substr(pos_, static_cast<std::size_t>(n)));
    pos_ += static_cast<std::size_t>(n);
    return s;
  }
  std::optional<std::string> opt() {
    if (!ok_ || pos_ >= in_.size()) return fail(), std::nullopt;
    bool present = in_[pos_++] != 0;
    if (!present) return std::nullopt;
    return str();
  }

 private:
  std::int64_t fail() {
    ok_ = false;
    return 0;
  }
  std::string_view in_;
  std::size_t pos_ = 0;
  bool ok_ = false;
};

}  // namespace

std::string encode_identity(const User& user) {
  Writer w(kIdentityFormat);
  w.i64(user.id);
  w.str(user.username);
  w.str(user.email);
  w.i64(user.is_staff ? 1 : 0);
  w.i64(user.date_joined);
  return w.take();
}

std::optional<User> decode_identity(std::string_view bytes) {
  Reader r(bytes, kIdentityFormat);
  User user;
  user.id = r.i64();
  user.username = r.str();
  user.email = r.str();
  user.is_staff = r.i64() != 0;
  user.date_joined = r.i64();
  if (!r.ok()) return std::nullopt;
  return user;
}

std::string encode_user_summary(const UserSummary& user) {
  Writer w(kUserFormat);
  w.i64(user.id);
  w.str(user.username);
  w.opt(user.nickname);
  w.opt(user.avatar);
  return w.take();
}

std::optional<UserSummary> decode_user_summary(std::string_view bytes) {
  Reader r(bytes, kUserFormat);
  UserSummary user;
  user.id = r.i64();
  user.username = r.str();
  user.nickname = r.opt();
  user.avatar = r.opt();
  if (!r.ok()) return std::nullopt;
  return user;
}

std::string encode_tweet(const Tweet& tweet) {
  Writer w(kTweetFormat);
  w.i64(tweet.id);
  w.i64(tweet.user_id);
  w.str(tweet.content);
  w.i64(tweet.created_at);
  w.i64(tweet.updated_at);
  w.i64(tweet.likes_count);
  w.i64(tweet.comments_count);
  w.i64(static_cast<std::int64_t>(tweet.photos.size()));
  for (const auto& p : tweet.photos) w.str(p);
  return w.take();
}

std::optional<Tweet> decode_tweet(std::string_view bytes) {
  Reader r(bytes, kTweetFormat);
  Tweet t;
  t.id = r.i64();
  t.user_id = r.i64();
  t.content = r.str();
  t.created_at = r.i64();
  t.updated_at = r.i64();
  t.likes_count = r.i64();
  t.comments_count = r.i64();
  auto n = r.i64();
  if (n < 0 || n > 64) return std::nullopt;
  for (std::int64_t i = 0; i < n; ++i) t.photos.push_back(r.str());
  if (!r.ok()) return std::nullopt;
  return t;
}

}  // namespace chirp::domain
