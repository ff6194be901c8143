"""PostgreSQL: the commonest name fragments are found by reading subjects until a page of hits
is full, not through the gram index (decision 0004).

The gram index is right for a rare fragment (鑫泰: 0.3 ms, against 250 ms for a scan). For the
commonest (有限公, 限公司) it is wrong: the planner ANDs bitmaps of the fragment's 400,000 rows,
the district's 160,000 and the type's 1,000,000 — ≈ 50 ms at 1M subjects — and does the same
with the district's and the type's alone when the gram condition is left out, while a scan that
stops at the 201st hit takes ≈ 1 ms. So when the statistics say such a scan is short — the page
limit divided by the share of subjects a hit is (the rarest piece's frequency times the
filters') at most `SCAN_ROWS` — the search leaves the gram condition out and turns bitmap scans
off for that one statement. A piece outside the statistics' common elements, or no statistics
at all (a table never analysed), keeps the index. Either way LIKE decides what matches: only
speed changes."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, text
from sqlalchemy.orm import Session

from xinyong import codes
from xinyong.policy.enums import SubjectType

# Rows a scan may be expected to read: ≈ 15 ms at 0.3 µs a row (1M subjects on the benchmark
# machine), about what the bitmaps of a common fragment and the filters cost.
SCAN_ROWS = 50_000
STATISTICS_SECONDS = 600  # statistics change with ANALYZE (autovacuum); read them this often


@dataclass(frozen=True)
class Shares:
    """What share of subjects each common gram, region code and type has (`pg_stats`)."""

    pieces: dict[str, float]
    regions: dict[str, float]
    types: dict[str, float]

    def of_hits(
        self, pieces: Sequence[str], types: Sequence[SubjectType], region: str | None
    ) -> float:
        """The share of subjects a hit is: the rarest piece's (the pieces of a fragment go
        together: 有限 and 限公 are each in about 46% of the demo's names, 有限公 in 41%, not the
        21% of independent pieces) times the filters' (taken as independent of the name)."""
        share = min(self.pieces.get(piece, 0.0) for piece in pieces)
        if types:
            share *= sum(self.types.get(kind.value, 0.0) for kind in types)
        if region:
            share *= sum(f for code, f in self.regions.items() if codes.region_covers(region, code))
        return share


_read: dict[str, tuple[float, Shares]] = {}


def is_common(
    session: Session,
    pieces: Sequence[str],
    types: Sequence[SubjectType],
    region: str | None,
    limit: int,
) -> bool:
    share = _shares(session).of_hits(pieces, types, region)
    return share > 0 and limit / share <= SCAN_ROWS


def scanning(session: Session, statement: Select[Any]) -> Callable[[int], Sequence[int]]:
    """ids(limit) of `statement` planned without bitmap scans, so that it stops at the limit;
    the setting is the transaction's again afterwards (if the query fails, the transaction's
    rollback undoes it)."""

    def ids(limit: int) -> Sequence[int]:
        before = session.scalar(text("SELECT current_setting('enable_bitmapscan')"))
        session.execute(text("SELECT set_config('enable_bitmapscan', 'off', true)"))
        found = session.scalars(statement.limit(limit)).all()
        restore = text("SELECT set_config('enable_bitmapscan', :before, true)")
        session.execute(restore, {"before": before})
        return found

    return ids


def forget() -> None:
    """Read the statistics again at the next search (after an ANALYZE)."""
    _read.clear()


def _shares(session: Session) -> Shares:
    database = session.get_bind().engine.url.render_as_string(hide_password=True)
    now = time.monotonic()
    if (cached := _read.get(database)) and now - cached[0] < STATISTICS_SECONDS:
        return cached[1]
    found = Shares(
        pieces=_common(session, "ix_subjects_name_grams", "xinyong_name_grams", elements=True),
        regions=_common(session, "subjects", "region_code"),
        types=_common(session, "subjects", "subject_type"),
    )
    _read[database] = (now, found)
    return found


def _common(session: Session, table: str, column: str, elements: bool = False) -> dict[str, float]:
    """The most common values of a column (or elements of an array index) and their shares."""
    values, shares = (
        ("most_common_elems", "most_common_elem_freqs")
        if elements
        else ("most_common_vals", "most_common_freqs")
    )
    row = session.execute(
        text(
            f"SELECT {values}::text::text[], {shares} FROM pg_stats "
            "WHERE schemaname = current_schema() AND tablename = :table AND attname = :column"
        ),
        {"table": table, "column": column},
    ).first()
    if row is None or row[0] is None:
        return {}
    return dict(zip(row[0], row[1], strict=False))  # elements' shares end with 3 summaries
