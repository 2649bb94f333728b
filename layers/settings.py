"""Every setting of the app, the server and the command line, declared once.

Each :class:`Setting` names its environment variable, what it may hold, its default and
what it means; the README's Configuration table is this declaration (``markdown_table``,
checked by tests/test_configuration.py). ``Settings.from_env`` reads and checks them all,
once, where the process starts (``wsgi.py``, ``create_app``, ``python -m layers``,
``dashboard/gunicorn_conf.py``), and the values are passed down from there. Nothing else
reads the environment (tests/test_configuration.py scans for it), so tests pass their own
``Settings.from_env({...})``."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from layers.disclosure import DEFAULT_THRESHOLD, Policy

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = PROJECT_ROOT / "data" / "generated"
DEFAULT_CACHE_TTL = 7 * 24 * 3600
DEFAULT_PORT = 8050
SHOWN_CHARACTERS = 40  # of a bad value, in its error message


class SettingError(ValueError):
    """A setting the process cannot start with; one line per bad value."""


def _whole_number(minimum: int, maximum: int | None = None) -> Callable[[str], int]:
    def parse(raw: str) -> int:
        if not (raw.isascii() and raw.isdigit()):
            raise ValueError(raw)
        number = int(raw)
        if number < minimum or (maximum is not None and number > maximum):
            raise ValueError(raw)
        return number

    return parse


def _public_url(raw: str) -> str:
    url = raw.rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(raw)
    return url


def cache_url(raw: str) -> str:
    """The forms dashboard/cache.py understands (it dispatches on them)."""
    url = raw.strip()
    parts = urlsplit(url)
    if (
        url.lower() == "off"
        or url in ("", "file://")
        or (parts.scheme == "file" and parts.path.startswith("/"))
        or parts.scheme in ("redis", "rediss")
    ):
        return url
    raise ValueError(raw)


# A CSP source list: the value is written into a header, so nothing but origins (no ";").
_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?|'self'")


def _flag(raw: str) -> bool:
    """Set is true, as CI systems set it ("true", "1", "yes"); "false", "0", "no" are not."""
    return raw.strip().lower() not in ("false", "0", "no")


def _origins(raw: str) -> str:
    if not all(_ORIGIN.fullmatch(origin) for origin in raw.split()):
        raise ValueError(raw)
    return " ".join(raw.split())


@dataclass(frozen=True)
class Setting:
    name: str  # the environment variable
    allowed: str  # what a value may be: the error message and the README say it
    default: object  # the value when unset or blank
    shown_default: str  # the default as the README shows it
    meaning: str  # markdown, for the README
    parse: Callable[[str], object] = str  # raises ValueError for a bad value

    @property
    def field(self) -> str:
        """The attribute of :class:`Settings` that holds it."""
        return self.name.removeprefix("RUHR_").lower()


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "PORT", "a port number 1–65535", DEFAULT_PORT, f"`{DEFAULT_PORT}`",
        "port for `make run`; pygeoapi's links use it when `RUHR_PUBLIC_URL` is unset",
        _whole_number(1, 65535),
    ),
    Setting(
        "WORKERS", "a whole number ≥ 1", 2, "`2`",
        "gunicorn worker processes (`dashboard/gunicorn_conf.py`, `make run`)",
        _whole_number(1),
    ),
    Setting(
        "RUHR_DATA_DIR", "a folder", DEFAULT_DATA_DIR, "`data/generated`",
        "dataset folder the app and the CLI read (the CLI's `--data-dir`/`--out` win)", Path,
    ),
    Setting(
        "RUHR_CACHE_URL", "'off', 'file://', 'file:///a/folder' or 'redis://host:6379/0'",
        "", "(files in the temp folder)",
        "where computed results are cached for all workers: `file:///folder`, "
        "`redis://host:6379/0` (several instances), or `off`",
        cache_url,
    ),
    Setting(
        "RUHR_CACHE_TTL", "a whole number of seconds > 0", DEFAULT_CACHE_TTL, "`604800` (7 days)",
        "seconds a cached result is kept", _whole_number(1),
    ),
    Setting(
        "RUHR_DISCLOSURE_THRESHOLD", "a whole number of respondents ≥ 1, e.g. 5", DEFAULT_THRESHOLD,
        f"`{DEFAULT_THRESHOLD}`",
        "fewest respondents a survey-derived value may rest on", _whole_number(1),
    ),
    Setting(
        "RUHR_PUBLIC_URL",
        "the address users reach the server at, e.g. https://dashboard.example.org "
        "(http or https, no query)",
        "", "(none)",
        "public address: the start of every absolute link (API catalogue, OGC API; "
        "pygeoapi's links default to `http://127.0.0.1:$PORT`)",
        _public_url,
    ),
    Setting(
        "RUHR_TRUSTED_PROXIES",
        "the number of reverse proxies in front of the server that set "
        "X-Forwarded-For/-Proto/-Host, e.g. 1 (0: none)",
        0, "`0`",
        "reverse proxies in front that set `X-Forwarded-For/-Proto/-Host`; only then do links "
        "follow the request's address (when `RUHR_PUBLIC_URL` is unset)",
        _whole_number(0),
    ),
    Setting(
        "RUHR_VIEWS_FRAME_ANCESTORS", "origins separated by spaces, e.g. https://www.dortmund.de",
        "", "(none: only `/views/<slug>?embed=1`, by any site)",
        "origins allowed to embed `/views/…` (CSP `frame-ancestors`)",
        _origins,
    ),
    Setting(
        "CI", "any value (CI systems set it)", False, "(unset)",
        "set: the command line draws no progress bars, also on a terminal", _flag,
    ),
)  # fmt: skip


@dataclass(frozen=True)
class Settings:
    """The checked values; build with :meth:`from_env` (defaults come from ``SETTINGS``)."""

    port: int
    workers: int
    data_dir: Path
    cache_url: str
    cache_ttl: int
    disclosure_threshold: int
    public_url: str  # "" when not configured
    trusted_proxies: int
    views_frame_ancestors: str  # "" when framing is not allowed
    ci: bool  # run by a CI system: no progress drawn

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> Settings:
        """Every setting from ``environ``; all bad values in one :class:`SettingError`."""
        values, errors = {}, []
        for setting in SETTINGS:
            raw = environ.get(setting.name, "").strip()
            try:
                values[setting.field] = setting.parse(raw) if raw else setting.default
            except ValueError:
                shown = raw[:SHOWN_CHARACTERS]
                errors.append(f"{setting.name}={shown!r}: expected {setting.allowed}")
        if errors:
            raise SettingError("\n".join(errors))
        return cls(**values)

    @property
    def policy(self) -> Policy:
        return Policy(threshold=self.disclosure_threshold)


def markdown_table() -> str:
    """The README's Configuration table."""
    rows = ["| variable | allowed | default | meaning |", "| --- | --- | --- | --- |"]
    rows += [f"| `{s.name}` | {s.allowed} | {s.shown_default} | {s.meaning} |" for s in SETTINGS]
    return "\n".join(rows)


if __name__ == "__main__":  # python -m layers.settings: the table for the README
    print(markdown_table())
