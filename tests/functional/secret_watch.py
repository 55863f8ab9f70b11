"""Secrets of the whole functional run (issue #9): every password a test sends, every session id,
CSRF token and API token a server hands out, and every log a server or worker writes.

conftest installs watch_requests() once, so every HTTP call made through `requests` (the Client
class, bare requests.get/post, threads) is seen: request bodies give the passwords, responses the
session ids and CSRF tokens (Set-Cookie) and API tokens (POST /api/accounts/token/). An error body
(4xx/5xx) that contains one of them, or any body with an argon2 hash, fails at once. At the end of
the run every log file is searched for all of them (conftest's session fixture), so a secret that
one test sees and a later request logs is caught too.

Logs are searched by tokens, not by substring per secret: a run hands out thousands of secrets and
its logs are megabytes, so `secret in log` for each would take minutes. A leaked secret shows up
delimited (quotes, `=`, `&`, spaces, `;`), which a token split finds.
"""

from __future__ import annotations

import json
import re
import threading
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import requests

WORD = re.compile(r"[A-Za-z0-9_]+")
ARGON2 = "$argon2"
SECRET_FIELDS = ("password", "old_password", "new_password", "password1", "password2")


def plausible_password(value: str) -> bool:
    """Passwords worth looking for: at least 6 characters with a letter and a digit or punctuation,
    and not pure hex (a short hex string turns up by chance in request ids and other hex).
    Deliberately bad passwords of the tests ("x", "abc", "abcdefg") are not secrets."""
    if len(value) < 6 or re.fullmatch(r"[0-9a-fA-F]+", value):
        return False
    return bool(re.search(r"[A-Za-z]", value)) and bool(re.search(r"[^A-Za-z]", value))


@dataclass
class Secrets:
    # secret → its kind ("password", "session id", ...); `words` holds those made of [A-Za-z0-9_]
    # only (looked up per word of a text), `others` the rest (searched as substrings).
    words: dict[str, str] = field(default_factory=dict)
    others: dict[str, str] = field(default_factory=dict)
    log_paths: list[Path] = field(default_factory=list)
    cli_outputs: list[tuple[str, str]] = field(default_factory=list)  # (command, stderr)
    violations: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    # ---- collecting

    def add(self, kind: str, value: str | None) -> None:
        if not isinstance(value, str) or not value:
            return
        if kind == "password" and not plausible_password(value):
            return
        with self.lock:
            (self.words if WORD.fullmatch(value) else self.others)[value] = kind

    def add_log(self, path: Path) -> None:
        with self.lock:
            if path not in self.log_paths:
                self.log_paths.append(path)

    def add_cli_output(self, command: str, stderr: str) -> None:
        with self.lock:
            self.cli_outputs.append((command, stderr))

    def count(self, kind: str) -> int:
        with self.lock:
            return sum(1 for k in [*self.words.values(), *self.others.values()] if k == kind)

    # ---- searching

    def found_in(self, text: str) -> list[str]:
        """What of the secrets (and argon2 hashes) `text` contains, as '<kind> <first chars>…'."""
        if not text:
            return []
        found = ["an argon2 hash"] if ARGON2 in text else []
        with self.lock:
            words, others = self.words, dict(self.others)
            hits = {w: words[w] for w in set(WORD.findall(text)) if w in words}
        hits.update({s: kind for s, kind in others.items() if s in text})
        return found + sorted(f"{kind} {value[:6]}…" for value, kind in hits.items())

    def check_text(self, what: str, text: str) -> list[str]:
        found = self.found_in(text)
        return [f"{what} contains {', '.join(found[:5])}"] if found else []

    def check_logs(self) -> list[str]:
        problems = []
        for path in list(self.log_paths):
            try:
                text = path.read_text(errors="replace")
            except FileNotFoundError:
                continue
            problems += self.check_text(str(path), text)
        for command, stderr in list(self.cli_outputs):
            problems += self.check_text(f"stderr of `chirp {command}`", stderr)
        return problems


SECRETS = Secrets()


def _request_passwords(prepared: requests.PreparedRequest) -> list[str]:
    body = prepared.body
    if not body or not isinstance(body, (bytes, str)) or len(body) > 64 * 1024:
        return []  # nothing, a stream, or a size-limit test's body: no credentials in them
    if isinstance(body, bytes):
        body = body.decode("utf-8", errors="replace")
    ctype = (prepared.headers.get("Content-Type") or "").lower()
    values: list[str] = []
    if "json" in ctype:
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):  # the malformed and deeply nested bodies of the tests
            return []
        if isinstance(data, dict):
            values = [data.get(f) for f in SECRET_FIELDS]
    elif "x-www-form-urlencoded" in ctype:
        form = urllib.parse.parse_qs(body, keep_blank_values=True)
        values = [v for f in SECRET_FIELDS for v in form.get(f, [])]
    elif "multipart/form-data" in ctype:
        values = re.findall(r'name="(?:%s)"\r\n\r\n(.*?)\r\n' % "|".join(SECRET_FIELDS), body, re.S)
    return [v for v in values if isinstance(v, str)]


def _set_cookies(response: requests.Response) -> list[tuple[str, str]]:
    out = []
    raw = getattr(response.raw, "headers", None)
    headers = raw.getlist("Set-Cookie") if raw is not None and hasattr(raw, "getlist") else []
    for header in headers:
        name, _, rest = header.partition("=")
        out.append((name.strip(), rest.split(";", 1)[0].strip()))
    return out


def observe(prepared: requests.PreparedRequest, response: requests.Response, stream: bool) -> None:
    for pw in _request_passwords(prepared):
        SECRETS.add("password", pw)
    for name, value in _set_cookies(response):
        if name == "sessionid":
            SECRETS.add("session id", value)
        elif name == "csrftoken":
            SECRETS.add("CSRF token", value)
    if stream:
        return  # the test reads the body itself; reading it here would consume it
    ctype = response.headers.get("Content-Type", "")
    path = urllib.parse.urlsplit(prepared.url or "").path
    if response.status_code == 200 and path.rstrip("/") == "/api/accounts/token" and "json" in ctype:
        try:
            token = response.json().get("token")
        except (ValueError, AttributeError):
            token = None
        SECRETS.add("API token", token)
    if not (ctype.startswith("application/json") or ctype.startswith("text/")):
        return  # images and other bytes
    text = response.text
    where = f"{prepared.method} {path} → {response.status_code}"
    problems = []
    if ARGON2 in text:
        problems.append(f"body of {where} contains an argon2 hash")
    if response.status_code >= 400:
        problems += SECRETS.check_text(f"error body of {where}", text)
    if problems:
        with SECRETS.lock:
            SECRETS.violations.extend(problems)
        raise AssertionError("; ".join(problems))


_installed = [False]


def watch_requests() -> None:
    """Wraps requests.Session.send (every request of every session, bare requests.get included)."""
    if _installed[0]:
        return
    _installed[0] = True
    original_send = requests.Session.send

    def send(self, request, **kwargs):
        response = original_send(self, request, **kwargs)
        observe(request, response, bool(kwargs.get("stream")))
        return response

    requests.Session.send = send
