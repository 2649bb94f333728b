"""Cost against work (issue 19): what the survey costs at 1×, 10× and 100× its size and what
10, 50 and 100 concurrent users cost, in one table with the ratio to 1×. Part of `make bench`;
alone (13¾ min on the shared 2-core machine at load 9–11, 2026-12-02; most of it the three
imports, builds and server starts; `--quick`: one round of callbacks, 3 s per user row;
`--sizes 1,10` leaves out the 100× import, the slowest step):

    python -m tests.perf.cost_table [--quick] [--sizes 1,10,100] [--users 10,50,100]

For each size, copies of the demo respondents with new ids are written as a survey CSV in the
importer's format and imported by the real command (``python -m layers import survey``) into
a fresh copy of the dataset folder: its wall time and peak resident memory (``ru_maxrss``).
``build`` is the protected publication built from those respondents in this process (the
step of the import that grows with the survey, disclosure audit included). Then gunicorn
serves that folder as `make run` does (``dashboard/gunicorn_conf.py``, the result cache off,
``RUHR_CACHE_URL=off``, so every callback is computed): a fixed mix of survey-metric
callbacks (four survey metrics, each with four migration-type filters, the requests derived
by ``tests/perf/dash_client.py`` from the app's layout) is sent by one keep-alive client;
p50/p95 are round trips on loopback. Worker memory is RSS and PSS of the workers after it
(PSS shares the pages the preloaded workers have in common). The user rows replay the same
mix from 10, 50 and 100 threads at once against the 1× server: latency, callbacks/s, errors.
Prints figures; asserts nothing."""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import psutil

from dashboard import ids
from layers import publication, store
from layers.dataset import load_dataset
from layers.importers.survey import COLUMNS
from layers.settings import Settings
from tests.browser.conftest import _free_port
from tests.perf import dash_client
from tests.perf.benchmark import PAGE, ROOT, TYPE_SETS, percentile
from tests.perf.import_memory import measure
from tests.perf.survey_cost import METRICS, copies

SIZES = (1, 10, 100)
USERS = (10, 50, 100)
REPEATS = 3  # passes of the callback mix per size (after one warm-up pass)
LOAD_SECONDS = 8


def write_survey(respondents: pd.DataFrame, n: int, path: Path) -> pd.DataFrame:
    """``n`` copies of the survey with new ids, as a file the survey importer reads."""
    survey = copies(respondents[list(COLUMNS)], n)
    survey.to_csv(path, index=False)
    return survey


def import_survey(source: Path, survey: Path, folder: Path) -> dict:
    """Import ``survey`` into a fresh copy of the dataset folder ``source`` (the real command,
    in its own process)."""
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns(".lock"))
    status, err, kib, seconds = measure(["import", "survey", str(survey), "--data-dir",
                                         str(folder)])  # fmt: skip
    if status != 0:
        raise RuntimeError(f"import of {survey.name} failed: {err.strip()[-500:]}")
    return {"import_s": seconds, "import_mib": kib / 1024}


def build_seconds(respondents: pd.DataFrame, n: int) -> float:
    """The protected publication of ``n`` copies of ``respondents`` (as the dataset holds
    them), built in this process."""
    survey = copies(respondents, n)
    start = time.perf_counter()
    publication.build_publication(survey, Settings.from_env().policy)
    return time.perf_counter() - start


def record_mix(url: str) -> list[bytes]:
    """The callback requests of the mix, derived as the renderer sends them: page load, then
    for each survey metric the metric chosen and the migration-type filters changed."""
    bodies: list[bytes] = []

    def get_json(path):
        with urllib.request.urlopen(url + path, timeout=30) as response:
            return json.load(response)

    def post(body):
        data = json.dumps(body).encode()
        request = urllib.request.Request(url + "/_dash-update-component", data=data,
                                         headers={"Content-Type": "application/json"})  # fmt: skip
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
        return response.status, json.loads(raw) if raw else None

    page = dash_client.load_page(get_json("/_dash-layout"), get_json("/_dash-dependencies"))
    send = dash_client.sequential(post)
    dash_client.page_load(page, PAGE, send)

    def recording(wave):
        bodies.extend(json.dumps(body).encode() for body in wave)
        return send(wave)

    for metric in METRICS:
        dash_client.interact(page, (ids.METRIC, "value", metric), recording)
        for types in TYPE_SETS:
            dash_client.interact(page, (ids.TYPES, "value", types), recording)
    return bodies


