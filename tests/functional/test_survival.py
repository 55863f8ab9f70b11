"""Issue 5 survival: the full stack outlives its servers. Each test stops a real service process of the
run (scripts/{redis,memcached,rabbitmq,mariadb}.sh stop DIR), checks what chirp does while it is away,
restarts it (restart DIR: same port, same data where the service keeps any) and checks what chirp does
once it is back. Skipped unless the full stack is configured (conftest: CHIRP_TEST_*_URL and the
CHIRP_TEST_*_DIR of the service a test stops).

The services are shared by the whole run: every test gives its service back in a `finally` (Outage)
and waits until it answers, so later tests find the stack whole."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.parse
from pathlib import Path
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from conftest import (HTTP_TIMEOUT, INVALID_TOKEN, REPO, ChirpServer, Client, _redis_command, assert_json,
                      clone_client, feed, feed_tweet_ids, follow, full_stack, get_token, like, login, new_content,
                      poll, post_tweet, signup, tweet_detail, unfollow, user_tweets)
from test_fanout import _bulk_feed, make_followers

pytestmark = pytest.mark.skipif(not full_stack(), reason="needs the full stack (CHIRP_TEST_DATABASE_URL, "
                                "CHIRP_TEST_REDIS_URL, CHIRP_TEST_MEMCACHED_URL, CHIRP_TEST_AMQP_URL)")

FAST = 5.0                 # seconds: a request while a dependency is down answers within this
RECOVERY_TIMEOUT = 90.0    # seconds: chirp works normally again this long after the service is back
UNAVAILABLE = {"detail": "Service temporarily unavailable."}

SERVICE_URL_ENV = {"redis": "CHIRP_TEST_REDIS_URL", "memcached": "CHIRP_TEST_MEMCACHED_URL",
                   "rabbitmq": "CHIRP_TEST_AMQP_URL", "mariadb": "CHIRP_TEST_DATABASE_URL"}


# ---------------------------------------------------------------- service control


def _service_dir(name: str) -> str:
    d = os.environ.get(f"CHIRP_TEST_{name.upper()}_DIR")
    if not d:
        pytest.skip(f"CHIRP_TEST_{name.upper()}_DIR is not set: cannot stop and restart {name}")
    return d


def _service(name: str, action: str, directory: str) -> str:
    t0 = time.monotonic()
    r = subprocess.run([str(REPO / "scripts" / f"{name}.sh"), action, directory], capture_output=True, text=True,
                       timeout=240, stdin=subprocess.DEVNULL)
    assert r.returncode == 0, f"scripts/{name}.sh {action} failed ({r.returncode}): {r.stdout}{r.stderr}"
    print(f"{name} {action}: {time.monotonic() - t0:.1f} s")
    return r.stdout.strip()


def _port_answers(name: str) -> bool:
    u = urllib.parse.urlsplit(os.environ[SERVICE_URL_ENV[name]])
    try:
        with socket.create_connection((u.hostname, u.port), timeout=2):
            return True
    except OSError:
        return False


class Outage:
    """`with Outage("redis") as o:` stops the service; o.restore() (or leaving the block, also on failure)
    restarts it on the same port and waits until its port accepts connections."""

    def __init__(self, name: str):
        self.name = name
        self.dir = _service_dir(name)
        self.down = False

    def __enter__(self) -> "Outage":
        self.down = True
        _service(self.name, "stop", self.dir)
        assert not _port_answers(self.name), f"{self.name} still answers after stop"
        return self

    def restore(self) -> None:
        if not self.down:
            return
        try:
            _service(self.name, "restart", self.dir)
        except AssertionError:
            time.sleep(2)
            _service(self.name, "restart", self.dir)  # once more: the rest of the run needs it
        self.down = False
        deadline = time.monotonic() + 60
        while not _port_answers(self.name):
            assert time.monotonic() < deadline, f"{self.name} does not answer after restart"
            time.sleep(0.1)

    def __exit__(self, *exc) -> None:
        self.restore()


# ---------------------------------------------------------------- request helpers


def fast(call, what: str):
    """Runs one request and checks it answered within FAST seconds (no hang on a dead dependency)."""
    t0 = time.monotonic()
    result = call()
    took = time.monotonic() - t0
    assert took < FAST, f"{what} took {took:.1f} s (limit {FAST} s) while a dependency was down"
    return result


def readyz(srv: ChirpServer) -> tuple[int, dict]:
    r = requests.get(srv.url("/readyz"), timeout=HTTP_TIMEOUT)
    return r.status_code, r.json()


def wait_failing(srv: ChirpServer, dependency: str) -> dict:
    """/readyz answers 503 naming exactly this dependency (the others are up)."""
    status, body = poll(lambda: fast(lambda: readyz(srv), "/readyz"),
                        lambda v: v[0] == 503 and dependency in v[1].get("failing", []), timeout=30,
                        interval=0.2, what=f"/readyz to name {dependency!r}")
    assert body == {"status": "unavailable", "failing": [dependency]}, body
    h = requests.get(srv.url("/healthz"), timeout=HTTP_TIMEOUT)
    assert_json(h, 200, {"status": "ok"})  # the process itself is fine
    return body


def wait_ready(srv: ChirpServer) -> None:
    poll(lambda: readyz(srv), lambda v: v == (200, {"status": "ok"}), timeout=RECOVERY_TIMEOUT, interval=0.2,
         what="/readyz to answer 200 again")


def profile(c, uid: int) -> dict:
    return assert_json(c.get(f"/api/profiles/{uid}/"), 200)


def set_nickname(c, nickname: str) -> dict:
    return assert_json(c.patch(f"/api/profiles/{c.user_id}/", json={"nickname": nickname}), 200)


def edit_tweet(c, tweet_id: int, content: str) -> dict:
    return assert_json(c.patch(f"/api/tweets/{tweet_id}/", json={"content": content}), 200)


# ---------------------------------------------------------------- a cache server down


def _warm(reader, author, tweet_ids):
    """Reads everything the checks below read, so that each is cached before the outage."""
    for _ in range(2):
        feed(reader)
        user_tweets(reader, author.user_id)
        profile(reader, author.user_id)
        for t in tweet_ids:
            tweet_detail(reader, t)


def _cache_outage(srv: ChirpServer, service: str, dependency: str, before_stop=None, after_restart=None):
    """The shared scenario of a cache server taken away and given back: every call still succeeds (from the
    stores) and fast while it is down, and right after it returns no write made meanwhile is hidden by an
    old cached copy."""
    author, reader = signup(srv), signup(srv)
    follow(reader, author.user_id)
    kept = post_tweet(author, "kept through the outage")
    doomed = post_tweet(author, "deleted during the outage")
    old_friend = signup(srv)
    follow(reader, old_friend.user_id)
    friend_tweet = post_tweet(old_friend, "from a friend unfollowed during the outage")
    poll(lambda: feed_tweet_ids(reader), lambda ids: ids == [friend_tweet["id"], doomed["id"], kept["id"]],
         what="the feed before the outage")
    set_nickname(author, "before the outage")
    _warm(reader, author, [kept["id"], doomed["id"]])
    # A second session and a token of the reader, used (so cached) now, ended while the cache is down.
    spare = login(srv, reader.user["username"], reader.password)
    ghost = clone_client(spare)  # keeps the cookie after the logout
    assert assert_json(ghost.get("/api/accounts/login_status/"), 200)["has_logged_in"] is True
    token = Client(srv, token=get_token(srv, reader.user["username"], reader.password))
    assert assert_json(token.get("/api/accounts/login_status/"), 200)["has_logged_in"] is True
    if before_stop:
        before_stop()

    with Outage(service) as outage:
        wait_failing(srv, dependency)
        # Reads.
        assert fast(lambda: feed_tweet_ids(reader), "GET feed") == [friend_tweet["id"], doomed["id"], kept["id"]]
        assert [t["id"] for t in fast(lambda: user_tweets(reader, author.user_id), "GET tweets")] == [
            doomed["id"], kept["id"]]
        assert fast(lambda: profile(reader, author.user_id), "GET profile")["nickname"] == "before the outage"
        assert fast(lambda: tweet_detail(reader, kept["id"]), "GET tweet")["content"] == kept["content"]
        # Writes.
        posted = fast(lambda: post_tweet(author, "posted during the outage"), "POST tweet")
        fast(lambda: edit_tweet(author, kept["id"], "edited during the outage"), "PATCH tweet")
        fast(lambda: set_nickname(author, "renamed during the outage"), "PATCH profile")
        assert_json(fast(lambda: author.delete(f"/api/tweets/{doomed['id']}/"), "DELETE tweet"), 200,
                    {"success": True, "deleted": 1})
        fast(lambda: like(reader, "tweet", kept["id"]), "POST like")
        newcomer = fast(lambda: signup(srv), "signup")
        fast(lambda: follow(newcomer, author.user_id), "POST follow")
        fast(lambda: unfollow(reader, old_friend.user_id), "POST unfollow")
        again = fast(lambda: login(srv, author.user["username"], author.password), "login")
        assert_json(fast(lambda: spare.post("/api/accounts/logout/"), "logout"), 200, {"success": True})
        assert_json(fast(lambda: token.delete("/api/accounts/token/"), "DELETE token"), 200, {"success": True})
        assert assert_json(fast(lambda: ghost.get("/api/accounts/login_status/"), "GET login_status"),
                           200)["has_logged_in"] is False
        assert_json(fast(lambda: token.get("/api/accounts/login_status/"), "GET login_status"), 403, INVALID_TOKEN)
        # The stores answer for the cache: the writes show at once (the fan-out ones when done).
        assert fast(lambda: tweet_detail(again, kept["id"]), "GET tweet")["content"] == "edited during the outage"
        assert fast(lambda: profile(reader, author.user_id), "GET profile")["nickname"] == "renamed during the outage"
        assert fast(lambda: reader.get(f"/api/tweets/{doomed['id']}/"), "GET deleted tweet").status_code == 404
        expected = [posted["id"], kept["id"]]
        poll(lambda: fast(lambda: feed_tweet_ids(reader), "GET feed"), lambda ids: ids == expected,
             timeout=RECOVERY_TIMEOUT, what="the feed during the outage (fan-out, delete, unfollow)")
        poll(lambda: fast(lambda: feed_tweet_ids(newcomer), "GET feed"), lambda ids: ids == expected,
             timeout=RECOVERY_TIMEOUT, what="the newcomer's backfilled feed during the outage")
        outage.restore()
    if after_restart:
        after_restart()

    # Right after the cache is back: the state written while it was away, not an old cached copy.
    items = feed(reader)
    assert [i["tweet"]["id"] for i in items] == expected, items
    assert items[1]["tweet"]["content"] == "edited during the outage"
    assert items[1]["tweet"]["likes_count"] == 1 and items[1]["tweet"]["has_liked"] is True
    assert {i["tweet"]["user"]["nickname"] for i in items} == {"renamed during the outage"}
    p = profile(reader, author.user_id)
    assert p["nickname"] == "renamed during the outage" and p["followers_count"] == 2, p
    assert p["has_followed"] is True
    assert [t["id"] for t in user_tweets(reader, author.user_id)] == expected
    assert tweet_detail(reader, kept["id"])["content"] == "edited during the outage"
    assert reader.get(f"/api/tweets/{doomed['id']}/").status_code == 404
    assert feed_tweet_ids(newcomer) == expected
    # Still logged out, still revoked: no old cached session or token brings them back.
    assert assert_json(ghost.get("/api/accounts/login_status/"), 200)["has_logged_in"] is False
    assert_json(token.get("/api/accounts/login_status/"), 403, INVALID_TOKEN)
    assert assert_json(reader.get("/api/accounts/login_status/"), 200)["has_logged_in"] is True
    followings = assert_json(reader.get(f"/api/friendships/{reader.user_id}/followings/"), 200)["results"]
    assert [f["user"]["id"] for f in followings] == [author.user_id]
    wait_ready(srv)
    # And the cache works again: a new tweet reaches the feed.
    after = post_tweet(author, "posted after the outage")
    poll(lambda: feed_tweet_ids(reader), lambda ids: ids == [after["id"], *expected], timeout=RECOVERY_TIMEOUT,
         what="a tweet posted after the outage")


@pytest.mark.timeout(300)
def test_redis_down_then_back_empty(server_factory):
    _forget_redis_dump()
    srv = server_factory("redis-down")
    _cache_outage(srv, "redis", "redis")


@pytest.mark.timeout(300)
def test_redis_down_then_back_with_its_old_data(server_factory):
    """Redis returns with the data it had (saved to disk before it stopped, as a Redis with persistence or
    one behind a network partition would): every cached copy of what changed meanwhile is stale there."""
    srv = server_factory("redis-persisted")
    url = os.environ["CHIRP_TEST_REDIS_URL"]

    def save():
        _redis_command(url, "SAVE")

    def check_restored():
        [size] = _redis_command(url, "DBSIZE")
        assert int(size.lstrip(b":")) > 0, ("the restarted Redis is empty: scripts/redis.sh restart does not "
                                            "load the saved dump, so this test would prove nothing")

    try:
        _cache_outage(srv, "redis", "redis", before_stop=save, after_restart=check_restored)
    finally:
        _forget_redis_dump()  # later restarts of the run's Redis come back empty again


def _forget_redis_dump() -> None:
    """scripts/redis.sh loads DIR/dump.rdb on start when there is one (left by SAVE)."""
    (Path(_service_dir("redis")) / "dump.rdb").unlink(missing_ok=True)


@pytest.mark.timeout(300)
def test_memcached_down_then_back(server_factory):
    srv = server_factory("memcached-down")
    _cache_outage(srv, "memcached", "memcached")


# ---------------------------------------------------------------- RabbitMQ down


@pytest.mark.timeout(300)
def test_rabbitmq_down_posts_wait_in_the_outbox(server_factory):
    srv = server_factory("rabbitmq-down", own_queue=True)
    author = signup(srv)
    fans = [signup(srv) for _ in range(5)]
    for f in fans:
        follow(f, author.user_id)
    first = post_tweet(author, "before RabbitMQ went away")
    for f in fans:
        poll(lambda: feed_tweet_ids(f), lambda ids: ids == [first["id"]], what="the first tweet")

    with Outage("rabbitmq") as outage:
        wait_failing(srv, "rabbitmq")
        posted = [fast(lambda: post_tweet(author, f"posted while RabbitMQ is down {i}"), "POST tweet")
                  for i in range(3)]
        mine = [t["id"] for t in reversed(posted)] + [first["id"]]
        assert fast(lambda: feed_tweet_ids(author), "GET feed") == mine  # the author's own feed is synchronous
        newcomer = fast(lambda: signup(srv), "signup")
        fast(lambda: follow(newcomer, author.user_id), "POST follow")
        fast(lambda: unfollow(fans[4], author.user_id), "POST unfollow")
        time.sleep(2)  # the relay and the workers try (and fail) meanwhile
        outage.restore()

    # Nothing was lost: the outbox is relayed and the workers reconnect.
    for f in fans[:4]:
        poll(lambda: feed_tweet_ids(f), lambda ids: ids == mine, timeout=RECOVERY_TIMEOUT,
             what="the tweets posted while RabbitMQ was down")
    poll(lambda: feed_tweet_ids(newcomer), lambda ids: ids == mine, timeout=RECOVERY_TIMEOUT,
         what="the backfill of a follow made while RabbitMQ was down")
    poll(lambda: feed_tweet_ids(fans[4]), lambda ids: ids == [], timeout=RECOVERY_TIMEOUT,
         what="the cleanup of an unfollow made while RabbitMQ was down")
    wait_ready(srv)
    later = post_tweet(author, "after RabbitMQ came back")
    for f in fans[:4] + [newcomer]:
        poll(lambda: feed_tweet_ids(f), lambda ids: ids == [later["id"], *mine], timeout=RECOVERY_TIMEOUT,
             what="a tweet posted after RabbitMQ came back")
    # Once each, still (a job relayed twice must not duplicate).
    time.sleep(1)
    for f in fans[:4] + [newcomer]:
        assert feed_tweet_ids(f) == [later["id"], *mine]


# ---------------------------------------------------------------- a worker killed in the middle of a fan-out


SLICE = 0.0003  # a fan-out to 1500 followers in batches of 50 takes ~100 such slices here


def _kill_mid_fanout(srv: ChirpServer, followers, tweet_id: int) -> int:
    """Lets the server's only worker, stopped, run in slices of SLICE seconds (SIGCONT ... SIGSTOP), looking
    at a sample of followers between slices, and SIGKILLs it once the fan-out of tweet_id has reached two of
    them (about a quarter of the way). Returns how many followers had the tweet then (the
    batches run in no set order). Unsliced, a worker fans out to 1500 followers faster than a client looks."""
    [w] = srv.workers
    pid = w.proc.pid
    sample = followers[::len(followers) // 8]
    try:
        for _ in range(20_000):
            os.kill(pid, signal.SIGCONT)
            end = time.perf_counter() + SLICE
            while time.perf_counter() < end:
                pass  # a busy wait: sleeping is far less exact at this scale
            os.kill(pid, signal.SIGSTOP)
            if sum(tweet_id in _bulk_feed(srv, b) for b in sample) >= 2:
                break
    finally:
        srv.kill_worker(w)
    with ThreadPoolExecutor(8) as pool:
        return sum(tweet_id in ids for ids in pool.map(lambda b: _bulk_feed(srv, b), followers))


def _wait_feeds(srv: ChirpServer, followers, expected: list[int], timeout: float = 120) -> None:
    """Until every follower's feed is exactly `expected`; fails at once on a duplicate or a foreign item."""
    deadline = time.monotonic() + timeout
    pending = followers
    while pending:
        with ThreadPoolExecutor(8) as pool:
            feeds = list(pool.map(lambda b: _bulk_feed(srv, b), pending))
        for b, ids in zip(pending, feeds):
            assert len(set(ids)) == len(ids) and set(ids) <= set(expected), f"user {b.id}: feed {ids}, {expected=}"
        pending = [b for b, ids in zip(pending, feeds) if ids != expected]
        if pending and time.monotonic() > deadline:
            pytest.fail(f"{len(pending)} of {len(followers)} followers lack tweets after {timeout} s: e.g. user "
                        f"{pending[0].id}: {_bulk_feed(srv, pending[0])}, expected {expected}")
        time.sleep(0.1)


