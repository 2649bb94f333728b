"""``make loadtest``: Locust load and fault test of the production set-up, on loopback.

The production shape (README, Deployment) is a reverse proxy in front of gunicorn; here:

* gunicorn exactly as ``make run`` starts it: the command is read from the Makefile
  (``make -n run``), so workers, ``--preload``, timeout and any later change come from that
  one place; bound to a free port on 127.0.0.1, ``RUHR_DATA_DIR`` as in the Makefile
  (``data/generated``), a fresh result cache for this run (unless ``RUHR_CACHE_URL`` is set);
* nginx (Debian package ``nginx``, ``/usr/sbin/nginx``; exit status 2 with the install
  command if it is missing) on another free port of 127.0.0.1, in front of gunicorn, with its
  own configuration, pid, log and temporary files in a temporary folder (no system
  configuration, no daemon). It retries a request once when the gunicorn worker answering it
  dies (see ``NGINX_CONF`` for the settings and why retrying POST is safe in this app);
* Locust headless (``tests/perf/locustfile.py``) against nginx: 50 users, 10 started per
  second, 60 s;
* 25 s into the run, SIGKILL to one gunicorn worker (a child of the master) that is in the
  middle of a request (the worst case; it waits up to 5 s for one); checks that the master
  starts a new one and that the service keeps answering (``/healthz`` through nginx every
  second during the whole run);
* ``LOADTEST_GUNICORN_ARGS="--threads 4"`` adds gunicorn options, for experiments;
* prints requests, failures as the client saw them, requests/s, p50/p95 per request type and
  overall, the kill, the requests nginx retried (from its access log: ``$upstream_status``
  such as ``502, 200``), what a client talking to gunicorn directly would have lost (the
  requests the killed worker was serving), worker pids before and after, and RSS/PSS of
  master and workers (``/proc/<pid>/smaps_rollup``) before and after the load.

Exit status 0 only if no request failed at the client, the service kept answering, the kill
happened and the master replaced the worker, and Locust finished; 1 otherwise; 2 if the run
could not be set up. Everything stops by itself: each step has a time limit, and nginx,
gunicorn and Locust are stopped on any exit (also on Ctrl-C, SIGTERM, or when this process
dies). Files: ``artifacts/loadtest/`` (Locust CSVs, one line per request, gunicorn, nginx
and Locust logs, the nginx configuration, the summary).
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import json
import math
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "loadtest"
USERS, SPAWN_RATE, RUN_S = 50, 10, 60
KILL_AT_S = 25
BUSY_WAIT_S = 5  # from KILL_AT_S, wait this long at most for a worker that is serving
KILL_WINDOW_S = 2.0
STOP_TIMEOUT_S = 15  # Locust lets running actions finish for up to this long
START_LIMIT_S = 90
RESPAWN_LIMIT_S = 30
PROBE_EVERY_S, PROBE_TIMEOUT_S = 1.0, 15.0
WATCHDOG_S = START_LIMIT_S + RUN_S + STOP_TIMEOUT_S + 180
TYPES = ("page", "layout", "dependencies", "static", "geo", "image", "callback", "download")
NGINX = Path("/usr/sbin/nginx")
GUNICORN_TIMEOUT_S = 60  # dashboard/gunicorn_conf.py: a worker silent this long is replaced

# nginx as the reverse proxy of README "Deployment" (TLS left out: loopback only).
# * One upstream, the gunicorn address listed twice with max_fails=0: nginx tries each listed
#   server at most once per request, so a request whose first attempt fails (the worker
#   serving it died: the connection closes without an answer) goes once more to the same
#   gunicorn, whose master keeps the listening socket and another worker accepts it; and
#   max_fails=0 keeps a failed attempt from marking the address down for other requests.
# * proxy_next_upstream error timeout http_502 non_idempotent, at most 2 tries, and only while
#   the request is younger than 30 s (one that ran into gunicorn's 60 s worker timeout is not
#   run twice). non_idempotent lets nginx retry POST as well. That is safe here because every
#   POST this app takes is a Dash callback (/_dash-update-component), and every callback in
#   dashboard/callbacks.py is a read-only computation over the in-memory dataset: nothing
#   writes application state, files or a database. The one write is the shared result cache
#   (dashboard/cache.py), a memo keyed by the inputs: a second run stores the same value
#   under the same key. If a POST with side effects is ever added, remove non_idempotent
#   (or scope it to /_dash-update-component).
# * HTTP/1.1 to gunicorn without upstream keepalive: nginx sends "Connection: close" and
#   opens one connection per request, as gunicorn's sync workers expect (they close every
#   connection after the answer), so there is no keep-alive race in which nginx reuses a
#   connection the worker is closing. Request bodies are buffered (needed to resend a POST),
#   responses too (slow clients tie up nginx, not a sync worker).
# * gzip off: the app compresses (flask-compress); nginx passes Content-Encoding through.
# * The access log records $upstream_status and $upstream_addr per request: "502, 200" means
#   the first attempt failed and the retry answered.
NGINX_CONF = """\
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{
    worker_connections 1024;
}}
http {{
    log_format loadtest escape=json
        '{{"msec":"$msec","method":"$request_method","uri":"$request_uri",'
        '"status":"$status","upstream_status":"$upstream_status",'
        '"upstream_addr":"$upstream_addr","request_time":"$request_time",'
        '"upstream_response_time":"$upstream_response_time","bytes":"$body_bytes_sent"}}';
    access_log {tmp}/access.log loadtest;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    server_tokens off;
    keepalive_timeout 75s;
    gzip off;
    client_max_body_size 8m;
    client_body_buffer_size 1m;

    upstream gunicorn {{
        # listed twice: a failed attempt is retried once (max_fails=0: never marked down)
        server {upstream} max_fails=0;
        server {upstream} max_fails=0;
    }}

    server {{
        listen {listen};
        location / {{
            proxy_pass http://gunicorn;
            proxy_http_version 1.1;  # no upstream keepalive: "Connection: close" per request
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_connect_timeout 5s;
            proxy_read_timeout {read_timeout}s;  # longer than gunicorn's worker timeout
            proxy_send_timeout 60s;
            proxy_buffer_size 16k;
            proxy_buffers 32 16k;
            # Retry once on another (here: the same) upstream when the first attempt fails,
            # POST included: every POST here is a read-only Dash callback (see above).
            proxy_next_upstream error timeout http_502 non_idempotent;
            proxy_next_upstream_tries 2;
            proxy_next_upstream_timeout 30s;
        }}
    }}
}}
"""


class Abort(Exception):
    """The run cannot go on; the message says why."""


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM when this driver dies (Linux PR_SET_PDEATHSIG),
    so that not even a SIGKILL of the driver leaves a server behind."""
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_command(port: int) -> tuple[list[str], dict[str, str]]:
    """The gunicorn command of ``make run`` for 127.0.0.1:port, from ``make -n`` (which only
    prints the recipe), and any ``NAME=value`` it sets in front of the command."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    printed = subprocess.run(
        ["make", "--no-print-directory", "-n", "run", f"PORT={port}", "HOST=127.0.0.1"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=30, check=True,
    ).stdout  # fmt: skip
    lines = re.sub(r"\\\n\s*", " ", printed).splitlines()
    found = [shlex.split(line) for line in lines if re.search(r"(^|[\s/])gunicorn\s", line)]
    if len(found) != 1:
        raise Abort(f"expected one gunicorn command in `make -n run`, got:\n{printed}")
    words = found[0]
    start = next(i for i, w in enumerate(words) if Path(w).name == "gunicorn")
    assignments = dict(w.split("=", 1) for w in words[:start] if re.match(r"\w+=", w))
    return words[start:], assignments


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
                    found.append(int(entry.name))
    return sorted(found)


def memory_kib(pid: int) -> dict[str, int]:
    values = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            name, _, rest = line.partition(":")
            if name in ("Rss", "Pss"):
                values[name] = int(rest.split()[0])
    return values


def socket_inodes(pid: int) -> set[str]:
    inodes = set()
    with contextlib.suppress(OSError):
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
    return inodes


def connections_served(pid: int, port: int) -> int:
    """Client connections the worker holds, i.e. requests it is serving (a sync worker
    accepts one connection, answers it and closes it): ESTABLISHED TCP sockets on our port
    among its file descriptors."""
    inodes = socket_inodes(pid)
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                local_port = int(fields[1].rsplit(":", 1)[1], 16)
                if fields[3] == "01" and local_port == port and fields[9] in inodes:
                    count += 1
    return count


def run_state(pid: int) -> str:
    """R (running or runnable), S (sleeping, e.g. in accept), ... from /proc/<pid>/stat."""
    with contextlib.suppress(OSError, IndexError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat[stat.rindex(")") + 2]
    return "?"


def cpu_ticks(pid: int) -> int:
    """Utime + stime of a process, in clock ticks."""
    with contextlib.suppress(OSError, IndexError, ValueError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        fields = stat[stat.rindex(")") + 2 :].split()
        return int(fields[11]) + int(fields[12])
    return 0


def machine_ticks() -> tuple[int, int]:
    """(busy, total) clock ticks of all CPUs since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


