#include "http/router.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "common/errors.hpp"

namespace chirp::http {
namespace {

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    list_users = router.add("GET", "/api/users/");
    create_user = router.add("POST", "/api/users/");
    get_user = router.add("GET", "/api/users/{id}/");
    delete_user = router.add("DELETE", "/api/users/{id}/");
    get_me = router.add("GET", "/api/users/me/");
    get_gatekeeper = router.add("GET", "/api/gatekeepers/{name:str}/");
    set_gatekeeper = router.add("POST", "/api/gatekeepers/{name:str}/");
    healthz = router.add("GET", "/healthz");
    media = router.add("GET", "/media/{path:rest}");
    comment = router.add("PUT", "/api/tweets/{tweet_id}/comments/{id}/");
  }

  Router router;
  std::size_t list_users = 0, create_user = 0, get_user = 0, delete_user = 0, get_me = 0,
              get_gatekeeper = 0, set_gatekeeper = 0, healthz = 0, media = 0, comment = 0;
};

TEST_F(RouterTest, AddReturnsIndicesInOrder) {
  EXPECT_EQ(list_users, 0u);
  EXPECT_EQ(create_user, 1u);
  EXPECT_EQ(comment, 9u);
}

TEST_F(RouterTest, FinalSlashIsOptional) {
  for (const char* path : {"/api/users/", "/api/users"}) {
    const auto m = router.match("GET", path);
    EXPECT_EQ(m.status, MatchStatus::Found) << path;
    EXPECT_EQ(m.route, list_users) << path;
    EXPECT_EQ(m.pattern, "/api/users/");
  }
  for (const char* path : {"/healthz", "/healthz/"}) {
    const auto m = router.match("GET", path);
    EXPECT_EQ(m.status, MatchStatus::Found) << path;
    EXPECT_EQ(m.route, healthz);
  }
}

TEST_F(RouterTest, MethodSelectsRoute) {
  const auto m = router.match("POST", "/api/users");
  EXPECT_EQ(m.status, MatchStatus::Found);
  EXPECT_EQ(m.route, create_user);
}

TEST_F(RouterTest, UnknownPathIsNotFound) {
  EXPECT_EQ(router.match("GET", "/api/nothing/").status, MatchStatus::NotFound);
  EXPECT_EQ(router.match("GET", "/").status, MatchStatus::NotFound);
  EXPECT_EQ(router.match("GET", "").status, MatchStatus::NotFound);
  EXPECT_EQ(router.match("GET", "api/users/").status, MatchStatus::NotFound);
  EXPECT_EQ(router.match("GET", "/api/users/1/extra/").status, MatchStatus::NotFound);
  EXPECT_EQ(router.match("GET", "/api/").status, MatchStatus::NotFound);
}

TEST_F(RouterTest, EmptySegmentsDoNotMatch) {
  EXPECT_EQ(router.match("GET", "//api/users/").status, MatchStatus::NotFound);
  EXPECT_EQ(router.match("GET", "/api//users/").status, MatchStatus::NotFound);
  EXPECT_EQ(router.match("GET", "/api/users//").status, MatchStatus::NotFound);
  EXPECT_EQ(router.match("GET", "/media//a.jpg").status, MatchStatus::NotFound);
  EXPECT_EQ(router.match("GET", "/media/a//b.jpg").status, MatchStatus::NotFound);
}

TEST_F(RouterTest, IdParameterIsParsed) {
  const auto m = router.match("GET", "/api/users/42/");
  ASSERT_EQ(m.status, MatchStatus::Found);
  EXPECT_EQ(m.route, get_user);
  EXPECT_EQ(m.pattern, "/api/users/{id}/");
  EXPECT_EQ(m.params.get("id"), "42");
  EXPECT_EQ(m.params.id("id"), 42);
  EXPECT_EQ(router.match("GET", "/api/users/9223372036854775807").params.id("id"),
            9223372036854775807LL);
}

