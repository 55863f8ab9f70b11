"""SPEC §12: health, readiness, metrics, request ids."""

import re

import pytest
import requests

from conftest import assert_json


@pytest.mark.smoke
@pytest.mark.parametrize("p", ["/healthz", "/readyz"])
def test_health_and_readiness(server, p):
    r = requests.get(server.url(p), timeout=30)
    assert_json(r, 200, {"status": "ok"})
    h = requests.head(server.url(p), timeout=30)
    assert h.status_code == 200 and h.content == b""


def test_health_ignores_authentication(server):
    r = requests.get(server.url("/healthz"), headers={"Authorization": "Token revoked-or-unknown"}, timeout=30)
    assert_json(r, 200, {"status": "ok"})


@pytest.mark.smoke
def test_every_response_has_a_request_id(server, anon):
    responses = [
        anon.get("/healthz"),
        anon.get("/api/accounts/login_status/"),
        anon.get("/api/nope/"),
        anon.patch("/api/accounts/login_status/"),
        anon.get("/api/users/"),
        anon.post("/api/accounts/login/", data=b"{", headers={"Content-Type": "application/json"}),
    ]
    ids = [r.headers.get("X-Request-Id") for r in responses]
    assert all(ids), [(r.url, r.status_code, dict(r.headers)) for r in responses]
    assert len(set(ids)) == len(ids), "request ids repeat"


@pytest.mark.parametrize("rid", ["abc-123", "0f8fad5b-d9cb-469f-a165-70867728950e"])
def test_request_id_is_echoed(anon, rid):
    r = anon.get("/api/accounts/login_status/", headers={"X-Request-Id": rid})
    assert r.headers.get("X-Request-Id") == rid
    r = anon.get("/api/nope/", headers={"X-Request-Id": rid})
    assert r.headers.get("X-Request-Id") == rid


def test_metrics_prometheus_text(server, user):
    # Make sure a route with an id has been used, then check that the raw id never becomes a label.
    assert requests.get(server.url(f"/api/profiles/{user.user_id}/"), timeout=30).status_code == 200
    r = requests.get(server.url("/metrics"), timeout=30)
    assert r.status_code == 200
    assert r.headers.get("Content-Type", "").startswith("text/plain")
    text = r.text
    assert "chirp_http_requests_total" in text
    assert "chirp_http_request_duration_seconds" in text
    assert re.search(r'chirp_http_requests_total\{[^}]*route="/api/profiles/\{id\}/"', text), text[:3000]
    assert f"/api/profiles/{user.user_id}/" not in text
    for line in text.splitlines():
        if line and not line.startswith("#"):
            assert re.match(r"^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})? [-+0-9.eEinfNa]+( \d+)?$", line), line
