"""Security headers on every kind of answer, and the cookies' attributes (issue #9, SPEC §1.3).

The HTTP server adds the headers to everything it answers (http::security_headers(), its default
headers): the API's answers (results, errors, 404/405/OPTIONS, the web client, operations endpoints,
media) and the ones it gives by itself before a request reaches the API (400 malformed, 413, 431;
the 503 of a full worker queue is checked in test_resource_limits.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from conftest import (HTTP_TIMEOUT, Client, assert_json, cookies_set, new_password, raw_http,
                      raw_status, signup, unique_name)

AVATAR = Path(__file__).parent / "data" / "avatar.png"
CSP = ("default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": CSP,
}
SESSION_MAX_AGE = 14 * 24 * 3600  # SPEC §1.3: 14 days idle (the default setting)


def assert_security_headers(r: requests.Response) -> None:
    where = f"{r.request.method} {r.request.path_url} → {r.status_code}"
    for name, value in SECURITY_HEADERS.items():
        assert r.headers.get(name) == value, f"{where}: {name} is {r.headers.get(name)!r}"
        # One header each, not one from the API and another from the server.
        assert len(r.raw.headers.getlist(name)) == 1, f"{where}: {name} sent {r.raw.headers.getlist(name)}"


def get(server, path, **kw):
    return requests.get(server.url(path), timeout=HTTP_TIMEOUT, **kw)


@pytest.fixture(scope="module")
def author(server) -> Client:
    return signup(server)


def test_json_200_201_and_head(server, author):
    assert_security_headers(assert_json_response(get(server, "/api/accounts/login_status/"), 200))
    r = author.post("/api/tweets/", json={"content": "headers on a 201"})
    assert_security_headers(assert_json_response(r, 201))
    h = requests.head(server.url(f"/api/tweets/{r.json()['id']}/"), timeout=HTTP_TIMEOUT)
    assert h.status_code == 200 and h.content == b""
    assert_security_headers(h)


def assert_json_response(r: requests.Response, status: int) -> requests.Response:
    assert_json(r, status)
    return r


@pytest.mark.parametrize("method,path,kwargs,status", [
    ("POST", "/api/accounts/signup/", {"json": {"username": "x"}}, 400),              # field errors
    ("POST", "/api/accounts/login/", {"json": {}}, 400),                               # missing params
    ("POST", "/api/accounts/login/", {"data": "{", "headers": {"Content-Type": "application/json"}}, 400),
    ("POST", "/api/accounts/login/", {"data": "x", "headers": {"Content-Type": "text/plain"}}, 415),
    ("GET", "/api/newsfeeds/", {}, 403),                                               # not logged in
    ("GET", "/api/users/", {"headers": {"Authorization": "Token nonsense"}}, 403),     # invalid token
    ("GET", "/api/tweets/999999999/", {}, 404),
    ("GET", "/api/tweets/abc/", {}, 404),
    ("GET", "/no/such/path", {}, 404),
    ("GET", "/static/no-such-file.js", {}, 404),
    ("GET", "/media/avatars/00/none.png", {}, 404),
    ("PATCH", "/api/accounts/login/", {}, 405),
    ("DELETE", "/healthz", {}, 405),
])
def test_error_envelopes(server, method, path, kwargs, status):
    r = requests.request(method, server.url(path), timeout=HTTP_TIMEOUT, **kwargs)
    assert_json(r, status)
    assert_security_headers(r)


def test_csrf_failure_and_options(server, author):
    r = author.post("/api/tweets/", json={"content": "no csrf header"}, csrf=False)
    assert_json(r, 403)
    assert_security_headers(r)
    o = requests.options(server.url("/api/tweets/"), timeout=HTTP_TIMEOUT)
    assert o.status_code == 200 and "Allow" in o.headers
    assert_security_headers(o)


def test_rate_limited_429(limited_server):
    for _ in range(20):
        r = requests.get(limited_server.url("/api/accounts/login_status/"), timeout=HTTP_TIMEOUT)
        if r.status_code == 429:
            break
    assert_json(r, 429)
    assert "Retry-After" in r.headers
    assert_security_headers(r)


def test_web_client_and_revalidation(server):
    index = get(server, "/")
    assert index.status_code == 200 and index.headers["Content-Type"].startswith("text/html")
    assert_security_headers(index)
    for path in ("/static/js/main.js", "/static/css/app.css", "/static/favicon.svg"):
        r = get(server, path)
        assert r.status_code == 200, path
        assert_security_headers(r)
    etag = get(server, "/static/js/main.js").headers["ETag"]
    again = get(server, "/static/js/main.js", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert_security_headers(again)


def test_operations_endpoints(server):
    for path in ("/healthz", "/readyz", "/metrics"):
        r = get(server, path)
        assert r.status_code == 200, (path, r.text[:200])
        assert_security_headers(r)


def test_media_file(server, author):
    with AVATAR.open("rb") as f:
        changed = assert_json(author.patch(f"/api/profiles/{author.user_id}/", files={"avatar": f}), 200)
    r = requests.get(changed["avatar_url"], timeout=HTTP_TIMEOUT)
    assert r.status_code == 200 and r.content == AVATAR.read_bytes()
    assert r.headers["Content-Type"] == "image/png"
    assert_security_headers(r)


def test_server_rejections_carry_the_headers(server):
    too_large = requests.post(server.url("/api/tweets/"), data=b"x" * (1024 * 1024 + 1),
                              headers={"Content-Type": "application/json"}, timeout=HTTP_TIMEOUT)
    assert_json(too_large, 413, {"detail": "Request body is too large."})
    assert_security_headers(too_large)
    too_long = requests.get(server.url("/healthz"), headers={"X-Junk": "j" * 20_000}, timeout=HTTP_TIMEOUT)
    assert_json(too_long, 431, {"detail": "Request header fields too large."})
    assert_security_headers(too_long)
    malformed = raw_http(server, b"GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n")
    assert raw_status(malformed) == 400 and b'{"detail": "Malformed request."}' in malformed
    for name, value in SECURITY_HEADERS.items():
        assert malformed.count(f"\r\n{name}: ".encode()) == 1, name
        assert f"\r\n{name}: {value}\r\n".encode() in malformed, name


# ---- cookies (SPEC §1.3)

def session_and_csrf(r: requests.Response) -> tuple[dict, dict]:
    cookies = cookies_set(r)
    assert set(cookies) == {"sessionid", "csrftoken"}, list(cookies)
    return cookies["sessionid"][1], cookies["csrftoken"][1]


def assert_session_cookie(attrs: dict, max_age: int) -> None:
    assert "httponly" in attrs, attrs
    assert attrs.get("samesite") == "Lax" and attrs.get("path") == "/", attrs
    assert attrs.get("max-age") == str(max_age), attrs
    assert "secure" not in attrs, attrs  # plain HTTP by default (a TLS deployment adds Secure)


def assert_csrf_cookie(attrs: dict) -> None:
    assert "httponly" not in attrs, attrs  # the web client reads it to send X-CSRFToken
    assert attrs.get("samesite") == "Lax" and attrs.get("path") == "/", attrs
    assert int(attrs.get("max-age", "0")) > SESSION_MAX_AGE, attrs  # outlives sessions: a year


def test_signup_login_and_logout_cookies(server):
    name, password = unique_name("ck"), new_password()
    c = Client(server)
    r = c.post("/api/accounts/signup/", json={"username": name, "email": f"{name}@example.com",
                                               "password": password})
    assert r.status_code == 201, r.text
    assert_security_headers(r)
    session, csrf = session_and_csrf(r)
    assert_session_cookie(session, SESSION_MAX_AGE)
    assert_csrf_cookie(csrf)
    sid = c.cookies["sessionid"]
    assert len(sid) >= 32  # at least 128 bits (SPEC §1.3), hex

    r = c.post("/api/accounts/login/", json={"username": name, "password": password})
    assert r.status_code == 200, r.text
    session, csrf = session_and_csrf(r)
    assert_session_cookie(session, SESSION_MAX_AGE)
    assert_csrf_cookie(csrf)
    assert c.cookies["sessionid"] != sid  # a new id on login (no fixation)

    r = c.post("/api/accounts/logout/")
    assert r.status_code == 200, r.text
    session, csrf = session_and_csrf(r)
    assert_session_cookie(session, 0)  # cleared
    assert cookies_set(r)["sessionid"][0] == ""
    assert_csrf_cookie(csrf)


def test_token_and_errors_set_no_cookies(server):
    name, password = unique_name("ck"), new_password()
    signup(server, username=name, password=password)
    r = requests.post(server.url("/api/accounts/token/"), json={"username": name, "password": password},
                      timeout=HTTP_TIMEOUT)
    assert r.status_code == 200 and cookies_set(r) == {}
    assert_security_headers(r)
    wrong = requests.post(server.url("/api/accounts/login/"), json={"username": name, "password": "wrong-pass1"},
                          timeout=HTTP_TIMEOUT)
    assert wrong.status_code == 400 and cookies_set(wrong) == {}


@pytest.mark.parametrize("how", ["flag", "env"])
def test_secure_cookies_when_configured(server_factory, how):
    """--secure-cookies on (CHIRP_SECURE_COOKIES): HTTPS is terminated by a proxy in front, so both
    cookies are marked Secure; everything else about them stays the same. (A cookie jar would not
    send Secure cookies back over plain HTTP: the cookies go back by hand.)"""
    if how == "flag":
        srv = server_factory("secure", extra_args=["--secure-cookies", "on"])
    else:
        srv = server_factory("secure_env", env={"CHIRP_SECURE_COOKIES": "on"})
    name, password = unique_name("sc"), new_password()
    signed_up = requests.post(srv.url("/api/accounts/signup/"), timeout=HTTP_TIMEOUT,
                              json={"username": name, "email": f"{name}@example.com", "password": password})
    assert signed_up.status_code == 201, signed_up.text
    logged_in = requests.post(srv.url("/api/accounts/login/"), json={"username": name, "password": password},
                              timeout=HTTP_TIMEOUT)
    assert logged_in.status_code == 200, logged_in.text
    sid, csrf = cookies_set(logged_in)["sessionid"][0], cookies_set(logged_in)["csrftoken"][0]
    logged_out = requests.post(srv.url("/api/accounts/logout/"), timeout=HTTP_TIMEOUT,
                               headers={"Cookie": f"sessionid={sid}; csrftoken={csrf}", "X-CSRFToken": csrf})
    assert logged_out.status_code == 200, logged_out.text
    for r in (signed_up, logged_in, logged_out):
        session, csrf_attrs = session_and_csrf(r)
        assert "secure" in session and "secure" in csrf_attrs, (session, csrf_attrs)
        assert "httponly" in session and "httponly" not in csrf_attrs
        assert session.get("samesite") == "Lax" and csrf_attrs.get("samesite") == "Lax"
    assert session.get("max-age") == "0"  # the logout cleared the session cookie
