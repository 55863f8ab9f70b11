"""SPEC §9 likes: like (idempotent), cancel, who-liked lists, likes_count and has_liked everywhere a tweet or
comment appears, and the likes embedded in the tweet detail (§5.3)."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import (CSRF_FAILED, LIKES, NOT_AUTHENTICATED, TIMESTAMP_RE, Client, assert_field_errors,
                      assert_json, cancel_like, feed, follow, get_page, like, list_comments, page_through, poll,
                      post_comment, post_tweet, signup, token_client, ts_us, tweet_detail, user_repr, user_tweets)

CANCEL = LIKES + "cancel/"
NOT_INT = ["A valid integer is required."]
NO_OBJECT = ["Object does not exist."]
EMPTY = {"has_next_page": False, "results": []}


def missing(*names) -> dict:
    return {"success": False, "message": f"missing {','.join(names)} in request"}


def likers(c: Client, content_type: str, object_id: int, page_size: int = 100) -> list[dict]:
    return page_through(c, LIKES, page_size, content_type=content_type, object_id=object_id)


def signups(server, n: int) -> list[Client]:
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda _: signup(server), range(n)))


def tweet_views(viewer: Client, author: Client, tweet_id: int) -> list[dict]:
    """The tweet as the viewer sees it in its detail, in its author's list and (when the viewer is the author
    or follows them) in the viewer's feed."""
    views = [tweet_detail(viewer, tweet_id)]
    views += [t for t in user_tweets(viewer, author.user_id) if t["id"] == tweet_id]
    if viewer.user is not None:
        views += [i["tweet"] for i in feed(viewer) if i["tweet"]["id"] == tweet_id]
    return views


@pytest.fixture
def tweet(user) -> dict:
    return post_tweet(user)


# ---------------------------------------------------------------- like a tweet


@pytest.mark.smoke
def test_like_tweet(server, user, other_user, anon, tweet):
    l = like(other_user, "tweet", tweet["id"])
    assert set(l) >= {"user", "created_at"}, l
    assert l["user"] == user_repr(other_user)
    assert TIMESTAMP_RE.match(l["created_at"])
    # likes_count and has_liked in the detail, the author's list and the author's feed.
    for v in tweet_views(user, user, tweet["id"]):
        assert v["likes_count"] == 1 and v["has_liked"] is False, v
    for v in tweet_views(anon, user, tweet["id"]):
        assert v["likes_count"] == 1 and v["has_liked"] is False, v
    views = tweet_views(other_user, user, tweet["id"])
    assert len(views) == 2
    for v in views:
        assert v["likes_count"] == 1 and v["has_liked"] is True, v
    assert tweet_detail(anon, tweet["id"])["likes"] == [{"user": user_repr(other_user), "created_at": l["created_at"]}]
    assert likers(anon, "tweet", tweet["id"]) == [{"user": user_repr(other_user), "created_at": l["created_at"]}]
    assert tweet_detail(anon, tweet["id"])["comments_count"] == 0


def test_has_liked_in_a_followers_feed(server, user, tweet):
    fan, lurker = signup(server), signup(server)
    for f in (fan, lurker):
        follow(f, user.user_id)
    for f in (fan, lurker):
        poll(lambda: [i["tweet"]["id"] for i in feed(f)], lambda ids: tweet["id"] in ids,
             what="the tweet in a follower's feed")
    like(fan, "tweet", tweet["id"])
    for viewer, liked in ((fan, True), (lurker, False)):
        views = tweet_views(viewer, user, tweet["id"])
        assert len(views) == 3
        assert [(v["likes_count"], v["has_liked"]) for v in views] == [(1, liked)] * 3


def test_like_own_tweet(user, tweet):
    like(user, "tweet", tweet["id"])
    views = tweet_views(user, user, tweet["id"])
    assert [(v["likes_count"], v["has_liked"]) for v in views] == [(1, True)] * 3


def test_repeated_like_changes_nothing(user, other_user, anon, tweet):
    first = like(other_user, "tweet", tweet["id"])
    for _ in range(3):
        again = like(other_user, "tweet", tweet["id"])
        assert again == first
    assert tweet_detail(anon, tweet["id"])["likes_count"] == 1
    assert len(likers(anon, "tweet", tweet["id"])) == 1


