"""Fixtures for chirp's black-box functional tests: they start the real binary and talk HTTP to it.

Environment:
  CHIRP_BIN                 the binary to test (default <repo>/build/chirp)
  CHIRP_TEST_DATABASE_URL   run every server against this database (mysql://...) instead of a
                            private SQLite file; tests then share one database, so every name a test
                            creates is unique (see unique_name) and no test assumes an empty store.
  CHIRP_TEST_REDIS_URL, CHIRP_TEST_MEMCACHED_URL, CHIRP_TEST_AMQP_URL
                            the full stack (DESIGN §1): every server (and CLI command) gets --redis-url,
                            --memcached-url and --amqp-url. With an AMQP URL every server also runs
                            `chirp worker` processes of its own (ChirpServer.workers), stopped with it.
                            The services are shared by the whole run, so these need
                            CHIRP_TEST_DATABASE_URL (one database: ids never collide in the caches).
  CHIRP_TEST_KV_URL         the wide-column store (hbase://...) of the full stack, shared like the database.
  CHIRP_TEST_SWITCHES       gatekeepers set for every server before it starts ("name=percent,...").
  CHIRP_TEST_MARIADB_DIR, CHIRP_TEST_REDIS_DIR, CHIRP_TEST_MEMCACHED_DIR, CHIRP_TEST_RABBITMQ_DIR
                            the state dirs of the private services (scripts/*.sh start DIR): the
                            survival tests stop and restart them; the RabbitMQ dir also lets servers
                            with their own fan-out settings get a vhost (queue) of their own.
"""

from __future__ import annotations

import datetime
import os
import re
import secrets
import signal
import socket
import subprocess
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from secret_watch import SECRETS, watch_requests

REPO = Path(__file__).resolve().parents[2]
START_TIMEOUT = float(os.environ.get("CHIRP_TEST_START_TIMEOUT", "60"))
STOP_TIMEOUT = 20.0
HTTP_TIMEOUT = 30.0

# Every request of the run is watched for secrets (secret_watch.py): passwords sent, session ids,
# CSRF tokens and API tokens received. No error body and no log of the run may contain one.
watch_requests()


class _PasswordSet(set):
    """Passwords a test makes up itself (SECRETS_SEEN.add(pw)): watched like every other secret."""

    def add(self, value: str) -> None:
        super().add(value)
        SECRETS.add("password", value)


# Every password a helper generates; the server's log must never contain one (SPEC §3.5).
SECRETS_SEEN: set[str] = _PasswordSet()


def chirp_bin() -> Path:
    value = os.environ.get("CHIRP_BIN")
    if not value:
        return REPO / "build" / "chirp"
    path = Path(value)
    if not path.is_absolute() and not path.exists():
        path = REPO / path
    return path.resolve()


def database_url() -> str | None:
    return os.environ.get("CHIRP_TEST_DATABASE_URL") or None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unique_name(prefix: str = "u") -> str:
    """A fresh valid username (6-20 chars of [a-z0-9_])."""
    name = f"{prefix}_{secrets.token_hex(5)}"
    assert 6 <= len(name) <= 20, name
    return name


def new_password() -> str:
    pw = "pw" + secrets.token_hex(6)
    SECRETS_SEEN.add(pw)
    return pw


# --------------------------------------------------------------------------------------------------
# The full stack: Redis, Memcached and RabbitMQ shared by the whole run

SERVICE_ENV = {"--redis-url": "CHIRP_TEST_REDIS_URL", "--memcached-url": "CHIRP_TEST_MEMCACHED_URL",
               "--amqp-url": "CHIRP_TEST_AMQP_URL", "--kv-url": "CHIRP_TEST_KV_URL"}
# The chirp setting (environment variable) of each flag, for servers configured by environment.
CHIRP_ENV = {"--redis-url": "CHIRP_REDIS_URL", "--memcached-url": "CHIRP_MEMCACHED_URL",
             "--amqp-url": "CHIRP_AMQP_URL", "--kv-url": "CHIRP_KV_URL"}


# The switches of the storage migration (DESIGN §6).
MIGRATION_SWITCHES = ["friendship_dual_write", "friendship_read_kv", "friendship_kv_only",
                      "newsfeed_dual_write", "newsfeed_read_kv", "newsfeed_kv_only"]


def sql_only_switches() -> dict[str, int]:
    """Every migration switch off, set explicitly: on the full stack the gatekeepers' truth is the shared
    database, which other servers of the run may have switched on."""
    return {name: 0 for name in MIGRATION_SWITCHES}


