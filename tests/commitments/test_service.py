"""Credit commitments (国办发〔2019〕35号: a written commitment lets a matter be accepted with
materials to follow; whether it was kept goes into the credit record): the template's text,
the bars of 深圳 条例 第五十九条, the 信用承诺 record, the term with its reminders, breach by the
department or when the term passes, fulfilment — through `xinyong.commitments.service`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.commitments.sample import (
    COMPANY,
    FOOD,
    MONDAY,
    SIGNER,
    TERM_ENDS,
    city,
    signed,
)
from tests.factories import PERSON_ID, demo_row, store
from xinyong import clock, codes
from xinyong.auth.models import AuditEntry
from xinyong.auth.principal import PUBLIC, Principal
from xinyong.cases import handlers
from xinyong.cases.models import CaseReminder
from xinyong.commitments import service as commitments
from xinyong.commitments.models import CommitmentCase
from xinyong.db import committing
from xinyong.errors import DomainError, PermissionDenied
from xinyong.jobs.service import run_job
from xinyong.measures import service as checks
from xinyong.measures.identify import SubjectKey
from xinyong.notifications.models import Message, RecipientKind
from xinyong.notifications.reminders import send_reminders
from xinyong.policy.enums import Role
from xinyong.publication.archive import archive
from xinyong.records.models import Record


def _at(day, hour=10):  # type: ignore[no-untyped-def]
    """`hour` o'clock in Beijing on `day`."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(hours=hour - 8)


def _published(session, subject):  # type: ignore[no-untyped-def]
    shown = archive(session, PUBLIC, subject.id)
    return {r.item.code: r for section in shown.sections for r in section.records if r.published}


def test_template_text_names_the_subject_matter_department_and_term(session):
    """国办发〔2019〕35号 容缺受理: the text the subject reads names it, the matter and the day the
    missing materials are due (commitments.yaml: 20 working days, 河南 default)."""
    town = city(session)
    with clock.frozen_at(MONDAY):
        text = commitments.commitment_text(
            FOOD, town.company, matter="食品经营许可（变更）", department="广州市市场监督管理局"
        )
    assert COMPANY in text and town.company.uscc in text
    assert "食品经营许可（变更）" in text and "广州市市场监督管理局" in text
    assert "20 个工作日内（2026-12-14 前）" in text
    assert "{" not in text


def test_the_repair_template_is_usable_by_repairs(session):
    """国家发展改革委令第36号: a repair application carries a 信用修复承诺书 (信用修复型)."""
    town = city(session)
    text = commitments.commitment_text("credit_repair", town.company, department="某局")
    assert "信用修复" in text and COMPANY in text and "某局" in text


def test_signing_stores_a_published_commitment_record_and_a_case_with_its_term(session):
    """The signing is a 信用承诺 record (xycn, public while valid) and a case in 履约中 due at
    the end of the fulfilment term, reminded 3 working days before and on the day."""
    town = city(session)
    case = signed(session, town)
    assert (case.state, case.due, case.fulfil_by) == ("signed", TERM_ENDS, TERM_ENDS)
    assert case.department_id == town.market.id and case.number.startswith("XYCN2026")
    with clock.frozen_at(MONDAY + timedelta(hours=1)):
        shown = _published(session, town.company)
    pledge = shown["xycn"]
    assert pledge.id == case.record_id
    fields = {f.code: f.value for f in pledge.fields}
    assert fields["cn_bh"] == case.number and COMPANY in fields["cn_nr"]
    assert fields["cn_sldw"] == "广州市市场监督管理局"
    reminders = session.scalars(select(CaseReminder).where(CaseReminder.case_id == case.id))
    assert sorted(r.remind_on.isoformat() for r in reminders) == ["2026-12-09", "2026-12-14"]
    told = session.scalars(select(Message).where(Message.case_id == case.id)).all()
    assert [(m.recipient_kind, m.recipient_key) for m in told] == [
        (RecipientKind.DEPARTMENT, town.market.id)
    ]


