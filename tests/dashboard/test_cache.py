"""The result cache: shared by workers (files) and instances (Redis), keyed so that new data
or another threshold never gets old results, and harmless when its backend fails."""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest
from cachelib import FileSystemCache, NullCache, RedisCache

from dashboard import ids
from dashboard.app import create_app
from dashboard.cache import CacheConfigError, ResultCache, backend_from_url
from layers.dataset import fingerprint
from tests.browser.conftest import _free_port
from tests.dashboard.test_app import _update_request


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return {"value": self.calls}


def test_backends_from_the_environment_value(tmp_path):
    assert isinstance(backend_from_url("off"), NullCache)
    assert isinstance(backend_from_url(None), FileSystemCache)
    assert isinstance(backend_from_url(f"file://{tmp_path}"), FileSystemCache)
    assert isinstance(backend_from_url("redis://127.0.0.1:1/0"), RedisCache)
    for bad in ("memcached://x", "file:relative", "https://example.org"):
        with pytest.raises(CacheConfigError, match="RUHR_CACHE_URL"):
            backend_from_url(bad)


def test_a_result_is_computed_once_for_all_workers(tmp_path):
    # Two caches over one folder stand for two gunicorn workers (separate processes
    # share nothing else).
    first = ResultCache.for_dataset(f"file://{tmp_path}", "data-1", 5)
    second = ResultCache.for_dataset(f"file://{tmp_path}", "data-1", 5)
    compute = Counter()
    assert first.get_or_compute("maps", ("state", 1), compute) == {"value": 1}
    assert second.get_or_compute("maps", ("state", 1), compute) == {"value": 1}
    assert compute.calls == 1
    second.get_or_compute("maps", ("state", 2), compute)
    assert compute.calls == 2


def test_new_data_or_threshold_never_gets_old_results(tmp_path):
    url = f"file://{tmp_path}"
    compute = Counter()
    ResultCache.for_dataset(url, "data-1", 5).get_or_compute("maps", ("s",), compute)
    ResultCache.for_dataset(url, "data-2", 5).get_or_compute("maps", ("s",), compute)
    ResultCache.for_dataset(url, "data-1", 10).get_or_compute("maps", ("s",), compute)
    assert compute.calls == 3


def test_off_computes_every_time():
    cache = ResultCache.for_dataset("off", "data-1", 5)
    compute = Counter()
    cache.get_or_compute("maps", ("s",), compute)
    cache.get_or_compute("maps", ("s",), compute)
    assert compute.calls == 2


def test_an_unreachable_redis_means_computing_not_failing():
    cache = ResultCache.for_dataset("redis://127.0.0.1:1/0", "data-1", 5)  # nothing listens
    compute = Counter()
    assert cache.get_or_compute("maps", ("s",), compute) == {"value": 1}
    assert cache.get_or_compute("maps", ("s",), compute) == {"value": 2}


def test_the_dataset_fingerprint_follows_the_data(demo_dataset):
    import dataclasses

    assert fingerprint(demo_dataset) == fingerprint(demo_dataset)
    flows = demo_dataset.flows.copy()
    flows[0, 0, 0, 0, 0] += 1
    changed = dataclasses.replace(demo_dataset, flows=flows)
    assert fingerprint(changed) != fingerprint(demo_dataset)


def test_the_explorer_answers_repeated_filters_from_the_shared_cache(demo_dataset, tmp_path):
    url, digest = f"file://{tmp_path}", fingerprint(demo_dataset)
    worker_a = create_app(demo_dataset, cache=ResultCache.for_dataset(url, digest, 5))
    cache_b = ResultCache.for_dataset(url, digest, 5)
    computed = []
    spying = ResultCache(cache_b.backend, cache_b.namespace)
    object.__setattr__(  # count what worker B computes itself
        spying, "get_or_compute",
        lambda kind, parts, compute: cache_b.get_or_compute(
            kind, parts, lambda: computed.append(kind) or compute()
        ),
    )  # fmt: skip
    worker_b = create_app(demo_dataset, cache=spying)
    request = _update_request(**{ids.TYPES: ["circular"]})
    answer_a = worker_a.server.test_client().post("/_dash-update-component", json=request)
    answer_b = worker_b.server.test_client().post("/_dash-update-component", json=request)
    assert answer_a.get_json() == answer_b.get_json()
    assert computed == []  # worker B computed nothing: worker A's result was there
    other = _update_request(**{ids.TYPES: ["return"]})
    worker_b.server.test_client().post("/_dash-update-component", json=other)
    assert computed == ["maps", "series"]  # one request: maps and series


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    server_binary = shutil.which("redis-server")
    if server_binary is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing; .ci/run installs it from Debian")
        pytest.skip("redis-server not installed (apt-get install redis-server)")
    port = _free_port()
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        [server_binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        import redis

        client = redis.Redis(port=port)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(10)


def test_instances_share_results_through_redis(redis_url):
    instance_a = ResultCache.for_dataset(redis_url, "data-1", 5)
    instance_b = ResultCache.for_dataset(redis_url, "data-1", 5)
    compute = Counter()
    assert instance_a.get_or_compute("maps", ("s",), compute) == {"value": 1}
    assert instance_b.get_or_compute("maps", ("s",), compute) == {"value": 1}
    assert compute.calls == 1
    import redis

    keys = redis.Redis.from_url(redis_url).keys("ruhr:*")
    assert len(keys) == 1 and b":maps:" in keys[0]


def test_the_explorer_works_on_redis(demo_dataset, redis_url):
    cache = ResultCache.for_dataset(redis_url, fingerprint(demo_dataset), 5)
    client = create_app(demo_dataset, cache=cache).server.test_client()
    request = _update_request(**{ids.TYPES: ["return"]})
    first = client.post("/_dash-update-component", json=request)
    again = client.post("/_dash-update-component", json=request)
    assert first.status_code == again.status_code == 200
    assert first.get_json() == again.get_json()


def test_a_folder_others_may_write_to_is_not_trusted(tmp_path, caplog):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    assert isinstance(backend_from_url(f"file://{shared}"), NullCache)
    assert "not private" in caplog.text
    private = backend_from_url(f"file://{tmp_path / 'private'}")
    assert isinstance(private, FileSystemCache)
    assert (tmp_path / "private").stat().st_mode & 0o777 == 0o700
