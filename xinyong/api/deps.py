"""Request-scoped dependencies shared by the API and the web pages."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request
from sqlalchemy.orm import Session


def get_session(request: Request) -> Iterator[Session]:
    """A session per request; services open their own transactions on it."""
    with request.app.state.sessions() as session:
        yield session
