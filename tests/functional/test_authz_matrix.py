"""The authorization matrix (issue #9): every route × every kind of caller → the exact status of SPEC,
and for every 4xx the exact SPEC §1.4 envelope. One table (MATRIX); test_every_route_has_a_row makes
a new route without its row fail, test_unlisted_methods_are_405_for_everyone covers the methods a
route does not have.

Callers (columns):
  anon       no credentials
  owner      the user who owns the row's object (the tweet's author, the profile's user, the
             notification's recipient, ...), by session cookie with the CSRF header, as the web
             client sends it
  owner_tok  the same user by `Authorization: Token <key>` (not CSRF-checked, SPEC §1.3)
  other      a second normal user, by session + CSRF header
  admin      a superuser (`chirp createsuperuser`), by session + CSRF header; not the owner
  bad_tok    `Authorization: Token nonsense`
  expired    the cookies of a session that was logged out (SPEC §3.4: "the old cookie no longer
             works"), with its CSRF cookie and header, as a browser still holding them sends
             them; an unknown or expired session makes the caller anonymous (SPEC §1.3). (An
             idle-expired session takes the same code path: the lookup finds no live session.)
  no_csrf    the owner's session cookie and csrftoken cookie, but no X-CSRFToken header

Objects are made once per module and shared across cells, except where the request destroys them
(DELETE of a tweet or comment: a fresh object per cell) or ends or replaces the caller's session
(login, logout, DELETE token: fresh sessions and tokens per cell), so no cell depends on another.
Requests are sent with explicit cookies and headers (no cookie jar), so a response's Set-Cookie
never changes a shared caller. The shared server has rate limits off.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest
import requests

from conftest import (CSRF_FAILED, HTTP_TIMEOUT, INVALID_TOKEN, NOT_ADMIN, NOT_AUTHENTICATED, NOT_FOUND,
                      NOT_OWNER, Client, assert_json, get_token, login, new_content, new_password, post_comment,
                      post_tweet, run_cli, signup, unique_name)

CALLERS = ["anon", "owner", "owner_tok", "other", "admin", "bad_tok", "expired", "no_csrf"]
AVATAR = Path(__file__).parent / "data" / "avatar.png"
GATEKEEPER = "authz_matrix_probe"  # a switch nothing reads; admins may create any name


@dataclass(frozen=True)
class Expect:
    status: int
    body: dict | None = None  # the exact body for 4xx (SPEC §1.4), None for successes

    def __repr__(self) -> str:
        return f"{self.status}" + (f" {self.body}" if self.body else "")


OK = Expect(200)
NEW = Expect(201)
NO_AUTH = Expect(403, NOT_AUTHENTICATED)   # SPEC §1.3 missing authentication
NOT_OWN = Expect(403, NOT_OWNER)           # SPEC §1.4 not the owner
NOT_ADM = Expect(403, NOT_ADMIN)           # SPEC §1.4 not admin
TOKEN = Expect(403, INVALID_TOKEN)         # SPEC §1.3 invalid token, on every /api/ endpoint
CSRF = Expect(403, CSRF_FAILED)            # SPEC §1.3 session + unsafe method without X-CSRFToken
GONE = Expect(404, NOT_FOUND)              # SPEC §10: someone else's notification is 404, not 403
SELF_FOLLOW = Expect(400, {"success": False, "message": "Please check input.",
                           "errors": {"message": ["You cannot follow yourself."]}})  # SPEC §6
SELF_UNFOLLOW = Expect(400, {"success": False, "message": "You cannot unfollow yourself."})  # SPEC §6


@dataclass
class Target:
    """What make() builds for one cell: path parameters and the request's body or query."""
    params: dict[str, object] = field(default_factory=dict)
    json: dict | None = None
    query: dict | None = None
    files: dict | None = None
    data: dict | None = None


@dataclass
class World:
    server: object
    owner: Client
    owner_password: str
    other: Client
    admin: Client
    admin_password: str
    tweet: dict
    comment: dict
    notification_id: int
    avatar_path: str
    stale: dict[str, str]  # sessionid and csrftoken of a logged-out session
    owner_token: str


@dataclass(frozen=True)
class Row:
    method: str
    pattern: str  # exactly as in src/api/routes.cpp
    make: Callable[[World], Target]
    expect: tuple[Expect, ...]  # in CALLERS order
    fresh_sessions: bool = False  # the request ends or replaces the caller's session or token
    note: str = ""

    def __post_init__(self):
        assert len(self.expect) == len(CALLERS), (self.method, self.pattern)


