"""SPEC §8 comments: list (oldest first, 1000 at most, created_at__gt continues), create, edit, delete,
their effect on the tweet's comments_count everywhere the tweet appears, and the tweet detail embeds
(§5.3)."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import (COMMENT_KEYS, COMMENTS, CSRF_FAILED, NOT_AUTHENTICATED, NOT_FOUND, NOT_OWNER,
                      TIMESTAMP_RE, Client, assert_field_errors, assert_json, clone_client, feed, follow, like,
                      list_comments, poll, post_comment, post_tweet, signup, token_client, ts_us, tweet_detail,
                      user_repr, user_tweets)

REQUIRED = ["This field is required."]
BLANK = ["This field may not be blank."]
TOO_LONG = ["Ensure this field has no more than 140 characters."]
NOT_INT = ["A valid integer is required."]
NO_TWEET = ["Tweet does not exist."]
MISSING_TWEET_ID = {"success": False, "message": "missing tweet_id in request"}


def cpath(cid) -> str:
    return f"{COMMENTS}{cid}/"


def assert_comment_shape(c: dict, author: Client, tweet_id: int, content: str | None = None):
    assert set(c) >= COMMENT_KEYS, c
    assert isinstance(c["id"], int) and c["id"] > 0
    assert c["tweet_id"] == tweet_id
    assert c["user"] == user_repr(author), c["user"]
    assert TIMESTAMP_RE.match(c["created_at"]), c["created_at"]
    assert TIMESTAMP_RE.match(c["updated_at"]), c["updated_at"]
    assert isinstance(c["likes_count"], int) and isinstance(c["has_liked"], bool)
    if content is not None:
        assert c["content"] == content


def comments_count_everywhere(viewer: Client, author: Client, tweet_id: int) -> tuple[int, int, int]:
    """The tweet's comments_count in its detail, in its author's list and in the author's feed."""
    detail = tweet_detail(viewer, tweet_id)["comments_count"]
    [listed] = [t for t in user_tweets(viewer, author.user_id) if t["id"] == tweet_id]
    [fed] = [i["tweet"] for i in feed(author) if i["tweet"]["id"] == tweet_id]
    return detail, listed["comments_count"], fed["comments_count"]


def many(n: int, fn, workers: int = 16) -> list:
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(fn, range(n)))


@pytest.fixture
def tweet(user) -> dict:
    return post_tweet(user)


# ---------------------------------------------------------------- create


@pytest.mark.smoke
def test_create_comment(user, other_user, anon, tweet):
    r = other_user.post(COMMENTS, json={"tweet_id": tweet["id"], "content": "   nice one   "})
    c = assert_json(r, 201)
    assert_comment_shape(c, other_user, tweet["id"], "nice one")
    assert c["likes_count"] == 0 and c["has_liked"] is False
    assert ts_us(c["updated_at"]) >= ts_us(c["created_at"])
    assert ts_us(c["created_at"]) >= ts_us(tweet["created_at"])
    # Anyone can list it, with the same representation.
    assert list_comments(anon, tweet["id"]) == [c]
    assert list_comments(user, tweet["id"]) == [c]
    assert comments_count_everywhere(anon, user, tweet["id"]) == (1, 1, 1)


def test_author_may_comment_on_own_tweet(user, tweet):
    c = post_comment(user, tweet["id"], "replying to myself")
    assert_comment_shape(c, user, tweet["id"], "replying to myself")
    assert tweet_detail(user, tweet["id"])["comments_count"] == 1


def test_create_from_form_body_and_string_id(user, other_user, tweet):
    c = assert_json(other_user.post(COMMENTS, data={"tweet_id": str(tweet["id"]), "content": "form comment"}), 201)
    assert_comment_shape(c, other_user, tweet["id"], "form comment")
    c2 = assert_json(other_user.post(COMMENTS, json={"tweet_id": str(tweet["id"]), "content": "json string id"}),
                     201)
    assert c2["tweet_id"] == tweet["id"]
    c3 = assert_json(other_user.post(COMMENTS, files={"tweet_id": (None, str(tweet["id"])),
                                                      "content": (None, "multipart")}), 201)
    assert c3["content"] == "multipart"
    assert [x["id"] for x in list_comments(user, tweet["id"])] == [c["id"], c2["id"], c3["id"]]


def test_create_with_token(server, user, other_user, tweet):
    tc = token_client(server, other_user.user["username"], other_user.password)
    c = assert_json(tc.post(COMMENTS, json={"tweet_id": tweet["id"], "content": "by token"}), 201)
    assert c["user"]["id"] == other_user.user_id


