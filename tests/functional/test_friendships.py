"""SPEC §6 friendships: follow, unfollow, followers and followings lists, profile counts."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import (EMPTY_PAGE, NOT_AUTHENTICATED, NOT_FOUND, TIMESTAMP_RE, USER_KEYS, Client, assert_json,
                      clone_client, follow, get_page, page_through, signup, ts_us, unfollow)

FOLLOW_SELF = {"success": False, "message": "Please check input.", "errors": {"message": ["You cannot follow yourself."]}}
UNFOLLOW_SELF = {"success": False, "message": "You cannot unfollow yourself."}
BAD_IDS = ["987654321012", "abc", "0", "-1", "99999999999999999999", "9223372036854775808", "1.0"]


def fpath(uid, action: str) -> str:
    return f"/api/friendships/{uid}/{action}/"


def profile(c: Client, uid: int) -> dict:
    return assert_json(c.get(f"/api/profiles/{uid}/"), 200)


def counts(c: Client, uid: int) -> tuple[int, int]:
    p = profile(c, uid)
    return p["followers_count"], p["followings_count"]


def user_repr(c: Client) -> dict:
    return {"id": c.user_id, "username": c.user["username"], "nickname": None, "avatar_url": None}


def ids(items: list[dict]) -> list[int]:
    return [i["user"]["id"] for i in items]


# ---------------------------------------------------------------- follow


@pytest.mark.smoke
def test_follow(user, other_user, anon):
    data = assert_json(user.post(fpath(other_user.user_id, "follow")), 201)
    assert data["success"] is True and data["has_followed"] is True
    assert "duplicate" not in data or data["duplicate"] is False
    assert {k: data["user"].get(k) for k in USER_KEYS} == user_repr(other_user)
    assert TIMESTAMP_RE.match(data["created_at"]), data
    assert counts(anon, other_user.user_id) == (1, 0)
    assert counts(anon, user.user_id) == (0, 1)
    assert profile(user, other_user.user_id)["has_followed"] is True
    assert profile(other_user, user.user_id)["has_followed"] is False
    assert profile(anon, other_user.user_id)["has_followed"] is False
    # The followers list shows the same created_at.
    [item] = get_page(anon, fpath(other_user.user_id, "followers"))["results"]
    assert item["created_at"] == data["created_at"]


def test_follow_again_is_duplicate(user, other_user, anon):
    follow(user, other_user.user_id)
    for _ in range(2):
        assert_json(user.post(fpath(other_user.user_id, "follow")), 201, {"success": True, "duplicate": True})
    assert counts(anon, other_user.user_id) == (1, 0)
    assert len(get_page(anon, fpath(other_user.user_id, "followers"))["results"]) == 1


def test_follow_self(user, anon):
    assert_json(user.post(fpath(user.user_id, "follow")), 400, FOLLOW_SELF)
    assert counts(anon, user.user_id) == (0, 0)
    assert profile(user, user.user_id)["has_followed"] is False


@pytest.mark.parametrize("uid", BAD_IDS)
def test_follow_unknown(user, uid):
    assert_json(user.post(fpath(uid, "follow")), 404, NOT_FOUND)
    assert_json(user.post(fpath(uid, "unfollow")), 404, NOT_FOUND)


def test_follow_and_unfollow_need_login(anon, user):
    assert_json(anon.post(fpath(user.user_id, "follow")), 403, NOT_AUTHENTICATED)
    assert_json(anon.post(fpath(user.user_id, "unfollow")), 403, NOT_AUTHENTICATED)
    assert counts(anon, user.user_id) == (0, 0)


def test_follow_needs_csrf_with_session(user, other_user, anon):
    r = user.post(fpath(other_user.user_id, "follow"), csrf=False)
    assert_json(r, 403, {"detail": "CSRF Failed: CSRF token missing or incorrect."})
    assert counts(anon, other_user.user_id) == (0, 0)


def test_follow_with_token(server, user, other_user, anon):
    from conftest import token_client
    c = token_client(server, user.user["username"], user.password)
    assert assert_json(c.post(fpath(other_user.user_id, "follow")), 201)["has_followed"] is True
    assert counts(anon, other_user.user_id) == (1, 0)


def test_follow_methods(anon, user):
    for action in ("follow", "unfollow"):
        r = anon.get(fpath(user.user_id, action))
        assert r.status_code == 405, r.text
        assert "POST" in r.headers.get("Allow", "")
    for action in ("followers", "followings"):
        r = anon.post(fpath(user.user_id, action))
        assert r.status_code == 405, r.text
        assert "GET" in r.headers.get("Allow", "")


def test_concurrent_duplicate_follows(user, other_user, anon):
    n = 10
    clients = [clone_client(user) for _ in range(n)]
    barrier = threading.Barrier(n)

    def work(c):
        barrier.wait()
        r = c.post(fpath(other_user.user_id, "follow"))
        return r.status_code, r.json()

    with ThreadPoolExecutor(n) as pool:
        results = list(pool.map(work, clients))
    assert all(status == 201 for status, _ in results), results
    created = [body for _, body in results if "user" in body]
    duplicates = [body for _, body in results if body == {"success": True, "duplicate": True}]
    assert len(created) == 1 and len(duplicates) == n - 1, results
    assert created[0]["has_followed"] is True and created[0]["user"]["id"] == other_user.user_id
    assert counts(anon, other_user.user_id) == (1, 0)
    assert counts(anon, user.user_id) == (0, 1)
    assert ids(get_page(anon, fpath(other_user.user_id, "followers"))["results"]) == [user.user_id]


def test_concurrent_follow_and_unfollow_keep_counts_consistent(server, user, anon):
    """Racing follows and unfollows of one target: the counters always equal the real relations."""
    target = signup(server)
    clients = [clone_client(user) for _ in range(8)]
    barrier = threading.Barrier(8)

    def work(i):
        c = clients[i]
        barrier.wait()
        for _ in range(5):
            action = "follow" if i % 2 == 0 else "unfollow"
            r = c.post(fpath(target.user_id, action))
            assert r.status_code in (200, 201), r.text

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(work, range(8)))
    followers = get_page(anon, fpath(target.user_id, "followers"))["results"]
    followings = get_page(anon, fpath(user.user_id, "followings"))["results"]
    assert len(followers) in (0, 1)
    assert ids(followers) == ([user.user_id] if followers else [])
    assert ids(followings) == ([target.user_id] if followers else [])
    assert counts(anon, target.user_id)[0] == len(followers)
    assert counts(anon, user.user_id)[1] == len(followings)
    assert profile(user, target.user_id)["has_followed"] is bool(followers)


# ---------------------------------------------------------------- unfollow


@pytest.mark.smoke
def test_unfollow(user, other_user, anon):
    follow(user, other_user.user_id)
    assert_json(user.post(fpath(other_user.user_id, "unfollow")), 200, {"success": True, "deleted": 1})
    assert counts(anon, other_user.user_id) == (0, 0)
    assert counts(anon, user.user_id) == (0, 0)
    assert profile(user, other_user.user_id)["has_followed"] is False
    assert get_page(anon, fpath(other_user.user_id, "followers")) == EMPTY_PAGE
    assert get_page(anon, fpath(user.user_id, "followings")) == EMPTY_PAGE
    assert_json(user.post(fpath(other_user.user_id, "unfollow")), 200, {"success": True, "deleted": 0})
    assert counts(anon, other_user.user_id) == (0, 0)


def test_unfollow_never_followed(user, other_user, anon):
    follow(other_user, user.user_id)  # the reverse direction is a different relation
    assert_json(user.post(fpath(other_user.user_id, "unfollow")), 200, {"success": True, "deleted": 0})
    assert counts(anon, user.user_id) == (1, 0)
    assert counts(anon, other_user.user_id) == (0, 1)


def test_unfollow_self(user):
    assert_json(user.post(fpath(user.user_id, "unfollow")), 400, UNFOLLOW_SELF)


def test_follow_again_after_unfollow(user, other_user, anon):
    first = follow(user, other_user.user_id)
    unfollow(user, other_user.user_id)
    again = assert_json(user.post(fpath(other_user.user_id, "follow")), 201)
    assert again["has_followed"] is True and again["user"]["id"] == other_user.user_id
    assert ts_us(again["created_at"]) > ts_us(first["created_at"])
    assert counts(anon, other_user.user_id) == (1, 0)
    [item] = get_page(anon, fpath(other_user.user_id, "followers"))["results"]
    assert item["created_at"] == again["created_at"]


def test_mutual_follow(user, other_user, anon):
    follow(user, other_user.user_id)
    follow(other_user, user.user_id)
    assert counts(anon, user.user_id) == (1, 1)
    assert counts(anon, other_user.user_id) == (1, 1)
    assert profile(user, other_user.user_id)["has_followed"] is True
    assert profile(other_user, user.user_id)["has_followed"] is True


# ---------------------------------------------------------------- lists


def test_lists_item_shape_and_has_followed_for_the_caller(server, anon):
    star, b, c, d = (signup(server) for _ in range(4))
    follow(c, d.user_id)          # the caller c follows d
    for f in (b, c, d):           # star's followers, oldest first: b, c, d
        follow(f, star.user_id)
    for caller, expected in ((c, {d.user_id: True, c.user_id: False, b.user_id: False}),
                             (anon, {d.user_id: False, c.user_id: False, b.user_id: False}),
                             (b, {d.user_id: False, c.user_id: False, b.user_id: False}),
                             (d, {d.user_id: False, c.user_id: False, b.user_id: False})):
        data = get_page(caller, fpath(star.user_id, "followers"))
        assert data["has_next_page"] is False
        assert ids(data["results"]) == [d.user_id, c.user_id, b.user_id]
        for item in data["results"]:
            assert set(item) >= {"user", "created_at", "has_followed"}, item
            assert set(item["user"]) >= USER_KEYS
            assert TIMESTAMP_RE.match(item["created_at"])
            assert item["has_followed"] is expected[item["user"]["id"]], (caller.user, item)
    # c's followings: star (followed last) then d; the caller star follows nobody.
    data = get_page(star, fpath(c.user_id, "followings"))
    assert ids(data["results"]) == [star.user_id, d.user_id]
    assert [i["has_followed"] for i in data["results"]] == [False, False]
    data = get_page(c, fpath(c.user_id, "followings"))
    assert [i["has_followed"] for i in data["results"]] == [True, True]
    data = get_page(d, fpath(c.user_id, "followings"))
    assert ids(data["results"]) == [star.user_id, d.user_id]
    assert [i["has_followed"] for i in data["results"]] == [True, False]


def test_lists_show_current_nickname(server, anon):
    a, b = signup(server), signup(server)
    follow(b, a.user_id)
    assert_json(a.patch(f"/api/profiles/{a.user_id}/", json={"nickname": "Famous A"}), 200)
    assert_json(b.patch(f"/api/profiles/{b.user_id}/", json={"nickname": "Fan B"}), 200)
    [item] = get_page(anon, fpath(a.user_id, "followers"))["results"]
    assert item["user"]["nickname"] == "Fan B"
    [item] = get_page(anon, fpath(b.user_id, "followings"))["results"]
    assert item["user"]["nickname"] == "Famous A"


def test_lists_of_unknown_user_are_empty(anon, user):
    for action in ("followers", "followings"):
        assert_json(anon.get(fpath(987654321012, action)), 200, EMPTY_PAGE)
        assert_json(user.get(fpath(987654321012, action)), 200, EMPTY_PAGE)
        assert_json(anon.get(fpath(user.user_id, action)), 200, EMPTY_PAGE)
        for bad in ("abc", "-1", "0", "99999999999999999999"):
            assert_json(anon.get(fpath(bad, action)), 404, NOT_FOUND)


@pytest.fixture(scope="module")
def popular(server):
    """A user followed by 23 users who follow concurrently (8 at a time) and one user following all 23."""
    star = signup(server)
    fans = [signup(server) for _ in range(23)]
    stars = [clone_client(star) for _ in range(8)]
    barrier = threading.Barrier(8)

    def work(i):
        barrier.wait()
        for f in fans[i::8]:
            follow(f, star.user_id)
            follow(stars[i], f.user_id)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(work, range(8)))
    return star, fans


@pytest.mark.parametrize("action", ["followers", "followings"])
@pytest.mark.parametrize("page_size", [5, 23, 1, 100])
def test_list_paging(anon, popular, action, page_size):
    star, fans = popular
    items = page_through(anon, fpath(star.user_id, action), page_size)
    assert sorted(ids(items)) == sorted(f.user_id for f in fans)
    assert len(set(i["created_at"] for i in items)) == 23


def test_list_default_page_size_and_cursors(anon, popular):
    star, fans = popular
    full = page_through(anon, fpath(star.user_id, "followers"), 100)
    data = get_page(anon, fpath(star.user_id, "followers"))
    assert data["has_next_page"] is True and ids(data["results"]) == ids(full[:20])
    data = get_page(anon, fpath(star.user_id, "followers"), created_at__lt=full[19]["created_at"])
    assert data["has_next_page"] is False and ids(data["results"]) == ids(full[20:])
    data = get_page(anon, fpath(star.user_id, "followers"), created_at__gt=full[10]["created_at"], page_size=2)
    assert data["has_next_page"] is False and ids(data["results"]) == ids(full[:10])
    data = get_page(anon, fpath(star.user_id, "followers"), created_at__lt=str(ts_us(full[4]["created_at"])),
                    page_size=3)
    assert ids(data["results"]) == ids(full[5:8])


def test_list_has_followed_for_a_fan(popular):
    star, fans = popular
    fan = fans[0]
    follow(fan, fans[1].user_id)
    items = page_through(fan, fpath(star.user_id, "followers"), 100)
    expected = {f.user_id: f.user_id == fans[1].user_id for f in fans}
    assert {i["user"]["id"]: i["has_followed"] for i in items} == expected
    items = page_through(star, fpath(star.user_id, "followers"), 100)
    assert all(i["has_followed"] is True for i in items)  # star follows every fan back


def test_profile_counts(popular, anon):
    star, fans = popular
    assert counts(anon, star.user_id) == (23, 23)
    assert counts(anon, fans[5].user_id) == (1, 1)


@pytest.mark.parametrize("value", ["0", "101", "x", ""])
@pytest.mark.parametrize("action", ["followers", "followings"])
def test_list_bad_page_size(anon, user, action, value):
    data = assert_json(anon.get(fpath(user.user_id, action), params={"page_size": value}), 400)
    assert set(data["errors"]) == {"page_size"}, data


@pytest.mark.parametrize("param", ["created_at__lt", "created_at__gt"])
@pytest.mark.parametrize("action", ["followers", "followings"])
def test_list_bad_cursor(anon, user, action, param):
    for value in ("yesterday", "2026-13-01T00:00:00Z"):
        data = assert_json(anon.get(fpath(user.user_id, action), params={param: value}), 400)
        assert set(data["errors"]) == {param}, data
