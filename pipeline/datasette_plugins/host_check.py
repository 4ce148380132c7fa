"""Datasette plugin: refuse requests whose Host header is not the loopback name (DNS rebinding).

A page on another site can resolve its own name to 127.0.0.1 and read a local Datasette; its
requests still carry that site's name in Host. Allowed: localhost, 127.0.0.1, [::1] (any port)
and the names in HUIBAO_ALLOWED_HOSTS (comma-separated), set by ``huibao serve --allow-host``.
"""

from __future__ import annotations

import os

from datasette import hookimpl

LOOPBACK = {"localhost", "127.0.0.1", "[::1]", "::1"}


def host_name(host: str) -> str:
    """``example.org:8001`` -> ``example.org``; ``[::1]:8001`` -> ``[::1]``."""
    host = host.strip().lower()
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def allowed_hosts() -> set[str]:
    extra = os.environ.get("HUIBAO_ALLOWED_HOSTS", "")
    return LOOPBACK | {h.strip().lower() for h in extra.split(",") if h.strip()}


@hookimpl
def asgi_wrapper(datasette):
    allowed = allowed_hosts()

    def wrap(app):
        async def checked(scope, receive, send):
            if scope.get("type") == "http":
                host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1")
                if host_name(host) not in allowed:
                    await send({"type": "http.response.start", "status": 403,
                                "headers": [[b"content-type", b"text/plain; charset=utf-8"]]})
                    await send({"type": "http.response.body", "body": b"Forbidden: unknown Host header\n"})
                    return
            await app(scope, receive, send)

        return checked

    return wrap
