#!/usr/bin/env python3
"""The measuring half of bench/run.sh (Python standard library only). run.sh starts the servers; this
talks to them. Subcommands (each appends JSON records to --results, one line per scenario):

  tokens     log seeded users in (POST /api/accounts/token/), write "user_id token" lines
  wrk        run one wrk scenario (bench/lua/NAME.lua) after a warm-up, sampling the chirp processes'
             RSS every 0.5 s and their CPU, and wrk's CPU; reads /metrics before and after
  fanout     scenario (e): POST tweets as an author with many pushed followers, time until every
             fan-out batch's last follower sees it in the first feed page
  celebrity  scenario (f): POST tweets as a pull-mode author (1M followers) and as a ~10-follower one;
             POST latency, background jobs (and feed rows, SQLite) per tweet; visibility to followers
  report     print the markdown table (and write the combined JSON); exit 1 when a scenario is invalid

Every subcommand's options: python3 bench/bench.py SUBCOMMAND --help.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
CLK_TCK = os.sysconf("SC_CLK_TCK")
PASSWORD = "chirp-seed-pw"


# ---------------------------------------------------------------- HTTP

class Client:
    """One keep-alive HTTP connection (reconnects after an error)."""

    def __init__(self, url: str, timeout: float = 30.0):
        u = urlsplit(url)
        self.host, self.port, self.timeout = u.hostname, u.port or 80, timeout
        self.conn: http.client.HTTPConnection | None = None

    def call(self, method: str, path: str, body=None, token: str | None = None, raw: bool = False):
        """Returns (status, parsed JSON or text — the bytes with raw=True —, seconds)."""
        headers = {}
        data = None
        if token:
            headers["Authorization"] = "Token " + token
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            t0 = time.perf_counter()
            try:
                self.conn.request(method, path, body=data, headers=headers)
                r = self.conn.getresponse()
                data_bytes = r.read()
                took = time.perf_counter() - t0
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
                continue
            if r.getheader("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
            if raw:
                return r.status, data_bytes, took
            try:
                parsed = json.loads(data_bytes) if data_bytes else None
            except ValueError:
                parsed = data_bytes.decode(errors="replace")
            return r.status, parsed, took
        raise RuntimeError("unreachable")


def metrics(url: str) -> dict[str, float]:
    """GET /metrics as {"name{labels}": value}; lines with the same key are summed."""
    status, text, _ = Client(url).call("GET", "/metrics")
    out: dict[str, float] = {}
    if status != 200 or not isinstance(text, str):
        return out
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        key, _, value = line.rpartition(" ")
        try:
            out[key] = out.get(key, 0.0) + float(value)
        except ValueError:
            pass
    return out


def metric(m: dict[str, float], name: str, default: float | None = None) -> float | None:
    return m.get(name, default)


def route_stats(before: dict, after: dict) -> dict:
    """Server-side request counts and mean latency by route between two /metrics readings."""
    out = {}
    for key, v in after.items():
        mt = re.match(r'chirp_http_request_duration_seconds_count\{route="([^"]*)"\}', key)
        if not mt:
            continue
        route = mt.group(1)
        n = v - before.get(key, 0.0)
        if n <= 0:
            continue
        skey = f'chirp_http_request_duration_seconds_sum{{route="{route}"}}'
        s = after.get(skey, 0.0) - before.get(skey, 0.0)
        out[route] = {"count": int(n), "mean_ms": round(1000 * s / n, 3)}
    return out


def backlog(m: dict) -> float:
    """Jobs not yet run: outbox rows (embedded: the job queue; full: not yet relayed) + RabbitMQ."""
    pending = metric(m, "chirp_outbox_pending", 0.0) or 0.0
    depth = metric(m, "chirp_queue_depth", 0.0) or 0.0
    return pending + max(depth, 0.0)


def wait_drained(url: str, timeout: float) -> dict:
    """Waits until no job is pending (outbox and queue empty); returns how long it took."""
    t0 = time.monotonic()
    m = metrics(url)
    first = backlog(m)
    while backlog(m) > 0 and time.monotonic() - t0 < timeout:
        time.sleep(0.25)
        m = metrics(url)
    return {"backlog_at_end": first, "drain_s": round(time.monotonic() - t0, 2),
            "drained": backlog(m) == 0, "left": backlog(m)}


def login(url: str, user_id: int, password: str = PASSWORD, client: Client | None = None) -> str:
    c = client or Client(url)
    status, body, _ = c.call("POST", "/api/accounts/token/",
                             {"username": f"seed_{user_id:06d}", "password": password})
    if status != 200:
        raise RuntimeError(f"login of seed_{user_id:06d} failed: {status} {body}")
    return body["token"]


def login_many(url: str, ids: list[int], threads: int = 8, password: str = PASSWORD) -> dict[int, str]:
    out: dict[int, str] = {}
    errors: list[str] = []
    lock = threading.Lock()
    it = iter(ids)

    def work():
        c = Client(url)
        while True:
            with lock:
                uid = next(it, None)
            if uid is None:
                return
            try:
                tok = login(url, uid, password, c)
            except Exception as e:  # noqa: BLE001 - reported below
                with lock:
                    errors.append(str(e))
                return
            with lock:
                out[uid] = tok

    ts = [threading.Thread(target=work) for _ in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    if errors:
        raise RuntimeError(f"{len(errors)} logins failed, e.g. {errors[0]}")
    return out


def spread(lo: int, hi: int, n: int) -> list[int]:
    """n distinct ids spread evenly over lo..hi."""
    n = min(n, hi - lo + 1)
    if n <= 1:
        return [lo]
    return sorted({lo + round(i * (hi - lo) / (n - 1)) for i in range(n)})


def feed_ids(body) -> list[int]:
    if not isinstance(body, dict):
        return []
    return [item["tweet"]["id"] for item in body.get("results", []) if isinstance(item, dict)]


# ---------------------------------------------------------------- processes

def parse_pids(spec: str | None) -> dict[str, int]:
    """"serve=123,worker1=456" → {"serve": 123, ...}."""
    out = {}
    for part in (spec or "").split(","):
        if "=" in part:
            k, v = part.split("=", 1)
            out[k] = int(v)
    return out


def proc_ticks(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    except (OSError, IndexError, ValueError):
        return None


def proc_rss_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def machine_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine."""
    with open("/proc/stat") as f:
        vals = [int(x) for x in f.readline().split()[1:]]
    idle = vals[3] + (vals[4] if len(vals) > 4 else 0)
    return sum(vals) - idle, sum(vals)


