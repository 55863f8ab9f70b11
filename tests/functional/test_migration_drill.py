"""The storage migration drill (DESIGN §6, SPEC §11): friendships and news feeds move from SQL to the
wide-column store (RocksDB on the embedded stack, HBase on the full stack) and back, driven by gatekeepers,
while a background client keeps following, unfollowing and tweeting.

Walk: SQL only → dual write → backfill → verify clean → reads at 20% → whitelist a user outside the 20% →
reads at 100% → kv only → roll back (dual write with the wide-column store primary, reverse backfill,
verify clean, SQL primary, reads back on SQL) → SQL only.

The ground truth is the client's own record: it is the only writer, so after each step, with the traffic
paused and the background jobs settled, every user's followings, followers and news feed must be exactly
what its actions imply — with the same created_at times at every step (a follow keeps its time across
stores). Traffic runs while switches flip and backfills copy; it pauses only for the checks and verify.
"""

from __future__ import annotations

import random
import threading
import time

import pytest

from conftest import (MIGRATION_SWITCHES, Client, ChirpServer, assert_json, default_switches, page_through,
                      run_cli, signup, sql_only_switches, storage_args, ts_us)

SWITCHES = MIGRATION_SWITCHES
# Processes re-read a gatekeeper within 5 s (SPEC §11); the server that changes it, at once. Workers of the
# full stack are other processes: wait for them before relying on a flip.
SWITCH_SETTLE = 5.5
TWEETS_PER_USER = 12  # below the 20 a follow copies into the feed, so a feed is exactly derivable
SETTLE_TIMEOUT = 60.0


class Traffic:
    """One background client: random follows, unfollows and tweets among the users, recorded."""

    def __init__(self, users: list[Client], seed: int):
        self.users = users
        self.rng = random.Random(seed)
        self.follows: dict[tuple[int, int], int] = {}  # (from, to) → created_at µs of the follow's 201
        self.tweets: dict[int, list[tuple[int, int]]] = {u.user_id: [] for u in users}  # author → (id, µs)
        self.errors: list[str] = []
        self.actions = 0
        self._run = threading.Event()
        self._idle = threading.Event()
        self._stop = False
        self._thread = threading.Thread(target=self._loop, daemon=True)
        self._thread.start()

    def resume(self) -> None:
        self._idle.clear()
        self._run.set()

    def pause(self) -> None:
        """Returns once no action is in flight."""
        self._run.clear()
        self._idle.wait(30)

    def close(self) -> None:
        self._stop = True
        self._run.set()
        self._thread.join(30)

    def _loop(self) -> None:
        while not self._stop:
            if not self._run.is_set():
                self._idle.set()
                self._run.wait()
                continue
            try:
                self._act()
            except Exception as e:  # noqa: BLE001 - recorded and asserted by the test
                self.errors.append(repr(e))
            time.sleep(0.01)
        self._idle.set()

    def _act(self) -> None:
        self.actions += 1
        c = self.rng.choice(self.users)
        me = c.user_id
        roll = self.rng.random()
        if roll < 0.25 and len(self.tweets[me]) < TWEETS_PER_USER:
            r = c.post("/api/tweets/", json={"content": f"drill {self.actions}"})
            if r.status_code != 201:
                self.errors.append(f"tweet: {r.status_code} {r.text[:200]}")
                return
            body = r.json()
            self.tweets[me].append((body["id"], ts_us(body["created_at"])))
            return
        other = self.rng.choice([u for u in self.users if u is not c]).user_id
        if (me, other) in self.follows and roll < 0.55:
            r = c.post(f"/api/friendships/{other}/unfollow/")
            if r.status_code != 200 or r.json() != {"success": True, "deleted": 1}:
                self.errors.append(f"unfollow {me}->{other}: {r.status_code} {r.text[:200]}")
                return
            del self.follows[(me, other)]
        elif (me, other) not in self.follows:
            r = c.post(f"/api/friendships/{other}/follow/")
            if r.status_code != 201 or r.json().get("duplicate"):
                self.errors.append(f"follow {me}->{other}: {r.status_code} {r.text[:200]}")
                return
            self.follows[(me, other)] = ts_us(r.json()["created_at"])


