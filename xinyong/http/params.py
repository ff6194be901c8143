"""Parameter types shared by every route, checked before a value reaches the database."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from annotated_types import Ge, Le
from fastapi import Form, Query
from pydantic import StringConstraints
from starlette.types import ASGIApp, Receive, Scope, Send

from xinyong.clock import SHANGHAI
from xinyong.errors import DomainError
from xinyong.http.answers import refusal

# Ids are BIGINT (PostgreSQL) / INTEGER (SQLite): a larger number names no row and overflows the
# driver. Pydantic reads only ASCII digits, so "１２" or "٣" is already a 422.
MAX_ID = 2**63 - 1
# Deeper pages than this are not browsed by people; the bound keeps OFFSET within BIGINT.
MAX_PAGE = 1000

# PostgreSQL cannot store or compare text holding NUL, and no name, code or query holds one.
NO_NUL = r"^[^\x00]*$"

RowId = Annotated[int, Ge(1), Le(MAX_ID)]
PageNumber = Annotated[int, Ge(1), Le(MAX_PAGE)]
Text = Annotated[str, StringConstraints(pattern=NO_NUL)]
FormText = Annotated[str, Form(pattern=NO_NUL)]


class RefuseNul:
    """A NUL character in the path or the query string is refused with 422 before any route
    runs (bodies are checked by their models: `Text`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _has_nul(scope):
            message = "请求地址或查询参数含有非法字符（NUL），请检查后重试"
            answer = refusal(scope, 422, "request.nul", message, "请求参数有误")
            await answer(scope, receive, send)
            return
        await self.app(scope, receive, send)


def refuse_nul(*fields: object) -> None:
    """For form fields read by hand (multipart uploads): a NUL is refused before any lookup."""
    if any(isinstance(field, str) and "\x00" in field for field in fields):
        raise DomainError("目录项、部门编码和工作表名不能含有非法字符（NUL）", "request.nul")


def _has_nul(scope: Scope) -> bool:
    query: bytes = scope.get("query_string", b"")
    return "\x00" in scope["path"] or b"%00" in query or b"\x00" in query


def row_id(text: str) -> int | None:
    """An id typed into a plain form field, or None when the text cannot be one."""
    text = text.strip()
    if text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_ID:
        return int(text)
    return None


AsOf = Annotated[
    date | datetime | None,
    Query(description="查询时点（日期或时间，北京时间），默认当前；按当时的公示状态作答"),
]


def as_moment(as_of: date | datetime | None) -> date | datetime | None:
    """A time without a zone is Beijing time."""
    if isinstance(as_of, datetime) and as_of.tzinfo is None:
        return as_of.replace(tzinfo=SHANGHAI)
    return as_of
