"""Objections (河南省社会信用条例 第四十一条, policy/cases/objection.yaml): filing marks the record
异议中 at once; the platform settles its own matter or forwards it; every outcome lifts the mark,
does what it says to the record and tells the applicant the outcome and the reasons."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.factories import COMPANY_USCC, PERSON_ID, demo_row, store
from tests.objections.sample import BASIC, MONDAY, WINDOW_IDENTITY, World, at
from xinyong import clock
from xinyong.auth.models import AuditEntry
from xinyong.auth.permissions import REFUSED
from xinyong.auth.principal import PUBLIC
from xinyong.errors import DomainError, NotFound, PermissionDenied
from xinyong.measures import service as checks
from xinyong.measures.identify import SubjectKey
from xinyong.notifications.models import Message
from xinyong.objections.models import ObjectionCase
from xinyong.policy.enums import Role
from xinyong.publication import RecordQuery, visible_records
from xinyong.records import service as records
from xinyong.records.models import Record, RecordChange, RecordStatus
from xinyong.subjects.models import Subject


def _public(session, subject_id: int) -> list:
    query = RecordQuery(subject_id=subject_id)
    return visible_records(session, PUBLIC, query).records


def _record(session, record_id: int) -> Record:
    session.expire_all()
    return session.get_one(Record, record_id)


def test_filing_marks_the_record_in_objection_on_receipt(w: World):
    """第四十一条: the platform marks the record 异议中 on receipt — in the change feed too."""
    with clock.frozen_at(MONDAY):
        case = w.file()
    assert case.state == "received" and case.record_id == w.record_id
    assert _record(w.session, w.record_id).in_objection
    (shown,) = _public(w.session, w.person.id)
    assert shown.in_objection
    change = w.session.scalars(select(RecordChange).where(RecordChange.case_id == case.id)).one()
    assert change.change == "objection_opened"


def test_an_applicant_cannot_object_to_another_subjects_record(w: World):
    """An applicant acts on its own subject only: another's record is a 404, and audited."""
    with clock.frozen_at(MONDAY), pytest.raises(NotFound) as refused:
        w.file(w.company_record_id, subject_id=w.person.id)
    assert refused.value.code == "record.not_found"
    with clock.frozen_at(MONDAY), pytest.raises(NotFound):
        w.file(w.company_record_id, subject_id=w.company.id)
    w.session.rollback()
    refusals = w.session.scalars(select(AuditEntry).where(AuditEntry.action == REFUSED)).all()
    assert len(refusals) == 2 and {r.actor for r in refusals} == {"applicant:1"}
    assert not _record(w.session, w.company_record_id).in_objection


def test_a_window_files_for_the_subject_with_the_identity_document_masked(w: World):
    """Window staff file on the subject's behalf: the applicant's document is recorded masked."""
    with clock.frozen_at(MONDAY), pytest.raises(DomainError) as refused:
        w.file(by=w.window)
    assert refused.value.code == "objections.applicant_identity"
    with clock.frozen_at(MONDAY):
        case = w.file(by=w.window, filed_for=WINDOW_IDENTITY)
    assert case.filed_for["id_number_masked"] != PERSON_ID
    assert PERSON_ID[-4:] in case.filed_for["id_number_masked"]
    assert PERSON_ID not in str(case.details)


def test_the_category_is_one_of_the_policy_choices_and_the_statement_is_required(w: World):
    with clock.frozen_at(MONDAY), pytest.raises(DomainError) as bad:
        w.file(category="other")
    assert bad.value.code == "objections.field_invalid" and "信息错误" in bad.value.message
    with clock.frozen_at(MONDAY), pytest.raises(DomainError) as empty:
        w.file(statement=" ")
    assert empty.value.code == "objections.field_missing"


def test_own_matter_within_3_and_answer_within_7_working_days_across_national_day_2026(w: World):
    """第四十一条: the platform's own matter within 3 working days, the answer within 7 (2026
    notice 七: 10月1–7日放假, 10月10日（周六）上班). From Tuesday 9月29日: 30日, 8日, 9日 → 10月9日;
    7 working days → 10月14日. Forwarded on 9月30日, the provider's 3 → 10月10日 (the Saturday)."""
    with clock.frozen_at(at(date(2026, 9, 29))):
        case = w.file()
    assert (case.due, case.answer_due) == (date(2026, 10, 9), date(2026, 10, 14))
    with clock.frozen_at(at(date(2026, 9, 30))):
        w.step(case, w.credit_office, "forward", request="请核实文号")
    assert case.due == date(2026, 10, 10) and case.answer_due == date(2026, 10, 14)


