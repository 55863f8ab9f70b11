"""Hostile and broken input: whatever arrives, the answer is a 4xx JSON error, never a 500 or a crash."""

import json

import pytest
import requests

from conftest import Client, assert_json, raw_http, raw_status, signup

WRITE_PATHS = ["/api/accounts/signup/", "/api/accounts/login/", "/api/accounts/token/", "/api/accounts/logout/"]

WEIRD_VALUES = [
    None, 0, -1, 1.5, 1e308, 10**30, -(10**30), True, [], {}, [[[]]], {"a": {"b": {"c": 1}}}, "",
    "\x00", "a\x00b", "x" * 100_000, "😀" * 50, "\u202e\u200b", "' OR 1=1 --", "<script>", "%s%n%x",
    "../../etc/passwd", "\ud800",
]


def post_json(c: Client, path: str, body) -> requests.Response:
    data = json.dumps(body, ensure_ascii=True).encode()
    return c.post(path, data=data, headers={"Content-Type": "application/json"})


def assert_client_error(r: requests.Response):
    assert r.status_code < 500, f"{r.request.method} {r.request.url} → {r.status_code}: {r.text[:500]}"
    assert r.headers.get("Content-Type", "").startswith("application/json"), r.headers
    r.json()


@pytest.mark.smoke
@pytest.mark.parametrize("path", WRITE_PATHS)
def test_weird_values_in_account_fields(anon, path):
    for value in WEIRD_VALUES:
        for field in ("username", "email", "password"):
            body = {"username": "someone_1", "email": "someone@example.com", "password": "abcdefg", field: value}
            r = post_json(anon, path, body)
            assert_client_error(r)


def test_weird_values_in_profile_fields(user):
    for value in WEIRD_VALUES:
        r = user.patch(f"/api/profiles/{user.user_id}/", data=json.dumps({"nickname": value}).encode(),
                       headers={"Content-Type": "application/json"})
        assert_client_error(r)


