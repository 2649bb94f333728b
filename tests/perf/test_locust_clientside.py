"""tests/perf/locustfile.py: users who arrive together share the V8 contexts of the
clientside callbacks, and every one of them gets an answer (mini-racer under gevent: each
context's asyncio loop is a greenlet in the one OS thread, see ``clientside_runner``).
Run in a process of its own, since importing Locust monkey-patches the standard library."""

import importlib.util
import subprocess
import sys

import pytest

from tests.perf.cluster import ROOT

USERS_ARRIVING_TOGETHER = """
import locust  # monkey-patches, as in a Locust process
import gevent
from tests.perf import locustfile

DEFINE = ("window.dash_clientside = Object.assign(window.dash_clientside || {}, "
          "{t: {inc: function (x) { return x + 1; }}});")
PAGES = [{"inline 0": DEFINE}, {"inline 0": DEFINE, "inline 1": "var other = 1;"}]


def ticks():  # Locust's own traffic keeps gevent's hub awake
    while True:
        gevent.sleep(0.005)


def user(i):
    run = locustfile.clientside_runner(PAGES[i % 2])
    return [run("t", "inc", [k], False, {}) for k in range(3)]


gevent.spawn(ticks)
users = [gevent.spawn(user, i) for i in range(12)]
gevent.joinall(users, timeout=60)  # a user that hangs is reported, not waited for
print("answered", sum(u.successful() and u.value == [[1], [2], [3]] for u in users))
print("contexts", len(locustfile._clientside_runners))
"""


def test_users_arriving_together_share_the_contexts_and_all_get_answers():
    # find_spec, not importorskip: importing Locust here would monkey-patch pytest's process
    if not all(importlib.util.find_spec(name) for name in ("locust", "py_mini_racer")):
        pytest.skip("Locust and mini-racer: the perf extra (make loadtest installs it)")
    done = subprocess.run(
        [sys.executable, "-c", USERS_ARRIVING_TOGETHER],
        cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    assert "answered 12" in done.stdout, done.stdout + done.stderr[-3000:]
    assert "contexts 2" in done.stdout  # one per page, not one per user
    assert "another loop is running" not in done.stderr
