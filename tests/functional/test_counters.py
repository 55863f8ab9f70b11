"""SPEC §9: denormalized likes_count and comments_count never drift from the real number of likes and
comments, also when many clients like, cancel, comment and delete at the same time."""

import random
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from conftest import (COMMENTS, LIKES, NOT_FOUND, Client, assert_json, clone_client, feed, follow, list_comments,
                      page_through, poll, post_comment, post_tweet, signup, tweet_detail, user_tweets)

CANCEL = LIKES + "cancel/"
USERS = 20
ROUNDS = 6


def signups(server, n: int) -> list[Client]:
    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(lambda _: signup(server), range(n)))


def act(c: Client, liked: bool, content_type: str, object_id: int):
    body = {"content_type": content_type, "object_id": object_id}
    if liked:
        assert_json(c.post(LIKES, json=body), 201)
    else:
        data = assert_json(c.post(CANCEL, json=body), 200)
        assert data.get("success") is True and data.get("deleted") in (0, 1), data


def race(clients: list[Client], content_type: str, object_id: int, rounds: int, seed: int) -> list[bool]:
    """Every client (one thread each) likes or cancels the object `rounds` times, all starting each round
    together; returns each client's last action (True = like)."""
    rng = random.Random(seed)
    plans = [[rng.random() < 0.5 for _ in range(rounds)] for _ in clients]
    # Make sure the end state is mixed.
    plans[0][-1], plans[1][-1] = True, False
    barrier = threading.Barrier(len(clients))

    def run(i: int):
        try:
            for step in plans[i]:
                barrier.wait(timeout=60)
                act(clients[i], step, content_type, object_id)
        except BaseException:
            barrier.abort()  # release the others at once instead of letting them time out
            raise

    with ThreadPoolExecutor(len(clients)) as pool:
        for f in [pool.submit(run, i) for i in range(len(clients))]:
            f.result()
    return [p[-1] for p in plans]


def likers(c: Client, content_type: str, object_id: int) -> list[int]:
    items = page_through(c, LIKES, 100, content_type=content_type, object_id=object_id)
    return [x["user"]["id"] for x in items]


def tweet_likes_counts(author: Client, fan: Client, tweet_id: int) -> dict[str, int]:
    [listed] = [t for t in user_tweets(fan, author.user_id) if t["id"] == tweet_id]
    [in_feed] = [i["tweet"] for i in feed(fan) if i["tweet"]["id"] == tweet_id]
    [in_own_feed] = [i["tweet"] for i in feed(author) if i["tweet"]["id"] == tweet_id]
    return {"detail": tweet_detail(fan, tweet_id)["likes_count"], "list": listed["likes_count"],
            "feed": in_feed["likes_count"], "author feed": in_own_feed["likes_count"]}


@pytest.fixture
def followed_tweet(server, user):
    """A tweet by `user` and a follower whose feed holds it."""
    fan = signup(server)
    follow(fan, user.user_id)
    tweet = post_tweet(user)
    poll(lambda: [i["tweet"]["id"] for i in feed(fan)], lambda ids: tweet["id"] in ids,
         what="the tweet in the follower's feed")
    return tweet, fan


def test_many_users_like_and_cancel_a_tweet(server, user, followed_tweet):
    tweet, fan = followed_tweet
    clients = signups(server, USERS)
    final = race(clients, "tweet", tweet["id"], ROUNDS, seed=1)
    expected = sum(final)
    counts = tweet_likes_counts(user, fan, tweet["id"])
    assert counts == dict.fromkeys(counts, expected), (counts, expected)
    assert sorted(likers(fan, "tweet", tweet["id"])) == sorted(c.user_id for c, f in zip(clients, final) if f)
    detail = tweet_detail(fan, tweet["id"])
    assert len(detail["likes"]) == expected
    for c, liked in zip(clients, final):
        assert tweet_detail(c, tweet["id"])["has_liked"] is liked, c.user_id


@pytest.mark.parametrize("seed", [2, 3])
def test_one_user_races_with_itself(server, user, followed_tweet, seed):
    tweet, fan = followed_tweet
    racer = signup(server)
    clients = [clone_client(racer) for _ in range(4)]
    race(clients, "tweet", tweet["id"], 12, seed=seed)
    liked = tweet_detail(racer, tweet["id"])["has_liked"]
    counts = tweet_likes_counts(user, fan, tweet["id"])
    assert counts == dict.fromkeys(counts, int(liked)), (counts, liked)
    assert likers(fan, "tweet", tweet["id"]) == ([racer.user_id] if liked else [])
    # And the state is still usable: a cancel removes at most what is there.
    data = assert_json(racer.post(CANCEL, json={"content_type": "tweet", "object_id": tweet["id"]}), 200)
    assert data["deleted"] == int(liked)
    assert tweet_detail(fan, tweet["id"])["likes_count"] == 0


def test_concurrent_duplicate_likes_count_once(server, user, followed_tweet):
    tweet, fan = followed_tweet
    racer = signup(server)
    clients = [clone_client(racer) for _ in range(8)]
    barrier = threading.Barrier(8)

    def go(c):
        barrier.wait(timeout=60)
        return assert_json(c.post(LIKES, json={"content_type": "tweet", "object_id": tweet["id"]}), 201)

    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(go, clients))
    assert len({x["created_at"] for x in got}) == 1, "every answer is the one like"
    counts = tweet_likes_counts(user, fan, tweet["id"])
    assert counts == dict.fromkeys(counts, 1), counts

    def cancel(c):
        barrier.wait(timeout=60)
        return assert_json(c.post(CANCEL, json={"content_type": "tweet", "object_id": tweet["id"]}), 200)["deleted"]

    with ThreadPoolExecutor(8) as pool:
        deleted = list(pool.map(cancel, clients))
    assert sorted(deleted) == [0] * 7 + [1]
    counts = tweet_likes_counts(user, fan, tweet["id"])
    assert counts == dict.fromkeys(counts, 0), counts


