"""SPEC §1.1, §1.2, §1.4: paths, methods, bodies and error envelopes, shared by every endpoint."""

import json

import pytest
import requests

from conftest import NOT_FOUND, Client, assert_field_errors, assert_json, new_password, unique_name

MIB = 1024 * 1024
TOO_LARGE = {"detail": "Request body is too large."}


def allow_set(r) -> set[str]:
    return {m.strip().upper() for m in r.headers.get("Allow", "").split(",") if m.strip()}


# ---------------------------------------------------------------- trailing slash


@pytest.mark.parametrize("p", ["/api/accounts/login_status", "/api/profiles/{uid}", "/api/users/{uid}",
                               "/api/users"])
def test_trailing_slash_is_optional(admin, user, p):
    p = p.format(uid=user.user_id)
    with_slash = admin.get(p + "/")
    without = admin.get(p, allow_redirects=False)
    assert without.status_code == with_slash.status_code == 200, without.text
    assert without.json() == with_slash.json()


def test_trailing_slash_optional_for_writes(server):
    name = unique_name()
    c = Client(server)
    r = c.post("/api/accounts/signup", json={"username": name, "email": f"{name}@example.com",
                                            "password": new_password()}, allow_redirects=False)
    assert_json(r, 201)
    r = c.patch(f"/api/profiles/{r.json()['user']['id']}", json={"nickname": "no slash"}, allow_redirects=False)
    assert assert_json(r, 200)["nickname"] == "no slash"
    assert_json(c.post("/api/accounts/logout", allow_redirects=False), 200, {"success": True})


# ---------------------------------------------------------------- methods


@pytest.mark.smoke
def test_unlisted_method_is_405_with_allow(anon):
    r = anon.patch("/api/accounts/login_status/")
    assert_json(r, 405, {"detail": "Method \"PATCH\" not allowed."})
    assert "GET" in allow_set(r)


@pytest.mark.parametrize("method,p,allowed", [
    ("DELETE", "/api/accounts/signup/", {"POST"}),
    ("GET", "/api/accounts/signup/", {"POST"}),
    ("GET", "/api/accounts/login/", {"POST"}),
    ("PUT", "/api/accounts/logout/", {"POST"}),
    ("GET", "/api/accounts/token/", {"POST", "DELETE"}),
    ("POST", "/api/accounts/login_status/", {"GET"}),
    ("POST", "/api/users/", {"GET"}),
    ("DELETE", "/api/users/1/", {"GET"}),
    ("DELETE", "/api/profiles/1/", {"GET", "PUT", "PATCH"}),
    ("POST", "/api/profiles/1/", {"GET", "PUT", "PATCH"}),
])
def test_method_checked_before_authentication(anon, method, p, allowed):
    r = anon.request(method, p, json={})
    assert_json(r, 405, {"detail": f"Method \"{method}\" not allowed."})
    assert allowed <= allow_set(r), r.headers.get("Allow")


def test_405_also_for_logged_in_users_without_csrf(user):
    r = user.delete("/api/accounts/signup/", csrf=False)
    assert_json(r, 405, {"detail": "Method \"DELETE\" not allowed."})


def test_head_is_get_without_body(user):
    p = f"/api/profiles/{user.user_id}/"
    g = user.get(p)
    h = user.head(p)
    assert h.status_code == g.status_code == 200
    assert h.content == b""
    assert h.headers["Content-Type"] == g.headers["Content-Type"]
    if "Content-Length" in h.headers:
        assert h.headers["Content-Length"] == g.headers["Content-Length"]
    # HEAD of a missing object is the GET's 404, still without a body.
    h404 = user.head("/api/profiles/999999999/")
    assert h404.status_code == 404 and h404.content == b""


def test_head_on_admin_endpoint_follows_get_status(anon):
    assert anon.head("/api/users/").status_code == 403


@pytest.mark.parametrize("p,expected", [
    ("/api/accounts/login_status/", {"GET"}),
    ("/api/accounts/signup/", {"POST"}),
    ("/api/accounts/token/", {"POST", "DELETE"}),
    ("/api/profiles/1/", {"GET", "PUT", "PATCH"}),
    ("/api/users/", {"GET"}),
])
def test_options_lists_allowed_methods(anon, p, expected):
    r = anon.options(p)
    assert r.status_code == 200, r.text
    assert expected <= allow_set(r), r.headers.get("Allow")


# ---------------------------------------------------------------- not found


@pytest.mark.parametrize("p", ["/api/nope/", "/api/", "/api", "/api/accounts/", "/api/accounts/nope/",
                               "/api/users/1/extra/", "/api/profiles/", "/nope", "/api/users//",
                               "/api/profiles/1/2/", "/API/users/", "/healthz/extra"])
def test_unknown_path_is_404(anon, p):
    assert_json(anon.get(p), 404, NOT_FOUND)


def test_unknown_path_any_method_is_404(anon):
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        assert_json(anon.request(method, "/api/nope/", json={}), 404, NOT_FOUND)


@pytest.mark.parametrize("pid", ["abc", "-1", "0", "99999999999999999999", "9223372036854775808", "+5",
                                 "1.5", "00x", "%31%32abc", "１２"])
