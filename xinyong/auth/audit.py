"""The append-only audit log; each entry's hash covers the previous one (tamper-evident chain)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from xinyong import clock
from xinyong.auth.models import AuditEntry

GENESIS = "0" * 64


def _entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    body = json.dumps(
        [
            prev_hash,
            entry.at.isoformat(),
            entry.actor,
            entry.action,
            entry.target_type,
            entry.target_id,
            entry.detail,
            entry.note,
        ],
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(body.encode()).hexdigest()


def write(
    session: Session,
    actor: str,
    action: str,
    target_type: str | None = None,
    target_id: object = None,
    detail: dict[str, Any] | None = None,
    note: str | None = None,
) -> AuditEntry:
    """Append one entry inside the caller's transaction."""
    if session.get_bind().dialect.name == "postgresql":
        # Serialise writers so two transactions never chain onto the same previous entry.
        session.execute(text("SELECT pg_advisory_xact_lock(7171)"))
    prev = session.scalar(select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1))
    entry = AuditEntry(
        at=clock.now().replace(microsecond=0),
        actor=actor,
        action=action,
        target_type=target_type,
        target_id=None if target_id is None else str(target_id),
        detail=detail or {},
        note=note,
        prev_hash=prev or GENESIS,
    )
    entry.entry_hash = _entry_hash(entry.prev_hash, entry)
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class ChainReport:
    entries: int
    first_broken_id: int | None

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None


def verify(session: Session) -> ChainReport:
    """Recompute the chain from the first entry; report the first entry that does not fit."""
    prev, count = GENESIS, 0
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(5000):
        count += 1
        if entry.prev_hash != prev or _entry_hash(prev, entry) != entry.entry_hash:
            return ChainReport(count, entry.id)
        prev = entry.entry_hash
    return ChainReport(count, None)
