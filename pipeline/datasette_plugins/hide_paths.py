"""Datasette plugin: no page shows the server's absolute file paths.

Datasette's /-/databases page lists each database with its file path; it answers 404 here. (The
corpus stores source paths relative to the ingest root, so the tables need no rewriting.)
"""

from __future__ import annotations

from datasette import hookimpl

HIDDEN = {"/-/databases", "/-/databases.json"}


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def hidden(scope, receive, send):
            if scope.get("type") == "http" and scope.get("path", "").rstrip("/") in HIDDEN:
                await send({"type": "http.response.start", "status": 404,
                            "headers": [[b"content-type", b"text/plain; charset=utf-8"]]})
                await send({"type": "http.response.body", "body": b"Not found\n"})
                return
            await app(scope, receive, send)

        return hidden

    return wrap
