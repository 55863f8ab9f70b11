"""SPEC §10 notifications: what creates them (comments, likes, follows; never your own actions; likes and
follows once), their representation, the list (page-number pagination, unread filter), unread-count,
mark-all-as-read, marking one, and what deleting or editing the things they point at does."""

import pytest
import requests

from conftest import (CSRF_FAILED, NOT_AUTHENTICATED, NOT_FOUND, NOTIFICATION_KEYS, NOTIFICATIONS, TIMESTAMP_RE,
                      Client, all_notifications, assert_field_errors, assert_json, cancel_like, clone_client,
                      follow, like, notifications, poll, post_comment, post_tweet, signup, token_client, ts_us,
                      unfollow, unread_count, user_repr)

COMMENTED = "commented on your tweet"
LIKED_TWEET = "liked your tweet"
LIKED_COMMENT = "liked your comment"
FOLLOWED = "followed you"
UNREAD_COUNT = NOTIFICATIONS + "unread-count/"
MARK_ALL = NOTIFICATIONS + "mark-all-as-read/"
NOT_BOOL = ["Must be a valid boolean."]
INVALID_PAGE = {"detail": "Invalid page."}


def npath(nid) -> str:
    return f"{NOTIFICATIONS}{nid}/"


def wait_notifications(c: Client, n: int, what: str = "notifications") -> list[dict]:
    """The caller's notifications once there are (at least) n; then checks there are exactly n."""
    got = poll(lambda: all_notifications(c), lambda items: len(items) >= n, what=f"{n} {what}")
    assert len(got) == n, got
    return got


def assert_notification(n: dict, *, actor: Client, verb: str, target_type: int, target_id: int,
                        target: dict, action_comment: int | None = None, unread: bool = True):
    assert set(n) >= NOTIFICATION_KEYS, n
    assert isinstance(n["id"], int) and n["id"] > 0
    assert n["actor_content_type"] == 1
    assert n["actor_object_id"] == str(actor.user_id)
    assert n["verb"] == verb
    if action_comment is None:
        assert n["action_object_content_type"] is None and n["action_object_object_id"] is None, n
    else:
        assert n["action_object_content_type"] == 3
        assert n["action_object_object_id"] == str(action_comment)
    assert n["target_content_type"] == target_type
    assert n["target_object_id"] == str(target_id)
    assert TIMESTAMP_RE.match(n["timestamp"]), n["timestamp"]
    assert n["unread"] is unread
    assert n["actor"] == user_repr(actor), n["actor"]
    assert {k: n["target"].get(k) for k in target} == target, n["target"]


@pytest.fixture
def tweet(user) -> dict:
    return post_tweet(user, "a tweet worth notifying")


# ---------------------------------------------------------------- what notifies


@pytest.mark.smoke
def test_comment_notifies_the_tweets_author(user, other_user, tweet):
    c = post_comment(other_user, tweet["id"], "what a tweet")
    [n] = wait_notifications(user, 1)
    assert_notification(n, actor=other_user, verb=COMMENTED, target_type=2, target_id=tweet["id"],
                        target={"type": "tweet", "id": tweet["id"], "content": "a tweet worth notifying"},
                        action_comment=c["id"])
    assert ts_us(n["timestamp"]) >= ts_us(tweet["created_at"])
    assert all_notifications(other_user) == []
    assert unread_count(user) == 1
    assert unread_count(other_user) == 0


def test_every_comment_notifies(user, other_user, tweet):
    c1 = post_comment(other_user, tweet["id"])
    c2 = post_comment(other_user, tweet["id"])
    got = wait_notifications(user, 2)
    assert [n["verb"] for n in got] == [COMMENTED, COMMENTED]
    # Newest first.
    assert [n["action_object_object_id"] for n in got] == [str(c2["id"]), str(c1["id"])]
    assert ts_us(got[0]["timestamp"]) >= ts_us(got[1]["timestamp"])
    assert got[0]["id"] != got[1]["id"]