@pytest.mark.timeout(600)
def test_worker_sigkilled_mid_fanout(server_factory):
    srv = server_factory("worker-kill", extra_args=["--fanout-batch-size", "50"],
                         worker_args=["--concurrency", "1", "--prefetch", "1"])
    assert len(srv.workers) == 1, "no chirp worker runs for this server"
    author = signup(srv)
    t0 = time.monotonic()
    followers = sorted(make_followers(srv, author.user_id, 1500), key=lambda b: b.id)
    print(f"1500 followers in {time.monotonic() - t0:.1f} s")
    posted: list[int] = []
    # Twice: a crash taken over by one new worker, then by two sharing the queue.
    for takers in (1, 2):
        for attempt in range(3):
            while len(srv.workers) > 1:  # idle ones: one worker is sliced
                srv.kill_worker(srv.workers[-1])
            os.kill(srv.workers[0].proc.pid, signal.SIGSTOP)  # from now on it runs only when let
            t = assert_json(author.post("/api/tweets/", json={"content": f"fan-out, then a crash {takers}.{attempt}"}),
                            201)
            posted.insert(0, t["id"])
            assert feed_tweet_ids(author) == posted
            reached = _kill_mid_fanout(srv, followers, t["id"])
            for _ in range(takers):
                srv.add_worker()
            t0 = time.monotonic()
            _wait_feeds(srv, followers, posted)
            print(f"worker killed when the fan-out had reached {reached} of 1500 followers; all feeds whole "
                  f"{time.monotonic() - t0:.1f} s after {takers} new worker(s) started")
            if 0 < reached < 1500:
                break
        else:
            pytest.fail("the fan-out was always through before the worker was killed: this test proved nothing")
    time.sleep(1)  # still exactly once after redelivered jobs have had time to misbehave
    _wait_feeds(srv, followers, posted, timeout=0)