def memory_table(master: int) -> list[tuple[str, int, dict[str, int]]]:
    return [("master", master, memory_kib(master))] + [
        ("worker", pid, memory_kib(pid)) for pid in children(master)
    ]


def get(url: str, timeout: float) -> int:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        response.read()
        return response.status


def nginx_version() -> str:
    printed = subprocess.run(
        [str(NGINX), "-v"], capture_output=True, text=True, timeout=30, check=False
    ).stderr
    return printed.strip().rsplit("/", 1)[-1] or "?"


def start_nginx(folder: Path, port: int, upstream: str, log) -> subprocess.Popen:
    """Nginx on 127.0.0.1:port in front of ``upstream``, everything in ``folder``: the
    configuration, pid, logs, temporary files; in the foreground (``daemon off``)."""
    conf = folder / "nginx.conf"
    conf.write_text(
        NGINX_CONF.format(
            tmp=folder,
            listen=f"127.0.0.1:{port}",
            upstream=upstream,
            read_timeout=GUNICORN_TIMEOUT_S + 10,
        )
    )
    if os.geteuid() == 0:  # the workers run as an unprivileged user: let them in
        folder.chmod(0o755)
    command = [str(NGINX), "-p", f"{folder}/", "-c", str(conf), "-e", str(folder / "error.log")]
    checked = subprocess.run(
        [*command, "-t"], capture_output=True, text=True, timeout=30, check=False
    )
    if checked.returncode != 0:
        errors = (folder / "error.log").read_text() if (folder / "error.log").exists() else ""
        raise Abort(f"nginx -t failed:\n{checked.stderr}{errors}")
    return subprocess.Popen(
        [*command, "-g", "daemon off;"], stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True, preexec_fn=_die_with_parent,
    )  # fmt: skip


