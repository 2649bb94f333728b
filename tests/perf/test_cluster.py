"""tests/perf/cluster.py and loadtest_report.py: the nginx configuration for one and for
several instances (checked by ``nginx -t`` when nginx is installed), the hit-ratio
arithmetic and the latency table of the summary."""

import re
import shutil
import subprocess

import pytest

from tests.perf import cluster, loadtest_report


def _upstream_block(text: str) -> list[str]:
    block = re.search(r"upstream gunicorn \{(.*?)\}", text, re.S).group(1)
    return [line.strip() for line in block.strip().splitlines()]


def test_two_instances_each_listed_once_and_left_out_after_a_failure(tmp_path):
    text = cluster.nginx_conf(tmp_path, "127.0.0.1:9000", ["127.0.0.1:9001", "127.0.0.1:9002"])
    assert _upstream_block(text) == [
        f"server 127.0.0.1:9001 max_fails=1 fail_timeout={cluster.FAIL_TIMEOUT_S}s;",
        f"server 127.0.0.1:9002 max_fails=1 fail_timeout={cluster.FAIL_TIMEOUT_S}s;",
    ]
    assert "proxy_next_upstream_tries 2;" in text  # each instance once
    assert "proxy_next_upstream error timeout http_502 http_503 non_idempotent;" in text
    assert "listen 127.0.0.1:9000;" in text
    assert f"pid {tmp_path}/nginx.pid;" in text


def test_one_instance_is_listed_twice_and_never_marked_down(tmp_path):
    text = cluster.nginx_conf(tmp_path, "127.0.0.1:9000", ["127.0.0.1:9001"])
    assert _upstream_block(text) == ["server 127.0.0.1:9001 max_fails=0;"] * 2
    assert "proxy_next_upstream_tries 2;" in text


def test_three_instances_are_tried_in_turn(tmp_path):
    upstreams = [f"127.0.0.1:{port}" for port in (9001, 9002, 9003)]
    text = cluster.nginx_conf(tmp_path, "127.0.0.1:9000", upstreams)
    assert len(_upstream_block(text)) == 3
    assert "proxy_next_upstream_tries 3;" in text


def test_nginx_accepts_the_configuration(tmp_path):
    if not cluster.NGINX.exists():
        pytest.skip("nginx not installed (apt-get install nginx)")
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        cluster.nginx_conf(tmp_path, "127.0.0.1:9000", ["127.0.0.1:9001", "127.0.0.1:9002"])
    )
    checked = subprocess.run(
        [str(cluster.NGINX), "-t", "-p", f"{tmp_path}/", "-c", str(conf),
         "-e", str(tmp_path / "error.log")],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stderr


@pytest.mark.parametrize(
    ("hits", "misses", "ratio"), [(0, 0, None), (3, 1, 0.75), (0, 5, 0.0), (7, 0, 1.0)]
)
def test_hit_ratio(hits, misses, ratio):
    assert cluster.hit_ratio(hits, misses) == ratio


def test_latency_table_groups_by_type_and_counts_failures():
    events = [
        (0.0, 10.0, "page /", None),
        (0.0, 30.0, "page /?lang=en", None),
        (0.0, 20.0, "callback maps.figure", "ConnectionError: reset"),
    ]
    table = loadtest_report.latency_by_type(events)
    assert list(table) == ["page", "callback", "overall"]
    assert table["page"] == (2, 0, 10.0, 30.0, 30.0)
    assert table["callback"][:2] == (1, 1)
    assert table["overall"] == (3, 1, 20.0, 30.0, 30.0)


def test_free_ports_are_distinct():
    ports = cluster.free_ports(3)
    assert len(set(ports)) == 3


def test_redis_server_starts_empty_counts_and_stops(tmp_path):
    if shutil.which("redis-server") is None or not cluster.REDIS.exists():
        pytest.skip("redis-server not installed (apt-get install redis-server)")
    with (tmp_path / "redis.log").open("wb") as log:
        server = cluster.RedisServer(tmp_path, cluster.free_ports(1)[0], log)
    try:
        server.client.set("k", "v")
        server.client.get("k")
        server.client.get("missing")
        stats = server.stats()
        assert (stats["hits"], stats["misses"], stats["keys"]) == (1, 1, 1)
        server.reset()
        assert server.stats()["keys"] == 0
        assert server.stats()["hits"] == 0
        assert not list(tmp_path.glob("*.rdb"))  # no persistence
    finally:
        server.stop()
    assert server.proc.poll() is not None
