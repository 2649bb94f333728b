"""Locust users of the dashboard, run by ``tests/perf/loadtest.py`` (``make loadtest``).

Each user is one browser tab. It opens a link (HTML, ``/_dash-layout``, ``/_dash-dependencies``,
on its first visit the JavaScript/CSS the HTML names and the GeoJSON the maps reference, then
the callbacks the renderer sends on page load) and then, with a pause of a few seconds
between actions, changes filters, the metric and the tab, clicks areas on both maps, opens
links, visits the curated views and downloads layers. Every callback request is derived
from the page's own layout and dependencies by ``tests/perf/dash_client.py``: one action
sends exactly the requests Dash's renderer would send for it, wave by wave, the requests of
a wave concurrently (at most six, as a browser's connections per host). Clientside
callbacks run in V8 (mini-racer) with the app's own JavaScript from ``/assets``, so the
server callbacks behind them are sent as well.

Request names start with their type, which the summary groups by: ``page``, ``layout``,
``dependencies``, ``static``, ``geo``, ``image``, ``callback``, ``download``.

Run on its own from the repository root, for example::

    .venv/bin/locust -f tests/perf/locustfile.py --headless -u 5 -r 5 -t 20s \\
        --host http://127.0.0.1:8050

``LOADTEST_EVENTS=path.jsonl`` writes one line per request (start time, duration, name,
error) for the summary, e.g. which failures fell close to a killed worker.
"""

from __future__ import annotations

import json
import logging
import os
import random
import re

from gevent.lock import Semaphore
from gevent.pool import Pool
from locust import HttpUser, between, events, task

from dashboard import figures, ids
from dashboard.dashapp import page_urls
from tests.perf import dash_client as dc

EXPLORER_LINKS = [
    "/",
    "/?year=2019&type=circular",
    "/?lang=en",
    "/?years=2015-2020&type=circular,return",
    "/?country=RO&metric=net",
    "/?year=2022&country=BG&sel=m:05913000",
    "/?metric=arrivals_per_1000&sel=o:RO321",
    "/?tab=flows&type=transnational",
]
DOWNLOADS = [
    ("download csv", "/api/v1/layers/municipalities.csv?year=2019"),
    ("download zip", "/api/v1/layers/origin_regions.zip?year=2019&type=circular"),
    ("download gpkg", "/api/v1/layers/municipalities.gpkg?years=2015-2020"),
]
DORTMUND = "05913000"
TIMEOUT_S = 60  # gunicorn's worker timeout in `make run`
BROWSER_CONNECTIONS = 6
INLINE_SCRIPTS = re.compile(r"<script(?![^>]*\ssrc)[^>]*>(.*?)</script>", re.S)
GEO = re.compile(r"^/geo/([\w-]+)\.geojson\?v=\w+$")

_events_file = None
_clientside_runners: dict[tuple, dc.ClientsideRunner | None] = {}  # per process
_clientside_building = Semaphore()  # one V8 context built at a time, each once


def clientside_runner(sources: dict[str, str]) -> dc.ClientsideRunner | None:
    """The page's clientside functions in V8, shared by the users of this process; None
    (clientside callbacks skipped) without mini-racer.

    Built by one user at a time and kept for the whole run. mini-racer gives each context
    an asyncio loop on a thread of its own, which under Locust is a greenlet in the one OS
    thread: building a context yields to the other users, so without the lock several
    users who arrive together built one each, every loop after the first failed ("Cannot run
    the event loop while another loop is running") and those users hung for the rest of the
    run. A context built while another's loop runs uses that loop (mini-racer takes the
    running one), so the first context must stay alive: were it collected, its loop would
    close under the others ("Event loop is closed")."""
    key = tuple(sorted(sources))
    with _clientside_building:
        if key not in _clientside_runners:
            try:
                _clientside_runners[key] = dc.js_clientside_runner(sources.values())
            except ImportError:
                logging.warning(
                    "mini-racer missing: clientside callbacks (and what follows) skipped"
                )
                _clientside_runners[key] = None
    return _clientside_runners[key]


@events.init.add_listener
def _open_events(**_kwargs):
    global _events_file
    path = os.environ.get("LOADTEST_EVENTS")
    if path:
        _events_file = open(path, "a", buffering=1 << 16)  # noqa: SIM115 (closed on quit)


@events.request.add_listener
def _record(name, response_time, exception, start_time=None, **_kwargs):
    if _events_file is not None:
        error = None if exception is None else f"{type(exception).__name__}: {exception}"[:300]
        line = [start_time, round(response_time or 0, 2), name, error]
        _events_file.write(json.dumps(line) + "\n")


