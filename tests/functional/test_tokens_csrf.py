"""SPEC §1.3 and §3.6: API tokens, the order of authentication methods, and CSRF."""

import pytest
import requests

from conftest import (CSRF_FAILED, INVALID_TOKEN, NOT_AUTHENTICATED, Client, assert_json, cookies_set,
                      get_token, set_cookie_headers, unique_name)

TOKEN = "/api/accounts/token/"
STATUS = "/api/accounts/login_status/"


def bare(server, token=None, scheme="Token") -> Client:
    """A client with no cookies, authenticated by a token when one is given."""
    c = Client(server)
    if token:
        c.headers["Authorization"] = f"{scheme} {token}"
    return c


# ---------------------------------------------------------------- issuing and using tokens


@pytest.mark.smoke
def test_token_issue_and_use(server, user):
    r = requests.post(server.url(TOKEN), json={"username": user.user["username"], "password": user.password},
                      timeout=30)
    data = assert_json(r, 200)
    assert set(data) >= {"token", "user"}
    assert isinstance(data["token"], str) and len(data["token"]) >= 20
    assert data["user"] == user.user
    assert set_cookie_headers(r) == [], "token issuance must not set cookies"
    for scheme in ("Token", "Bearer"):
        status = assert_json(bare(server, data["token"], scheme).get(STATUS), 200)
        assert status == {"has_logged_in": True, "ip": "127.0.0.1", "user": user.user}


def test_token_by_email_and_form_body(server, user):
    r = requests.post(server.url(TOKEN), data={"email": user.user["email"].upper(), "password": user.password},
                      timeout=30)
    assert assert_json(r, 200)["user"] == user.user


def test_each_call_issues_a_new_key_and_all_keys_work(server, user):
    keys = [get_token(server, user.user["username"], user.password) for _ in range(3)]
    assert len(set(keys)) == 3
    for k in keys:
        assert assert_json(bare(server, k).get(STATUS), 200)["has_logged_in"] is True


@pytest.mark.parametrize("body,status,expected", [
    ({}, 400, {"success": False, "message": "missing username,password in request"}),
    ({"password": "abcdefg"}, 400, {"success": False, "message": "missing username in request"}),
    ({"username": "somebody"}, 400, {"success": False, "message": "missing password in request"}),
])
def test_token_missing_params(anon, body, status, expected):
    assert_json(anon.post(TOKEN, json=body), status, expected)


def test_token_unknown_user_and_wrong_password(anon, user):
    r = anon.post(TOKEN, json={"username": unique_name("ghost"), "password": "abcdefg"})
    assert_json(r, 400, {"success": False, "message": "User does not exist."})
    r = anon.post(TOKEN, json={"username": user.user["username"], "password": "not-the-password"})
    assert_json(r, 400, {"success": False, "message": "Username and password does not match."})


def test_token_authenticated_write_needs_no_csrf(server, user):
    c = bare(server, get_token(server, user.user["username"], user.password))
    r = c.patch(f"/api/profiles/{user.user_id}/", json={"nickname": "Via Token"})
    assert assert_json(r, 200)["nickname"] == "Via Token"
    r = c.patch(f"/api/profiles/{user.user_id}/", json={"nickname": "Via Bearer"},
                headers={"Authorization": f"Bearer {c.headers['Authorization'].split()[1]}"})
    assert assert_json(r, 200)["nickname"] == "Via Bearer"


# ---------------------------------------------------------------- revoking


@pytest.mark.smoke
def test_delete_token_revokes_only_that_key(server, user):
    k1 = get_token(server, user.user["username"], user.password)
    k2 = get_token(server, user.user["username"], user.password)
    assert_json(bare(server, k1).delete(TOKEN), 200, {"success": True})
    assert_json(bare(server, k1).get(STATUS), 403, INVALID_TOKEN)
    assert_json(bare(server, k1, "Bearer").get(STATUS), 403, INVALID_TOKEN)
    assert assert_json(bare(server, k2).get(STATUS), 200)["user"] == user.user
    # The user's session is untouched.
    assert assert_json(user.get(STATUS), 200)["has_logged_in"] is True


def test_revoked_token_is_refused_on_every_api_endpoint(server, user):
    k = get_token(server, user.user["username"], user.password)
    assert_json(bare(server, k).delete(TOKEN), 200, {"success": True})
    c = bare(server, k)
    assert_json(c.get(STATUS), 403, INVALID_TOKEN)
    assert_json(c.get(f"/api/profiles/{user.user_id}/"), 403, INVALID_TOKEN)
    assert_json(c.get("/api/users/"), 403, INVALID_TOKEN)
    assert_json(c.post("/api/accounts/login/", json={"username": "x", "password": "y"}), 403, INVALID_TOKEN)
    assert_json(c.post("/api/accounts/signup/", json={}), 403, INVALID_TOKEN)
    assert_json(c.post("/api/accounts/logout/"), 403, INVALID_TOKEN)
    assert_json(c.delete(TOKEN), 403, INVALID_TOKEN)
    assert_json(c.patch(f"/api/profiles/{user.user_id}/", json={"nickname": "x"}), 403, INVALID_TOKEN)