class Drill:
    def __init__(self, server: ChirpServer, admin: Client, users: list[Client], traffic: Traffic):
        self.server = server
        self.admin = admin
        self.users = users
        self.traffic = traffic
        self.steps: list[str] = []

    # ---- switches and commands

    def set_switch(self, name: str, **fields) -> None:
        r = self.admin.put(f"/api/gatekeepers/{name}/", json=fields)
        body = assert_json(r, 200)
        for key, value in fields.items():
            assert body[key] == value, body

    def settle_switches(self) -> None:
        time.sleep(SWITCH_SETTLE)

    def cli(self, *args: str) -> str:
        # Only the drill's users: on the full stack the database holds every other test's users too.
        first = min(c.user_id for c in self.users)
        r = run_cli(*args, "--from-user", str(first), *storage_args(self.server.data_dir, self.server_services()),
                    timeout=300)
        output = r.stdout + r.stderr
        assert r.returncode == 0, f"chirp {' '.join(args)} exited {r.returncode}:\n{output[-4000:]}"
        return output

    def server_services(self) -> dict[str, str]:
        """The service flags the server runs with (the drill server's private Redis database included)."""
        return self.server.services

    def backfill(self, *extra: str) -> None:
        out = self.cli("backfill", *extra)
        assert "friendships" in out and "newsfeeds" in out and "done" in out, out

    def verify_clean(self) -> None:
        out = self.cli("verify")
        assert "verify friendships: 0 differences" in out, out
        assert "verify newsfeeds: 0 differences" in out, out

    # ---- the check

    def expected_feed(self, user_id: int) -> list[tuple[int, int]]:
        authors = {user_id} | {to for (frm, to) in self.traffic.follows if frm == user_id}
        items = [t for a in authors for t in self.traffic.tweets[a]]
        return sorted(items, key=lambda t: (t[1], t[0]), reverse=True)

    def observed(self, c: Client) -> dict:
        me = c.user_id
        followings = page_through(c, f"/api/friendships/{me}/followings/", 7)
        followers = page_through(c, f"/api/friendships/{me}/followers/", 7)
        feed = page_through(c, "/api/newsfeeds/", 9)
        return {
            "followings": [(i["user"]["id"], ts_us(i["created_at"])) for i in followings],
            "followers": [(i["user"]["id"], ts_us(i["created_at"])) for i in followers],
            "feed": [(i["tweet"]["id"], ts_us(i["created_at"])) for i in feed],
        }

    def mismatches(self) -> list[str]:
        """How the API differs from the recorded state: every list holds exactly the recorded items, with
        the times their 201s gave (a follow keeps its time whichever store answers), newest first."""
        problems = []
        follows = self.traffic.follows
        for c in self.users:
            me = c.user_id
            seen = self.observed(c)
            want = {
                "followings": sorted(((to, at) for (frm, to), at in follows.items() if frm == me),
                                     key=lambda x: x[1], reverse=True),
                "followers": sorted(((frm, at) for (frm, to), at in follows.items() if to == me),
                                    key=lambda x: x[1], reverse=True),
                "feed": self.expected_feed(me),
            }
            for key in ("followings", "followers", "feed"):
                got = seen[key]
                if got != want[key]:
                    problems.append(f"user {me} {key}: missing {sorted(set(want[key]) - set(got))}, unexpected "
                                    f"{sorted(set(got) - set(want[key]))}, {len(got)} items, "
                                    f"{len(set(got))} distinct, {len(want[key])} wanted")
        return problems

    def check(self, step: str) -> None:
        """Pauses the traffic, waits until the API shows exactly the recorded state, and resumes."""
        self.traffic.pause()
        assert not self.traffic.errors, f"{step}: background client errors: {self.traffic.errors[:5]}"
        deadline = time.monotonic() + SETTLE_TIMEOUT
        while True:
            problems = self.mismatches()
            if not problems:
                break
            if time.monotonic() > deadline:
                pytest.fail(f"after step {step!r} (done: {self.steps}) the API differs from the recorded "
                            f"state:\n" + "\n".join(problems[:20]))
            time.sleep(0.2)
        self.steps.append(step)

    def run_traffic(self, seconds: float) -> None:
        self.traffic.resume()
        time.sleep(seconds)


