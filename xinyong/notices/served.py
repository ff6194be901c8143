"""The notices served on an applicant's own subject, for its home page. Apart from the
service because `applicants` reads it and the service builds on `applicants` (the codes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong.auth import permissions
from xinyong.auth.principal import Principal
from xinyong.catalog import get_item
from xinyong.notices.models import Notice
from xinyong.records.models import Record

DOWNLOAD = "notices.download"


@dataclass(frozen=True)
class Served:
    id: int
    number: str
    issued_at: datetime
    item_name: str
    document_number: str | None


def served_on(session: Session, principal: Principal) -> list[Served]:
    """Newest first; empty for anyone but an applicant (staff see them in the console)."""
    rows = session.execute(
        select(Notice.id, Notice.number, Notice.issued_at, Record.item_code, Record.document_number)
        .join(Record, Record.id == Notice.record_id)
        .where(permissions.subjects_where(principal, DOWNLOAD, Notice.subject_id))
        .order_by(Notice.id.desc())
    ).all()
    return [
        Served(row.id, row.number, row.issued_at, get_item(row.item_code).name, row.document_number)
        for row in rows
    ]