@pytest.mark.parametrize("header", ["Token nonsense", "Bearer nonsense", "Token " + "a" * 64, "bearer nonsense"])
def test_invalid_token_is_refused(anon, header):
    r = anon.get(STATUS, headers={"Authorization": header})
    assert_json(r, 403, INVALID_TOKEN)


def test_delete_token_without_token(anon, user):
    assert_json(anon.delete(TOKEN), 403, NOT_AUTHENTICATED)


def test_logout_with_token_revokes_nothing(server, user):
    k = get_token(server, user.user["username"], user.password)
    c = bare(server, k)
    assert_json(c.post("/api/accounts/logout/"), 200, {"success": True})
    assert assert_json(c.get(STATUS), 200)["has_logged_in"] is True


def test_token_post_while_logged_in_sets_no_cookie(server, user):
    r = user.post(TOKEN, json={"username": user.user["username"], "password": user.password})
    assert_json(r, 200)
    assert "sessionid" not in cookies_set(r)


# ---------------------------------------------------------------- order of authentication


def test_session_wins_over_invalid_token(server, user):
    r = user.get(STATUS, headers={"Authorization": "Token definitely-not-valid"})
    assert assert_json(r, 200)["user"] == user.user


def test_session_wins_over_another_users_token(server, user, other_user):
    k = get_token(server, other_user.user["username"], other_user.password)
    r = user.get(STATUS, headers={"Authorization": f"Token {k}"})
    assert assert_json(r, 200)["user"] == user.user
    # ... and CSRF applies, because the session authenticated the request.
    r = user.patch(f"/api/profiles/{user.user_id}/", json={"nickname": "x"}, csrf=False,
                   headers={"Authorization": f"Token {k}"})
    assert_json(r, 403, CSRF_FAILED)


def test_unknown_session_falls_back_to_token(server, user):
    k = get_token(server, user.user["username"], user.password)
    c = bare(server, k)
    c.cookies.set("sessionid", "stale-session-id-" + "0" * 30)
    assert assert_json(c.get(STATUS), 200)["user"] == user.user
    r = c.patch(f"/api/profiles/{user.user_id}/", json={"nickname": "tok"}, csrf=False)
    assert_json(r, 200)


# ---------------------------------------------------------------- CSRF


@pytest.mark.smoke
def test_csrf_required_for_session_writes(server, user):
    path = f"/api/profiles/{user.user_id}/"
    assert_json(user.patch(path, json={"nickname": "a"}, csrf=False), 403, CSRF_FAILED)
    assert_json(user.put(path, json={"nickname": "a"}, csrf=False), 403, CSRF_FAILED)
    assert_json(user.patch(path, json={"nickname": "a"}, headers={"X-CSRFToken": "wrong"}), 403, CSRF_FAILED)
    assert_json(user.patch(path, json={"nickname": "a"}, headers={"X-CSRFToken": ""}), 403, CSRF_FAILED)
    # Nothing changed.
    assert assert_json(user.get(path), 200)["nickname"] is None
    assert assert_json(user.patch(path, json={"nickname": "ok"}), 200)["nickname"] == "ok"


def test_csrf_header_must_match_the_cookie(server, user, other_user):
    # A valid csrftoken of another session is not enough.
    r = user.patch(f"/api/profiles/{user.user_id}/", json={"nickname": "a"},
                   headers={"X-CSRFToken": other_user.cookies.get("csrftoken")})
    assert_json(r, 403, CSRF_FAILED)


def test_csrf_with_session_but_no_csrf_cookie(server, user):
    c = Client(server)
    c.cookies.set("sessionid", user.cookies.get("sessionid"))
    assert assert_json(c.get(STATUS), 200)["has_logged_in"] is True
    r = c.patch(f"/api/profiles/{user.user_id}/", json={"nickname": "a"}, headers={"X-CSRFToken": "abc"})
    assert_json(r, 403, CSRF_FAILED)


def test_safe_methods_need_no_csrf(server, user):
    assert_json(user.get(STATUS), 200)
    assert user.head(STATUS).status_code == 200
    assert user.options(STATUS).status_code == 200


def test_anonymous_writes_are_not_csrf_checked(server):
    c = Client(server)
    c.cookies.set("csrftoken", "some-cookie-value")
    name = unique_name()
    r = c.post("/api/accounts/signup/", json={"username": name, "email": f"{name}@example.com",
                                              "password": "abcdefg"}, headers={"X-CSRFToken": "different"})
    assert_json(r, 201)


def test_unknown_session_cookie_is_anonymous_and_not_csrf_checked(server):
    c = Client(server)
    c.cookies.set("sessionid", "no-such-session-" + "0" * 30)
    assert_json(c.post("/api/accounts/logout/", csrf=False), 200, {"success": True})