def default_switches() -> dict[str, int]:
    """CHIRP_TEST_SWITCHES ("name=percent,..."): gatekeepers every server gets before it starts, e.g. to run
    the whole suite with friendships and news feeds in the wide-column store."""
    out = {}
    for item in filter(None, os.environ.get("CHIRP_TEST_SWITCHES", "").split(",")):
        name, _, percent = item.partition("=")
        out[name.strip()] = int(percent)
    return out


def service_urls() -> dict[str, str]:
    """{flag: url} of the configured external services ({} on the embedded stack)."""
    return {flag: os.environ[env] for flag, env in SERVICE_ENV.items() if os.environ.get(env)}


def full_stack() -> bool:
    return len(service_urls()) == len(SERVICE_ENV) and database_url() is not None


def storage_args(data_dir: Path, services: dict[str, str] | None = None) -> list[str]:
    args = ["--data-dir", str(data_dir)]
    if database_url():
        args += ["--database-url", database_url()]
    for flag, url in (service_urls() if services is None else services).items():
        args += [flag, url]
    return args


def pytest_configure(config):
    caches = [SERVICE_ENV[f] for f in ("--redis-url", "--memcached-url") if f in service_urls()]
    if caches and not database_url():
        raise pytest.UsageError(f"{', '.join(caches)} need CHIRP_TEST_DATABASE_URL: the caches are shared by every "
                                "server of the run, so the servers must share one database (ids would collide)")


def _redis_command(url: str, *commands: str, timeout: float = 5.0) -> list[bytes]:
    """Sends Redis commands (each a string of space-separated words) on one connection; returns the
    first line of each reply (enough for the simple replies used here)."""
    u = urllib.parse.urlsplit(url)
    out = []
    with socket.create_connection((u.hostname or "127.0.0.1", u.port or 6379), timeout=timeout) as s:
        f = s.makefile("rb")
        for command in commands:
            parts = command.split()
            s.sendall(f"*{len(parts)}\r\n".encode() + b"".join(
                f"${len(p.encode())}\r\n{p}\r\n".encode() for p in parts))
            line = f.readline()
            if line.startswith(b"-"):
                raise RuntimeError(f"redis {command!r}: {line.decode(errors='replace').strip()}")
            out.append(line.strip())
    return out


_next_redis_db = [0]
REDIS_PRIVATE_DBS = 15  # Redis has databases 0-15: 0 is shared, 1-15 go round the rate-limited servers


def private_redis_url(url: str) -> str:
    """The same Redis with a database of its own, emptied: for servers with rate limits on, whose
    per-address windows (all tests come from 127.0.0.1) must not carry over from another server."""
    _next_redis_db[0] = _next_redis_db[0] % REDIS_PRIVATE_DBS + 1
    db = _next_redis_db[0]
    u = urllib.parse.urlsplit(url)
    private = urllib.parse.urlunsplit((u.scheme, u.netloc, f"/{db}", u.query, u.fragment))
    _redis_command(private, f"SELECT {db}", "FLUSHDB")
    return private


_next_vhost = [0]


def private_amqp_url(url: str) -> str:
    """The same RabbitMQ with a vhost (so a queue) of its own, for a server whose jobs must be run by its
    own workers only (its own fan-out settings, or workers a test kills). Needs CHIRP_TEST_RABBITMQ_DIR
    (rabbitmqctl talks to the private node); without it the shared vhost is used."""
    rabbit_dir = os.environ.get("CHIRP_TEST_RABBITMQ_DIR")
    if not rabbit_dir or not (Path(rabbit_dir) / "env").exists():
        return url
    _next_vhost[0] += 1
    vhost = f"chirp-test-{os.getpid()}-{_next_vhost[0]}"
    u = urllib.parse.urlsplit(url)
    user = urllib.parse.unquote(u.username or "guest")
    script = ('source "$1/env" && ctl=/usr/lib/rabbitmq/bin/rabbitmqctl && '
              '"$ctl" -q -n "$RABBITMQ_NODENAME" add_vhost "$2" && '
              '"$ctl" -q -n "$RABBITMQ_NODENAME" set_permissions -p "$2" "$3" ".*" ".*" ".*"')
    r = subprocess.run(["bash", "-c", script, "bash", rabbit_dir, vhost, user], capture_output=True, text=True,
                       timeout=120, stdin=subprocess.DEVNULL)
    assert r.returncode == 0, f"creating RabbitMQ vhost {vhost} failed: {r.stdout}{r.stderr}"
    return urllib.parse.urlunsplit((u.scheme, u.netloc, "/" + urllib.parse.quote(vhost, safe=""), u.query,
                                    u.fragment))