def test_create_needs_login_and_csrf(anon, other_user, tweet):
    body = {"tweet_id": tweet["id"], "content": "anonymous"}
    assert_json(anon.post(COMMENTS, json=body), 403, NOT_AUTHENTICATED)
    assert_json(other_user.post(COMMENTS, json=body, csrf=False), 403, CSRF_FAILED)
    assert list_comments(anon, tweet["id"]) == []
    assert tweet_detail(anon, tweet["id"])["comments_count"] == 0


def test_content_length_limits(user, other_user, tweet):
    one = post_comment(other_user, tweet["id"], "k")
    assert one["content"] == "k"
    longest = "é" * 140  # code points, not bytes
    assert post_comment(other_user, tweet["id"], longest)["content"] == longest
    padded = "  " + "x" * 140 + "  "  # trimmed before the length check
    assert post_comment(other_user, tweet["id"], padded)["content"] == "x" * 140
    assert_field_errors(other_user.post(COMMENTS, json={"tweet_id": tweet["id"], "content": "é" * 141}),
                        {"content": TOO_LONG})
    for blank in ("", "   ", "\n\t "):
        assert_field_errors(other_user.post(COMMENTS, json={"tweet_id": tweet["id"], "content": blank}),
                            {"content": BLANK})
    assert tweet_detail(user, tweet["id"])["comments_count"] == 3


def test_create_validation(user, other_user, tweet):
    tid = tweet["id"]
    assert_field_errors(other_user.post(COMMENTS, json={"tweet_id": tid}), {"content": REQUIRED})
    assert_field_errors(other_user.post(COMMENTS, json={"content": "hello"}), {"tweet_id": REQUIRED})
    assert_field_errors(other_user.post(COMMENTS, json={}), {"tweet_id": REQUIRED, "content": REQUIRED})
    assert_field_errors(other_user.post(COMMENTS, json={"tweet_id": "abc", "content": "hello"}), {"tweet_id": NOT_INT})
    assert_field_errors(other_user.post(COMMENTS, json={"tweet_id": 9_000_000_000, "content": "hello"}),
                        {"tweet_id": NO_TWEET})
    assert tweet_detail(user, tid)["comments_count"] == 0
    assert list_comments(user, tid) == []


def test_comment_on_deleted_tweet(user, other_user, tweet):
    assert_json(user.delete(f"/api/tweets/{tweet['id']}/"), 200)
    assert_field_errors(other_user.post(COMMENTS, json={"tweet_id": tweet["id"], "content": "too late"}),
                        {"tweet_id": NO_TWEET})


def test_comments_count_in_followers_feed(server, user, tweet):
    fan = signup(server)
    follow(fan, user.user_id)
    poll(lambda: [i["tweet"]["id"] for i in feed(fan)], lambda ids: tweet["id"] in ids,
         what="the followed user's tweet in the fan's feed")
    commenters = [signup(server) for _ in range(3)]
    made = [post_comment(c, tweet["id"]) for c in commenters]

    def fan_count():
        return [i["tweet"]["comments_count"] for i in feed(fan) if i["tweet"]["id"] == tweet["id"]]

    assert fan_count() == [3]
    assert_json(commenters[0].delete(cpath(made[0]["id"])), 200, {"success": True})
    assert fan_count() == [2]
    assert comments_count_everywhere(fan, user, tweet["id"]) == (2, 2, 2)


# ---------------------------------------------------------------- list


def test_list_oldest_first_with_unique_timestamps(server, user, tweet):
    others = [signup(server) for _ in range(2)]
    made = [post_comment(others[i % 2], tweet["id"], f"comment number {i}") for i in range(6)]
    got = list_comments(user, tweet["id"])
    assert [c["id"] for c in got] == [c["id"] for c in made]
    assert [c["content"] for c in got] == [f"comment number {i}" for i in range(6)]
    stamps = [ts_us(c["created_at"]) for c in got]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    for c, m in zip(got, made):
        assert c == m


def test_list_only_that_tweets_comments(user, other_user):
    t1, t2 = post_tweet(user), post_tweet(user)
    c1 = post_comment(other_user, t1["id"])
    c2 = post_comment(other_user, t2["id"])
    assert [c["id"] for c in list_comments(user, t1["id"])] == [c1["id"]]
    assert [c["id"] for c in list_comments(user, t2["id"])] == [c2["id"]]