def test_nul_bytes_in_form_fields(anon):
    r = anon.post("/api/accounts/login/", data=b"username=a%00b&password=abc%00def",
                  headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_client_error(r)
    r = anon.post("/api/accounts/signup/", data=b"username=abc%00defg&email=a%00@b.com&password=abcdefg",
                  headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_json(r, 400)


@pytest.mark.parametrize("body", [
    b"username=%zz&password=%", b"&&&&", b"=====", b"username", b"a=1&a=2&a=3", b"%ff%fe=%ff",
    b"username=" + b"%41" * 50_000, b"\xff\xfe\xfd", b"username=a+b&password=c+d",
])
def test_broken_form_bodies(anon, body):
    r = anon.post("/api/accounts/login/", data=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert_client_error(r)


@pytest.mark.parametrize("ctype,body", [
    ("multipart/form-data", b"--x\r\n"),
    ("multipart/form-data; boundary=x", b"garbage"),
    ("multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data\r\n\r\nv\r\n--x--\r\n"),
    ("multipart/form-data; boundary=x", b"--x\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nabc"),
    ("multipart/form-data; boundary=x", b"--x--\r\n"),
    ("multipart/form-data; boundary=" + "b" * 200, b"--" + b"b" * 200 + b"--\r\n"),
    ("multipart/form-data; boundary=\"\"", b"----\r\n"),
    ("multipart/form-data; boundary=x",
     b"--x\r\nContent-Disposition: form-data; name=\"avatar\"; filename=\"a.png\"\r\n\r\n\x89PNG"),
])
def test_broken_multipart_bodies(anon, user, ctype, body):
    r = anon.post("/api/accounts/login/", data=body, headers={"Content-Type": ctype})
    assert_client_error(r)
    assert r.status_code == 400
    # An empty or broken form updates nothing: 200 (no fields) or 400, never a server error.
    r = user.patch(f"/api/profiles/{user.user_id}/", data=body, headers={"Content-Type": ctype})
    assert_client_error(r)


@pytest.mark.smoke
def test_deeply_nested_json(anon):
    for depth in (100, 10_000, 100_000):
        body = b"[" * depth + b"]" * depth
        r = anon.post("/api/accounts/login/", data=body, headers={"Content-Type": "application/json"})
        assert_client_error(r)
        assert r.status_code == 400
        body = b'{"username": ' + b'{"a": ' * depth + b"1" + b"}" * depth + b', "password": "x"}'
        r = anon.post("/api/accounts/signup/", data=body, headers={"Content-Type": "application/json"})
        assert_client_error(r)
        assert r.status_code in (400, 413)


@pytest.mark.parametrize("body", [
    b'{"username": 1e400, "password": "abcdefg"}',
    b'{"username": 123456789012345678901234567890, "email": "a@b.co", "password": "abcdefg"}',
    b'{"username": -0, "email": "a@b.co", "password": "abcdefg"}',
    b'{"username": "\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000", "email": "a@b.co", "password": "abcdefg"}',
    b'{"username": "\\ud800abcdef", "email": "a@b.co", "password": "abcdefg"}',
    b'{"username": "a", "username": "b"}',
    b'{"password": "abc\\u0000def", "username": "nobody_here"}',
])
def test_odd_json_values(anon, body):
    for path in ("/api/accounts/signup/", "/api/accounts/login/"):
        r = anon.post(path, data=body, headers={"Content-Type": "application/json"})
        assert_client_error(r)
        assert r.status_code == 400, r.text


@pytest.mark.parametrize("query", [
    "page=%ff", "page=1&page=2", "page=99999999999999999999", "page_size=99999999999999999999",
    "page=%00", "page=1%00", "page= 1", "page=-0", "page=1e2", "page=" + "9" * 1000, "%zz=1", "page",
])
def test_weird_query_strings(admin, query):
    r = admin.get(f"/api/users/?{query}")
    assert_client_error(r)


def test_very_long_path_and_header(server):
    for kwargs in ({"url": server.url("/api/" + "a" * 20_000 + "/")},
                   {"url": server.url("/api/accounts/login_status/"), "headers": {"X-Junk": "j" * 200_000}}):
        try:
            r = requests.get(timeout=30, **kwargs)
        except requests.ConnectionError:
            continue  # dropping an oversized request head is acceptable
        assert r.status_code in (400, 404, 414, 431), r.status_code
    assert requests.get(server.url("/healthz"), timeout=30).status_code == 200


def test_long_request_id_is_not_echoed_blindly(server):
    r = requests.get(server.url("/healthz"), headers={"X-Request-Id": "r" * 5000}, timeout=30)
    assert r.status_code in (200, 400, 431)


@pytest.mark.smoke
def test_malformed_http_does_not_kill_the_server(server):
    for raw in (b"GARBAGE\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n", b"GET /api/accounts/login_status/ HTTP/1.1\r\n"
                b"Host: x\r\nContent-Length: -5\r\n\r\n", b"\x00\x01\x02\x03\r\n\r\n",
                b"POST /api/accounts/login/ HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n",
                b"POST /api/accounts/login/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"):
        reply = raw_http(server, raw, timeout=5)
        if reply:
            assert raw_status(reply) < 500, reply[:300]
    assert requests.get(server.url("/healthz"), timeout=30).status_code == 200


def test_pipelined_requests(server):
    body = b'{"username": "nobody_here", "password": "abcdefg"}'
    req = (b"POST /api/accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
           b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body)
    reply = raw_http(server, req + b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    assert raw_status(reply) == 400
    assert b"User does not exist." in reply


def test_chunked_request_body(server):
    name_body = json.dumps({"username": "nobody_chunked", "password": "abcdefg"}).encode()

    def gen():
        for i in range(0, len(name_body), 7):
            yield name_body[i:i + 7]

    r = requests.post(server.url("/api/accounts/login/"), data=gen(), headers={"Content-Type": "application/json"},
                      timeout=30)
    assert_json(r, 400, {"success": False, "message": "User does not exist."})


def test_raw_path_traversal_on_media(server):
    for p in (b"/media/../chirp.db", b"/media/%2e%2e/chirp.db", b"/media/..%2fchirp.db", b"/media/avatars/../../chirp.db",
              b"/media/%2e%2e%2f%2e%2e%2fetc%2fpasswd", b"/media//etc/passwd", b"/media/", b"/media"):
        reply = raw_http(server, b"GET " + p + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        status = raw_status(reply)
        assert status in (400, 403, 404), (p, reply[:300])
        assert b"SQLite format" not in reply and b"root:" not in reply


def test_cookie_garbage(server):
    for cookie in ("sessionid=", "sessionid=" + "x" * 4000, "sessionid=\x7f\x01", "csrftoken=;sessionid=;;;",
                   "=====", "sessionid=a; sessionid=b"):
        try:
            r = requests.get(server.url("/api/accounts/login_status/"), headers={"Cookie": cookie}, timeout=30)
        except ValueError:
            continue  # requests refused to send it
        assert_client_error(r)
        if r.status_code == 200:
            assert r.json()["has_logged_in"] is False


def test_server_survived_everything(server):
    c = signup(server)
    assert assert_json(c.get("/api/accounts/login_status/"), 200)["has_logged_in"] is True