@events.quitting.add_listener
def _close_events(**_kwargs):
    if _events_file is not None:
        _events_file.close()


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _callback_name(body: dict) -> str:
    outputs = body["outputs"] if isinstance(body["outputs"], list) else [body["outputs"]]
    first = f"{dc.stringify_id(outputs[0]['id'])}.{outputs[0]['property']}"
    return f"callback {first}" + (f" +{len(outputs) - 1}" if len(outputs) > 1 else "")


class DashboardUser(HttpUser):
    """HttpUser (requests), not FastHttpUser: geventhttpclient silently sends a GET again when
    the connection closes without an answer (a killed worker), which a browser does only on a
    reused keep-alive connection. Here such a request fails, as it would in the browser, so
    any retry that hides a killed worker is the server side's own: in ``make loadtest`` the
    users talk to nginx, which keeps their connections alive and retries a request once
    when the gunicorn worker serving it dies before its answer began."""

    wait_time = between(2, 6)  # reading the maps between two actions

    def on_start(self):
        self.client.headers["Accept-Encoding"] = "gzip, deflate, br"  # as a browser
        self.first_visit = True
        self.seen_geo: set[str] = set()  # the browser caches geometry for a day
        self.run_clientside: dc.ClientsideRunner | None = None
        self.page: dc.Page | None = None
        self.page_url = ""
        self.load_explorer(random.choice(EXPLORER_LINKS))

    # --- plumbing ----------------------------------------------------------------------

    def _headers(self, **extra) -> dict:
        return {"Referer": self.page_url, **extra} if self.page_url else extra

    def _get(self, path: str, name: str, json_body: bool = False):
        with self.client.get(
            path, name=name, headers=self._headers(), timeout=TIMEOUT_S, catch_response=True
        ) as response:
            if response.status_code != 200:
                return None
            if not json_body:
                return response.text
            try:
                return response.json()
            except ValueError:
                response.failure("not JSON")
                return None

    def _get_many(self, requests: list[tuple[str, str]], json_body: bool = False) -> list:
        """GET (path, name) pairs concurrently, as a browser does, answers in order."""
        return Pool(BROWSER_CONNECTIONS).map(lambda r: self._get(*r, json_body=json_body), requests)

    def _post_callback(self, body: dict) -> tuple[int, dict | None]:
        with self.client.post(
            "/_dash-update-component",
            json=body,
            name=_callback_name(body),
            headers=self._headers(),
            timeout=TIMEOUT_S,
            catch_response=True,
        ) as response:
            status = response.status_code
            if status == 200:
                try:
                    answer = response.json()
                except ValueError:
                    answer = None
                if not isinstance(answer, dict) or "response" not in answer:
                    response.failure("200 without a callback response")
                    return 0, None
                return 200, answer
            return status, None  # 204 = PreventUpdate, a success; others already failed

    def send_wave(self, bodies: list[dict]) -> list[tuple[int, dict | None]]:
        if len(bodies) == 1:
            return [self._post_callback(bodies[0])]
        # concurrently, at most six at a time (a browser's connections per host)
        return Pool(BROWSER_CONNECTIONS).map(self._post_callback, bodies)

    def open_page(self, path: str, kind: str) -> dc.Page | None:
        """What the browser fetches for a link, and the callbacks of the page load."""
        self.page_url = f"{self.host.rstrip('/')}{path}"
        html = self._get(path, f"page {kind}")
        layout, dependencies = self._get_many(
            [("/_dash-layout", "layout"), ("/_dash-dependencies", "dependencies")], json_body=True
        )
        if html is None or layout is None or dependencies is None:
            return None
        if self.first_visit:  # an empty browser cache: bundles, styles, geometry
            self.first_visit = False
            clientside = {
                f"inline {i}": script
                for i, script in enumerate(INLINE_SCRIPTS.findall(html))
                if "dash_clientside" in script
            }
            urls = page_urls(html)  # Dash's scripts held for after the first paint included
            for url, text in zip(urls, self._get_many([(u, "static") for u in urls]), strict=True):
                if url.startswith("/assets/") and text and "dash_clientside" in text:
                    clientside[url] = text
            self.run_clientside = clientside_runner(clientside)
        geo = sorted({s for s in _strings(layout) if GEO.match(s)} - self.seen_geo)
        self.seen_geo.update(geo)
        images = sorted({s for s in _strings(layout) if s.endswith(".svg") and "/" in s})
        self._get_many(
            [(url, f"geo {GEO.match(url).group(1)}") for url in geo]
            + [(url, "image thumbnail") for url in images]
        )
        page = dc.load_page(layout, dependencies)
        page.run_clientside = self.run_clientside
        dc.page_load(page, self.page_url, self.send_wave)
        return page

    def load_explorer(self, link: str) -> None:
        self.page = self.open_page(link, "explorer")

    def act(self, *changes: tuple) -> None:
        """One user action on the explorer: set the properties, send what follows."""
        if self.page is None:  # the last page load failed: the user reloads
            self.load_explorer(random.choice(EXPLORER_LINKS))
            if self.page is None:
                return
        missing = [c[0] for c in changes if not self.page.has(c[0])]
        if missing:
            raise RuntimeError(f"components {missing} are not on the explorer page")
        dc.interact(self.page, list(changes), self.send_wave)

    def _choices(self, component_id: str) -> list:
        return dc.option_values(self.page.props[component_id]) if self.page else []

    # --- what users do -----------------------------------------------------------------

    @task(4)
    def change_migration_types(self):
        types = self._choices(ids.TYPES)
        if types:
            chosen = [t for t in types if random.random() < 0.5] or [random.choice(types)]
            self.act((ids.TYPES, "value", chosen))

    @task(3)
    def change_years(self):
        if self.page is None:
            return self.load_explorer(random.choice(EXPLORER_LINKS))
        mode = self.page.get(ids.YEAR_MODE, "value")
        if random.random() < 0.3:  # switch between a single year and a range
            self.act((ids.YEAR_MODE, "value", "range" if mode == "single" else "single"))
            return
        slider = self.page.props.get(ids.YEAR_SINGLE, {})
        first, last = slider.get("min", 2014), slider.get("max", 2024)
        if mode == "single":
            self.act((ids.YEAR_SINGLE, "value", random.randint(first, last)))
        else:
            start = random.randint(first, last)
            self.act((ids.YEAR_RANGE, "value", [start, random.randint(start, last)]))

    @task(2)
    def change_country(self):
        countries = self._choices(ids.COUNTRY)
        if countries:
            self.act((ids.COUNTRY, "value", random.choice(countries)))

    @task(3)
    def change_metric(self):
        metrics = self._choices(ids.METRIC)
        if metrics:
            self.act((ids.METRIC, "value", random.choice(metrics)))

    def _click_area(self, graph_id: str, favourite: str | None = None):
        """A click on an area of a map, as plotly reports it; ``favourite`` gets 30 %."""
        if self.page is None:
            return self.load_explorer(random.choice(EXPLORER_LINKS))
        codes = self.page.get(graph_id, "figure")["data"][figures.VALUES].get("locations") or []
        if favourite and (not codes or random.random() < 0.3):
            codes = [favourite]
        if codes:
            click = {"points": [{"curveNumber": figures.VALUES, "location": random.choice(codes)}]}
            self.act((graph_id, "clickData", click))

    @task(3)
    def click_municipality(self):
        self._click_area(ids.RUHR_MAP, favourite=DORTMUND)

    @task(1)
    def click_origin_region(self):
        self._click_area(ids.ORIGIN_MAP)

    @task(1)
    def open_tab(self):
        tabs = self._choices(ids.TABS)
        if tabs:
            self.act((ids.TABS, "value", random.choice(tabs)))

    @task(1)
    def toggle_table(self):
        """ "Als Tabelle zeigen" under one of the maps."""
        toggle = random.choice([ids.RUHR_TABLE_TOGGLE, ids.ORIGIN_TABLE_TOGGLE])
        if self.page is None or not self.page.has(toggle):
            return self.load_explorer(random.choice(EXPLORER_LINKS))
        clicks = self.page.get(toggle, "n_clicks")
        self.act((toggle, "n_clicks", (clicks if isinstance(clicks, int) else 0) + 1))

    @task(2)
    def open_link(self):
        self.load_explorer(random.choice(EXPLORER_LINKS))

    @task(1)
    def visit_views(self):
        """The curated views (in another tab: the explorer stays as it is)."""
        explorer = (self.page, self.page_url)
        index = self.open_page("/views", "/views")
        if index is not None:
            slugs = sorted({s for s in _strings(index.layout) if re.fullmatch(r"/views/[\w-]+", s)})
            if slugs:
                self.open_page(random.choice(slugs), "/views/<slug>")
        self.page, self.page_url = explorer

    @task(1)
    def download(self):
        name, url = random.choice(DOWNLOADS)
        with self.client.get(
            url, name=name, headers=self._headers(), timeout=TIMEOUT_S, catch_response=True
        ) as r:
            if r.status_code == 200 and not r.content:
                r.failure("empty download")