def test_list_parameters(anon, user, other_user, tweet):
    assert_json(anon.get(COMMENTS), 400, MISSING_TWEET_ID)
    assert_json(anon.get(COMMENTS, params={"content": "x"}), 400, MISSING_TWEET_ID)
    assert_field_errors(anon.get(COMMENTS, params={"tweet_id": "abc"}), {"tweet_id": NOT_INT})
    assert_json(anon.get(COMMENTS, params={"tweet_id": 9_000_000_000}), 200, {"comments": []})
    assert_json(anon.get(COMMENTS, params={"tweet_id": tweet["id"]}), 200, {"comments": []})
    c = post_comment(other_user, tweet["id"])
    # Other query parameters are ignored.
    data = assert_json(anon.get(COMMENTS, params={"tweet_id": tweet["id"], "page_size": "abc", "page": "x",
                                                  "user_id": user.user_id}), 200)
    assert [x["id"] for x in data["comments"]] == [c["id"]]
    assert data.get("has_next_page", False) is False
    # Without the final slash too (SPEC §1.1).
    assert assert_json(anon.get(COMMENTS.rstrip("/"), params={"tweet_id": tweet["id"]}), 200) == data


def test_list_created_at_gt_continues(user, other_user, tweet):
    made = [post_comment(other_user, tweet["id"]) for _ in range(4)]
    after_first = list_comments(user, tweet["id"], created_at__gt=made[0]["created_at"])
    assert [c["id"] for c in after_first] == [c["id"] for c in made[1:]]
    assert list_comments(user, tweet["id"], created_at__gt=made[-1]["created_at"]) == []
    # Microsecond integers are accepted as cursors too (SPEC §1.5).
    by_int = list_comments(user, tweet["id"], created_at__gt=str(ts_us(made[1]["created_at"])))
    assert [c["id"] for c in by_int] == [c["id"] for c in made[2:]]


def test_list_bad_cursor(user, tweet):
    r = user.get(COMMENTS, params={"tweet_id": tweet["id"], "created_at__gt": "yesterday"})
    data = assert_json(r, 400)
    assert data.get("success") is False and "created_at__gt" in data.get("errors", {}), data


def test_list_has_liked_and_likes_count_for_the_caller(server, user, other_user, anon, tweet):
    c1 = post_comment(other_user, tweet["id"])
    c2 = post_comment(other_user, tweet["id"])
    fan = signup(server)
    like(user, "comment", c1["id"])
    like(fan, "comment", c1["id"])
    like(fan, "comment", c2["id"])
    for viewer, expected in ((user, [True, False]), (fan, [True, True]), (other_user, [False, False]),
                             (anon, [False, False])):
        got = list_comments(viewer, tweet["id"])
        assert [c["has_liked"] for c in got] == expected, viewer.user
        assert [c["likes_count"] for c in got] == [2, 1]


def test_list_shows_current_nickname(user, other_user, tweet):
    post_comment(other_user, tweet["id"])
    r = other_user.patch(f"/api/profiles/{other_user.user_id}/", json={"nickname": "Commenter Nick"})
    assert_json(r, 200)
    [c] = list_comments(user, tweet["id"])
    assert c["user"] == user_repr(other_user, "Commenter Nick")
    [embedded] = tweet_detail(user, tweet["id"])["comments"]
    assert embedded["user"]["nickname"] == "Commenter Nick"


def test_list_at_most_1000_then_continue(server, user):
    """1,005 comments: the first answer holds the oldest 1000 and has_next_page; created_at__gt goes on."""
    tweet = post_tweet(user)
    commenters = [signup(server) for _ in range(4)]
    clients = [clone_client(commenters[i % 4]) for i in range(16)]
    started = time.monotonic()
    many(1005, lambda i: assert_json(clients[i % 16].post(COMMENTS, json={"tweet_id": tweet["id"],
                                                                         "content": f"bulk {i}"}), 201))
    elapsed = time.monotonic() - started
    first = assert_json(user.get(COMMENTS, params={"tweet_id": tweet["id"]}), 200)
    assert len(first["comments"]) == 1000
    assert first.get("has_next_page") is True
    stamps = [ts_us(c["created_at"]) for c in first["comments"]]
    assert stamps == sorted(stamps) and len(set(stamps)) == 1000
    rest = assert_json(user.get(COMMENTS, params={"tweet_id": tweet["id"],
                                                 "created_at__gt": first["comments"][-1]["created_at"]}), 200)
    assert len(rest["comments"]) == 5
    assert rest.get("has_next_page", False) is False
    ids = [c["id"] for c in first["comments"] + rest["comments"]]
    assert len(set(ids)) == 1005
    assert sorted(c["content"] for c in first["comments"] + rest["comments"]) == sorted(f"bulk {i}"
                                                                                      for i in range(1005))
    detail = tweet_detail(user, tweet["id"])
    assert detail["comments_count"] == 1005
    # The detail embeds the oldest 100, oldest first.
    assert [c["id"] for c in detail["comments"]] == ids[:100]
    print(f"1005 comments created in {elapsed:.1f} s")


