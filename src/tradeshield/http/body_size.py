"""Refuses a request whose declared body is larger than the upload limit, before any route
reads it: 413 with a problem body.

A plain ASGI middleware, not ``@app.middleware("http")``: that form runs every request
through an extra task and stream pair, which costs more than a checkout answer itself.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from tradeshield.http import problems


class BodySizeLimit:
    def __init__(self, app: ASGIApp, limit_bytes: int) -> None:
        self.app = app
        self.limit_bytes = limit_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            declared = _content_length(scope)
            if declared is not None and declared > self.limit_bytes:
                detail = f"request body is {declared} bytes; the limit is {self.limit_bytes}"
                response = problems.problem(
                    413, "too-large", "Content too large", detail, scope.get("path", "")
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None
