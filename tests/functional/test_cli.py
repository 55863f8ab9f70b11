"""DESIGN.md §1 command-line contract: subcommands, flags, environment variables, exit codes."""

import subprocess
import time

import pytest
import requests

from conftest import (ChirpServer, assert_json, chirp_bin, database_url, free_port, new_password, run_cli,
                      storage_args, unique_name)


def output(r) -> str:
    return r.stdout + r.stderr


# ---------------------------------------------------------------- help and usage errors


@pytest.mark.smoke
def test_help(tmp_path):
    r = run_cli("--help")
    assert r.returncode == 0, output(r)
    for word in ("serve", "migrate", "createsuperuser"):
        assert word in output(r)


def test_serve_help_lists_flags():
    r = run_cli("serve", "--help")
    assert r.returncode == 0, output(r)
    for flag in ("--listen", "--data-dir", "--rate-limits", "--password-cost", "--database-url"):
        assert flag in output(r), flag


@pytest.mark.parametrize("cmd", ["createsuperuser", "migrate"])
def test_subcommand_help(cmd):
    r = run_cli(cmd, "--help")
    assert r.returncode == 0, output(r)
    assert "--data-dir" in output(r)


def test_unknown_subcommand():
    r = run_cli("frobnicate")
    assert r.returncode == 2, output(r)
    assert r.stderr.strip()


def test_no_subcommand_is_usage_error():
    r = run_cli()
    assert r.returncode == 2, output(r)
    assert r.stderr.strip()


@pytest.mark.parametrize("args", [
    ["createsuperuser", "--email", "a@example.com", "--password", "abcdefg"],
    ["createsuperuser", "--username", "someone", "--password", "abcdefg"],
    ["createsuperuser", "--username", "someone", "--email", "a@example.com", "--bogus-flag", "1"],
    ["serve", "--no-such-flag"],
    ["serve", "--rate-limits", "sometimes"],
    ["serve", "--password-cost", "extreme"],
    ["migrate", "--no-such-flag"],
    ["createsuperuser", "--username"],
])
def test_bad_usage_exits_2(tmp_path, args):
    r = run_cli(*args, *storage_args(tmp_path / "data"), timeout=30)
    assert r.returncode == 2, output(r)
    assert r.stderr.strip(), "no message on stderr"


# ---------------------------------------------------------------- storage commands


def test_migrate_is_idempotent(tmp_path):
    for _ in range(2):
        r = run_cli("migrate", *storage_args(tmp_path / "data"))
        assert r.returncode == 0, output(r)
    if not database_url():
        assert (tmp_path / "data" / "chirp.db").exists()


@pytest.mark.smoke
def test_createsuperuser_before_first_serve_then_login_as_admin(tmp_path):
    data = tmp_path / "data"
    name, pw = unique_name("boss"), new_password()
    r = run_cli("createsuperuser", "--username", name, "--email", f"{name}@Example.com", "--password", pw,
                *storage_args(data), "--password-cost", "min")
    assert r.returncode == 0, output(r)
    assert pw not in output(r)
    srv = ChirpServer(tmp_path).start()
    try:
        s = requests.Session()
        r = s.post(srv.url("/api/accounts/login/"), json={"username": name, "password": pw}, timeout=30)
        user = assert_json(r, 200)["user"]
        assert user["username"] == name and user["email"] == f"{name}@example.com"
        r = s.get(srv.url(f"/api/users/{user['id']}/"), timeout=30)
        assert assert_json(r, 200)["is_staff"] is True
        # The admin has a profile like everyone.
        assert s.get(srv.url(f"/api/profiles/{user['id']}/"), timeout=30).status_code == 200
    finally:
        srv.stop_and_check()


def test_createsuperuser_duplicate_fails(tmp_path):
    data = tmp_path / "data"
    name = unique_name("boss")
    args = ["createsuperuser", "--username", name, "--email", f"{name}@example.com", "--password", new_password(),
            *storage_args(data), "--password-cost", "min"]
    assert run_cli(*args).returncode == 0
    r = run_cli(*args)
    assert r.returncode == 1, output(r)
    assert r.stderr.strip()


def test_createsuperuser_rejects_invalid_username(tmp_path):
    r = run_cli("createsuperuser", "--username", "no spaces here", "--email", "x@example.com",
                "--password", new_password(), *storage_args(tmp_path / "data"), "--password-cost", "min")
    assert r.returncode != 0, output(r)
    assert r.stderr.strip()