def test_concurrent_comments_all_listed_in_order(server, user):
    tweet = post_tweet(user)
    commenter = signup(server)
    clients = [clone_client(commenter) for _ in range(8)]
    made = many(40, lambda i: post_comment(clients[i % 8], tweet["id"], f"racing {i}"), workers=8)
    got = list_comments(user, tweet["id"])
    assert sorted(c["id"] for c in got) == sorted(c["id"] for c in made)
    stamps = [ts_us(c["created_at"]) for c in got]
    assert stamps == sorted(stamps) and len(set(stamps)) == 40, "comments of a tweet must not share created_at"
    assert tweet_detail(user, tweet["id"])["comments_count"] == 40


# ---------------------------------------------------------------- tweet detail embeds


def test_detail_embeds_comments_oldest_first(user, other_user, tweet):
    made = [post_comment(other_user, tweet["id"]) for _ in range(3)]
    detail = tweet_detail(other_user, tweet["id"])
    assert detail["comments"] == list_comments(other_user, tweet["id"])
    assert [c["id"] for c in detail["comments"]] == [c["id"] for c in made]
    assert detail["comments_count"] == 3


def test_detail_embeds_oldest_100(server, user):
    tweet = post_tweet(user)
    commenter = signup(server)
    clients = [clone_client(commenter) for _ in range(8)]
    many(105, lambda i: post_comment(clients[i % 8], tweet["id"]), workers=8)
    listed = list_comments(user, tweet["id"])
    assert len(listed) == 105
    detail = tweet_detail(user, tweet["id"])
    assert detail["comments_count"] == 105
    assert [c["id"] for c in detail["comments"]] == [c["id"] for c in listed[:100]]


# ---------------------------------------------------------------- update


@pytest.mark.smoke
@pytest.mark.parametrize("method", ["put", "patch"])
def test_update_comment(user, other_user, anon, tweet, method):
    c = post_comment(other_user, tweet["id"], "first draft")
    other_tweet = post_tweet(user)
    r = getattr(other_user, method)(cpath(c["id"]), json={
        "content": "  second draft  ", "tweet_id": other_tweet["id"], "user_id": user.user_id,
        "created_at": "2001-01-01T00:00:00.000000Z", "likes_count": 99, "id": c["id"] + 1000})
    u = assert_json(r, 200)
    assert_comment_shape(u, other_user, tweet["id"], "second draft")
    assert u["id"] == c["id"]
    assert u["created_at"] == c["created_at"]
    assert u["likes_count"] == 0
    assert ts_us(u["updated_at"]) > ts_us(c["updated_at"])
    # Shows everywhere.
    assert list_comments(anon, tweet["id"]) == [u]
    assert tweet_detail(anon, tweet["id"])["comments"] == [u]
    assert list_comments(anon, other_tweet["id"]) == []
    assert tweet_detail(anon, tweet["id"])["comments_count"] == 1
    assert tweet_detail(anon, other_tweet["id"])["comments_count"] == 0


def test_update_from_form_and_token(server, other_user, tweet):
    c = post_comment(other_user, tweet["id"])
    u = assert_json(other_user.patch(cpath(c["id"]), data={"content": "form edit"}), 200)
    assert u["content"] == "form edit"
    tc = token_client(server, other_user.user["username"], other_user.password)
    u = assert_json(tc.put(cpath(c["id"]), json={"content": "token edit"}), 200)
    assert u["content"] == "token edit"


def test_update_validation(other_user, tweet):
    c = post_comment(other_user, tweet["id"], "keep me")
    assert_field_errors(other_user.put(cpath(c["id"]), json={"content": "   "}), {"content": BLANK})
    assert_field_errors(other_user.patch(cpath(c["id"]), json={"content": "y" * 141}), {"content": TOO_LONG})
    assert_field_errors(other_user.put(cpath(c["id"]), json={"tweet_id": tweet["id"]}), {"content": REQUIRED})
    [got] = list_comments(other_user, tweet["id"])
    assert got["content"] == "keep me"
    assert got["updated_at"] == c["updated_at"]


