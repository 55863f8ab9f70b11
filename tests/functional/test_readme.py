"""The README's curl session works as printed (on a fresh SQLite data directory, since it assumes
the first user gets id 1)."""

import re
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, database_url, start_server

README = REPO / "README.md"


def curl_session() -> str:
    text = README.read_text()
    block = re.search(r"```sh\n(J=/tmp/chirp-cookies.*?)```", text, re.S)
    assert block, "README lost its curl session"
    return block.group(1)


def expected_answers() -> list[str]:
    text = README.read_text()
    block = re.search(r"The answers.*?```\n(.*?)```", text, re.S)
    assert block, "README lost the answers of its curl session"
    return block.group(1).strip().splitlines()


@pytest.mark.skipif(database_url() is not None, reason="the session assumes a fresh database")
def test_readme_curl_session_works_as_printed(tmp_path: Path):
    srv = start_server(tmp_path, password_cost="min")
    try:
        script = curl_session().replace("127.0.0.1:8000", f"127.0.0.1:{srv.port}")
        script = script.replace("J=/tmp/chirp-cookies", f"J={tmp_path}/cookies")
        out = subprocess.run(["bash", "-e", "-c", script], cwd=REPO, capture_output=True, text=True,
                             timeout=60)
        assert out.returncode == 0, out.stderr
        lines = out.stdout.strip().splitlines()
        expected = expected_answers()
        assert len(lines) == len(expected), out.stdout
        for got, want in zip(lines, expected):
            # "…" in the README stands for parts that differ per run (random file names).
            pattern = re.escape(want.replace("127.0.0.1:8000", f"127.0.0.1:{srv.port}"))
            pattern = pattern.replace("…", ".+")
            assert re.fullmatch(pattern, got), f"\n got: {got}\nwant: {want}"
    finally:
        srv.stop_and_check()
