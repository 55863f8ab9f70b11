"""SPEC §1.9 rate limits of tweets, friendships, news feeds, comments, likes and notifications, against a
server of its own with limits on: each limit fires on the method its endpoint really uses, a 429 carries
Retry-After, and buckets are per user when logged in and per client IP otherwise (never shared between
the two).

Every burst uses a fresh bucket (a new user, or a client address of its own: any 127.x.y.z reaches the
server from a different peer address) and starts right after a second boundary. A burst has 2*limit+1
requests, so even when the server's windows are not aligned to the wall clock and the burst straddles two
windows, one of them sees more than `limit` requests."""

import itertools
import time

import pytest
import requests
from requests.adapters import HTTPAdapter

from conftest import (COMMENTS, LIKES, NOTIFICATIONS, Client, assert_json, clone_client, new_content, new_password,
                      poll, unique_name)

TOO_MANY = {"detail": "Too many requests, try again later."}
_addresses = itertools.count(1)


class SourceAddressAdapter(HTTPAdapter):
    """Connects from a given local address (the server sees it as the client IP)."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def fresh_address() -> str:
    n = next(_addresses)
    return f"127.0.{10 + n // 250}.{1 + n % 250}"


def anon_from(server, address: str | None = None) -> Client:
    """An anonymous client connecting from an address of its own (or from `address`)."""
    c = Client(server)
    c.mount("http://", SourceAddressAdapter(address or fresh_address()))
    return c


def new_user(server) -> Client:
    """A fresh logged-in user. Signing up is limited per IP (3/s), so each signs up from an address of its own;
    the returned client then talks from 127.0.0.1 like every other test client (its bucket is its user id)."""
    c = anon_from(server)
    name = unique_name("rl")
    password = new_password()
    r = c.post("/api/accounts/signup/", json={"username": name, "email": f"{name}@example.com",
                                               "password": password})
    assert r.status_code == 201, r.text
    c.user, c.password = r.json()["user"], password
    return clone_client(c)


def post_tweet_once(c: Client) -> dict:
    """A tweet (tweet creation is limited to 1/s per user: the caller uses each user for one tweet per second)."""
    return assert_json(c.post("/api/tweets/", json={"content": new_content()}), 201)


def next_second():
    """Sleep until just after the next whole second (the only sleeps in this file: window alignment)."""
    time.sleep(1.0 - time.time() % 1.0 + 0.005)


def burst(send, n: int) -> list[requests.Response]:
    return [send(i) for i in range(n)]


def check_limited(responses: list[requests.Response], limit: int, ok: set[int]) -> list[requests.Response]:
    statuses = [r.status_code for r in responses]
    assert 429 not in statuses[:limit], f"limited before {limit} requests: {statuses}"
    limited = [r for r in responses if r.status_code == 429]
    assert limited, f"no 429 in a burst of {len(responses)} (limit {limit}): {statuses}"
    for r in responses:
        assert r.status_code in ok | {429}, f"{r.request.method} {r.request.url} → {r.status_code}: {r.text[:300]}"
    for r in limited:
        assert_json(r, 429, TOO_MANY)
        retry = r.headers.get("Retry-After")
        assert retry is not None and retry.isdigit() and int(retry) >= 1, retry
        assert r.headers.get("X-Request-Id")
    return limited


def assert_limit(send, limit: int, ok: set[int]) -> list[requests.Response]:
    """A burst of 2*limit+1 from a fresh bucket, starting at a second boundary, must hit the limit."""
    next_second()
    return check_limited(burst(send, 2 * limit + 1), limit, ok)


def assert_not_limited(send, n: int, ok: set[int]):
    next_second()
    statuses = [send(i).status_code for i in range(n)]
    assert all(s in ok for s in statuses), statuses


@pytest.fixture(scope="module")
def srv(limited_server):
    return limited_server


# ---------------------------------------------------------------- tweets


def test_tweet_create_1_per_second(srv):
    c = new_user(srv)
    next_second()
    responses = [c.post("/api/tweets/", json={"content": new_content()}) for _ in range(3)]
    check_limited(responses, 1, {201})
    made = [r for r in responses if r.status_code == 201]
    # A refused tweet is not stored.
    page = assert_json(c.get("/api/tweets/", params={"user_id": c.user_id}), 200)
    assert len(page["results"]) == len(made)


def test_tweet_create_5_per_minute(srv):
    c = new_user(srv)
    # Six tweets one second apart must fall into one minute, whatever a minute window's alignment to the
    # wall clock: start early in a minute.
    if time.time() % 60 > 45:
        time.sleep(60 - time.time() % 60 + 0.05)
    statuses = []
    for _ in range(6):
        next_second()
        r = c.post("/api/tweets/", json={"content": new_content()})
        statuses.append(r.status_code)
        if r.status_code == 429:
            assert_json(r, 429, TOO_MANY)
            assert int(r.headers["Retry-After"]) >= 1
    assert statuses == [201] * 5 + [429], statuses


def test_tweet_retrieve(srv):
    author, reader = new_user(srv), new_user(srv)
    t = post_tweet_once(author)
    assert_limit(lambda i: reader.get(f"/api/tweets/{t['id']}/"), 5, {200})


def test_tweet_retrieve_anonymous_per_ip(srv):
    author = new_user(srv)
    t = post_tweet_once(author)
    a = anon_from(srv)
    assert_limit(lambda i: a.get(f"/api/tweets/{t['id']}/"), 5, {200})
    # Another address is another bucket (anonymous clients do not share one).
    b = anon_from(srv)
    assert [b.get(f"/api/tweets/{t['id']}/").status_code for _ in range(3)] == [200] * 3


@pytest.mark.parametrize("method", ["put", "patch"])
def test_tweet_update(srv, method):
    c = new_user(srv)
    t = post_tweet_once(c)
    send = getattr(c, method)
    assert_limit(lambda i: send(f"/api/tweets/{t['id']}/", json={"content": new_content()}), 3, {200})


def test_tweet_delete(srv):
    c = new_user(srv)
    t = post_tweet_once(c)
    assert_limit(lambda i: c.delete(f"/api/tweets/{t['id']}/"), 3, {200, 404})


# ---------------------------------------------------------------- friendships, news feed


def test_follow(srv):
    c, target = new_user(srv), new_user(srv)
    assert_limit(lambda i: c.post(f"/api/friendships/{target.user_id}/follow/"), 10, {201})


def test_unfollow(srv):
    c, target = new_user(srv), new_user(srv)
    assert_limit(lambda i: c.post(f"/api/friendships/{target.user_id}/unfollow/"), 10, {200})


@pytest.mark.parametrize("which", ["followers", "followings"])
def test_friendship_lists(srv, which):
    c, target = new_user(srv), new_user(srv)
    assert_limit(lambda i: c.get(f"/api/friendships/{target.user_id}/{which}/"), 3, {200})
    a = anon_from(srv)
    assert_limit(lambda i: a.get(f"/api/friendships/{target.user_id}/{which}/"), 3, {200})


def test_newsfeeds(srv):
    c = new_user(srv)
    assert_limit(lambda i: c.get("/api/newsfeeds/"), 5, {200})


# ---------------------------------------------------------------- comments


def test_comments_list(srv):
    author, reader = new_user(srv), new_user(srv)
    t = post_tweet_once(author)
    assert_limit(lambda i: reader.get(COMMENTS, params={"tweet_id": t["id"]}), 10, {200})
    a = anon_from(srv)
    assert_limit(lambda i: a.get(COMMENTS, params={"tweet_id": t["id"]}), 10, {200})


def test_comments_create_and_recovery(srv):
    author, c = new_user(srv), new_user(srv)
    t = post_tweet_once(author)
    limited = assert_limit(lambda i: c.post(COMMENTS, json={"tweet_id": t["id"], "content": f"c {i}"}), 3, {201})
    time.sleep(int(limited[-1].headers["Retry-After"]))
    assert_json(c.post(COMMENTS, json={"tweet_id": t["id"], "content": "after waiting"}), 201)
    # Refused comments were not stored.
    listed = assert_json(c.get(COMMENTS, params={"tweet_id": t["id"]}), 200)["comments"]
    detail = assert_json(c.get(f"/api/tweets/{t['id']}/"), 200)
    assert detail["comments_count"] == len(listed)


@pytest.mark.parametrize("method", ["put", "patch"])
def test_comments_update(srv, method):
    author, c = new_user(srv), new_user(srv)
    t = post_tweet_once(author)
    cm = assert_json(c.post(COMMENTS, json={"tweet_id": t["id"], "content": "to edit"}), 201)
    send = getattr(c, method)
    assert_limit(lambda i: send(f"{COMMENTS}{cm['id']}/", json={"content": f"edit {i}"}), 3, {200})


def test_comments_delete(srv):
    author, c = new_user(srv), new_user(srv)
    t = post_tweet_once(author)
    cm = assert_json(c.post(COMMENTS, json={"tweet_id": t["id"], "content": "to delete"}), 201)
    assert_limit(lambda i: c.delete(f"{COMMENTS}{cm['id']}/"), 5, {200, 404})


# ---------------------------------------------------------------- likes


@pytest.mark.parametrize("path,ok", [(LIKES, 201), (LIKES + "cancel/", 200)])
def test_likes(srv, path, ok):
    author, c = new_user(srv), new_user(srv)
    t = post_tweet_once(author)
    assert_limit(lambda i: c.post(path, json={"content_type": "tweet", "object_id": t["id"]}), 10, {ok})


# ---------------------------------------------------------------- notifications


def test_notifications_unread_count(srv):
    c = new_user(srv)
    assert_limit(lambda i: c.get(NOTIFICATIONS + "unread-count/"), 3, {200})


def test_notifications_mark_all_as_read(srv):
    c = new_user(srv)
    assert_limit(lambda i: c.post(NOTIFICATIONS + "mark-all-as-read/"), 3, {200})


@pytest.mark.parametrize("method", ["put", "patch"])
def test_notifications_update(srv, method):
    c, fan = new_user(srv), new_user(srv)
    assert_json(fan.post(f"/api/friendships/{c.user_id}/follow/"), 201)
    items = poll(lambda: assert_json(c.get(NOTIFICATIONS), 200)["results"], bool,
                 what="the new follower's notification")
    send = getattr(c, method)
    assert_limit(lambda i: send(f"{NOTIFICATIONS}{items[0]['id']}/", json={"unread": bool(i % 2)}), 3, {200})


# ---------------------------------------------------------------- unlisted endpoints


def test_unlisted_endpoints_are_not_limited(srv):
    author, c = new_user(srv), new_user(srv)
    t = post_tweet_once(author)
    for path, params in (("/api/tweets/", {"user_id": author.user_id}),
                         (LIKES, {"content_type": "tweet", "object_id": t["id"]}),
                         (NOTIFICATIONS, {}),
                         (f"/api/profiles/{author.user_id}/", {})):
        assert_not_limited(lambda i: c.get(path, params=params), 25, {200})


# ---------------------------------------------------------------- buckets


def test_users_do_not_share_a_bucket(srv):
    author, a, b = new_user(srv), new_user(srv), new_user(srv)
    t = post_tweet_once(author)
    body = {"tweet_id": t["id"], "content": "who is limited?"}
    next_second()
    check_limited(burst(lambda i: a.post(COMMENTS, json=body), 7), 3, {201})
    # b, in the same window, from the same address: not limited.
    assert [b.post(COMMENTS, json=body).status_code for _ in range(3)] == [201] * 3


def test_a_users_bucket_is_shared_by_their_session_and_token(srv):
    author, c = new_user(srv), new_user(srv)
    t = post_tweet_once(author)
    token_client = Client(srv, token=get_token_from_new_address(srv, c))
    body = {"tweet_id": t["id"], "content": "same user"}
    next_second()
    statuses = [c.post(COMMENTS, json=body).status_code for _ in range(3)]
    statuses += [token_client.post(COMMENTS, json=body).status_code for _ in range(4)]
    assert statuses[:3] == [201] * 3, statuses
    assert 429 in statuses[3:], f"the token client did not share the session's bucket: {statuses}"


def get_token_from_new_address(server, c: Client) -> str:
    a = anon_from(server)
    r = a.post("/api/accounts/token/", json={"username": c.user["username"], "password": c.password})
    return assert_json(r, 200)["token"]


def test_logged_in_user_is_not_limited_by_anonymous_traffic(srv):
    """Anonymous requests from 127.0.0.1 exhaust that IP's bucket; a logged-in user on the same address
    has a bucket of their own."""
    author, reader = new_user(srv), new_user(srv)
    t = post_tweet_once(author)
    anon = Client(srv)
    path = f"/api/tweets/{t['id']}/"
    next_second()
    check_limited(burst(lambda i: anon.get(path), 11), 5, {200})
    assert [reader.get(path).status_code for _ in range(5)] == [200] * 5


def test_anonymous_traffic_is_not_limited_by_a_user(srv):
    author, reader = new_user(srv), new_user(srv)
    t = post_tweet_once(author)
    params = {"tweet_id": t["id"]}
    anon = anon_from(srv, "127.0.0.1")
    next_second()
    check_limited(burst(lambda i: reader.get(COMMENTS, params=params), 21), 10, {200})
    assert [anon.get(COMMENTS, params=params).status_code for _ in range(5)] == [200] * 5


def test_limits_are_per_endpoint(srv):
    """Exhausting one limit (comments create) leaves the user's other limits alone."""
    author, c = new_user(srv), new_user(srv)
    t = post_tweet_once(author)
    next_second()
    check_limited(burst(lambda i: c.post(COMMENTS, json={"tweet_id": t["id"], "content": "x"}), 7), 3, {201})
    assert_json(c.post(LIKES, json={"content_type": "tweet", "object_id": t["id"]}), 201)
    assert_json(c.get(COMMENTS, params={"tweet_id": t["id"]}), 200)
    assert_json(c.get(f"/api/tweets/{t['id']}/"), 200)