class Client:
    """One keep-alive connection (http.client reopens it when a sync worker closes it)."""

    def __init__(self, url: str):
        host, port = url.removeprefix("http://").split(":")
        self.connection = http.client.HTTPConnection(host, int(port), timeout=60)

    def post(self, body: bytes) -> tuple[bool, float]:
        start = time.perf_counter()
        try:
            self.connection.request("POST", "/_dash-update-component", body,
                                    {"Content-Type": "application/json"})  # fmt: skip
            response = self.connection.getresponse()
            response.read()
            ok = response.status in (200, 204)
        except (OSError, http.client.HTTPException):
            ok = False
            self.connection.close()
        return ok, (time.perf_counter() - start) * 1000

    def close(self):
        self.connection.close()


def sequential_ms(url: str, bodies: list[bytes], repeats: int) -> dict:
    client = Client(url)
    for body in bodies:  # warm-up pass
        client.post(body)
    results = [client.post(body) for _ in range(repeats) for body in bodies]
    client.close()
    ms = [m for _, m in results]
    return {"p50": percentile(ms, 0.5), "p95": percentile(ms, 0.95),
            "errors": sum(not ok for ok, _ in results)}  # fmt: skip


def concurrent_ms(url: str, bodies: list[bytes], users: int, seconds: float) -> dict:
    """``users`` threads, each with its own connection, replaying the mix for ``seconds``."""
    start_together = threading.Barrier(users)

    def user(offset: int):
        client, out = Client(url), []
        start_together.wait()
        stop = time.perf_counter() + seconds
        i = offset
        while time.perf_counter() < stop:
            out.append(client.post(bodies[i % len(bodies)]))
            i += 1
        client.close()
        return out

    with ThreadPoolExecutor(users) as pool:
        results = [r for rs in pool.map(user, range(users)) for r in rs]
    ms = [m for _, m in results]
    ok = sum(ok for ok, _ in results)
    return {"p50": percentile(ms, 0.5), "p95": percentile(ms, 0.95), "per_s": ok / seconds,
            "errors": len(results) - ok}  # fmt: skip


def worker_memory(server) -> dict:
    """Mean RSS and PSS (MiB) of gunicorn's workers."""
    workers = psutil.Process(server.pid).children()
    infos = [w.memory_full_info() for w in workers]
    return {"rss_mib": sum(i.rss for i in infos) / len(infos) / 2**20,
            "pss_mib": sum(i.pss for i in infos) / len(infos) / 2**20}  # fmt: skip


def start_gunicorn(folder: Path) -> tuple[subprocess.Popen, str]:
    """Gunicorn as `make run` starts it (``benchmark.gunicorn``'s command), the result cache
    off; waits up to 5 min (building the app takes 10–40 s on this shared machine)."""
    port, log = _free_port(), tempfile.TemporaryFile()  # noqa: SIM115 (lives with the server; a pipe could fill up)
    env = {**os.environ, "RUHR_DATA_DIR": str(folder), "RUHR_CACHE_URL": "off",
           "RUHR_PUBLIC_URL": f"http://127.0.0.1:{port}"}  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:dashboard.gunicorn_conf",
         "--bind", f"127.0.0.1:{port}", "wsgi:server"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.perf_counter() + 300
    while time.perf_counter() < deadline and server.poll() is None:
        try:
            urllib.request.urlopen(url + "/_dash-layout", timeout=5)
            return server, url
        except OSError:
            time.sleep(0.2)
    server.kill()
    log.seek(0)
    raise RuntimeError(f"gunicorn did not start: {log.read()[-1000:].decode(errors='replace')}")


def serve(folder: Path, work) -> dict:
    """Start gunicorn on ``folder``, time its start (dataset and app), run ``work``."""
    start = time.perf_counter()
    server, url = start_gunicorn(folder)
    figures = {"start_s": time.perf_counter() - start}
    try:
        figures |= work(url, server)
    finally:
        server.terminate()
        server.wait(30)
    return figures


