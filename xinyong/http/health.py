"""Liveness: the server answers and reaches its database."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text

from xinyong import __version__
from xinyong.http.deps import Database

router = APIRouter(tags=["平台"])


class Health(BaseModel):
    status: str
    database: str
    version: str


@router.get("/health", response_model=Health, summary="健康检查")
def health(session: Database) -> Health:
    session.execute(text("SELECT 1"))
    return Health(status="ok", database=session.get_bind().dialect.name, version=__version__)