# ---------------------------------------------------------------- MySQL down


@pytest.mark.timeout(300)
def test_mysql_down_fails_fast_then_recovers(server_factory):
    srv = server_factory("mysql-down")
    author, reader = signup(srv), signup(srv)
    follow(reader, author.user_id)
    t = post_tweet(author)
    poll(lambda: feed_tweet_ids(reader), lambda ids: ids == [t["id"]], what="the feed before the outage")

    with Outage("mariadb") as outage:
        wait_failing(srv, "database")
        # Writes need the database: 503 at once.
        writes = {
            "POST tweet": lambda: author.post("/api/tweets/", json={"content": new_content()}),
            "PATCH tweet": lambda: author.patch(f"/api/tweets/{t['id']}/", json={"content": new_content()}),
            "POST like": lambda: reader.post("/api/likes/", json={"content_type": "tweet", "object_id": t["id"]}),
            "POST follow": lambda: author.post(f"/api/friendships/{reader.user_id}/follow/"),
            "PATCH profile": lambda: author.patch(f"/api/profiles/{author.user_id}/", json={"nickname": "x"}),
            "signup": lambda: requests.post(srv.url("/api/accounts/signup/"), timeout=HTTP_TIMEOUT, json={
                "username": "down_" + os.urandom(4).hex(), "email": f"{os.urandom(4).hex()}@example.com",
                "password": "pw" + os.urandom(6).hex()}),
        }
        # Reads may still be answered from a cache; else 503.
        reads = {
            "GET feed": lambda: reader.get("/api/newsfeeds/"),
            "GET tweets": lambda: reader.get("/api/tweets/", params={"user_id": author.user_id}),
            "GET tweet": lambda: reader.get(f"/api/tweets/{t['id']}/"),
            "GET profile": lambda: reader.get(f"/api/profiles/{author.user_id}/"),
            "login": lambda: requests.post(srv.url("/api/accounts/login/"), timeout=HTTP_TIMEOUT,
                                           json={"username": author.user["username"], "password": author.password}),
        }
        for what, call in writes.items():
            r = fast(call, what)
            assert_json(r, 503, UNAVAILABLE)
        for what, call in reads.items():
            r = fast(call, what)
            assert r.status_code in (200, 503), f"{what} → {r.status_code}: {r.text[:500]}"
            if r.status_code == 503:
                assert_json(r, 503, UNAVAILABLE)
        wait_failing(srv, "database")
        outage.restore()

    # The same process works again, without a restart.
    second = poll(lambda: author.post("/api/tweets/", json={"content": "after the database came back"}),
                  lambda r: r.status_code != 503, timeout=RECOVERY_TIMEOUT, interval=0.5,
                  what="POST tweet to work again")
    second = assert_json(second, 201)
    wait_ready(srv)
    assert srv.proc.poll() is None
    poll(lambda: feed_tweet_ids(reader), lambda ids: ids == [second["id"], t["id"]], timeout=RECOVERY_TIMEOUT,
         what="the fan-out after the database came back")
    assert_json(reader.get(f"/api/profiles/{author.user_id}/"), 200)
    again = login(srv, author.user["username"], author.password)
    assert feed_tweet_ids(again) == [second["id"], t["id"]]


