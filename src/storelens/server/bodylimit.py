"""Request bodies are capped in the ASGI layer, before Django buffers a byte of them.

Django's ASGI handler reads the whole body into a temporary file before any view (or its own size check) runs, so a
400 MB streamed POST to the key callback, the webhook intake or the sign-in form, none of which needs a session, left
a 400 MB temporary file behind. This middleware answers 413 at once when `Content-Length` is over the limit, and for
a body without one (chunked) counts the bytes as they arrive: past the limit it answers 413 and tells Django the
client went away, so Django drops what it has and never answers itself. A chunked body is also held to what Django
keeps in memory (`FILE_UPLOAD_MAX_MEMORY_SIZE`, 2.5 MB), so only a body that declared its length up front, and was
found within the limit, can ever be spooled to a temporary file (WooCommerce's webhooks declare theirs).

Limits: `STORELENS_MAX_REQUEST_BODY` everywhere, `STORELENS_MAX_WEBHOOK_BODY` for store webhooks (an order with
hundreds of line items is large, and a refused delivery makes WooCommerce disable the hook).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

WEBHOOK_PREFIX = "/sync/hooks/"


def _too_large_body(limit: int) -> bytes:
    return (
        f"Request body too large: at most {limit} bytes are accepted here. Send a smaller request "
        "(Storelens's operator can raise STORELENS_MAX_REQUEST_BODY or STORELENS_MAX_WEBHOOK_BODY).\n"
    ).encode()


async def _answer_413(send: Send, limit: int) -> None:
    body = _too_large_body(limit)
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _declared_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodyLimit:
    """ASGI middleware: refuse request bodies over `limit` bytes (`webhook_limit` under /sync/hooks/)."""

    def __init__(self, app: ASGIApp, *, limit: int, webhook_limit: int, in_memory: int | None = None) -> None:
        self.app = app
        self.limit = limit
        self.webhook_limit = webhook_limit
        self.in_memory = in_memory  # the most a body without Content-Length may send (None: the path's limit)

    def limit_for(self, path: str) -> int:
        return self.webhook_limit if path.startswith(WEBHOOK_PREFIX) else self.limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        declared = _declared_length(scope)
        if declared is not None and declared > limit:
            await _answer_413(send, limit)
            return
        if declared is None and self.in_memory is not None:
            limit = min(limit, self.in_memory)
        received = 0
        refused = False

        async def counted_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused = True
                    await _answer_413(send, limit)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            if not refused:  # after our 413 the application has nothing more to say
                await send(message)

        await self.app(scope, counted_receive, guarded_send)


def limited(app: ASGIApp) -> BodyLimit:
    """`app` behind the body limits from settings: what `storelens serve` and `storelens.asgi` serve."""
    from django.conf import settings

    return BodyLimit(
        app,
        limit=settings.STORELENS_MAX_REQUEST_BODY,
        webhook_limit=settings.STORELENS_MAX_WEBHOOK_BODY,
        in_memory=settings.FILE_UPLOAD_MAX_MEMORY_SIZE,
    )


def application() -> BodyLimit:
    """Django's ASGI application behind the body limits."""
    from django.core.asgi import get_asgi_application

    return limited(get_asgi_application())
