"""The 信用修复告知书 (issue 13, 两书同达: 国办发〔2025〕22号; seed 001 三（二）5): issued once per
record, numbered per year, printed as a PDF that says what, how long, from when and how, with
an activation code that is derived (reprinted the same), stored only as its HMAC and opens the
subject's account once."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from tests.factories import demo_row, store
from tests.notices.sample import COMPANY, DECIDED, MOMENT, REPAIR_FROM, world
from xinyong import clock
from xinyong.applicants import service as applicants
from xinyong.applicants.models import ActivationCode
from xinyong.auth.models import AuditEntry
from xinyong.db import committing
from xinyong.errors import DomainError, PermissionDenied
from xinyong.notices import service as notices
from xinyong.records.models import Record

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (scripts/test installs it)"
)


def _issue(session, who, record_id):  # type: ignore[no-untyped-def]
    with clock.frozen_at(MOMENT), committing(session):
        return notices.issue_for(session, who, record_id)


def _pdf_text(tmp_path, content: bytes, tool: str) -> str:
    path = tmp_path / "notice.pdf"
    path.write_bytes(content)
    args = [tool, str(path), "-"] if tool == "pdftotext" else [tool, str(path)]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


@needs_poppler
def test_the_notice_pdf_says_what_how_long_from_when_and_carries_the_code(session, tmp_path):
    """36号令: a general penalty is published at least 3 months, at most 1 year; repair may be
    applied for once the shortest period ends. Fonts are embedded; a reprint is byte-equal."""
    w = world(session)
    notice = _issue(session, w.clerk, w.record_id)
    with clock.frozen_at(MOMENT):
        printed = notices.download(session, w.clerk, notice.id)
    text = "".join(_pdf_text(tmp_path, printed.content, "pdftotext").split())
    assert notice.number == "信修告〔2026〕000001号" and notice.number in text
    assert COMPANY in text and "穗市监罚〔2026〕7号" in text
    assert "2026年8月30日" in text and "2027年8月30日" in text  # published from → until
    assert f"{REPAIR_FROM.year}年{REPAIR_FROM.month}月{REPAIR_FROM.day}日" in text
    assert applicants.derived_code(notice.number) in text
    assert "信用修复承诺书" in text and "第1页/共" in text
    fonts = _pdf_text(tmp_path, printed.content, "pdffonts").splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)  # emb
    with clock.frozen_at(datetime(2027, 2, 1, tzinfo=UTC)):  # another day, the same document
        again = notices.download(session, w.clerk, notice.id)
    assert again.content == printed.content
    assert printed.filename == f"{notice.number}.pdf"


def test_a_record_has_one_notice_and_numbers_run_per_year(session):
    """The number's format is the city's choice (notices.yaml, 河南 default): 信修告〔年〕六位号."""
    w = world(session)
    first = _issue(session, w.clerk, w.record_id)
    assert _issue(session, w.clerk, w.record_id).id == first.id  # issued once
    assert first.number == "信修告〔2026〕000001号"
    with clock.frozen_at(datetime(2027, 1, 4, 2, tzinfo=UTC)), committing(session):
        other_clerk = replace(w.clerk, department_id=w.elsewhere.id, actor="user:900002")
        next_year = notices.issue_for(session, other_clerk, w.other_record_id)
    assert next_year.number == "信修告〔2027〕000001号"


def test_only_the_code_hash_is_stored_and_the_code_opens_one_account_once(session):
    w = world(session)
    notice = _issue(session, w.clerk, w.record_id)
    code = applicants.derived_code(notice.number)
    stored = session.get(ActivationCode, notice.activation_code_id)
    assert stored.code_hash == applicants.code_hash(code) and code not in stored.code_hash
    assert stored.purpose == "信用修复告知书" and stored.subject_id == w.company.id
    # valid for 365 days from the day repair may be applied for (notices.yaml)
    assert stored.expires_at.astimezone(clock.SHANGHAI).date().isoformat() == "2027-11-30"
    with clock.frozen_at(MOMENT):
        opened = applicants.activate(session, code, "zhang", "a-strong-password")
        assert opened.subject_id == w.company.id
        with pytest.raises(applicants.ActivationRefused) as used:
            applicants.activate(session, code, "li", "a-strong-password")
    assert used.value.code == "applicants.code_used"


def test_another_departments_record_and_a_licence_are_refused(session):
    w = world(session)
    with pytest.raises(PermissionDenied) as refused:
        _issue(session, w.clerk, w.other_record_id)
    assert refused.value.message == "只能出具本部门的信用修复告知书"
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "permission.refused"))
    assert any(e.detail["action"] == "notices.issue" for e in entries)
    licence = store(
        session, w.company.id, demo_row("xzxk", w.company, DECIDED), "xzxk", w.department
    )
    with pytest.raises(DomainError) as not_eligible:
        _issue(session, w.clerk, licence)
    assert not_eligible.value.code == "notices.not_eligible"


def test_the_notice_items_come_from_the_catalog_and_the_listing_procedure():
    """Items published by severity (36号令) — penalties and breached commitments — and the
    listing procedure's item (lists.yaml); not licences, nor the court's list of 失信被执行人."""
    assert set(notices.notice_items()) == {"xzcf", "wfcn", "yzsxmd"}


def test_a_record_not_published_gets_no_notice(session):
    w = world(session)
    with clock.frozen_at(MOMENT), committing(session):
        record = session.get(Record, w.record_id)
        record.publish_until = DECIDED  # its window has closed
    with pytest.raises(DomainError) as refused:
        _issue(session, w.clerk, w.record_id)
    assert refused.value.code == "notices.not_published"