# ---- how each row's object is made (the owner is World.owner)

def nothing(w: World) -> Target:
    return Target()


def owner_credentials(w: World) -> Target:
    return Target(json={"username": w.owner.user["username"], "password": w.owner_password})


def fresh_signup(w: World) -> Target:
    name = unique_name("mx")
    return Target(json={"username": name, "email": f"{name}@example.com", "password": new_password()})


def owner_user(w: World) -> Target:
    return Target(params={"id": w.owner.user_id, "user_id": w.owner.user_id})


def owner_profile_change(w: World) -> Target:
    return Target(params={"id": w.owner.user_id}, json={"nickname": "nick " + secrets.token_hex(3)})


def owner_tweets(w: World) -> Target:
    return Target(query={"user_id": w.owner.user_id})


def new_tweet(w: World) -> Target:
    return Target(json={"content": new_content()})


def owner_tweet(w: World) -> Target:
    return Target(params={"id": w.tweet["id"]}, json={"content": new_content("edited")})


def fresh_owner_tweet(w: World) -> Target:
    return Target(params={"id": post_tweet(w.owner)["id"]})


def tweet_comments(w: World) -> Target:
    return Target(query={"tweet_id": w.tweet["id"]})


def new_comment(w: World) -> Target:
    return Target(json={"tweet_id": w.tweet["id"], "content": new_content("comment")})


def owner_comment(w: World) -> Target:
    return Target(params={"id": w.comment["id"]}, json={"content": new_content("edited comment")})


def fresh_owner_comment(w: World) -> Target:
    return Target(params={"id": post_comment(w.owner, w.tweet["id"])["id"]})


def like_target(w: World) -> Target:
    return Target(json={"content_type": "tweet", "object_id": w.tweet["id"]})


def likes_query(w: World) -> Target:
    return Target(query={"content_type": "tweet", "object_id": w.tweet["id"]})


def owner_notification(w: World) -> Target:
    return Target(params={"id": w.notification_id}, json={"unread": False})


def probe_gatekeeper(w: World) -> Target:
    return Target(params={"name": GATEKEEPER}, json={"description": "authz matrix " + secrets.token_hex(3)})


def owner_avatar(w: World) -> Target:
    return Target(params={"path": w.avatar_path})


def web_asset(w: World) -> Target:
    return Target(params={"path": "js/main.js"})


# ---- THE TABLE: one row per route of src/api/routes.cpp, in its order (SPEC §2) ----------------------
# Shorthands for the common rows; every cell is still spelled out below them.
ANYONE_READS = (OK, OK, OK, OK, OK, TOKEN, OK, OK)
LOGGED_IN_READS = (NO_AUTH, OK, OK, OK, OK, TOKEN, NO_AUTH, OK)
ADMIN_READS = (NO_AUTH, NOT_ADM, NOT_ADM, NOT_ADM, OK, TOKEN, NO_AUTH, NOT_ADM)
OPEN_NON_API = (OK, OK, OK, OK, OK, OK, OK, OK)  # not under /api/: the Authorization header is not read


def logged_in_writes(ok: Expect) -> tuple[Expect, ...]:
    return (NO_AUTH, ok, ok, ok, ok, TOKEN, NO_AUTH, CSRF)