def test_update_permissions(server, user, other_user, anon, tweet):
    c = post_comment(other_user, tweet["id"], "mine")
    body = {"content": "hijacked"}
    assert_json(anon.put(cpath(c["id"]), json=body), 403, NOT_AUTHENTICATED)
    # Not even the tweet's author may edit someone else's comment.
    assert_json(user.put(cpath(c["id"]), json=body), 403, NOT_OWNER)
    assert_json(user.patch(cpath(c["id"]), json=body), 403, NOT_OWNER)
    assert_json(other_user.put(cpath(c["id"]), json=body, csrf=False), 403, CSRF_FAILED)
    [got] = list_comments(anon, tweet["id"])
    assert got["content"] == "mine"
    for bad in ("9000000000", "abc", "-1", "0", "99999999999999999999"):
        assert_json(other_user.put(cpath(bad), json=body), 404, NOT_FOUND)
        assert_json(other_user.delete(cpath(bad)), 404, NOT_FOUND)


def test_comment_path_methods(other_user, anon, tweet):
    c = post_comment(other_user, tweet["id"])
    for client in (anon, other_user):
        r = client.get(cpath(c["id"]))
        assert r.status_code == 405, r.text
        allow = {m.strip() for m in r.headers.get("Allow", "").split(",")}
        assert {"PUT", "PATCH", "DELETE"} <= allow, allow
    r = anon.delete(COMMENTS)
    assert r.status_code == 405, r.text


# ---------------------------------------------------------------- delete


@pytest.mark.smoke
def test_delete_comment(server, user, other_user, anon, tweet):
    keep = post_comment(other_user, tweet["id"])
    gone = post_comment(other_user, tweet["id"])
    assert comments_count_everywhere(anon, user, tweet["id"]) == (2, 2, 2)
    assert_json(other_user.delete(cpath(gone["id"])), 200, {"success": True})
    assert [c["id"] for c in list_comments(anon, tweet["id"])] == [keep["id"]]
    assert [c["id"] for c in tweet_detail(anon, tweet["id"])["comments"]] == [keep["id"]]
    assert comments_count_everywhere(anon, user, tweet["id"]) == (1, 1, 1)
    # Gone: a second delete or an edit is 404 and the count does not move again.
    assert_json(other_user.delete(cpath(gone["id"])), 404, NOT_FOUND)
    assert_json(other_user.put(cpath(gone["id"]), json={"content": "ghost"}), 404, NOT_FOUND)
    assert comments_count_everywhere(anon, user, tweet["id"]) == (1, 1, 1)


def test_delete_permissions(user, other_user, anon, tweet):
    c = post_comment(other_user, tweet["id"])
    assert_json(anon.delete(cpath(c["id"])), 403, NOT_AUTHENTICATED)
    assert_json(user.delete(cpath(c["id"])), 403, NOT_OWNER)
    assert_json(other_user.delete(cpath(c["id"]), csrf=False), 403, CSRF_FAILED)
    assert [x["id"] for x in list_comments(anon, tweet["id"])] == [c["id"]]
    assert tweet_detail(anon, tweet["id"])["comments_count"] == 1


def test_delete_removes_the_comments_likes(server, user, other_user, anon, tweet):
    c = post_comment(other_user, tweet["id"])
    fans = [signup(server) for _ in range(2)]
    for f in fans:
        like(f, "comment", c["id"])
    like(fans[0], "tweet", tweet["id"])
    page = assert_json(anon.get("/api/likes/", params={"content_type": "comment", "object_id": c["id"]}), 200)
    assert len(page["results"]) == 2
    assert_json(other_user.delete(cpath(c["id"])), 200, {"success": True})
    assert_json(anon.get("/api/likes/", params={"content_type": "comment", "object_id": c["id"]}), 200,
                {"has_next_page": False, "results": []})
    r = fans[1].post("/api/likes/", json={"content_type": "comment", "object_id": c["id"]})
    assert_field_errors(r, {"object_id": ["Object does not exist."]})
    # The tweet's own like is untouched.
    detail = tweet_detail(fans[0], tweet["id"])
    assert detail["likes_count"] == 1 and detail["has_liked"] is True


def test_deleting_the_tweet_removes_its_comments(user, other_user, anon, tweet):
    c = post_comment(other_user, tweet["id"])
    assert_json(user.delete(f"/api/tweets/{tweet['id']}/"), 200)
    assert_json(anon.get(COMMENTS, params={"tweet_id": tweet["id"]}), 200, {"comments": []})
    assert_json(other_user.put(cpath(c["id"]), json={"content": "orphan"}), 404, NOT_FOUND)
    assert_json(other_user.delete(cpath(c["id"])), 404, NOT_FOUND)
