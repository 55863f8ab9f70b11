"""SPEC §5 tweets, §1.5 timestamps and §1.6 endless pagination (on the user's tweet list)."""

import datetime
import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from conftest import (EMPTY_PAGE, NOT_AUTHENTICATED, NOT_FOUND, NOT_OWNER, TIMESTAMP_RE, TWEET_KEYS, USER_KEYS,
                      Client, assert_field_errors, assert_json, clone_client, feed, feed_tweet_ids, follow,
                      page_through, poll, post_tweet, signup, ts_us, user_tweets)
from images import GIF, JPEG, WEBP, png

TWEETS = "/api/tweets/"
MIB = 1024 * 1024
TOO_SHORT = ["Ensure this field has at least 6 characters."]
TOO_LONG = ["Ensure this field has no more than 140 characters."]
REQUIRED = ["This field is required."]
BAD_IMAGE = ["Upload a valid image."]
TOO_MANY = ["You can only upload at most 9 photos."]
PHOTO_TOO_BIG = ["Ensure this file is at most 10 MiB."]


def tweet_path(tid) -> str:
    return f"{TWEETS}{tid}/"


def profile(c: Client, uid: int) -> dict:
    return assert_json(c.get(f"/api/profiles/{uid}/"), 200)


def assert_tweet_shape(t: dict, author: Client, content: str | None = None):
    assert set(t) >= TWEET_KEYS, t
    assert isinstance(t["id"], int) and t["id"] > 0
    assert set(t["user"]) >= USER_KEYS, t["user"]
    assert t["user"]["id"] == author.user_id
    assert t["user"]["username"] == author.user["username"]
    assert TIMESTAMP_RE.match(t["created_at"]), t["created_at"]
    assert TIMESTAMP_RE.match(t["updated_at"]), t["updated_at"]
    assert isinstance(t["comments_count"], int) and isinstance(t["likes_count"], int)
    assert isinstance(t["has_liked"], bool)
    assert isinstance(t["photo_urls"], list)
    if content is not None:
        assert t["content"] == content


def media_files(server) -> set[str]:
    root = server.data_dir / "media"
    if not root.exists():
        return set()
    return {str(p) for p in root.rglob("*") if p.is_file()}


def iso(us: int, digits: int = 6, offset_minutes: int | None = None) -> str:
    """Microseconds as an ISO cursor with `digits` fractional digits (truncating) and Z or an offset."""
    dt = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + datetime.timedelta(microseconds=us)
    if offset_minutes is not None:
        dt = dt.astimezone(datetime.timezone(datetime.timedelta(minutes=offset_minutes)))
    text = dt.strftime("%Y-%m-%dT%H:%M:%S")
    if digits:
        text += "." + f"{dt.microsecond:06d}"[:digits]
    if offset_minutes is None:
        return text + "Z"
    sign = "+" if offset_minutes >= 0 else "-"
    h, m = divmod(abs(offset_minutes), 60)
    return f"{text}{sign}{h:02d}:{m:02d}"


def truncated(us: int, digits: int) -> int:
    unit = 10 ** (6 - digits)
    return us - us % unit


# ---------------------------------------------------------------- create


@pytest.mark.smoke
def test_create_tweet_shape(server, user, anon):
    before = datetime.datetime.now(datetime.timezone.utc)
    r = user.post(TWEETS, json={"content": "   hello chirp world   "})
    t = assert_json(r, 201)
    assert_tweet_shape(t, user, "hello chirp world")
    assert t["user"] == {"id": user.user_id, "username": user.user["username"], "nickname": None,
                         "avatar_url": None}
    assert t["comments_count"] == 0 and t["likes_count"] == 0 and t["has_liked"] is False
    assert t["photo_urls"] == []
    created = ts_us(t["created_at"])
    assert abs(created - ts_us(before.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))) < 60_000_000
    assert ts_us(t["updated_at"]) >= created
    # Shown at once in the author's list and feed, and readable by anyone.
    assert [x["id"] for x in user_tweets(anon, user.user_id)] == [t["id"]]
    assert feed_tweet_ids(user) == [t["id"]]
    detail = assert_json(anon.get(tweet_path(t["id"])), 200)
    assert detail["comments"] == [] and detail["likes"] == []
    assert {k: detail[k] for k in TWEET_KEYS} == {k: t[k] for k in TWEET_KEYS}
    assert profile(anon, user.user_id)["tweets_count"] == 1