OWNER_WRITES = (NO_AUTH, OK, OK, NOT_OWN, NOT_OWN, TOKEN, NO_AUTH, CSRF)
R = Row
MATRIX: list[Row] = [
    #                                                        anon     owner    owner_tok other    admin    bad_tok expired  no_csrf
    R("GET", "/api/accounts/login_status/", nothing, ANYONE_READS),
    # SPEC is silent on signing up while logged in: the server lets it happen (a new account and
    # session, as for an anonymous caller), which is what a client that offers "create another
    # account" expects.
    R("POST", "/api/accounts/signup/", fresh_signup, (NEW, NEW, NEW, NEW, NEW, TOKEN, NEW, CSRF)),
    # Login while logged in (as anyone) switches to the owner's account: a fresh session (SPEC §3.3).
    R("POST", "/api/accounts/login/", owner_credentials, (OK, OK, OK, OK, OK, TOKEN, OK, CSRF),
      fresh_sessions=True),
    # SPEC §3.4: 200 for anonymous callers (the expired session is one) and token callers (revokes
    # nothing); a session caller needs the CSRF header; an invalid token is 403 as everywhere.
    R("POST", "/api/accounts/logout/", nothing, (OK, OK, OK, OK, OK, TOKEN, OK, CSRF), fresh_sessions=True),
    R("POST", "/api/accounts/token/", owner_credentials, (OK, OK, OK, OK, OK, TOKEN, OK, CSRF)),
    # SPEC §3.6: only a token caller can revoke its token; a session caller has "not provided" any.
    R("DELETE", "/api/accounts/token/", nothing, (NO_AUTH, NO_AUTH, OK, NO_AUTH, NO_AUTH, TOKEN, NO_AUTH, CSRF),
      fresh_sessions=True),

    # SPEC §4: admin only, even for the user's own record.
    R("GET", "/api/users/", nothing, ADMIN_READS),
    R("GET", "/api/users/{id}/", owner_user, ADMIN_READS),

    R("GET", "/api/profiles/{id}/", owner_user, ANYONE_READS),
    R("PUT", "/api/profiles/{id}/", owner_profile_change, OWNER_WRITES),
    R("PATCH", "/api/profiles/{id}/", owner_profile_change, OWNER_WRITES),

    R("GET", "/api/tweets/", owner_tweets, ANYONE_READS),
    R("POST", "/api/tweets/", new_tweet, logged_in_writes(NEW)),
    R("GET", "/api/tweets/{id}/", owner_tweet, ANYONE_READS),
    R("PUT", "/api/tweets/{id}/", owner_tweet, OWNER_WRITES),
    R("PATCH", "/api/tweets/{id}/", owner_tweet, OWNER_WRITES),
    R("DELETE", "/api/tweets/{id}/", fresh_owner_tweet, OWNER_WRITES),

    # The owner of /friendships/{user_id}/ is that user: following or unfollowing yourself is 400.
    # A repeated follow is 201 {"duplicate": true}, an unfollow of nobody 200 {"deleted": 0}.
    R("POST", "/api/friendships/{user_id}/follow/", owner_user,
      (NO_AUTH, SELF_FOLLOW, SELF_FOLLOW, NEW, NEW, TOKEN, NO_AUTH, CSRF)),
    R("POST", "/api/friendships/{user_id}/unfollow/", owner_user,
      (NO_AUTH, SELF_UNFOLLOW, SELF_UNFOLLOW, OK, OK, TOKEN, NO_AUTH, CSRF)),
    R("GET", "/api/friendships/{user_id}/followers/", owner_user, ANYONE_READS),
    R("GET", "/api/friendships/{user_id}/followings/", owner_user, ANYONE_READS),

    R("GET", "/api/newsfeeds/", nothing, LOGGED_IN_READS),

    R("GET", "/api/comments/", tweet_comments, ANYONE_READS),
    R("POST", "/api/comments/", new_comment, logged_in_writes(NEW)),
    R("PUT", "/api/comments/{id}/", owner_comment, OWNER_WRITES),
    R("PATCH", "/api/comments/{id}/", owner_comment, OWNER_WRITES),
    R("DELETE", "/api/comments/{id}/", fresh_owner_comment, OWNER_WRITES),

    # Liking is idempotent (201 again), cancelling nothing is 200 {"deleted": 0}.
    R("POST", "/api/likes/", like_target, logged_in_writes(NEW)),
    R("POST", "/api/likes/cancel/", like_target, logged_in_writes(OK)),
    R("GET", "/api/likes/", likes_query, ANYONE_READS),

    R("GET", "/api/notifications/", nothing, LOGGED_IN_READS),
    R("GET", "/api/notifications/unread-count/", nothing, LOGGED_IN_READS),
    R("POST", "/api/notifications/mark-all-as-read/", nothing, logged_in_writes(OK)),
    # SPEC §10: someone else's notification → 404 (not 403), for admins too.
    R("PUT", "/api/notifications/{id}/", owner_notification, (NO_AUTH, OK, OK, GONE, GONE, TOKEN, NO_AUTH, CSRF)),
    R("PATCH", "/api/notifications/{id}/", owner_notification, (NO_AUTH, OK, OK, GONE, GONE, TOKEN, NO_AUTH, CSRF)),

    # SPEC §2 lists the gatekeeper reads as admin-only like the writes.
    R("GET", "/api/gatekeepers/", nothing, ADMIN_READS),
    R("GET", "/api/gatekeepers/{name:str}/", probe_gatekeeper, ADMIN_READS),
    R("PUT", "/api/gatekeepers/{name:str}/", probe_gatekeeper,
      (NO_AUTH, NOT_ADM, NOT_ADM, NOT_ADM, OK, TOKEN, NO_AUTH, CSRF)),
    R("PATCH", "/api/gatekeepers/{name:str}/", probe_gatekeeper,
      (NO_AUTH, NOT_ADM, NOT_ADM, NOT_ADM, OK, TOKEN, NO_AUTH, CSRF)),

    # SPEC §12: open by default (a setting may restrict them by address, not by user). The invalid
    # token is 403 "on every /api/ endpoint" only: these are outside /api/.
    R("GET", "/healthz", nothing, OPEN_NON_API),
    R("GET", "/readyz", nothing, OPEN_NON_API),
    R("GET", "/metrics", nothing, OPEN_NON_API),
    R("GET", "/media/{path:rest}", owner_avatar, OPEN_NON_API),

    R("GET", "/", nothing, OPEN_NON_API),
    R("GET", "/static/{path:rest}", web_asset, OPEN_NON_API),
]