def test_like_forms_and_token(server, user, other_user, tweet):
    assert_json(other_user.post(LIKES, data={"content_type": "tweet", "object_id": str(tweet["id"])}), 201)
    fan = signup(server)
    assert_json(fan.post(LIKES, files={"content_type": (None, "tweet"), "object_id": (None, str(tweet["id"]))}),
                201)
    third = signup(server)
    tc = token_client(server, third.user["username"], third.password)
    l = assert_json(tc.post(LIKES, json={"content_type": "tweet", "object_id": str(tweet["id"])}), 201)
    assert l["user"]["id"] == third.user_id
    assert tweet_detail(user, tweet["id"])["likes_count"] == 3


def test_like_and_cancel_need_login_and_csrf(anon, other_user, tweet):
    body = {"content_type": "tweet", "object_id": tweet["id"]}
    assert_json(anon.post(LIKES, json=body), 403, NOT_AUTHENTICATED)
    assert_json(anon.post(CANCEL, json=body), 403, NOT_AUTHENTICATED)
    assert_json(other_user.post(LIKES, json=body, csrf=False), 403, CSRF_FAILED)
    like(other_user, "tweet", tweet["id"])
    assert_json(other_user.post(CANCEL, json=body, csrf=False), 403, CSRF_FAILED)
    assert tweet_detail(anon, tweet["id"])["likes_count"] == 1


# ---------------------------------------------------------------- cancel


@pytest.mark.smoke
def test_cancel(user, other_user, anon, tweet):
    like(other_user, "tweet", tweet["id"])
    assert cancel_like(other_user, "tweet", tweet["id"]) == 1
    for viewer in (other_user, anon, user):
        for v in tweet_views(viewer, user, tweet["id"]):
            assert v["likes_count"] == 0 and v["has_liked"] is False, v
    assert tweet_detail(anon, tweet["id"])["likes"] == []
    assert_json(anon.get(LIKES, params={"content_type": "tweet", "object_id": tweet["id"]}), 200, EMPTY)
    # Nothing left to cancel: deleted 0 and the counter does not go below zero.
    assert cancel_like(other_user, "tweet", tweet["id"]) == 0
    assert tweet_detail(anon, tweet["id"])["likes_count"] == 0


def test_cancel_never_liked_keeps_others(server, user, other_user, anon, tweet):
    like(other_user, "tweet", tweet["id"])
    stranger = signup(server)
    assert cancel_like(stranger, "tweet", tweet["id"]) == 0
    detail = tweet_detail(anon, tweet["id"])
    assert detail["likes_count"] == 1
    assert [x["user"]["id"] for x in detail["likes"]] == [other_user.user_id]


def test_like_again_after_cancel_is_a_new_like(user, other_user, anon, tweet):
    first = like(other_user, "tweet", tweet["id"])
    assert cancel_like(other_user, "tweet", tweet["id"]) == 1
    second = like(other_user, "tweet", tweet["id"])
    assert ts_us(second["created_at"]) > ts_us(first["created_at"])
    assert tweet_detail(anon, tweet["id"])["likes_count"] == 1
    assert likers(anon, "tweet", tweet["id"]) == [second]


def test_cancel_form_body(other_user, tweet):
    like(other_user, "tweet", tweet["id"])
    r = other_user.post(CANCEL, data={"content_type": "tweet", "object_id": str(tweet["id"])})
    assert_json(r, 200, {"success": True, "deleted": 1})


# ---------------------------------------------------------------- comments