def run_cli(*args: str, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("CHIRP_")}
    full_env.update(env or {})
    r = subprocess.run([str(chirp_bin()), *args], capture_output=True, text=True, timeout=timeout,
                       env=full_env, stdin=subprocess.DEVNULL)
    SECRETS.add_cli_output(" ".join(args[:2]), r.stderr or "")  # its log: stdout is command output
    return r


# --------------------------------------------------------------------------------------------------
# Server process


# Flags of `serve` that `chirp worker` takes too (storage and fan-out settings), copied to the workers.
WORKER_FLAGS = {"--data-dir", "--database-url", "--redis-url", "--memcached-url", "--amqp-url", "--kv-url",
                "--media-url", "--password-cost", "--db-pool-size", "--log-level", "--celebrity-threshold",
                "--fanout-batch-size", "--config"}
FANOUT_FLAGS = {"--celebrity-threshold", "--fanout-batch-size"}


def _flag_values(args: list[str]) -> list[tuple[str, str]]:
    """(flag, value) pairs of a command line ("--flag value" or "--flag=value")."""
    out, i = [], 0
    while i < len(args):
        a = args[i]
        if a.startswith("--") and "=" in a:
            flag, _, value = a.partition("=")
            out.append((flag, value))
        elif a.startswith("--") and i + 1 < len(args):
            out.append((a, args[i + 1]))
            i += 1
        i += 1
    return out