def test_provider_answers_within_3_working_days_across_spring_festival_2026(w: World):
    """第四十一条 with 2026 notice 二 (2月14日、28日（周六）上班, 15–23日放假): filed Thursday
    2月12日, the platform's 3 → 2月24日, the answer's 7 → 2月28日; forwarded Friday 2月13日, the
    provider's 3 → 14日, 24日, 25日."""
    with clock.frozen_at(at(date(2026, 2, 12))):
        case = w.file()
    assert (case.due, case.answer_due) == (date(2026, 2, 24), date(2026, 2, 28))
    with clock.frozen_at(at(date(2026, 2, 13))):
        w.step(case, w.credit_office, "forward", request="请核实文号")
    assert case.state == "forwarded" and case.due == date(2026, 2, 25)
    message = w.session.scalars(
        select(Message).where(Message.case_id == case.id, Message.recipient_kind == "department")
    ).one()
    assert message.recipient_key == w.provider.id and "2026-02-25" in message.body


def test_time_for_a_test_is_excluded_from_the_running_and_the_answer_deadline(w: World):
    """第四十一条: 检验、检测、检疫、鉴定、专家评审的时间不计入. Forwarded Monday 11月23日 (due
    Thursday 26日, answer due 12月2日), stopped on Tuesday 24日 for a test and resumed on
    Monday 30日: the 4 working days between are not counted, both deadlines move by them."""
    with clock.frozen_at(MONDAY):
        case = w.file()
        w.step(case, w.credit_office, "forward", request="请核实")
    assert (case.due, case.answer_due) == (date(2026, 11, 26), date(2026, 12, 2))
    with clock.frozen_at(MONDAY + timedelta(days=1)):
        w.step(case, w.clerk(w.provider), "suspend", note="送检测机构检测")
    assert case.suspended_on == date(2026, 11, 24)
    with clock.frozen_at(MONDAY + timedelta(days=7)):
        w.step(case, w.clerk(w.provider), "resume", note="检测报告已出具")
    assert case.suspended_days == 4
    assert (case.due, case.answer_due) == (date(2026, 12, 2), date(2026, 12, 8))


def test_the_provider_cannot_decide_another_departments_objection(w: World):
    """The providing department answers for its own records only: another department's case
    answers as one that does not exist (audited)."""
    with clock.frozen_at(MONDAY):
        case = w.file()
        w.step(case, w.credit_office, "forward", request="请核实")
        with pytest.raises(NotFound) as hidden:
            w.step(case, w.clerk(w.other), "keep", reasons="信息无误")
    assert hidden.value.code == "cases.not_found"
    assert _record(w.session, w.record_id).in_objection


def test_before_forwarding_the_matter_is_the_platforms_own(w: World):
    """属平台自身原因的由平台处理: the provider decides once the matter is forwarded to it."""
    with clock.frozen_at(MONDAY):
        case = w.file()
        with pytest.raises(PermissionDenied) as refused:
            w.step(case, w.clerk(w.provider), "keep", reasons="信息无误")
    assert refused.value.code == "objections.forbidden"


def _listed(w: World) -> int:
    """The company on the 失信被执行人 list (an entry the other department provided)."""
    row = demo_row("sxbzxr", w.company, clock.today() - timedelta(days=200))
    return store(w.session, w.company.id, row, "sxbzxr", department=w.other)


def test_a_list_entry_under_objection_says_so_in_the_check_answer(w: World):
    """A window clerk checking a subject sees that its list entry is 异议中."""
    with clock.frozen_at(MONDAY):
        entry = _listed(w)
        w.file(entry, by=w.company_applicant, subject_id=w.company.id, category="wrongly_listed")
        system = w.clerk(w.other)
        answer = checks.check(w.session, system, SubjectKey(uscc=COMPANY_USCC), "procurement")
    (membership,) = [m for m in answer.lists if m.record_id == entry]
    assert membership.in_objection


OUTCOMES = {  # step → (data, the record's status after, whether a new version is current)
    "correct": ({"field": "cf_wsh", "value": "穗市监罚〔2026〕77号"}, RecordStatus.VALID, True),
    "supplement": ({"field": "备注", "value": "罚款已于2026年7月缴清"}, RecordStatus.VALID, True),
    "delete": ({}, RecordStatus.REVOKED, False),
    "stop": ({}, RecordStatus.EXPIRED, False),
    "keep": ({}, RecordStatus.VALID, False),
    "withdraw": ({}, RecordStatus.VALID, False),
}