def read_nginx_log(path: Path) -> list[dict]:
    """The access log (one JSON object a line), with start and end time of each request."""
    entries = []
    if path.exists():
        for line in path.read_text(errors="replace").splitlines():
            with contextlib.suppress(ValueError, KeyError):
                entry = json.loads(line)
                entry["status"] = int(entry["status"])
                entry["end"] = float(entry["msec"])
                entry["start"] = entry["end"] - float(entry["request_time"])
                entries.append(entry)
    return entries


class Monitor(threading.Thread):
    """``/healthz`` every second (a failure is retried once at once: two in a row mean the
    service stopped answering), and the peak RSS of master and workers."""

    def __init__(self, url: str, master: int):
        super().__init__(daemon=True)
        self.url, self.master = url, master
        self.stop = threading.Event()
        self.probes: list[tuple[float, float, str | None]] = []  # start, seconds, error
        self.outages: list[tuple[float, str]] = []
        self.peak_rss: dict[int, int] = {}
        self.watched: dict[int, int] = {}  # pid: CPU ticks at the start of the run
        self.cpu: dict[int, int] = {}  # pid: CPU ticks used since then (last seen)

    def watch(self, pid: int) -> None:
        self.watched.setdefault(pid, cpu_ticks(pid))

    def sample_cpu(self) -> None:
        for pid in children(self.master):
            self.watch(pid)
        for pid, start in self.watched.items():
            now = cpu_ticks(pid)
            if now:
                self.cpu[pid] = now - start

    def probe(self) -> str | None:
        start = time.time()
        error = None
        try:
            status = get(f"{self.url}/healthz", PROBE_TIMEOUT_S)
            error = None if status == 200 else f"HTTP {status}"
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
        self.probes.append((start, time.time() - start, error))
        return error

    def run(self) -> None:
        while not self.stop.is_set():
            started = time.monotonic()
            for _, pid, mem in memory_table(self.master):
                self.peak_rss[pid] = max(self.peak_rss.get(pid, 0), mem.get("Rss", 0))
            self.sample_cpu()
            if self.probe() is not None:
                second = self.probe()
                if second is not None:
                    self.outages.append((time.time(), second))
            self.stop.wait(max(0.0, PROBE_EVERY_S - (time.monotonic() - started)))


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]  # nearest rank


