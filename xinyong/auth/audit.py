"""The append-only audit log: a hash chain keyed with an HMAC whose key is held outside the
database, anchored to a file outside it, and refused UPDATE and DELETE by the database itself.
See docs/decisions/0005-keyed-anchored-audit-chain.md for what it detects and what it cannot."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, String, func, insert, select, text
from sqlalchemy.orm import Session

from xinyong import clock
from xinyong.auth.models import AuditEntry
from xinyong.config import get_settings
from xinyong.db import allocate_ids, table_of

GENESIS = "0" * 64
PLAIN_SHA256 = 1  # entries written before migration 0005_audit keyed the chain
KEYED = 2
CHAIN_LOCK = 7171  # PostgreSQL advisory lock id serialising the chain's writers

# What one entry may store, whatever its caller passes (a login name chosen by an attacker
# included): strings and lists inside `detail` are cut, then the whole of it.
TEXT_LIMIT = 256
ITEMS_LIMIT = 200  # publication.view lists up to 200 record ids
DEPTH_LIMIT = 4
DETAIL_LIMIT = 4096
NOTE_LIMIT = 2000
_COLUMN_LIMITS = {
    column.name: column.type.length
    for column in table_of(AuditEntry).columns
    if isinstance(column.type, String) and column.type.length
}


def _chain_key() -> bytes:
    return get_settings().derived_key("audit-chain")


def _anchor_key() -> bytes:
    return get_settings().derived_key("audit-anchor")


def _canonical(value: Any) -> bytes:
    return json.dumps(
        value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
    ).encode()


def _entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    fields = [
        prev_hash,
        entry.at.isoformat(),
        entry.actor,
        entry.action,
        entry.target_type,
        entry.target_id,
        entry.detail,
        entry.note,
    ]
    if entry.chain_version == PLAIN_SHA256:
        return hashlib.sha256(_canonical(fields)).hexdigest()
    return hmac.new(_chain_key(), _canonical([KEYED, *fields]), hashlib.sha256).hexdigest()


def _clip(value: str, limit: int) -> str:
    value = value.replace("\x00", "\\x00")  # PostgreSQL text and JSONB cannot hold NUL
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _bounded(value: Any, depth: int = 0) -> Any:
    """`value` cut to the limits above; anything but JSON scalars becomes text."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if depth >= DEPTH_LIMIT or not isinstance(value, dict | list | tuple):
        return _clip(str(value), TEXT_LIMIT)
    if isinstance(value, dict):
        items = list(value.items())[:ITEMS_LIMIT]
        return {_clip(str(k), TEXT_LIMIT): _bounded(v, depth + 1) for k, v in items}
    kept = [_bounded(v, depth + 1) for v in value[:ITEMS_LIMIT]]
    return [*kept, f"…（共 {len(value)} 项）"] if len(value) > ITEMS_LIMIT else kept


def _bounded_detail(detail: dict[str, Any] | None) -> dict[str, Any]:
    bounded = _bounded(detail or {})
    body = _canonical(bounded).decode()
    return bounded if len(body) <= DETAIL_LIMIT else {"truncated": _clip(body, DETAIL_LIMIT)}


def _column(name: str, value: object) -> str | None:
    return None if value is None else _clip(str(value), _COLUMN_LIMITS[name])


def _lock_chain(session: Session | Connection) -> None:
    """Hold the chain's write lock before its head is read: concurrent writers then queue
    instead of chaining onto the same entry."""
    dialect = session.get_bind().dialect if isinstance(session, Session) else session.dialect
    if dialect.name == "postgresql":
        session.execute(text(f"SELECT pg_advisory_xact_lock({CHAIN_LOCK})"))
    else:
        # As in db.allocate_ids: a write that changes nothing takes SQLite's write lock (and
        # begins the transaction); no row is touched, so the log's triggers do not fire.
        session.execute(text("UPDATE audit_log SET id = id WHERE 0"))


