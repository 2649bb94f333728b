"""The processes of ``make loadtest`` (tests/perf/loadtest.py): gunicorn instances as ``make
run`` starts them, nginx in front of them, one ``redis-server`` as their shared result cache,
and what /proc says about them (children, memory, CPU, connections).

Every process is started in its own session (so a whole instance can be killed as one
process group) and gets SIGTERM when the driver dies (PR_SET_PDEATHSIG), so that nothing is
left behind, not even after a SIGKILL of the driver."""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NGINX = Path("/usr/sbin/nginx")
REDIS = Path("/usr/bin/redis-server")
GUNICORN_TIMEOUT_S = 60  # dashboard/gunicorn_conf.py: a worker silent this long is replaced
FAIL_TIMEOUT_S = 3  # nginx: a failed instance is left out this long, then tried again


class Abort(Exception):
    """The run cannot go on; the message says why."""


def _die_with_parent() -> None:
    """In the child before exec: get SIGTERM when this driver dies (Linux PR_SET_PDEATHSIG),
    so that not even a SIGKILL of the driver leaves a server behind."""
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)


def spawn(command: list[str], log, **kwargs) -> subprocess.Popen:
    """A process in its own session (its own process group), output to ``log``."""
    return subprocess.Popen(
        command, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        preexec_fn=_die_with_parent, **kwargs,
    )  # fmt: skip


def free_ports(count: int) -> list[int]:
    """``count`` different free ports of 127.0.0.1 (all held open until all are chosen)."""
    with contextlib.ExitStack() as stack:
        ports = []
        for _ in range(count):
            sock = stack.enter_context(socket.socket())
            sock.bind(("127.0.0.1", 0))
            ports.append(sock.getsockname()[1])
        return ports


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


