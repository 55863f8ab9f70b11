"""SPEC §7 news feed (push model, embedded setup): own tweets at once, followed users' tweets
asynchronously (polled, never slept for), follow/unfollow effects, ordering and pagination."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import (EMPTY_PAGE, NOT_AUTHENTICATED, TIMESTAMP_RE, TWEET_KEYS, Client, assert_json, clone_client,
                      feed, feed_tweet_ids, follow, get_page, page_through, poll, post_tweet, signup, ts_us,
                      unfollow)

FEED = "/api/newsfeeds/"


def wait_feed(c: Client, done, what: str) -> list[int]:
    return poll(lambda: feed_tweet_ids(c), done, what=what)


def wait_contains(c: Client, tweet_ids, what: str = "tweets in the feed") -> list[int]:
    want = set(tweet_ids)
    return wait_feed(c, lambda got: want <= set(got), what)


def assert_no_duplicates(ids: list[int]):
    assert len(ids) == len(set(ids)), f"duplicate feed items: {ids}"


# ---------------------------------------------------------------- basics


@pytest.mark.smoke
def test_feed_needs_login(anon):
    assert_json(anon.get(FEED), 403, NOT_AUTHENTICATED)


def test_feed_methods(anon, user):
    for c in (anon, user):
        r = c.post(FEED, json={})
        assert r.status_code == 405, r.text
        assert "GET" in r.headers.get("Allow", "")


def test_new_user_feed_is_empty(user):
    assert_json(user.get(FEED), 200, EMPTY_PAGE)


@pytest.mark.smoke
def test_own_tweets_appear_at_once(user, other_user):
    follow(other_user, user.user_id)  # having followers does not delay the author's own feed
    posted = [post_tweet(user) for _ in range(3)]
    items = feed(user)
    assert [i["tweet"]["id"] for i in items] == [t["id"] for t in reversed(posted)]
    for item, t in zip(items, reversed(posted)):
        assert set(item) >= {"tweet", "created_at"}, item
        assert TIMESTAMP_RE.match(item["created_at"])
        assert item["created_at"] == t["created_at"]
        assert {k: item["tweet"][k] for k in TWEET_KEYS} == {k: t[k] for k in TWEET_KEYS}


def test_token_client_reads_the_same_feed(server, user):
    from conftest import token_client
    t = post_tweet(user)
    c = token_client(server, user.user["username"], user.password)
    assert feed_tweet_ids(c) == [t["id"]]


@pytest.mark.smoke
def test_followed_users_tweets_arrive(user, other_user):
    follow(user, other_user.user_id)
    t = post_tweet(other_user, "for my followers")
    wait_contains(user, [t["id"]], "the followed user's tweet")
    [item] = feed(user)
    assert item["created_at"] == t["created_at"]
    assert {k: item["tweet"][k] for k in TWEET_KEYS} == {k: t[k] for k in TWEET_KEYS}
    assert item["tweet"]["has_liked"] is False


def test_unfollowed_users_tweets_do_not_arrive(server, user):
    followed, stranger, ex = signup(server), signup(server), signup(server)
    follow(user, followed.user_id)
    follow(user, ex.user_id)
    unfollow(user, ex.user_id)
    control = signup(server)  # follows everyone, to know when fan-out has happened
    for a in (followed, stranger, ex):
        follow(control, a.user_id)
    t_stranger = post_tweet(stranger)
    t_ex = post_tweet(ex)
    t_followed = post_tweet(followed)
    wait_contains(control, [t_stranger["id"], t_ex["id"], t_followed["id"]], "fan-out to the control follower")
    wait_contains(user, [t_followed["id"]], "the followed user's tweet")
    assert feed_tweet_ids(user) == [t_followed["id"]]
    # Nobody follows `user`: their feed receives nothing from others' feeds.
    assert feed_tweet_ids(stranger) == [t_stranger["id"]]


def test_feed_follows_nickname_changes(user, other_user):
    follow(user, other_user.user_id)
    t = post_tweet(other_user)
    wait_contains(user, [t["id"]])
    assert_json(other_user.patch(f"/api/profiles/{other_user.user_id}/", json={"nickname": "New Name"}), 200)
    assert feed(user)[0]["tweet"]["user"]["nickname"] == "New Name"


# ---------------------------------------------------------------- follow / unfollow effects


def _post_sequence(c: Client, n: int) -> list[dict]:
    return [post_tweet(c, f"numbered tweet {i:02d} of {c.user_id}") for i in range(n)]


def test_follow_brings_the_recent_20(server, user):
    author = signup(server)
    posted = _post_sequence(author, 25)
    own = post_tweet(user)
    follow(user, author.user_id)
    newest20 = [t["id"] for t in sorted(posted, key=lambda t: t["created_at"], reverse=True)[:20]]
    got = wait_contains(user, newest20, "the followed user's 20 newest tweets")
    assert_no_duplicates(got)
    expected = sorted([own] + [t for t in posted if t["id"] in newest20], key=lambda t: t["created_at"], reverse=True)
    assert got == [t["id"] for t in expected], "the feed holds more or other tweets than the 20 newest"
    items = feed(user)
    by_id = {t["id"]: t for t in posted}
    for item in items:
        if item["tweet"]["id"] in by_id:
            assert item["created_at"] == by_id[item["tweet"]["id"]]["created_at"]


def test_follow_an_author_with_few_tweets(server, user):
    author = signup(server)
    posted = _post_sequence(author, 3)
    follow(user, author.user_id)
    got = wait_contains(user, [t["id"] for t in posted])
    assert got == [t["id"] for t in reversed(posted)]


def test_unfollow_removes_their_tweets(server, user):
    b, c = signup(server), signup(server)
    follow(user, b.user_id)
    follow(user, c.user_id)
    tb = [post_tweet(b) for _ in range(3)]
    tc = [post_tweet(c) for _ in range(2)]
    mine = post_tweet(user)
    wait_contains(user, [t["id"] for t in tb + tc])
    unfollow(user, b.user_id)
    keep = {t["id"] for t in tc} | {mine["id"]}
    got = wait_feed(user, lambda ids: set(ids) == keep, "the unfollowed user's tweets to leave the feed")
    assert_no_duplicates(got)
    # Following again brings them back, once each.
    follow(user, b.user_id)
    got = wait_contains(user, [t["id"] for t in tb], "the re-followed user's tweets")
    assert_no_duplicates(got)
    assert set(got) == keep | {t["id"] for t in tb}


def test_unfollow_does_not_touch_other_followers(server, user, other_user):
    author = signup(server)
    follow(user, author.user_id)
    follow(other_user, author.user_id)
    t = post_tweet(author)
    wait_contains(user, [t["id"]])
    wait_contains(other_user, [t["id"]])
    unfollow(user, author.user_id)
    wait_feed(user, lambda ids: t["id"] not in ids, "the tweet to leave the unfollower's feed")
    assert feed_tweet_ids(other_user) == [t["id"]]
    assert feed_tweet_ids(author) == [t["id"]]


def test_follow_unfollow_follow_quickly_ends_followed(server, user):
    author = signup(server)
    posted = _post_sequence(author, 4)
    for _ in range(3):
        follow(user, author.user_id)
        unfollow(user, author.user_id)
    follow(user, author.user_id)
    got = wait_contains(user, [t["id"] for t in posted])
    assert_no_duplicates(got)
    # ... and stays so: a later tweet proves the queued jobs ran; the feed is still complete.
    late = post_tweet(author)
    got = wait_contains(user, [late["id"]])
    assert sorted(got) == sorted([t["id"] for t in posted] + [late["id"]])


def test_follow_then_unfollow_quickly_ends_empty(server, user):
    author = signup(server)
    _post_sequence(author, 4)
    control = signup(server)
    follow(user, author.user_id)
    unfollow(user, author.user_id)
    # The control follows after; once its backfill has arrived, the user's (older) jobs have run too.
    follow(control, author.user_id)
    wait_feed(control, lambda ids: len(ids) == 4, "the control follower's backfill")
    poll(lambda: feed_tweet_ids(user), lambda ids: ids == [], what="an empty feed after follow+unfollow",
         timeout=3)
    assert feed_tweet_ids(user) == []


# ---------------------------------------------------------------- ordering and paging


@pytest.fixture(scope="module")
def busy_reader(server):
    """A reader following 4 authors who post concurrently (12 tweets each), plus 5 own tweets."""
    reader = signup(server)
    authors = [signup(server) for _ in range(4)]
    for a in authors:
        follow(reader, a.user_id)
    barrier = threading.Barrier(5)
    writers = authors + [clone_client(reader)]

    def work(c):
        barrier.wait()
        return [post_tweet(c) for _ in range(12 if c.user_id != reader.user_id else 5)]

    with ThreadPoolExecutor(5) as pool:
        posted = [t for batch in pool.map(work, writers) for t in batch]
    assert len({t["created_at"] for t in posted}) == len(posted), "two tweets share a created_at"
    full = sorted(posted, key=lambda t: ts_us(t["created_at"]), reverse=True)
    poll(lambda: get_page(reader, FEED, page_size=100)["results"], lambda items: len(items) == len(full),
         what="all 53 tweets in the reader's feed")
    return reader, full


def test_feed_is_interleaved_newest_first(busy_reader):
    reader, full = busy_reader
    items = feed(reader)
    assert [i["tweet"]["id"] for i in items] == [t["id"] for t in full]
    assert [i["created_at"] for i in items] == [t["created_at"] for t in full]


@pytest.mark.parametrize("page_size", [7, 4, 53, 1])
def test_feed_paging(busy_reader, page_size):
    reader, full = busy_reader
    items = page_through(reader, FEED, page_size)
    assert [i["tweet"]["id"] for i in items] == [t["id"] for t in full]


def test_feed_default_page_and_cursors(busy_reader):
    reader, full = busy_reader
    data = get_page(reader, FEED)
    assert data["has_next_page"] is True
    assert [i["tweet"]["id"] for i in data["results"]] == [t["id"] for t in full[:20]]
    data = get_page(reader, FEED, created_at__lt=full[39]["created_at"], page_size=20)
    assert data["has_next_page"] is False
    assert [i["tweet"]["id"] for i in data["results"]] == [t["id"] for t in full[40:]]
    data = get_page(reader, FEED, created_at__gt=full[30]["created_at"], page_size=5)
    assert data["has_next_page"] is False
    assert [i["tweet"]["id"] for i in data["results"]] == [t["id"] for t in full[:30]]
    data = get_page(reader, FEED, created_at__gt=str(ts_us(full[3]["created_at"])),
                    created_at__lt=full[50]["created_at"])
    assert [i["tweet"]["id"] for i in data["results"]] == [t["id"] for t in full[:3]]
    data = get_page(reader, FEED, created_at__lt=full[-1]["created_at"])
    assert data == EMPTY_PAGE


def test_pull_to_refresh_sees_new_tweets(server, user, other_user):
    follow(user, other_user.user_id)
    first = post_tweet(user)
    top = feed(user)[0]["created_at"]
    assert get_page(user, FEED, created_at__gt=top) == EMPTY_PAGE
    t1 = post_tweet(other_user)
    t2 = post_tweet(user)
    data = poll(lambda: get_page(user, FEED, created_at__gt=top), lambda d: len(d["results"]) == 2,
                what="two newer items")
    assert [i["tweet"]["id"] for i in data["results"]] == [t2["id"], t1["id"]]
    assert first["id"] not in [i["tweet"]["id"] for i in data["results"]]


@pytest.mark.parametrize("value", ["0", "101", "x", "", "-5"])
def test_feed_bad_page_size(user, value):
    data = assert_json(user.get(FEED, params={"page_size": value}), 400)
    assert set(data["errors"]) == {"page_size"}, data


@pytest.mark.parametrize("param", ["created_at__lt", "created_at__gt"])
@pytest.mark.parametrize("value", ["yesterday", "2026-13-01T00:00:00Z", "2026-01-01T00:00:00.1234567Z"])
def test_feed_bad_cursor(user, param, value):
    data = assert_json(user.get(FEED, params={param: value}), 400)
    assert set(data["errors"]) == {param}, data


def test_feed_cursor_with_offset(busy_reader):
    reader, full = busy_reader
    # The same instant written with +00:00 (sent as %2B00:00) and with -05:30.
    import datetime
    pivot = ts_us(full[10]["created_at"])
    dt = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(microseconds=pivot)
    for tz in (datetime.timezone.utc, datetime.timezone(-datetime.timedelta(hours=5, minutes=30))):
        cursor = dt.astimezone(tz).isoformat(timespec="microseconds")
        data = get_page(reader, FEED, created_at__lt=cursor, page_size=3)
        assert [i["tweet"]["id"] for i in data["results"]] == [t["id"] for t in full[11:14]], cursor