def write(
    session: Session,
    actor: str,
    action: str,
    target_type: str | None = None,
    target_id: object = None,
    detail: dict[str, Any] | None = None,
    note: str | None = None,
) -> AuditEntry:
    """Append one entry inside the caller's transaction, every field bounded."""
    _lock_chain(session)
    entry = _entry(Draft(actor, action, target_type, target_id, detail, note), _head(session))
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class Draft:
    """An entry to append, as `write` takes it; `at` is when it happened (default: when it is
    appended), for a writer that appends it a few milliseconds later."""

    actor: str
    action: str
    target_type: str | None = None
    target_id: object = None
    detail: dict[str, Any] | None = None
    note: str | None = None
    at: datetime | None = None


def write_many(session: Session, drafts: Sequence[Draft]) -> list[AuditEntry]:
    """Append entries in order under one hold of the chain's lock, each still bounded, keyed and
    chained onto the one before: a group of checks committed together (decision 0011) locks the
    chain once, not once per check. The entries are inserted, not added to the session."""
    if not drafts:
        return []
    _lock_chain(session)
    prev = _head(session)
    ids = allocate_ids(session, table_of(AuditEntry), len(drafts))
    entries = []
    for entry_id, draft in zip(ids, drafts, strict=True):
        entry = _entry(draft, prev)
        entry.id = entry_id
        entries.append(entry)
        prev = entry.entry_hash
    columns = [c.name for c in table_of(AuditEntry).columns]
    rows = [{c: getattr(e, c) for c in columns} for e in entries]
    session.execute(insert(table_of(AuditEntry)), rows)
    return entries


def _head(session: Session) -> str:
    """The chain's last hash; read with the chain's lock held."""
    prev = session.scalar(select(AuditEntry.entry_hash).order_by(AuditEntry.id.desc()).limit(1))
    return prev or GENESIS


def _entry(draft: Draft, prev: str) -> AuditEntry:
    entry = AuditEntry(
        at=(draft.at or clock.now()).replace(microsecond=0),
        actor=_column("actor", draft.actor),
        action=_column("action", draft.action),
        target_type=_column("target_type", draft.target_type),
        target_id=_column("target_id", draft.target_id),
        detail=_bounded_detail(draft.detail),
        note=None if draft.note is None else _clip(draft.note, NOTE_LIMIT),
        prev_hash=prev,
        chain_version=KEYED,
    )
    entry.entry_hash = _entry_hash(entry.prev_hash, entry)
    return entry


@contextmanager
def maintenance(connection: Connection) -> Iterator[None]:
    """Lift the log's append-only protection inside `connection`'s transaction, for the owner
    of a scratch or test database emptying it; the application never uses it. PostgreSQL:
    needs a superuser (`session_replication_role`), which the application's role is not.
    SQLite: the triggers are dropped and re-created inside the transaction, so no other
    connection ever sees the log unprotected."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        yield
        connection.execute(text("SET LOCAL session_replication_role = DEFAULT"))
        return
    _lock_chain(connection)
    triggers = connection.execute(
        text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_log'"
        )
    ).all()
    for name, _sql in triggers:
        connection.execute(text(f'DROP TRIGGER "{name}"'))
    yield
    for _name, sql in triggers:
        connection.execute(text(sql))


# --- anchors: the chain's length and head, exported where the database cannot change them


@dataclass(frozen=True)
class Anchor:
    at: datetime
    count: int
    head_id: int | None
    head_hash: str
    new: bool = True  # False: the head had not moved since the last anchor, nothing written

    def _body(self) -> dict[str, Any]:
        return {
            "at": self.at.isoformat(),
            "count": self.count,
            "head_id": self.head_id,
            "head_hash": self.head_hash,
        }

    def mac(self) -> str:
        return hmac.new(_anchor_key(), _canonical(self._body()), hashlib.sha256).hexdigest()

    def line(self) -> str:
        return _canonical(self._body() | {"mac": self.mac()}).decode()


def _parse_anchor(line: str) -> Anchor | None:
    """The anchor on this line, or None when the line is not one the key made."""
    try:
        body = json.loads(line)
        anchor = Anchor(
            datetime.fromisoformat(body["at"]), body["count"], body["head_id"], body["head_hash"]
        )
        mac = str(body["mac"])
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return anchor if hmac.compare_digest(anchor.mac(), mac) else None


def read_anchors(path: Path) -> tuple[list[Anchor], list[int]]:
    """The file's anchors and the numbers of the lines that are not valid anchors."""
    if not path.exists():
        return [], []
    anchors, bad = [], []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            parsed = _parse_anchor(line)
            if parsed is None:
                bad.append(number)
            else:
                anchors.append(parsed)
    return anchors, bad


