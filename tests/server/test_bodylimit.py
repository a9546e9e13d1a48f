"""Request bodies are capped before Django buffers them (issue 14, item 4).

Django's ASGI handler spools a body to a temporary file (past FILE_UPLOAD_MAX_MEMORY_SIZE) before any view runs, so
the tests watch two things: how many bytes the application pulled from the client, and whether a spooled body ever
rolled over to disk.
"""

from __future__ import annotations

import asyncio
import tempfile
from typing import Any

import pytest
from django.conf import settings

from storelens.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)

CHUNK = 64 * 1024


class Upload:
    """A client streaming `total` bytes in chunks without Content-Length (chunked), counting what was read."""

    def __init__(self, total: int, content_length: int | None = None) -> None:
        self.total, self.content_length, self.pulled = total, content_length, 0
        self.status: int | None = None
        self.body = b""

    def scope(self, path: str) -> dict[str, Any]:
        headers = [(b"host", b"127.0.0.1"), (b"content-type", b"application/json")]
        if self.content_length is not None:
            headers.append((b"content-length", str(self.content_length).encode()))
        return {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "POST",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": headers,
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
        }

    async def receive(self) -> dict[str, Any]:
        if self.pulled >= self.total:
            await asyncio.sleep(3600)  # the client waits for the answer
        size = min(CHUNK, self.total - self.pulled)
        self.pulled += size
        return {"type": "http.request", "body": b"{" * size, "more_body": self.pulled < self.total}

    async def send(self, message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
        elif message["type"] == "http.response.body":
            self.body += message.get("body", b"")

    def post(self, path: str) -> Upload:
        async def go() -> None:
            await asyncio.wait_for(application(self.scope(path), self.receive, self.send), 60)

        asyncio.run(go())
        return self


@pytest.fixture
def rollovers(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every time a spooled request body went to a file on disk."""
    seen: list[int] = []
    original = tempfile.SpooledTemporaryFile.rollover

    def rollover(self: Any) -> None:
        seen.append(self._max_size)
        original(self)

    monkeypatch.setattr(tempfile.SpooledTemporaryFile, "rollover", rollover)
    return seen


@pytest.mark.parametrize("path", ["/sources/wc-callback/", "/accounts/login/", "/sync/hooks/wc/abc123/"])
def test_a_streamed_body_past_the_limit_gets_413_without_reaching_the_disk(path: str, rollovers: list[int]) -> None:
    limit = settings.STORELENS_MAX_WEBHOOK_BODY if path.startswith("/sync/") else settings.STORELENS_MAX_REQUEST_BODY
    upload = Upload(total=limit * 4).post(path)
    assert upload.status == 413
    assert b"Request body too large" in upload.body
    # It stopped reading right after the limit, or after what Django keeps in memory for a body of unknown length.
    assert upload.pulled <= min(limit, settings.FILE_UPLOAD_MAX_MEMORY_SIZE) + CHUNK
    assert rollovers == []  # nothing of it was written to a temporary file


def test_a_declared_length_past_the_limit_is_refused_before_reading_a_byte(rollovers: list[int]) -> None:
    too_big = settings.STORELENS_MAX_REQUEST_BODY + 1
    upload = Upload(total=too_big, content_length=too_big).post("/sources/wc-callback/")
    assert upload.status == 413 and upload.pulled == 0 and rollovers == []


def test_webhooks_get_the_larger_limit() -> None:
    assert settings.STORELENS_MAX_WEBHOOK_BODY >= 16 * settings.STORELENS_MAX_REQUEST_BODY
    size = settings.STORELENS_MAX_REQUEST_BODY * 2
    upload = Upload(total=size, content_length=size).post("/sync/hooks/wc/no-such-store/")
    assert upload.status == 401  # read whole and judged by the webhook view (unsigned), not refused for its size
    assert upload.pulled == size


def test_a_body_within_the_limit_reaches_the_view() -> None:
    upload = Upload(total=1000).post("/sources/wc-callback/")
    assert upload.status == 400 and b"must be JSON" in upload.body