# ---- the world and the callers

def session_cookies(c: Client) -> dict[str, str]:
    return {"sessionid": c.cookies["sessionid"], "csrftoken": c.cookies["csrftoken"]}


@pytest.fixture(scope="module")
def world(server, admin_account) -> World:
    owner, other = signup(server), signup(server)
    admin = login(server, admin_account.username, admin_account.password)
    tweet = post_tweet(owner)
    comment = post_comment(owner, tweet["id"])
    # A notification of the owner's: the other user likes the owner's tweet.
    assert_json(other.post("/api/likes/", json={"content_type": "tweet", "object_id": tweet["id"]}), 201)
    items = assert_json(owner.get("/api/notifications/"), 200)["results"]
    notification_id = next(n["id"] for n in items if n["target_object_id"] == str(tweet["id"]))
    with AVATAR.open("rb") as f:
        changed = assert_json(owner.patch(f"/api/profiles/{owner.user_id}/", files={"avatar": f}), 200)
    avatar_path = changed["avatar_url"].split("/media/", 1)[1]
    # A logged-out session: the cookies a browser keeps after the server ended the session.
    quitter = signup(server)
    stale = session_cookies(quitter)
    assert_json(quitter.post("/api/accounts/logout/"), 200, {"success": True})
    r = requests.get(server.url("/api/accounts/login_status/"), cookies=stale, timeout=HTTP_TIMEOUT)
    assert assert_json(r, 200)["has_logged_in"] is False
    owner_token = get_token(server, owner.user["username"], owner.password)
    return World(server, owner, owner.password, other, admin, admin_account.password, tweet, comment,
                 notification_id, avatar_path, stale, owner_token)


def fresh_session(w: World, who: str) -> dict[str, str]:
    c = {"owner": w.owner, "no_csrf": w.owner, "other": w.other, "admin": w.admin}[who]
    password = w.admin_password if who == "admin" else c.password
    return session_cookies(login(w.server, c.user["username"], password))


def credentials(w: World, caller: str, fresh: bool) -> tuple[dict[str, str], dict[str, str]]:
    """(headers, cookies) of a caller. Every session caller sends the CSRF header except no_csrf."""
    if caller == "anon":
        return {}, {}
    if caller == "bad_tok":
        return {"Authorization": "Token nonsense"}, {}
    if caller == "owner_tok":
        key = get_token(w.server, w.owner.user["username"], w.owner_password) if fresh else w.owner_token
        return {"Authorization": f"Token {key}"}, {}
    if caller == "expired":
        return {"X-CSRFToken": w.stale["csrftoken"]}, dict(w.stale)
    if fresh:
        cookies = fresh_session(w, caller)
    else:
        c = {"owner": w.owner, "no_csrf": w.owner, "other": w.other, "admin": w.admin}[caller]
        cookies = session_cookies(c)
    headers = {} if caller == "no_csrf" else {"X-CSRFToken": cookies["csrftoken"]}
    return headers, cookies


def path_of(pattern: str, params: dict[str, object]) -> str:
    path = pattern
    for name in ("id", "user_id", "name:str", "path:rest"):
        key = name.split(":")[0]
        if "{" + name + "}" in path:
            path = path.replace("{" + name + "}", str(params[key]))
    assert "{" not in path, (pattern, params)
    return path