class Sampler:
    """RSS of the given processes every `interval` s, plus CPU between start() and stop(). Names
    starting with "svc-" are the full stack's services: measured, but not in the chirp RSS total."""

    def __init__(self, pids: dict[str, int], interval: float = 0.5):
        self.pids, self.interval = pids, interval
        self.max_kb = {k: 0 for k in pids}
        self.max_total_kb = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self):
        total = 0
        for name, pid in self.pids.items():
            kb = proc_rss_kb(pid) or 0
            self.max_kb[name] = max(self.max_kb[name], kb)
            if is_chirp(name):  # chirp's own processes; svc-*: MariaDB, Redis, ...; tool-*: this one
                total += kb
        self.max_total_kb = max(self.max_total_kb, total)
        self.samples += 1

    def _run(self):
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def start(self):
        self.t0 = time.monotonic()
        self.ticks0 = {k: proc_ticks(p) for k, p in self.pids.items()}
        self.machine0 = machine_ticks()
        self._thread.start()
        return self

    def stop(self) -> dict:
        self._stop.set()
        self._thread.join()
        self._sample()
        secs = time.monotonic() - self.t0
        cpu = {}
        for k, p in self.pids.items():
            t1 = proc_ticks(p)
            if t1 is not None and self.ticks0.get(k) is not None:
                cpu[k] = round((t1 - self.ticks0[k]) / CLK_TCK / secs, 3)  # cores used
        busy1, total1 = machine_ticks()
        busy0, total0 = self.machine0
        ncpu = os.cpu_count() or 1
        machine = round(ncpu * (busy1 - busy0) / max(1, total1 - total0), 3)
        return {
            "rss_max_mb": {k: round(v / 1024, 1) for k, v in self.max_kb.items()},
            "rss_max_total_mb": round(self.max_total_kb / 1024, 1),
            "rss_samples": self.samples,
            "cpu_cores": cpu,
            "machine_cpu_cores": machine,
            "seconds": round(secs, 2),
        }


def is_chirp(name: str) -> bool:
    return not name.startswith(("svc-", "tool-")) and name != "wrk"


def append(results: str, record: dict) -> None:
    with open(results, "a") as f:
        f.write(json.dumps(record) + "\n")


# ---------------------------------------------------------------- tokens

