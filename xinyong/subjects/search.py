"""Finding subjects by code or by name, ranked: exact code, exact name, name prefix, name contains.

Names are matched on `name_key` (simplified, half-width, no spaces), so 廣州 finds 广州 and a
full-width query finds a half-width name. "Contains" goes through an index of the name's
two-character pieces, because one- and two-character fragments are common queries and trigram
indexes cannot serve them: on SQLite an FTS5 table kept by triggers (`subject_search`, holding
`codes.name_pieces` and, for the filters, `codes.search_facets`; migrations 0003 and 0020), on
PostgreSQL a GIN index on `xinyong_name_grams(name_key)` (migration 0003). The base table
confirms every match with LIKE and every filter.

A query of several words ("广州 五金") asks for names holding every word, in any order: each word
goes through the same index and LIKE. Filters (subject type, region) are conditions inside these
queries, so totals and pages count only what they let through; on SQLite the fragment tier
also asks for them as facets in the name index, so that a common fragment filtered to one
district reads only that district's matches."""

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
from xinyong.codes.schemes import SCHEMES, Scheme, normalize_organisation_code
from xinyong.db import in_region, plan_afresh
from xinyong.errors import DomainError, InvalidCode
from xinyong.policy.enums import SubjectType
from xinyong.subjects import fragments
from xinyong.subjects.models import Subject, SubjectName
from xinyong.subjects.registry import Key, key_of, lookup_many, organisation_key
from xinyong.subjects.status import SubjectStatus, subject_status

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
    FORMER = 4  # an earlier name (曾用名), whole: after every current name


@dataclass(frozen=True)
class Hit:
    subject_id: int
    name: str
    subject_type: SubjectType
    uscc: str | None
    region_code: str | None
    id_number_masked: str | None
    tier: Tier
    status: SubjectStatus


@dataclass(frozen=True)
class SearchFilter:
    """What the search box's filters ask for: subjects of these types (empty: any) inside this
    region (a district, city or province code; None: anywhere)."""

    subject_types: frozenset[SubjectType] = frozenset()
    region_code: str | None = None

    def facets(self) -> tuple[list[str], list[str]]:
        """The filters as name-index facets (`codes.search_facets`): the types' (any of them)
        and the region's (none or one); a region too wide for a facet has none."""
        types = sorted(f"t{t.value.replace('_', '')}" for t in self.subject_types)
        prefix = codes.region_prefix(self.region_code) if self.region_code else ""
        # Digits only: the token goes into an FTS5 query, where anything else is syntax.
        whole = len(prefix) in (2, 4, 6) and prefix.isascii() and prefix.isdigit()
        return types, [f"r{prefix}"] if whole else []

    def conditions(self) -> list[ColumnElement[bool]]:
        """The filters as SQL on subjects, both on indexed columns."""
        where: list[ColumnElement[bool]] = []
        if self.subject_types:
            where.append(Subject.subject_type.in_(sorted(t.value for t in self.subject_types)))
        if self.region_code:
            where.append(in_region(Subject.region_code, self.region_code))
        return where


@dataclass(frozen=True)
class SearchPage:
    query: str
    hits: list[Hit]
    total: int  # at most MAX_RESULTS
    more: bool  # more than MAX_RESULTS matched
    page: int
    per_page: int
    # The one subject the query names, to open directly: by a code, or by an exact full name
    # only one subject (that the caller may find, inside the filters) bears.
    named: int | None = None
    # A query that looks like a mistyped USCC, said in Chinese above the results.
    notice: str | None = None

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
    filters: SearchFilter | None = None,
) -> SearchPage:
    """One page of subjects matching `query`. With `persons_by_full_name_only`, natural
    persons are found by their exact full name or code, never by a fragment; `only` is a
    condition on subjects every hit meets (who the caller may find) and `filters` the
    searcher's own, both applied before counting."""
    query = " ".join(query.split())[:MAX_QUERY_LENGTH]
    if not query:
        raise DomainError("请输入主体名称或统一社会信用代码", "search.empty")
    plan_afresh(session)
    ranked: dict[int, Tier] = {}
    filters = filters or SearchFilter()
    allowed = and_(only if only is not None else true(), *filters.conditions())
    for tier, ids in _tiers(session, query, persons_by_full_name_only, allowed, filters):
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
        named=_named(ranked),
        notice=code_problem(query),  # a code with a wrong check character matches no subject
    )


