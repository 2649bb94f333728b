"""The printed summary of ``make loadtest`` (tests/perf/loadtest.py): one block per run
(requests and p50/p95 by type, the fault, nginx's retries, CPU, memory per process, the
result cache), the comparison of a run with several instances beside the single-instance
run, and whether each passed."""

from __future__ import annotations

import contextlib
import csv
import json
import math
import os
import re
from pathlib import Path

from tests.perf.cluster import hit_ratio

TYPES = ("page", "layout", "dependencies", "static", "geo", "image", "callback", "download")
KILL_WINDOW_S = 2.0


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


def _mib(kib: int | None) -> str:
    return "-" if kib is None else f"{kib / 1024:8.1f}"


def _listing(out: list[str], title: str, rows, line) -> None:
    """A titled block of one line per row, after a blank line; nothing without rows."""
    if rows:
        out.extend(["", title, *(line(row) for row in rows)])


def latency_by_type(events) -> dict[str, tuple[int, int, float, float, float]]:
    """Type (the request name's first word) and "overall": requests, failed, p50, p95, max."""
    by_type: dict[str, list] = {}
    for event in events:
        by_type.setdefault(event[2].split(" ", 1)[0], []).append(event)
    order = [t for t in TYPES if t in by_type] + sorted(set(by_type) - set(TYPES))
    table = {}
    for kind, rows in [*((t, by_type[t]) for t in order), ("overall", events)]:
        times = [r[1] for r in rows]
        table[kind] = (len(rows), sum(1 for r in rows if r[3]), percentile(times, 50),
                       percentile(times, 95), max(times, default=0))  # fmt: skip
    return table


def _header(out, run, events, total) -> None:
    out.append("=" * 78)
    out.append(f"Load and fault test (make loadtest): {run['label']}")
    out.append("=" * 78)
    out.append(
        f"proxy    : nginx {run.get('nginx_version', '?')} on {run['proxy']} (what Locust and the "
        "probes talk to), retries a failed attempt on the next server, POST included"
    )
    out.append(f"           {run.get('nginx_command', '')}")
    for instance in run["instances"]:
        out.append(f"server {instance.name or ' '} : {' '.join(instance.command)}")
    out.append(f"           RUHR_DATA_DIR={run['env']['RUHR_DATA_DIR']}")
    out.append(f"           RUHR_CACHE_URL={run['env'].get('RUHR_CACHE_URL', '(unset)')}")
    out.append(
        f"load     : {run['users']} users, {run['spawn_rate']}/s spawn, {run['run_for']} s, "
        f"Locust {run.get('locust_version', '?')} on the same {os.cpu_count()}-core machine, "
        f"exit code {run.get('locust_rc')}"
    )
    requests = len(events)
    out.append(
        f"requests : {requests:,}   failed at the client: {run['failed']}   "
        f"requests/s: {run['rps']:.1f}"
    )
    out.append(
        f"           (Locust's own count: {int(total.get('Request Count', 0) or 0):,} requests, "
        f"{total.get('Failure Count', '?')} failed, {float(total.get('Requests/s', 0) or 0):.1f}/s)"
    )


def _latency(out, table, stats) -> None:
    out.append("")
    out.append(f"{'type':<14}{'requests':>9}{'failed':>8}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")
    for kind, (count, bad, p50, p95, top) in table.items():
        if kind == "overall":
            out.append("-" * 58)
        out.append(f"{kind:<14}{count:>9,}{bad:>8}{p50:>9.0f}{p95:>9.0f}{top:>9.0f}")
    callbacks = sorted(
        (r for r in stats if r.get("Name", "").startswith("callback")),
        key=lambda r: -int(r["Request Count"]),
    )

    def callback_line(r) -> str:
        counts = f"{int(r['Request Count']):>7,}{int(r['Failure Count']):>4}"
        return f"  {r['Name'][9:]:<40}{counts}  p50 {r['50%']:>5}  p95 {r['95%']:>5} ms"

    _listing(out, "callbacks by output (Locust's percentiles):", callbacks, callback_line)


def _fault_worker(out, run) -> bool:
    kill, t0 = run["kill_time"], run["locust_start"]
    out.append(
        f"  at {kill - t0:.1f} s after Locust started: worker {run['victim']} killed; "
        f"workers before {run['workers_before']}, after {run.get('workers_after')}"
    )
    out.append(
        f"  the killed worker was in state {run.get('victim_state')} (R = running, "
        f"S = waiting) and held {run.get('victim_connections', 0)} connection(s) from "
        "nginx (ESTABLISHED on gunicorn's port; a sync worker serves one at a time)"
    )
    if run.get("respawn_s") is None:
        out.append("  no new worker in time")
        return False
    out.append(
        f"  the master started worker {run['new_worker']} "
        f"{run['respawn_s'] * 1000:.0f} ms after the kill"
    )
    return True