@pytest.mark.timeout(300)
def test_mysql_frozen_requests_time_out_then_recover(server_factory):
    """MariaDB stopped dead (SIGSTOP: connections stay open, nothing answers, as behind a partition): a
    request that needs it answers 503 once the configured database timeout (10 s by default) has passed,
    not later, and the same process works again once MariaDB resumes."""
    pid_file = Path(_service_dir("mariadb")) / "mariadbd.pid"
    srv = server_factory("mysql-frozen")
    author = signup(srv)
    t = post_tweet(author)
    pid = int(pid_file.read_text())
    os.kill(pid, signal.SIGSTOP)
    try:
        for what, call in {
            "POST tweet": lambda: author.post("/api/tweets/", json={"content": new_content()}),
            "PATCH tweet": lambda: author.patch(f"/api/tweets/{t['id']}/", json={"content": new_content()}),
        }.items():
            t0 = time.monotonic()
            r = call()
            took = time.monotonic() - t0
            assert_json(r, 503, UNAVAILABLE)
            assert took < FROZEN_LIMIT, f"{what} took {took:.1f} s against a frozen database (limit {FROZEN_LIMIT} s)"
        t0 = time.monotonic()
        status, body = readyz(srv)
        assert (status, body) == (503, {"status": "unavailable", "failing": ["database"]})
        assert time.monotonic() - t0 < FROZEN_LIMIT
    finally:
        os.kill(pid, signal.SIGCONT)
    second = poll(lambda: author.post("/api/tweets/", json={"content": "after the database woke up"}),
                  lambda r: r.status_code != 503, timeout=RECOVERY_TIMEOUT, interval=0.5,
                  what="POST tweet to work again")
    assert_json(second, 201)
    wait_ready(srv)


FROZEN_LIMIT = 15.0  # the default database I/O timeout (10 s) and some slack
