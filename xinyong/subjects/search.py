"""Finding subjects by code or by name, ranked: exact code, exact name, name prefix, name contains.

Names are matched on `name_key` (simplified, half-width, no spaces), so 廣州 finds 广州 and a
full-width query finds a half-width name. "Contains" goes through an index of the name's
two-character pieces, because one- and two-character fragments are common queries and trigram
indexes cannot serve them: on SQLite an FTS5 table kept by triggers (`subject_search`, holding
`codes.name_pieces`), on PostgreSQL a GIN index on `xinyong_name_grams(name_key)`. Both are
made by migration 0003; the base table confirms every match with LIKE."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Integer,
    Select,
    Text,
    and_,
    cast,
    column,
    func,
    select,
    table,
    true,
)
from sqlalchemy.orm import Session

from xinyong import codes
from xinyong.codes.schemes import normalize_organisation_code
from xinyong.db import plan_afresh
from xinyong.errors import DomainError
from xinyong.policy.enums import SubjectType
from xinyong.subjects.models import Subject
from xinyong.subjects.registry import lookup_many, organisation_key

# The deepest a search pages to; more matches show as "200+" and ask for a fuller name. Counting
# further would read every match of a common fragment (科技, 有限) for a figure nobody pages to.
MAX_RESULTS = 200
MAX_QUERY_LENGTH = 100
_LAST_CHAR = "\U0010ffff"  # sorts after every character: the end of a prefix range


class Tier(IntEnum):
    CODE = 0
    NAME = 1
    PREFIX = 2
    CONTAINS = 3


@dataclass(frozen=True)
class Hit:
    subject_id: int
    name: str
    subject_type: SubjectType
    uscc: str | None
    region_code: str | None
    id_number_masked: str | None
    tier: Tier


@dataclass(frozen=True)
class SearchPage:
    query: str
    hits: list[Hit]
    total: int  # at most MAX_RESULTS
    more: bool  # more than MAX_RESULTS matched
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _fts_query(key: str) -> str | None:
    """The FTS5 query for names containing `key`: the phrase of its pieces, or for a single
    character every piece that starts with it."""
    chars = "".join(c for c in key if c.isalnum())
    if len(chars) == 1:
        return f'"{chars}" *'
    return '"' + " ".join(chars[i : i + 2] for i in range(len(chars) - 1)) + '"' if chars else None


def search(
    session: Session,
    query: str,
    *,
    page: int = 1,
    per_page: int = 20,
    persons_by_full_name_only: bool = True,
    only: ColumnElement[bool] | None = None,
) -> SearchPage:
    """One page of subjects matching `query`. With `persons_by_full_name_only`, natural
    persons are found by their exact full name or code, never by a fragment; `only` is a
    condition on subjects every hit meets (who the caller may find), applied before counting."""
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    if not query:
        raise DomainError("请输入主体名称或统一社会信用代码", "search.empty")
    key = codes.normalize_name(query)
    plan_afresh(session)
    ranked: dict[int, Tier] = {}
    allowed = only if only is not None else true()
    for tier, ids in _tiers(session, query, key, persons_by_full_name_only, allowed):
        for subject_id in ids(MAX_RESULTS + 1 - len(ranked)):
            ranked.setdefault(subject_id, tier)
        if len(ranked) > MAX_RESULTS or (tier is Tier.CODE and ranked):
            break  # a code names its subject: no name could rank beside it
    order = list(ranked)[:MAX_RESULTS]
    page = max(1, min(page, max(1, -(-len(order) // per_page))))
    wanted = order[(page - 1) * per_page : page * per_page]
    return SearchPage(
        query=query,
        hits=_hits(session, wanted, ranked),
        total=len(order),
        more=len(ranked) > MAX_RESULTS,
        page=page,
        per_page=per_page,
    )


def _tiers(
    session: Session,
    query: str,
    key: str,
    persons_by_full_name_only: bool,
    allowed: ColumnElement[bool],
) -> Iterator[tuple[Tier, Callable[[int], Sequence[int]]]]:
    """(tier, ids(limit)) in rank order; each tier leaves out what an earlier one matched."""
    postgres = session.get_bind().dialect.name == "postgresql"
    fragment = [Subject.name_key != key, allowed]
    if persons_by_full_name_only:
        fragment.append(Subject.subject_type != SubjectType.NATURAL_PERSON.value)

    def run(statement: Select[Any]) -> Callable[[int], Sequence[int]]:
        return lambda limit: session.scalars(statement.limit(limit)).all()

    if (by_code := _by_code(session, query)) is not None:
        yield Tier.CODE, run(by_code.where(allowed))
    by_name = select(Subject.id).where(Subject.name_key == key, allowed).order_by(Subject.id)
    yield Tier.NAME, run(by_name)
    # Byte order on both databases (SQLite's default; PostgreSQL's prefix index is COLLATE "C").
    name = Subject.name_key.collate("C") if postgres else Subject.name_key
    prefix = (
        name.like(_escape(key) + "%", escape="\\")
        if postgres
        else and_(name > key, name < key + _LAST_CHAR)
    )
    yield (
        Tier.PREFIX,
        run(select(Subject.id).where(prefix, *fragment).order_by(name, Subject.id)),
    )
    contains = select(Subject.id).where(
        Subject.name_key.like("%" + _escape(key) + "%", escape="\\"), ~prefix, *fragment
    )
    if postgres:
        # Pieces that tile the key without overlap: fewer index lists to intersect, and LIKE
        # confirms the match anyway.
        if pieces := sorted({key[i : i + 2] for i in range(0, len(key) - 1, 2)} | _tail(key)):
            grams = func.xinyong_name_grams(Subject.name_key)
            contains = contains.where(grams.op("@>")(cast(pieces, ARRAY(Text))))
        # No ORDER BY: a bitmap scan then stops at the limit instead of reading and sorting
        # every match of a common fragment; it yields rows in table order, stable between pages.
    elif (fts_query := _fts_query(key)) is not None:
        # FTS5 yields matches in rowid order, so the limit stops the scan early.
        contains = (
            contains.join(_FTS, _FTS.c.rowid == Subject.id)
            .where(_FTS.c.pieces.match(fts_query))
            .order_by(_FTS.c.rowid)
        )
    else:
        contains = contains.order_by(Subject.id)
    yield Tier.CONTAINS, run(contains)


def _tail(key: str) -> set[str]:
    return {key[-2:]} if len(key) > 2 and len(key) % 2 else set()


_FTS = table("subject_search", column("rowid", Integer), column("pieces", Text))


def _by_code(session: Session, query: str) -> Select[Any] | None:
    """The subject whose USCC, organisation code or registration number is the query, found
    through the registry's one lookup (None: the query is no such code)."""
    code = normalize_organisation_code(query)  # no spaces or hyphen, half-width, upper-case
    if not (code.isascii() and code.isalnum()) or (key := organisation_key(code)) is None:
        return None
    found = [known.subject_id for known in lookup_many(session, [key]).values()]
    return select(Subject.id).where(Subject.id.in_(found)).order_by(Subject.id)


def _escape(text_: str) -> str:
    return text_.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _hits(session: Session, ids: Sequence[int], tiers: dict[int, Tier]) -> list[Hit]:
    if not ids:
        return []
    rows = session.execute(
        select(
            Subject.id,
            Subject.name,
            Subject.subject_type,
            Subject.uscc,
            Subject.region_code,
            Subject.id_number_masked,
        ).where(Subject.id.in_(ids))
    )
    by_id = {row[0]: row for row in rows}
    return [
        Hit(
            subject_id=i,
            name=by_id[i][1],
            subject_type=SubjectType(by_id[i][2]),
            uscc=by_id[i][3],
            region_code=by_id[i][4],
            id_number_masked=by_id[i][5],
            tier=tiers[i],
        )
        for i in ids
        if i in by_id
    ]