def test_own_actions_do_not_notify(user, other_user, tweet):
    c = post_comment(user, tweet["id"])
    like(user, "tweet", tweet["id"])
    like(user, "comment", c["id"])
    # A marker from someone else, so that we know the server had the time to notify.
    follow(other_user, user.user_id)
    got = wait_notifications(user, 1)
    assert [n["verb"] for n in got] == [FOLLOWED]


@pytest.mark.smoke
def test_tweet_like_notifies_once(user, other_user, tweet):
    like(other_user, "tweet", tweet["id"])
    [n] = wait_notifications(user, 1)
    assert_notification(n, actor=other_user, verb=LIKED_TWEET, target_type=2, target_id=tweet["id"],
                        target={"type": "tweet", "id": tweet["id"], "content": tweet["content"]})
    like(other_user, "tweet", tweet["id"])
    assert cancel_like(other_user, "tweet", tweet["id"]) == 1
    like(other_user, "tweet", tweet["id"])
    assert cancel_like(other_user, "tweet", tweet["id"]) == 1
    like(other_user, "tweet", tweet["id"])
    follow(other_user, user.user_id)  # marker
    got = wait_notifications(user, 2)
    assert [x["verb"] for x in got] == [FOLLOWED, LIKED_TWEET]
    assert got[1]["id"] == n["id"]


def test_comment_like_notifies_the_comments_author(server, user, other_user, tweet):
    c = post_comment(other_user, tweet["id"], "likeable comment")
    fan = signup(server)
    like(fan, "comment", c["id"])
    [n] = wait_notifications(other_user, 1)
    assert_notification(n, actor=fan, verb=LIKED_COMMENT, target_type=3, target_id=c["id"],
                        target={"type": "comment", "id": c["id"], "content": "likeable comment"})
    # Once per (recipient, actor, verb, target).
    assert cancel_like(fan, "comment", c["id"]) == 1
    like(fan, "comment", c["id"])
    follow(fan, other_user.user_id)  # marker
    assert [x["verb"] for x in wait_notifications(other_user, 2)] == [FOLLOWED, LIKED_COMMENT]
    # The tweet's author got the comment notification only, not the comment's like.
    assert [x["verb"] for x in wait_notifications(user, 1)] == [COMMENTED]


def test_likes_by_different_users_notify_each(server, user, tweet):
    fans = [signup(server) for _ in range(3)]
    for f in fans:
        like(f, "tweet", tweet["id"])
    got = wait_notifications(user, 3)
    assert [n["actor"]["id"] for n in got] == [f.user_id for f in reversed(fans)]
    assert {n["verb"] for n in got} == {LIKED_TWEET}


@pytest.mark.smoke
def test_follow_notifies_once(user, other_user):
    follow(other_user, user.user_id)
    [n] = wait_notifications(user, 1)
    assert_notification(n, actor=other_user, verb=FOLLOWED, target_type=1, target_id=user.user_id,
                        target={"type": "user", "id": user.user_id})
    unfollow(other_user, user.user_id)
    follow(other_user, user.user_id)
    unfollow(other_user, user.user_id)
    follow(other_user, user.user_id)
    like(other_user, "tweet", post_tweet(user)["id"])  # marker
    got = wait_notifications(user, 2)
    assert [x["verb"] for x in got] == [LIKED_TWEET, FOLLOWED]
    assert all_notifications(other_user) == []


def test_concurrent_duplicate_likes_notify_once(user, other_user, tweet):
    from concurrent.futures import ThreadPoolExecutor
    clients = [clone_client(other_user) for _ in range(8)]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda c: like(c, "tweet", tweet["id"]), clients))
    follow(other_user, user.user_id)  # marker
    got = wait_notifications(user, 2)
    assert [x["verb"] for x in got] == [FOLLOWED, LIKED_TWEET]


