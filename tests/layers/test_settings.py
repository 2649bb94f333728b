"""layers/settings.py: every value checked, every bad one named, defaults from one place."""

from pathlib import Path

import pytest

from layers.settings import SETTINGS, SettingError, Settings


def test_values_are_parsed_into_their_types():
    settings = Settings.from_env({
        "PORT": "9000", "WORKERS": "3", "RUHR_DATA_DIR": "/srv/ruhr", "RUHR_CACHE_TTL": "60",
        "RUHR_DISCLOSURE_THRESHOLD": "10", "RUHR_PUBLIC_URL": "https://ruhr.example.org/",
        "RUHR_TRUSTED_PROXIES": "1", "RUHR_CACHE_URL": "redis://cache:6379/0",
        "RUHR_VIEWS_FRAME_ANCESTORS": " https://a.example  https://b.example:8443 ",
    })  # fmt: skip
    assert (settings.port, settings.workers, settings.cache_ttl) == (9000, 3, 60)
    assert settings.data_dir == Path("/srv/ruhr") and settings.policy.threshold == 10
    assert settings.public_url == "https://ruhr.example.org" and settings.trusted_proxies == 1
    assert settings.cache_url == "redis://cache:6379/0"
    assert settings.views_frame_ancestors == "https://a.example https://b.example:8443"


def test_unset_and_blank_mean_the_default():
    defaults = Settings.from_env({})
    assert Settings.from_env({s.name: "  " for s in SETTINGS}) == defaults
    assert defaults.public_url == "" and defaults.views_frame_ancestors == ""


def test_every_bad_value_is_named_in_one_error():
    bad = {
        "PORT": "70000", "WORKERS": "0", "RUHR_CACHE_TTL": "-5", "RUHR_CACHE_URL": "memcached://x",
        "RUHR_DISCLOSURE_THRESHOLD": "five", "RUHR_PUBLIC_URL": "ftp://x.org",
        "RUHR_TRUSTED_PROXIES": "yes",
        "RUHR_VIEWS_FRAME_ANCESTORS": "https://a.example; script-src *",  # a CSP injection
    }  # fmt: skip
    with pytest.raises(SettingError) as error:
        Settings.from_env(bad)
    lines = str(error.value).splitlines()
    assert [line.split("=", 1)[0] for line in lines] == [s.name for s in SETTINGS if s.name in bad]
    for line in lines:
        name = line.split("=", 1)[0]
        assert line.startswith(f"{name}={bad[name]!r}: expected ")


def test_a_long_value_is_cut_in_the_message():
    with pytest.raises(SettingError) as error:
        Settings.from_env({"RUHR_CACHE_TTL": "9" * 30 + "x" * 100})
    assert str(error.value) == (
        f"RUHR_CACHE_TTL={'9' * 30 + 'x' * 10!r}: expected a whole number of seconds > 0"
    )