def _fault_instance(out, run) -> bool:
    kill, t0 = run["kill_time"], run["locust_start"]
    victim = run["victim_instance"]
    out.append(
        f"  at {kill - t0:.1f} s after Locust started: instance {victim.name} (127.0.0.1:"
        f"{victim.port}) killed as a whole, SIGKILL to its process group: pids "
        f"{run['killed_pids']} (master first); its workers held "
        f"{run.get('victim_connections', 0)} connection(s) from nginx"
    )
    if run.get("restart_s") is None:
        out.append(f"  instance {victim.name} did not serve again: {run.get('restart_error')}")
        return False
    port = f":{victim.port}"
    back = [e for e in run.get("nginx_entries", [])
            if e["start"] > run["restarted_at"] and e["upstream_addr"].endswith(port)
            and e["status"] < 500]  # fmt: skip
    after = f"{back[0]['end'] - kill:.1f} s after the kill" if back else "never"
    during = sum(1 for e in back if e["uri"] != "/healthz")
    out.append(
        f"  started again at once (new master {victim.master}); it answered /healthz with all "
        f"its workers {run['restart_s']:.1f} s after the kill (most of it the preload: "
        f"dataset and app built in the master); nginx sent it a request again {after} "
        f"({len(back):,} requests until the end, {during:,} of them Locust's)"
    )
    if run["restart_s"] > run["run_for"] - (kill - t0):
        out.append("  (it was back only after the load had ended: the rest of the load all went "
                   "to the other instance(s))")  # fmt: skip
    return bool(back)


def _nginx_retries(out, run, events) -> None:
    kill = run["kill_time"]
    in_flight = [e for e in events if e[0] <= kill <= e[0] + e[1] / 1000]
    near = [e for e in events if e[3] and abs(e[0] + e[1] / 1000 - kill) <= KILL_WINDOW_S]
    failed_events = [e for e in events if e[3]]
    out.append(
        f"  requests in flight at the kill (client side, queued ones included): "
        f"{len(in_flight)}; failed requests within {KILL_WINDOW_S:.0f} s of the kill: "
        f"{len(near)} (of {len(failed_events)} failed in total)"
    )
    for e in failed_events[:20]:
        out.append(f"    {e[0] + e[1] / 1000 - kill:+7.2f} s  {e[2]:<40} {e[3][:90]}")
    nginx = run.get("nginx_entries", [])
    retried = [e for e in nginx if "," in e["upstream_status"]]
    at_kill = [e for e in retried if e["start"] - 0.01 <= kill <= e["end"] + 0.01]
    out.append(
        f"  nginx retried {len(at_kill)} request(s) in flight at the kill (first attempt "
        f"failed, the next one answered); {len(retried)} retried in the whole run; "
        f"{sum(1 for e in nginx if e['status'] >= 500)} answered 5xx by nginx "
        f"(of {len(nginx):,} in its log, /healthz probes included)"
    )
    for e in retried[:12]:
        out.append(
            f"    {e['end'] - kill:+7.2f} s  {e['method']:<5}{e['uri'][:40]:<41}"
            f"upstream {e['upstream_status']:<10} -> {e['status']}  ({e['upstream_addr']})"
        )
    errors = [x for x in run.get("nginx_errors", []) if "upstream" in x]
    for line in errors[:5]:
        message = re.sub(r"^\S+ \S+ ", "", line.split(", client: ")[0])  # no date, client
        request = re.search(r'request: "(\S+ \S+)', line)
        out.append(f"    nginx: {message} ({request.group(1) if request else '?'})")
    if len(errors) > 5:
        out.append(f"    ... {len(errors) - 5} more nginx error lines")
    others = [x for x in run.get("nginx_errors", []) if "upstream" not in x]
    for line in others[:3]:  # e.g. "worker_connections are not enough"
        message = re.sub(r"^\S+ \S+ ", "", line)[:150]  # no date
        out.append(f"    nginx: {message}")
    held = run.get("victim_connections", 0)
    out.append(
        f"  a client talking to gunicorn directly (no proxy) would have lost {held} "
        "request(s): those the killed processes were serving"
    )
    for line in run.get("gunicorn_lines", []):
        out.append(f"  gunicorn: {line}")


