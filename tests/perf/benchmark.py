"""`make bench`: this dashboard against a naive Dash build of the same maps, in one run on
one machine, so the ratio means something on a noisy box. Prints figures; asserts nothing.

Measured: bytes and server milliseconds per filter interaction (Flask test client), repaint
time after a filter change and first-load bytes/time in headless Chromium, and callback
throughput under gunicorn with a fixed number of concurrent clients."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from dashboard import ids
from dashboard.app import create_app
from layers import demo, vocab
from layers.dataset import DEFAULT_DATA_DIR, load_dataset
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, _free_port
from tests.dashboard.test_app import _update_request
from tests.perf.naive import create_naive_app

ROOT = Path(__file__).resolve().parents[2]
TYPE_SETS = [
    list(vocab.MIGRATION_TYPES),
    ["immigrant", "return"],
    ["circular"],
    ["return", "circular", "transnational"],
]
INTERACTIONS = 40
REPAINTS = 15
CONCURRENCY = 8
LOAD_SECONDS = 8


def naive_request(types) -> dict:
    return {
        "output": f"..{ids.RUHR_MAP}.figure...{ids.ORIGIN_MAP}.figure..",
        "outputs": [
            {"id": ids.RUHR_MAP, "property": "figure"},
            {"id": ids.ORIGIN_MAP, "property": "figure"},
        ],
        "inputs": [{"id": ids.TYPES, "property": "value", "value": types}],
        "changedPropIds": [f"{ids.TYPES}.value"],
    }


def ours_request(types) -> dict:
    return _update_request(**{ids.TYPES: types})


def percentile(values, q) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def server_side(app, make_request) -> dict:
    client = app.server.test_client()
    sizes, times = [], []
    for i in range(INTERACTIONS):
        body = make_request(TYPE_SETS[i % len(TYPE_SETS)])
        start = time.perf_counter()
        response = client.post("/_dash-update-component", json=body)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.data[:200]
        sizes.append(len(response.data))
    return {
        "bytes": statistics.median(sizes),
        "p50": percentile(times, 0.5),
        "p95": percentile(times, 0.95),
    }


def start_gunicorn(module: str, data_dir: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {
        **os.environ,
        "RUHR_DATA_DIR": str(data_dir),
        "RUHR_PUBLIC_URL": f"http://127.0.0.1:{port}",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--preload",
            module,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "/_dash-layout", timeout=2)
            return server, url
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{module} did not start")


REPAINT_JS = """async (value) => {
    const gd = document.querySelector('#ruhr-map .js-plotly-plot');
    const done = new Promise(resolve => gd.once('plotly_afterplot', resolve));
    const start = performance.now();
    document.querySelector(`input[value=${value}]`).click();
    await done;
    return performance.now() - start;
}"""


def browser_side(url: str) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        failures = []
        page.on("response", lambda r: r.status >= 400 and failures.append(f"{r.status} {r.url}"))
        start = time.perf_counter()
        page.goto(url + "/")
        page.wait_for_function(
            "() => { const gd = document.querySelector('#ruhr-map .js-plotly-plot');"
            " return Array.from(gd?._fullData?.[0]?.z || []).some(v => v > 0); }",
            timeout=60_000,
        )
        assert not failures, failures
        first_map = (time.perf_counter() - start) * 1000
        page.wait_for_load_state("networkidle")
        transferred = page.evaluate(
            "() => performance.getEntriesByType('navigation').concat("
            "performance.getEntriesByType('resource')).reduce((s, e) => s + e.transferSize, 0)"
        )
        repaints = [page.evaluate(REPAINT_JS, "circular") for _ in range(REPAINTS)]
        browser.close()
    return {
        "first_load_bytes": transferred,
        "first_map_ms": first_map,
        "repaint_p50": percentile(repaints, 0.5),
        "repaint_p95": percentile(repaints, 0.95),
    }


def throughput(url: str, make_request) -> dict:
    bodies = [json.dumps(make_request(t)).encode() for t in TYPE_SETS]
    stop = time.perf_counter() + LOAD_SECONDS

    def client(worker: int):
        ok = errors = 0
        while time.perf_counter() < stop:
            request = urllib.request.Request(
                url + "/_dash-update-component",
                data=bodies[(ok + worker) % len(bodies)],
                headers={"Content-Type": "application/json"},
            )
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    response.read()
                ok += 1
            except OSError:
                errors += 1
        return ok, errors

    with ThreadPoolExecutor(CONCURRENCY) as pool:
        results = list(pool.map(client, range(CONCURRENCY)))
    ok, errors = sum(r[0] for r in results), sum(r[1] for r in results)
    return {"per_second": ok / LOAD_SECONDS, "errors": errors}


APPS = {
    "this dashboard": (create_app, ours_request, "wsgi:server"),
    "naive baseline": (create_naive_app, naive_request, "tests.perf.naive_wsgi:server"),
}


def measure(name: str, data_dir: Path) -> dict:
    factory, make_request, module = APPS[name]
    figures = server_side(factory(load_dataset(data_dir)), make_request)
    server, url = start_gunicorn(module, data_dir)
    try:
        figures |= browser_side(url)
        figures |= throughput(url, make_request)
    finally:
        server.terminate()
        server.wait(20)
    return figures


def main() -> int:
    data_dir = Path(os.environ.get("RUHR_DATA_DIR") or DEFAULT_DATA_DIR).resolve()
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        print(json.dumps(measure(sys.argv[2], data_dir)))
        return 0
    if not (data_dir / "manifest.json").exists():
        demo.write_dataset(data_dir)
    rows = {}
    for name in APPS:  # each in its own process: no state carried from one to the other
        print(f"measuring {name} …", file=sys.stderr)
        out = subprocess.run(
            [sys.executable, "-m", "tests.perf.benchmark", "--measure", name],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        rows[name] = json.loads(out.stdout.strip().splitlines()[-1])
    ours, naive = rows["this dashboard"], rows["naive baseline"]
    lines = [
        ("bytes per filter interaction (median)", "bytes", "{:,.0f} B"),
        ("server ms per callback, p50", "p50", "{:.1f} ms"),
        ("server ms per callback, p95", "p95", "{:.1f} ms"),
        ("repaint after a filter change, p50", "repaint_p50", "{:.0f} ms"),
        ("repaint after a filter change, p95", "repaint_p95", "{:.0f} ms"),
        ("first load, bytes transferred (compressed)", "first_load_bytes", "{:,.0f} B"),
        ("time to first map", "first_map_ms", "{:.0f} ms"),
        (f"callbacks/s under gunicorn ({CONCURRENCY} clients)", "per_second", "{:.0f}/s"),
        ("errors during the throughput run", "errors", "{:.0f}"),
    ]
    print(f"{'measure':48} {'this dashboard':>16} {'naive':>16} {'naive/this':>10}")
    for label, key, fmt in lines:
        ratio = naive[key] / ours[key] if ours[key] else float("nan")
        print(f"{label:48} {fmt.format(ours[key]):>16} {fmt.format(naive[key]):>16} {ratio:>9.1f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
