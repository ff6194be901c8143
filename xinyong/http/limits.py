"""Request bodies are capped while they stream in, whether or not Content-Length is sent: a
chunked body is counted message by message and refused with 413 once past its cap, so no body
can make the server hold more than its cap in memory or on disk.

Not FastAPI's own `max_body_size`: that cap is per route, not per content type (a batch route
takes a 512 MB file but must not take a 512 MB JSON document), and it answers in English."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from starlette.datastructures import Headers
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from xinyong.http.answers import refusal

# Multipart boundaries and the small form fields that travel with an uploaded file.
FORM_OVERHEAD = 1 << 20
# JSON and form bodies other than batch uploads are parsed whole into Python objects (several
# times their size): the largest legitimate one, a batch check of 100,000 subjects with their
# codes and names, is about 10 MB.
JSON_BODY_LIMIT = 32 << 20


@dataclass(frozen=True)
class BodyCap:
    limit: int  # bytes
    message: str  # what the caller is told, in Chinese

    @classmethod
    def of(cls, limit: int, advice: str, *, overhead: int = 0) -> BodyCap:
        """`limit` bytes as the caller is told it, plus what the envelope may add."""
        return cls(limit + overhead, f"请求体超过 {limit >> 20} MB 的上限，{advice}")


class BodyTooLarge(Exception):
    """Raised into the app from `receive` once a body passes its cap."""


class BodyLimit:
    """Pure ASGI middleware: multipart uploads get `upload` (or their path's own cap in
    `uploads_by_path`), a path listed in `by_path` its own cap (a JSON batch), every other
    body `other`."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        upload: BodyCap,
        other: BodyCap,
        by_path: Mapping[str, BodyCap] | None = None,
        uploads_by_path: Mapping[str, BodyCap] | None = None,
    ) -> None:
        self.app = app
        self.upload = upload
        self.other = other
        self.by_path = dict(by_path or {})
        self.uploads_by_path = dict(uploads_by_path or {})  # a small upload: a report to verify

    def cap_for(self, scope: Scope) -> BodyCap:
        if Headers(scope=scope).get("content-type", "").startswith("multipart/form-data"):
            return self.uploads_by_path.get(scope["path"], self.upload)
        return self.by_path.get(scope["path"], self.other)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cap = self.cap_for(scope)
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > cap.limit:
            await _too_large(scope, cap)(scope, receive, send)
            return
        await _CappedRequest(self.app, cap)(scope, receive, send)


class _CappedRequest:
    """One request: counts its body; once past the cap, whatever the app makes of the broken
    read (an exception, a 400) is replaced by the 413."""

    def __init__(self, app: ASGIApp, cap: BodyCap) -> None:
        self.app = app
        self.cap = cap
        self.received = 0
        self.exceeded = False
        self.started = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def counted() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                self.received += len(message.get("body", b""))
                if self.received > self.cap.limit:
                    self.exceeded = True
                    raise BodyTooLarge
            return message

        async def guarded(message: Message) -> None:
            if self.exceeded and not self.started:
                return
            self.started = self.started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, guarded)
        except Exception:
            if not self.exceeded or self.started:
                raise
        if self.exceeded and not self.started:
            await _too_large(scope, self.cap)(scope, receive, send)


def _too_large(scope: Scope, cap: BodyCap) -> Response:
    return refusal(scope, 413, "request.too_large", cap.message, "请求内容过大")