def test_like_comment(server, user, other_user, anon, tweet):
    c = post_comment(other_user, tweet["id"])
    fan = signup(server)
    l = like(fan, "comment", c["id"])
    assert l["user"] == user_repr(fan)
    assert TIMESTAMP_RE.match(l["created_at"])
    for viewer, liked in ((fan, True), (user, False), (other_user, False), (anon, False)):
        [got] = list_comments(viewer, tweet["id"])
        assert (got["likes_count"], got["has_liked"]) == (1, liked)
        [embedded] = tweet_detail(viewer, tweet["id"])["comments"]
        assert (embedded["likes_count"], embedded["has_liked"]) == (1, liked)
    # The tweet itself is not liked.
    detail = tweet_detail(fan, tweet["id"])
    assert detail["likes_count"] == 0 and detail["has_liked"] is False and detail["likes"] == []
    assert likers(anon, "comment", c["id"]) == [l]
    assert likers(anon, "tweet", tweet["id"]) == []
    # Repeat, then cancel.
    assert like(fan, "comment", c["id"]) == l
    assert list_comments(anon, tweet["id"])[0]["likes_count"] == 1
    assert cancel_like(fan, "comment", c["id"]) == 1
    assert cancel_like(fan, "comment", c["id"]) == 0
    [got] = list_comments(fan, tweet["id"])
    assert (got["likes_count"], got["has_liked"]) == (0, False)


def test_tweet_and_comment_likes_are_separate(user, other_user, anon, tweet):
    c = post_comment(other_user, tweet["id"])
    like(other_user, "tweet", tweet["id"])
    assert cancel_like(other_user, "comment", c["id"]) == 0
    assert tweet_detail(anon, tweet["id"])["likes_count"] == 1
    like(other_user, "comment", c["id"])
    assert cancel_like(other_user, "tweet", tweet["id"]) == 1
    detail = tweet_detail(other_user, tweet["id"])
    assert detail["likes_count"] == 0 and detail["has_liked"] is False
    assert (detail["comments"][0]["likes_count"], detail["comments"][0]["has_liked"]) == (1, True)


# ---------------------------------------------------------------- validation


@pytest.mark.parametrize("path", [LIKES, CANCEL])
def test_missing_parameters(other_user, tweet, path):
    assert_json(other_user.post(path, json={}), 400, missing("content_type", "object_id"))
    assert_json(other_user.post(path, json={"object_id": tweet["id"]}), 400, missing("content_type"))
    assert_json(other_user.post(path, json={"content_type": "tweet"}), 400, missing("object_id"))
    assert_json(other_user.post(path, data={"other": "1"}), 400, missing("content_type", "object_id"))


@pytest.mark.parametrize("path", [LIKES, CANCEL])
def test_bad_values(other_user, anon, tweet, path):
    for bad in ("photo", "user", "Tweet", "comments"):
        assert_field_errors(other_user.post(path, json={"content_type": bad, "object_id": tweet["id"]}),
                            {"content_type": [f'"{bad}" is not a valid choice.']})
    assert_field_errors(other_user.post(path, json={"content_type": "tweet", "object_id": "abc"}),
                        {"object_id": NOT_INT})
    for ctype in ("tweet", "comment"):
        assert_field_errors(other_user.post(path, json={"content_type": ctype, "object_id": 9_000_000_000}),
                            {"object_id": NO_OBJECT})
    assert tweet_detail(anon, tweet["id"])["likes_count"] == 0


def test_like_deleted_tweet(user, other_user, tweet):
    like(other_user, "tweet", tweet["id"])
    assert_json(user.delete(f"/api/tweets/{tweet['id']}/"), 200)
    body = {"content_type": "tweet", "object_id": tweet["id"]}
    assert_field_errors(other_user.post(LIKES, json=body), {"object_id": NO_OBJECT})
    assert_field_errors(other_user.post(CANCEL, json=body), {"object_id": NO_OBJECT})
    # The likes went with the tweet.
    assert_json(other_user.get(LIKES, params=body), 200, EMPTY)


def test_deleting_a_tweet_removes_the_likes_on_its_comments(server, user, other_user, anon, tweet):
    c = post_comment(other_user, tweet["id"])
    fan = signup(server)
    like(fan, "comment", c["id"])
    like(fan, "tweet", tweet["id"])
    assert_json(user.delete(f"/api/tweets/{tweet['id']}/"), 200)
    assert_json(anon.get(LIKES, params={"content_type": "comment", "object_id": c["id"]}), 200, EMPTY)
    assert_json(anon.get(LIKES, params={"content_type": "tweet", "object_id": tweet["id"]}), 200, EMPTY)
    assert_field_errors(fan.post(CANCEL, json={"content_type": "comment", "object_id": c["id"]}),
                        {"object_id": NO_OBJECT})