def read_events(path: Path) -> list[tuple[float, float, str, str | None]]:
    events = []
    if path.exists():
        for line in path.read_text().splitlines():
            with contextlib.suppress(ValueError):
                start, ms, name, error = json.loads(line)
                events.append((start or 0.0, ms, name, error))
    return events


def read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def stop_process(proc: subprocess.Popen | None, grace: float) -> None:
    """SIGTERM to the process (gunicorn: graceful shutdown), then SIGKILL to its process
    group (its own session, started by us) if it is still there."""
    if proc is None:
        return
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(grace)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(5)


def _raise_exit(signum, _frame):
    raise SystemExit(f"stopped by signal {signal.Signals(signum).name}")


def _mib(kib: int | None) -> str:
    return "-" if kib is None else f"{kib / 1024:8.1f}"


def _listing(out: list[str], title: str, rows, line) -> None:
    """A titled block of one line per row, after a blank line; nothing without rows."""
    if rows:
        out.extend(["", title, *(line(row) for row in rows)])


def summarise(run: dict) -> tuple[list[str], bool]:
    """The printed summary, and whether the run passed."""
    out: list[str] = []
    events = read_events(run["events_path"])
    stats = read_csv(ARTIFACTS / "stats_stats.csv")
    failures_csv = read_csv(ARTIFACTS / "stats_failures.csv")
    exceptions = read_csv(ARTIFACTS / "stats_exceptions.csv")
    total = next((r for r in stats if r.get("Name") == "Aggregated"), {})
    kill = run.get("kill_time")
    t0 = run["locust_start"]

    out.append("=" * 78)
    out.append("Load and fault test (make loadtest)")
    out.append("=" * 78)
    out.append(
        f"proxy    : nginx {run.get('nginx_version', '?')} on {run['proxy']} (what Locust and the "
        "probes talk to), retries a failed attempt once, POST included"
    )
    out.append(f"           {run.get('nginx_command', '')}")
    out.append(f"server   : {' '.join(run['command'])}")
    out.append(f"           RUHR_DATA_DIR={run['env']['RUHR_DATA_DIR']}")
    out.append(f"           RUHR_CACHE_URL={run['env'].get('RUHR_CACHE_URL', '(unset)')}")
    out.append(
        f"load     : {USERS} users, {SPAWN_RATE}/s spawn, {RUN_S} s, Locust "
        f"{run.get('locust_version', '?')} on the same 2-core machine, exit code "
        f"{run.get('locust_rc')}"
    )
    requests = len(events)  # every request, also those during Locust's stop phase
    failed = max(int(total.get("Failure Count", 0) or 0), sum(1 for e in events if e[3]))
    span = max((e[0] + e[1] / 1000 for e in events), default=0) - min(
        (e[0] for e in events), default=0
    )
    rps = requests / span if span > 0 else 0.0
    out.append(f"requests : {requests:,}   failed at the client: {failed}   requests/s: {rps:.1f}")
    out.append(
        f"           (Locust's own count: {int(total.get('Request Count', 0) or 0):,} requests, "
        f"{total.get('Failure Count', '?')} failed, {float(total.get('Requests/s', 0) or 0):.1f}/s)"
    )
    out.append("")
    out.append(f"{'type':<14}{'requests':>9}{'failed':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    by_type: dict[str, list] = {}
    for event in events:
        by_type.setdefault(event[2].split(" ", 1)[0], []).append(event)
    order = [t for t in TYPES if t in by_type] + sorted(set(by_type) - set(TYPES))
    for kind, rows in [*((t, by_type[t]) for t in order), ("overall", events)]:
        times = [r[1] for r in rows]
        bad = sum(1 for r in rows if r[3])
        if kind == "overall":
            out.append("-" * 58)
        out.append(
            f"{kind:<14}{len(rows):>9,}{bad:>8}{percentile(times, 50):>9.0f}"
            f"{percentile(times, 95):>9.0f}{max(times, default=0):>9.0f}"
        )
    callbacks = sorted(
        (r for r in stats if r.get("Name", "").startswith("callback")),
        key=lambda r: -int(r["Request Count"]),
    )

    def callback_line(r) -> str:
        counts = f"{int(r['Request Count']):>7,}{int(r['Failure Count']):>4}"
        return f"  {r['Name'][9:]:<40}{counts}  p50 {r['50%']:>5}  p95 {r['95%']:>5} ms"

    _listing(out, "callbacks by output (Locust's percentiles):", callbacks, callback_line)

    out.append("")
    out.append("fault: SIGKILL to one worker")
    passed = True
    if kill is None:
        out.append("  the kill did not happen: " + run.get("kill_error", "run ended early"))
        passed = False
    else:
        out.append(
            f"  at {kill - t0:.1f} s after Locust started: worker {run['victim']} killed; "
            f"workers before {run['workers_before']}, after {run.get('workers_after')}"
        )
        if run.get("respawn_s") is not None:
            out.append(
                f"  the master started worker {run['new_worker']} "
                f"{run['respawn_s'] * 1000:.0f} ms after the kill"
            )
        else:
            out.append(f"  no new worker within {RESPAWN_LIMIT_S} s")
            passed = False
        out.append(
            f"  the killed worker was in state {run.get('victim_state')} (R = running, "
            f"S = waiting) and held {run.get('victim_connections', 0)} connection(s) from "
            "nginx (ESTABLISHED on gunicorn's port; a sync worker serves one at a time)"
        )
        in_flight = [e for e in events if e[0] <= kill <= e[0] + e[1] / 1000]
        near = [e for e in events if e[3] and abs(e[0] + e[1] / 1000 - kill) <= KILL_WINDOW_S]
        failed_events = [e for e in events if e[3]]
        out.append(
            f"  requests in flight at the kill (client side, queued ones included): "
            f"{len(in_flight)}; failed requests within {KILL_WINDOW_S:.0f} s of the kill: "
            f"{len(near)} (of {len(failed_events)} failed in total)"
        )
        for e in failed_events[:20]:
            end = e[0] + e[1] / 1000 - kill
            out.append(f"    {end:+7.2f} s  {e[2]:<40} {e[3][:90]}")
        if len(failed_events) > 20:
            out.append(f"    ... {len(failed_events) - 20} more in artifacts/loadtest/events.jsonl")
        nginx = run.get("nginx_entries", [])
        retried = [e for e in nginx if "," in e["upstream_status"]]
        at_kill = [e for e in retried if e["start"] - 0.01 <= kill <= e["end"] + 0.01]
        held = run.get("victim_connections", 0)
        out.append(
            f"  nginx retried {len(at_kill)} request(s) in flight at the kill (first attempt "
            f"failed, the second answered by a live worker); {len(retried)} retried in the whole "
            f"run; {sum(1 for e in nginx if e['status'] >= 500)} answered 5xx by nginx "
            f"(of {len(nginx):,} in its log, /healthz probes included)"
        )
        for e in retried[:20]:
            out.append(
                f"    {e['end'] - kill:+7.2f} s  {e['method']:<5}{e['uri'][:40]:<41}"
                f"upstream {e['upstream_status']:<10} -> {e['status']}  "
                f"({e['upstream_response_time']} s)"
            )
        upstream_errors = [x for x in run.get("nginx_errors", []) if "upstream" in x]
        for line in upstream_errors[:5]:
            message = re.sub(r"^\S+ \S+ ", "", line.split(", client: ")[0])  # no date, client
            request = re.search(r'request: "(\S+ \S+)', line)
            out.append(f"    nginx: {message} ({request.group(1) if request else '?'})")
        too_late = [x for x in upstream_errors if "while reading upstream" in x]
        if too_late:
            out.append(
                f"  nginx could not retry {len(too_late)} request(s): the worker died after it had "
                "sent the response headers (nginx passes them on at once; after that no retry "
                "is possible), the client got a truncated answer"
            )
        out.append(
            f"  a client talking to gunicorn directly (no proxy) would have lost {held} "
            f"request(s): the {held} the killed worker was serving, each on its own connection "
            "(nginx opens one per request)"
        )
        for line in run.get("gunicorn_lines", []):
            out.append(f"  gunicorn: {line}")
    probes = run["monitor"].probes
    slowest = max((p[1] for p in probes), default=float("nan"))
    probe_failures = sum(1 for p in probes if p[2])
    out.append(
        f"  /healthz probes: {len(probes)}, failed {probe_failures}, slowest {slowest:.2f} s; "
        f"service stopped answering: {'YES' if run['monitor'].outages else 'no'}"
    )
    for when, error in run["monitor"].outages:
        out.append(f"    no answer twice in a row at {when - t0:.1f} s: {error}")

    if run.get("machine_end"):
        ticks = os.sysconf("SC_CLK_TCK")
        cores = os.cpu_count() or 1
        wall = run["run_s"]
        busy = run["machine_end"][0] - run["machine_start"][0]
        total = run["machine_end"][1] - run["machine_start"][1]
        cpu = run["monitor"].cpu
        proxies = set(run.get("nginx_pids", []))
        nginx_cpu = sum(v for pid, v in cpu.items() if pid in proxies)
        locust_cpu = cpu.get(run["locust_pid"], 0)
        server = sum(v for v in cpu.values()) - nginx_cpu - locust_cpu
        other = max(0, busy - server - locust_cpu - nginx_cpu)
        out.append("")
        out.append(
            f"CPU during the run ({wall:.0f} s, {cores} cores): machine busy "
            f"{100 * busy / max(total, 1):.0f} %; gunicorn {server / ticks / wall:.2f} cores, "
            f"nginx {nginx_cpu / ticks / wall:.2f} cores, Locust {locust_cpu / ticks / wall:.2f} "
            f"cores, other processes "
            f"{other / ticks / wall:.2f} cores; load average {run['loadavg_start']} at the "
            f"start, {run['loadavg_end']} at the end"
        )
        for pid, used in sorted(cpu.items()):
            role = (
                "Locust"
                if pid == run["locust_pid"]
                else "nginx"
                if pid in proxies
                else "master"
                if pid == run["master"]
                else "worker"
            )
            out.append(f"  {role:<7}{pid:>8}  {used / ticks:6.1f} s CPU")

    out.append("")
    out.append("memory (MiB, /proc/<pid>/smaps_rollup)")
    out.append(f"  {'':<8}{'pid':>8}{'RSS':>10}{'PSS':>10}   when")
    for label, table in (("before", run["mem_before"]), ("after", run.get("mem_after", []))):
        for role, pid, mem in table:
            out.append(
                f"  {role:<8}{pid:>8}{_mib(mem.get('Rss'))}  {_mib(mem.get('Pss'))}   {label} load"
            )
        pss = sum(mem.get("Pss", 0) for _, _, mem in table)
        out.append(f"  {'total':<8}{'':>8}{'':>10}{_mib(pss)}   {label} load (sum of PSS)")
    peaks = run["monitor"].peak_rss
    if peaks:
        listed = ", ".join(f"{pid}: {kib / 1024:.0f}" for pid, kib in sorted(peaks.items()))
        out.append(f"  peak RSS during the run (sampled each second): {listed}")

    _listing(
        out,
        "errors inside Locust users (not HTTP failures):",
        exceptions,
        lambda row: f"  {row.get('Count')} x {row.get('Message', '')[:150]}",
    )
    _listing(out, "failures (Locust):", failures_csv,
             lambda row: f"  {row.get('Occurrences')} x {row.get('Method')} {row.get('Name')}: "
                         f"{row.get('Error', '')[:110]}")  # fmt: skip

    problems = []
    if failed:
        near_kill = (
            sum(1 for e in events if e[3] and abs(e[0] + e[1] / 1000 - kill) <= KILL_WINDOW_S)
            if kill is not None
            else 0
        )
        too_late = sum(1 for x in run.get("nginx_errors", []) if "while reading upstream" in x)
        if near_kill == failed:
            problems.append(
                f"{failed} request(s) failed at the client, all within {KILL_WINDOW_S:.0f} s of "
                "the SIGKILL "
                f"(the killed worker held {run.get('victim_connections', 0)} connection(s); "
                f"{too_late} answer(s) cut off after the headers, which nginx cannot retry)"
            )
        else:
            problems.append(
                f"{failed} request(s) failed at the client, {failed - near_kill} not near the kill"
            )
    if exceptions:
        problems.append("errors inside Locust users")
    if run["monitor"].outages:
        problems.append("the service stopped answering")
    if run.get("locust_rc") is None:
        problems.append("Locust did not finish")
    if not requests:
        problems.append("no requests were made")
    if run.get("master_died"):
        problems.append("the gunicorn master exited")
    if run.get("nginx_died"):
        problems.append("nginx exited")
    passed = passed and not problems
    out.append("")
    if passed:
        retried = [e for e in run.get("nginx_entries", []) if "," in e["upstream_status"]]
        out.append(
            f"RESULT: PASS: 0 of {requests:,} requests failed at the client, the service kept "
            f"answering, nginx retried {len(retried)} request(s) lost with the killed worker"
        )
    else:
        out.append("RESULT: FAIL: " + "; ".join(problems or ["see above"]))
    return out, passed


def main() -> int:
    if not NGINX.exists():
        print(f"loadtest: {NGINX} missing; install it: apt-get install nginx", file=sys.stderr)
        return 2
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for old in [*ARTIFACTS.glob("stats*.csv"), *ARTIFACTS.glob("nginx*")]:
        old.unlink()
    events_path = ARTIFACTS / "events.jsonl"
    events_path.unlink(missing_ok=True)
    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGALRM):
        signal.signal(signum, _raise_exit)
    signal.alarm(WATCHDOG_S)  # whatever happens, this run ends

    subprocess.run(
        [sys.executable, "-m", "layers", "build", "--if-missing"], cwd=ROOT, check=True, timeout=600
    )
    port = free_port()  # gunicorn
    direct_url = f"http://127.0.0.1:{port}"
    proxy_port = free_port()
    while proxy_port == port:
        proxy_port = free_port()
    url = f"http://127.0.0.1:{proxy_port}"  # nginx: what clients talk to
    command, assignments = gunicorn_command(port)
    extra = shlex.split(os.environ.get("LOADTEST_GUNICORN_ARGS", ""))  # for experiments
    command = [*command[:-1], *extra, command[-1]] if extra else command
    env = {**os.environ, **assignments}
    env.setdefault("RUHR_DATA_DIR", str(ROOT / "data" / "generated"))
    env["RUHR_PUBLIC_URL"] = url
    if "RUHR_CACHE_URL" not in os.environ:  # start cold; later runs do not see this one's
        cache = ARTIFACTS / "result-cache"
        subprocess.run(["rm", "-rf", str(cache)], check=True)
        env["RUHR_CACHE_URL"] = f"file://{cache}"
    run: dict = {"events_path": events_path, "command": command, "env": env}
    run["proxy"] = f"127.0.0.1:{proxy_port}"
    server = locust = proxy = None
    gunicorn_log = (ARTIFACTS / "gunicorn.log").open("wb")
    locust_log = (ARTIFACTS / "locust.log").open("wb")
    nginx_log = (ARTIFACTS / "nginx.log").open("wb")  # its stdout/stderr
    nginx_dir = Path(tempfile.mkdtemp(prefix="loadtest-nginx-"))
    try:
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=gunicorn_log, stderr=subprocess.STDOUT,
            start_new_session=True, preexec_fn=_die_with_parent,
        )  # fmt: skip
        master = server.pid
        flag = next((f for f in ("--workers", "-w") if f in command), None)
        workers_wanted = int(command[command.index(flag) + 1] if flag else env.get("WORKERS", 1))
        deadline = time.monotonic() + START_LIMIT_S
        while True:
            if server.poll() is not None:
                raise Abort(f"gunicorn exited ({server.returncode}); see {gunicorn_log.name}")
            with contextlib.suppress(OSError):
                if (
                    get(f"{direct_url}/healthz", 5) == 200
                    and len(children(master)) >= workers_wanted
                ):
                    break
            if time.monotonic() > deadline:
                raise Abort(f"gunicorn not answering after {START_LIMIT_S} s")
            time.sleep(0.3)

        run["nginx_version"] = nginx_version()
        proxy = start_nginx(nginx_dir, proxy_port, f"127.0.0.1:{port}", nginx_log)
        run["nginx_command"] = shlex.join(proxy.args)
        deadline = time.monotonic() + 30
        while True:
            if proxy.poll() is not None:
                raise Abort(f"nginx exited ({proxy.returncode}); see {nginx_log.name}")
            with contextlib.suppress(OSError):
                if get(f"{url}/healthz", 5) == 200:
                    break
            if time.monotonic() > deadline:
                raise Abort("nginx not answering after 30 s")
            time.sleep(0.2)
        run["nginx_pids"] = [proxy.pid, *children(proxy.pid)]
        run["mem_before"] = memory_table(master)

        run["locust_version"] = subprocess.run(
            [sys.executable, "-m", "locust", "--version"], capture_output=True, text=True,
            timeout=60, check=False,
        ).stdout.split(" from ")[0].replace("locust ", "")  # fmt: skip
        locust = subprocess.Popen(
            [sys.executable, "-m", "locust", "-f", "tests/perf/locustfile.py", "--headless",
             "-u", str(USERS), "-r", str(SPAWN_RATE), "-t", f"{RUN_S}s", "--host", url,
             "--csv", str(ARTIFACTS / "stats"), "--stop-timeout", str(STOP_TIMEOUT_S),
             "--only-summary", "--loglevel", "WARNING"],
            cwd=ROOT, env={**env, "LOADTEST_EVENTS": str(events_path), "PYTHONPATH": str(ROOT)},
            stdout=locust_log, stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=_die_with_parent,
        )  # fmt: skip
        run["locust_start"] = time.time()
        run["machine_start"] = machine_ticks()
        run["loadavg_start"] = Path("/proc/loadavg").read_text().split()[0]
        monitor = Monitor(url, master)
        for pid in (master, locust.pid, *children(master), *run["nginx_pids"]):
            monitor.watch(pid)
        run["monitor"], run["locust_pid"], run["master"] = monitor, locust.pid, master
        monitor.start()

        time.sleep(max(0.0, run["locust_start"] + KILL_AT_S - time.time()))
        if locust.poll() is not None:
            run["kill_error"] = f"Locust exited early ({locust.returncode}); see {locust_log.name}"
        else:
            before = children(master)
            run["workers_before"] = before
            if not before:
                raise Abort("no gunicorn workers to kill")
            # The worst case (an OOM kill hits a worker that is allocating): a worker in the
            # middle of a request (a client connection open and the process running, not
            # just closing the connection after the answer), if one is within BUSY_WAIT_S.
            victim, served, state = before[0], 0, "?"
            busy_deadline = time.monotonic() + BUSY_WAIT_S
            while time.monotonic() < busy_deadline:
                busy = [(connections_served(pid, port), run_state(pid), pid) for pid in before]
                working = [b for b in busy if b[0] and b[1] in "RD"]
                served, state, victim = working[0] if working else max(busy)
                if working:
                    break
                time.sleep(0.002)
            run["victim"], run["victim_connections"], run["victim_state"] = victim, served, state
            run["log_offset"] = (ARTIFACTS / "gunicorn.log").stat().st_size
            monitor.sample_cpu()  # the victim's CPU time until now
            run["kill_time"] = time.time()
            os.kill(victim, signal.SIGKILL)
            respawn_deadline = time.monotonic() + RESPAWN_LIMIT_S
            while time.monotonic() < respawn_deadline:
                now = children(master)
                if victim not in now and len(now) >= len(before):
                    run["respawn_s"] = time.time() - run["kill_time"]
                    run["new_worker"] = next(pid for pid in now if pid not in before)
                    break
                time.sleep(0.02)

        locust_done = run["locust_start"] + RUN_S + STOP_TIMEOUT_S + 60
        while locust.poll() is None and time.time() < locust_done:
            monitor.sample_cpu()  # Locust's own CPU time, while it still runs
            time.sleep(0.5)
        run["locust_rc"] = locust.poll()
        run["loadavg_end"] = Path("/proc/loadavg").read_text().split()[0]
        run["machine_end"] = machine_ticks()
        run["run_s"] = time.time() - run["locust_start"]
        monitor.stop.set()
        monitor.join(PROBE_TIMEOUT_S * 2 + 5)
        run["workers_after"] = children(master)
        run["mem_after"] = memory_table(master)
        run["master_died"] = server.poll() is not None
        run["nginx_died"] = proxy.poll() is not None
    except Abort as error:
        print(f"loadtest: {error}", file=sys.stderr)
        return 2
    finally:
        signal.alarm(0)
        stop_process(locust, 10)
        stop_process(proxy, 10)
        stop_process(server, 20)
        gunicorn_log.close()
        locust_log.close()
        nginx_log.close()
        for name in ("access.log", "error.log", "nginx.conf"):  # kept with the other files
            with contextlib.suppress(OSError):
                shutil.copyfile(nginx_dir / name, ARTIFACTS / f"nginx-{name}")
        shutil.rmtree(nginx_dir, ignore_errors=True)

    with (ARTIFACTS / "gunicorn.log").open("rb") as log:  # what gunicorn said after the kill
        log.seek(run.get("log_offset", 0))
        lines = log.read().decode(errors="replace").splitlines()
    run["gunicorn_lines"] = [
        re.sub(r"^\[[^]]+\] ", "", line)
        for line in lines
        if re.match(r"^\[\d{4}-", line) and re.search(r"SIGKILL|Booting|ERROR|Worker", line)
    ][:10]
    run["nginx_entries"] = read_nginx_log(ARTIFACTS / "nginx-access.log")
    error_log = ARTIFACTS / "nginx-error.log"
    run["nginx_errors"] = (
        error_log.read_text(errors="replace").splitlines() if error_log.exists() else []
    )
    summary, passed = summarise(run)
    text = "\n".join(summary)
    print(text)
    (ARTIFACTS / "summary.txt").write_text(text + "\n")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