def _named(ranked: dict[int, Tier]) -> int | None:
    """The subject a code names, or the only one bearing the exact name."""
    for tier in (Tier.CODE, Tier.NAME):
        ids = [subject_id for subject_id, found in ranked.items() if found is tier]
        if len(ids) == 1:
            return ids[0]
        if ids:
            return None  # an exact name several subjects bear: the list lets the person choose
    return None


def code_problem(query: str) -> str | None:
    """Why a query that looks like a 统一社会信用代码 cannot be one — a character short or over,
    or a wrong check character — in the validator's words; None for anything else (a name, a
    valid code, a valid ID number, a legacy code)."""
    code = normalize_organisation_code(query)
    length = SCHEMES[Scheme.USCC].length
    looks_like_code = code.isascii() and code.isalnum() and sum(c.isdigit() for c in code) >= 6
    if not looks_like_code or abs(len(code) - length) > 2:
        return None
    if len(code) == length and SCHEMES[Scheme.ID_NUMBER].is_valid(code):
        return None  # a valid 公民身份号码 has the same length
    try:
        SCHEMES[Scheme.USCC].validate(code)
    except InvalidCode as exc:
        if exc.code in ("uscc.checksum", "uscc.org_code"):
            return f"{exc.message}：“{code}”不是有效的统一社会信用代码，请逐位核对"
        return exc.message
    return None


def _tiers(
    session: Session,
    query: str,
    persons_by_full_name_only: bool,
    allowed: ColumnElement[bool],
    filters: SearchFilter,
) -> Iterator[tuple[Tier, Callable[[int], Sequence[int]]]]:
    """(tier, ids(limit)) in rank order; each tier leaves out what an earlier one matched.
    Several words: the exact name is the words joined (as `name_key` drops spaces), a prefix
    starts with the first word, and every word must occur in the name."""
    postgres = session.get_bind().dialect.name == "postgresql"
    key = codes.normalize_name(query)
    words = _words(query)
    fragment = [Subject.name_key != key, allowed]
    if persons_by_full_name_only:
        fragment.append(Subject.subject_type != SubjectType.NATURAL_PERSON.value)
    fragment.extend(_contains(word) for word in words[1:])

    def run(statement: Select[Any]) -> Callable[[int], Sequence[int]]:
        return lambda limit: session.scalars(statement.limit(limit)).all()

    if (by_code := _by_code(session, query)) is not None:
        yield Tier.CODE, run(by_code.where(allowed))
    by_name = select(Subject.id).where(Subject.name_key == key, allowed).order_by(Subject.id)
    yield Tier.NAME, run(by_name)
    if not words:
        return
    first = words[0]
    # Byte order on both databases (SQLite's default; PostgreSQL's prefix index is COLLATE "C").
    name = Subject.name_key.collate("C") if postgres else Subject.name_key
    prefix = (
        name.like(_escape(first) + "%", escape="\\")
        if postgres
        else and_(name > first, name < first + _LAST_CHAR)
    )
    yield (
        Tier.PREFIX,
        run(select(Subject.id).where(prefix, *fragment).order_by(name, Subject.id)),
    )
    yield Tier.FORMER, run(_by_former_name(key, allowed))
    contains = select(Subject.id).where(_contains(first), ~prefix, *fragment)
    if postgres:
        # Pieces that tile each word without overlap: fewer index lists to intersect, and
        # LIKE confirms the match anyway.
        pieces = sorted(set().union(*(_tiles(word) for word in words)))
        types, region = sorted(filters.subject_types), filters.region_code
        if pieces and fragments.is_common(session, pieces, types, region, MAX_RESULTS + 1):
            yield Tier.CONTAINS, fragments.scanning(session, contains)
            return
        if pieces:
            grams = func.xinyong_name_grams(Subject.name_key)
            contains = contains.where(grams.op("@>")(cast(pieces, ARRAY(Text))))
        # No ORDER BY: a bitmap scan then stops at the limit instead of reading and sorting
        # every match of a common fragment; it yields rows in table order, stable between pages.
    elif fts_query := " AND ".join(q for word in words if (q := _fts_query(word))):
        # FTS5 yields matches in rowid order, so the limit stops the scan early.
        contains = (
            contains.join(_FTS, _FTS.c.rowid == Subject.id)
            .where(_FTS.c.subject_search.match(_with_facets(fts_query, filters)))
            .order_by(_FTS.c.rowid)
        )
    else:
        contains = contains.order_by(Subject.id)
    yield Tier.CONTAINS, run(contains)


