"""No password, password hash, session id, CSRF token or API token in a log line or an error body
(issue #9, SPEC §3.5).

This file runs one server (logging at trace level) through sign-up, login, tokens, logout, password
errors and malformed requests, collects every secret it sent or received, and searches the server's
log and every error body for them. The same check covers the whole functional run as well:
conftest's no_secrets_in_any_log searches every server's and worker's log at the end of the run
for every secret any test sent or received (secret_watch.py).
"""

from __future__ import annotations

import sqlite3

import pytest
import requests

from conftest import (HTTP_TIMEOUT, Client, assert_json, database_url, new_password, poll, raw_http,
                      unique_name)
from secret_watch import WORD

INTERNAL_ERROR = {"detail": "Internal server error."}


class Run:
    """One server and what was seen on it."""

    def __init__(self, server):
        self.server = server
        self.secrets: dict[str, str] = {}  # value → kind
        self.error_bodies: list[tuple[str, str]] = []

    def keep(self, kind: str, value: str | None) -> None:
        if value:
            self.secrets[value] = kind

    def call(self, method: str, path: str, client: requests.Session | None = None, **kw) -> requests.Response:
        kw.setdefault("timeout", HTTP_TIMEOUT)
        r = (client or requests).request(method, self.server.url(path), **kw)
        for h in r.raw.headers.getlist("Set-Cookie"):
            name, _, rest = h.partition("=")
            if name in ("sessionid", "csrftoken"):
                self.keep(name, rest.split(";")[0])
        if r.status_code >= 400:
            self.error_bodies.append((f"{method} {path} → {r.status_code}", r.text))
        return r

    def leaks_in(self, text: str) -> list[str]:
        words = set(WORD.findall(text))
        found = [f"{kind} {value[:6]}…" for value, kind in self.secrets.items()
                 if (value in words if WORD.fullmatch(value) else value in text)]
        return found + (["an argon2 hash"] if "$argon2" in text else [])


@pytest.fixture(scope="module")
def run(server_factory) -> Run:
    return Run(server_factory("secrets", extra_args=["--log-level", "trace"]))


def signup_fields(password: str) -> dict:
    name = unique_name("sx")
    return {"username": name, "email": f"{name}@example.com", "password": password}