def test_bad_ids_are_404(user, pid):
    for p in (f"/api/profiles/{pid}/", f"/api/users/{pid}/", f"/api/tweets/{pid}/"):
        r = user.get(p)
        assert r.status_code == 404 and r.json() == NOT_FOUND, (p, r.status_code, r.text)
    r = user.patch(f"/api/profiles/{pid}/", json={"nickname": "x"})
    assert_json(r, 404, NOT_FOUND)


def test_largest_int64_id_is_not_found_not_error(user):
    assert_json(user.get("/api/profiles/9223372036854775807/"), 404, NOT_FOUND)


# ---------------------------------------------------------------- bodies


@pytest.mark.smoke
@pytest.mark.parametrize("body", [b"{", b"{\"username\": }", b"[1, 2]", b"[]", b"\"str\"", b"42", b"null",
                                  b"{\"a\": 1}}", b"{'a': 1}", b"{\"username\": \"\xff\xfe\"}", b"\xef\xbb",
                                  b"{\"a\": NaN}", b"{\"a\": 1,}"])
def test_malformed_json_is_400_parse_error(anon, body):
    r = anon.post("/api/accounts/signup/", data=body, headers={"Content-Type": "application/json"})
    data = assert_json(r, 400)
    assert list(data) == ["detail"], data
    assert data["detail"].startswith("JSON parse error - "), data


def test_json_with_charset_is_accepted(server):
    name = unique_name()
    body = json.dumps({"username": name, "email": f"{name}@example.com", "password": new_password()})
    r = requests.post(server.url("/api/accounts/signup/"), data=body.encode(),
                      headers={"Content-Type": "application/json; charset=utf-8"}, timeout=30)
    assert_json(r, 201)


@pytest.mark.parametrize("ctype", ["text/plain", "application/xml", "image/png", "application/jsonx",
                                   "text/plain; charset=utf-8"])
def test_unsupported_media_type(anon, ctype):
    r = anon.post("/api/accounts/login/", data=b"username=a&password=b", headers={"Content-Type": ctype})
    assert_json(r, 415, {"detail": f"Unsupported media type \"{ctype}\" in request."})
    assert r.headers.get("X-Request-Id")


def test_empty_body_with_any_content_type_is_no_fields(anon):
    r = anon.post("/api/accounts/signup/", data=b"", headers={"Content-Type": "text/plain"})
    assert_field_errors(r, {"username": ["This field is required."], "email": ["This field is required."],
                            "password": ["This field is required."]})


def test_unknown_fields_are_ignored(server, admin):
    name = unique_name()
    r = requests.post(server.url("/api/accounts/signup/"), json={
        "username": name, "email": f"{name}@example.com", "password": new_password(),
        "is_staff": True, "is_superuser": "true", "extra": {"nested": [1, 2]}}, timeout=30)
    user = assert_json(r, 201)["user"]
    assert user["username"] == name
    assert assert_json(admin.get(f"/api/users/{user['id']}/"), 200)["is_staff"] is False


def test_numbers_as_strings_are_fine_in_forms(user):
    r = user.patch(f"/api/profiles/{user.user_id}/", data={"nickname": "12"})
    assert assert_json(r, 200)["nickname"] == "12"


@pytest.mark.smoke
def test_json_body_over_1_mib_is_413(anon):
    body = json.dumps({"username": "x", "password": "y", "pad": "a" * (MIB + 10)}).encode()
    r = anon.post("/api/accounts/login/", data=body, headers={"Content-Type": "application/json"})
    assert_json(r, 413, TOO_LARGE)
    assert r.headers.get("X-Request-Id")


def test_form_body_of_2_mib_is_413(anon):
    body = b"username=x&password=y&pad=" + b"a" * (2 * MIB)
    r = anon.post("/api/accounts/login/", data=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_json(r, 413, TOO_LARGE)


def test_body_just_under_1_mib_is_accepted(anon):
    body = json.dumps({"username": "nobody_" + "x" * 10, "password": "abcdefg", "pad": "a" * (MIB - 200)}).encode()
    assert len(body) < MIB
    r = anon.post("/api/accounts/login/", data=body, headers={"Content-Type": "application/json"})
    assert_json(r, 400, {"success": False, "message": "User does not exist."})


def test_server_still_serves_after_413(server):
    assert requests.get(server.url("/healthz"), timeout=30).status_code == 200


# ---------------------------------------------------------------- envelopes and headers


def test_responses_are_json(anon, user):
    for r in (anon.get("/api/accounts/login_status/"), anon.get("/api/nope/"), anon.patch("/api/users/"),
              anon.get("/api/users/"), user.get(f"/api/profiles/{user.user_id}/")):
        assert r.headers.get("Content-Type", "").startswith("application/json"), (r.url, r.headers)
        r.json()


def test_errors_never_leak_internals(anon):
    r = anon.post("/api/accounts/login/", data=b"{" * 50, headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    text = r.text.lower()
    for word in ("sqlite", "mysql", "select ", "exception", "traceback", "std::", "boost"):
        assert word not in text, r.text


def test_keep_alive_connection_serves_many_requests(server):
    with requests.Session() as s:
        for _ in range(20):
            assert s.get(server.url("/api/accounts/login_status/"), timeout=30).status_code == 200
