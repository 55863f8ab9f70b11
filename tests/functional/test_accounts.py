"""SPEC §3.1-§3.5: login_status, signup, login, logout, passwords."""

import json
import random
import statistics
import threading
import time

import pytest
import requests

from conftest import (CSRF_FAILED, Client, assert_field_errors, assert_json, cookies_set, database_url, get_token,
                      login, new_password, signup, unique_name)

SIGNUP = "/api/accounts/signup/"
LOGIN = "/api/accounts/login/"
LOGOUT = "/api/accounts/logout/"
STATUS = "/api/accounts/login_status/"

REQUIRED = ["This field is required."]
BLANK = ["This field may not be blank."]
BAD_EMAIL = ["Enter a valid email address."]
BAD_USERNAME_CHARS = ["Username may contain only letters, digits and underscores."]
NOT_STRING = ["Not a valid string."]


def fields(**overrides):
    name = unique_name()
    body = {"username": name, "email": f"{name}@example.com", "password": new_password()}
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


# ---------------------------------------------------------------- login_status


@pytest.mark.smoke
def test_login_status_anonymous(anon):
    assert_json(anon.get(STATUS), 200, {"has_logged_in": False, "ip": "127.0.0.1"})


def test_login_status_logged_in(user):
    data = assert_json(user.get(STATUS), 200)
    assert data == {"has_logged_in": True, "ip": "127.0.0.1", "user": user.user}
    assert set(user.user) == {"id", "username", "email"}


def test_login_status_with_unknown_session_cookie_is_anonymous(anon):
    anon.cookies.set("sessionid", "x" * 40)
    assert_json(anon.get(STATUS), 200, {"has_logged_in": False, "ip": "127.0.0.1"})


# ---------------------------------------------------------------- signup


@pytest.mark.smoke
def test_signup_creates_logged_in_user_with_profile(anon):
    body = fields()
    r = anon.post(SIGNUP, json=body)
    data = assert_json(r, 201)
    assert data["success"] is True
    user = data["user"]
    assert set(user) == {"id", "username", "email"}
    assert isinstance(user["id"], int) and user["id"] > 0
    assert user["username"] == body["username"]
    assert user["email"] == body["email"]
    # The new user is logged in.
    status = assert_json(anon.get(STATUS), 200)
    assert status["has_logged_in"] is True and status["user"] == user
    # The profile exists, with the user's id.
    profile = assert_json(anon.get(f"/api/profiles/{user['id']}/"), 200)
    assert profile["id"] == user["id"]
    assert profile["nickname"] is None and profile["avatar_url"] is None


def test_signup_sets_session_and_csrf_cookies(anon):
    r = anon.post(SIGNUP, json=fields())
    assert r.status_code == 201, r.text
    cookies = cookies_set(r)
    assert "sessionid" in cookies and "csrftoken" in cookies, r.headers
    sid, attrs = cookies["sessionid"]
    assert len(sid) >= 22, "session id shorter than 128 bits of base64"
    assert "httponly" in attrs
    assert attrs.get("samesite", "").lower() == "lax"
    assert attrs.get("path") == "/"
    csrf, cattrs = cookies["csrftoken"]
    assert csrf
    assert "httponly" not in cattrs
    assert cattrs.get("samesite", "").lower() == "lax"
    assert cattrs.get("path") == "/"


@pytest.mark.parametrize("kind", ["json", "form", "multipart"])
def test_signup_accepts_every_body_type(anon, kind):
    body = fields()
    if kind == "json":
        r = anon.post(SIGNUP, json=body)
    elif kind == "form":
        r = anon.post(SIGNUP, data=body)
    else:
        r = anon.post(SIGNUP, files={k: (None, v) for k, v in body.items()})
    assert_json(r, 201)
    assert r.json()["user"]["username"] == body["username"]


def test_signup_stores_username_and_email_lowercase(anon):
    name = unique_name().upper()
    r = anon.post(SIGNUP, json=fields(username=name, email=f"{name}@Example.COM"))
    user = assert_json(r, 201)["user"]
    assert user["username"] == name.lower()
    assert user["email"] == f"{name.lower()}@example.com"


def test_signup_trims_username(anon):
    name = unique_name()
    r = anon.post(SIGNUP, json=fields(username=f"  {name} ", email=f" {name}@example.com "))
    user = assert_json(r, 201)["user"]
    assert user["username"] == name
    assert user["email"] == f"{name}@example.com"


def test_signup_numeric_username_is_converted_to_text(anon):
    number = random.randint(10**11, 10**12 - 1)
    r = anon.post(SIGNUP, json=fields(username=number, email=f"n{number}@example.com"))
    assert assert_json(r, 201)["user"]["username"] == str(number)


