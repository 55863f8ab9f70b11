"""`chirp seed` (DESIGN §1): a small synthetic data set written straight into a fresh SQL database, then
read back through the API: counters equal the lists, feeds hold the newest tweets of the user and of the
users they follow, likes_count equals the likers; a second seed of the same database is refused."""

from __future__ import annotations

import pytest

from conftest import (LIKES, SECRETS_SEEN, ChirpServer, assert_json, database_url, list_comments,
                      login, page_through, run_cli, sql_only_switches, storage_args, ts_us)

PASSWORD = "seed-test-pw-4711"
FEED_SIZE = 40
SIZES = ["--users", "50", "--follows", "500", "--tweets", "300", "--likes", "400", "--comments", "100",
         "--feed-size", str(FEED_SIZE), "--seed", "7"]

pytestmark = pytest.mark.skipif(database_url() is not None,
                                reason="chirp seed needs a fresh database; CHIRP_TEST_DATABASE_URL is shared")


# Into the wide-column store: more follows than one bulk-load chunk (5,000 rows), so that both of the
# seed's writers load some.
KV_SIZES = ["--users", "120", "--follows", "6000", *SIZES[4:]]
KV_SWITCHES = {**sql_only_switches(), "friendship_kv_only": 100, "newsfeed_kv_only": 100}


def seed(data_dir, *extra: str, sizes=SIZES):
    return run_cli("seed", *sizes, "--password", PASSWORD, "--password-cost", "min", *extra,
                   *storage_args(data_dir), timeout=300)


def profile(c, uid: int) -> dict:
    return assert_json(c.get(f"/api/profiles/{uid}/"), 200)


def user_ids(c, uid: int, kind: str) -> list[int]:
    return [item["user"]["id"] for item in page_through(c, f"/api/friendships/{uid}/{kind}/", 20)]


def test_help_lists_the_options():
    r = run_cli("seed", "--help")
    assert r.returncode == 0
    for flag in ("--users", "--follows", "--tweets", "--seed", "--password", "--feed-size", "--likes",
                 "--comments", "--database-url"):
        assert flag in r.stdout


def test_options_that_do_not_fit_exit_2(tmp_path):
    r = run_cli("seed", "--users", "3", "--follows", "100", *storage_args(tmp_path))
    assert r.returncode == 2, r.stdout + r.stderr
    assert "--follows" in r.stderr


@pytest.mark.parametrize("where", ["sql", "wide-column store"])
def test_seeded_data_reads_back_consistently_through_the_api(tmp_path, where):
    SECRETS_SEEN.add(PASSWORD)
    # Friendships and feeds go where the switches say (SQL, or RocksDB on this embedded stack).
    kv = where == "wide-column store"
    srv = ChirpServer(tmp_path, switches=KV_SWITCHES if kv else sql_only_switches())
    srv.set_switches()  # before the seed, which reads them
    sizes = KV_SIZES if kv else SIZES
    r = seed(srv.data_dir, sizes=sizes)
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"seeded {sizes[1]} users, {sizes[3]} follows, 300 tweets" in r.stdout, r.stdout
    if kv:
        assert f"wrote {sizes[3]} friendships into the wide-column store" in r.stdout, r.stdout

    again = seed(srv.data_dir, sizes=sizes)
    assert again.returncode == 2, again.stdout + again.stderr
    assert "fresh database" in again.stderr

    srv.start()
    try:
        me = login(srv, "seed_000001", PASSWORD)
        other = login(srv, "seed_000042", PASSWORD)
        assert me.user["username"] == "seed_000001" and other.user["username"] == "seed_000042"

        # Counters equal the lists, for the most followed user and an ordinary one.
        for uid in (me.user_id, other.user_id):
            p = profile(me, uid)
            followers, followings = user_ids(me, uid, "followers"), user_ids(me, uid, "followings")
            assert p["followers_count"] == len(followers) == len(set(followers))
            assert p["followings_count"] == len(followings) == len(set(followings))
            assert uid not in followers and uid not in followings
            tweets = page_through(me, "/api/tweets/", 50, user_id=uid)
            assert p["tweets_count"] == len(tweets)

        # The feed: the newest FEED_SIZE tweets of the user and of everyone they follow, newest first.
        for c in (me, other):
            authors = {c.user_id, *user_ids(c, c.user_id, "followings")}
            candidates = [t for a in authors for t in page_through(c, "/api/tweets/", 50, user_id=a)]
            candidates.sort(key=lambda t: ts_us(t["created_at"]), reverse=True)
            items = page_through(c, "/api/newsfeeds/", 20)
            assert [i["tweet"]["id"] for i in items] == [t["id"] for t in candidates[:FEED_SIZE]]
            assert all(i["tweet"]["user"]["id"] in authors for i in items)
            assert len(items) == min(FEED_SIZE, len(candidates))

            # likes_count equals the likers (one like per user), comments_count the comments.
            for item in items[:15]:
                tweet = item["tweet"]
                likers = [like["user"]["id"] for like in page_through(c, LIKES, 50, content_type="tweet",
                                                                     object_id=tweet["id"])]
                assert tweet["likes_count"] == len(likers) == len(set(likers)), tweet
                assert tweet["comments_count"] == len(list_comments(c, tweet["id"])), tweet
        assert any(i["tweet"]["likes_count"] > 0 for i in page_through(me, "/api/newsfeeds/", 20))
    finally:
        srv.stop_and_check()