def run(sizes, users, seconds: float, repeats: int) -> list[tuple[str, dict]]:
    source = Settings.from_env().data_dir.resolve()
    loaded = load_dataset(source).respondents
    raw = pd.read_csv(store.current(source) / "respondents.csv", dtype=str,
                      keep_default_na=False)  # fmt: skip
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            say(f"survey {n}× …")
            path = Path(tmp) / f"survey_{n}x.csv"
            figures = {"respondents": len(write_survey(raw, n, path)),
                       "build_s": build_seconds(loaded, n)}  # fmt: skip
            figures |= import_survey(source, path, Path(tmp) / f"data_{n}x")

            def work(url, server, n=n):
                bodies = record_mix(url)
                out = sequential_ms(url, bodies, repeats) | {"requests": len(bodies)}
                out |= worker_memory(server)
                if n == sizes[0]:  # the users' rows: against the smallest survey
                    for count in users:
                        say(f"{count} concurrent users …")
                        out[f"users_{count}"] = concurrent_ms(url, bodies, count, seconds)
                        out[f"users_{count}"] |= worker_memory(server)
                return out

            figures |= serve(Path(tmp) / f"data_{n}x", work)
            rows.append((f"survey {n}×", figures))
            shutil.rmtree(Path(tmp) / f"data_{n}x")
    first = rows[0][1]
    for count in users:
        rows.append((f"{count} users (survey {sizes[0]}×)", first.pop(f"users_{count}")))
    return rows


# column, key, format
COLUMNS_SHOWN = [
    ("respondents", "respondents", "{:,.0f}"),
    ("build s", "build_s", "{:.1f}"),
    ("import s", "import_s", "{:.1f}"),
    ("import MiB", "import_mib", "{:.0f}"),
    ("start s", "start_s", "{:.1f}"),
    ("p50 ms", "p50", "{:.1f}"),
    ("p95 ms", "p95", "{:.1f}"),
    ("worker RSS MiB", "rss_mib", "{:.0f}"),
    ("PSS MiB", "pss_mib", "{:.0f}"),
    ("callbacks/s", "per_s", "{:.0f}"),
    ("errors", "errors", "{:.0f}"),
]


NO_RATIO = ("respondents", "errors", "per_s")


def cell(value, base, fmt: str, ratio: bool) -> str:
    if value is None:
        return "–"
    text = fmt.format(value)
    if ratio and base:
        text += f" (×{value / base:.1f})"
    return text


def table(rows: list[tuple[str, dict]]) -> list[str]:
    base = rows[0][1]
    widths = [max(len(label), 15) for label, *_ in COLUMNS_SHOWN]

    def line(name, cells):
        return f"{name:24} " + " ".join(f"{c:>{w}}" for c, w in zip(cells, widths, strict=True))

    lines = [line("work", [label for label, *_ in COLUMNS_SHOWN])]
    for name, figures in rows:
        lines.append(line(name, [cell(figures.get(key), base.get(key), fmt, key not in NO_RATIO)
                                 for _, key, fmt in COLUMNS_SHOWN]))  # fmt: skip
    return lines


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def report(sizes=SIZES, users=USERS, seconds: float = LOAD_SECONDS, repeats=REPEATS) -> list[str]:
    rows = run(sizes, users, seconds, repeats)
    requests = rows[0][1].get("requests")
    return [
        "Cost against work (ratio to the first row in brackets; survey rows: one client, "
        f"{requests} survey-metric callbacks × {repeats}, cache off; user rows: the same mix "
        f"for {seconds:.0f} s, 2 sync workers; synthetic demonstration survey copied)",
        *table(rows),
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.perf.cost_table")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="one round of the callback mix and 3 s per user row",
    )
    parser.add_argument("--sizes", default=None, help="comma-separated, e.g. 1,10,100")
    parser.add_argument("--users", default=None, help="comma-separated, e.g. 10,50,100")
    args = parser.parse_args(argv)
    sizes = tuple(int(s) for s in args.sizes.split(",")) if args.sizes else SIZES
    users = tuple(int(u) for u in args.users.split(",")) if args.users else USERS
    quick = args.quick
    print("\n".join(report(sizes, users, 3 if quick else LOAD_SECONDS, 1 if quick else REPEATS)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