def test_the_window_records_who_signed_with_the_number_masked(session):
    """Signed at a window: the signer's identity document is recorded, masked (个人信息保护法)."""
    town = city(session)
    case = signed(session, town)
    assert case.channel == "window" and case.signer_name == "王五"
    assert case.signer_number_masked == codes.mask_id_number(PERSON_ID)
    assert PERSON_ID not in str(case.details)
    with pytest.raises(DomainError, match="签署人姓名") as refused:
        signed(
            session,
            town,
            signer=commitments.Signer("", "居民身份证", ""),
            matter="食品经营许可（变更）",
        )
    assert refused.value.code == "commitments.signer"


def test_reminders_reach_the_subject_and_the_department(session):
    """The term is the subject's to keep (`tell_subject`): 3 working days before it ends both
    the department and the subject are reminded."""
    town = city(session)
    case = signed(session, town)
    with clock.frozen_at(_at(TERM_ENDS - timedelta(days=5))), committing(session):  # 12-09
        assert send_reminders(session) == 2
    last = session.scalars(select(Message).order_by(Message.id.desc()).limit(2)).all()
    assert {m.recipient_kind for m in last} == {RecipientKind.DEPARTMENT, RecipientKind.SUBJECT}
    assert all(
        f"第 {case.id} 号信用承诺的承诺履行期限将于 2026-12-14 届满" in m.subject for m in last
    )


def test_a_subject_on_the_serious_dishonesty_list_is_refused(session):
    """深圳 条例 第五十九条: a subject with a serious bad record may not sign; the refusal names
    the bar."""
    town = city(session)
    with clock.frozen_at(MONDAY):
        row = demo_row("yzsxmd", town.company, MONDAY.date() - timedelta(days=30))
        store(session, town.company.id, row, "yzsxmd")
    with pytest.raises(DomainError, match="被列入严重失信主体名单") as refused:
        signed(session, town)
    assert refused.value.code == "commitments.barred"
    assert session.scalar(select(CommitmentCase.id)) is None


def test_breach_by_the_department_is_a_published_record_in_checks_that_bars_the_next(session):
    """国办发〔2019〕35号: whether a commitment was kept goes into the credit record; 深圳 条例
    第六十四条 as the local example. The breach is a 违背信用承诺 record (一般: published 3 months
    to 1 year), named by checks on the focus list, and it bars a new commitment (第五十九条)."""
    town = city(session)
    case = signed(session, town)
    later = _at(TERM_ENDS - timedelta(days=3))
    with clock.frozen_at(later):
        asked = handlers.StepIn("breach", None, {"reasons": "经核查，承诺补交的健康证明系伪造"})
        handlers.take(session, town.clerk, case.id, asked)
        session.refresh(case)
        assert (case.state, case.closed_by) == ("breached", "department")
        breach = session.get_one(Record, case.breach_record_id)
        assert (breach.item_code, breach.severity, breach.department_id) == (
            "wfcn",
            "general",
            town.market.id,
        )
        assert breach.publish_until == later.date().replace(year=later.year + 1)
        assert "wfcn" in _published(session, town.company)
        system = Principal(Role.DATA_PROVIDER, town.market.id, "440100", "department:gz-scjg")
        with committing(session):
            answer = checks.check(session, system, SubjectKey(uscc=town.company.uscc), "approval")
        assert [(m.list_type, m.item_code) for m in answer.lists] == [("commitment_breach", "wfcn")]
        assert answer.measures == []  # no measure has a legal basis for this list
        with pytest.raises(DomainError, match="存在尚未修复的违背信用承诺记录"):
            signed(session, town, matter="食品经营许可（变更）", at=later)
    told = session.scalars(
        select(Message).where(Message.recipient_kind == RecipientKind.SUBJECT)
    ).all()
    assert any("已被认定违诺" in m.subject for m in told)


def test_a_breach_needs_its_reasons(session):
    town = city(session)
    case = signed(session, town)
    with pytest.raises(DomainError, match="违诺情形") as refused:
        handlers.take(session, town.clerk, case.id, handlers.StepIn("breach", None, {}))
    assert refused.value.code == "commitments.reasons"


