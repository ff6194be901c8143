"""Rows sent again as they were are recognised by the digest of their cells and skip checking
(collection.unchanged); anything else still takes the full path."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import penalty_row, person_row, write_csv
from xinyong.catalog import get_item
from xinyong.collection import checking, service
from xinyong.collection.unchanged import SourceDigests

pytestmark = pytest.mark.usefixtures("received")


def _ingest(sessions, path, department):
    return service.ingest(sessions, path, "行政处罚", department)


@pytest.fixture
def checked_rows(monkeypatch):
    """How many rows reached the checker, per ingest."""
    counts: list[int] = []
    real = checking.check_rows

    def counting(item, columns, rows, received_on, units):
        counts.append(len(rows))
        return real(item, columns, rows, received_on, units)

    monkeypatch.setattr(checking, "check_rows", counting)
    return counts


def test_rows_sent_again_unchanged_are_not_checked_again(
    sessions, department, tmp_path, checked_rows
):
    path = write_csv(tmp_path / "p.csv", [penalty_row(), person_row(), penalty_row(处罚类别="吃")])
    first = _ingest(sessions, path, department)
    assert sum(checked_rows) == 3
    checked_rows.clear()
    again = _ingest(sessions, path, department)
    assert sum(checked_rows) == 1  # the rejected row has no record: it is checked again
    assert (again.unchanged, again.rejected, again.on_time + again.late) == (2, 1, 2)
    assert (again.on_time, again.late) == (first.on_time, first.late)


def test_a_held_row_twice_in_a_file_is_still_a_duplicate(sessions, department, tmp_path):
    _ingest(sessions, write_csv(tmp_path / "a.csv", [penalty_row()]), department)
    twice = _ingest(
        sessions, write_csv(tmp_path / "b.csv", [penalty_row(), penalty_row()]), department
    )
    assert (twice.unchanged, twice.rejected) == (1, 1)
    with sessions() as session:
        assert dict(service.rejection_reasons(session, twice.batch_id)) == {
            3: "与第 2 行是同一条记录（业务主键相同）"
        }


def test_sending_the_first_version_again_after_a_correction_corrects_it_back(
    sessions, department, tmp_path
):
    original = write_csv(tmp_path / "a.csv", [penalty_row()])
    _ingest(sessions, original, department)
    fixed = penalty_row(**{"罚款金额（万元）": "6", "处罚内容": "罚款人民币陆万元"})
    _ingest(sessions, write_csv(tmp_path / "b.csv", [fixed]), department)
    back = _ingest(sessions, original, department)
    assert (back.unchanged, back.corrected) == (0, 1)


def test_the_digest_changes_with_anything_checking_depends_on():
    item = get_item("xzcf")
    columns = [(0, "cf_wsh"), (1, "cf_nr_fk")]
    plain = SourceDigests(item, columns, {})
    cells = ["穗罚〔2024〕1号", "5"]
    assert plain.of(cells) == SourceDigests(item, columns, {}).of(list(cells))
    # the same cells in another column order are the same row
    assert SourceDigests(item, [(1, "cf_wsh"), (0, "cf_nr_fk")], {}).of(cells[::-1]) == plain.of(
        cells
    )
    others = {
        SourceDigests(item, columns, {"cf_nr_fk": "元"}).of(cells),  # the header's unit
        SourceDigests(item, [(0, "cf_wsh"), (1, "cf_nr_wfff")], {}).of(cells),  # the field
        SourceDigests(item, [(0, "cf_nr_fk"), (1, "cf_wsh")], {}).of(cells),  # columns swapped
        plain.of(["穗罚〔2024〕1号", Decimal("5")]),  # a spreadsheet's number, not text
        plain.of(["穗罚〔2024〕1号", 5]),
        plain.of(["穗罚〔2024〕1号", "5 "]),
        plain.of(["穗罚〔2024〕1号", date(2024, 1, 5)]),
    }
    assert plain.of(cells) not in others and len(others) == 7


def test_with_nothing_held_the_worker_gives_the_same_keys_as_the_batch_process(
    sessions, department, tmp_path, monkeypatch
):
    """What the re-send in test_service's worker test compared before rows were skipped."""
    rows = [
        penalty_row(**{"行政处罚决定书文号": f"穗市监罚〔2024〕{n}号"}) for n in range(1, 6_001)
    ]
    rows.append(person_row())
    path = write_csv(tmp_path / "p.csv", rows)
    monkeypatch.setattr(service, "PARALLEL_MIN_BYTES", 1 << 40)
    alone = _ingest(sessions, path, department)
    assert (alone.total, alone.new) == (6_001, 6_001)
    monkeypatch.setattr(service, "PARALLEL_MIN_BYTES", 0)
    monkeypatch.setattr(SourceDigests, "held", lambda self, session, digests: {})
    again = _ingest(sessions, path, department)
    assert (again.total, again.unchanged, again.new, again.corrected) == (6_001, 6_001, 0, 0)