def _fault(out, run, events) -> bool:
    out.append("")
    kind = "one whole instance" if run["fault"] == "instance" else "one worker"
    out.append(f"fault: SIGKILL to {kind}")
    if run.get("kill_time") is None:
        out.append("  the kill did not happen: " + run.get("kill_error", "run ended early"))
        return False
    passed = (_fault_instance if run["fault"] == "instance" else _fault_worker)(out, run)
    _nginx_retries(out, run, events)
    probes = run["monitor"].probes
    slowest = max((p[1] for p in probes), default=float("nan"))
    out.append(
        f"  /healthz probes through nginx: {len(probes)}, failed "
        f"{sum(1 for p in probes if p[2])}, slowest {slowest:.2f} s; service stopped "
        f"answering: {'YES' if run['monitor'].outages else 'no'}"
    )
    for when, error in run["monitor"].outages:
        out.append(f"    no answer twice in a row at {when - run['locust_start']:.1f} s: {error}")
    return passed


def _cpu(out, run) -> None:
    if not run.get("machine_end"):
        return
    ticks, wall = os.sysconf("SC_CLK_TCK"), run["run_s"]
    busy = run["machine_end"][0] - run["machine_start"][0]
    total = run["machine_end"][1] - run["machine_start"][1]
    monitor = run["monitor"]
    by_kind: dict[str, int] = {}
    for pid, used in monitor.cpu.items():
        kind = monitor.roles.get(pid, "?").split()[-1]
        by_kind[kind] = by_kind.get(kind, 0) + used
    gunicorn = by_kind.get("master", 0) + by_kind.get("worker", 0)
    listed = sum(by_kind.values())
    shares = ", ".join(
        f"{name} {by_kind.get(name, 0) / ticks / wall:.2f}" for name in ("nginx", "redis", "Locust")
    )
    out.append("")
    out.append(
        f"CPU during the run ({wall:.0f} s, {os.cpu_count()} cores, in cores): machine busy "
        f"{100 * busy / max(total, 1):.0f} %; gunicorn {gunicorn / ticks / wall:.2f}, {shares}, "
        f"other processes {max(0, busy - listed) / ticks / wall:.2f}; load average "
        f"{run['loadavg_start']} at the start, {run['loadavg_end']} at the end"
    )
    for pid, used in sorted(monitor.cpu.items()):
        out.append(f"  {monitor.roles.get(pid, '?'):<10}{pid:>8}  {used / ticks:6.1f} s CPU")


def _memory(out, run) -> None:
    out.append("")
    out.append("memory per process (MiB, /proc/<pid>/smaps_rollup)")
    out.append(f"  {'':<10}{'pid':>8}{'RSS':>10}{'PSS':>10}   when")
    for label, table in (("before", run["mem_before"]), ("after", run.get("mem_after", []))):
        for role, pid, mem in table:
            out.append(
                f"  {role:<10}{pid:>8}{_mib(mem.get('Rss'))}  {_mib(mem.get('Pss'))}   {label} load"
            )
        pss = sum(mem.get("Pss", 0) for _, _, mem in table)
        out.append(f"  {'total':<10}{'':>8}{'':>10}{_mib(pss)}   {label} load (sum of PSS)")
    peaks = run["monitor"].peak_rss
    if peaks:
        listed = ", ".join(f"{pid}: {kib / 1024:.0f}" for pid, kib in sorted(peaks.items()))
        out.append(f"  peak RSS during the run (sampled each second): {listed}")


def _cache(out, run) -> None:
    stats = run.get("redis_stats")
    out.append("")
    if not stats:
        out.append(f"result cache: {run['env'].get('RUHR_CACHE_URL')} (no counters)")
        return
    ratio = hit_ratio(stats["hits"], stats["misses"])
    shown = "-" if ratio is None else f"{100 * ratio:.1f} %"
    out.append(
        f"result cache (one Redis, shared by {len(run['instances'])} instance(s)): hit ratio "
        f"{shown} ({stats['hits']:,} hits, {stats['misses']:,} misses: Redis INFO "
        f"keyspace_hits/misses, counted from the start of the load), {stats['keys']:,} "
        f"results stored, {stats['used_memory'] / 2**20:.1f} MiB"
    )


def _problems(run, events, exceptions) -> list[str]:
    problems = []
    if run["failed"]:
        kill = run.get("kill_time")
        near = sum(
            1 for e in events if e[3] and kill and abs(e[0] + e[1] / 1000 - kill) <= KILL_WINDOW_S
        )
        too_late = sum(1 for x in run.get("nginx_errors", []) if "while reading upstream" in x)
        problems.append(
            f"{run['failed']} request(s) failed at the client, {near} within "
            f"{KILL_WINDOW_S:.0f} s of the SIGKILL ({too_late} answer(s) cut off after the "
            "headers, which nginx cannot retry)"
        )
    if exceptions:
        problems.append("errors inside Locust users")
    if run["monitor"].outages:
        problems.append("the service stopped answering")
    if run.get("locust_rc") is None:
        problems.append("Locust did not finish")
    if not events:
        problems.append("no requests were made")
    problems.extend(f"{name} exited" for name in run.get("died", []))
    return problems