def test_accounts_flows_leave_no_secret_in_log_or_error_body(run):
    password = new_password()
    run.keep("password", password)
    fields = signup_fields(password)
    c = Client(run.server)
    assert run.call("POST", "/api/accounts/signup/", c, json=fields).status_code == 201
    first_session = c.cookies["sessionid"]

    # Logins (the Client sends the CSRF header): by name, by e-mail as a form, as multipart.
    assert run.call("POST", "/api/accounts/login/", c,
                    json={"username": fields["username"], "password": password}).status_code == 200
    assert run.call("POST", "/api/accounts/login/", c,
                    data={"email": fields["email"], "password": password}).status_code == 200
    assert run.call("POST", "/api/accounts/login/", c,
                    files={"username": (None, fields["username"]), "password": (None, password)}).status_code == 200
    assert c.cookies["sessionid"] != first_session

    # Password errors and near misses, anonymous.
    wrong = password[::-1] + "x9"
    run.keep("password", wrong)
    for body in ({"username": fields["username"], "password": wrong},
                 {"username": "no_such_" + fields["username"][:8], "password": password},
                 {"password": password},
                 {"username": fields["username"], "password": password + " "}):
        assert run.call("POST", "/api/accounts/login/", json=body).status_code == 400
    taken = dict(fields, email="other_" + fields["email"])
    assert run.call("POST", "/api/accounts/signup/", json=taken).status_code == 400
    too_long = "pw9" + "x" * 30
    run.keep("password", too_long)
    assert run.call("POST", "/api/accounts/signup/", json=signup_fields(too_long)).status_code == 400
    # Malformed bodies that carry the password: JSON cut short, invalid UTF-8, a wrong content type.
    assert run.call("POST", "/api/accounts/login/", data=f'{{"username": "{fields["username"]}", "password": "{password}"',
                    headers={"Content-Type": "application/json"}).status_code == 400
    assert run.call("POST", "/api/accounts/login/", data=b"username=\xff&password=" + password.encode(),
                    headers={"Content-Type": "application/x-www-form-urlencoded"}).status_code == 400
    assert run.call("POST", "/api/accounts/login/", data=f"password={password}",
                    headers={"Content-Type": "text/plain"}).status_code == 415
    # The password in the query string (a client bug): not in the access log either.
    assert run.call("POST", f"/api/accounts/login/?password={password}", json={}).status_code == 400

    # Tokens: create, use, use on an error, revoke, use the revoked one.
    r = run.call("POST", "/api/accounts/token/", json={"username": fields["username"], "password": password})
    token = assert_json(r, 200)["token"]
    run.keep("API token", token)
    auth = {"Authorization": f"Token {token}"}
    assert run.call("GET", "/api/newsfeeds/", headers=auth).status_code == 200
    assert run.call("GET", "/api/tweets/999999999/", headers=auth).status_code == 404
    assert run.call("POST", "/api/tweets/", headers=auth, json={"content": "x"}).status_code == 400
    assert run.call("DELETE", "/api/accounts/token/", headers=auth).status_code == 200
    assert run.call("GET", "/api/newsfeeds/", headers=auth).status_code == 403
    assert run.call("GET", "/api/newsfeeds/", headers={"Authorization": f"Bearer {token}"}).status_code == 403

    # The session: a request without the CSRF header, an unknown path, logout, then the old cookie.
    assert run.call("POST", "/api/tweets/", c, json={"content": "no csrf header"}, csrf=False).status_code == 403
    assert run.call("GET", "/no/such/path", c).status_code == 404
    old = dict(c.cookies)
    assert run.call("POST", "/api/accounts/logout/", c).status_code == 200
    assert run.call("GET", "/api/newsfeeds/", cookies=old).status_code == 403

    # Malformed HTTP carrying the cookie and the token: answered by the server itself.
    reply = raw_http(run.server, (f"GET /api/newsfeeds/ HTTP/1.1\r\nHost: x\r\nCookie: sessionid={old['sessionid']}\r\n"
                                  f"Authorization: Token {token}\r\nBroken header line\r\n\r\n").encode())
    assert reply.startswith(b"HTTP/1.1 400")
    run.error_bodies.append(("malformed request", reply.decode(errors="replace")))

    for where, body in run.error_bodies:
        leaks = run.leaks_in(body)
        assert not leaks, f"error body of {where} contains {leaks}: {body[:300]}"
    assert run.error_bodies, "no error answer was checked"


@pytest.mark.skipif(database_url() is not None, reason="makes a SQLite table fail with a trigger")
def test_a_failing_insert_logs_the_statement_but_not_its_values(run):
    """A 500 logs the SQL error; SOCI's text of it ends with the bound values (the argon2 hash of a
    sign-up, a session's key hash). chirp logs the statement without them (store/sql/sql_errors)."""
    db = sqlite3.connect(run.server.data_dir / "chirp.db", timeout=30)
    db.execute("CREATE TRIGGER fail_users BEFORE INSERT ON users "
               "BEGIN SELECT RAISE(ABORT, 'forced failure for the secrets test'); END")
    db.commit()
    try:
        password = new_password()
        run.keep("password", password)
        r = run.call("POST", "/api/accounts/signup/", json=signup_fields(password))
        assert_json(r, 500, INTERNAL_ERROR)
    finally:
        db.execute("DROP TRIGGER fail_users")
        db.commit()
        db.close()


def test_server_log_holds_none_of_them(run):
    """Runs last in this file: searches the server's log (an access line is written just after its
    answer, so the last lines are waited for)."""
    expected = ["POST /api/accounts/login/ 200", "DELETE /api/accounts/token/ 200", "GET /no/such/path 404"]
    if database_url() is None:
        # The 500 was logged, with its statement (the values are what must be missing).
        expected += ["forced failure for the secrets test", "INSERT INTO users"]
    log = poll(run.server.log, lambda text: all(e in text for e in expected), what=f"log lines {expected}")
    leaks = run.leaks_in(log)
    assert not leaks, f"server log contains {leaks}"
    for line in log.splitlines():
        assert "sessionid=" not in line and "Token " not in line, line[:300]
    assert len(run.secrets) >= 8
