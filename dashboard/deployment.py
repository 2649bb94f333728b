"""Where the server is reached: the settings that decide the absolute links it writes.

A link built from the request's ``Host`` header repeats whatever the client sent (``Host:
evil.example``), and the API's catalogue would hand that address to the next reader of a
cached answer. So links come from ``RUHR_PUBLIC_URL`` when it is set; otherwise from the
request only when the operator says that trusted reverse proxies set the forwarded headers
(``RUHR_TRUSTED_PROXIES``); otherwise they are relative. Read once, in ``create_app``."""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from werkzeug.middleware.proxy_fix import ProxyFix

PUBLIC_URL_ENV = "RUHR_PUBLIC_URL"
TRUSTED_PROXIES_ENV = "RUHR_TRUSTED_PROXIES"
PORT_ENV = "PORT"
DEFAULT_PORT = "8050"


class SettingError(ValueError):
    """A deployment setting the server cannot start with."""


def _public_url(raw: str) -> str:
    url = raw.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise SettingError(
            f"{PUBLIC_URL_ENV}={raw!r}: expected the address users reach the server at, "
            "e.g. https://dashboard.example.org (http or https, no query)"
        )
    return url


def _proxies(raw: str) -> int:
    try:
        count = int(raw.strip() or "0")
    except ValueError:
        count = -1
    if count < 0:
        raise SettingError(
            f"{TRUSTED_PROXIES_ENV}={raw!r}: expected the number of reverse proxies in front "
            "of the server that set X-Forwarded-For/-Proto/-Host, e.g. 1 (0: none)"
        )
    return count


@dataclass(frozen=True)
class Deployment:
    public_url: str = ""  # "" when not configured
    trusted_proxies: int = 0
    port: str = DEFAULT_PORT

    @classmethod
    def from_env(cls, environ=None) -> Deployment:
        environ = os.environ if environ is None else environ
        return cls(
            public_url=_public_url(environ[PUBLIC_URL_ENV]) if environ.get(PUBLIC_URL_ENV) else "",
            trusted_proxies=_proxies(environ.get(TRUSTED_PROXIES_ENV, "")),
            port=environ.get(PORT_ENV) or DEFAULT_PORT,
        )

    def base_url(self, host_url: str) -> str:
        """Prefix of the absolute links in an answer to a request for ``host_url`` (the
        request's own scheme and host, after ProxyFix): "" means relative links."""
        if self.public_url:
            return self.public_url
        return host_url.rstrip("/") if self.trusted_proxies else ""

    def absolute_url(self) -> str:
        """For what needs an absolute address without a request (pygeoapi's links)."""
        return self.public_url or f"http://127.0.0.1:{self.port}"

    def wrap(self, wsgi_app):
        """Believe X-Forwarded-For/-Proto/-Host only from the configured number of proxies."""
        if not self.trusted_proxies:
            return wsgi_app
        n = self.trusted_proxies
        return ProxyFix(wsgi_app, x_for=n, x_proto=n, x_host=n)