@pytest.mark.parametrize("body", [b"", None])
@pytest.mark.parametrize("ctype", ["application/json", "application/x-www-form-urlencoded", None])
def test_signup_empty_body_reports_all_fields_required(anon, body, ctype):
    headers = {"Content-Type": ctype} if ctype else {}
    r = anon.post(SIGNUP, data=body, headers=headers)
    data = assert_field_errors(r, {"username": REQUIRED, "email": REQUIRED, "password": REQUIRED})
    assert list(data["errors"]) == ["username", "email", "password"]


def test_signup_reports_all_errors_at_once_in_field_order(anon):
    r = anon.post(SIGNUP, json={"password": "abc", "email": "nope", "username": "ab"})
    data = assert_field_errors(r, {
        "username": ["Ensure this field has at least 6 characters."],
        "email": BAD_EMAIL,
        "password": ["Ensure this field has at least 6 characters."],
    })
    assert list(data["errors"]) == ["username", "email", "password"]


def test_signup_blank_fields(anon):
    r = anon.post(SIGNUP, json={"username": "", "email": "", "password": ""})
    assert_field_errors(r, {"username": BLANK, "email": BLANK, "password": BLANK})


@pytest.mark.parametrize("value", ["   ", "\t\n "])
def test_signup_whitespace_only_fields_are_blank(anon, value):
    r = anon.post(SIGNUP, json={"username": value, "email": value, "password": new_password()})
    assert_field_errors(r, {"username": BLANK, "email": BLANK})


@pytest.mark.parametrize("username,errors", [
    ("abcde", ["Ensure this field has at least 6 characters."]),
    ("a" * 21, ["Ensure this field has no more than 20 characters."]),
    ("bad name", BAD_USERNAME_CHARS),
    ("bad-name", BAD_USERNAME_CHARS),
    ("bad.name", BAD_USERNAME_CHARS),
    ("jürgen12", BAD_USERNAME_CHARS),
    ("名前名前名前", BAD_USERNAME_CHARS),
    ("bob@home", BAD_USERNAME_CHARS),
    ("abc\x00def", BAD_USERNAME_CHARS),
])
def test_signup_invalid_username(anon, username, errors):
    r = anon.post(SIGNUP, json=fields(username=username))
    assert_field_errors(r, {"username": errors})


@pytest.mark.parametrize("length", [6, 20])
def test_signup_username_length_bounds_are_inclusive(anon, length):
    name = "".join(random.choice("abcdefghijklmnopqrstuvwxyz0123456789_") for _ in range(length))
    r = anon.post(SIGNUP, json=fields(username=name, email=f"{unique_name()}@example.com"))
    assert assert_json(r, 201)["user"]["username"] == name


@pytest.mark.parametrize("email", ["notanemail", "a@", "@example.com", "a b@example.com", "a@b@c.com",
                                   "user@", "user@@example.com"])
def test_signup_invalid_email(anon, email):
    assert_field_errors(anon.post(SIGNUP, json=fields(email=email)), {"email": BAD_EMAIL})


@pytest.mark.parametrize("password,errors", [
    ("abcde", ["Ensure this field has at least 6 characters."]),
    ("a" * 21, ["Ensure this field has no more than 20 characters."]),
    ("пароль" * 3 + "ééé", ["Ensure this field has no more than 20 characters."]),  # 21 code points
])
def test_signup_invalid_password(anon, password, errors):
    assert_field_errors(anon.post(SIGNUP, json=fields(password=password)), {"password": errors})


@pytest.mark.parametrize("password", ["пароль", "ü" * 20, "abcdef", "x" * 20])
def test_signup_password_length_counts_code_points(anon, password):
    body = fields(password=password)
    assert_json(anon.post(SIGNUP, json=body), 201)
    login(anon.server, body["username"], password)


def test_password_is_not_trimmed(server, anon):
    body = fields(password=" abcdef ")
    assert_json(anon.post(SIGNUP, json=body), 201)
    login(server, body["username"], " abcdef ")
    r = Client(server).post(LOGIN, json={"username": body["username"], "password": "abcdef"})
    assert_json(r, 400, {"success": False, "message": "Username and password does not match."})


@pytest.mark.parametrize("field", ["username", "email", "password"])
@pytest.mark.parametrize("value", [{"a": 1}, ["abcdefg"], True, False])
def test_signup_non_string_values(anon, field, value):
    r = anon.post(SIGNUP, json=fields(**{field: value}))
    assert_field_errors(r, {field: NOT_STRING})


def test_signup_null_value_is_rejected(anon):
    r = anon.post(SIGNUP, json=fields(username=None) | {"username": None})
    data = assert_json(r, 400)
    assert "username" in data["errors"]


