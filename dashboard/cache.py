"""A cache of computed view results, shared by every gunicorn worker (and, with Redis, by
every instance), so a filter combination is aggregated once and then costs a file read.

``RUHR_CACHE_URL`` chooses where results live:

* unset or ``file://`` - files in a folder of this user's in the system's temporary folder
  (one machine, all workers);
* ``file:///some/folder`` - files in that folder;
* ``redis://host:6379/0`` - a Redis server (several instances behind a load balancer);
* ``off`` - no cache (each request computes).

Results are stored as JSON (:class:`JsonCodec`), never pickled, so whoever can write to the
cache can at worst plant wrong numbers, never run code - and the folder is checked and then
held open so nobody else can plant anything: it must be a real folder (not a link) of this
user's that nobody else may write to, opened with ``O_NOFOLLOW``; every file is opened
relative to it, also without following links. Anything else turns the cache off with one
log line. Keys carry the dataset's fingerprint, the disclosure threshold and a digest of the
code, so a new import or release never serves old results; entries expire after
``RUHR_CACHE_TTL`` seconds (default 7 days)."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import secrets
import stat
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from cachelib import BaseCache, NullCache, RedisCache

from layers import settings

DEFAULT_TTL = settings.DEFAULT_CACHE_TTL
FILE_CACHE_LIMIT = 20_000  # result files kept before the oldest tenth is removed
CODE_ROOTS = tuple(Path(__file__).resolve().parents[1] / p for p in ("dashboard", "layers"))
log = logging.getLogger(__name__)


class CacheConfigError(ValueError):
    """RUHR_CACHE_URL cannot be understood; the message says what is allowed."""


class JsonCodec:
    """JSON for the results' shapes: dicts (also with tuple keys, as Patch paths have),
    lists, tuples, numbers, text. Anything else is refused (and then simply not cached)."""

    @staticmethod
    def _encode(value):
        if isinstance(value, dict):
            if all(isinstance(k, str) for k in value):
                return {k: JsonCodec._encode(v) for k, v in value.items()}
            items = [[JsonCodec._encode(k), JsonCodec._encode(v)] for k, v in value.items()]
            return {"__items__": items}
        if isinstance(value, tuple):
            return {"__tuple__": [JsonCodec._encode(v) for v in value]}
        if isinstance(value, list):
            return [JsonCodec._encode(v) for v in value]
        if value is None or isinstance(value, str | bool | int | float):
            return value
        raise TypeError(f"not cacheable as JSON: {type(value).__name__}")

    @staticmethod
    def _decode(value):
        if isinstance(value, list):
            return [JsonCodec._decode(v) for v in value]
        if not isinstance(value, dict):
            return value
        if value.keys() == {"__tuple__"}:
            return tuple(JsonCodec._decode(v) for v in value["__tuple__"])
        if value.keys() == {"__items__"}:
            return {JsonCodec._decode(k): JsonCodec._decode(v) for k, v in value["__items__"]}
        return {k: JsonCodec._decode(v) for k, v in value.items()}

    def dumps(self, value) -> bytes:
        return json.dumps(self._encode(value), separators=(",", ":")).encode("utf-8")

    def loads(self, data: bytes | None):
        return None if data is None else self._decode(json.loads(data))


class JsonRedisCache(RedisCache):
    serializer = JsonCodec()


class PrivateFolderCache(BaseCache):
    """Result files in a folder held open by descriptor: nothing is reached through a link."""

    def __init__(self, folder_fd: int, default_timeout: int):
        super().__init__(default_timeout)
        self.fd = folder_fd
        self.codec = JsonCodec()

    @staticmethod
    def _name(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    def get(self, key: str):
        try:
            fd = os.open(self._name(key), os.O_RDONLY | os.O_NOFOLLOW, dir_fd=self.fd)
        except FileNotFoundError:
            return None
        with os.fdopen(fd, "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid():
                return None
            if info.st_mtime + self.default_timeout < time.time():
                return None  # expired
            return self.codec.loads(handle.read())

    def set(self, key: str, value, timeout=None) -> bool:
        data, name = self.codec.dumps(value), self._name(key)
        temporary = f".{name}.{secrets.token_hex(4)}"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
        fd = os.open(temporary, flags, 0o600, dir_fd=self.fd)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temporary, name, src_dir_fd=self.fd, dst_dir_fd=self.fd)
        except BaseException:
            os.unlink(temporary, dir_fd=self.fd)
            raise
        if secrets.randbelow(100) == 0:  # now and then, keep the folder within its limit
            self._prune()
        return True

    def _prune(self) -> None:
        names = [n for n in os.listdir(self.fd) if not n.startswith(".")]
        if len(names) <= FILE_CACHE_LIMIT:
            return
        aged = sorted(names, key=lambda n: os.stat(n, dir_fd=self.fd).st_mtime)
        for name in aged[: len(names) // 10]:
            os.unlink(name, dir_fd=self.fd)


def _open_private_folder(folder: Path) -> int | None:
    """The folder's descriptor if it is a real folder of this user's that only this user may
    write to (created if missing); otherwise None and one log line saying why."""
    try:
        folder.mkdir(mode=0o700)
    except FileExistsError:
        pass
    except OSError as exc:
        log.warning("Result cache off: cannot create %s (%s).", folder, exc.strerror)
        return None
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError as exc:  # a link (ELOOP), a plain file (ENOTDIR), no permission
        log.warning("Result cache off: %s is not a folder one may use (%s).", folder, exc.strerror)
        return None
    info = os.fstat(fd)
    if info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        os.close(fd)
        log.warning("Result cache off: %s is not private to this user (owner or mode).", folder)
        return None
    return fd


def _private_files(folder: Path, ttl: int) -> BaseCache:
    fd = _open_private_folder(folder)
    return NullCache() if fd is None else PrivateFolderCache(fd, ttl)


def backend_from_url(url: str | None, ttl: int = DEFAULT_TTL) -> BaseCache:
    try:  # Settings checked it already; a caller passing its own URL gets the same check
        url = settings.cache_url(url or "")
    except ValueError:
        raise CacheConfigError(
            f"RUHR_CACHE_URL={url[:100]!r} is not understood. Use 'off', 'file://', "
            "'file:///a/folder' or 'redis://host:6379/0'."
        ) from None
    if url.lower() == "off":
        return NullCache()
    if url in ("", "file://"):
        folder = Path(tempfile.gettempdir()) / f"ruhr-dashboard-cache-{os.getuid()}"
        return _private_files(folder, ttl)
    parsed = urlparse(url)
    if parsed.scheme == "file":
        return _private_files(Path(parsed.path), ttl)
    import redis  # only needed when Redis is chosen (the one form left)

    client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
    return JsonRedisCache(host=client, key_prefix="ruhr:", default_timeout=ttl)


CODE_SUFFIXES = (".py", ".toml", ".json")


@functools.cache
def code_digest(roots: tuple[Path, ...] = CODE_ROOTS) -> str:
    """A digest of the code that computes results, with the declarations it reads (the
    catalogue, the UI texts): any change, any new release."""
    digest = hashlib.sha256()
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.suffix in CODE_SUFFIXES):
            digest.update(str(path.relative_to(root.parent)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


@dataclass(frozen=True)
class ResultCache:
    """Get-or-compute over a cachelib backend. A failing backend (Redis down, disk full)
    is logged and the result computed: the cache may make pages faster, never break them."""

    backend: BaseCache
    namespace: str  # dataset fingerprint + threshold + code digest

    @classmethod
    def for_dataset(cls, url: str | None, dataset_fingerprint: str, threshold: int,
                    ttl: int = DEFAULT_TTL):  # fmt: skip
        namespace = hashlib.sha256(
            f"{dataset_fingerprint}|{threshold}|{code_digest()}".encode()
        ).hexdigest()[:16]
        return cls(backend_from_url(url, ttl), namespace)

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
