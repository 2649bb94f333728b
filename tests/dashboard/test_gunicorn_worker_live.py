"""A real gunicorn started with the production settings (dashboard/gunicorn_conf.py, so
with dashboard/gunicorn_worker.py's worker): complete, valid HTTP answers on a raw socket
(a page, a health check, HEAD, a 304), and where strace is installed and may attach, each
response written with one system call."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS, PROJECT_ROOT, _free_port

SENDING = ("sendto", "sendmsg", "write", "writev", "sendfile")


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError):
            text = stat.read_text()
            if int(text[text.rindex(")") + 2 :].split()[1]) == pid:
                found.append(int(stat.parent.name))
    return found


@pytest.fixture(scope="module")
def server(demo_dir):
    """(port, worker pid, log path): one worker, so every request goes to it."""
    port = _free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_path = ARTIFACTS / f"gunicorn-onewrite-{os.environ.get('PYTEST_XDIST_WORKER', '0')}.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:dashboard.gunicorn_conf",
             "--bind", f"127.0.0.1:{port}", "wsgi:server"],
            cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, "RUHR_DATA_DIR": str(demo_dir), "WORKERS": "1"},
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 180  # a busy machine builds the app slowly
        while not (_children(proc.pid) and _answers(port)):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not start; see {log_path}")
            time.sleep(0.3)
        yield port, _children(proc.pid)[0], log_path
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(30)


def _answers(port: int) -> bool:
    with contextlib.suppress(OSError):
        return raw(port, "GET /healthz HTTP/1.1")[0] == b"HTTP/1.1 200 OK"
    return False


def raw(port: int, request_line: str, *headers: str) -> tuple[bytes, dict[str, str], bytes, int]:
    """Send one request on a new connection, read until the server closes it: the status
    line, the headers (lower-case names), the body as sent and the bytes received."""
    lines = [request_line, "Host: 127.0.0.1", "Connection: close", *headers, "", ""]
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall("\r\n".join(lines).encode("latin-1"))
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, separator, body = received.partition(b"\r\n\r\n")
    assert separator, f"no end of headers in {received[:200]!r}"
    status, *fields = head.split(b"\r\n")
    parsed = {}
    for field in fields:
        name, _, value = field.decode("latin-1").partition(":")
        parsed[name.strip().lower()] = value.strip()
    return status, parsed, body, len(received)


def test_the_server_runs_the_one_write_worker(server):
    _port, _worker, log_path = server
    assert "Using worker: dashboard.gunicorn_worker.OneWriteWorker" in log_path.read_text()


def test_a_raw_get_of_the_health_check_is_complete(server):
    port = server[0]
    status, headers, body, _ = raw(port, "GET /healthz HTTP/1.1")
    assert status == b"HTTP/1.1 200 OK"
    assert headers["connection"] == "close"
    assert int(headers["content-length"]) == len(body)
    assert json.loads(body)["status"] == "ok"


def test_a_raw_get_of_the_page_is_complete_and_compressed(server):
    status, headers, body, _ = raw(server[0], "GET / HTTP/1.1", "Accept-Encoding: gzip")
    assert status == b"HTTP/1.1 200 OK"
    assert headers["content-encoding"] == "gzip"
    assert int(headers["content-length"]) == len(body) > 1000
    import gzip

    assert b"<html" in gzip.decompress(body).lower()


def test_head_and_not_modified_have_headers_only(server):
    port = server[0]
    status, headers, body, _ = raw(port, "HEAD /healthz HTTP/1.1")
    assert status == b"HTTP/1.1 200 OK" and body == b""
    assert int(headers["content-length"]) > 0  # what the GET would send
    status, headers, body, _ = raw(port, "GET /assets/app.css HTTP/1.1", "Accept-Encoding: gzip")
    assert status == b"HTTP/1.1 200 OK" and int(headers["content-length"]) == len(body)
    status, _, body, _ = raw(port, "GET /assets/app.css HTTP/1.1", "Accept-Encoding: gzip",
                          f"If-None-Match: {headers['etag']}")  # fmt: skip
    assert status == b"HTTP/1.1 304 NOT MODIFIED" and body == b""


def _traced(worker: int, out: Path, request):
    """The sending system calls of ``worker`` while ``request()`` runs, as strace lines."""
    tracer = subprocess.Popen(
        ["strace", "-f", "-p", str(worker), "-e", f"trace={','.join(SENDING)}", "-s", "32",
         "-o", str(out)], stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        attached = tracer.stderr.readline()
        if "attached" not in attached:
            pytest.skip(f"strace cannot attach here: {attached.strip()}")
        answer = request()
    finally:
        tracer.send_signal(signal.SIGINT)  # detaches
        tracer.wait(30)
    return answer, out.read_text().splitlines()


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace not installed")
@pytest.mark.parametrize(
    ("request_line", "headers"),
    [("GET /healthz HTTP/1.1", ()), ("GET / HTTP/1.1", ("Accept-Encoding: gzip",)),
     ("HEAD /healthz HTTP/1.1", ())],
)  # fmt: skip
def test_each_response_leaves_the_worker_in_one_system_call(server, tmp_path, request_line,
                                                            headers):  # fmt: skip
    port, worker, _log = server
    (status, _, _, size), lines = _traced(
        worker, tmp_path / "strace.txt", lambda: raw(port, request_line, *headers)
    )
    assert status.startswith(b"HTTP/1.1 200")
    first = next(line for line in lines if '"HTTP/1.1 200' in line)
    fd = first.split("(", 1)[1].split(",", 1)[0]
    on_the_connection = [
        line for line in lines
        if line.split(None, 1)[-1].startswith(SENDING) and f"({fd}," in line
    ]  # fmt: skip
    assert on_the_connection == [first]
    assert int(first.rsplit("=", 1)[1]) == size  # all of it, headers and body