def summarise(run: dict) -> tuple[list[str], bool]:
    """The printed summary of one run, and whether it passed; also puts the figures the
    comparison needs into ``run`` (failed, rps, table)."""
    out: list[str] = []
    folder = run["dir"]
    events = read_events(run["events_path"])
    stats = read_csv(folder / "stats_stats.csv")
    exceptions = read_csv(folder / "stats_exceptions.csv")
    total = next((r for r in stats if r.get("Name") == "Aggregated"), {})
    run["failed"] = max(int(total.get("Failure Count", 0) or 0), sum(1 for e in events if e[3]))
    span = max((e[0] + e[1] / 1000 for e in events), default=0) - min(
        (e[0] for e in events), default=0
    )
    run["rps"] = len(events) / span if span > 0 else 0.0
    run["table"] = latency_by_type(events)
    run["requests"] = len(events)
    _header(out, run, events, total)
    _latency(out, run["table"], stats)
    fault_ok = _fault(out, run, events)
    _cpu(out, run)
    _memory(out, run)
    _cache(out, run)
    _listing(out, "errors inside Locust users (not HTTP failures):", exceptions,
             lambda row: f"  {row.get('Count')} x {row.get('Message', '')[:150]}")  # fmt: skip
    _listing(out, "failures (Locust):", read_csv(folder / "stats_failures.csv"),
             lambda row: f"  {row.get('Occurrences')} x {row.get('Method')} {row.get('Name')}: "
                         f"{row.get('Error', '')[:110]}")  # fmt: skip
    problems = _problems(run, events, exceptions)
    if not fault_ok:
        problems.append("the killed process was not replaced, or not used again")
    out.append("")
    if not problems:
        retried = [e for e in run.get("nginx_entries", []) if "," in e["upstream_status"]]
        out.append(
            f"RESULT ({run['label']}): PASS: 0 of {len(events):,} requests failed at the client, "
            f"the service kept answering, nginx retried {len(retried)} request(s)"
        )
    else:
        out.append(f"RESULT ({run['label']}): FAIL: " + "; ".join(problems))
    return out, not problems


def comparison(runs: list[dict]) -> list[str]:
    """p50/p95 by request type of each run side by side, with the cache hit ratio, the
    memory of all processes after the load (gunicorn, nginx, Redis) and the time until
    what was killed served again."""
    out = ["", "=" * 78, "Side by side (same users, duration, machine; each with its fault)"]
    out.append("=" * 78)
    out.append(f"{'':<14}" + "".join(f"{r['label']:>22}" for r in runs))
    out.append(f"{'p50/p95 ms':<14}" + "".join(f"{'':>22}" for _ in runs))
    kinds = [k for k in runs[0]["table"] if all(k in r["table"] for r in runs)]
    for kind in kinds:
        pairs = [f"{r['table'][kind][2]:.0f} / {r['table'][kind][3]:.0f}" for r in runs]
        out.append(f"{kind:<14}" + "".join(f"{pair:>22}" for pair in pairs))

    def row(name, value) -> str:
        return f"{name:<14}" + "".join(f"{value(r):>22}" for r in runs)

    def ratio(r) -> str:
        stats = r.get("redis_stats")
        value = hit_ratio(stats["hits"], stats["misses"]) if stats else None
        return "-" if value is None else f"{100 * value:.1f} %"

    def pss(r) -> str:
        return f"{sum(m.get('Pss', 0) for _, _, m in r.get('mem_after', [])) / 1024:.0f} MiB"

    def back(r) -> str:
        if r["fault"] == "instance":
            seconds = r.get("restart_s")
            return "never" if seconds is None else f"instance {seconds:.1f} s"
        seconds = r.get("respawn_s")
        return "never" if seconds is None else f"worker {seconds * 1000:.0f} ms"

    out.append(row("requests", lambda r: f"{r['requests']:,}"))
    out.append(row("requests/s", lambda r: f"{r['rps']:.1f}"))
    out.append(row("failed", lambda r: str(r["failed"])))
    out.append(row("cache hits", ratio))
    out.append(row("PSS, all", pss))
    out.append(row("killed, back", back))
    return out
