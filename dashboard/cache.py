"""A cache of computed view results, shared by every gunicorn worker (and, with Redis, by
every instance), so a filter combination is aggregated once and then costs a file read.

``RUHR_CACHE_URL`` chooses where results live:

* unset or ``file://`` - files in a folder of this user's in the system's temporary folder
  (one machine, all workers);
* ``file:///some/folder`` - files in that folder;
* ``redis://host:6379/0`` - a Redis server (several instances behind a load balancer); it
  must be one that only the dashboard's instances can write to (results are pickled);
* ``off`` - no cache (each request computes).

Keys carry the dataset's fingerprint, the disclosure threshold and the code version, so a
new import or release never serves old results, and nothing needs clearing by hand."""

from __future__ import annotations

import hashlib
import logging
import os
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from cachelib import BaseCache, FileSystemCache, NullCache, RedisCache

CACHE_ENV = "RUHR_CACHE_URL"
FILE_CACHE_LIMIT = 20_000  # result files kept before cachelib prunes the oldest
log = logging.getLogger(__name__)


class CacheConfigError(ValueError):
    """RUHR_CACHE_URL cannot be understood; the message says what is allowed."""


def _code_version() -> str:
    try:
        return version("ruhr-eu2-dashboard")
    except PackageNotFoundError:  # running from a checkout that was never installed
        return "dev"


def _private_files(folder: Path) -> BaseCache:
    """Cached results are unpickled, so only a folder that this user owns and nobody else
    may write to is used; otherwise results are computed (and the reason logged)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = folder.stat()
    if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        log.warning("Result cache off: %s is not private to this user (owner or mode).", folder)
        return NullCache()
    return FileSystemCache(str(folder), threshold=FILE_CACHE_LIMIT, mode=0o600)


def backend_from_url(url: str | None) -> BaseCache:
    url = (url or "").strip()
    if url.lower() == "off":
        return NullCache()
    if url in ("", "file://"):
        return _private_files(Path(tempfile.gettempdir()) / f"ruhr-dashboard-cache-{os.getuid()}")
    parsed = urlparse(url)
    if parsed.scheme == "file" and parsed.path.startswith("/"):
        return _private_files(Path(parsed.path))
    if parsed.scheme in ("redis", "rediss"):
        import redis  # only needed when Redis is chosen

        client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        return RedisCache(host=client, key_prefix="ruhr:", default_timeout=0)
    raise CacheConfigError(
        f"{CACHE_ENV}={url!r} is not understood. Use 'off', 'file://', 'file:///a/folder' "
        "or 'redis://host:6379/0'."
    )


@dataclass(frozen=True)
class ResultCache:
    """Get-or-compute over a cachelib backend. A failing backend (Redis down, disk full)
    is logged and the result computed: the cache may make pages faster, never break them."""

    backend: BaseCache
    namespace: str  # dataset fingerprint + threshold + code version

    @classmethod
    def for_dataset(cls, url: str | None, dataset_fingerprint: str, threshold: int):
        namespace = hashlib.sha256(
            f"{dataset_fingerprint}|{threshold}|{_code_version()}".encode()
        ).hexdigest()[:16]
        return cls(backend_from_url(url), namespace)

    def key(self, kind: str, parts: tuple) -> str:
        digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
        return f"{self.namespace}:{kind}:{digest}"

    def get_or_compute(self, kind: str, parts: tuple, compute: Callable[[], Any]) -> Any:
        key = self.key(kind, parts)
        try:
            cached = self.backend.get(key)
        except Exception:
            log.warning("Result cache unavailable for reading; computing.", exc_info=True)
            cached = None
        if cached is not None:  # results are never None, so None means "not cached"
            return cached
        value = compute()
        try:
            self.backend.set(key, value)
        except Exception:
            log.warning("Result cache unavailable for writing.", exc_info=True)
        return value