def anchor(session: Session, path: Path | None = None) -> Anchor:
    """Append the chain's length and head to the anchor file (append-only, one line each)."""
    path = path or get_settings().audit_anchor_path
    count, head_id = session.execute(select(func.count(), func.max(AuditEntry.id))).one()
    head = session.get(AuditEntry, head_id) if head_id is not None else None
    head_hash = head.entry_hash if head else GENESIS
    current = Anchor(clock.now().replace(microsecond=0), count, head_id, head_hash)
    anchors, _bad = read_anchors(path)
    if anchors and (anchors[-1].count, anchors[-1].head_hash) == (count, head_hash):
        return Anchor(anchors[-1].at, count, head_id, head_hash, new=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, (current.line() + "\n").encode())  # one write: lines never interleave
        os.fsync(fd)
    finally:
        os.close(fd)
    return current


def anchor_job(session: Session) -> int:
    """The periodic job: 1 when a new anchor was written."""
    return int(anchor(session).new)


# --- verification


@dataclass(frozen=True)
class ChainReport:
    entries: int
    first_broken_id: int | None
    problems: tuple[str, ...] = ()
    anchors: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def _walk(session: Session, wanted: set[int]) -> tuple[int, int | None, dict[int, str]]:
    """Recompute the chain: its length, the first entry that does not fit, and the hash at
    each position in `wanted`. A plain entry after a keyed one does not fit: the keyed chain
    seals the entries written before it."""
    prev, count, broken, keyed = GENESIS, 0, None, False
    heads: dict[int, str] = {}
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)).yield_per(5000):
        count += 1
        fits = entry.prev_hash == prev and _entry_hash(prev, entry) == entry.entry_hash
        if broken is None and (not fits or (keyed and entry.chain_version != KEYED)):
            broken = entry.id
        keyed = keyed or entry.chain_version == KEYED
        if count in wanted:
            heads[count] = entry.entry_hash
        prev = entry.entry_hash
    return count, broken, heads


def verify(session: Session, path: Path | None = None) -> ChainReport:
    """Recompute the chain and compare it with every anchor; report what does not fit."""
    path = path or get_settings().audit_anchor_path
    anchors, bad_lines = read_anchors(path)
    count, broken, heads = _walk(session, {a.count for a in anchors})
    problems = [f"锚点文件 {path} 第 {n} 行与密钥不符（被改动或伪造）" for n in bad_lines]
    if broken is not None:
        problems.append(f"第 {broken} 号记录与哈希链不符（被改动、删除或伪造）")
    longest = max(anchors, key=lambda a: a.count, default=None)
    if longest is not None and longest.count > count:
        problems.append(
            f"审计日志已被全部删除：{_shown(longest.at)} 的锚点记录 {longest.count} 条"
            if count == 0
            else f"审计日志被截断：{_shown(longest.at)} 的锚点记录 {longest.count} 条，"
            f"库中只有 {count} 条"
        )
    rewritten = [a for a in anchors if a.count in heads and heads[a.count] != a.head_hash]
    if rewritten:
        first = min(rewritten, key=lambda a: a.count)
        problems.append(
            f"审计日志第 {first.count} 条与 {_shown(first.at)} 的锚点不符：记录被改写或删除"
        )
    return ChainReport(count, broken, tuple(problems), len(anchors))


def _shown(moment: datetime) -> str:
    return moment.astimezone(clock.SHANGHAI).strftime("%Y-%m-%d %H:%M")
