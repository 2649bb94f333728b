"""dashboard/gunicorn_worker.py: each response leaves the worker in one system call where it
can (headers with the first body chunk), and the bytes on the wire are exactly those of
gunicorn's own sync worker. Driven through gunicorn's real parser, ``Response`` and request
handling with a fake client socket that records every send; then a real gunicorn started
with ``dashboard/gunicorn_conf.py`` (and, where strace is installed, the system calls)."""

from __future__ import annotations

import inspect
import json
import os
import re

import flask
import pytest
from gunicorn import util
from gunicorn.config import Config
from gunicorn.http import wsgi
from gunicorn.workers.sync import SyncWorker

from dashboard import gunicorn_conf
from dashboard.gunicorn_worker import OneWriteWorker

GET = b"GET /x HTTP/1.1\r\nHost: test\r\n\r\n"
SENDS = ("sendall", "send", "sendfile")


class FakeClient:
    """A connected client socket: the request to read; every call that sends, recorded."""

    def __init__(self, request: bytes):
        self._incoming = [request]
        self.calls: list[tuple[str, bytes]] = []

    def recv(self, _size: int) -> bytes:
        return self._incoming.pop(0) if self._incoming else b""

    def sendall(self, data, flags: int = 0) -> None:
        self.calls.append(("sendall", bytes(data)))

    def send(self, data, flags: int = 0) -> int:
        self.calls.append(("send", bytes(data)))
        return len(data)

    def sendfile(self, file, offset: int = 0, count: int | None = None) -> int:
        file.seek(offset)
        data = file.read(count)
        self.calls.append(("sendfile", data))
        return len(data)

    def shutdown(self, _how) -> None:
        self.calls.append(("shutdown", b""))

    def close(self) -> None:
        self.calls.append(("close", b""))

    def gettimeout(self):
        return None

    def settimeout(self, _timeout) -> None:
        pass

    def setblocking(self, _flag) -> None:  # gunicorn's error page: util.write_nonblock
        pass

    @property
    def sends(self) -> list[bytes]:
        return [data for kind, data in self.calls if kind in SENDS]

    @property
    def wire(self) -> bytes:
        """What the client received, the Date header masked (it may tick between runs)."""
        return re.sub(rb"Date: [^\r]*\r\n", b"Date: -\r\n", b"".join(self.sends))


class Listener:
    def getsockname(self):
        return ("127.0.0.1", 8000)


class Log:
    """gunicorn's logger, keeping only the errors."""

    def __init__(self):
        self.errors: list[str] = []

    def exception(self, message, *args):
        self.errors.append(message % args)

    def access(self, *_args):
        pass

    def debug(self, *_args):
        pass

    info = warning = error = debug


def serve(app, request: bytes = GET, worker_class=OneWriteWorker) -> FakeClient:
    """One connection handled by ``worker_class`` as gunicorn does: parse, app, close."""
    worker = worker_class(1, os.getpid(), [], None, 30, Config(), Log())
    worker.wsgi = app  # what load_wsgi() sets in a real worker
    client = FakeClient(request)
    try:
        worker.handle(Listener(), client, ("127.0.0.1", 40000))
    finally:
        worker.tmp.close()
    return client


def app_of(status: str, headers: list, body):
    def app(environ, start_response):
        start_response(status, headers)
        return body(environ) if callable(body) else body

    return app


def length(n: int) -> list:
    return [("Content-Type", "text/plain"), ("Content-Length", str(n))]


def failing_after_first_chunk(_environ):
    yield b"ab"
    raise RuntimeError("the stream broke")


def failing_before_headers(_environ, _start_response):
    raise RuntimeError("the app broke")


