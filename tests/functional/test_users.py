"""SPEC §4 users (admin only) and §1.7 page-number pagination."""

from urllib.parse import parse_qs, urlsplit

import pytest

from conftest import (NOT_ADMIN, NOT_AUTHENTICATED, NOT_FOUND, TIMESTAMP_RE, assert_json,
                      signup, token_client)

USERS = "/api/users/"
ITEM_KEYS = {"id", "username", "nickname", "avatar_url", "email", "date_joined", "is_staff"}


@pytest.fixture(scope="module")
def many_users(server):
    """At least 12 users exist (so there are two pages of 10), the last three made here in order."""
    return [signup(server) for _ in range(12)]


def split(url):
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}", {k: v[0] for k, v in parse_qs(parts.query).items()}


@pytest.mark.smoke
def test_users_anonymous_is_refused(anon):
    assert_json(anon.get(USERS), 403, NOT_AUTHENTICATED)
    assert_json(anon.get(f"{USERS}1/"), 403, NOT_AUTHENTICATED)


def test_users_non_admin_is_refused(user):
    assert_json(user.get(USERS), 403, NOT_ADMIN)
    assert_json(user.get(f"{USERS}{user.user_id}/"), 403, NOT_ADMIN)


@pytest.mark.smoke
def test_users_first_page(server, admin, many_users):
    data = assert_json(admin.get(USERS), 200)
    assert set(data) == {"count", "next", "previous", "results"}
    assert data["count"] >= 13
    assert data["previous"] is None
    base, query = split(data["next"])
    assert base == server.url(USERS)
    assert query.get("page") == "2"
    assert len(data["results"]) == 10
    for item in data["results"]:
        assert set(item) >= ITEM_KEYS, item
        assert isinstance(item["id"], int)
        assert TIMESTAMP_RE.match(item["date_joined"]), item["date_joined"]
        assert isinstance(item["is_staff"], bool)
    # Newest first: the users just made lead the list, most recent first.
    ids = [u["id"] for u in data["results"]]
    newest = [c.user_id for c in reversed(many_users)][:10]
    assert ids == newest
    assert [u["date_joined"] for u in data["results"]] == sorted((u["date_joined"] for u in data["results"]),
                                                                  reverse=True)
    first = data["results"][0]
    last_made = many_users[-1]
    assert first["username"] == last_made.user["username"]
    assert first["email"] == last_made.user["email"]
    assert first["nickname"] is None and first["avatar_url"] is None
    assert first["is_staff"] is False


def test_users_second_page_and_previous(server, admin, many_users):
    page1 = assert_json(admin.get(USERS), 200)
    page2 = assert_json(admin.get(page1["next"]), 200)
    assert page2["count"] == page1["count"]
    base, query = split(page2["previous"])
    assert base == server.url(USERS)
    assert query.get("page", "1") == "1"
    ids1 = {u["id"] for u in page1["results"]}
    ids2 = [u["id"] for u in page2["results"]]
    assert ids2 and not ids1 & set(ids2)
    # The same page by its explicit number.
    assert assert_json(admin.get(USERS, params={"page": 2}), 200) == page2


def test_users_every_page_together_lists_everyone_once(admin, many_users):
    seen = []
    url = USERS + "?page_size=100"
    count = None
    while url:
        data = assert_json(admin.get(url), 200)
        count = data["count"]
        seen += [u["id"] for u in data["results"]]
        url = data["next"]
    assert len(seen) == len(set(seen)) == count
    assert {c.user_id for c in many_users} <= set(seen)


def test_users_admin_appears_as_staff(admin):
    data = assert_json(admin.get(f"{USERS}{admin.user_id}/"), 200)
    assert set(data) >= ITEM_KEYS
    assert data["is_staff"] is True
    assert data["id"] == admin.user_id
    assert data["username"] == admin.user["username"]


def test_users_page_size(server, admin, many_users):
    data = assert_json(admin.get(USERS, params={"page_size": 3}), 200)
    assert len(data["results"]) == 3
    base, query = split(data["next"])
    assert base == server.url(USERS)
    assert query.get("page") == "2" and query.get("page_size") == "3"
    data = assert_json(admin.get(USERS, params={"page_size": 100}), 200)
    assert len(data["results"]) == min(100, data["count"])
    one = assert_json(admin.get(USERS, params={"page_size": 1, "page": 2}), 200)
    assert len(one["results"]) == 1
    assert one["results"][0]["id"] == many_users[-2].user_id


def test_users_page_past_the_end(admin, many_users):
    count = assert_json(admin.get(USERS), 200)["count"]
    past = count // 10 + 2
    assert_json(admin.get(USERS, params={"page": past}), 404, {"detail": "Invalid page."})
    assert_json(admin.get(USERS, params={"page": 10**6}), 404, {"detail": "Invalid page."})


def test_users_last_page_has_no_next(admin, many_users):
    count = assert_json(admin.get(USERS), 200)["count"]
    last = (count + 9) // 10
    data = assert_json(admin.get(USERS, params={"page": last}), 200)
    assert data["next"] is None
    assert len(data["results"]) == count - 10 * (last - 1)


@pytest.mark.parametrize("param,value", [
    ("page", "0"), ("page", "-1"), ("page", "abc"), ("page", "1.5"), ("page", ""),
    ("page_size", "0"), ("page_size", "101"), ("page_size", "-3"), ("page_size", "abc"), ("page_size", ""),
])
def test_users_bad_page_parameters(admin, param, value):
    r = admin.get(USERS, params={param: value})
    data = assert_json(r, 400)
    assert data["success"] is False and data["message"] == "Please check input."
    assert list(data["errors"]) == [param]
    assert isinstance(data["errors"][param], list) and data["errors"][param]


def test_users_huge_page_number_is_not_a_server_error(admin):
    r = admin.get(USERS, params={"page": "99999999999999999999"})
    assert r.status_code in (400, 404), r.text


def test_user_detail(admin, user):
    data = assert_json(admin.get(f"{USERS}{user.user_id}/"), 200)
    assert data["id"] == user.user_id
    assert data["username"] == user.user["username"]
    assert data["email"] == user.user["email"]
    assert data["is_staff"] is False
    assert TIMESTAMP_RE.match(data["date_joined"])
    # Without the trailing slash: the same answer.
    assert assert_json(admin.get(f"{USERS}{user.user_id}"), 200) == data


@pytest.mark.parametrize("uid", ["999999999", "abc", "-1", "0", "99999999999999999999", "1.0", "1e3", "0x10"])
def test_user_detail_unknown(admin, uid):
    assert_json(admin.get(f"{USERS}{uid}/"), 404, NOT_FOUND)


def test_users_reflect_profile_changes_immediately(admin, user):
    r = user.patch(f"/api/profiles/{user.user_id}/", json={"nickname": "Shown Everywhere"})
    assert_json(r, 200)
    item = assert_json(admin.get(f"{USERS}{user.user_id}/"), 200)
    assert item["nickname"] == "Shown Everywhere"
    listed = [u for u in assert_json(admin.get(USERS, params={"page_size": 100}), 200)["results"]
              if u["id"] == user.user_id]
    assert listed and listed[0]["nickname"] == "Shown Everywhere"


def test_users_with_admin_token(server, admin_account):
    c = token_client(server, admin_account.username, admin_account.password)
    assert assert_json(c.get(USERS), 200)["count"] >= 1


def test_users_write_methods_not_allowed(admin):
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        r = admin.request(method, USERS, json={})
        assert r.status_code == 405, (method, r.text)
        assert "GET" in r.headers.get("Allow", "")