TEST_F(RouterTest, BadIdsDoNotMatch) {
  for (const char* path :
       {"/api/users/abc/", "/api/users/-1/", "/api/users/0/", "/api/users/+5/", "/api/users/00/",
        "/api/users/1.5/", "/api/users/1e3/", "/api/users/99999999999999999999/",
        "/api/users/9223372036854775808/", "/api/users/%31/", "/api/users/ 1/"}) {
    EXPECT_EQ(router.match("GET", path).status, MatchStatus::NotFound) << path;
    EXPECT_EQ(router.match("DELETE", path).status, MatchStatus::NotFound) << path;
  }
}

TEST_F(RouterTest, SeveralIdParameters) {
  const auto m = router.match("PUT", "/api/tweets/7/comments/8");
  ASSERT_EQ(m.status, MatchStatus::Found);
  EXPECT_EQ(m.route, comment);
  EXPECT_EQ(m.params.id("tweet_id"), 7);
  EXPECT_EQ(m.params.id("id"), 8);
  EXPECT_EQ(router.match("PUT", "/api/tweets/7/comments/x/").status, MatchStatus::NotFound);
}

TEST_F(RouterTest, LiteralBeatsParameter) {
  const auto me = router.match("GET", "/api/users/me/");
  ASSERT_EQ(me.status, MatchStatus::Found);
  EXPECT_EQ(me.route, get_me);
  EXPECT_TRUE(me.params.values.empty());
  // The literal path exists with GET only: DELETE is not allowed there, even though the
  // {id} pattern has DELETE ("me" is no id anyway).
  const auto del = router.match("DELETE", "/api/users/me/");
  EXPECT_EQ(del.status, MatchStatus::MethodNotAllowed);
  EXPECT_EQ(del.allow, "GET, HEAD, OPTIONS");
}

TEST(RouterOrderTest, LiteralBeatsStrParameterWhateverTheOrder) {
  Router router;
  const auto by_name = router.add("GET", "/api/gatekeepers/{name:str}/");
  const auto all = router.add("GET", "/api/gatekeepers/all/");
  EXPECT_EQ(router.match("GET", "/api/gatekeepers/all").route, all);
  EXPECT_EQ(router.match("GET", "/api/gatekeepers/other").route, by_name);
}

TEST(RouterOrderTest, IdBeatsStrAndStrBeatsRest) {
  Router router;
  const auto rest = router.add("GET", "/x/{p:rest}");
  const auto str = router.add("GET", "/x/{s:str}/");
  const auto id = router.add("GET", "/x/{id}/");
  EXPECT_EQ(router.match("GET", "/x/5").route, id);
  EXPECT_EQ(router.match("GET", "/x/abc").route, str);
  EXPECT_EQ(router.match("GET", "/x/abc/def").route, rest);
}

TEST_F(RouterTest, StrParameter) {
  const auto m = router.match("GET", "/api/gatekeepers/swap_photo/");
  ASSERT_EQ(m.status, MatchStatus::Found);
  EXPECT_EQ(m.route, get_gatekeeper);
  EXPECT_EQ(m.params.get("name"), "swap_photo");
  EXPECT_EQ(m.params.get("other"), std::nullopt);
  EXPECT_EQ(router.match("POST", "/api/gatekeepers/x").route, set_gatekeeper);
}

TEST_F(RouterTest, RestParameterTakesTheRemainingPath) {
  auto m = router.match("GET", "/media/photos/2026/a.jpg");
  ASSERT_EQ(m.status, MatchStatus::Found);
  EXPECT_EQ(m.route, media);
  EXPECT_EQ(m.params.get("path"), "photos/2026/a.jpg");
  m = router.match("GET", "/media/a.jpg/");
  ASSERT_EQ(m.status, MatchStatus::Found);
  EXPECT_EQ(m.params.get("path"), "a.jpg");
  EXPECT_EQ(router.match("GET", "/media/").status, MatchStatus::NotFound);
  EXPECT_EQ(router.match("GET", "/media").status, MatchStatus::NotFound);
}