def test_actor_shows_current_nickname(user, other_user):
    follow(other_user, user.user_id)
    wait_notifications(user, 1)
    assert_json(other_user.patch(f"/api/profiles/{other_user.user_id}/", json={"nickname": "New Fan"}), 200)
    [n] = all_notifications(user)
    assert n["actor"] == user_repr(other_user, "New Fan")


# ---------------------------------------------------------------- access


def test_needs_login(anon, user):
    assert_json(anon.get(NOTIFICATIONS), 403, NOT_AUTHENTICATED)
    assert_json(anon.get(UNREAD_COUNT), 403, NOT_AUTHENTICATED)
    assert_json(anon.post(MARK_ALL), 403, NOT_AUTHENTICATED)
    assert_json(anon.put(npath(1), json={"unread": False}), 403, NOT_AUTHENTICATED)
    assert_json(anon.patch(npath(1), json={"unread": False}), 403, NOT_AUTHENTICATED)
    assert_json(user.post(MARK_ALL, csrf=False), 403, CSRF_FAILED)


def test_token_client_sees_the_same(server, user, other_user):
    follow(other_user, user.user_id)
    got = wait_notifications(user, 1)
    tc = token_client(server, user.user["username"], user.password)
    assert all_notifications(tc) == got
    assert unread_count(tc) == 1
    n = assert_json(tc.patch(npath(got[0]["id"]), json={"unread": False}), 200)
    assert n["unread"] is False
    assert unread_count(user) == 0


def test_methods(anon, user):
    for path, allowed in ((NOTIFICATIONS, "GET"), (UNREAD_COUNT, "GET"), (MARK_ALL, "POST")):
        r = user.delete(path)
        assert r.status_code == 405, (path, r.text)
        assert allowed in r.headers.get("Allow", ""), (path, r.headers.get("Allow"))
    r = user.get(MARK_ALL)
    assert r.status_code == 405, r.text
    r = user.post(UNREAD_COUNT)
    assert r.status_code == 405, r.text


# ---------------------------------------------------------------- list


def test_empty_list(user):
    assert_json(user.get(NOTIFICATIONS), 200, {"count": 0, "next": None, "previous": None, "results": []})
    assert unread_count(user) == 0


def test_page_number_pagination(user, other_user, tweet):
    made = [post_comment(other_user, tweet["id"], f"comment {i}") for i in range(12)]
    wait_notifications(user, 12)
    page1 = notifications(user)
    assert page1["count"] == 12
    assert len(page1["results"]) == 10
    assert page1["previous"] is None
    assert page1["next"] and page1["next"].startswith("http"), page1["next"]
    assert [n["action_object_object_id"] for n in page1["results"]] == [str(c["id"]) for c in reversed(made[2:])]
    # next is an absolute URL that works as is.
    r = requests.get(page1["next"], cookies=user.cookies, timeout=30)
    page2 = assert_json(r, 200)
    assert page2["count"] == 12 and page2["next"] is None and page2["previous"]
    assert [n["action_object_object_id"] for n in page2["results"]] == [str(c["id"]) for c in reversed(made[:2])]
    back = assert_json(requests.get(page2["previous"], cookies=user.cookies, timeout=30), 200)
    assert back == page1
    assert notifications(user, page=2) == page2
    assert_json(user.get(NOTIFICATIONS, params={"page": 3}), 404, INVALID_PAGE)
    small = notifications(user, page_size=5, page=3)
    assert len(small["results"]) == 2 and small["next"] is None
    stamps = [ts_us(n["timestamp"]) for n in all_notifications(user)]
    assert stamps == sorted(stamps, reverse=True)


def test_bad_page_parameters(user):
    for param, value in (("page", "0"), ("page", "abc"), ("page", "-1"), ("page_size", "0"),
                         ("page_size", "101"), ("page_size", "x")):
        data = assert_json(user.get(NOTIFICATIONS, params={param: value}), 400)
        assert data.get("success") is False and param in data.get("errors", {}), (param, value, data)
    # Page 2 of an empty list is past the end.
    assert_json(user.get(NOTIFICATIONS, params={"page": 2}), 404, INVALID_PAGE)


