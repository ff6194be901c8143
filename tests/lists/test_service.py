"""The listing procedure for the serious-dishonesty list (国办发〔2020〕49号: notice and a chance to
state the case before listing) with its dates, audit entries and the entry it publishes."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from tests.factories import AUTHORITY_USCC, COMPANY_USCC, PERSON_ID
from xinyong import clock, codes
from xinyong.auth.models import AuditEntry
from xinyong.auth.principal import PUBLIC, Principal
from xinyong.auth.service import create_department
from xinyong.db import committing
from xinyong.errors import DomainError
from xinyong.lists import service as lists
from xinyong.lists.models import CaseStatus
from xinyong.policy.enums import Role, SubjectType
from xinyong.publication import RecordQuery, visible_records
from xinyong.records.models import Record, RecordStatus
from xinyong.subjects.service import SubjectIn, register

MONDAY = datetime(2026, 11, 16, 2, 0, tzinfo=UTC)  # 10:00 in Beijing


@pytest.fixture
def setup(session):
    with clock.frozen_at(MONDAY), committing(session):
        company = register(
            session, SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC)
        )
        department = create_department(
            session, "gz-rsj", "广州市人力资源和社会保障局", "440100", AUTHORITY_USCC
        )
    return company, department


def _clerk(department):
    """A clerk of the listing department, who may take its cases through every step."""
    return Principal(Role.DATA_PROVIDER, department.id, "440100", "user:1")


def _propose(session, company, department):
    with committing(session):
        return lists.propose(
            session,
            _clerk(department),
            "serious_dishonesty",
            company,
            department.id,
            document_number="穗人社失信〔2026〕1号",
            reason="拖欠农民工工资数额较大，经责令限期支付仍不支付",
            legal_basis="《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》",
        )


def _listed(session, subject, department):
    """A subject taken through the procedure on Monday, having stated its case at once."""
    with clock.frozen_at(MONDAY):
        case = _propose(session, subject, department)
        with committing(session):
            lists.notify(session, _clerk(department), case)
            lists.record_statement(session, _clerk(department), case, "无异议")
            lists.enter(session, _clerk(department), case)
    return case


def test_procedure_dates_each_step_and_publishes_the_entry(session, setup):
    company, department = setup
    with clock.frozen_at(MONDAY):
        case = _propose(session, company, department)
        with committing(session):
            lists.notify(session, _clerk(department), case)
    # 5 working days after Monday 2026-11-16: Monday 2026-11-23 (policy lists.yaml)
    assert (case.status, case.statement_due) == (CaseStatus.NOTIFIED, date(2026, 11, 23))
    with (
        clock.frozen_at(datetime(2026, 11, 23, 2, 0, tzinfo=UTC)),
        pytest.raises(DomainError, match="陈述申辩期至 2026-11-23"),
    ):
        lists.enter(session, _clerk(department), case)
    listed_at = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
    with clock.frozen_at(listed_at), committing(session):
        lists.enter(session, _clerk(department), case)
    assert (case.status, case.listed_on) == (CaseStatus.LISTED, date(2026, 11, 24))
    record = session.get(Record, case.record_id)
    assert (record.item_code, record.publish_from, record.publish_until) == (
        "yzsxmd",
        date(2026, 11, 24),
        date(2029, 11, 24),  # 令第36号: serious dishonesty published at most 3 years
    )
    with clock.frozen_at(listed_at):
        shown = visible_records(session, PUBLIC, RecordQuery(subject_id=company.id)).records
    assert [r.item.name for r in shown] == ["严重失信主体名单"]
    actions = session.scalars(
        select(AuditEntry.action)
        .where(AuditEntry.target_type == "list_case")
        .order_by(AuditEntry.id)
    ).all()
    assert actions == ["lists.propose", "lists.notify", "lists.enter"]


def test_a_statement_allows_listing_before_the_period_ends(session, setup):
    company, department = setup
    with clock.frozen_at(MONDAY):
        case = _propose(session, company, department)
        with committing(session):
            lists.notify(session, _clerk(department), case)
            lists.record_statement(session, _clerk(department), case, "已于本月支付全部工资")
            lists.enter(session, _clerk(department), case)
    assert case.status == CaseStatus.LISTED and case.statement == "已于本月支付全部工资"


def test_steps_out_of_order_are_refused(session, setup):
    company, department = setup
    with clock.frozen_at(MONDAY):
        case = _propose(session, company, department)
        with pytest.raises(DomainError, match="拟列入"):
            lists.enter(session, _clerk(department), case)
        with committing(session):
            lists.drop(session, _clerk(department), case, "当事人陈述申辩理由成立")
        assert case.status == CaseStatus.DROPPED
        with pytest.raises(DomainError):
            lists.notify(session, _clerk(department), case)


def test_a_proposal_needs_reason_and_legal_basis(session, setup):
    company, department = setup
    with pytest.raises(DomainError, match="法律依据"):
        lists.propose(
            session,
            _clerk(department),
            "serious_dishonesty",
            company,
            department.id,
            document_number="1号",
            reason="原因",
            legal_basis=" ",
        )


def test_lists_without_a_procedure_are_sent_by_departments(session, setup):
    company, department = setup
    with pytest.raises(DomainError, match="由认定部门报送"):
        lists.propose(
            session,
            _clerk(department),
            "a_taxpayer",
            company,
            department.id,
            document_number="1",
            reason="r",
            legal_basis="b",
        )


def test_removal_by_decision_ends_publication_and_closes_the_case(session, setup):
    company, department = setup
    case = _listed(session, company, department)
    removed_at = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    with clock.frozen_at(removed_at), committing(session):
        record = session.get(Record, case.record_id)
        lists.remove(session, _clerk(department), record, "decision", "已整改")
    assert session.get(Record, case.record_id).status == RecordStatus.REVOKED
    assert case.status == CaseStatus.REMOVED and case.closed_at == removed_at
    query = RecordQuery(subject_id=company.id)
    with clock.frozen_at(removed_at):
        assert visible_records(session, PUBLIC, query).records == []
        day_before = datetime(2026, 11, 30, tzinfo=UTC)
        staff = Principal(Role.CREDIT_OFFICE, None, "440100", "user:1")
        before = visible_records(session, staff, query, day_before)
        # issue 11 item 6: the public never sees through as_of what it may not see now
        assert visible_records(session, PUBLIC, query, day_before).records == []
    assert [r.published for r in before.records] == [True]


def test_a_person_is_listed_with_the_id_number_masked(session, setup):
    _, department = setup
    with clock.frozen_at(MONDAY), committing(session):
        person = register(
            session, SubjectIn(SubjectType.NATURAL_PERSON, "王小明", id_number=PERSON_ID)
        )
    case = _listed(session, person, department)
    record = session.get(Record, case.record_id)
    assert record.payload["md_zjhm"] == codes.mask_id_number(PERSON_ID)
