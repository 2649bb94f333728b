"""The result cache: shared by workers (files) and instances (Redis), keyed so that new data
or another threshold never gets old results, and harmless when its backend fails."""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest
from cachelib import NullCache

from dashboard import cache as cache_module
from dashboard import ids
from dashboard.app import create_app
from dashboard.cache import (
    CacheConfigError,
    JsonRedisCache,
    PrivateFolderCache,
    ResultCache,
    backend_from_url,
)
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
    assert isinstance(backend_from_url(None), PrivateFolderCache)
    assert isinstance(backend_from_url(f"file://{tmp_path}"), PrivateFolderCache)
    assert isinstance(backend_from_url("redis://127.0.0.1:1/0"), JsonRedisCache)
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

    client = redis.Redis.from_url(redis_url)
    keys = client.keys("ruhr:*")
    assert len(keys) == 1 and b":maps:" in keys[0]
    assert 0 < client.ttl(keys[0]) <= cache_module.DEFAULT_TTL  # entries expire
    assert client.get(keys[0]).startswith(b"{")  # JSON, not a pickle


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
    assert isinstance(private, PrivateFolderCache)
    assert (tmp_path / "private").stat().st_mode & 0o777 == 0o700


# ---------------------------------------------------------------- attacks on the cache


def test_a_link_a_file_or_a_dangling_link_turns_the_cache_off_without_stopping(
    demo_dataset, tmp_path, caplog
):
    own = tmp_path / "own"  # a folder that would pass the ownership check
    own.mkdir(mode=0o700)
    (tmp_path / "link").symlink_to(own)
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    (tmp_path / "file").write_text("x")
    for name in ("link", "dangling", "file"):
        caplog.clear()
        backend = backend_from_url(f"file://{tmp_path / name}")
        assert isinstance(backend, NullCache), name
        assert len(caplog.records) == 1 and "Result cache off" in caplog.text
        cache = ResultCache(backend, "n")
        app = create_app(demo_dataset, cache=cache)  # start-up goes on
        assert app.server.test_client().get("/healthz").status_code == 200


def test_repointing_the_path_after_start_up_plants_nothing(tmp_path):
    path, attacker = tmp_path / "cache", tmp_path / "attacker"
    cache = ResultCache.for_dataset(f"file://{path}", "data-1", 5)
    cache.get_or_compute("maps", ("s",), lambda: {"value": "real"})
    attacker.mkdir()
    planted = cache.backend.codec.dumps({"value": "planted"})
    (attacker / PrivateFolderCache._name(cache.key("maps", ("s",)))).write_bytes(planted)
    (attacker / PrivateFolderCache._name(cache.key("maps", ("t",)))).write_bytes(planted)
    path.rename(tmp_path / "moved")
    path.symlink_to(attacker)  # the path now leads to the attacker's files
    assert cache.get_or_compute("maps", ("s",), lambda: {"value": "x"}) == {"value": "real"}
    assert cache.get_or_compute("maps", ("t",), lambda: {"value": "computed"}) == {
        "value": "computed"
    }


def test_a_planted_pickle_is_never_run(tmp_path, caplog):
    import pickle

    marker = tmp_path / "pwned"

    class Exploit:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    cache = ResultCache.for_dataset(f"file://{tmp_path / 'cache'}", "data-1", 5)
    name = PrivateFolderCache._name(cache.key("maps", ("s",)))
    (tmp_path / "cache" / name).write_bytes(b"!" + pickle.dumps(Exploit()))
    assert cache.get_or_compute("maps", ("s",), lambda: {"value": 1}) == {"value": 1}
    assert not marker.exists()
    assert "unavailable for reading" in caplog.text


def test_entries_expire(tmp_path):
    cache = ResultCache.for_dataset(f"file://{tmp_path}", "data-1", 5, ttl=60)
    compute = Counter()
    cache.get_or_compute("maps", ("s",), compute)
    name = tmp_path / PrivateFolderCache._name(cache.key("maps", ("s",)))
    old = time.time() - 61
    os.utime(name, (old, old))
    assert cache.get_or_compute("maps", ("s",), compute) == {"value": 2}


def test_keys_follow_the_code_not_the_version_string(tmp_path, monkeypatch):
    code = tmp_path / "layers"
    code.mkdir()
    (code / "a.py").write_text("X = 1\n")
    before = cache_module.code_digest((code,))
    (code / "a.py").write_text("X = 2\n")
    cache_module.code_digest.cache_clear()
    assert cache_module.code_digest((code,)) != before
    cache_module.code_digest.cache_clear()
    after_code = cache_module.code_digest((code,))
    (code / "catalogue.toml").write_text('[groups]\nflows = { de = "Z", en = "A" }\n')
    cache_module.code_digest.cache_clear()
    assert cache_module.code_digest((code,)) != after_code  # a relabelled indicator, too
    cache_module.code_digest.cache_clear()
    namespaces = set()
    for digest in ("release-1", "release-2"):
        monkeypatch.setattr(cache_module, "code_digest", lambda d=digest: d)
        namespaces.add(ResultCache.for_dataset("off", "data-1", 5).namespace)
    assert len(namespaces) == 2


def test_results_survive_the_json_round_trip_unchanged(demo_dataset):
    from dashboard import view
    from dashboard.state import ExplorerState
    from layers.disclosure import Policy

    codec = cache_module.JsonCodec()
    state = ExplorerState(year_mode="single", year=2020, types=("circular",))
    for value in (view.view_outputs(demo_dataset, state, Policy(5)),
                  view.series_outputs(demo_dataset, state)):  # fmt: skip
        back = codec.loads(codec.dumps(value))
        assert back == value and repr(back) == repr(value)  # tuples stay tuples
    with pytest.raises(TypeError, match="not cacheable"):
        codec.dumps({"x": object()})
