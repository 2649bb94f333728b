"""``make loadtest``: Locust load and fault test of the production set-up, on loopback.

The production shape (README, Deployment) is a reverse proxy in front of gunicorn; here,
with the processes of ``tests/perf/cluster.py``:

* ``INSTANCES`` gunicorn instances (separate masters, each with its own workers), each
  exactly as ``make run`` starts it: the command is read from the Makefile (``make -n run``),
  so workers, ``--preload``, timeout and any later change come from that one place; each
  bound to its own free port on 127.0.0.1, ``RUHR_DATA_DIR`` as in the Makefile;
* the result cache: with one instance a fresh folder for this run (unless ``RUHR_CACHE_URL``
  is set); with several, one real ``redis-server`` (``/usr/bin/redis-server``, Debian
  package ``redis-server``) on a free port with a temporary folder and no persistence, which
  every instance uses (``RUHR_CACHE_URL=redis://…``); its counters give the hit ratio;
* nginx (Debian package ``nginx``) on another free port, the load balancer in front of all
  instances, with its own configuration, pid, logs and temporary files in a temporary folder
  (no system configuration, no daemon). It retries a request on the next server when an
  attempt fails (``cluster.NGINX_CONF`` says which settings and why retrying POST is safe);
* Locust headless (``tests/perf/locustfile.py``) against nginx: ``USERS`` users (50 with
  one instance, 100 with several), 10 started per second, 60 s;
* the fault, 25 s into the run: with one instance SIGKILL to one gunicorn worker that is in
  the middle of a request (it waits up to 5 s for one) and a check that the master starts a
  new one; with several, SIGKILL to the whole first instance (its process group: master and
  workers at once), which is then started again at once, and the time until it serves again;
  ``/healthz`` through nginx every second during the whole run;
* with several instances, then the same run with one instance (same users, duration and a
  fresh Redis, the fault a killed worker), and p50/p95 of both side by side;
* ``LOADTEST_GUNICORN_ARGS="--threads 4"`` adds gunicorn options, for experiments.

It prints per run requests, failures as the client saw them, requests/s, p50/p95 per request
type and overall, the fault, the requests nginx retried (from its access log:
``$upstream_status`` such as ``502, 200``), CPU per process, RSS/PSS of every master,
worker, nginx and redis process (``/proc/<pid>/smaps_rollup``) before and after the load,
and the cache hit ratio across instances (Redis ``INFO stats``).

Exit status 0 only if in every run no request failed at the client, the service kept
answering, the kill happened and what was killed served again, and Locust finished; 1
otherwise; 2 if a run could not be set up. Everything stops by itself: each step has a time
limit, and every process started here is stopped on any exit (also on Ctrl-C, SIGTERM, or
when this process dies). Files: ``artifacts/loadtest/instances-N/`` (Locust CSVs, one line
per request, gunicorn, nginx, redis and Locust logs, the nginx configuration, the summary).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tests.perf import cluster as cl
from tests.perf.loadtest_report import comparison, summarise

ROOT = cl.ROOT
ARTIFACTS = ROOT / "artifacts" / "loadtest"
SPAWN_RATE, RUN_S, KILL_AT_S = 10, 60, 25
BUSY_WAIT_S = 5  # from KILL_AT_S, wait this long at most for a worker that is serving
STOP_TIMEOUT_S = 15  # Locust lets running actions finish for up to this long
START_LIMIT_S = 90
RESPAWN_LIMIT_S = 30
PROBE_EVERY_S, PROBE_TIMEOUT_S = 1.0, 15.0
WATCHDOG_S = 2 * START_LIMIT_S + RUN_S + STOP_TIMEOUT_S + 180  # per run


class Monitor(threading.Thread):
    """``/healthz`` every second (a failure is retried once at once: two in a row mean the
    service stopped answering), peak RSS and CPU time of every process ``processes()`` lists
    (it changes when a process is replaced)."""

    def __init__(self, url: str, processes):
        super().__init__(daemon=True)
        self.url, self.processes = url, processes
        self.stop = threading.Event()
        self.probes: list[tuple[float, float, str | None]] = []  # start, seconds, error
        self.outages: list[tuple[float, str]] = []
        self.peak_rss: dict[int, int] = {}
        self.roles: dict[int, str] = {}
        self.watched: dict[int, int] = {}  # pid: CPU ticks when first seen
        self.cpu: dict[int, int] = {}  # pid: CPU ticks used since then (last seen)
        self.lock = threading.Lock()

    def sample(self, memory: bool = False) -> None:
        with self.lock:
            for role, pid in self.processes():
                self.roles.setdefault(pid, role)
                self.watched.setdefault(pid, cl.cpu_ticks(pid))
                if memory:
                    rss = cl.memory_kib(pid).get("Rss", 0)
                    self.peak_rss[pid] = max(self.peak_rss.get(pid, 0), rss)
            for pid, start in self.watched.items():
                now = cl.cpu_ticks(pid)
                if now:
                    self.cpu[pid] = now - start

    def probe(self) -> str | None:
        start = time.time()
        error = None
        try:
            status = cl.get(f"{self.url}/healthz", PROBE_TIMEOUT_S)
            error = None if status == 200 else f"HTTP {status}"
        except Exception as exc:
            error = f"{type(exc).__name__}: {exc}"
        self.probes.append((start, time.time() - start, error))
        return error

    def run(self) -> None:
        while not self.stop.is_set():
            started = time.monotonic()
            self.sample(memory=True)
            if self.probe() is not None:
                second = self.probe()
                if second is not None:
                    self.outages.append((time.time(), second))
            self.stop.wait(max(0.0, PROBE_EVERY_S - (time.monotonic() - started)))


def _raise_exit(signum, _frame):
    raise SystemExit(f"stopped by signal {signal.Signals(signum).name}")


def kill_worker(run: dict, instance: cl.Instance, monitor: Monitor) -> None:
    """SIGKILL to one worker, the worst case (an OOM kill hits a worker that is allocating):
    one in the middle of a request (a client connection open and the process running, not
    just closing the connection after the answer), if one is within BUSY_WAIT_S; then wait
    for the master to replace it."""
    before = cl.children(instance.master)
    run["workers_before"] = before
    if not before:
        raise cl.Abort("no gunicorn workers to kill")
    victim, served, state = before[0], 0, "?"
    busy_deadline = time.monotonic() + BUSY_WAIT_S
    while time.monotonic() < busy_deadline:
        busy = [(cl.connections_served(p, instance.port), cl.run_state(p), p) for p in before]
        working = [b for b in busy if b[0] and b[1] in "RD"]
        served, state, victim = working[0] if working else max(busy)
        if working:
            break
        time.sleep(0.002)
    run["victim"], run["victim_connections"], run["victim_state"] = victim, served, state
    run["log_offset"] = instance.log_path.stat().st_size
    monitor.sample()  # the victim's CPU time until now
    run["kill_time"] = time.time()
    os.kill(victim, signal.SIGKILL)
    respawn_deadline = time.monotonic() + RESPAWN_LIMIT_S
    while time.monotonic() < respawn_deadline:
        now = cl.children(instance.master)
        if victim not in now and len(now) >= len(before):
            run["respawn_s"] = time.time() - run["kill_time"]
            run["new_worker"] = next(pid for pid in now if pid not in before)
            return
        time.sleep(0.02)


def kill_instance(run: dict, instance: cl.Instance, monitor: Monitor) -> None:
    """SIGKILL to the instance's process group (master and workers at once, as when its
    machine or container dies), then start it again at once and wait until it serves."""
    run["victim_instance"] = instance
    workers = cl.children(instance.master)
    run["victim_connections"] = sum(cl.connections_served(p, instance.port) for p in workers)
    run["log_offset"] = instance.log_path.stat().st_size
    monitor.sample()
    run["kill_time"] = time.time()
    run["killed_pids"] = instance.kill_group()
    instance.start()
    run["restarted_at"] = time.time()
    try:
        instance.wait_ready(START_LIMIT_S)
        run["restart_s"] = time.time() - run["kill_time"]
    except cl.Abort as error:
        run["restart_error"] = str(error)
        return
    # nginx tries a server it left out again after fail_timeout; a few requests after that
    # show in its access log that it is back in rotation, also when the load has ended
    time.sleep(cl.FAIL_TIMEOUT_S + 0.5)
    for _ in range(4):
        with contextlib.suppress(OSError):
            cl.get(f"{run['url']}/healthz", PROBE_TIMEOUT_S)


def start_instances(run: dict, count: int, cache_url: str | None) -> list[cl.Instance]:
    instances = []
    for index, port in enumerate(cl.free_ports(count)):
        command, assignments = cl.gunicorn_command(port)
        extra = shlex.split(os.environ.get("LOADTEST_GUNICORN_ARGS", ""))  # for experiments
        command = [*command[:-1], *extra, command[-1]] if extra else command
        env = {**os.environ, **assignments}
        env.setdefault("RUHR_DATA_DIR", str(ROOT / "data" / "generated"))
        env["RUHR_PUBLIC_URL"] = f"http://{run['proxy']}"
        if cache_url:
            env["RUHR_CACHE_URL"] = cache_url
        name = chr(ord("A") + index) if count > 1 else ""
        log = run["dir"] / f"gunicorn{'-' + name if name else ''}.log"
        log.unlink(missing_ok=True)
        instance = cl.Instance(name, port, command, env, log, cl.workers_in(command, env))
        instances.append(instance)
        run["instances"] = instances  # so that a failed start still stops the others
        instance.start()
    for instance in instances:  # in parallel: they start at the same time
        instance.wait_ready(START_LIMIT_S)
    run["env"] = instances[0].env
    return instances


def start_locust(run: dict, url: str, log) -> subprocess.Popen:
    run["locust_version"] = subprocess.run(
        [sys.executable, "-m", "locust", "--version"], capture_output=True, text=True,
        timeout=60, check=False,
    ).stdout.split(" from ")[0].replace("locust ", "")  # fmt: skip
    return cl.spawn(
        [sys.executable, "-m", "locust", "-f", "tests/perf/locustfile.py", "--headless",
         "-u", str(run["users"]), "-r", str(SPAWN_RATE), "-t", f"{RUN_S}s", "--host", url,
         "--csv", str(run["dir"] / "stats"), "--stop-timeout", str(STOP_TIMEOUT_S),
         "--only-summary", "--loglevel", "WARNING"], log,
        cwd=ROOT,
        env={**run["env"], "LOADTEST_EVENTS": str(run["events_path"]), "PYTHONPATH": str(ROOT)},
    )  # fmt: skip


def all_processes(run: dict, proxy, redis, locust) -> list[tuple[str, int]]:
    listed = [p for i in run["instances"] for p in i.processes()]
    if proxy is not None and proxy.poll() is None:
        listed += [("nginx", proxy.pid), *(("nginx", p) for p in cl.children(proxy.pid))]
    if redis is not None:
        listed.append(("redis", redis.proc.pid))
    if locust is not None and locust.poll() is None:
        listed.append(("Locust", locust.pid))
    return listed


def load_and_fault(run: dict, url: str, proxy, redis, locust_log) -> None:
    """Locust for RUN_S, the fault at KILL_AT_S, the figures after it."""
    locust = start_locust(run, url, locust_log)
    run["locust_start"] = time.time()
    run["machine_start"] = cl.machine_ticks()
    run["loadavg_start"] = Path("/proc/loadavg").read_text().split()[0]
    monitor = Monitor(url, lambda: all_processes(run, proxy, redis, locust))
    monitor.sample()
    run["monitor"], run["locust"] = monitor, locust
    monitor.start()
    time.sleep(max(0.0, run["locust_start"] + KILL_AT_S - time.time()))
    if locust.poll() is not None:
        run["kill_error"] = f"Locust exited early ({locust.returncode}); see {locust_log.name}"
    elif run["fault"] == "instance":
        kill_instance(run, run["instances"][0], monitor)
    else:
        kill_worker(run, run["instances"][0], monitor)
    locust_done = run["locust_start"] + RUN_S + STOP_TIMEOUT_S + 60
    while locust.poll() is None and time.time() < locust_done:
        monitor.sample()  # Locust's own CPU time, while it still runs
        time.sleep(0.5)
    run["locust_rc"] = locust.poll()
    run["loadavg_end"] = Path("/proc/loadavg").read_text().split()[0]
    run["machine_end"] = cl.machine_ticks()
    run["run_s"] = time.time() - run["locust_start"]
    monitor.stop.set()
    monitor.join(PROBE_TIMEOUT_S * 2 + 5)
    if redis is not None:
        run["redis_stats"] = redis.stats()
    run["workers_after"] = cl.children(run["instances"][0].master)
    run["mem_after"] = cl.memory_table(all_processes(run, proxy, redis, None))
    run["died"] = [
        f"gunicorn {i.name}".strip() for i in run["instances"] if i.proc.poll() is not None
    ]
    run["died"] += ["nginx"] if proxy.poll() is not None else []


def one_run(folder: Path, instances: int, users: int, redis: cl.RedisServer | None) -> dict:
    """Set up, load, fault, tear down; the run's record (for ``summarise``)."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in [*folder.glob("stats*.csv"), *folder.glob("nginx*"), folder / "events.jsonl"]:
        old.unlink(missing_ok=True)
    proxy_port = cl.free_ports(1)[0]
    url = f"http://127.0.0.1:{proxy_port}"  # nginx: what clients talk to
    run: dict = {"dir": folder, "events_path": folder / "events.jsonl", "users": users,
                 "spawn_rate": SPAWN_RATE, "run_for": RUN_S, "instances": [],
                 "proxy": f"127.0.0.1:{proxy_port}", "url": url,
                 "fault": "instance" if instances > 1 else "worker",
                 "label": f"{instances} instance{'s' if instances > 1 else ''}"}  # fmt: skip
    cache_url = redis.url if redis else os.environ.get("RUHR_CACHE_URL")
    if cache_url is None:  # start cold; later runs do not see this one's
        shutil.rmtree(folder / "result-cache", ignore_errors=True)
        cache_url = f"file://{folder / 'result-cache'}"
    proxy = None
    nginx_dir = Path(tempfile.mkdtemp(prefix="loadtest-nginx-"))
    signal.alarm(WATCHDOG_S)  # whatever happens, this run ends
    with (folder / "locust.log").open("wb") as locust_log, (folder / "nginx.log").open("wb") as log:
        try:
            started = start_instances(run, instances, cache_url)
            run["nginx_version"] = cl.nginx_version()
            upstreams = [f"127.0.0.1:{i.port}" for i in started]
            proxy = cl.start_nginx(nginx_dir, proxy_port, upstreams, log)
            run["nginx_command"] = shlex.join(proxy.args)
            cl.wait_answering(proxy, f"{url}/healthz", "nginx")
            if redis is not None:
                redis.reset()  # from here on: the load's own hits and misses
            run["mem_before"] = cl.memory_table(all_processes(run, proxy, redis, None))
            load_and_fault(run, url, proxy, redis, locust_log)
        finally:
            signal.alarm(0)
            cl.stop_process(run.get("locust"), 10)
            cl.stop_process(proxy, 10)
            for instance in run["instances"]:
                instance.stop()
            for name in ("access.log", "error.log", "nginx.conf"):  # kept with the other files
                with contextlib.suppress(OSError):
                    shutil.copyfile(nginx_dir / name, folder / f"nginx-{name}")
            shutil.rmtree(nginx_dir, ignore_errors=True)
    after_kill(run)
    return run