def test_the_term_passing_breaches_on_the_day_after(session, sessions):
    """容缺受理 (commitments.yaml `on_due: breach`): on the last day of the term nothing
    happens; on the day after, the `commitments` job records the breach as the platform."""
    town = city(session)
    case = signed(session, town)
    with clock.frozen_at(_at(TERM_ENDS, 23)):
        assert run_job(sessions, "commitments") == 0
    with clock.frozen_at(_at(TERM_ENDS + timedelta(days=1), 1)):
        assert run_job(sessions, "commitments") == 1
        assert run_job(sessions, "commitments") == 0  # settled once
        session.expire_all()
        found = session.get_one(CommitmentCase, case.id)
        assert (found.state, found.closed_by) == ("breached", "due")
        assert found.breach_reasons == "承诺履行期限（2026-12-14）届满，未补齐容缺材料"
        assert "wfcn" in _published(session, town.company)
    actors = session.scalars(
        select(AuditEntry.actor).where(AuditEntry.action == "commitments.decide")
    ).all()
    assert actors == ["cli"]


def test_a_kept_commitment_is_closed_and_the_job_leaves_it(session, sessions):
    town = city(session)
    case = signed(session, town)
    with clock.frozen_at(_at(TERM_ENDS - timedelta(days=7))):
        asked = handlers.StepIn("fulfil", None, {"evidence": "容缺材料已于 12 月 7 日补齐"})
        handlers.take(session, town.clerk, case.id, asked)
    session.refresh(case)
    assert (case.state, case.due, case.closed_at is not None) == ("fulfilled", None, True)
    with clock.frozen_at(_at(TERM_ENDS + timedelta(days=2))):
        assert run_job(sessions, "commitments") == 0
        assert "wfcn" not in _published(session, town.company)


def test_a_term_of_verification_stays_in_the_department_queue(session, sessions):
    """审批替代 (`on_due: wait`): the department verifies; its delay is not the subject's breach."""
    town = city(session)
    case = signed(session, town, "public_venue_notice", department=town.health)
    with clock.frozen_at(_at(case.due + timedelta(days=3))):
        assert run_job(sessions, "commitments") == 0
    session.refresh(case)
    assert case.state == "signed"


def test_a_repair_commitment_is_kept_when_its_term_passes_unbroken(session, sessions):
    """信用修复型 (`on_due: fulfil`): the subject had only to refrain."""
    town = city(session)
    case = signed(session, town, "credit_repair", department=town.health)
    with clock.frozen_at(_at(case.due + timedelta(days=1))):
        assert run_job(sessions, "commitments") == 1
    session.expire_all()
    assert session.get_one(CommitmentCase, case.id).state == "fulfilled"


def test_an_applicant_signs_for_its_own_subject_only(session):
    """An applicant acts on its own subject only; the refusal is audited."""
    town = city(session)
    mine = signed(session, town, principal=town.applicant(town.company))
    assert mine.channel == "online" and mine.signer_name is None
    with pytest.raises(PermissionDenied) as refused:
        signed(session, town, principal=town.applicant(town.other), matter="食品经营许可（变更）")
    assert refused.value.code == "commitments.forbidden"
    entry = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
    assert (entry.actor, entry.action) == (f"applicant:{town.other.id}", "permission.refused")


def test_signing_needs_the_declaration_the_matter_and_its_department(session):
    town = city(session)
    with pytest.raises(DomainError, match="勾选承诺声明"), clock.frozen_at(MONDAY):
        commitments.sign(
            session, town.window, FOOD, town.company, town.market, declared=False, signer=SIGNER
        )
    with pytest.raises(DomainError, match="由市场监督管理局受理") as wrong:
        signed(session, town, department=town.health)
    assert wrong.value.code == "commitments.department"
    with pytest.raises(DomainError, match="适用的事项为") as matter:
        signed(session, town, matter="烟草专卖零售许可")
    assert matter.value.code == "commitments.matter"
    signed(session, town)
    with pytest.raises(DomainError, match="已有履约中的同一信用承诺"):
        signed(session, town)