def _process_env(extra: dict | None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIRP_")}
    env.update(extra or {})
    return env


class ChirpWorker:
    """One `chirp worker` process of a ChirpServer (full stack); its log is next to the server's."""

    def __init__(self, args: list[str], env: dict | None, log_path: Path):
        self.args = args
        self.log_path = log_path
        SECRETS.add_log(log_path)
        self._log_file = open(log_path, "ab")
        self.proc = subprocess.Popen([str(chirp_bin()), *args], stdout=self._log_file, stderr=self._log_file,
                                     stdin=subprocess.DEVNULL, env=_process_env(env))
        self.returncode: int | None = None

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def wait_ready(self) -> None:
        """Until the worker logs that it consumes jobs ("consuming"); fails if it exits first."""
        deadline = time.monotonic() + START_TIMEOUT
        while "consuming" not in self.log():
            if self.proc.poll() is not None:
                self._close()
                raise RuntimeError(f"chirp worker exited with {self.proc.returncode} during start "
                                   f"({self.log_path}):\n{self.log()[-4000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"chirp worker did not log 'consuming' within {START_TIMEOUT} s:\n"
                                   f"{self.log()[-4000:]}")
            time.sleep(0.05)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL (a crash): its unacknowledged jobs go back to the queue."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)
        self._close()

    def stop(self) -> int:
        """SIGTERM, wait; returns the exit status (killing it and failing if it hangs)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                self._close()
                pytest.fail(f"chirp worker did not exit within {STOP_TIMEOUT} s of SIGTERM ({self.log_path})")
        self._close()
        self.returncode = self.proc.returncode
        return self.returncode

    def _close(self) -> None:
        if not self._log_file.closed:
            self._log_file.close()


class _ServeProcess:
    """serve's Popen as tests see it (ChirpServer.proc). With workers, a SIGKILL of the server is a crash of
    the whole deployment: the server's workers are SIGKILLed at the same moment (jobs they hold are
    redelivered), so a test that kills and restarts a server still crashes the fan-out in flight."""

    def __init__(self, popen: subprocess.Popen, server: "ChirpServer"):
        self._popen = popen
        self._server = server

    def send_signal(self, sig) -> None:
        if sig == signal.SIGKILL:
            self._server.kill_workers()
        self._popen.send_signal(sig)

    def kill(self) -> None:
        self._server.kill_workers()
        self._popen.kill()

    def __getattr__(self, name):
        return getattr(self._popen, name)


class ChirpServer:
    """One `chirp serve` process on a free port; stderr goes to a file in the test's tmp dir.

    On the full stack it gets the service flags; rate-limited servers get a Redis database of their own
    (their per-address windows must not carry over), and a server with its own fan-out settings (or
    own_queue=True) a RabbitMQ vhost of its own, so only its workers run its jobs. With an AMQP URL,
    start() also starts `workers` (default 1) `chirp worker` processes with the same storage and fan-out
    settings (plus worker_args), logging to chirp-worker-N.log next to chirp-serve.log; stop() stops them too.
    """

    def __init__(self, tmp: Path, *, rate_limits: str = "off", password_cost: str = "min",
                 extra_args: list[str] | None = None, env: dict | None = None,
                 args: list[str] | None = None, expected_port: int | None = None,
                 workers: int | None = None, worker_args: list[str] | None = None, own_queue: bool = False,
                 private_redis: bool = False, switches: dict[str, int] | None = None):
        self.tmp = tmp
        self.data_dir = tmp / "data"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.port = expected_port or free_port()
        self.log_path = tmp / "chirp-serve.log"
        SECRETS.add_log(self.log_path)
        self.env = dict(env) if env is not None else None
        self.switches = default_switches() if switches is None else switches
        self.services: dict[str, str] = {}
        if args is None:
            services = self._services(rate_limits == "on" or private_redis, own_queue or any(
                f in FANOUT_FLAGS for f, _ in _flag_values(extra_args or [])))
            self.services = services
            args = ["serve", "--listen", f"127.0.0.1:{self.port}", *storage_args(self.data_dir, services),
                    "--rate-limits", rate_limits, "--password-cost", password_cost, *(extra_args or [])]
        elif args and args[0] == "serve" and service_urls():
            # A server configured by the test (often by environment): the services come by environment
            # unless the test names them.
            given = dict(_flag_values(args))
            env_now = self.env or {}
            limited = given.get("--rate-limits", env_now.get("CHIRP_RATE_LIMITS", "on")) == "on"
            own = own_queue or any(f in FANOUT_FLAGS for f in given) or any(
                k in env_now for k in ("CHIRP_CELEBRITY_THRESHOLD", "CHIRP_FANOUT_BATCH_SIZE"))
            extra_env = {CHIRP_ENV[f]: url for f, url in self._services(limited, own).items()
                         if f not in given and CHIRP_ENV[f] not in env_now}
            self.env = {**env_now, **extra_env}
        self.args = args
        self.proc: _ServeProcess | subprocess.Popen | None = None
        is_serve = bool(args) and args[0] == "serve"
        self.worker_count = (1 if workers is None else workers) if is_serve and self._amqp_configured() else 0
        self.worker_args = list(worker_args or [])
        self.workers: list[ChirpWorker] = []       # of the current start
        self.old_workers: list[ChirpWorker] = []   # killed or stopped ones of earlier starts
        self._worker_seq = 0
        self.worker_statuses: list[tuple[ChirpWorker, int]] = []

    @staticmethod
    def _services(rate_limited: bool, own_queue: bool) -> dict[str, str]:
        services = service_urls()
        if rate_limited and "--redis-url" in services:
            services["--redis-url"] = private_redis_url(services["--redis-url"])
        if own_queue and "--amqp-url" in services:
            services["--amqp-url"] = private_amqp_url(services["--amqp-url"])
        return services

    def _amqp_configured(self) -> bool:
        return any(f == "--amqp-url" for f, _ in _flag_values(self.args)) or bool((self.env or {}).get("CHIRP_AMQP_URL"))

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def set_switches(self) -> None:
        """Sets self.switches with `chirp gatekeeper set` on the server's storage (before it starts)."""
        if not self.switches or not self.args or self.args[0] != "serve":
            return
        storage = [x for f, v in _flag_values(self.args) if f in WORKER_FLAGS - FANOUT_FLAGS for x in (f, v)]
        for name, percent in self.switches.items():
            r = subprocess.run([str(chirp_bin()), "gatekeeper", "set", name, "--percent", str(percent), *storage],
                               capture_output=True, text=True, timeout=60, env=_process_env(self.env),
                               stdin=subprocess.DEVNULL)
            assert r.returncode == 0, f"gatekeeper set {name} failed ({r.returncode}): {r.stdout}{r.stderr}"

    def start(self) -> "ChirpServer":
        # A restart: workers of the previous start that are still running belong to a crashed deployment.
        self.kill_workers()
        if self.proc is None:
            self.set_switches()
        self._log_file = open(self.log_path, "ab")
        popen = subprocess.Popen([str(chirp_bin()), *self.args], stdout=self._log_file,
                                 stderr=self._log_file, stdin=subprocess.DEVNULL, env=_process_env(self.env))
        self.proc = _ServeProcess(popen, self)
        deadline = time.monotonic() + START_TIMEOUT
        needle = f"listening on 127.0.0.1:{self.port}"
        while time.monotonic() < deadline:
            if needle in self.log():
                break
            if self.proc.poll() is not None:
                raise RuntimeError(f"chirp serve exited with {self.proc.returncode} during start:\n"
                                   f"{self.log()[-4000:]}")
            time.sleep(0.05)
        else:
            self.proc.kill()
            raise RuntimeError(f"chirp serve did not log {needle!r} within {START_TIMEOUT} s:\n"
                               f"{self.log()[-4000:]}")
        r = requests.get(self.url("/healthz"), timeout=HTTP_TIMEOUT)
        assert r.status_code == 200, r.text
        for _ in range(self.worker_count):
            self.add_worker()
        return self

    # ---- workers (full stack)

    def worker_command(self, extra: list[str] | None = None) -> list[str]:
        """`chirp worker` with the server's storage and fan-out settings (flags; the environment is the
        server's), plus worker_args and extra."""
        copied = [x for f, v in _flag_values(self.args) if f in WORKER_FLAGS for x in (f, v)]
        return ["worker", *copied, *self.worker_args, *(extra or [])]

    def add_worker(self, extra: list[str] | None = None, wait: bool = True) -> ChirpWorker:
        """Starts one more `chirp worker` for this server (also on demand, e.g. after killing one)."""
        self._worker_seq += 1
        w = ChirpWorker(self.worker_command(extra), self.env, self.tmp / f"chirp-worker-{self._worker_seq}.log")
        self.workers.append(w)
        if wait:
            w.wait_ready()
        return w

    def kill_worker(self, w: ChirpWorker) -> None:
        """SIGKILLs one worker (a crash)."""
        w.kill()
        self.workers.remove(w)
        self.old_workers.append(w)

    def kill_workers(self) -> None:
        for w in list(self.workers):
            self.kill_worker(w)

    def stop_workers(self) -> list[tuple[ChirpWorker, int]]:
        """SIGTERM to every running worker; returns (worker, exit status) pairs."""
        out = [(w, w.stop()) for w in self.workers]
        self.old_workers += self.workers
        self.workers = []
        return out

    def stop(self) -> int:
        """SIGTERM, wait, and return the exit status (killing it if it hangs); then the workers likewise
        (their statuses: self.worker_statuses)."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                self._log_file.close()
                pytest.fail(f"chirp serve did not exit within {STOP_TIMEOUT} s of SIGTERM")
        self._log_file.close()
        self.worker_statuses = self.stop_workers()
        return self.proc.returncode

    def stop_and_check(self) -> None:
        rc = self.stop()
        log = self.log()
        assert rc == 0, f"chirp serve exited {rc} after SIGTERM; log tail:\n{log[-4000:]}"
        check_log_has_no_secrets(log)
        for w, wrc in self.worker_statuses:
            assert wrc == 0, f"chirp worker exited {wrc} after SIGTERM ({w.log_path}); log tail:\n{w.log()[-4000:]}"
        for w in self.old_workers:
            check_log_has_no_secrets(w.log())


def check_log_has_no_secrets(log: str) -> None:
    """No password, argon2 hash, session id, CSRF token or API token seen so far in the run (the
    whole run's logs are searched again at its end: no_secrets_in_any_log)."""
    found = SECRETS.found_in(log)
    assert not found, f"server log contains {', '.join(found[:5])}"
    for line in log.splitlines():
        assert "sessionid=" not in line, f"server log contains a session cookie: {line[:300]}"


@pytest.fixture(scope="session", autouse=True)
def no_secrets_in_any_log():
    """Issue #9: after the whole run, no log of any server, worker or CLI command, and no error body,
    holds a secret that any test sent or received (secret_watch.py). Autouse and session-scoped, so
    it is set up first and checked last, after every server has stopped."""
    yield
    problems = list(SECRETS.violations) + SECRETS.check_logs()
    assert not problems, "secrets leaked:\n" + "\n".join(problems[:20])


def pytest_terminal_summary(terminalreporter):
    counts = ", ".join(f"{SECRETS.count(kind)} {kind}s" for kind in
                       ("password", "session id", "CSRF token", "API token"))
    terminalreporter.write_line(f"secret watch: {counts} looked for in {len(SECRETS.log_paths)} logs, "
                                f"{len(SECRETS.cli_outputs)} CLI outputs and every error body")


def start_server(tmp: Path, **kwargs) -> ChirpServer:
    return ChirpServer(tmp, **kwargs).start()


@dataclass
class Admin:
    username: str
    email: str
    password: str


@pytest.fixture(scope="session")
def admin_account() -> Admin:
    name = unique_name("admin")
    return Admin(name, f"{name}@example.com", new_password())


@pytest.fixture(scope="session")
def server(tmp_path_factory, admin_account) -> ChirpServer:
    """The shared server: rate limits off, cheapest password hashing, an admin made before it starts."""
    tmp = tmp_path_factory.mktemp("server")
    srv = ChirpServer(tmp)
    r = run_cli("createsuperuser", "--username", admin_account.username, "--email", admin_account.email,
                "--password", admin_account.password, *storage_args(srv.data_dir), "--password-cost", "min")
    assert r.returncode == 0, f"createsuperuser failed ({r.returncode}): {r.stdout}{r.stderr}"
    srv.start()
    yield srv
    srv.stop_and_check()


@pytest.fixture(scope="module")
def limited_server(tmp_path_factory) -> ChirpServer:
    """A server of its own with the default rate limits on."""
    srv = start_server(tmp_path_factory.mktemp("limited"), rate_limits="on")
    yield srv
    srv.stop_and_check()


@pytest.fixture(scope="module")
def interactive_server(tmp_path_factory) -> ChirpServer:
    """A server hashing passwords at the real (interactive) cost, for the timing test."""
    srv = start_server(tmp_path_factory.mktemp("interactive"), password_cost="interactive")
    yield srv
    srv.stop_and_check()


# --------------------------------------------------------------------------------------------------
# HTTP clients

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


class Client(requests.Session):
    """A browser-like session against one server: keeps cookies and sends X-CSRFToken from the
    csrftoken cookie on unsafe methods (unless csrf=False or an explicit X-CSRFToken is given)."""

    def __init__(self, server: ChirpServer, token: str | None = None):
        super().__init__()
        self.server = server
        self.user: dict | None = None
        self.password: str | None = None
        self.email: str | None = None
        if token:
            self.headers["Authorization"] = f"Token {token}"

    def request(self, method, url, *args, csrf: bool = True, **kwargs):
        if url.startswith("/"):
            url = self.server.url(url)
        kwargs.setdefault("timeout", HTTP_TIMEOUT)
        headers = dict(kwargs.pop("headers", None) or {})
        if csrf and method.upper() in UNSAFE and "X-CSRFToken" not in headers:
            token = self.cookies.get("csrftoken")
            if token:
                headers["X-CSRFToken"] = token
        return super().request(method, url, *args, headers=headers, **kwargs)

    @property
    def user_id(self) -> int:
        assert self.user is not None
        return self.user["id"]


def signup(server: ChirpServer, username: str | None = None, password: str | None = None,
           email: str | None = None) -> Client:
    """A new user, logged in with a session cookie (as signup leaves them)."""
    username = username or unique_name()
    password = password or new_password()
    email = email or f"{username}@example.com"
    c = Client(server)
    r = c.post("/api/accounts/signup/", json={"username": username, "email": email, "password": password})
    assert r.status_code == 201, r.text
    c.user = r.json()["user"]
    c.password = password
    c.email = email
    assert c.cookies.get("sessionid"), "signup set no sessionid cookie"
    assert c.cookies.get("csrftoken"), "signup set no csrftoken cookie"
    return c


def login(server: ChirpServer, username: str, password: str) -> Client:
    c = Client(server)
    r = c.post("/api/accounts/login/", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    c.user = r.json()["user"]
    c.password = password
    return c


def get_token(server: ChirpServer, username: str, password: str) -> str:
    r = requests.post(server.url("/api/accounts/token/"), json={"username": username, "password": password},
                      timeout=HTTP_TIMEOUT)
    assert r.status_code == 200, r.text
    return r.json()["token"]


def token_client(server: ChirpServer, username: str, password: str) -> Client:
    c = Client(server, token=get_token(server, username, password))
    return c


@pytest.fixture
def anon(server) -> Client:
    return Client(server)


@pytest.fixture
def user(server) -> Client:
    """A fresh logged-in (session) user."""
    return signup(server)


@pytest.fixture
def other_user(server) -> Client:
    return signup(server)


@pytest.fixture
def admin(server, admin_account) -> Client:
    return login(server, admin_account.username, admin_account.password)


# --------------------------------------------------------------------------------------------------
# Assertions shared by the files

VALIDATION_MESSAGE = "Please check input."
NOT_AUTHENTICATED = {"detail": "Authentication credentials were not provided."}
NOT_ADMIN = {"detail": "You do not have permission to perform this action."}
NOT_OWNER = {"detail": "You do not have permission to access this object."}
NOT_FOUND = {"detail": "Not found."}
CSRF_FAILED = {"detail": "CSRF Failed: CSRF token missing or incorrect."}
INVALID_TOKEN = {"detail": "Invalid token."}
TIMESTAMP_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$")


def assert_json(r: requests.Response, status: int, body: dict | None = None) -> dict:
    assert r.status_code == status, f"{r.request.method} {r.request.url} → {r.status_code}: {r.text[:1000]}"
    ctype = r.headers.get("Content-Type", "")
    assert ctype.startswith("application/json"), f"Content-Type {ctype!r}"
    data = r.json()
    if body is not None:
        assert data == body
    return data


def assert_field_errors(r: requests.Response, errors: dict[str, list[str]], exact: bool = True) -> dict:
    data = assert_json(r, 400)
    assert data.get("success") is False, data
    assert data.get("message") == VALIDATION_MESSAGE, data
    got = data.get("errors")
    assert isinstance(got, dict), data
    if exact:
        assert got == errors
    else:
        for k, v in errors.items():
            assert got.get(k) == v, data
    return data


def set_cookie_headers(r: requests.Response) -> list[str]:
    return list(r.raw.headers.getlist("Set-Cookie"))


def parse_set_cookie(header: str) -> tuple[str, str, dict[str, str]]:
    """'name=value; Path=/; HttpOnly' → (name, value, {'path': '/', 'httponly': ''})."""
    parts = [p.strip() for p in header.split(";")]
    name, _, value = parts[0].partition("=")
    attrs = {}
    for p in parts[1:]:
        k, _, v = p.partition("=")
        attrs[k.strip().lower()] = v.strip()
    return name.strip(), value.strip(), attrs


def cookies_set(r: requests.Response) -> dict[str, tuple[str, dict[str, str]]]:
    out = {}
    for h in set_cookie_headers(r):
        name, value, attrs = parse_set_cookie(h)
        out[name] = (value, attrs)
    return out


def raw_http(server: ChirpServer, data: bytes, timeout: float = 10.0) -> bytes:
    """Send bytes as they are and read the reply until the server closes or stays quiet."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                chunks.append(chunk)
                if b"\r\n\r\n" in b"".join(chunks) and _complete(b"".join(chunks)):
                    break
        except (socket.timeout, ConnectionResetError):
            pass
        return b"".join(chunks)


def _complete(buf: bytes) -> bool:
    head, _, body = buf.partition(b"\r\n\r\n")
    m = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    if m:
        return len(body) >= int(m.group(1))
    return False


def raw_status(reply: bytes) -> int:
    m = re.match(rb"HTTP/1\.[01] (\d{3})", reply)
    assert m, f"not an HTTP reply: {reply[:200]!r}"
    return int(m.group(1))



# --------------------------------------------------------------------------------------------------
# Tweets, friendships and news feeds (SPEC §5-§7)

# Asynchronous effects (fan-out, follow/unfollow feed changes) are polled for, never slept for.
POLL_TIMEOUT = float(os.environ.get("CHIRP_TEST_POLL_TIMEOUT", "10"))
POLL_INTERVAL = 0.05
EMPTY_PAGE = {"has_next_page": False, "results": []}
USER_KEYS = {"id", "username", "nickname", "avatar_url"}
TWEET_KEYS = {"id", "user", "content", "created_at", "updated_at", "comments_count", "likes_count", "has_liked",
              "photo_urls"}


@pytest.fixture(scope="module")
def server_factory(tmp_path_factory):
    """Starts dedicated servers (start_server's keyword arguments, e.g. extra_args=[...]) that are stopped
    and checked when the module ends."""
    started: list[ChirpServer] = []

    def make(name: str = "dedicated", **kwargs) -> ChirpServer:
        srv = start_server(tmp_path_factory.mktemp(name), **kwargs)
        started.append(srv)
        return srv

    yield make
    for srv in started:
        srv.stop_and_check()


def poll(fetch, done, *, timeout: float = POLL_TIMEOUT, interval: float = POLL_INTERVAL, what: str = "condition"):
    """Calls fetch() until done(value) is true and returns that value; fails after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = fetch()
        if done(value):
            return value
        if time.monotonic() >= deadline:
            pytest.fail(f"timed out after {timeout} s waiting for {what}; last value: {repr(value)[:2000]}")
        time.sleep(interval)


def clone_client(c: Client) -> Client:
    """Another Client (its own connection) with the same cookies and user: the same login session."""
    twin = Client(c.server)
    twin.cookies.update(c.cookies)
    twin.headers.update({k: v for k, v in c.headers.items() if k == "Authorization"})
    twin.user, twin.password, twin.email = c.user, c.password, c.email
    return twin


def new_content(prefix: str = "tweet") -> str:
    return f"{prefix} {secrets.token_hex(6)}"


def post_tweet(c: Client, content: str | None = None) -> dict:
    r = c.post("/api/tweets/", json={"content": content or new_content()})
    return assert_json(r, 201)


def follow(c: Client, user_id: int) -> dict:
    return assert_json(c.post(f"/api/friendships/{user_id}/follow/"), 201)


def unfollow(c: Client, user_id: int) -> dict:
    return assert_json(c.post(f"/api/friendships/{user_id}/unfollow/"), 200)


def get_page(c: Client, path: str, **params) -> dict:
    data = assert_json(c.get(path, params=params), 200)
    assert set(data) >= {"has_next_page", "results"}, data
    assert isinstance(data["has_next_page"], bool) and isinstance(data["results"], list), data
    return data


def feed(c: Client, **params) -> list[dict]:
    """The first page of the caller's news feed (page_size 100 unless given)."""
    params.setdefault("page_size", 100)
    return get_page(c, "/api/newsfeeds/", **params)["results"]


def feed_tweet_ids(c: Client, **params) -> list[int]:
    return [item["tweet"]["id"] for item in feed(c, **params)]


def user_tweets(c: Client, user_id: int, **params) -> list[dict]:
    params.setdefault("page_size", 100)
    return get_page(c, "/api/tweets/", user_id=user_id, **params)["results"]


def ts_us(value: str) -> int:
    """A response timestamp ('2026-11-27T14:46:50.123456Z') as integer microseconds since the epoch."""
    assert TIMESTAMP_RE.match(value), value
    dt = datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=datetime.timezone.utc)
    return (dt - EPOCH) // datetime.timedelta(microseconds=1)


EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def page_through(c: Client, path: str, page_size: int, **params) -> list[dict]:
    """Every item of an endless-paginated list, following created_at__lt from the last item, checking the
    page invariants (SPEC §1.6) on the way: full pages while has_next_page, strictly older items."""
    items: list[dict] = []
    cursor = None
    for _ in range(10_000):
        query = dict(params, page_size=page_size)
        if cursor is not None:
            query["created_at__lt"] = cursor
        data = get_page(c, path, **query)
        page = data["results"]
        assert len(page) <= page_size, (query, len(page))
        if data["has_next_page"]:
            assert len(page) == page_size, (query, data)
        stamps = [ts_us(item["created_at"]) for item in page]
        assert stamps == sorted(stamps, reverse=True) and len(set(stamps)) == len(stamps), (query, stamps)
        if items and page:
            assert ts_us(items[-1]["created_at"]) > stamps[0], "pages overlap or are out of order"
        items += page
        if not data["has_next_page"]:
            return items
        cursor = page[-1]["created_at"]
    raise AssertionError("pagination did not end")


# --------------------------------------------------------------------------------------------------
# Comments, likes and notifications (SPEC §8-§10)

COMMENTS = "/api/comments/"
LIKES = "/api/likes/"
NOTIFICATIONS = "/api/notifications/"
COMMENT_KEYS = {"id", "tweet_id", "user", "content", "created_at", "updated_at", "likes_count", "has_liked"}
NOTIFICATION_KEYS = {"id", "actor_content_type", "actor_object_id", "verb", "action_object_content_type",
                     "action_object_object_id", "target_content_type", "target_object_id", "timestamp", "unread",
                     "actor", "target"}


def user_repr(c: Client, nickname: str | None = None) -> dict:
    """The SPEC §1.8 user representation of a fresh (no avatar) client's user."""
    return {"id": c.user_id, "username": c.user["username"], "nickname": nickname, "avatar_url": None}


def tweet_detail(c: Client, tweet_id: int) -> dict:
    return assert_json(c.get(f"/api/tweets/{tweet_id}/"), 200)


def post_comment(c: Client, tweet_id: int, content: str | None = None) -> dict:
    r = c.post(COMMENTS, json={"tweet_id": tweet_id, "content": content or new_content("comment")})
    return assert_json(r, 201)


def list_comments(c: Client, tweet_id: int, **params) -> list[dict]:
    data = assert_json(c.get(COMMENTS, params=dict(params, tweet_id=tweet_id)), 200)
    assert isinstance(data.get("comments"), list), data
    return data["comments"]


def like(c: Client, content_type: str, object_id: int) -> dict:
    r = c.post(LIKES, json={"content_type": content_type, "object_id": object_id})
    return assert_json(r, 201)


def cancel_like(c: Client, content_type: str, object_id: int) -> int:
    """Cancels a like; returns `deleted` (1 or 0)."""
    r = c.post(LIKES + "cancel/", json={"content_type": content_type, "object_id": object_id})
    data = assert_json(r, 200)
    assert data.get("success") is True and data.get("deleted") in (0, 1), data
    return data["deleted"]


def notifications(c: Client, **params) -> dict:
    """One page of the caller's notifications (the page-number envelope)."""
    data = assert_json(c.get(NOTIFICATIONS, params=params), 200)
    assert set(data) >= {"count", "next", "previous", "results"}, data
    return data


def all_notifications(c: Client, **params) -> list[dict]:
    params.setdefault("page_size", 100)
    return notifications(c, **params)["results"]


def unread_count(c: Client) -> int:
    data = assert_json(c.get(NOTIFICATIONS + "unread-count/"), 200)
    assert set(data) >= {"unread_count"}, data
    return data["unread_count"]