def test_only_the_callers_notifications(server, user, other_user, tweet):
    post_comment(other_user, tweet["id"])
    fan = signup(server)
    follow(fan, other_user.user_id)
    assert [n["verb"] for n in wait_notifications(user, 1)] == [COMMENTED]
    assert [n["verb"] for n in wait_notifications(other_user, 1)] == [FOLLOWED]
    assert all_notifications(fan) == []


def test_unread_filter(server, user, other_user, tweet):
    post_comment(other_user, tweet["id"])
    like(other_user, "tweet", tweet["id"])
    follow(other_user, user.user_id)
    got = wait_notifications(user, 3)
    read_one = got[1]
    assert_json(user.patch(npath(read_one["id"]), json={"unread": False}), 200)
    unread = notifications(user, unread="true")
    assert unread["count"] == 2
    assert [n["id"] for n in unread["results"]] == [got[0]["id"], got[2]["id"]]
    read = notifications(user, unread="false")
    assert read["count"] == 1
    assert [n["id"] for n in read["results"]] == [read_one["id"]]
    assert read["results"][0]["unread"] is False
    assert notifications(user)["count"] == 3
    for bad in ("maybe", "yes!", "2"):
        assert_field_errors(user.get(NOTIFICATIONS, params={"unread": bad}), {"unread": NOT_BOOL})


# ---------------------------------------------------------------- unread count, mark all as read


def test_unread_count_and_mark_all(server, user, other_user, tweet):
    fans = [signup(server) for _ in range(3)]
    for f in fans:
        follow(f, user.user_id)
    post_comment(other_user, tweet["id"])
    # other_user has notifications of their own, which user's mark-all must not touch.
    follow(user, other_user.user_id)
    wait_notifications(other_user, 1)
    wait_notifications(user, 4)
    assert unread_count(user) == 4
    assert_json(user.patch(npath(all_notifications(user)[0]["id"]), json={"unread": False}), 200)
    assert unread_count(user) == 3
    assert_json(user.post(MARK_ALL), 200, {"marked_count": 3})
    assert unread_count(user) == 0
    assert all(n["unread"] is False for n in all_notifications(user))
    assert_json(user.post(MARK_ALL), 200, {"marked_count": 0})
    assert unread_count(other_user) == 1
    assert [n["unread"] for n in all_notifications(other_user)] == [True]
    # New ones are unread again.
    like(other_user, "tweet", tweet["id"])
    poll(lambda: unread_count(user), lambda n: n == 1, what="an unread notification after mark-all")
    assert notifications(user, unread="true")["results"][0]["verb"] == LIKED_TWEET


def test_mark_all_with_token(server, user, other_user):
    follow(other_user, user.user_id)
    wait_notifications(user, 1)
    tc = token_client(server, user.user["username"], user.password)
    assert_json(tc.post(MARK_ALL), 200, {"marked_count": 1})


# ---------------------------------------------------------------- mark one


@pytest.mark.parametrize("method", ["put", "patch"])
def test_mark_one(user, other_user, method):
    follow(other_user, user.user_id)
    [n] = wait_notifications(user, 1)
    send = getattr(user, method)
    r = send(npath(n["id"]), json={"unread": False, "verb": "hacked", "actor_object_id": "1", "timestamp": "x"})
    got = assert_json(r, 200)
    assert got == dict(n, unread=False)
    assert unread_count(user) == 0
    for value, expected in ((True, True), ("false", False), ("True", True), ("False", False), ("1", True),
                            ("0", False), ("true", True)):
        got = assert_json(send(npath(n["id"]), json={"unread": value}), 200)
        assert got["unread"] is expected, value
        assert unread_count(user) == (1 if expected else 0)
    got = assert_json(send(npath(n["id"]), data={"unread": "false"}), 200)
    assert got["unread"] is False
    assert all_notifications(user) == [dict(n, unread=False)]