def _by_former_name(key: str, allowed: ColumnElement[bool]) -> Select[Any]:
    """Organisations an earlier name of which is the query, through the name history's index.
    Whole names only: the history has no piece index for fragments, and a scan of it would
    cost every search. A person's earlier names are never searched."""
    return (
        select(Subject.id)
        .join(SubjectName, SubjectName.subject_id == Subject.id)
        .where(
            SubjectName.name_key == key,
            SubjectName.valid_to.is_not(None),
            Subject.name_key != key,
            Subject.subject_type != SubjectType.NATURAL_PERSON.value,
            allowed,
        )
        .distinct()
        .order_by(Subject.id)
    )


def _words(query: str) -> list[str]:
    """The query's words as name keys, each once, in the order typed."""
    keys = (codes.normalize_name(word) for word in query.split())
    return list(dict.fromkeys(key for key in keys if key))


def _contains(word: str) -> ColumnElement[bool]:
    return Subject.name_key.like("%" + _escape(word) + "%", escape="\\")


def _tiles(key: str) -> set[str]:
    return {key[i : i + 2] for i in range(0, len(key) - 1, 2)} | _tail(key)


def _tail(key: str) -> set[str]:
    return {key[-2:]} if len(key) > 2 and len(key) % 2 else set()


def _with_facets(pieces_query: str, filters: SearchFilter) -> str:
    """The FTS5 query over both columns: the name's pieces, and the filters' facets."""
    types, region = filters.facets()
    terms = [f"pieces : ({pieces_query})"]
    if types:
        terms.append(f"facets : ({' OR '.join(types)})")
    terms.extend(f"facets : {token}" for token in region)
    return " AND ".join(terms)


# Matching the column named as the table searches every column (FTS5's column filters choose).
_FTS = table("subject_search", column("rowid", Integer), column("subject_search", Text))


def _by_code(session: Session, query: str) -> Select[Any] | None:
    """The subject whose USCC, organisation code, registration number or 公民身份号码 is the
    query, found through the registry's one lookup (None: the query is no such code)."""
    code = normalize_organisation_code(query)  # no spaces or hyphen, half-width, upper-case
    if not (code.isascii() and code.isalnum()):
        return None
    keys: list[Key] = [key for key in (organisation_key(code),) if key is not None]
    if len(code) == SCHEMES[Scheme.ID_NUMBER].length:
        # Only a valid number has a key (its keyed hash); who may find the person is `only`'s.
        keys.extend(key for key in (key_of(Scheme.ID_NUMBER, code),) if key is not None)
    if not keys:
        return None
    found = [known.subject_id for known in lookup_many(session, keys).values()]
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
            Subject.status,
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
            status=subject_status(by_id[i][6]),
        )
        for i in ids
        if i in by_id
    ]
