"""SPEC §1.9: fixed-window rate limits, against a server of its own with limits on."""

import time

import pytest
import requests

from conftest import assert_json, new_password, unique_name

STATUS = "/api/accounts/login_status/"
TOO_MANY = {"detail": "Too many requests, try again later."}

_last_request = [0.0]


def fresh_window():
    """Wait until the start of a second that is at least one full second after this module's previous
    request, so that whatever the window's alignment, the burst starts in an unused window."""
    earliest = _last_request[0] + 1.05
    now = time.time()
    target = max(int(now) + 1, int(earliest) + 1)
    time.sleep(max(0.0, target - time.time()) + 0.005)


def burst(send, n=6):
    """n requests as fast as possible; returns the responses."""
    out = []
    try:
        for i in range(n):
            out.append(send(i))
    finally:
        _last_request[0] = time.time()
    return out


def check_burst(responses):
    statuses = [r.status_code for r in responses]
    assert 429 not in statuses[:3], statuses
    limited = [r for r in responses if r.status_code == 429]
    assert limited, f"no 429 in a burst of {len(responses)}: {statuses}"
    for r in limited:
        assert_json(r, 429, TOO_MANY)
        retry = r.headers.get("Retry-After")
        assert retry is not None and retry.isdigit() and int(retry) >= 1, retry
        assert r.headers.get("X-Request-Id")
    return limited


@pytest.mark.smoke
def test_login_status_limited_per_ip_and_recovers(limited_server):
    url = limited_server.url(STATUS)
    fresh_window()
    s = requests.Session()
    limited = check_burst(burst(lambda i: s.get(url, timeout=30)))
    time.sleep(int(limited[0].headers["Retry-After"]))
    r = s.get(url, timeout=30)
    _last_request[0] = time.time()
    assert_json(r, 200)


def test_login_limited(limited_server):
    url = limited_server.url("/api/accounts/login/")
    fresh_window()
    responses = burst(lambda i: requests.post(url, json={"username": "ghost_user", "password": "abcdefg"},
                                              timeout=30))
    limited = check_burst(responses)
    for r in responses:
        if r.status_code != 429:
            assert_json(r, 400, {"success": False, "message": "User does not exist."})
    assert limited


def test_signup_limited(limited_server):
    url = limited_server.url("/api/accounts/signup/")
    fresh_window()

    def send(i):
        name = unique_name()
        return requests.post(url, json={"username": name, "email": f"{name}@example.com",
                                        "password": new_password()}, timeout=30)

    responses = burst(send)
    check_burst(responses)
    for r in responses[:3]:
        assert r.status_code == 201, r.text


def test_token_limited(limited_server):
    url = limited_server.url("/api/accounts/token/")
    fresh_window()
    check_burst(burst(lambda i: requests.post(url, json={"username": "ghost_user", "password": "x" * 8},
                                              timeout=30)))


def test_logout_limited(limited_server):
    url = limited_server.url("/api/accounts/logout/")
    fresh_window()
    check_burst(burst(lambda i: requests.post(url, timeout=30)))


def test_accounts_keyed_by_ip_even_when_logged_in(limited_server):
    """Different sessions from one IP share the accounts bucket."""
    url = limited_server.url(STATUS)
    fresh_window()
    sessions = [requests.Session() for _ in range(6)]
    check_burst(burst(lambda i: sessions[i].get(url, timeout=30)))


def test_unlimited_paths_are_not_limited(limited_server):
    fresh_window()
    responses = burst(lambda i: requests.get(limited_server.url("/healthz"), timeout=30), n=10)
    assert [r.status_code for r in responses] == [200] * 10


def test_limits_off_means_no_429(server):
    url = server.url(STATUS)
    statuses = [requests.get(url, timeout=30).status_code for _ in range(15)]
    assert statuses == [200] * 15
