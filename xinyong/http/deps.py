"""Request-scoped dependencies shared by the API and the web pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session


def get_session(request: Request) -> Iterator[Session]:
    """A session per request; services open their own transactions on it."""
    with request.app.state.sessions() as session:
        yield session


Database = Annotated[Session, Depends(get_session)]


def client_address(request: Request) -> str | None:
    """The caller's address (behind a proxy: as uvicorn's --forwarded-allow-ips trusts it)."""
    return request.client.host[:64] if request.client else None