def send(w: World, method: str, path: str, caller: str, target: Target, fresh: bool) -> requests.Response:
    headers, cookies = credentials(w, caller, fresh)
    return requests.request(method, w.server.url(path), headers=headers, cookies=cookies, json=target.json,
                            params=target.query, files=target.files, data=target.data, timeout=HTTP_TIMEOUT)


def cell_id(row: Row, caller: str) -> str:
    return f"{row.method} {row.pattern} {caller}"


@pytest.mark.parametrize("row,caller", [(row, caller) for row in MATRIX for caller in CALLERS],
                         ids=[cell_id(row, caller) for row in MATRIX for caller in CALLERS])
def test_cell(world, row: Row, caller: str):
    expect = row.expect[CALLERS.index(caller)]
    target = row.make(world)
    path = path_of(row.pattern, target.params)
    r = send(world, row.method, path, caller, target, row.fresh_sessions)
    where = f"{row.method} {path} as {caller}"
    assert r.status_code == expect.status, f"{where}: expected {expect.status}, got {r.status_code} {r.text[:300]}"
    if expect.body is not None:
        assert_json(r, expect.status, expect.body)
    if row.method == "GET":
        # SPEC §1.1: HEAD wherever GET, with the same status and no body.
        h = send(world, "HEAD", path, caller, Target(query=target.query), False)
        assert h.status_code == expect.status and h.content == b"", f"HEAD {path} as {caller}: {h.status_code}"


# ---- the table is complete

def binary_routes() -> set[tuple[str, str]]:
    r = run_cli("routes")
    assert r.returncode == 0, f"`chirp routes` failed ({r.returncode}): {r.stderr}"
    routes = set()
    for line in r.stdout.splitlines():
        method, _, pattern = line.partition(" ")
        routes.add((method, pattern))
    assert routes, "`chirp routes` printed no route"
    return routes


def test_every_route_has_a_row():
    """The binary under test prints its routing table (`chirp routes`, straight from api::all_routes(),
    the one table Api dispatches from); it must be exactly the matrix's rows. A new route without a
    row, or a row for a route that is gone, fails here."""
    table = [(row.method, row.pattern) for row in MATRIX]
    assert len(table) == len(set(table)), "a route has two rows"
    routes = binary_routes()
    missing = sorted(routes - set(table))
    stale = sorted(set(table) - routes)
    assert not missing, f"routes without a row in MATRIX (add one per route, with SPEC's statuses): {missing}"
    assert not stale, f"MATRIX rows for routes the server does not have: {stale}"


def allowed_methods(pattern: str) -> set[str]:
    return {row.method for row in MATRIX if row.pattern == pattern}


def patterns() -> list[str]:
    return list(dict.fromkeys(row.pattern for row in MATRIX))


@pytest.mark.parametrize("pattern", patterns())
def test_options_lists_the_rows_methods(world, pattern):
    """The running server agrees with the table: OPTIONS on each route answers 200 with exactly the
    table's methods (plus HEAD where GET, and OPTIONS) in Allow (SPEC §1.1)."""
    row = next(r for r in MATRIX if r.pattern == pattern)
    path = path_of(pattern, row.make(world).params)
    r = requests.options(world.server.url(path), timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, r.text
    allow = {m.strip() for m in r.headers["Allow"].split(",")}
    expected = allowed_methods(pattern) | {"OPTIONS"} | ({"HEAD"} if "GET" in allowed_methods(pattern) else set())
    assert allow == expected, f"OPTIONS {path}: Allow {sorted(allow)}, table {sorted(expected)}"


@pytest.mark.parametrize("pattern", patterns())
def test_unlisted_methods_are_405_for_everyone(world, pattern):
    """SPEC §1.1: the method is checked before authentication, so every caller (an invalid token and a
    session without CSRF header included) gets 405 with Allow for a method the route lacks."""
    methods = allowed_methods(pattern)
    unlisted = next(m for m in ("DELETE", "PATCH", "PUT", "POST", "GET") if m not in methods)
    row = next(r for r in MATRIX if r.pattern == pattern)
    target = row.make(world)
    path = path_of(pattern, target.params)
    for caller in CALLERS:
        r = send(world, unlisted, path, caller, Target(query=target.query), False)
        assert_json(r, 405, {"detail": f'Method "{unlisted}" not allowed.'})
        assert "Allow" in r.headers, f"{unlisted} {path} as {caller}: no Allow header"
