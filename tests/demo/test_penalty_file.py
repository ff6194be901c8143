"""The benchmark's 行政处罚 file: every row validates except exactly the bad ones, by kind."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from stdnum.cn import ric

from benchmarks.penalty_file import (
    BAD_KINDS,
    BLANKABLE,
    PenaltyFile,
    PenaltySubject,
    penalty_subjects,
    write_penalty_csv,
)
from xinyong import codes
from xinyong.catalog import get_item, natural_key_of, validate_payload

TODAY = date(2026, 11, 20)
ROWS = 2000
KIND_OF_ISSUE = {  # (field, issue code) → the bad kind that causes it
    ("cf_xdr_shxym", "uscc.checksum"): "uscc_checksum",
    ("cf_xdr_zjhm", "id_number.checksum"): "id_checksum",
    ("cf_jdrq", "rule.not_future"): "future_decision",
    ("cf_yxq", "rule.date_order"): "validity_before_decision",
    **{(field, "field.required"): "required_missing" for field in BLANKABLE},
    ("cf_nr_fk", "rule.required_if"): "fine_without_amount",
    ("cf_cflb", "field.codelist"): "unknown_category",
    ("cf_jdrq", "field.date"): "bad_date",
    ("cf_nr_fk", "field.decimal"): "amount_not_number",
    ("cf_xdr_shxym", "rule.identifier"): "org_without_uscc",
}


@pytest.fixture(scope="module")
def penalty_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[PenaltyFile, list[dict]]:
    subjects = penalty_subjects(1000, seed=3)
    path = tmp_path_factory.mktemp("xzcf") / "xzcf.csv"
    facts = write_penalty_csv(path, ROWS, subjects=subjects, seed=3, today=TODAY)
    with path.open(encoding="utf-8", newline="") as data:
        return facts, list(csv.DictReader(data))


def test_every_row_validates_except_exactly_the_bad_ones(penalty_file):
    facts, rows = penalty_file
    item = get_item("xzcf")
    found: Counter[str] = Counter()
    keys = set()
    for row in rows:
        result = validate_payload(item, row, received_on=TODAY)
        if result.issues:
            assert len(result.issues) == 1, (row, result.issues)  # one problem per bad row
            issue = result.issues[0]
            found[KIND_OF_ISSUE[issue.field, issue.code]] += 1
            continue
        key = natural_key_of(item, result.values)
        if key in keys:
            found["duplicate"] += 1
        keys.add(key)
    assert len(rows) == facts.rows == ROWS
    assert found == facts.bad_by_kind
    assert set(found) == set(BAD_KINDS)
    assert facts.bad_rows == sum(found.values()) == round(ROWS * 0.02)
    assert facts.duplicate_rows == found["duplicate"]


def test_header_is_every_label_in_catalog_order(penalty_file):
    _, rows = penalty_file
    assert list(rows[0]) == [f.label for f in get_item("xzcf").fields]


def test_some_good_rows_are_messy_as_real_files_are(penalty_file):
    _, rows = penalty_file
    dates = [row["处罚决定日期"] for row in rows]
    assert any("/" in d for d in dates)
    assert any("年" in d for d in dates)
    assert any(len(d) == 8 and d.isdigit() for d in dates)
    assert any(not c.isascii() for row in rows for c in row["统一社会信用代码"])
    assert any("," in row["罚款金额（万元）"] for row in rows)
    labels = {"法人及非法人组织", "个体工商户", "自然人"}
    assert any(row["行政相对人类别"] not in labels for row in rows)  # a code or an alias


def test_decision_numbers_repeat_only_in_duplicates(penalty_file):
    facts, rows = penalty_file
    numbers = Counter(row["行政处罚决定书文号"].strip() for row in rows)
    assert sum(n - 1 for n in numbers.values()) == facts.duplicate_rows


def test_decisions_fall_in_the_two_years_before_today(penalty_file):
    facts, rows = penalty_file
    decided = [d for row in rows if (d := _iso(row["处罚决定日期"])) is not None]
    assert len(decided) > ROWS * 0.9
    assert min(decided) >= date(2024, 11, 20)
    assert sum(d > TODAY for d in decided) == facts.bad_by_kind["future_decision"]


def _iso(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:  # a messy date or a bad one
        return None


def test_most_counterparts_appear_once_and_a_few_often(penalty_file):
    _, rows = penalty_file
    per_subject = Counter(row["统一社会信用代码"] or row["证件号码"] for row in rows)
    once = sum(1 for n in per_subject.values() if n == 1)
    assert once > len(per_subject) / 2
    assert max(per_subject.values()) >= 10


def test_subjects_have_unique_valid_codes_in_the_expected_mix():
    subjects = penalty_subjects(5000, seed=11)
    usccs = [s.uscc for s in subjects if s.uscc]
    people = [s.id_number for s in subjects if s.id_number]
    assert len(set(usccs)) == len(usccs)
    assert len({code[8:17] for code in usccs}) == len(usccs)  # embedded 组织机构代码 too
    assert len(set(people)) == len(people)
    assert all(codes.is_valid_uscc(c) and c[2:6] == "4401" for c in usccs)
    assert all(ric.is_valid(n) and n.startswith("4401") for n in people)
    mix = Counter(s.kind for s in subjects)
    assert 0.77 < mix["法人及非法人组织"] / 5000 < 0.83
    assert 0.10 < mix["个体工商户"] / 5000 < 0.14
    assert 0.06 < mix["自然人"] / 5000 < 0.10
    assert all((s.uscc is None) == (s.kind == "自然人") for s in subjects)


def test_same_seed_same_file(tmp_path: Path):
    subjects: list[PenaltySubject] = penalty_subjects(50, seed=5)
    assert subjects == penalty_subjects(50, seed=5)
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    write_penalty_csv(first, 300, subjects=subjects, seed=5, today=TODAY)
    write_penalty_csv(second, 300, subjects=subjects, seed=5, today=TODAY)
    assert first.read_bytes() == second.read_bytes()
