"""gunicorn settings for production (`make run`), the browser tests, the benchmark and the load
test, in one place: ``gunicorn -c python:dashboard.gunicorn_conf --bind HOST:PORT wsgi:server``.

* ``preload_app``: the dataset and the app are built once in the master and shared
  copy-on-write by the workers; a worker that dies is replaced in a fraction of a second.
* sync workers, one request at a time each: the callbacks are short (a few milliseconds from
  the shared result cache) and CPU-bound, so threads would only queue on the GIL; a worker
  that is killed takes at most one request with it. Slow clients and TLS are the job of the
  reverse proxy in front (README, Deployment), as gunicorn recommends for sync workers.
* ``OneWriteWorker`` (``dashboard/gunicorn_worker.py``): gunicorn's sync worker, except that
  a response's headers leave in one system call with its body, so a worker killed while it
  answers has sent all or nothing, and the proxy can retry the nothing.
* ``WORKERS`` (default 2 on this 2-core machine; one or two per core is the usual rule)."""

from layers.settings import Settings

workers = Settings.from_env().workers  # gunicorn reads this file before it loads the app
worker_class = "dashboard.gunicorn_worker.OneWriteWorker"
preload_app = True
timeout = 60  # a worker silent this long is replaced
graceful_timeout = 20  # on a restart, requests in flight may finish
