"""SPEC §2: the web client at `/` and `/static/...` (files compiled into the binary); every other path,
and every API path, answers as before (404s in the JSON envelope)."""

import re

import pytest
import requests

from conftest import NOT_FOUND, assert_json

HTML = "text/html; charset=utf-8"
JS = "text/javascript; charset=utf-8"
CSS = "text/css; charset=utf-8"


def get(server, path, **kwargs):
    return requests.get(server.url(path), timeout=30, **kwargs)


@pytest.mark.smoke
def test_root_serves_the_client(server):
    r = get(server, "/")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == HTML
    assert r.headers.get("ETag", "").startswith('"')
    assert r.headers.get("Cache-Control") == "no-cache"
    assert "<title>chirp</title>" in r.text
    assert '<script type="module" src="/static/js/main.js"></script>' in r.text


def test_static_files_have_their_content_types(server):
    index = get(server, "/").text
    linked = re.findall(r'(?:src|href)="(/static/[^"]+)"', index)
    assert "/static/js/main.js" in linked and "/static/css/app.css" in linked
    for path, ctype in [("/static/js/main.js", JS), ("/static/js/api.js", JS), ("/static/css/app.css", CSS),
                        ("/static/favicon.svg", "image/svg+xml")]:
        r = get(server, path)
        assert r.status_code == 200, path
        assert r.headers["Content-Type"] == ctype, path
        assert r.content, path


def test_modules_import_only_files_that_are_served(server):
    """Every relative import of every module resolves to a served file (no 404 in the browser)."""
    todo, seen = ["js/main.js"], set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        r = get(server, "/static/" + path)
        assert r.status_code == 200 and r.headers["Content-Type"] == JS, path
        base = path.rsplit("/", 1)[0]
        for spec in re.findall(r"""from\s+'(\.{1,2}/[^']+)'""", r.text):
            parts = base.split("/")
            for part in spec.split("/"):
                if part == "..":
                    parts.pop()
                elif part != ".":
                    parts.append(part)
            todo.append("/".join(parts))
    assert len(seen) >= 5


def test_no_inline_scripts_styles_or_eval(server):
    """A later Content-Security-Policy (default-src 'self') must not break the client."""
    index = get(server, "/").text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", index), "inline <script>"
    assert "<style" not in index and " style=" not in index
    assert not re.search(r"\bon[a-z]+=", index), "inline event handler"
    main = get(server, "/static/js/main.js").text
    assert "eval(" not in main and "new Function" not in main


def test_etag_revalidation_gives_304(server):
    r = get(server, "/static/js/main.js")
    etag = r.headers["ETag"]
    again = get(server, "/static/js/main.js", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers.get("ETag") == etag
    assert get(server, "/static/js/main.js", headers={"If-None-Match": f'"other", W/{etag}'}).status_code == 304
    assert get(server, "/static/js/main.js", headers={"If-None-Match": '"other"'}).status_code == 200
    assert get(server, "/", headers={"If-None-Match": etag}).status_code == 200  # another file's tag


def test_head_and_methods(server):
    h = requests.head(server.url("/"), timeout=30)
    assert h.status_code == 200 and h.content == b"" and h.headers["Content-Type"] == HTML
    r = requests.post(server.url("/"), timeout=30)
    assert_json(r, 405, {"detail": 'Method "POST" not allowed.'})
    assert "GET" in r.headers["Allow"]


@pytest.mark.smoke
@pytest.mark.parametrize("path", ["/static/nope.js", "/static/js/../../etc/passwd", "/static/", "/index.html",
                                  "/login", "/users/1", "/favicon.ico", "/api/nope/", "/api/", "/api"])
def test_unknown_paths_stay_json_404(server, path):
    assert_json(get(server, path), 404, NOT_FOUND)


def test_api_paths_answer_as_before(server, anon):
    assert_json(anon.get("/api/accounts/login_status/"), 200)["has_logged_in"] is False
    assert_json(anon.get("/api/tweets/99999999/"), 404, NOT_FOUND)
    assert_json(get(server, "/healthz"), 200, {"status": "ok"})
    assert get(server, "/metrics").headers["Content-Type"].startswith("text/plain")
