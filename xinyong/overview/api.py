"""The platform's figures over HTTP: how many subjects and records it holds."""

from __future__ import annotations

from pydantic import BaseModel

from xinyong.http.deps import Database
from xinyong.http.principal import api_router
from xinyong.overview import platform_counts

router = api_router("平台")


class Counts(BaseModel):
    subjects: dict[str, int]
    records: dict[str, int]


@router.get("/stats", response_model=Counts, summary="主体与信用记录数量")
def stats(session: Database) -> Counts:
    counts = platform_counts(session)
    return Counts(
        subjects={t.value: n for t, n in counts.subjects.items()},
        records={code: n for code, (_, n) in counts.records.items()},
    )