def after_kill(run: dict) -> None:
    """What gunicorn said after the kill, and nginx's logs."""
    folder, victim = run["dir"], run["instances"][0]
    with victim.log_path.open("rb") as log:
        log.seek(run.get("log_offset", 0))
        lines = log.read().decode(errors="replace").splitlines()
    run["gunicorn_lines"] = [
        re.sub(r"^\[[^]]+\] ", "", line)
        for line in lines
        if re.match(r"^\[\d{4}-", line) and re.search(r"SIGKILL|Booting|ERROR|Worker", line)
    ][:10]
    run["nginx_entries"] = cl.read_nginx_log(folder / "nginx-access.log")
    error_log = folder / "nginx-error.log"
    run["nginx_errors"] = (
        error_log.read_text(errors="replace").splitlines() if error_log.exists() else []
    )


def arguments(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--instances", type=int, default=1, help="gunicorn instances (1)")
    parser.add_argument("--users", type=int, help="Locust users (50; 100 with instances > 1)")
    parser.add_argument(
        "--no-compare", action="store_true",
        help="with instances > 1: skip the single-instance run to compare with",
    )  # fmt: skip
    options = parser.parse_args(argv)
    if options.instances < 1:
        parser.error("--instances must be at least 1")
    options.users = options.users or (50 if options.instances == 1 else 100)
    return options


def main(argv=None) -> int:
    options = arguments(argv)
    for binary, package in ((cl.NGINX, "nginx"), (cl.REDIS, "redis-server")):
        if not binary.exists() and (package == "nginx" or options.instances > 1):
            print(f"loadtest: {binary} missing; install it: apt-get install {package}",
                  file=sys.stderr)  # fmt: skip
            return 2
    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGALRM):
        signal.signal(signum, _raise_exit)
    subprocess.run(
        [sys.executable, "-m", "layers", "build", "--if-missing"], cwd=ROOT, check=True, timeout=600
    )
    plan = [options.instances]
    if options.instances > 1 and not options.no_compare:
        plan.append(1)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    redis = None
    runs, texts, passed = [], [], True
    redis_dir = Path(tempfile.mkdtemp(prefix="loadtest-redis-"))
    redis_log = (ARTIFACTS / "redis.log").open("wb")
    try:
        if options.instances > 1:
            redis = cl.RedisServer(redis_dir, cl.free_ports(1)[0], redis_log)
        for count in plan:
            run = one_run(ARTIFACTS / f"instances-{count}", count, options.users, redis)
            summary, ok = summarise(run)
            (run["dir"] / "summary.txt").write_text("\n".join(summary) + "\n")
            print("\n".join(summary), flush=True)
            runs.append(run)
            texts.extend(summary)
            passed = passed and ok
    except cl.Abort as error:
        print(f"loadtest: {error}", file=sys.stderr)
        return 2
    finally:
        if redis is not None:
            redis.stop()
        redis_log.close()
        shutil.rmtree(redis_dir, ignore_errors=True)
    if len(runs) > 1:
        side = comparison(runs)
        print("\n".join(side))
        texts.extend(side)
    texts.append(f"\nOVERALL: {'PASS' if passed else 'FAIL'}")
    print(texts[-1].strip())
    (ARTIFACTS / "summary.txt").write_text("\n".join(texts) + "\n")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
