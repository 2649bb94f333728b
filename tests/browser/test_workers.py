"""Several gunicorn workers: each can serve the JavaScript bundles even when its very first
request is for a bundle (Dash registers them while rendering the index page)."""

import os
import re
import subprocess
import sys
import time
import urllib.request

from tests.browser.conftest import PROJECT_ROOT, _free_port


def test_fresh_workers_serve_bundles_before_any_page(demo_dir, demo_dataset):
    from dashboard.app import create_app

    index = create_app(demo_dataset).server.test_client().get("/").get_data(as_text=True)
    bundles = re.findall(r'src="(/_dash-component-suites/[^"]+)"', index)
    assert bundles
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:dashboard.gunicorn_conf",
         "--bind", f"127.0.0.1:{port}", "wsgi:server"],  # the production settings
        cwd=PROJECT_ROOT, env={**os.environ, "RUHR_DATA_DIR": str(demo_dir), "WORKERS": "3"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        statuses = []
        deadline = time.monotonic() + 60
        while len(statuses) < 30 and time.monotonic() < deadline:
            try:
                url = f"http://127.0.0.1:{port}{bundles[len(statuses) % len(bundles)]}"
                with urllib.request.urlopen(url, timeout=10) as response:
                    statuses.append(response.status)
            except urllib.error.HTTPError as error:
                statuses.append(error.code)
            except OSError:
                time.sleep(0.3)  # not listening yet
        assert statuses == [200] * 30
    finally:
        server.terminate()
        server.wait(20)