def test_create_from_form_and_multipart(user):
    t1 = assert_json(user.post(TWEETS, data={"content": "from a form body"}), 201)
    assert t1["content"] == "from a form body"
    t2 = assert_json(user.post(TWEETS, files={"content": (None, "from a multipart body")}), 201)
    assert t2["content"] == "from a multipart body"
    assert t2["photo_urls"] == []
    assert [x["id"] for x in user_tweets(user, user.user_id)] == [t2["id"], t1["id"]]


def test_create_with_token_auth(server, user):
    from conftest import token_client
    c = token_client(server, user.user["username"], user.password)
    t = assert_json(c.post(TWEETS, json={"content": "token authored"}), 201)
    assert t["user"]["id"] == user.user_id


def test_create_anonymous_is_refused(anon):
    assert_json(anon.post(TWEETS, json={"content": "hello world"}), 403, NOT_AUTHENTICATED)


def test_create_without_csrf_is_refused(user):
    r = user.post(TWEETS, json={"content": "hello world"}, csrf=False)
    assert_json(r, 403, {"detail": "CSRF Failed: CSRF token missing or incorrect."})
    assert user_tweets(user, user.user_id) == []


@pytest.mark.parametrize("body,errors", [
    ({}, {"content": REQUIRED}),
    ({"content": "12345"}, {"content": TOO_SHORT}),
    ({"content": "  12345   "}, {"content": TOO_SHORT}),
    ({"content": "x" * 141}, {"content": TOO_LONG}),
    ({"content": "x" * 100_000}, {"content": TOO_LONG}),
    ({"content": "é" * 141}, {"content": TOO_LONG}),
    ({"content": "😀" * 141}, {"content": TOO_LONG}),
    ({"content": "é" * 5}, {"content": TOO_SHORT}),
])
def test_content_validation(user, body, errors):
    assert_field_errors(user.post(TWEETS, json=body), errors)
    assert user_tweets(user, user.user_id) == []


def test_content_blank(user):
    for content in ("", "      ", "\t\n  \r\n"):
        data = assert_json(user.post(TWEETS, json={"content": content}), 400)
        assert set(data["errors"]) == {"content"}, data
    assert user_tweets(user, user.user_id) == []


def test_content_counts_code_points(user):
    for content in ("x" * 6, "x" * 140, "é" * 140, "😀" * 140, "é" * 6, "🐦" * 6, "e\u0301" * 70):
        t = assert_json(user.post(TWEETS, json={"content": content}), 201)
        assert t["content"] == content
        assert assert_json(user.get(tweet_path(t["id"])), 200)["content"] == content
    # "e" + combining accent is two code points: 71 of them are 142.
    assert_field_errors(user.post(TWEETS, json={"content": "e\u0301" * 71}), {"content": TOO_LONG})


def test_content_round_trips_exactly(user):
    content = "<b>x</b> & 'quotes' \"dq\" \\ / 🐦 チャープ \u202e"
    t = assert_json(user.post(TWEETS, json={"content": content}), 201)
    assert t["content"] == content
    assert user_tweets(user, user.user_id)[0]["content"] == content


@pytest.mark.parametrize("value", [None, [], ["hello world"], {"a": "hello world"}])
def test_content_wrong_json_type(user, value):
    data = assert_json(user.post(TWEETS, json={"content": value}), 400)
    assert "content" in data["errors"], data
    assert user_tweets(user, user.user_id) == []


@pytest.mark.parametrize("value", [True, 1234567, 1.5e300, 10 ** 30])
def test_content_scalar_json_types_never_500(user, value):
    r = user.post(TWEETS, json={"content": value})
    assert r.status_code in (201, 400), r.text


