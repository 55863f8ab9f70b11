"""`chirp backfill` and `chirp verify` as commands (DESIGN §6): usage errors, differences found and repaired
with no server running, and the hand-over to a running server that holds the embedded store. The whole
walk through the switches under traffic is test_migration_drill.py."""

from __future__ import annotations

import pytest

from conftest import (ChirpServer, default_switches, follow, post_tweet, run_cli, signup, sql_only_switches,
                      storage_args)


def cli(srv: ChirpServer, *args: str, first_user: int):
    """The command over users from `first_user` on (on the full stack the database holds every other
    test's users too)."""
    return run_cli(*args, "--from-user", str(first_user), *storage_args(srv.data_dir, srv.services), timeout=300)


@pytest.mark.parametrize("args, message", [
    (["backfill", "--table", "tweets"], "--table"),
    (["verify", "--reverse"], "unknown option --reverse"),
    (["backfill", "--reverse=maybe"], "--reverse"),
    (["verify", "extra"], "unexpected argument"),
])
def test_bad_usage_exits_2(tmp_path, args, message):
    r = run_cli(*args, "--data-dir", str(tmp_path))
    assert r.returncode == 2, r.stdout + r.stderr
    assert message in r.stderr


def test_help_lists_the_options():
    r = run_cli("backfill", "--help")
    assert r.returncode == 0
    for flag in ("--reverse", "--restart", "--table", "--from-user", "--kv-url"):
        assert flag in r.stdout


def test_verify_finds_sql_rows_missing_from_the_kv_store_and_backfill_copies_them(tmp_path):
    srv = ChirpServer(tmp_path, switches=sql_only_switches(), private_redis=True, own_queue=True)
    srv.start()
    try:
        a, b = signup(srv), signup(srv)
        first = min(a.user_id, b.user_id)
        follow(a, b.user_id)
        post_tweet(b)
        # The server holds the embedded store: both commands are handed to it.
        r = cli(srv, "verify", first_user=first)
        assert r.returncode == 1, r.stdout + r.stderr
        assert f"friendship {a.user_id} follows {b.user_id}: sql has" in r.stdout, r.stdout
        assert "kv has none" in r.stdout
        assert "verify friendships: " in r.stdout and "verify newsfeeds: " in r.stdout
        # Users before --from-user are not looked at.
        r = cli(srv, "verify", "--table", "friendships", first_user=max(a.user_id, b.user_id) + 1)
        assert f"follows {b.user_id}" not in r.stdout, r.stdout
        r = cli(srv, "backfill", "--table", "friendships", first_user=first)
        assert r.returncode == 0, r.stdout + r.stderr
        assert "backfill friendships sql -> kv: done" in r.stdout and "newsfeeds" not in r.stdout
        r = cli(srv, "verify", "--table", "friendships", first_user=first)
        assert r.returncode == 0, r.stdout + r.stderr
        assert "verify friendships: 0 differences" in r.stdout
    finally:
        srv.stop_and_check()
    # No server now: the commands open the store themselves.
    r = cli(srv, "verify", "--table", "newsfeeds", first_user=first)
    assert r.returncode == 1 and "verify newsfeeds: 0 differences" not in r.stdout, r.stdout + r.stderr
    r = cli(srv, "backfill", first_user=first)
    assert r.returncode == 0, r.stdout + r.stderr
    r = cli(srv, "verify", first_user=first)
    assert r.returncode == 0, r.stdout + r.stderr
    # Idempotent: a second backfill copies nothing.
    r = cli(srv, "backfill", first_user=first)
    assert r.returncode == 0 and ", 0 rows copied, 0 removed" in r.stdout, r.stdout
    srv.switches = default_switches()  # give the shared database (full stack) back the run's switches
    srv.set_switches()