def _stat_fields(pid: int) -> list[str]:
    """/proc/<pid>/stat after the command name: state, ppid, ... (empty if gone)."""
    with contextlib.suppress(OSError, ValueError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat[stat.rindex(")") + 2 :].split()
    return []


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if len(fields) > 1 and fields[0] != "Z" and int(fields[1]) == pid:
                found.append(int(entry.name))
    return sorted(found)


def alive(pid: int) -> bool:
    fields = _stat_fields(pid)
    return bool(fields) and fields[0] != "Z"


def run_state(pid: int) -> str:
    """R (running or runnable), S (sleeping, e.g. in accept), ... from /proc/<pid>/stat."""
    fields = _stat_fields(pid)
    return fields[0] if fields else "?"


def cpu_ticks(pid: int) -> int:
    """Utime + stime of a process, in clock ticks."""
    fields = _stat_fields(pid)
    return int(fields[11]) + int(fields[12]) if len(fields) > 12 else 0


def machine_ticks() -> tuple[int, int]:
    """(busy, total) clock ticks of all CPUs since boot, from /proc/stat."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return sum(values) - idle, sum(values)


def memory_kib(pid: int) -> dict[str, int]:
    values = {}
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            name, _, rest = line.partition(":")
            if name in ("Rss", "Pss"):
                values[name] = int(rest.split()[0])
    return values


def memory_table(processes: list[tuple[str, int]]) -> list[tuple[str, int, dict[str, int]]]:
    return [(role, pid, memory_kib(pid)) for role, pid in processes]


def connections_served(pid: int, port: int) -> int:
    """Client connections the worker holds, i.e. requests it is serving (a sync worker
    accepts one connection, answers it and closes it): ESTABLISHED TCP sockets on our port
    among its file descriptors."""
    inodes = set()
    with contextlib.suppress(OSError):
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                local_port = int(fields[1].rsplit(":", 1)[1], 16)
                if fields[3] == "01" and local_port == port and fields[9] in inodes:
                    count += 1
    return count


def get(url: str, timeout: float) -> int:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        response.read()
        return response.status


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


@dataclass
class Instance:
    """One gunicorn master with its workers (``make run``), on 127.0.0.1:port."""

    name: str  # "" with one instance, else "A", "B", ...
    port: int
    command: list[str]
    env: dict[str, str]
    log_path: Path
    workers_wanted: int
    proc: subprocess.Popen | None = None
    starts: list[float] = field(default_factory=list)

    @property
    def master(self) -> int:
        return self.proc.pid

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def label(self, role: str) -> str:
        return f"{self.name} {role}" if self.name else role

    def start(self) -> None:
        with self.log_path.open("ab") as log:  # the child keeps its own descriptor
            self.proc = spawn(self.command, log, cwd=ROOT, env=self.env)
        self.starts.append(time.time())

    def processes(self) -> list[tuple[str, int]]:
        if self.proc is None or self.proc.poll() is not None:
            return []
        workers = [(self.label("worker"), pid) for pid in children(self.master)]
        return [(self.label("master"), self.master), *workers]

    def wait_ready(self, limit_s: float) -> None:
        """Until /healthz answers directly and every worker is up."""
        deadline = time.monotonic() + limit_s
        while True:
            if self.proc.poll() is not None:
                raise Abort(f"gunicorn {self.name} exited ({self.proc.returncode}); "
                            f"see {self.log_path}")  # fmt: skip
            with contextlib.suppress(OSError):
                if (
                    get(f"{self.url}/healthz", 5) == 200
                    and len(children(self.master)) >= self.workers_wanted
                ):
                    return
            if time.monotonic() > deadline:
                raise Abort(f"gunicorn {self.name} not answering after {limit_s:.0f} s")
            time.sleep(0.1)

    def kill_group(self) -> list[int]:
        """SIGKILL to master and workers at once (their process group); the pids killed."""
        pids = [pid for _, pid in self.processes()]
        os.killpg(self.master, signal.SIGKILL)
        self.proc.wait(10)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.01)
        return pids

    def stop(self) -> None:
        stop_process(self.proc, 20)


def workers_in(command: list[str], env: dict[str, str]) -> int:
    flag = next((f for f in ("--workers", "-w") if f in command), None)
    return int(command[command.index(flag) + 1] if flag else env.get("WORKERS", 1))


# nginx as the reverse proxy (load balancer) of README "Deployment" (TLS left out: loopback).
# * One instance: its address listed twice with max_fails=0: nginx tries each listed server
#   at most once per request, so a request whose first attempt fails (the worker serving it
#   died: the connection closes without an answer) goes once more to the same gunicorn,
#   whose master keeps the listening socket and another worker accepts it; and max_fails=0
#   keeps a failed attempt from marking the address down for other requests.
# * Several instances: each once, round robin, max_fails=1 fail_timeout=3s: an instance that
#   refuses or drops a connection is left out for 3 s, then tried again with one request
#   (which, if it fails too, goes on to the next instance), so a restarted instance is back
#   in rotation within 3 s of answering.
# * proxy_next_upstream error timeout http_502 http_503 non_idempotent, at most one try per
#   listed server, and only while the request is younger than 30 s (one that ran into
#   gunicorn's 60 s worker timeout is not run twice). non_idempotent lets nginx retry POST as
#   well. That is safe here because every POST this app takes is a Dash callback
#   (/_dash-update-component), and every callback in dashboard/callbacks.py is a pure
#   function of its inputs over the in-memory dataset: nothing writes application state,
#   files or a database. The one write is the shared result cache (dashboard/cache.py), a
#   memo keyed by the inputs: a second run stores the same value under the same key. If a
#   POST with side effects is ever added, remove non_idempotent (or scope it to
#   /_dash-update-component).
# * HTTP/1.1 to gunicorn without upstream keepalive: nginx sends "Connection: close" and
#   opens one connection per request, as gunicorn's sync workers expect (they close every
#   connection after the answer), so there is no keep-alive race in which nginx reuses a
#   connection the worker is closing. Request bodies are buffered (needed to resend a POST),
#   responses too (slow clients tie up nginx, not a sync worker).
# * gzip off: the app compresses (flask-compress); nginx passes Content-Encoding through.
# * The access log records $upstream_status and $upstream_addr per request: "502, 200" means
#   the first attempt failed and the retry answered.
# * worker_connections 4096: each user keeps up to six connections to nginx (a browser's
#   per host) and each request in flight one more to gunicorn; with one instance down and
#   100 users queueing on the other, 1024 ran out and nginx closed idle keep-alive
#   connections under the clients' feet ("worker_connections are not enough").
NGINX_CONF = """\
worker_processes 1;
worker_rlimit_nofile 8192;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log warn;
events {{
    worker_connections 4096;
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
{servers}
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
            # Retry on the next listed server when an attempt fails, POST included: every
            # POST here is a Dash callback, a pure function of its inputs (see above).
            proxy_next_upstream error timeout http_502 http_503 non_idempotent;
            proxy_next_upstream_tries {tries};
            proxy_next_upstream_timeout 30s;
        }}
    }}
}}
"""


def nginx_conf(folder: Path, listen: str, upstreams: list[str]) -> str:
    """The configuration text: everything in ``folder``, listening on ``listen``, in front
    of ``upstreams`` (host:port each)."""
    if len(upstreams) == 1:  # the same instance again: another of its workers answers
        servers = [f"server {upstreams[0]} max_fails=0;"] * 2
    else:
        servers = [f"server {u} max_fails=1 fail_timeout={FAIL_TIMEOUT_S}s;" for u in upstreams]
    return NGINX_CONF.format(
        tmp=folder,
        listen=listen,
        servers="\n".join(f"        {line}" for line in servers),
        tries=len(servers),
        read_timeout=GUNICORN_TIMEOUT_S + 10,
    )


def nginx_version() -> str:
    printed = subprocess.run(
        [str(NGINX), "-v"], capture_output=True, text=True, timeout=30, check=False
    ).stderr
    return printed.strip().rsplit("/", 1)[-1] or "?"


def start_nginx(folder: Path, port: int, upstreams: list[str], log) -> subprocess.Popen:
    """Nginx on 127.0.0.1:port in front of ``upstreams``, everything in ``folder``: the
    configuration, pid, logs, temporary files; in the foreground (``daemon off``)."""
    conf = folder / "nginx.conf"
    conf.write_text(nginx_conf(folder, f"127.0.0.1:{port}", upstreams))
    if os.geteuid() == 0:  # the workers run as an unprivileged user: let them in
        folder.chmod(0o755)
    command = [str(NGINX), "-p", f"{folder}/", "-c", str(conf), "-e", str(folder / "error.log")]
    checked = subprocess.run(
        [*command, "-t"], capture_output=True, text=True, timeout=30, check=False
    )
    if checked.returncode != 0:
        errors = (folder / "error.log").read_text() if (folder / "error.log").exists() else ""
        raise Abort(f"nginx -t failed:\n{checked.stderr}{errors}")
    return spawn([*command, "-g", "daemon off;"], log)


def wait_answering(proc: subprocess.Popen, url: str, what: str, limit_s: float = 30) -> None:
    deadline = time.monotonic() + limit_s
    while True:
        if proc.poll() is not None:
            raise Abort(f"{what} exited ({proc.returncode})")
        with contextlib.suppress(OSError):
            if get(url, 5) == 200:
                return
        if time.monotonic() > deadline:
            raise Abort(f"{what} not answering after {limit_s:.0f} s")
        time.sleep(0.2)


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


def hit_ratio(hits: int, misses: int) -> float | None:
    """Share of cache reads that found a result; None before any read."""
    return hits / (hits + misses) if hits + misses else None


class RedisServer:
    """One ``redis-server`` on 127.0.0.1:port, no persistence (no RDB, no AOF), its working
    folder a temporary one: the shared result cache of all instances."""

    def __init__(self, folder: Path, port: int, log):
        self.port, self.url = port, f"redis://127.0.0.1:{port}/0"
        self.proc = spawn(
            [str(REDIS), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(folder), "--daemonize", "no"], log,
        )  # fmt: skip
        import redis  # the app's own dependency for RUHR_CACHE_URL=redis://

        self.client = redis.Redis(port=port, socket_timeout=5)
        deadline = time.monotonic() + 30
        while True:
            try:
                self.client.ping()
                return
            except redis.ConnectionError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise Abort(f"redis-server did not start ({self.proc.poll()})") from None
                time.sleep(0.05)

    def reset(self) -> None:
        """Empty, counters at zero: the next run starts cold."""
        self.client.flushall()
        self.client.config_resetstat()

    def stats(self) -> dict[str, int]:
        info = self.client.info("stats")
        return {
            "hits": int(info["keyspace_hits"]),
            "misses": int(info["keyspace_misses"]),
            "keys": int(self.client.dbsize()),
            "used_memory": int(self.client.info("memory")["used_memory"]),
        }

    def stop(self) -> None:
        stop_process(self.proc, 10)
