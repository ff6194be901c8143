"""Verifying a report by its number (public): a genuine file matches, the same file with one
byte changed does not, a typed SHA-256 is compared, a made-up number is 未找到; a natural
person's name and ID number are masked; numbers cannot be counted through."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import PERSON_ID
from tests.reports.sample import MOMENT, PERSON, world
from xinyong import clock
from xinyong.auth.principal import PUBLIC
from xinyong.db import committing
from xinyong.errors import DomainError, NotFound
from xinyong.reports import numbers, service, verification
from xinyong.reports.service import ReportRequest


def _issued(session, who, request):  # type: ignore[no-untyped-def]
    with clock.frozen_at(MOMENT), committing(session):
        made = service.issue(session, who, request)
        return made, service.download(session, who, made.id).content


def test_a_genuine_report_matches_and_an_altered_one_does_not(session):
    w = world(session)
    report, pdf = _issued(session, PUBLIC, ReportRequest(w.company.id))
    found = verification.verify(session, report.number, content=pdf)
    assert found.matches is True and found.sha256 == hashlib.sha256(pdf).hexdigest()
    assert found.subject_name == "广州市某某科技有限公司" and found.subject_code == w.company.uscc
    assert found.kind_name == "信用报告（法人和非法人组织）" and found.issued_at == MOMENT
    altered = bytearray(pdf)
    altered[len(altered) // 2] ^= 0x01  # one byte changed
    assert verification.verify(session, report.number, content=bytes(altered)).matches is False
    assert verification.verify(session, report.number, sha256=found.sha256.upper()).matches
    assert verification.verify(session, report.number, sha256="0" * 64).matches is False
    assert verification.verify(session, report.number).matches is None


def test_a_typed_number_is_read_leniently(session):
    w = world(session)
    report, _pdf = _issued(session, PUBLIC, ReportRequest(w.company.id))
    spaced = " ".join([report.number[:8], report.number[8:14], report.number[14:]]).lower()
    assert verification.verify(session, spaced).number == report.number


@pytest.mark.parametrize("typed", ["XYBG2026AAAAAAAAAAAA0", "not a number", "", "XYBG" + "9" * 200])
def test_a_made_up_number_is_not_found(session, typed):
    world(session)
    with pytest.raises(NotFound) as caught:
        verification.verify(session, typed)
    assert caught.value.code == "reports.number_unknown" and "未找到" in caught.value.message


def test_a_well_formed_unknown_number_is_not_found(session):
    world(session)
    made_up = numbers.new_number("XYBG", 2026, 12)
    with pytest.raises(NotFound):
        verification.verify(session, made_up)


def test_a_bad_hash_is_a_clear_refusal(session):
    w = world(session)
    report, _pdf = _issued(session, PUBLIC, ReportRequest(w.company.id))
    with pytest.raises(DomainError) as caught:
        verification.verify(session, report.number, sha256="abc")
    assert caught.value.code == "reports.sha256"


def test_a_persons_name_and_id_number_are_masked(session):
    w = world(session)
    report, pdf = _issued(session, w.applicant(w.person.id), ReportRequest(w.person.id))
    found = verification.verify(session, report.number, content=pdf)
    assert found.matches and found.subject_name == PERSON[0] + "**"
    assert found.subject_code is not None and PERSON_ID not in found.subject_code
    assert found.subject_code.startswith(PERSON_ID[:4]) and "*" in found.subject_code


@given(st.integers(min_value=2000, max_value=2099), st.data())
def test_a_number_survives_typing_and_one_wrong_character_is_caught(year, data):
    number = numbers.new_number("XYBG", year, 12)
    assert numbers.normalised(number.lower(), "XYBG") == number
    at = data.draw(st.integers(min_value=4, max_value=len(number) - 1))
    other = data.draw(st.sampled_from([c for c in numbers.ALPHABET if c != number[at]]))
    assert numbers.normalised(number[:at] + other + number[at + 1 :], "XYBG") is None


def test_numbers_do_not_repeat_or_run_in_order():
    made = [numbers.new_number("XYBG", 2026, 12) for _ in range(2000)]
    assert len(set(made)) == len(made)
    assert sorted(made) != made