def test_many_users_like_and_cancel_a_comment(server, user, other_user):
    tweet = post_tweet(user)
    comment = post_comment(other_user, tweet["id"])
    clients = signups(server, USERS)
    final = race(clients, "comment", comment["id"], ROUNDS, seed=4)
    expected = sum(final)
    [listed] = list_comments(user, tweet["id"])
    assert listed["likes_count"] == expected
    [embedded] = tweet_detail(user, tweet["id"])["comments"]
    assert embedded["likes_count"] == expected
    assert sorted(likers(user, "comment", comment["id"])) == sorted(c.user_id for c, f in zip(clients, final) if f)
    assert tweet_detail(user, tweet["id"])["likes_count"] == 0
    for c, liked in zip(clients, final):
        [mine] = list_comments(c, tweet["id"])
        assert mine["has_liked"] is liked


def test_comment_races_with_itself(server, user, other_user):
    tweet = post_tweet(user)
    comment = post_comment(other_user, tweet["id"])
    racer = signup(server)
    clients = [clone_client(racer) for _ in range(4)]
    race(clients, "comment", comment["id"], 12, seed=5)
    [mine] = list_comments(racer, tweet["id"])
    assert mine["likes_count"] == int(mine["has_liked"])
    assert likers(user, "comment", comment["id"]) == ([racer.user_id] if mine["has_liked"] else [])


def test_concurrent_comments_and_deletes(server, user, followed_tweet):
    tweet, fan = followed_tweet
    writers = signups(server, 10)
    keep_per_writer, drop_per_writer = 3, 3
    barrier = threading.Barrier(len(writers))

    def run(c: Client) -> list[int]:
        barrier.wait(timeout=60)
        kept = []
        for i in range(keep_per_writer + drop_per_writer):
            cm = post_comment(c, tweet["id"])
            if i % 2:
                assert_json(c.delete(f"{COMMENTS}{cm['id']}/"), 200, {"success": True})
            else:
                kept.append(cm["id"])
        return kept

    with ThreadPoolExecutor(len(writers)) as pool:
        kept = [cid for ids in pool.map(run, writers) for cid in ids]
    expected = len(writers) * keep_per_writer
    assert len(kept) == expected
    listed = list_comments(fan, tweet["id"])
    assert sorted(c["id"] for c in listed) == sorted(kept)
    [in_list] = [t for t in user_tweets(fan, user.user_id) if t["id"] == tweet["id"]]
    [in_feed] = [i["tweet"] for i in feed(fan) if i["tweet"]["id"] == tweet["id"]]
    assert (tweet_detail(fan, tweet["id"])["comments_count"], in_list["comments_count"],
            in_feed["comments_count"]) == (expected,) * 3


def test_concurrent_deletes_of_one_comment(server, user, followed_tweet):
    tweet, fan = followed_tweet
    owner = signup(server)
    stay = post_comment(owner, tweet["id"])
    gone = post_comment(owner, tweet["id"])
    clients = [clone_client(owner) for _ in range(6)]
    barrier = threading.Barrier(len(clients))

    def go(c):
        barrier.wait(timeout=60)
        return c.delete(f"{COMMENTS}{gone['id']}/")

    with ThreadPoolExecutor(len(clients)) as pool:
        responses = list(pool.map(go, clients))
    ok = [r for r in responses if r.status_code == 200]
    assert len(ok) == 1, [(r.status_code, r.text) for r in responses]
    for r in responses:
        if r.status_code != 200:
            assert_json(r, 404, NOT_FOUND)
    assert [c["id"] for c in list_comments(fan, tweet["id"])] == [stay["id"]]
    assert tweet_detail(fan, tweet["id"])["comments_count"] == 1
    [in_feed] = [i["tweet"] for i in feed(fan) if i["tweet"]["id"] == tweet["id"]]
    assert in_feed["comments_count"] == 1


def test_comment_likes_go_with_a_comment_deleted_during_likes(server, user, other_user):
    """Likes racing with the comment's deletion: afterwards nothing of the comment is left and the
    tweet's counters are right."""
    tweet = post_tweet(user)
    comment = post_comment(other_user, tweet["id"])
    fans = signups(server, 8)
    barrier = threading.Barrier(len(fans) + 1)

    def fan_likes(c):
        barrier.wait(timeout=60)
        for _ in range(3):
            r = c.post(LIKES, json={"content_type": "comment", "object_id": comment["id"]})
            assert r.status_code in (201, 400), r.text
            if r.status_code == 400:
                assert r.json().get("errors") == {"object_id": ["Object does not exist."]}, r.text

    def owner_deletes():
        barrier.wait(timeout=60)
        assert_json(other_user.delete(f"{COMMENTS}{comment['id']}/"), 200, {"success": True})

    with ThreadPoolExecutor(len(fans) + 1) as pool:
        futures = [pool.submit(fan_likes, f) for f in fans] + [pool.submit(owner_deletes)]
        for f in futures:
            f.result()
    assert likers(user, "comment", comment["id"]) == []
    detail = tweet_detail(user, tweet["id"])
    assert detail["comments"] == [] and detail["comments_count"] == 0 and detail["likes_count"] == 0