# ---------------------------------------------------------------- environment variables


def env_storage(data_dir) -> dict:
    env = {"CHIRP_DATA_DIR": str(data_dir)}
    if database_url():
        env["CHIRP_DATABASE_URL"] = database_url()
    return env


def test_serve_configured_by_environment(tmp_path):
    port = free_port()
    env = env_storage(tmp_path / "envdata") | {
        "CHIRP_LISTEN": f"127.0.0.1:{port}", "CHIRP_RATE_LIMITS": "on", "CHIRP_PASSWORD_COST": "min"}
    srv = ChirpServer(tmp_path, args=["serve"], env=env, expected_port=port).start()
    try:
        assert_json(requests.get(srv.url("/healthz"), timeout=30), 200, {"status": "ok"})
        if not database_url():
            assert (tmp_path / "envdata" / "chirp.db").exists()
        # CHIRP_RATE_LIMITS=on took effect.
        statuses = [requests.get(srv.url("/api/accounts/login_status/"), timeout=30).status_code
                    for _ in range(8)]
        assert 429 in statuses, statuses
    finally:
        srv.stop_and_check()


def test_flags_win_over_environment(tmp_path):
    env_port, flag_port = free_port(), free_port()
    env = env_storage(tmp_path / "envdata") | {
        "CHIRP_LISTEN": f"127.0.0.1:{env_port}", "CHIRP_RATE_LIMITS": "on", "CHIRP_PASSWORD_COST": "min"}
    args = ["serve", "--listen", f"127.0.0.1:{flag_port}", "--rate-limits", "off"]
    srv = ChirpServer(tmp_path, args=args, env=env, expected_port=flag_port).start()
    try:
        statuses = [requests.get(srv.url("/api/accounts/login_status/"), timeout=30).status_code
                    for _ in range(8)]
        assert statuses == [200] * 8
        with pytest.raises(requests.ConnectionError):
            requests.get(f"http://127.0.0.1:{env_port}/healthz", timeout=5)
    finally:
        srv.stop_and_check()


def test_createsuperuser_via_environment_storage(tmp_path):
    data = tmp_path / "envdata"
    name, pw = unique_name("envboss"), new_password()
    r = run_cli("createsuperuser", "--username", name, "--email", f"{name}@example.com", "--password", pw,
                env=env_storage(data) | {"CHIRP_PASSWORD_COST": "min"})
    assert r.returncode == 0, output(r)
    srv = ChirpServer(tmp_path, args=["serve", "--listen", "127.0.0.1:{port}", "--rate-limits", "off"],
                      env=env_storage(data))
    srv.args[2] = f"127.0.0.1:{srv.port}"
    srv.start()
    try:
        r = requests.post(srv.url("/api/accounts/login/"), json={"username": name, "password": pw}, timeout=30)
        assert_json(r, 200)
    finally:
        srv.stop_and_check()


def test_serve_fails_cleanly_when_port_is_taken(tmp_path, server):
    r = run_cli("serve", "--listen", f"127.0.0.1:{server.port}", *storage_args(tmp_path / "data"),
                "--rate-limits", "off", "--password-cost", "min", timeout=60)
    assert r.returncode == 1, output(r)
    assert "Address already in use" in output(r) or "in use" in output(r).lower(), output(r)


def test_serve_logs_to_stderr(tmp_path):
    """The contract: `listening on HOST:PORT` goes to stderr (stdout stays free for command output)."""
    port = free_port()
    err = open(tmp_path / "err", "wb")
    out = open(tmp_path / "out", "wb")
    proc = subprocess.Popen([str(chirp_bin()), "serve", "--listen", f"127.0.0.1:{port}",
                             *storage_args(tmp_path / "data"), "--rate-limits", "off", "--password-cost", "min"],
                            stdout=out, stderr=err, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if requests_ok(f"http://127.0.0.1:{port}/healthz"):
                break
            assert proc.poll() is None, "server exited"
            time.sleep(0.05)
        time.sleep(0.2)
    finally:
        proc.terminate()
        rc = proc.wait(20)
        err.close()
        out.close()
    assert rc == 0
    assert f"listening on 127.0.0.1:{port}" in (tmp_path / "err").read_text(errors="replace"), \
        "listening line not on stderr; stdout has: " + (tmp_path / "out").read_text(errors="replace")[:500]


def requests_ok(url) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.ConnectionError:
        return False