@pytest.fixture
def drill_server(tmp_path_factory, admin_account) -> ChirpServer:
    """A server of its own, starting with every switch off whatever CHIRP_TEST_SWITCHES says. On the full
    stack: a Redis database of its own (its gatekeepers and cached feeds) and a queue of its own (only its
    workers, which share that database, run its jobs)."""
    tmp = tmp_path_factory.mktemp("drill")
    srv = ChirpServer(tmp, private_redis=True, own_queue=True, switches=sql_only_switches())
    r = run_cli("createsuperuser", "--username", admin_account.username, "--email", admin_account.email,
                "--password", admin_account.password, *storage_args(srv.data_dir, srv.services),
                "--password-cost", "min")
    # A shared database (MariaDB, full stack) already has the run's admin.
    assert r.returncode == 0 or "already taken" in r.stderr, f"createsuperuser failed: {r.stdout}{r.stderr}"
    srv.start()
    yield srv
    srv.stop_and_check()
    # On the full stack the gatekeepers' truth is the shared database: give the other servers back the
    # switches the run sets for them (CHIRP_TEST_SWITCHES).
    srv.switches = default_switches()
    srv.set_switches()


def make_users(server: ChirpServer) -> list[Client]:
    """Users on both sides of the 20% bucket (user_id % 100 < 20): at least 3 in and 3 out."""
    inside, outside = [], []
    for _ in range(200):
        c = signup(server)
        (inside if c.user_id % 100 < 20 else outside).append(c)
        if len(inside) >= 3 and len(outside) >= 3:
            return inside[:3] + outside[:3]
    pytest.fail("could not make users on both sides of the 20% bucket")


def test_migration_drill(drill_server, admin_account):
    server = drill_server
    admin = Client(server)
    assert_json(admin.post("/api/accounts/login/", json={"username": admin_account.username,
                                                         "password": admin_account.password}), 200)
    for name in SWITCHES:
        assert assert_json(admin.get(f"/api/gatekeepers/{name}/"), 200)["percent"] == 0, name
    users = make_users(server)
    outsider = next(c for c in users if c.user_id % 100 >= 20)
    traffic = Traffic(users, seed=users[0].user_id)
    d = Drill(server, admin, users, traffic)
    try:
        d.run_traffic(3)
        d.check("sql only")

        for table in ("friendship", "newsfeed"):
            d.set_switch(f"{table}_dual_write", percent=100)
        d.run_traffic(0)
        d.settle_switches()
        d.backfill()  # while the client keeps writing
        d.check("dual write + backfill")
        d.verify_clean()

        for table in ("friendship", "newsfeed"):
            d.set_switch(f"{table}_read_kv", percent=20)
        d.run_traffic(SWITCH_SETTLE)
        d.check("reads at 20%")

        for table in ("friendship", "newsfeed"):
            d.set_switch(f"{table}_read_kv", whitelist=[outsider.user_id])
        d.run_traffic(2)
        d.check("whitelisted user outside the 20%")

        for table in ("friendship", "newsfeed"):
            d.set_switch(f"{table}_read_kv", percent=100)
        d.run_traffic(2)
        d.check("reads at 100%")
        d.verify_clean()

        for table in ("friendship", "newsfeed"):
            d.set_switch(f"{table}_kv_only", percent=100)
        d.run_traffic(SWITCH_SETTLE)
        for table in ("friendship", "newsfeed"):
            d.set_switch(f"{table}_dual_write", percent=0)
        d.run_traffic(SWITCH_SETTLE + 2)
        d.check("kv only")  # SQL is no longer written: only the wide-column store has the latest rows

        # Roll back: mirror the wide-column store into SQL again, copy back what only it holds, verify.
        for table in ("friendship", "newsfeed"):
            d.set_switch(f"{table}_dual_write", percent=100)
        d.run_traffic(0)
        d.settle_switches()
        d.backfill("--reverse")
        d.check("reverse backfill")
        d.verify_clean()
        for table in ("friendship", "newsfeed"):
            d.set_switch(f"{table}_kv_only", percent=0)
        d.run_traffic(SWITCH_SETTLE)
        for table in ("friendship", "newsfeed"):
            d.set_switch(f"{table}_read_kv", percent=0, whitelist=[])
        d.run_traffic(SWITCH_SETTLE)
        d.check("SQL primary again")
        d.verify_clean()
        for table in ("friendship", "newsfeed"):
            d.set_switch(f"{table}_dual_write", percent=0)
        d.run_traffic(3)
        d.check("sql only at the end")
    finally:
        traffic.close()
    assert not traffic.errors, traffic.errors[:5]
    assert len(traffic.follows) > 0 and sum(len(t) for t in traffic.tweets.values()) > 0