def cmd_warm(a) -> int:
    """Reads PATH once as every token's user (first page), so their cached timelines exist."""
    toks = [line.split()[1] for line in Path(a.tokens).read_text().splitlines() if line.strip()]
    it = iter(toks)
    lock = threading.Lock()
    bad: dict[int, int] = {}

    def work():
        c = Client(a.url)
        while True:
            with lock:
                tok = next(it, None)
            if tok is None:
                return
            status, _, _ = c.call("GET", a.path, token=tok)
            if status != 200:
                with lock:
                    bad[status] = bad.get(status, 0) + 1

    t0 = time.monotonic()
    ts = [threading.Thread(target=work) for _ in range(a.threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    print(f"bench: warmed {a.path} for {len(toks)} users in {time.monotonic() - t0:.1f}s"
          + (f"; non-200: {bad}" if bad else ""), file=sys.stderr)
    return 0


def cmd_tokens(a) -> int:
    if a.ids:
        ids = [int(x) for x in a.ids.split(",") if x]
    else:
        lo, hi = (int(x) for x in a.range.split("-"))
        ids = spread(lo, hi, a.count)
    t0 = time.monotonic()
    toks = login_many(a.url, ids, a.threads, a.password)
    with open(a.out, "w") as f:
        for uid in ids:
            f.write(f"{uid} {toks[uid]}\n")
    print(f"bench: {len(ids)} tokens in {time.monotonic() - t0:.1f}s → {a.out}", file=sys.stderr)
    return 0


# ---------------------------------------------------------------- wrk

def run_wrk(a, seconds: float, name: str, result_file: str) -> tuple[dict | None, dict, float]:
    env = dict(os.environ)
    env.update({"BENCH_NAME": name, "BENCH_RESULT": result_file, "BENCH_USERS": str(a.users),
                "BENCH_SEED": str(a.seed), "BENCH_NEXT_FRACTION": str(a.next_fraction)})
    if a.tokens:
        env["BENCH_TOKENS"] = a.tokens
    for kv in a.env or []:
        k, _, v = kv.partition("=")
        env[k] = v
    script = a.script or str(HERE / "lua" / f"{a.scenario}.lua")
    cmd = ["wrk", "-t", str(a.threads), "-c", str(a.connections), "-d", f"{seconds:g}s",
           "--timeout", f"{a.timeout:g}s", "-s", script, a.url]
    log = open(a.log, "a") if a.log else subprocess.DEVNULL
    if a.log:
        log.write(f"\n$ {' '.join(cmd)}  # {name}\n")
        log.flush()
    open(result_file, "w").close()
    p = subprocess.Popen(cmd, env=env, stdout=log, stderr=subprocess.STDOUT)
    _, status, ru = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    wrk_cpu_s = ru.ru_utime + ru.ru_stime
    if a.log:
        log.close()
    lines = Path(result_file).read_text().splitlines()
    rec = json.loads(lines[-1]) if lines else None
    return rec, {"exit": p.returncode}, wrk_cpu_s


def cmd_wrk(a) -> int:
    pids = parse_pids(a.pids)
    tmp = f"{a.results}.{a.id or a.scenario}.{os.getpid()}.tmp"
    if a.warmup > 0:
        rec, _, _ = run_wrk(a, a.warmup, a.name + " (warm-up)", tmp)
        if rec is None:
            print(f"bench: warm-up of {a.name} produced no result (see {a.log})", file=sys.stderr)
    m0 = metrics(a.url)
    sampler = Sampler(pids).start()
    rec, info, wrk_cpu_s = run_wrk(a, a.duration, a.name, tmp)
    res = sampler.stop()
    m1 = metrics(a.url)
    os.unlink(tmp)
    record = {"kind": "wrk", "id": a.id or a.scenario, "name": a.name, "group": a.group,
              "reference": a.reference, "connections": a.connections, "wrk_threads": a.threads,
              "duration_s": a.duration, "warmup_s": a.warmup, "script": a.script or f"bench/lua/{a.scenario}.lua"}
    if rec is None:
        record.update({"error": f"wrk produced no result (exit {info['exit']}; see {a.log})", "invalid": True})
    else:
        record.update(rec)
        record["name"] = a.name
        errors = rec["socket_errors"]["total"]
        record["invalid"] = bool(rec["non2xx"] or errors or rec["counted"] == 0)
    record.update(res)
    record["cpu_cores"]["wrk"] = round(wrk_cpu_s / max(a.duration, 0.001), 3)
    record["server_routes"] = route_stats(m0, m1)
    jobs = (metric(m1, "chirp_jobs_completed_total", 0) or 0) - (metric(m0, "chirp_jobs_completed_total", 0) or 0)
    record["jobs_completed"] = int(jobs)
    record["jobs_failed"] = int((metric(m1, "chirp_jobs_failed_total", 0) or 0)
                                - (metric(m0, "chirp_jobs_failed_total", 0) or 0))
    if a.drain:
        record["drain"] = wait_drained(a.url, a.drain_timeout)
    append(a.results, record)
    print_line(record)
    return 0


def fmt_ms(us) -> str:
    return "-" if us is None else f"{us / 1000:.2f}"


def print_line(r: dict) -> None:
    if r.get("error"):
        print(f"bench: {r['name']}: ERROR {r['error']}", file=sys.stderr)
        return
    lat = r["latency_us"]
    print(f"bench: {r['name']}: {r['rps']:.0f} req/s, p50 {fmt_ms(lat['p50'])} ms, p99 {fmt_ms(lat['p99'])} ms, "
          f"non-2xx {r['non2xx']}, socket errors {r['socket_errors']['total']}, max RSS {r['rss_max_total_mb']} MB, "
          f"CPU {r['cpu_cores']}" + (" INVALID" if r["invalid"] else ""), file=sys.stderr)


# ---------------------------------------------------------------- fan-out (e)

def pct(values: list[float], p: float) -> float | None:
    """Nearest-rank percentile."""
    if not values:
        return None
    v = sorted(values)
    k = max(0, min(len(v) - 1, int(-(-p * len(v) // 100)) - 1))
    return v[k]


def post_tweet(c: Client, token: str, label: str, n: int) -> tuple[int, dict | str, float]:
    content = f"bench {label} {n} {time.time():.6f}"[:140]
    return c.call("POST", "/api/tweets/", {"content": content}, token)


class Poller:
    """Threads that read probes' first feed pages until each shows a given tweet.

    Fan-out batches finish roughly in follower-id order, so only the `window` lowest-id probes that
    have not seen the tweet yet are polled (round-robin), each thread pausing `pause` s between
    reads: the polling stays a small load (≤ threads / pause reads/s) on the server it measures.
    A probe seen late because a later batch finished before an earlier one does not change the
    result: visible-to-all is the time the last probe is seen, and that one is polled as soon as
    every other probe has been seen."""

    def __init__(self, url: str, tokens: dict[int, str], threads: int, window: int = 8, pause: float = 0.01):
        self.url, self.tokens, self.threads = url, tokens, threads
        self.window, self.pause = window, pause
        self.polls = 0
        self.errors: list[str] = []
        self.statuses: dict[int, int] = {}

    def wait_for(self, tweet_id: int, t0: float, timeout: float) -> dict[int, float]:
        """{probe id: seconds from t0 until its feed showed the tweet} (missing ones timed out)."""
        pending = sorted(self.tokens)
        seen: dict[int, float] = {}
        needle = b"%d" % tweet_id
        lock = threading.Lock()
        idx = [0]

        def work():
            c = Client(self.url, timeout=10)
            while True:
                with lock:
                    if not pending or time.perf_counter() - t0 > timeout:
                        return
                    uid = pending[idx[0] % min(self.window, len(pending))]
                    idx[0] += 1
                try:
                    status, body, _ = c.call("GET", "/api/newsfeeds/", token=self.tokens[uid], raw=True)
                except Exception as e:  # noqa: BLE001
                    with lock:
                        self.errors.append(str(e))
                    time.sleep(0.01)
                    continue
                now = time.perf_counter()
                with lock:
                    self.polls += 1
                    self.statuses[status] = self.statuses.get(status, 0) + 1
                    # Parse the page only when the id's digits are in it (keeps this client's CPU low).
                    if (status == 200 and needle in body and uid in pending
                            and tweet_id in feed_ids(json.loads(body))):
                        pending.remove(uid)
                        seen[uid] = now - t0
                time.sleep(self.pause)

        ts = [threading.Thread(target=work) for _ in range(self.threads)]
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        return seen


def cmd_fanout(a) -> int:
    pids = parse_pids(a.pids)
    pids["tool-bench.py"] = os.getpid()  # the polling client's CPU (it shares the machine)
    first, n, b = a.first_follower, a.followers, a.batch_size
    last = first + n - 1
    probes = sorted({min(first + k * b + b - 1, last) for k in range(-(-n // b))})
    print(f"bench: fan-out: author {a.author}, followers {first}..{last}, {len(probes)} probes "
          f"(the last follower of each batch of {b})", file=sys.stderr)
    author_token = login(a.url, a.author)
    tokens = login_many(a.url, probes, 8)
    # Warm: every probe's feed read once, so cached timelines exist (the realistic case).
    c = Client(a.url)
    for uid in probes:
        c.call("GET", "/api/newsfeeds/", token=tokens[uid])
    wait_drained(a.url, a.drain_timeout)
    poller = Poller(a.url, tokens, a.threads, a.window, a.poll_pause)
    m0 = metrics(a.url)
    sampler = Sampler(pids).start()
    tweets = []
    post_statuses: dict[int, int] = {}
    for i in range(a.tweets):
        t0 = time.perf_counter()
        status, body, took = post_tweet(c, author_token, f"fanout a{a.author}", i)
        post_statuses[status] = post_statuses.get(status, 0) + 1
        if status != 201:
            tweets.append({"post_status": status, "post_ms": took * 1000})
            continue
        tid = body["id"]
        seen = poller.wait_for(tid, t0, a.timeout)
        entry = {"tweet_id": tid, "post_ms": round(took * 1000, 3), "probes_seen": len(seen)}
        if len(seen) == len(probes):
            all_s = max(seen.values())
            entry.update({"first_probe_s": round(min(seen.values()), 4), "visible_all_s": round(all_s, 4),
                          "entries_per_s": round(n / all_s)})
        else:
            entry["timeout"] = True
        tweets.append(entry)
        if entry.get("timeout"):
            # Let that fan-out finish before the next POST (or the next ones queue behind it).
            entry["drain_after_timeout"] = wait_drained(a.url, a.drain_timeout)
        print(f"bench: fan-out tweet {i + 1}/{a.tweets}: POST {entry['post_ms']:.1f} ms, "
              f"visible to all {entry.get('visible_all_s', 'TIMEOUT')} s", file=sys.stderr)
        time.sleep(a.pause)
    res = sampler.stop()
    drain = wait_drained(a.url, a.drain_timeout)
    m1 = metrics(a.url)
    post_ms = [t["post_ms"] for t in tweets]
    vis = [t["visible_all_s"] for t in tweets if "visible_all_s" in t]
    timeouts = sum(1 for t in tweets if t.get("timeout"))
    non2xx_posts = sum(v for k, v in post_statuses.items() if not 200 <= k < 300)
    non2xx_polls = sum(v for k, v in poller.statuses.items() if not 200 <= k < 300)
    jobs = (metric(m1, "chirp_jobs_completed_total", 0) or 0) - (metric(m0, "chirp_jobs_completed_total", 0) or 0)
    record = {
        "kind": "fanout", "id": "fanout", "name": f"(e) fan-out: author with {n:,} followers", "group": a.group,
        "author": a.author, "followers": n, "batch_size": b, "probes": len(probes), "tweets": a.tweets,
        "post_ms": {"p50": pct(post_ms, 50), "p90": pct(post_ms, 90), "p99": pct(post_ms, 99), "max": max(post_ms or [0])},
        "visible_all_s": {"p50": pct(vis, 50), "p90": pct(vis, 90), "p99": pct(vis, 99), "max": max(vis or [0])},
        "entries_per_s": {"p50": round(n / pct(vis, 50)) if vis else None,
                          "worst": round(n / max(vis)) if vis else None},
        "post_statuses": post_statuses, "poll_statuses": poller.statuses, "polls": poller.polls,
        "poll_errors": len(poller.errors), "timeouts": timeouts,
        "non2xx": non2xx_posts + non2xx_polls, "jobs_completed": int(jobs),
        "jobs_per_tweet": round(jobs / a.tweets, 2) if jobs else None,
        "per_tweet": tweets, "drain": drain,
    }
    record.update(res)
    record["invalid"] = bool(record["non2xx"] or timeouts or poller.errors or len(vis) == 0)
    append(a.results, record)
    print(f"bench: fan-out: POST p50 {record['post_ms']['p50']} ms p99 {record['post_ms']['p99']} ms; "
          f"visible to all p50 {record['visible_all_s']['p50']} s p99 {record['visible_all_s']['p99']} s; "
          f"{record['entries_per_s']['p50']} entries/s" + (" INVALID" if record["invalid"] else ""),
          file=sys.stderr)
    return 0


# ---------------------------------------------------------------- celebrity (f)

def sqlite_feed_rows(path: str | None, tweet_ids: list[int]) -> int | None:
    if not path or not os.path.exists(path) or not tweet_ids:
        return None
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
        q = f"SELECT COUNT(*) FROM newsfeeds WHERE tweet_id IN ({','.join('?' * len(tweet_ids))})"
        n = db.execute(q, tweet_ids).fetchone()[0]
        db.close()
        return n
    except sqlite3.Error:
        return None


def post_series(a, c: Client, token: str, label: str, count: int, probes: dict[int, str]) -> dict:
    """count POSTs by one author: latency, jobs and feed rows per tweet, visibility to `probes`."""
    wait_drained(a.url, a.drain_timeout)
    m0 = metrics(a.url)
    lat, ids, statuses = [], [], {}
    visible_first, visible_delay = 0, []
    reader = Client(a.url)
    for i in range(count):
        status, body, took = post_tweet(c, token, label, i)
        statuses[status] = statuses.get(status, 0) + 1
        lat.append(took * 1000)
        if status != 201:
            continue
        ids.append(body["id"])
        # Is it in followers' feeds right away? Read a few probes' first pages once each.
        t_end = time.perf_counter()
        pids_ = list(probes)
        for uid in [pids_[(i * 5 + j) % len(pids_)] for j in range(min(5, len(pids_)))]:
            s2, feed, _ = reader.call("GET", "/api/newsfeeds/", token=probes[uid])
            statuses[s2] = statuses.get(s2, 0) + 1
            if s2 == 200 and body["id"] in feed_ids(feed):
                visible_first += 1
                visible_delay.append(time.perf_counter() - t_end)
        time.sleep(a.pause)
    drain = wait_drained(a.url, a.drain_timeout)
    m1 = metrics(a.url)
    jobs = (metric(m1, "chirp_jobs_completed_total", 0) or 0) - (metric(m0, "chirp_jobs_completed_total", 0) or 0)
    reads = sum(v for k, v in statuses.items() if k == 200)
    rows = sqlite_feed_rows(a.sqlite, ids)
    return {
        "label": label, "tweets": count, "post_ms": {"p50": pct(lat, 50), "p90": pct(lat, 90), "p99": pct(lat, 99),
                                                     "max": max(lat or [0])},
        "statuses": statuses, "non2xx": sum(v for k, v in statuses.items() if not 200 <= k < 300),
        "jobs_per_tweet": round(jobs / count, 2) if "chirp_jobs_completed_total" in m1 else None,
        "feed_rows_per_tweet": round(rows / len(ids), 2) if rows is not None and ids else None,
        "probe_reads": reads, "visible_on_first_read": visible_first,
        "visible_checks": min(5, len(probes)) * count if probes else 0, "drain": drain,
    }


def cmd_celebrity(a) -> int:
    pids = parse_pids(a.pids)
    pids["tool-bench.py"] = os.getpid()
    c = Client(a.url)
    # The quiet author gets exactly quiet_followers followers (users from quiet_from on follow it).
    quiet_followers = list(range(a.quiet_from, a.quiet_from + a.quiet_followers))
    qtok = login_many(a.url, quiet_followers + [a.quiet_author], 4)
    for uid in quiet_followers:
        status, body, _ = c.call("POST", f"/api/friendships/{a.quiet_author}/follow/", {}, qtok[uid])
        if status not in (200, 201, 400):
            raise RuntimeError(f"follow failed: {status} {body}")
    star_token = login(a.url, a.author)
    lo, hi = a.first_follower, a.first_follower + a.followers - 1
    star_probes = login_many(a.url, spread(lo, hi, a.sample), 8)
    quiet_probes = {u: qtok[u] for u in quiet_followers}
    sampler = Sampler(pids).start()
    quiet = post_series(a, c, qtok[a.quiet_author], f"quiet a{a.quiet_author}", a.tweets, quiet_probes)
    star = post_series(a, c, star_token, f"celebrity a{a.author}", a.tweets, star_probes)
    res = sampler.stop()
    record = {"kind": "celebrity", "id": "celebrity", "group": a.group,
              "name": f"(f) author with {a.followers:,} followers (pull)", "author": a.author,
              "followers": a.followers, "quiet_author": a.quiet_author, "quiet_followers": a.quiet_followers,
              "star": star, "quiet": quiet, "non2xx": star["non2xx"] + quiet["non2xx"]}
    record.update(res)
    record["invalid"] = bool(record["non2xx"])
    # Constant work: no more jobs per tweet than a 10-follower author, and a POST latency of the same
    # order (p50 within 2x + 1 ms).
    sj, qj = star["jobs_per_tweet"], quiet["jobs_per_tweet"]
    record["constant_work"] = {
        "jobs": None if sj is None or qj is None else sj <= qj,
        "latency": star["post_ms"]["p50"] <= 2 * quiet["post_ms"]["p50"] + 1.0,
    }
    append(a.results, record)
    print(f"bench: celebrity: POST p50/p99 {star['post_ms']['p50']:.2f}/{star['post_ms']['p99']:.2f} ms "
          f"(10-follower author {quiet['post_ms']['p50']:.2f}/{quiet['post_ms']['p99']:.2f} ms); jobs/tweet "
          f"{sj} vs {qj}; feed rows/tweet {star['feed_rows_per_tweet']} vs {quiet['feed_rows_per_tweet']}; "
          f"visible on first read {star['visible_on_first_read']}/{star['visible_checks']}", file=sys.stderr)
    return 0


# ---------------------------------------------------------------- report

TARGETS = {
    "healthz": ("reference", None),
    "newsfeed": ("≥ 10,000 req/s, p99 ≤ 25 ms (full stack)", lambda r: r["rps"] >= 10000 and r["latency_us"]["p99"] <= 25000),
    "timeline": ("—", None),
    "mixed": ("≥ 5,000 req/s, p99 ≤ 50 ms", lambda r: r["rps"] >= 5000 and r["latency_us"]["p99"] <= 50000),
    "memory": ("≤ 200 MB RSS under the mixed load", None),
    "post": ("POST p99 ≤ 10 ms", None),
    "fanout": ("≥ 100,000 entries/s; visible to all ≤ 2 s", None),
    "celebrity": ("constant work per tweet", None),
    "feed-celebrity": ("— (merge path)", None),
}


def yesno(v) -> str:
    return "—" if v is None else ("yes" if v else "**no**")


def ms(v, digits=2) -> str:
    return "—" if v is None else f"{v:.{digits}f}"


def cmd_report(a) -> int:
    records = [json.loads(line) for line in Path(a.results).read_text().splitlines() if line.strip()]
    meta = json.loads(Path(a.meta).read_text()) if a.meta and os.path.exists(a.meta) else {}
    refs = {(r.get("group"), r["id"]): r for r in records if r["kind"] == "wrk"}
    rows = []
    invalid = []

    def ratio(r):
        ref = refs.get((r.get("group"), r.get("reference") or "healthz"))
        if not ref or ref is r or r.get("error") or ref.get("error") or not ref.get("rps"):
            return "1.00" if ref is r else "—"
        return f"{r['rps'] / ref['rps']:.2f}"

    for r in records:
        bad = r.get("invalid")
        if bad:
            invalid.append(r["name"])
        flag = "INVALID " if bad else ""
        if r["kind"] == "wrk":
            if r.get("error"):
                rows.append([flag + r["name"], "error", "—", "—", "—", "—", "—", "—", "—", "—"])
                continue
            target, check = TARGETS.get(r["id"], ("—", None))
            lat = r["latency_us"]
            errs = r["socket_errors"]["total"]
            non2xx = f"{r['non2xx']}" + (f" (+{errs} socket errors)" if errs else "")
            met = "INVALID" if bad else ("—" if check is None else yesno(check(r)))
            rows.append([flag + r["name"], f"{r['rps']:,.0f}", ratio(r), fmt_ms(lat["p50"]), fmt_ms(lat["p90"]),
                         fmt_ms(lat["p99"]), non2xx, f"{r['rss_max_total_mb']:.0f} MB", target, met])
            if r["id"] == "mixed":
                rows.append(["server memory under the mixed load", "", "", "", "", "", "",
                             f"{r['rss_max_total_mb']:.0f} MB", TARGETS["memory"][0],
                             yesno(r["rss_max_total_mb"] <= 200)])
        elif r["kind"] == "fanout":
            p = r["post_ms"]
            rows.append([flag + f"(e) POST /api/tweets/, author with {r['followers']:,} followers (push)",
                         f"{r['tweets']} posts", "—", ms(p["p50"]), ms(p["p90"]), ms(p["p99"]),
                         str(sum(v for k, v in r["post_statuses"].items() if not 200 <= int(k) < 300)),
                         f"{r['rss_max_total_mb']:.0f} MB", TARGETS["post"][0],
                         yesno(p["p99"] is not None and p["p99"] <= 10)])
            v = r["visible_all_s"]
            eps = r["entries_per_s"]["p50"]
            rows.append([flag + f"(e) fan-out to {r['followers']:,} followers: visible to all (s)",
                         "—" if eps is None else f"{eps:,} entries/s", "—",
                         ms(v["p50"], 3), ms(v["p90"], 3), ms(v["p99"], 3), str(r["non2xx"]),
                         f"{r['rss_max_total_mb']:.0f} MB", TARGETS["fanout"][0],
                         yesno(eps is not None and eps >= 100000 and v["p99"] <= 2.0)])
        elif r["kind"] == "celebrity":
            s, q = r["star"], r["quiet"]
            cw = r["constant_work"]
            met = yesno(cw["latency"] and cw["jobs"] is not False)
            if s["jobs_per_tweet"] is None:
                jobs = "jobs/tweet n/a: jobs run in chirp worker"
            else:
                jobs = f"jobs/tweet {s['jobs_per_tweet']} vs {q['jobs_per_tweet']}"
            if s.get("feed_rows_per_tweet") is not None:
                jobs += f"; feed rows/tweet {s['feed_rows_per_tweet']} vs {q['feed_rows_per_tweet']}"
            rows.append([flag + f"(f) POST, author with {r['followers']:,} followers (pull)",
                         f"{s['tweets']} posts", "—", ms(s["post_ms"]["p50"]), ms(s["post_ms"]["p90"]),
                         ms(s["post_ms"]["p99"]), str(s["non2xx"]), f"{r['rss_max_total_mb']:.0f} MB",
                         TARGETS["celebrity"][0] + f" ({jobs})", met])
            rows.append([f"(f) POST, author with {r['quiet_followers']} followers (comparison)",
                         f"{q['tweets']} posts", "—", ms(q["post_ms"]["p50"]), ms(q["post_ms"]["p90"]),
                         ms(q["post_ms"]["p99"]), str(q["non2xx"]), "", "—", "—"])
            rows.append([f"(f) new tweet of the {r['followers']:,}-follower author in a follower's first feed page",
                         f"{s['visible_on_first_read']}/{s['visible_checks']} reads", "", "", "", "", "", "", "—", "—"])

    head = ["scenario", "req/s", "ratio to /healthz", "p50 ms", "p90 ms", "p99 ms", "non-2xx", "max RSS",
            "target (DESIGN §8)", "met?"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    # CPU table: how the 2 cores were shared (other = everything else on the machine).
    cpu_lines = ["| scenario | chirp CPU (cores) | load generator CPU (wrk or bench.py) | services CPU (full stack) | whole machine | "
                 "other processes |", "|---|---|---|---|---|---|"]
    for r in records:
        if "cpu_cores" not in r:
            continue
        cpu = r["cpu_cores"]
        chirp = sum(v for k, v in cpu.items() if is_chirp(k))
        svc = {k[4:]: v for k, v in cpu.items() if k.startswith("svc-")}
        wrk = cpu.get("wrk", cpu.get("tool-bench.py"))
        other = r["machine_cpu_cores"] - chirp - (wrk or 0) - sum(svc.values())
        svc_text = ", ".join(f"{k} {v:.2f}" for k, v in svc.items()) or "—"
        cpu_lines.append(f"| {r['name']} | {chirp:.2f} | {'—' if wrk is None else f'{wrk:.2f}'} | {svc_text} | "
                         f"{r['machine_cpu_cores']:.2f} | {max(0.0, other):.2f} |")
    notes = []
    for r in records:
        d = r.get("drain")
        if r["kind"] == "wrk" and d and d.get("backlog_at_end"):
            notes.append(f"- after {r['name']}: {d['backlog_at_end']:.0f} background jobs pending at the end "
                         f"of the measurement, " + (f"drained in {d['drain_s']} s" if d["drained"]
                                                    else f"{d['left']:.0f} still pending after {d['drain_s']} s"))
        if r["kind"] == "wrk" and r.get("jobs_failed"):
            notes.append(f"- during {r['name']}: {r['jobs_failed']} background job attempts failed")
    if notes:
        lines += ["", *notes]
    text = "\n".join(lines) + "\n\nCPU during each measurement (cores, of %d):\n\n" % (os.cpu_count() or 0) + "\n".join(cpu_lines)
    if meta:
        text = "\n".join(f"- {k}: {v}" for k, v in meta.items()) + "\n\n" + text
    if invalid:
        text += "\n\nINVALID (non-2xx responses, socket errors or timeouts): " + "; ".join(invalid)
    print(text)
    if a.markdown:
        Path(a.markdown).write_text(text + "\n")
    if a.json:
        Path(a.json).write_text(json.dumps({"meta": meta, "scenarios": records}, indent=1) + "\n")
    return 1 if invalid else 0


# ---------------------------------------------------------------- main

def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)

    t = sub.add_parser("tokens", help="log users in, write 'user_id token' lines")
    t.add_argument("--url", required=True)
    t.add_argument("--out", required=True)
    t.add_argument("--range", default="1-10000", help="ids LO-HI to spread the users over")
    t.add_argument("--count", type=int, default=1000)
    t.add_argument("--ids", help="comma-separated ids instead of --range/--count")
    t.add_argument("--threads", type=int, default=8)
    t.add_argument("--password", default=PASSWORD)

    w = sub.add_parser("wrk", help="one wrk scenario")
    w.add_argument("--url", required=True)
    w.add_argument("--scenario", required=True, help="bench/lua/SCENARIO.lua")
    w.add_argument("--script", help="another Lua script instead")
    w.add_argument("--id", help="scenario id for targets (default: --scenario)")
    w.add_argument("--name", required=True)
    w.add_argument("--group", default="M", help="data set / server the scenario ran on")
    w.add_argument("--reference", default="healthz", help="id of the reference scenario of the group")
    w.add_argument("--tokens")
    w.add_argument("--users", type=int, default=10000)
    w.add_argument("--duration", type=float, default=20)
    w.add_argument("--warmup", type=float, default=5)
    w.add_argument("--connections", type=int, default=64)
    w.add_argument("--threads", type=int, default=1)
    w.add_argument("--timeout", type=float, default=5)
    w.add_argument("--seed", type=int, default=1)
    w.add_argument("--next-fraction", type=float, default=0.2)
    w.add_argument("--env", action="append", help="extra KEY=VALUE for the Lua script")
    w.add_argument("--pids", help="name=pid,... of the chirp processes (RSS and CPU)")
    w.add_argument("--results", required=True)
    w.add_argument("--log", help="file wrk's own output is appended to")
    w.add_argument("--drain", action="store_true", help="afterwards wait until no background job is pending")
    w.add_argument("--drain-timeout", type=float, default=300)

    f = sub.add_parser("fanout", help="scenario (e)")
    f.add_argument("--url", required=True)
    f.add_argument("--author", type=int, default=2)
    f.add_argument("--first-follower", type=int, default=3)
    f.add_argument("--followers", type=int, default=100000)
    f.add_argument("--batch-size", type=int, default=1000)
    f.add_argument("--tweets", type=int, default=20)
    f.add_argument("--threads", type=int, default=2, help="polling threads")
    f.add_argument("--window", type=int, default=8, help="lowest-id unseen probes polled at a time")
    f.add_argument("--poll-pause", type=float, default=0.01, help="seconds each polling thread waits between reads")
    f.add_argument("--timeout", type=float, default=60, help="seconds a tweet may take to reach everyone")
    f.add_argument("--pause", type=float, default=0.2, help="seconds between a tweet's fan-out and the next POST")
    f.add_argument("--drain-timeout", type=float, default=300)
    f.add_argument("--group", default="F")
    f.add_argument("--pids")
    f.add_argument("--results", required=True)

    c = sub.add_parser("celebrity", help="scenario (f)")
    c.add_argument("--url", required=True)
    c.add_argument("--author", type=int, default=1)
    c.add_argument("--first-follower", type=int, default=3)
    c.add_argument("--followers", type=int, default=1000000)
    c.add_argument("--quiet-author", type=int, default=1000002, help="the comparison author")
    c.add_argument("--quiet-followers", type=int, default=10)
    c.add_argument("--quiet-from", type=int, default=500000, help="first of the users that follow the quiet author")
    c.add_argument("--tweets", type=int, default=20)
    c.add_argument("--sample", type=int, default=50, help="followers whose feeds are checked")
    c.add_argument("--pause", type=float, default=0.1)
    c.add_argument("--drain-timeout", type=float, default=300)
    c.add_argument("--sqlite", help="the SQLite file (embedded): count feed rows per tweet")
    c.add_argument("--group", default="F")
    c.add_argument("--pids")
    c.add_argument("--results", required=True)

    wm = sub.add_parser("warm", help="read a path once per token (warm caches)")
    wm.add_argument("--url", required=True)
    wm.add_argument("--tokens", required=True)
    wm.add_argument("--path", default="/api/newsfeeds/")
    wm.add_argument("--threads", type=int, default=8)

    r = sub.add_parser("report", help="markdown table + combined JSON; exit 1 if any scenario is invalid")
    r.add_argument("--results", required=True)
    r.add_argument("--meta", help="JSON object describing the run (printed above the table)")
    r.add_argument("--markdown")
    r.add_argument("--json")

    a = p.parse_args()
    return {"tokens": cmd_tokens, "wrk": cmd_wrk, "fanout": cmd_fanout, "celebrity": cmd_celebrity,
            "report": cmd_report, "warm": cmd_warm}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