def test_broken_utf8_content(user):
    r = user.post(TWEETS, data=b"content=hello%ff%fe%20world",
                  headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert set(assert_json(r, 400)["errors"]) == {"content"}
    r = user.post(TWEETS, files={"content": (None, b"hello \xff\xfe world")})
    assert set(assert_json(r, 400)["errors"]) == {"content"}
    r = user.post(TWEETS, data=b'{"content": "hello \xff\xfe world"}', headers={"Content-Type": "application/json"})
    assert assert_json(r, 400)["detail"].startswith("JSON parse error - ")
    assert user_tweets(user, user.user_id) == []


def test_huge_body_is_refused_not_500(user):
    r = user.post(TWEETS, json={"content": "x" * (2 * MIB)})
    assert r.status_code in (400, 413), r.status_code
    assert user_tweets(user, user.user_id) == []


def test_unknown_fields_are_ignored(user, other_user):
    body = {"content": "unknown fields", "user_id": other_user.user_id, "likes_count": 5, "id": 1,
            "created_at": "2001-01-01T00:00:00.000000Z", "comments_count": 9}
    t = assert_json(user.post(TWEETS, json=body), 201)
    assert t["user"]["id"] == user.user_id
    assert t["likes_count"] == 0 and t["comments_count"] == 0
    assert not t["created_at"].startswith("2001")
    assert user_tweets(user, other_user.user_id) == []


# ---------------------------------------------------------------- photos


@pytest.mark.smoke
def test_photos_in_upload_order_byte_for_byte(server, user, anon):
    images = [png(2, 2, seed=i) for i in range(6)] + [JPEG, GIF, WEBP]
    ctypes = ["image/png"] * 6 + ["image/jpeg", "image/gif", "image/webp"]
    files = [("content", (None, "nine photos"))]
    files += [("files", (f"p{i}.bin", img, "application/octet-stream")) for i, img in enumerate(images)]
    t = assert_json(user.post(TWEETS, files=files), 201)
    assert t["content"] == "nine photos"
    urls = t["photo_urls"]
    assert len(urls) == 9 and len(set(urls)) == 9
    for url, img, ctype in zip(urls, images, ctypes):
        assert url.startswith(server.url("/media/")), url
        got = requests.get(url, timeout=30)
        assert got.status_code == 200, url
        assert got.content == img
        assert got.headers.get("Content-Type", "").split(";")[0] == ctype
    assert assert_json(anon.get(tweet_path(t["id"])), 200)["photo_urls"] == urls
    assert user_tweets(anon, user.user_id)[0]["photo_urls"] == urls
    assert feed(user)[0]["tweet"]["photo_urls"] == urls


def test_one_photo_and_filename_is_not_trusted(server, user):
    img = png(3, 3, seed=42)
    files = [("content", (None, "one photo here")), ("files", ("../../../etc/evil.png", img, "image/png"))]
    t = assert_json(user.post(TWEETS, files=files), 201)
    [url] = t["photo_urls"]
    assert url.startswith(server.url("/media/")) and ".." not in url
    assert requests.get(url, timeout=30).content == img


def _assert_nothing_stored(server, user, files_before):
    assert user_tweets(user, user.user_id) == []
    assert profile(user, user.user_id)["tweets_count"] == 0
    assert feed(user) == []
    assert media_files(server) == files_before


def test_ten_photos_are_refused_and_nothing_is_stored(server, user):
    before = media_files(server)
    files = [("content", (None, "ten photos"))]
    files += [("files", (f"p{i}.png", png(1, 1, seed=i), "image/png")) for i in range(10)]
    assert_field_errors(user.post(TWEETS, files=files), {"files": TOO_MANY})
    _assert_nothing_stored(server, user, before)


@pytest.mark.parametrize("bad", [b"this is not an image", b"", b"\x89PNG\r\n\x1a\n", b"%PDF-1.4\n",
                                 b"<svg xmlns='http://www.w3.org/2000/svg'/>"])
def test_non_image_photo_is_refused_and_nothing_is_stored(server, user, bad):
    before = media_files(server)
    files = [("content", (None, "mixed photos"))]
    files += [("files", (f"p{i}.png", png(1, 1, seed=i), "image/png")) for i in range(3)]
    files += [("files", ("bad.png", bad, "image/png"))]
    assert_field_errors(user.post(TWEETS, files=files), {"files": BAD_IMAGE})
    _assert_nothing_stored(server, user, before)


def test_photo_as_text_field_is_refused(server, user):
    before = media_files(server)
    r = user.post(TWEETS, files=[("content", (None, "text as photo")), ("files", (None, "not a file"))])
    assert_field_errors(r, {"files": BAD_IMAGE})
    _assert_nothing_stored(server, user, before)


def test_bad_content_with_photos_stores_nothing(server, user):
    before = media_files(server)
    files = [("content", (None, "abc")), ("files", ("a.png", png(1, 1, seed=5), "image/png"))]
    assert_field_errors(user.post(TWEETS, files=files), {"content": TOO_SHORT}, exact=False)
    _assert_nothing_stored(server, user, before)


def test_photo_size_limit(server, user):
    exact = png(2, 2, size=10 * MIB, seed=8)
    files = [("content", (None, "a big photo")), ("files", ("big.png", exact, "image/png"))]
    t = assert_json(user.post(TWEETS, files=files, timeout=120), 201)
    assert requests.get(t["photo_urls"][0], timeout=120).content == exact
    before = media_files(server)
    files = [("content", (None, "too big photo")),
             ("files", ("big.png", png(2, 2, size=10 * MIB + 1, seed=9), "image/png"))]
    assert_field_errors(user.post(TWEETS, files=files, timeout=120), {"files": PHOTO_TOO_BIG})
    assert [x["id"] for x in user_tweets(user, user.user_id)] == [t["id"]]
    assert media_files(server) == before


# ---------------------------------------------------------------- read


def test_list_requires_user_id(anon):
    assert_json(anon.get(TWEETS), 400, {"success": False, "message": "missing user_id in request"})


@pytest.mark.parametrize("value", ["abc", "1.5", "1e3", "0x10", "12abc"])
def test_list_user_id_not_an_integer(anon, value):
    assert_field_errors(anon.get(TWEETS, params={"user_id": value}), {"user_id": ["A valid integer is required."]})


def test_list_user_id_odd_values_never_500(anon):
    for value in ("", "99999999999999999999", "-1", "0", "%00"):
        r = anon.get(TWEETS, params={"user_id": value})
        assert r.status_code in (200, 400), (value, r.status_code, r.text)
        if r.status_code == 200:
            assert r.json() == EMPTY_PAGE


def test_list_unknown_user_is_empty(anon):
    assert_json(anon.get(TWEETS, params={"user_id": 987654321012}), 200, EMPTY_PAGE)


def test_list_shows_only_that_users_tweets(anon, user, other_user):
    mine = [post_tweet(user)["id"] for _ in range(3)]
    theirs = [post_tweet(other_user)["id"] for _ in range(2)]
    assert [t["id"] for t in user_tweets(anon, user.user_id)] == mine[::-1]
    assert [t["id"] for t in user_tweets(anon, other_user.user_id)] == theirs[::-1]


def test_retrieve_unknown(anon):
    for tid in ("987654321012", "abc", "0", "-1", "99999999999999999999", "1.0"):
        assert_json(anon.get(tweet_path(tid)), 404, NOT_FOUND)


def test_retrieve_by_anyone(user, other_user, anon):
    t = post_tweet(user, "readable by all")
    for c in (user, other_user, anon):
        d = assert_json(c.get(tweet_path(t["id"])), 200)
        assert_tweet_shape(d, user, "readable by all")
        assert d["comments"] == [] and d["likes"] == []
        assert d["has_liked"] is False
    # The path without the final slash is served identically.
    assert assert_json(anon.get(f"{TWEETS}{t['id']}"), 200)["id"] == t["id"]


def test_methods(user, anon):
    t = post_tweet(user)
    r = anon.delete(TWEETS)
    assert r.status_code == 405, r.text
    assert {"GET", "POST"} <= {m.strip() for m in r.headers.get("Allow", "").split(",")}
    r = anon.post(tweet_path(t["id"]), json={"content": "hello world"})
    assert r.status_code == 405, r.text
    assert {"GET", "PUT", "PATCH", "DELETE"} <= {m.strip() for m in r.headers.get("Allow", "").split(",")}
    h = anon.head(tweet_path(t["id"]))
    assert h.status_code == 200 and h.content == b""


def test_nickname_change_shows_in_tweets(user, anon):
    t = post_tweet(user)
    assert_json(user.patch(f"/api/profiles/{user.user_id}/", json={"nickname": "Renamed Bird"}), 200)
    assert assert_json(anon.get(tweet_path(t["id"])), 200)["user"]["nickname"] == "Renamed Bird"
    assert user_tweets(anon, user.user_id)[0]["user"]["nickname"] == "Renamed Bird"
    assert feed(user)[0]["tweet"]["user"]["nickname"] == "Renamed Bird"


# ---------------------------------------------------------------- edit


@pytest.mark.smoke
@pytest.mark.parametrize("method", ["PUT", "PATCH"])
def test_owner_edits_content(server, user, other_user, method):
    follow(other_user, user.user_id)
    t = post_tweet(user, "the first version")
    poll(lambda: feed_tweet_ids(other_user), lambda ids: t["id"] in ids, what="the tweet in the follower's feed")
    r = user.request(method, tweet_path(t["id"]), json={"content": "  the second version  ",
                                                         "created_at": "2001-01-01T00:00:00Z", "likes_count": 7})
    e = assert_json(r, 200)
    assert_tweet_shape(e, user, "the second version")
    assert e["id"] == t["id"]
    assert e["created_at"] == t["created_at"]
    assert ts_us(e["updated_at"]) > ts_us(e["created_at"])
    assert e["likes_count"] == 0
    d = assert_json(Client(server).get(tweet_path(t["id"])), 200)
    assert d["content"] == "the second version" and d["updated_at"] == e["updated_at"]
    assert d["created_at"] == t["created_at"]
    [listed] = user_tweets(Client(server), user.user_id)
    assert listed["content"] == "the second version" and listed["updated_at"] == e["updated_at"]
    [own_item] = [i for i in feed(user) if i["tweet"]["id"] == t["id"]]
    assert own_item["tweet"]["content"] == "the second version"
    assert own_item["created_at"] == t["created_at"]
    [their_item] = [i for i in feed(other_user) if i["tweet"]["id"] == t["id"]]
    assert their_item["tweet"]["content"] == "the second version"
    assert their_item["tweet"]["updated_at"] == e["updated_at"]


def test_edit_validates_content(user):
    t = post_tweet(user, "keep this text")
    p = tweet_path(t["id"])
    assert_field_errors(user.put(p, json={}), {"content": REQUIRED})
    assert_field_errors(user.put(p, json={"likes_count": 3}), {"content": REQUIRED})
    for method in ("PUT", "PATCH"):
        assert_field_errors(user.request(method, p, json={"content": "short"}), {"content": TOO_SHORT})
        assert_field_errors(user.request(method, p, json={"content": "é" * 141}), {"content": TOO_LONG})
        data = assert_json(user.request(method, p, json={"content": None}), 400)
        assert "content" in data["errors"]
    r = user.patch(p, data=b"content=ab%ffcdefgh", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert set(assert_json(r, 400)["errors"]) == {"content"}
    d = assert_json(user.get(p), 200)
    assert d["content"] == "keep this text" and d["updated_at"] == t["updated_at"]


def test_patch_without_content_changes_nothing(user):
    t = post_tweet(user, "unchanged text")
    e = assert_json(user.patch(tweet_path(t["id"]), json={}), 200)
    assert e["content"] == "unchanged text" and e["created_at"] == t["created_at"]
    e = assert_json(user.patch(tweet_path(t["id"]), json={"user": 1, "photo_urls": ["x"]}), 200)
    assert e["content"] == "unchanged text" and e["photo_urls"] == []
    assert assert_json(user.get(tweet_path(t["id"])), 200)["content"] == "unchanged text"


def test_edit_with_form_and_multipart(user):
    t = post_tweet(user, "first text here")
    e = assert_json(user.put(tweet_path(t["id"]), data={"content": "form edited text"}), 200)
    assert e["content"] == "form edited text"
    e = assert_json(user.patch(tweet_path(t["id"]), files={"content": (None, "multipart edited")}), 200)
    assert e["content"] == "multipart edited"


def test_edit_keeps_photos(user):
    img = png(2, 1, seed=77)
    t = assert_json(user.post(TWEETS, files=[("content", (None, "with a photo")),
                                             ("files", ("a.png", img, "image/png"))]), 201)
    e = assert_json(user.patch(tweet_path(t["id"]), json={"content": "still with a photo"}), 200)
    assert e["photo_urls"] == t["photo_urls"]
    assert requests.get(e["photo_urls"][0], timeout=30).content == img


def test_edit_permissions(user, other_user, admin, anon):
    t = post_tweet(user, "owner only edit")
    p = tweet_path(t["id"])
    for method in ("PUT", "PATCH"):
        assert_json(other_user.request(method, p, json={"content": "hacked content"}), 403, NOT_OWNER)
        assert_json(admin.request(method, p, json={"content": "hacked content"}), 403, NOT_OWNER)
        assert_json(anon.request(method, p, json={"content": "hacked content"}), 403, NOT_AUTHENTICATED)
        assert_json(user.request(method, p, json={"content": "hacked content"}, csrf=False), 403,
                    {"detail": "CSRF Failed: CSRF token missing or incorrect."})
        for bad in ("987654321012", "abc", "99999999999999999999"):
            assert_json(user.request(method, tweet_path(bad), json={"content": "hello world"}), 404, NOT_FOUND)
    assert assert_json(anon.get(p), 200)["content"] == "owner only edit"


# ---------------------------------------------------------------- delete


@pytest.mark.smoke
def test_owner_deletes(server, user, other_user, anon):
    follow(other_user, user.user_id)
    keep = post_tweet(user, "this one stays")
    img = png(2, 2, seed=99)
    gone = assert_json(user.post(TWEETS, files=[("content", (None, "this one goes")),
                                                ("files", ("a.png", img, "image/png"))]), 201)
    photo = gone["photo_urls"][0]
    assert requests.get(photo, timeout=30).content == img
    poll(lambda: feed_tweet_ids(other_user), lambda ids: gone["id"] in ids and keep["id"] in ids,
         what="both tweets in the follower's feed")
    assert profile(anon, user.user_id)["tweets_count"] == 2

    assert_json(user.delete(tweet_path(gone["id"])), 200, {"success": True, "deleted": 1})
    assert_json(anon.get(tweet_path(gone["id"])), 404, NOT_FOUND)
    assert [t["id"] for t in user_tweets(anon, user.user_id)] == [keep["id"]]
    assert feed_tweet_ids(user) == [keep["id"]]
    assert profile(anon, user.user_id)["tweets_count"] == 1
    poll(lambda: feed_tweet_ids(other_user), lambda ids: ids == [keep["id"]],
         what="the deleted tweet to leave the follower's feed")
    poll(lambda: requests.get(photo, timeout=30).status_code, lambda s: s == 404,
         what="the deleted tweet's photo to be gone")
    # Deleting again, editing the deleted tweet: 404.
    assert_json(user.delete(tweet_path(gone["id"])), 404, NOT_FOUND)
    assert_json(user.patch(tweet_path(gone["id"]), json={"content": "resurrected"}), 404, NOT_FOUND)


def test_delete_permissions(user, other_user, admin, anon):
    t = post_tweet(user)
    p = tweet_path(t["id"])
    assert_json(other_user.delete(p), 403, NOT_OWNER)
    assert_json(admin.delete(p), 403, NOT_OWNER)
    assert_json(anon.delete(p), 403, NOT_AUTHENTICATED)
    assert_json(user.delete(p, csrf=False), 403, {"detail": "CSRF Failed: CSRF token missing or incorrect."})
    for bad in ("987654321012", "abc", "-1", "99999999999999999999"):
        assert_json(user.delete(tweet_path(bad)), 404, NOT_FOUND)
    assert assert_json(anon.get(p), 200)["id"] == t["id"]
    assert profile(anon, user.user_id)["tweets_count"] == 1


def test_tweets_count_follows_creates_and_deletes(user, anon):
    ids = [post_tweet(user)["id"] for _ in range(4)]
    assert profile(anon, user.user_id)["tweets_count"] == 4
    for i, tid in enumerate(ids[:3]):
        assert_json(user.delete(tweet_path(tid)), 200, {"success": True, "deleted": 1})
        assert profile(anon, user.user_id)["tweets_count"] == 3 - i
    assert [t["id"] for t in user_tweets(anon, user.user_id)] == [ids[3]]


# ---------------------------------------------------------------- pagination (SPEC §1.6)


def _post_many(user: Client, n: int, threads: int = 8) -> list[dict]:
    """n tweets posted concurrently by one user (several connections of the same session)."""
    clients = [clone_client(user) for _ in range(threads)]
    barrier = threading.Barrier(threads)

    def work(i):
        c = clients[i]
        barrier.wait()
        return [post_tweet(c, f"paged tweet {i}-{k} {user.user_id}") for k in range(i, n, threads)]

    with ThreadPoolExecutor(threads) as pool:
        return [t for batch in pool.map(work, range(threads)) for t in batch]


@pytest.fixture(scope="module")
def paged_author(server):
    """A user with 45 tweets posted concurrently, and their full list (newest first)."""
    author = signup(server)
    posted = _post_many(author, 45)
    stamps = [ts_us(t["created_at"]) for t in posted]
    assert len(set(stamps)) == 45, "tweets share a created_at"
    full = sorted(posted, key=lambda t: ts_us(t["created_at"]), reverse=True)
    return author, full


def test_default_page_size_is_20(anon, paged_author):
    author, full = paged_author
    data = assert_json(anon.get(TWEETS, params={"user_id": author.user_id}), 200)
    assert data["has_next_page"] is True
    assert [t["id"] for t in data["results"]] == [t["id"] for t in full[:20]]


@pytest.mark.parametrize("page_size", [7, 9, 15, 45, 100, 1])
def test_paging_is_complete_without_overlap(anon, paged_author, page_size):
    author, full = paged_author
    got = page_through(anon, TWEETS, page_size, user_id=author.user_id)
    assert [t["id"] for t in got] == [t["id"] for t in full]


def test_has_next_page_is_exact(anon, paged_author):
    author, full = paged_author
    data = assert_json(anon.get(TWEETS, params={"user_id": author.user_id, "page_size": 45}), 200)
    assert data["has_next_page"] is False and len(data["results"]) == 45
    data = assert_json(anon.get(TWEETS, params={"user_id": author.user_id, "page_size": 44}), 200)
    assert data["has_next_page"] is True and len(data["results"]) == 44
    last = full[-1]["created_at"]
    data = assert_json(anon.get(TWEETS, params={"user_id": author.user_id, "created_at__lt": last}), 200)
    assert data == EMPTY_PAGE


def test_paging_exact_multiple(server, anon):
    author = signup(server)
    posted = _post_many(author, 21, threads=3)
    expected = [t["id"] for t in sorted(posted, key=lambda t: t["created_at"], reverse=True)]
    pages = []
    cursor = None
    while True:
        params = {"user_id": author.user_id, "page_size": 7}
        if cursor:
            params["created_at__lt"] = cursor
        data = assert_json(anon.get(TWEETS, params=params), 200)
        pages.append(data)
        if not data["has_next_page"]:
            break
        cursor = data["results"][-1]["created_at"]
    assert [len(p["results"]) for p in pages] == [7, 7, 7]
    assert [p["has_next_page"] for p in pages] == [True, True, False]
    assert [t["id"] for p in pages for t in p["results"]] == expected


@pytest.mark.parametrize("digits", [6, 3, 1, 0])
@pytest.mark.parametrize("offset", [None, 0, 60, -330])
def test_cursor_formats_lt(anon, paged_author, digits, offset):
    author, full = paged_author
    pivot = ts_us(full[17]["created_at"])
    cursor_us = truncated(pivot, digits)
    expected = [t["id"] for t in full if ts_us(t["created_at"]) < cursor_us][:5]
    cursor = iso(pivot, digits, offset)
    data = assert_json(anon.get(TWEETS, params={"user_id": author.user_id, "page_size": 5,
                                                "created_at__lt": cursor}), 200)
    assert [t["id"] for t in data["results"]] == expected, cursor


@pytest.mark.parametrize("digits", [6, 2, 0])
@pytest.mark.parametrize("offset", [None, 0, 330, -300])
def test_cursor_formats_gt(anon, paged_author, digits, offset):
    author, full = paged_author
    pivot = ts_us(full[30]["created_at"])
    cursor_us = truncated(pivot, digits)
    expected = [t["id"] for t in full if ts_us(t["created_at"]) > cursor_us]
    cursor = iso(pivot, digits, offset)
    data = assert_json(anon.get(TWEETS, params={"user_id": author.user_id, "page_size": 3,
                                                "created_at__gt": cursor}), 200)
    assert [t["id"] for t in data["results"]] == expected, cursor
    assert data["has_next_page"] is False


def test_cursor_as_integer_microseconds(anon, paged_author):
    author, full = paged_author
    pivot = ts_us(full[10]["created_at"])
    data = assert_json(anon.get(TWEETS, params={"user_id": author.user_id, "page_size": 4,
                                                "created_at__lt": str(pivot)}), 200)
    assert [t["id"] for t in data["results"]] == [t["id"] for t in full[11:15]]
    data = assert_json(anon.get(TWEETS, params={"user_id": author.user_id, "created_at__gt": str(pivot)}), 200)
    assert [t["id"] for t in data["results"]] == [t["id"] for t in full[:10]]
    # A cursor just one microsecond off moves the boundary by exactly one item.
    data = assert_json(anon.get(TWEETS, params={"user_id": author.user_id, "page_size": 4,
                                                "created_at__lt": str(pivot + 1)}), 200)
    assert [t["id"] for t in data["results"]] == [t["id"] for t in full[10:14]]


def test_gt_ignores_page_size_and_wins_over_lt(anon, paged_author):
    author, full = paged_author
    oldest = full[-1]["created_at"]
    data = assert_json(anon.get(TWEETS, params={"user_id": author.user_id, "page_size": 2,
                                                "created_at__gt": oldest}), 200)
    assert [t["id"] for t in data["results"]] == [t["id"] for t in full[:-1]]
    assert data["has_next_page"] is False
    data = assert_json(anon.get(TWEETS, params={"user_id": author.user_id, "created_at__gt": full[5]["created_at"],
                                                "created_at__lt": full[40]["created_at"]}), 200)
    assert [t["id"] for t in data["results"]] == [t["id"] for t in full[:5]]
    data = assert_json(anon.get(TWEETS, params={"user_id": author.user_id, "created_at__gt": full[0]["created_at"]}),
                       200)
    assert data == EMPTY_PAGE


@pytest.mark.parametrize("value", ["0", "101", "x", "", "-1", "1.5", "99999999999999999999"])
def test_bad_page_size(anon, paged_author, value):
    author, _ = paged_author
    data = assert_json(anon.get(TWEETS, params={"user_id": author.user_id, "page_size": value}), 400)
    assert data.get("success") is False and set(data["errors"]) == {"page_size"}, data


@pytest.mark.parametrize("value", ["yesterday", "2026-13-01T00:00:00Z", "2026-01-32T00:00:00Z", "2026-01-01",
                                   "2026-01-01T25:00:00Z", "2026-01-01T00:00:00.1234567Z", "2026-01-01T00:00:00+25:00",
                                   "1.5", "2026-01-01T00:00:00", "12abc"])
@pytest.mark.parametrize("param", ["created_at__lt", "created_at__gt"])
def test_bad_cursor(anon, paged_author, param, value):
    author, _ = paged_author
    data = assert_json(anon.get(TWEETS, params={"user_id": author.user_id, param: value}), 400)
    assert data.get("success") is False and set(data["errors"]) == {param}, data


def test_concurrent_posts_by_many_users_have_distinct_timestamps(server):
    authors = [signup(server) for _ in range(6)]
    barrier = threading.Barrier(6)

    def work(c):
        barrier.wait()
        return [post_tweet(c)["created_at"] for _ in range(10)]

    with ThreadPoolExecutor(6) as pool:
        stamps = [s for batch in pool.map(work, authors) for s in batch]
    assert len(set(stamps)) == len(stamps), "two tweets share a created_at"


def test_json_body_is_not_object(user):
    for body in (b"[]", b'"hello world"', b"null", b"42"):
        r = user.post(TWEETS, data=body, headers={"Content-Type": "application/json"})
        assert assert_json(r, 400)["detail"].startswith("JSON parse error - ")
    r = user.post(TWEETS, data=json.dumps({"content": "x" * 10}), headers={"Content-Type": "text/plain"})
    assert r.status_code == 415


def test_gt_returns_at_most_1000(server):
    """Pull to refresh is bounded: 1000 newest items, has_next_page only when more exist (SPEC §1.6)."""
    author = signup(server)
    posted = _post_many(author, 1001)
    full = sorted(posted, key=lambda t: ts_us(t["created_at"]), reverse=True)
    oldest = ts_us(full[-1]["created_at"])
    anon = Client(server)
    data = assert_json(anon.get(TWEETS, params={"user_id": author.user_id, "created_at__gt": str(oldest - 1)}), 200)
    assert data["has_next_page"] is True
    assert [t["id"] for t in data["results"]] == [t["id"] for t in full[:1000]]
    data = assert_json(anon.get(TWEETS, params={"user_id": author.user_id, "created_at__gt": full[-1]["created_at"],
                                                "page_size": 10}), 200)
    assert data["has_next_page"] is False
    assert [t["id"] for t in data["results"]] == [t["id"] for t in full[:1000]]
