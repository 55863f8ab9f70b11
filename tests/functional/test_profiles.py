"""SPEC §4 profiles: read by anyone, nickname and avatar changed by the owner."""


import pytest
import requests

from conftest import (NOT_AUTHENTICATED, NOT_FOUND, NOT_OWNER, Client, assert_field_errors, assert_json)
from images import GIF, JPEG, WEBP, png

MIB = 1024 * 1024
BAD_IMAGE = ["Upload a valid image."]
TOO_BIG = ["Ensure this file is at most 5 MiB."]


def path(c_or_id) -> str:
    uid = c_or_id if isinstance(c_or_id, int) else c_or_id.user_id
    return f"/api/profiles/{uid}/"


def assert_media_url(server, url: str):
    assert url.startswith(server.url("/media/avatars/")), url


# ---------------------------------------------------------------- reading


@pytest.mark.smoke
def test_new_profile(anon, user):
    data = assert_json(anon.get(path(user)), 200)
    expected = {
        "id": user.user_id,
        "user": {"id": user.user_id, "username": user.user["username"], "nickname": None, "avatar_url": None},
        "nickname": None,
        "avatar_url": None,
        "followers_count": 0,
        "followings_count": 0,
        "tweets_count": 0,
        "has_followed": False,
    }
    assert {k: data.get(k) for k in expected} == expected, data
    assert {k: data["user"].get(k) for k in expected["user"]} == expected["user"]


def test_profile_read_by_owner_and_by_others(user, other_user):
    mine = assert_json(user.get(path(user)), 200)
    theirs = assert_json(other_user.get(path(user)), 200)
    assert mine == theirs
    assert mine["has_followed"] is False


@pytest.mark.parametrize("pid", ["999999999", "abc", "-1", "0", "99999999999999999999", "1a", "%20"])
def test_profile_unknown_id(anon, pid):
    assert_json(anon.get(f"/api/profiles/{pid}/"), 404, NOT_FOUND)


# ---------------------------------------------------------------- nickname


@pytest.mark.smoke
@pytest.mark.parametrize("method", ["PATCH", "PUT"])
def test_owner_sets_nickname(user, method):
    r = user.request(method, path(user), json={"nickname": "  Alice Liddell  "})
    data = assert_json(r, 200)
    assert data["nickname"] == "Alice Liddell"
    assert data["avatar"] is None and data["avatar_url"] is None
    profile = assert_json(Client(user.server).get(path(user)), 200)
    assert profile["nickname"] == "Alice Liddell"
    assert profile["user"]["nickname"] == "Alice Liddell"


@pytest.mark.parametrize("kind", ["form", "multipart"])
def test_nickname_from_form_bodies(user, kind):
    if kind == "form":
        r = user.patch(path(user), data={"nickname": "héllo wörld"})
    else:
        r = user.patch(path(user), files={"nickname": (None, "héllo wörld")})
    assert assert_json(r, 200)["nickname"] == "héllo wörld"


def test_nickname_may_be_empty(user):
    assert_json(user.patch(path(user), json={"nickname": "first"}), 200)
    assert assert_json(user.patch(path(user), json={"nickname": ""}), 200)["nickname"] == ""
    assert assert_json(user.get(path(user)), 200)["nickname"] == ""
    assert assert_json(user.patch(path(user), json={"nickname": "   "}), 200)["nickname"] == ""


def test_nickname_length_counts_code_points(user):
    assert assert_json(user.patch(path(user), json={"nickname": "é" * 200}), 200)["nickname"] == "é" * 200
    r = user.patch(path(user), json={"nickname": "é" * 201})
    assert_field_errors(r, {"nickname": ["Ensure this field has no more than 200 characters."]})
    r = user.patch(path(user), json={"nickname": "x" * 5000})
    assert_field_errors(r, {"nickname": ["Ensure this field has no more than 200 characters."]})
    assert assert_json(user.get(path(user)), 200)["nickname"] == "é" * 200


def test_nickname_emoji_and_cjk_round_trip(user):
    nick = "🐦 チャープ 😀"
    assert assert_json(user.patch(path(user), json={"nickname": nick}), 200)["nickname"] == nick
    assert assert_json(user.get(path(user)), 200)["nickname"] == nick


