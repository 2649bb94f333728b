"""A gunicorn sync worker that sends each response's headers in one system call with the
first part of its body (``worker_class`` in ``dashboard/gunicorn_conf.py``).

Why: gunicorn's ``Response`` writes the headers (``send_headers``) and then each body item
(``write``) with separate ``sendall`` calls. If the worker dies in between (SIGKILL, OOM,
its machine gone), the reverse proxy has already passed the headers on to the client and
can no longer retry the request on another worker or instance, so the client gets a cut
response. With the headers and the body (a Flask or Dash body is one bytes item) in one
``sendall``, a worker that dies has either sent the whole answer or nothing, and nginx
retries the latter (``tests/perf/cluster.py``, ``NGINX_CONF``).

How: the worker hands gunicorn's own request handling a socket that holds back the first
``sendall`` of the connection (the status line and headers) and sends it together with the
next one (the first body chunk). Anything else done with the socket first sends what is
held, so the bytes on the wire and their order are exactly gunicorn's: an empty body
(HEAD, 204, 304) is the headers alone, sent when the request is done; a chunked body is
the headers with its first chunk, its terminator last; a file is headers, then
``sendfile``; an error before the headers is gunicorn's own 500, one after them closes the
connection as gunicorn does. Bodies larger than the socket buffer still take several
``send`` system calls inside one ``sendall``. A 103 Early Hints (``wsgi.early_hints``, not
used by this app) would be held too and go out with the headers.

Written against gunicorn 27.0.1. It relies on gunicorn internals that are not public API,
pinned by ``tests/dashboard/test_gunicorn_worker.py`` (which fails if they change):

* ``gunicorn.workers.sync.SyncWorker.handle_request(self, listener, req, client, addr)``
  builds the ``Response`` on ``client`` (``gunicorn.http.wsgi.create``) and writes
  everything through it;
* ``Response.send_headers`` and ``Response.write`` both write with ``sock.sendall``
  (``gunicorn.util.write``), ``Response.sendfile`` with ``sock.sendfile``.
"""

from __future__ import annotations

import contextlib

from gunicorn.workers.sync import SyncWorker


class HeldFirstWrite:
    """A client socket whose first ``sendall`` waits for the next one, so that both leave
    in one system call; any other use of the socket (``sendfile``, ``shutdown``, ``close``,
    ``send`` ...) or ``flush()`` sends it first."""

    def __init__(self, sock):
        self._sock = sock
        self._held: bytes | None = None
        self._first = True

    def sendall(self, data, flags: int = 0) -> None:
        if self._first:
            self._first = False
            self._held = bytes(data)
            return
        held, self._held = self._held, None
        self._sock.sendall(held + bytes(data) if held else data, flags)

    def flush(self) -> None:
        held, self._held = self._held, None  # never sent twice, even if this fails
        if held:
            self._sock.sendall(held)

    def __getattr__(self, name):
        # only for what this class does not define: the held bytes go out first
        if name.startswith("_"):  # not the socket's API (and no recursion before __init__)
            raise AttributeError(name)
        self.flush()
        return getattr(self._sock, name)


class OneWriteWorker(SyncWorker):
    """gunicorn's sync worker, each response's headers sent with its body (module docstring)."""

    def handle_request(self, listener, req, client, addr):
        held = HeldFirstWrite(client)
        try:
            super().handle_request(listener, req, held, addr)
        except BaseException:
            # gunicorn handles the error on the real socket next (a 500, or closing it):
            # what it wrote before goes first, as it would have; a dead connection is its
            # to report, so the original error is the one raised
            with contextlib.suppress(OSError):
                held.flush()
            raise
        held.flush()  # an empty body: the headers alone