def test_like_paths_methods(anon, other_user):
    for c in (anon, other_user):
        r = c.get(CANCEL)
        assert r.status_code == 405, r.text
        assert "POST" in r.headers.get("Allow", "")
        r = c.delete(LIKES)
        assert r.status_code == 405, r.text


# ---------------------------------------------------------------- who liked it


def test_likes_list_newest_first_and_paging(server, user, anon, tweet):
    fans = signups(server, 25)
    made = [like(f, "tweet", tweet["id"]) for f in fans]
    expected = list(reversed(made))
    first = get_page(anon, LIKES, content_type="tweet", object_id=tweet["id"])
    assert len(first["results"]) == 20 and first["has_next_page"] is True
    assert first["results"] == expected[:20]
    assert likers(anon, "tweet", tweet["id"], page_size=7) == expected
    assert likers(fans[0], "tweet", tweet["id"], page_size=100) == expected
    newer = get_page(anon, LIKES, content_type="tweet", object_id=tweet["id"],
                     created_at__gt=made[21]["created_at"])
    assert newer == {"has_next_page": False, "results": expected[:3]}
    assert tweet_detail(anon, tweet["id"])["likes_count"] == 25


def test_likes_list_of_a_comment(server, user, other_user, anon, tweet):
    c = post_comment(other_user, tweet["id"])
    fans = signups(server, 3)
    made = [like(f, "comment", c["id"]) for f in fans]
    assert likers(anon, "comment", c["id"]) == list(reversed(made))
    assert [x["user"] for x in likers(anon, "comment", c["id"])] == [user_repr(f) for f in reversed(fans)]


def test_likes_list_parameters(anon, tweet):
    assert_json(anon.get(LIKES), 400, missing("content_type", "object_id"))
    assert_json(anon.get(LIKES, params={"object_id": tweet["id"]}), 400, missing("content_type"))
    assert_json(anon.get(LIKES, params={"content_type": "tweet"}), 400, missing("object_id"))
    assert_field_errors(anon.get(LIKES, params={"content_type": "photo", "object_id": tweet["id"]}),
                        {"content_type": ['"photo" is not a valid choice.']})
    assert_field_errors(anon.get(LIKES, params={"content_type": "tweet", "object_id": "abc"}),
                        {"object_id": NOT_INT})
    for bad in ("0", "101", "abc", ""):
        r = anon.get(LIKES, params={"content_type": "tweet", "object_id": tweet["id"], "page_size": bad})
        data = assert_json(r, 400)
        assert "page_size" in data.get("errors", {}), data
    assert_json(anon.get(LIKES, params={"content_type": "tweet", "object_id": tweet["id"]}), 200, EMPTY)


def test_likes_list_shows_current_nickname(user, other_user, anon, tweet):
    like(other_user, "tweet", tweet["id"])
    assert_json(other_user.patch(f"/api/profiles/{other_user.user_id}/", json={"nickname": "Liker"}), 200)
    [item] = likers(anon, "tweet", tweet["id"])
    assert item["user"] == user_repr(other_user, "Liker")
    [embedded] = tweet_detail(anon, tweet["id"])["likes"]
    assert embedded["user"] == user_repr(other_user, "Liker")


# ---------------------------------------------------------------- tweet detail embed


def test_detail_embeds_newest_100_likes(server, user, anon):
    tweet = post_tweet(user)
    fans = signups(server, 102)
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda f: like(f, "tweet", tweet["id"]), fans))
    all_likes = likers(anon, "tweet", tweet["id"])
    assert len(all_likes) == 102
    detail = tweet_detail(anon, tweet["id"])
    assert detail["likes_count"] == 102
    assert detail["likes"] == all_likes[:100]
    stamps = [ts_us(x["created_at"]) for x in detail["likes"]]
    assert stamps == sorted(stamps, reverse=True)
    for x in detail["likes"]:
        assert set(x) >= {"user", "created_at"}