SCENARIOS = {
    "one item": (app_of("200 OK", length(5), [b"hello"]), GET),
    "several items": (app_of("200 OK", length(6), [b"ab", b"cd", b"ef"]), GET),
    "chunked": (app_of("200 OK", [], [b"ab", b"", b"cd"]), GET),
    "chunked, empty": (app_of("200 OK", [], []), GET),
    "204": (app_of("204 No Content", [], []), GET),
    "304": (app_of("304 Not Modified", [("ETag", '"v1"')], []), GET),
    "HEAD": (app_of("200 OK", length(5), [b"hello"]), b"HEAD /x HTTP/1.1\r\nHost: t\r\n\r\n"),
    "HTTP/1.0": (app_of("200 OK", [], [b"ab", b"cd"]), b"GET /x HTTP/1.0\r\n\r\n"),
    "error before headers": (failing_before_headers, GET),
    "error after a chunk": (app_of("200 OK", length(4), failing_after_first_chunk), GET),
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_the_bytes_on_the_wire_are_gunicorns_own(name):
    app, request = SCENARIOS[name]
    ours, theirs = serve(app, request), serve(app, request, worker_class=SyncWorker)
    assert ours.wire == theirs.wire
    assert ours.wire.startswith(b"HTTP/1.")
    assert len(ours.sends) <= len(theirs.sends)


def test_a_response_of_one_item_is_one_call_with_headers_and_body():
    client = serve(app_of("200 OK", length(5), [b"hello"]))
    assert len(client.sends) == 1
    head, _, body = client.sends[0].partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 OK\r\n") and b"Content-Length: 5" in head
    assert body == b"hello"
    assert client.calls[-2:] == [("shutdown", b""), ("close", b"")]  # sent before the close


def test_a_flask_response_is_one_call():
    app = flask.Flask(__name__)
    app.get("/x")(lambda: flask.jsonify(answer=42))
    client = serve(app.wsgi_app)
    assert len(client.sends) == 1
    head, _, body = client.sends[0].partition(b"\r\n\r\n")
    assert b"200 OK" in head and json.loads(body) == {"answer": 42}


@pytest.mark.parametrize("name", ["204", "304", "HEAD", "chunked, empty"])
def test_a_response_without_body_bytes_is_one_call(name):
    client = serve(*SCENARIOS[name])
    assert len(client.sends) == 1
    head, _, rest = client.sends[0].partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 ")
    assert rest == (b"0\r\n\r\n" if name == "chunked, empty" else b"")


def test_several_items_arrive_complete_and_in_order_the_first_with_the_headers():
    client = serve(*SCENARIOS["several items"])
    assert client.sends[0].endswith(b"\r\n\r\nab")
    assert client.sends[1:] == [b"cd", b"ef"]


def test_a_chunked_response_starts_with_its_first_chunk_and_ends_with_the_terminator():
    client = serve(*SCENARIOS["chunked"])
    assert b"Transfer-Encoding: chunked" in client.sends[0]
    assert client.sends[0].endswith(b"\r\n\r\n2\r\nab\r\n")
    assert client.sends[1:] == [b"2\r\ncd\r\n", b"0\r\n\r\n"]


def test_a_file_goes_by_sendfile_after_the_headers(tmp_path):
    path = tmp_path / "style.css"
    path.write_bytes(b"body { color: black }")

    def app(environ, start_response):
        start_response("200 OK", length(path.stat().st_size))
        return environ["wsgi.file_wrapper"](path.open("rb"))

    client = serve(app)
    assert [kind for kind, _ in client.calls if kind in SENDS] == ["sendall", "sendfile"]
    assert client.sends[0].endswith(b"\r\n\r\n")  # the headers, flushed before the file
    assert client.sends[1] == path.read_bytes()


def test_an_error_before_the_headers_is_gunicorns_500():
    client = serve(failing_before_headers)
    assert len(client.sends) == 1
    assert client.sends[0].startswith(b"HTTP/1.1 500 Internal Server Error")


def test_an_error_after_the_first_chunk_closes_after_what_was_sent():
    client = serve(*SCENARIOS["error after a chunk"])
    assert len(client.sends) == 1 and client.sends[0].endswith(b"\r\n\r\nab")
    assert b"500" not in client.sends[0]
    assert ("shutdown", b"") in client.calls


def test_the_gunicorn_internals_it_relies_on_are_there():
    """Written against gunicorn 27.0.1 (dashboard/gunicorn_worker.py names these): if one
    changes, re-check the worker against the new gunicorn before upgrading."""
    handle = inspect.signature(SyncWorker.handle_request).parameters
    assert list(handle) == ["self", "listener", "req", "client", "addr"]
    assert "wsgi.create(req, client," in inspect.getsource(SyncWorker.handle_request)
    assert list(inspect.signature(wsgi.Response).parameters) == ["req", "sock", "cfg"]
    assert "util.write(self.sock" in inspect.getsource(wsgi.Response.send_headers)
    assert "self.sock.sendfile(" in inspect.getsource(wsgi.Response.sendfile)
    assert "sock.sendall(" in inspect.getsource(util.write)


def test_the_production_settings_use_this_worker():
    assert util.load_class(gunicorn_conf.worker_class) is OneWriteWorker
    assert issubclass(OneWriteWorker, SyncWorker)
