"""`make bench`: this dashboard against a naive Dash build of the same maps, in one run on
one machine, so the ratio means something on a noisy box. Prints figures; asserts nothing.

A filter interaction is everything the browser sends for one change of the migration-type
checklist: ``tests/perf/dash_client.py`` derives those requests from the app's own layout and
callback list, wave by wave, as Dash's renderer does (this dashboard sends several small
requests, the naive build one large one). Measured:

* server side (Flask test client): bytes per interaction, server milliseconds per callback
  and per interaction; for this dashboard both with every result computed (cache off) and
  with repeated filters answered from the shared result cache (the production default);
* in headless Chromium against gunicorn: the bytes one filter change transfers, the time
  from the click to the repainted Ruhr map, first-load bytes, the time to the first map (the
  server-drawn SVG of the first paint; the naive build's first map is its plotly map) and to
  the first interactive map (both in the page, from navigation start, median of five loads);
* throughput under gunicorn (the settings of `make run`) with keep-alive clients: callbacks/s
  with no errors, computed and cached."""

from __future__ import annotations

import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from dashboard import ids
from layers import demo, vocab
from layers.dataset import load_dataset
from layers.settings import Settings
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, _free_port
from tests.perf import dash_client

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "artifacts" / "bench"
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
PAGE = "http://127.0.0.1/"


def percentile(values, q) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def interactions(get_json, post, count: int):
    """Load the page, then change the migration types ``count`` times; yields, per
    interaction, the list of (status, response bytes, server ms) of its requests."""
    page = dash_client.load_page(get_json("/_dash-layout"), get_json("/_dash-dependencies"))
    dash_client.page_load(page, PAGE, dash_client.sequential(lambda body: post(body)[:2]))
    for i in range(count):
        sent = []

        def send_wave(bodies, sent=sent):
            answers = []
            for body in bodies:
                status, response, size, ms = post(body)
                sent.append((status, size, ms))
                answers.append((status, response))
            return answers

        dash_client.interact(page, (ids.TYPES, "value", TYPE_SETS[i % len(TYPE_SETS)]), send_wave)
        yield sent


def server_side(app) -> dict:
    client = app.server.test_client()

    def get_json(path):
        return client.get(path, headers={"Referer": PAGE}).get_json()

    def post(body):
        start = time.perf_counter()
        response = client.post("/_dash-update-component", json=body)
        ms = (time.perf_counter() - start) * 1000
        assert response.status_code in (200, 204), response.data[:200]
        data = response.get_json() if response.status_code == 200 else None
        return response.status_code, data, len(response.data), ms

    sizes, per_callback, per_interaction, requests = [], [], [], []
    for sent in interactions(get_json, post, INTERACTIONS):
        sizes.append(sum(size for _, size, _ in sent))
        per_callback += [ms for _, _, ms in sent]
        per_interaction.append(sum(ms for _, _, ms in sent))
        requests.append(len(sent))
    return {
        "bytes": statistics.median(sizes),
        "requests": statistics.median(requests),
        "p50": percentile(per_callback, 0.5),
        "p95": percentile(per_callback, 0.95),
        "interaction_p95": percentile(per_interaction, 0.95),
    }


def gunicorn(module: str, data_dir: Path, cache: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {
        **os.environ,
        "RUHR_DATA_DIR": str(data_dir),
        "RUHR_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "RUHR_CACHE_URL": cache,
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:dashboard.gunicorn_conf",
         "--bind", f"127.0.0.1:{port}", module],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "/_dash-layout", timeout=2)
            return server, url
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError(f"{module} did not start")