@pytest.mark.parametrize("outcome", list(OUTCOMES))
def test_every_outcome_lifts_the_mark_and_tells_the_applicant(w: World, outcome: str):
    """第四十一条 and the issue: the mark is lifted with the outcome, and the applicant is told
    the outcome and the reasons (a site message)."""
    data, after, new_version = OUTCOMES[outcome]
    with clock.frozen_at(MONDAY):
        case = w.file()
        w.step(case, w.credit_office, "forward", request="请核实")
        by = w.applicant if outcome == "withdraw" else w.clerk(w.provider)
        w.step(case, by, outcome, reasons="经核实处理", **data)
    w.session.expire_all()
    case = w.session.get_one(ObjectionCase, case.id)
    assert case.closed_at is not None and case.outcome == outcome
    old = _record(w.session, w.record_id)
    assert not old.in_objection
    current = old
    if new_version:
        assert not old.is_current and case.corrected_record_id is not None
        current = _record(w.session, case.corrected_record_id)
        assert current.is_current and current.version == 2 and not current.in_objection
    assert RecordStatus(current.status) is after
    told = w.session.scalars(
        select(Message).where(Message.case_id == case.id, Message.recipient_kind == "subject")
    ).one()
    assert told.recipient_key == w.person.id and "经核实处理" in told.body
    assert "异议处理结果" in told.subject
    shown = _public(w.session, w.person.id)
    assert all(not r.in_objection for r in shown)
    if after is not RecordStatus.VALID:
        assert shown == []  # 删除 / 停止公示: gone from public view


def test_a_correction_is_a_new_version_and_the_old_one_stays_in_staff_history(w: World):
    """更正: a new version with the corrected value, through the catalog's validation; the change
    feed says `corrected`; the public sees only the new text."""
    with clock.frozen_at(MONDAY):
        case = w.file()
        w.step(case, w.credit_office, "correct", field="行政处罚决定书文号",
               value="穗市监罚〔2026〕77号", reasons="文号录入错误，已更正")  # fmt: skip
    old = _record(w.session, w.record_id)
    versions = records.history(w.session, old.item_code, old.natural_key)
    assert [v.version for v in versions] == [1, 2]
    assert versions[0].payload["cf_wsh"] == "穗市监罚〔2026〕7号"
    assert versions[1].payload["cf_wsh"] == "穗市监罚〔2026〕77号"
    (shown,) = _public(w.session, w.person.id)
    assert shown.id == versions[1].id
    feed = w.session.scalars(select(RecordChange).where(RecordChange.case_id == case.id)).all()
    assert [c.change for c in feed] == ["objection_opened", "objection_closed", "corrected"]
    assert feed[-1].record_id == versions[1].id


def test_a_correction_that_fails_the_catalogs_validation_is_refused(w: World):
    with clock.frozen_at(MONDAY):
        case = w.file()
        with pytest.raises(DomainError) as bad:
            w.step(case, w.credit_office, "correct", field="处罚决定日期", value="明天",
                   reasons="日期")  # fmt: skip
    assert bad.value.code == "objections.invalid" and "处罚决定日期" in bad.value.message
    assert _record(w.session, w.record_id).in_objection  # nothing happened


def test_delisting_removes_the_list_entry(w: World):
    """移出名单 (错误列入名单 / 未及时移出): the entry is removed by removal decision."""
    with clock.frozen_at(MONDAY):
        entry = _listed(w)
        case = w.file(entry, by=w.company_applicant, subject_id=w.company.id,
                      category="not_removed")  # fmt: skip
        w.step(case, w.credit_office, "delist", reasons="已履行，应当移出")
        answer = checks.check(w.session, w.clerk(w.other), SubjectKey(uscc=COMPANY_USCC),
                              "procurement")  # fmt: skip
    assert RecordStatus(_record(w.session, entry).status) is RecordStatus.REVOKED
    assert answer.lists == []


def test_an_objection_on_basic_information_corrects_the_name(w: World):
    """Basic information (no record): the platform's own matter, e.g. a wrong name."""
    with clock.frozen_at(MONDAY):
        case = w.file(BASIC, field="主体名称", statement="姓名登记有误")
        assert case.record_id is None and case.department_id == w.provider.id
        w.step(case, w.credit_office, "correct", field="主体名称", value="李斯",
               reasons="按身份证更正")  # fmt: skip
    w.session.expire_all()
    assert w.session.get_one(Subject, w.person.id).name == "李斯"


def test_a_second_objection_on_a_record_under_objection_is_refused(w: World):
    with clock.frozen_at(MONDAY):
        w.file()
        with pytest.raises(DomainError) as twice:
            w.file()
    assert twice.value.code == "record.objection_state"
    assert w.session.scalars(select(ObjectionCase)).all() != []


@pytest.mark.parametrize("role", [Role.SERVICE_WINDOW, Role.FINANCIAL_INSTITUTION])
def test_roles_that_do_not_decide_are_refused(w: World, role: Role):
    with clock.frozen_at(MONDAY):
        case = w.file()
        principal = w.clerk(w.provider, role)
        with pytest.raises((PermissionDenied, NotFound)):
            w.step(case, principal, "keep", reasons="信息无误")