def test_signup_taken_username_ignoring_case(server):
    first = signup(server)
    name = first.user["username"]
    r = Client(server).post(SIGNUP, json=fields(username=name.upper()))
    assert_field_errors(r, {"username": ["This username has been occupied."]})


def test_signup_taken_email_ignoring_case(server):
    first = signup(server)
    r = Client(server).post(SIGNUP, json=fields(email=first.user["email"].upper()))
    assert_field_errors(r, {"email": ["This email address has been occupied."]})


def test_signup_taken_username_and_email(server):
    first = signup(server)
    r = Client(server).post(SIGNUP, json=fields(username=first.user["username"], email=first.user["email"]))
    assert_field_errors(r, {"username": ["This username has been occupied."],
                            "email": ["This email address has been occupied."]})


@pytest.mark.smoke
def test_concurrent_duplicate_signups_exactly_one_wins(server):
    name = unique_name("race")
    barrier = threading.Barrier(8)
    results = []
    lock = threading.Lock()

    def worker(i):
        body = {"username": name, "email": f"{name}{i}@example.com", "password": new_password()}
        s = requests.Session()
        barrier.wait()
        r = s.post(server.url(SIGNUP), json=body, timeout=30)
        with lock:
            results.append((r.status_code, r.text))

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    statuses = sorted(s for s, _ in results)
    assert statuses.count(201) == 1, results
    for status, text in results:
        if status != 201:
            assert status == 400, text
            assert json.loads(text)["errors"] == {"username": ["This username has been occupied."]}


def test_concurrent_duplicate_emails_exactly_one_wins(server):
    email = f"{unique_name('race')}@example.com"
    barrier = threading.Barrier(6)
    results = []

    def worker():
        body = {"username": unique_name(), "email": email, "password": new_password()}
        barrier.wait()
        r = requests.post(server.url(SIGNUP), json=body, timeout=30)
        results.append((r.status_code, r.json()))

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(s for s, _ in results) == [201] + [400] * 5, results
    for status, data in results:
        if status == 400:
            assert data["errors"] == {"email": ["This email address has been occupied."]}


# ---------------------------------------------------------------- login


@pytest.mark.smoke
def test_login_with_username(server, user):
    c = Client(server)
    r = c.post(LOGIN, json={"username": user.user["username"], "password": user.password})
    data = assert_json(r, 200)
    assert data == {"success": True, "user": user.user}
    cookies = cookies_set(r)
    assert "sessionid" in cookies and "csrftoken" in cookies
    sid, attrs = cookies["sessionid"]
    assert "httponly" in attrs and attrs.get("samesite", "").lower() == "lax" and attrs.get("path") == "/"
    _, cattrs = cookies["csrftoken"]
    assert "httponly" not in cattrs and cattrs.get("samesite", "").lower() == "lax"
    assert assert_json(c.get(STATUS), 200)["user"] == user.user


@pytest.mark.parametrize("how", ["username_upper", "email_as_username", "email_field", "email_upper"])
def test_login_variants(server, user, how):
    name, email = user.user["username"], user.user["email"]
    body = {
        "username_upper": {"username": name.upper()},
        "email_as_username": {"username": email},
        "email_field": {"email": email},
        "email_upper": {"email": email.upper()},
    }[how]
    body["password"] = user.password
    r = Client(server).post(LOGIN, json=body)
    assert assert_json(r, 200)["user"] == user.user


@pytest.mark.parametrize("kind", ["form", "multipart"])
def test_login_form_bodies(server, user, kind):
    body = {"username": user.user["username"], "password": user.password}
    c = Client(server)
    if kind == "form":
        r = c.post(LOGIN, data=body)
    else:
        r = c.post(LOGIN, files={k: (None, v) for k, v in body.items()})
    assert assert_json(r, 200)["user"] == user.user


def test_each_login_issues_a_new_session_id(server, user):
    seen = {user.cookies.get("sessionid")}
    for _ in range(3):
        c = Client(server)
        r = c.post(LOGIN, json={"username": user.user["username"], "password": user.password})
        assert r.status_code == 200
        sid = c.cookies.get("sessionid")
        assert sid and sid not in seen
        seen.add(sid)


def test_login_while_logged_in_rotates_session(server, user):
    old = user.cookies.get("sessionid")
    r = user.post(LOGIN, json={"username": user.user["username"], "password": user.password})
    assert r.status_code == 200, r.text
    assert user.cookies.get("sessionid") != old
    assert assert_json(user.get(STATUS), 200)["has_logged_in"] is True


@pytest.mark.parametrize("body,message", [
    ({}, "missing username,password in request"),
    ({"password": "whatever1"}, "missing username in request"),
    ({"username": "someone_x"}, "missing password in request"),
    ({"email": "someone@example.com"}, "missing password in request"),
    ({"username": "does_not_exist_zz"}, "missing password in request"),
])
def test_login_missing_params(anon, body, message):
    assert_json(anon.post(LOGIN, json=body), 400, {"success": False, "message": message})


