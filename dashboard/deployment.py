"""Where the server is reached: the settings that decide the absolute links it writes.

A link built from the request's ``Host`` header repeats whatever the client sent (``Host:
evil.example``), and the API's catalogue would hand that address to the next reader of a
cached answer. So links come from ``RUHR_PUBLIC_URL`` when it is set; otherwise from the
request only when the operator says that trusted reverse proxies set the forwarded headers
(``RUHR_TRUSTED_PROXIES``); otherwise they are relative. Checked in layers/settings.py."""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.middleware.proxy_fix import ProxyFix

from layers.settings import DEFAULT_PORT, SettingError, Settings

__all__ = ["Deployment", "SettingError"]


@dataclass(frozen=True)
class Deployment:
    public_url: str = ""  # "" when not configured
    trusted_proxies: int = 0
    port: int = DEFAULT_PORT

    @classmethod
    def from_settings(cls, settings: Settings) -> Deployment:
        return cls(settings.public_url, settings.trusted_proxies, settings.port)

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