FIRST_MAP_JS = (  # any trace with values (ours has outline and context traces besides)
    "() => { const gd = document.querySelector('#ruhr-map .js-plotly-plot');"
    " return (gd?._fullData || []).some(t => Array.from(t.z || []).some(v => v > 0)); }"
)
# Any map on screen: the server-drawn SVG of the first paint (dashboard/firstpaint.py; the
# naive build has none) or the plotly map with values.
ANY_MAP_JS = (
    "() => !!document.querySelector('[data-first-map] svg path, .first-map-over svg path')"
    f" || ({FIRST_MAP_JS})()"
)
FIRST_MAPS = 5  # page loads per build, each in a fresh browser context (nothing cached)
# From the start of the navigation (performance.now()) to the end of the browser's work on
# the first frame that shows a map (requestAnimationFrame, then a message after that frame),
# measured in the page for both builds: any map (ANY_MAP_JS) and the live one (FIRST_MAP_JS).
WATCH_MAPS_JS = f"""(() => {{
    const anyMap = {ANY_MAP_JS}, liveMap = {FIRST_MAP_JS}, times = window.ruhrMapTimes = {{}};
    function afterFrame(key) {{
        const channel = new MessageChannel();
        channel.port1.onmessage = () => {{ times[key] = performance.now(); }};
        channel.port2.postMessage(0);
    }}
    (function watch() {{
        if (!times.seen && anyMap()) {{ times.seen = true; afterFrame("first"); }}
        if (liveMap()) return afterFrame("live");
        requestAnimationFrame(watch);
    }})();
}})();"""
FIRST_MAP_TIMES_JS = """() => [window.ruhrMapTimes.first, window.ruhrMapTimes.live,
    performance.getEntriesByName('first-contentful-paint')[0].startTime]"""
# Repaint: from the click until the browser starts the frame that shows the Ruhr map's new
# colours. New colours: a fill of an area changes (our SVG map, whether plotly redraws it
# or it is recoloured in place) or plotly_afterplot (the naive build's MapLibre map).
REPAINT_JS = """async (value) => {
    const map = document.querySelector('#ruhr-map');
    const areas = map.querySelector('.choroplethlayer');
    const recoloured = new Promise(resolve => {
        if (!areas) return map.querySelector('.js-plotly-plot').once('plotly_afterplot', resolve);
        new MutationObserver((_, observer) => { observer.disconnect(); resolve(); })
            .observe(areas, {subtree: true, attributes: true, attributeFilter: ['fill']});
    });
    performance.clearResourceTimings();
    const start = performance.now();
    document.querySelector(`input[value=${value}]`).click();
    await recoloured;
    await new Promise(resolve => requestAnimationFrame(resolve));
    return performance.now() - start;
}"""
# What the callbacks of the last change transferred: body bytes and bytes on the wire.
CALLBACK_BYTES_JS = """() => performance.getEntriesByType('resource')
    .filter(e => e.name.includes('_dash-update-component'))
    .reduce((s, e) => [s[0] + e.decodedBodySize, s[1] + e.transferSize, s[2] + 1], [0, 0, 0])"""


def browser_side(url: str) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        failures = []
        page.on("response", lambda r: r.status >= 400 and failures.append(f"{r.status} {r.url}"))
        page.goto(url + "/", wait_until="commit")
        page.wait_for_function(FIRST_MAP_JS, polling="raf", timeout=60_000)
        page.wait_for_load_state("networkidle")
        transferred = page.evaluate(
            "() => performance.getEntriesByType('navigation').concat("
            "performance.getEntriesByType('resource')).reduce((s, e) => s + e.transferSize, 0)"
        )
        page.evaluate("() => performance.setResourceTimingBufferSize(10000)")
        repaints, body_bytes, wire_bytes, requests = [], [], [], []
        for _ in range(REPAINTS):
            repaints.append(page.evaluate(REPAINT_JS, "circular"))
            page.wait_for_timeout(500)  # the last callbacks of the change
            body, wire, count = page.evaluate(CALLBACK_BYTES_JS)
            body_bytes.append(body)
            wire_bytes.append(wire)
            requests.append(count)
        assert not failures, failures
        first_map, live_map, first_paint = first_maps(browser, url)
        browser.close()
    return {
        "first_load_bytes": transferred,
        "first_map_ms": first_map,
        "first_interactive_map_ms": live_map,
        "first_paint_ms": first_paint,
        "repaint_p50": percentile(repaints, 0.5),
        "repaint_p95": percentile(repaints, 0.95),
        "browser_body_bytes": statistics.median(body_bytes),
        "browser_wire_bytes": statistics.median(wire_bytes),
        "browser_requests": statistics.median(requests),
    }


