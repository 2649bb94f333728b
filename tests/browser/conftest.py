"""A real server (gunicorn, as in production) and a real browser (Debian's headless Chromium)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = PROJECT_ROOT / "artifacts" / "browser"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
LOCAL_PREFIXES = ("http://127.0.0.1", "data:", "blob:", "about:")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn_serving(data_dir, log_name: str = "gunicorn.log"):
    """The app as in production (gunicorn, dashboard/gunicorn_conf.py) serving ``data_dir``
    on a free port: its URL once /healthz answers; stopped afterwards."""
    port = _free_port()
    env = {**os.environ, "RUHR_DATA_DIR": str(data_dir),
           "RUHR_PUBLIC_URL": f"http://127.0.0.1:{port}"}  # fmt: skip
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # each worker its own log
    log_name = log_name.replace(".log", f"-{worker}.log") if worker else log_name
    log = (ARTIFACTS / log_name).open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:dashboard.gunicorn_conf",
         "--bind", f"127.0.0.1:{port}", "wsgi:server"],
        cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180  # a busy machine builds the app slowly
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"gunicorn did not start; see {ARTIFACTS / log_name}")
            time.sleep(0.3)
    try:
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


@pytest.fixture(scope="session")
def live_server(demo_dir):
    with gunicorn_serving(demo_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install Debian's chromium and chromium-driver "
            "(bash .ci/run does) or set CHROMIUM_PATH."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh page that records every request leaving our server and every failure."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.outside_requests, page.failed_requests, page.page_errors = [], [], []
    page.console_errors = []
    page.on("request", lambda r: None if r.url.startswith(LOCAL_PREFIXES)
            else page.outside_requests.append(r.url))  # fmt: skip
    page.on("requestfailed", lambda r: page.failed_requests.append(r.url))
    page.on("pageerror", lambda e: page.page_errors.append(str(e)))
    page.on("console", lambda m: m.type == "error" and page.console_errors.append(m.text))
    page.base_url = live_server
    yield page
    context.close()