@pytest.mark.parametrize("method", ["PATCH", "PUT"])
def test_update_without_fields_changes_nothing(user, method):
    assert_json(user.patch(path(user), json={"nickname": "keep me"}), 200)
    data = assert_json(user.request(method, path(user), json={}), 200)
    assert data["nickname"] == "keep me"
    assert assert_json(user.get(path(user)), 200)["nickname"] == "keep me"


def test_unknown_fields_are_ignored(user):
    r = user.patch(path(user), json={"nickname": "nick", "followers_count": 99, "id": 1, "user": 5})
    assert assert_json(r, 200)["nickname"] == "nick"
    data = assert_json(user.get(path(user)), 200)
    assert data["followers_count"] == 0 and data["id"] == user.user_id


@pytest.mark.parametrize("value", [{"a": 1}, ["x"], True])
def test_nickname_non_string(user, value):
    data = assert_json(user.patch(path(user), json={"nickname": value}), 400)
    assert "nickname" in data["errors"]


def test_broken_utf8_nickname_in_form(user):
    r = user.patch(path(user), data=b"nickname=%ff%fe", headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert assert_json(r, 400)["errors"].keys() == {"nickname"}
    r = user.patch(path(user), files={"nickname": (None, b"ab\xff\xfecd")})
    assert assert_json(r, 400)["errors"].keys() == {"nickname"}


def test_broken_utf8_nickname_in_json(user):
    r = user.patch(path(user), data=b'{"nickname": "ab\xff\xfe"}', headers={"Content-Type": "application/json"})
    assert assert_json(r, 400)["detail"].startswith("JSON parse error - ")


# ---------------------------------------------------------------- permissions


@pytest.mark.smoke
def test_other_user_cannot_update(user, other_user):
    for method in ("PATCH", "PUT"):
        r = other_user.request(method, path(user), json={"nickname": "hacked"})
        assert_json(r, 403, NOT_OWNER)
    r = other_user.patch(path(user), files={"avatar": ("a.png", png(), "image/png")})
    assert_json(r, 403, NOT_OWNER)
    assert assert_json(user.get(path(user)), 200)["nickname"] is None


def test_anonymous_cannot_update(anon, user):
    for method in ("PATCH", "PUT"):
        assert_json(anon.request(method, path(user), json={"nickname": "x"}), 403, NOT_AUTHENTICATED)


def test_update_unknown_profile(user):
    assert_json(user.patch(path(999999999), json={"nickname": "x"}), 404, NOT_FOUND)
    assert_json(user.patch("/api/profiles/abc/", json={"nickname": "x"}), 404, NOT_FOUND)


def test_admin_is_not_the_owner(admin, user):
    assert_json(admin.patch(path(user), json={"nickname": "x"}), 403, NOT_OWNER)


def test_profile_delete_and_post_not_allowed(user):
    for method in ("DELETE", "POST"):
        r = user.request(method, path(user))
        assert r.status_code == 405, r.text
        allow = {m.strip() for m in r.headers.get("Allow", "").split(",")}
        assert {"GET", "PUT", "PATCH"} <= allow


# ---------------------------------------------------------------- avatars


@pytest.mark.smoke
@pytest.mark.parametrize("name,content,ctype", [
    ("a.png", png(3, 2), "image/png"),
    ("a.jpg", JPEG, "image/jpeg"),
    ("a.gif", GIF, "image/gif"),
    ("a.webp", WEBP, "image/webp"),
])
def test_avatar_upload_is_served_byte_for_byte(server, user, name, content, ctype):
    r = user.patch(path(user), files={"avatar": (name, content, ctype)})
    data = assert_json(r, 200)
    assert set(data) >= {"nickname", "avatar", "avatar_url"}
    assert data["avatar"] == data["avatar_url"]
    assert_media_url(server, data["avatar_url"])
    got = requests.get(data["avatar_url"], timeout=30)
    assert got.status_code == 200
    assert got.content == content
    assert got.headers["Content-Type"].split(";")[0] == ctype
    profile = assert_json(Client(server).get(path(user)), 200)
    assert profile["avatar_url"] == data["avatar_url"]
    assert profile["user"]["avatar_url"] == data["avatar_url"]


def test_avatar_type_is_judged_by_content(server, user):
    content = png(2, 2, seed=7)
    r = user.patch(path(user), files={"avatar": ("x.txt", content, "text/plain")})
    data = assert_json(r, 200)
    got = requests.get(data["avatar_url"], timeout=30)
    assert got.content == content
    assert got.headers["Content-Type"].startswith("image/png")


@pytest.mark.parametrize("content", [b"this is not an image", b"", b"\x89PNG", b"GIF8", b"RIFF\x00\x00\x00\x00WAVE",
                                     b"<svg xmlns='http://www.w3.org/2000/svg'/>", b"%PDF-1.4\n"])
def test_non_image_avatar_is_refused(user, content):
    r = user.patch(path(user), files={"avatar": ("a.png", content, "image/png")})
    assert_field_errors(r, {"avatar": BAD_IMAGE})
    assert assert_json(user.get(path(user)), 200)["avatar_url"] is None


def test_avatar_as_plain_text_field_is_refused(user):
    r = user.patch(path(user), files={"avatar": (None, "not a file")})
    assert_field_errors(r, {"avatar": BAD_IMAGE})
    r = user.patch(path(user), json={"avatar": "http://example.com/x.png"})
    assert_field_errors(r, {"avatar": BAD_IMAGE})


def test_avatar_size_limit(server, user):
    exact = png(4, 4, size=5 * MIB, seed=3)
    r = user.patch(path(user), files={"avatar": ("big.png", exact, "image/png")})
    data = assert_json(r, 200)
    assert requests.get(data["avatar_url"], timeout=60).content == exact
    r = user.patch(path(user), files={"avatar": ("big.png", png(4, 4, size=5 * MIB + 1), "image/png")})
    assert_field_errors(r, {"avatar": TOO_BIG})
    # The previous avatar is still in place.
    assert assert_json(user.get(path(user)), 200)["avatar_url"] == data["avatar_url"]


def test_avatar_and_nickname_together_and_replacement(server, user):
    first = png(1, 1, seed=1)
    second = png(1, 1, seed=2)
    r1 = assert_json(user.patch(path(user), files={"avatar": ("a.png", first, "image/png"),
                                                   "nickname": (None, "  Pic  ")}), 200)
    assert r1["nickname"] == "Pic"
    r2 = assert_json(user.put(path(user), files={"avatar": ("a.png", second, "image/png")}), 200)
    assert r2["nickname"] == "Pic"
    assert r2["avatar_url"] != r1["avatar_url"]
    assert requests.get(r2["avatar_url"], timeout=30).content == second
    assert assert_json(user.get(path(user)), 200)["avatar_url"] == r2["avatar_url"]
    # A nickname-only update keeps the avatar.
    r3 = assert_json(user.patch(path(user), json={"nickname": "Pic2"}), 200)
    assert r3["avatar_url"] == r2["avatar_url"]


def test_avatar_urls_differ_between_users(server, user, other_user):
    content = png(1, 1, seed=9)
    a = assert_json(user.patch(path(user), files={"avatar": ("a.png", content, "image/png")}), 200)
    b = assert_json(other_user.patch(path(other_user), files={"avatar": ("a.png", content, "image/png")}), 200)
    assert a["avatar_url"] != b["avatar_url"]


def test_avatar_filename_cannot_escape_media_dir(server, user):
    content = png(1, 1, seed=11)
    r = user.patch(path(user), files={"avatar": ("../../../../tmp/evil.png", content, "image/png")})
    data = assert_json(r, 200)
    assert_media_url(server, data["avatar_url"])
    assert ".." not in data["avatar_url"]
    assert requests.get(data["avatar_url"], timeout=30).content == content


def test_avatar_with_token_auth(server, user):
    from conftest import token_client
    c = token_client(server, user.user["username"], user.password)
    r = c.patch(path(user), files={"avatar": ("a.gif", GIF, "image/gif")})
    assert_media_url(server, assert_json(r, 200)["avatar_url"])


def test_media_unknown_file_is_404(server):
    r = requests.get(server.url("/media/avatars/does-not-exist.png"), timeout=30)
    assert r.status_code == 404
    r = requests.get(server.url("/media/chirp.db"), timeout=30)
    assert r.status_code == 404

