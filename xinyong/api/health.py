"""Liveness and basic platform figures."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.orm import Session

from xinyong import __version__
from xinyong.api.deps import get_session
from xinyong.overview import platform_counts

router = APIRouter(tags=["平台"])


class Health(BaseModel):
    status: str
    database: str
    version: str


class Counts(BaseModel):
    subjects: dict[str, int]
    records: dict[str, int]


@router.get("/health", response_model=Health, summary="健康检查")
def health(session: Annotated[Session, Depends(get_session)]) -> Health:
    session.execute(text("SELECT 1"))
    return Health(status="ok", database=session.get_bind().dialect.name, version=__version__)


@router.get("/stats", response_model=Counts, summary="主体与信用记录数量")
def stats(session: Annotated[Session, Depends(get_session)]) -> Counts:
    counts = platform_counts(session)
    return Counts(
        subjects={t.value: n for t, n in counts.subjects.items()},
        records={code: n for code, (_, n) in counts.records.items()},
    )