TEST_F(RouterTest, WrongMethodIsMethodNotAllowedWithAllow) {
  auto m = router.match("PATCH", "/api/users/");
  EXPECT_EQ(m.status, MatchStatus::MethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, POST, HEAD, OPTIONS");
  EXPECT_EQ(m.pattern, "/api/users/");

  m = router.match("PUT", "/api/users/3");
  EXPECT_EQ(m.status, MatchStatus::MethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, DELETE, HEAD, OPTIONS");

  m = router.match("GET", "/api/tweets/1/comments/2/");
  EXPECT_EQ(m.status, MatchStatus::MethodNotAllowed);
  EXPECT_EQ(m.allow, "PUT, OPTIONS");  // no GET: no HEAD either
}

TEST_F(RouterTest, MethodsAreCaseSensitive) {
  EXPECT_EQ(router.match("get", "/api/users/").status, MatchStatus::MethodNotAllowed);
}

TEST_F(RouterTest, HeadMatchesGet) {
  const auto m = router.match("HEAD", "/api/users/5/");
  ASSERT_EQ(m.status, MatchStatus::Found);
  EXPECT_EQ(m.route, get_user);
  EXPECT_EQ(m.params.id("id"), 5);
  EXPECT_EQ(router.match("HEAD", "/api/tweets/1/comments/2/").status,
            MatchStatus::MethodNotAllowed);
}

TEST_F(RouterTest, OptionsOnExistingPath) {
  const auto m = router.match("OPTIONS", "/api/users");
  EXPECT_EQ(m.status, MatchStatus::Options);
  EXPECT_EQ(m.allow, "GET, POST, HEAD, OPTIONS");
  EXPECT_EQ(router.match("OPTIONS", "/api/nothing/").status, MatchStatus::NotFound);
  EXPECT_EQ(router.match("OPTIONS", "/api/users/0/").status, MatchStatus::NotFound);
}

TEST(RouterExplicitTest, ExplicitHeadAndOptionsRoutesWinAndAreNotRepeated) {
  Router router;
  router.add("GET", "/a/");
  const auto head = router.add("HEAD", "/a/");
  const auto options = router.add("OPTIONS", "/a/");
  router.add("GET", "/a/");  // registered twice by mistake: listed once
  EXPECT_EQ(router.match("HEAD", "/a").route, head);
  EXPECT_EQ(router.match("OPTIONS", "/a").route, options);
  EXPECT_EQ(router.match("OPTIONS", "/a").status, MatchStatus::Found);
  EXPECT_EQ(router.match("POST", "/a").allow, "GET, HEAD, OPTIONS");
}

TEST(RouterPatternTest, SamePatternWithOrWithoutSlashIsOnePath) {
  Router router;
  router.add("GET", "/api/x/");
  router.add("POST", "/api/x");
  EXPECT_EQ(router.match("DELETE", "/api/x/").allow, "GET, POST, HEAD, OPTIONS");
}

TEST(RouterPatternTest, MalformedPatternsAreRejected) {
  Router router;
  EXPECT_THROW(router.add("GET", "/a//b/"), std::invalid_argument);
  EXPECT_THROW(router.add("GET", "/a/{}/"), std::invalid_argument);
  EXPECT_THROW(router.add("GET", "/a/{x:float}/"), std::invalid_argument);
  EXPECT_THROW(router.add("GET", "/a/{p:rest}/b/"), std::invalid_argument);
  EXPECT_THROW(router.add("GET", "a/"), std::invalid_argument);
}

TEST(PathParamsTest, IdOfNonNumericParameterIsNotFound) {
  PathParams params;
  params.values = {{"name", "abc"}};
  EXPECT_THROW(params.id("name"), NotFound);
  EXPECT_THROW(params.id("missing"), std::invalid_argument);
}

}  // namespace
}  // namespace chirp::http