def first_maps(browser, url: str) -> tuple[float, float, float]:
    """Median ms from navigation to the first map on screen, to the live map and to the
    browser's first-contentful-paint, over FIRST_MAPS loads with an empty cache."""
    firsts, lives, paints = [], [], []
    for _ in range(FIRST_MAPS):
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.add_init_script(WATCH_MAPS_JS)
        page.goto(url + "/", wait_until="commit")
        page.wait_for_function("() => window.ruhrMapTimes?.live && window.ruhrMapTimes.first",
                               timeout=60_000)  # fmt: skip
        first, live, paint = page.evaluate(FIRST_MAP_TIMES_JS)
        firsts.append(first)
        lives.append(live)
        paints.append(paint)
        context.close()
    return statistics.median(firsts), statistics.median(lives), statistics.median(paints)


def throughput(url: str) -> dict:
    """Keep-alive clients repeating the requests of filter interactions (recorded once)."""
    host, port = url.removeprefix("http://").split(":")
    recorded: list[bytes] = []

    def get_json(path):
        with urllib.request.urlopen(url + path, timeout=10) as response:
            return json.load(response)

    def post(body):
        data = json.dumps(body).encode()
        request = urllib.request.Request(
            url + "/_dash-update-component", data=data,
            headers={"Content-Type": "application/json"},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read()
        recorded.append(data)
        return response.status, json.loads(raw) if raw else None, len(raw), 0.0

    list(interactions(get_json, post, len(TYPE_SETS)))
    stop = time.perf_counter() + LOAD_SECONDS

    def client(worker: int):
        ok = errors = 0
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        while time.perf_counter() < stop:
            body = recorded[(ok + errors + worker) % len(recorded)]
            try:
                connection.request("POST", "/_dash-update-component", body,
                                   {"Content-Type": "application/json"})  # fmt: skip
                response = connection.getresponse()
                response.read()
                ok += response.status in (200, 204)
                errors += response.status not in (200, 204)
            except (OSError, http.client.HTTPException):
                errors += 1
                connection.close()
                connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.close()
        return ok, errors

    with ThreadPoolExecutor(CONCURRENCY) as pool:
        results = list(pool.map(client, range(CONCURRENCY)))
    ok, errors = sum(r[0] for r in results), sum(r[1] for r in results)
    return {"per_second": ok / LOAD_SECONDS, "errors": errors}


def measure(name: str, data_dir: Path) -> dict:
    if name == "naive baseline":
        from tests.perf.naive import create_naive_app

        figures = server_side(create_naive_app(load_dataset(data_dir)))
        figures |= {f"cached_{k}": v for k, v in figures.items()}  # it has no cache
        module = "tests.perf.naive_wsgi:server"
    else:
        from dashboard.app import create_app
        from dashboard.cache import ResultCache
        from layers.dataset import fingerprint

        dataset = load_dataset(data_dir)
        figures = server_side(create_app(dataset, cache=ResultCache.for_dataset("off", "", 5)))
        with tempfile.TemporaryDirectory() as folder:
            cache = ResultCache.for_dataset(f"file://{folder}", fingerprint(dataset), 5)
            warm = server_side(create_app(dataset, cache=cache))
        figures |= {f"cached_{k}": v for k, v in warm.items()}
        module = "wsgi:server"
    with tempfile.TemporaryDirectory() as folder:
        server, url = gunicorn(module, data_dir, f"file://{folder}")
        try:
            figures |= browser_side(url)
            figures |= {f"cached_{k}": v for k, v in throughput(url).items()}
        finally:
            server.terminate()
            server.wait(20)
    server, url = gunicorn(module, data_dir, "off")
    try:
        figures |= throughput(url)
    finally:
        server.terminate()
        server.wait(20)
    return figures


# label, key, format, which way is better ("lower", "higher" or None: no ratio)
LINES = [
    ("requests per filter interaction (median)", "requests", "{:.0f}", None),
    ("bytes per filter interaction (median, all callbacks)", "bytes", "{:,.0f} B", "lower"),
    ("  in Chromium: response bodies", "browser_body_bytes", "{:,.0f} B", "lower"),
    ("  in Chromium: transferred (compressed, headers)", "browser_wire_bytes", "{:,.0f} B",
     "lower"),
    ("server ms per callback, computed, p50", "p50", "{:.1f} ms", "lower"),
    ("server ms per callback, computed, p95", "p95", "{:.1f} ms", "lower"),
    ("server ms per interaction, computed, p95", "interaction_p95", "{:.1f} ms", "lower"),
    ("server ms per callback, repeated filter (cache), p50", "cached_p50", "{:.1f} ms", "lower"),
    ("server ms per callback, repeated filter (cache), p95", "cached_p95", "{:.1f} ms", "lower"),
    ("repaint after a filter change, p50 (Chromium)", "repaint_p50", "{:.0f} ms", "lower"),
    ("repaint after a filter change, p95 (Chromium)", "repaint_p95", "{:.0f} ms", "lower"),
    ("first load, bytes transferred (compressed)", "first_load_bytes", "{:,.0f} B", "lower"),
    ("time to first map (server-drawn SVG where there is one)", "first_map_ms", "{:.0f} ms",
     "lower"),
    ("first contentful paint (ours: the server-drawn page; naive: Dash's loading text)",
     "first_paint_ms", "{:.0f} ms", None),
    ("time to first interactive map (plotly, with values)", "first_interactive_map_ms",
     "{:.0f} ms", "lower"),
    (f"callbacks/s, gunicorn, {CONCURRENCY} clients, computed", "per_second", "{:.0f}/s",
     "higher"),
    (f"callbacks/s, gunicorn, {CONCURRENCY} clients, cache", "cached_per_second", "{:.0f}/s",
     "higher"),
    ("errors during the throughput runs", "errors", "{:.0f}", None),
]  # fmt: skip


def advantage(ours: float, naive: float, better: str | None) -> str:
    """How many times better this dashboard is (below 1: worse)."""
    if better is None or not ours or not naive:
        return "–"
    return f"{(naive / ours if better == 'lower' else ours / naive):.1f}×"


def main() -> int:
    data_dir = Settings.from_env().data_dir.resolve()
    if len(sys.argv) == 3 and sys.argv[1] == "--measure":
        print(json.dumps(measure(sys.argv[2], data_dir)))
        return 0
    demo.write_dataset(data_dir, if_missing=True)
    rows = {}
    for name in ("this dashboard", "naive baseline"):  # each in its own process
        print(f"measuring {name} …", file=sys.stderr)
        out = subprocess.run(
            [sys.executable, "-m", "tests.perf.benchmark", "--measure", name],
            cwd=ROOT, capture_output=True, text=True, check=True,
        )  # fmt: skip
        rows[name] = json.loads(out.stdout.strip().splitlines()[-1])
    ours, naive = rows["this dashboard"], rows["naive baseline"]
    ours["errors"] += ours.pop("cached_errors")
    naive["errors"] += naive.pop("cached_errors")
    print(f"{'measure':56} {'this dashboard':>15} {'naive':>15} {'better by':>10}")
    for label, key, fmt, better in LINES:
        print(
            f"{label:56} {fmt.format(ours[key]):>15} {fmt.format(naive[key]):>15} "
            f"{advantage(ours[key], naive[key], better):>10}"
        )
    from tests.perf import survey_cost  # after the runs above: it loads a dataset of its own

    print("\n" + "\n".join(survey_cost.report(load_dataset(data_dir))))
    from tests.perf import cost_table  # cost against work: survey 1×/10×/100×, 10–100 users

    print("\n" + "\n".join(cost_table.report()))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "latest.json").write_text(json.dumps(rows, indent=2))
    print(f"\n(raw figures: {ARTIFACTS / 'latest.json'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