def test_login_empty_body_is_missing_params(anon):
    r = anon.post(LOGIN, data=b"", headers={"Content-Type": "application/json"})
    assert_json(r, 400, {"success": False, "message": "missing username,password in request"})


def test_login_unknown_user(anon):
    r = anon.post(LOGIN, json={"username": unique_name("nobody"), "password": "whatever1"})
    assert_json(r, 400, {"success": False, "message": "User does not exist."})
    r = anon.post(LOGIN, json={"email": f"{unique_name()}@example.com", "password": "whatever1"})
    assert_json(r, 400, {"success": False, "message": "User does not exist."})


def test_login_wrong_password(anon, user):
    r = anon.post(LOGIN, json={"username": user.user["username"], "password": user.password + "x"})
    assert_json(r, 400, {"success": False, "message": "Username and password does not match."})
    assert "sessionid" not in cookies_set(r)
    assert assert_json(anon.get(STATUS), 200)["has_logged_in"] is False


def test_login_password_is_case_sensitive(anon, user):
    r = anon.post(LOGIN, json={"username": user.user["username"], "password": user.password.upper()})
    assert_json(r, 400, {"success": False, "message": "Username and password does not match."})


# ---------------------------------------------------------------- logout


@pytest.mark.smoke
def test_logout_destroys_session(server, user):
    old_sid = user.cookies.get("sessionid")
    r = user.post(LOGOUT)
    assert_json(r, 200, {"success": True})
    cookies = cookies_set(r)
    assert "sessionid" in cookies, "logout did not expire the sessionid cookie"
    value, attrs = cookies["sessionid"]
    expired = (value in ("", '""') or attrs.get("max-age") == "0"
               or "1970" in attrs.get("expires", "") or "Thu, 01 Jan" in attrs.get("expires", ""))
    assert expired, cookies["sessionid"]
    assert assert_json(user.get(STATUS), 200)["has_logged_in"] is False
    # The old cookie no longer works, even when replayed.
    replay = Client(server)
    replay.cookies.set("sessionid", old_sid)
    assert_json(replay.get(STATUS), 200, {"has_logged_in": False, "ip": "127.0.0.1"})


def test_logout_without_csrf_header_is_refused(server, user):
    assert_json(user.post(LOGOUT, csrf=False), 403, CSRF_FAILED)
    assert_json(user.post(LOGOUT, headers={"X-CSRFToken": "wrong"}), 403, CSRF_FAILED)
    assert assert_json(user.get(STATUS), 200)["has_logged_in"] is True


def test_logout_anonymous(anon):
    assert_json(anon.post(LOGOUT), 200, {"success": True})


def test_logout_one_session_keeps_the_others(server, user):
    second = login(server, user.user["username"], user.password)
    assert_json(second.post(LOGOUT), 200, {"success": True})
    assert assert_json(user.get(STATUS), 200)["has_logged_in"] is True
    assert assert_json(second.get(STATUS), 200)["has_logged_in"] is False


# ---------------------------------------------------------------- timing


def test_login_time_does_not_reveal_whether_the_user_exists(interactive_server):
    srv = interactive_server
    c = signup(srv)
    name = c.user["username"]

    def timed(body):
        t0 = time.perf_counter()
        r = requests.post(srv.url(LOGIN), json=body, timeout=60)
        elapsed = time.perf_counter() - t0
        assert r.status_code == 400, r.text
        return elapsed

    timed({"username": name, "password": "wrong-pass"})  # warm up
    wrong = [timed({"username": name, "password": f"wrong-pass{i}"}) for i in range(3)]
    unknown = [timed({"username": unique_name("ghost"), "password": "wrong-pass"}) for _ in range(3)]
    assert statistics.median(unknown) >= 0.5 * statistics.median(wrong), (unknown, wrong)


# ---------------------------------------------------------------- what is stored


def test_secrets_are_stored_only_as_hashes(server, user):
    """SPEC §1.3/§3.5: the session id and token keys are stored hashed, passwords as argon2id hashes."""
    if database_url():
        pytest.skip("inspects the embedded SQLite file")
    token = get_token(server, user.user["username"], user.password)
    sid = user.cookies.get("sessionid")
    files = [p for p in server.data_dir.glob("chirp.db*") if p.is_file()]
    assert files, list(server.data_dir.iterdir())
    blob = b"".join(p.read_bytes() for p in files)
    assert b"$argon2id$" in blob
    for secret in (sid, token, user.password):
        assert secret.encode() not in blob, "a secret is stored in clear"