def test_mark_one_validation(user, other_user):
    follow(other_user, user.user_id)
    [n] = wait_notifications(user, 1)
    assert_json(user.put(npath(n["id"]), json={}), 400, {"success": False, "message": "missing unread in request"})
    assert_json(user.patch(npath(n["id"]), json={"verb": "x"}), 400,
                {"success": False, "message": "missing unread in request"})
    for bad in ("maybe", "2", "yes!"):
        assert_field_errors(user.patch(npath(n["id"]), json={"unread": bad}), {"unread": NOT_BOOL})
    assert unread_count(user) == 1


def test_mark_someone_elses_is_404(server, user, other_user):
    follow(other_user, user.user_id)
    [n] = wait_notifications(user, 1)
    stranger = signup(server)
    assert_json(stranger.put(npath(n["id"]), json={"unread": False}), 404, NOT_FOUND)
    assert_json(other_user.patch(npath(n["id"]), json={"unread": False}), 404, NOT_FOUND)  # not even the actor
    assert_json(user.put(npath(n["id"] + 1_000_000_000), json={"unread": False}), 404, NOT_FOUND)
    for bad in ("abc", "-1", "99999999999999999999"):
        assert_json(user.put(npath(bad), json={"unread": False}), 404, NOT_FOUND)
    assert unread_count(user) == 1
    r = user.get(npath(n["id"]))
    assert r.status_code == 405, r.text


# ---------------------------------------------------------------- deletions and edits


def test_deleting_a_tweet_drops_its_notifications(server, user, other_user, tweet):
    c = post_comment(other_user, tweet["id"])
    like(other_user, "tweet", tweet["id"])
    fan = signup(server)
    like(fan, "comment", c["id"])
    follow(other_user, user.user_id)
    keep = post_tweet(user)
    like(other_user, "tweet", keep["id"])
    wait_notifications(user, 4)
    wait_notifications(other_user, 1)
    assert_json(user.delete(f"/api/tweets/{tweet['id']}/"), 200)
    got = all_notifications(user)
    assert [(n["verb"], n["target_object_id"]) for n in got] == [(LIKED_TWEET, str(keep["id"])),
                                                                  (FOLLOWED, str(user.user_id))]
    assert unread_count(user) == 2
    assert all_notifications(other_user) == []  # the like on its comment went too
    assert unread_count(other_user) == 0


def test_deleting_a_comment_drops_its_notifications(server, user, other_user, tweet):
    gone = post_comment(other_user, tweet["id"], "soon gone")
    kept = post_comment(other_user, tweet["id"], "stays")
    fan = signup(server)
    like(fan, "comment", gone["id"])
    like(fan, "comment", kept["id"])
    wait_notifications(user, 2)
    wait_notifications(other_user, 2)
    assert_json(other_user.delete(f"/api/comments/{gone['id']}/"), 200, {"success": True})
    [n] = all_notifications(user)
    assert n["action_object_object_id"] == str(kept["id"])
    [n] = all_notifications(other_user)
    assert n["target_object_id"] == str(kept["id"]) and n["target"]["content"] == "stays"
    assert unread_count(user) == 1 and unread_count(other_user) == 1


def test_target_shows_current_text(server, user, other_user, tweet):
    c = post_comment(other_user, tweet["id"], "original comment")
    fan = signup(server)
    like(fan, "comment", c["id"])
    wait_notifications(user, 1)
    wait_notifications(other_user, 1)
    assert_json(user.patch(f"/api/tweets/{tweet['id']}/", json={"content": "edited tweet text"}), 200)
    assert_json(other_user.patch(f"/api/comments/{c['id']}/", json={"content": "edited comment"}), 200)
    [n] = all_notifications(user)
    assert n["target"] == {**n["target"], "type": "tweet", "id": tweet["id"], "content": "edited tweet text"}
    [n] = all_notifications(other_user)
    assert n["target"] == {**n["target"], "type": "comment", "id": c["id"], "content": "edited comment"}
