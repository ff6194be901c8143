"""The case engine's steps: allowed only from the states the kind's policy names, authorised
against the case's department, each written to the case's log and once to the audit log."""

from datetime import date

import pytest
from sqlalchemy import select

from tests.cases.sample import CREDIT_OFFICE_GZ, THURSDAY, SampleCase, clerk
from xinyong import clock
from xinyong.auth.models import AuditEntry
from xinyong.auth.principal import Principal
from xinyong.cases import service as cases
from xinyong.cases.models import CaseReminder, CaseStep
from xinyong.db import committing
from xinyong.errors import DomainError, PermissionDenied
from xinyong.policy.enums import Role


def _open(session, world, principal=None):
    company, gz, _ = world
    with committing(session):
        return cases.open(session, "sample", company, gz, principal or clerk(gz), {"topic": "修复"})


def _steps(session, case):
    return session.execute(
        select(CaseStep.transition, CaseStep.from_state, CaseStep.to_state, CaseStep.actor)
        .where(CaseStep.case_id == case.id)
        .order_by(CaseStep.id)
    ).all()


def _audited(session, case):
    return session.execute(
        select(AuditEntry.action, AuditEntry.actor, AuditEntry.detail)
        .where(AuditEntry.target_type == "sample_case", AuditEntry.target_id == str(case.id))
        .order_by(AuditEntry.id)
    ).all()


def test_a_case_opens_in_the_policys_first_state_with_its_deadline(session, world):
    with clock.frozen_at(THURSDAY):
        case = _open(session, world)
    assert isinstance(case, SampleCase) and case.topic == "修复"
    assert (case.kind, case.state, case.opened_at, case.closed_at) == (
        "sample",
        "received",
        THURSDAY,
        None,
    )
    assert (case.due, case.due_count) == (date(2026, 2, 24), "working")
    assert _steps(session, case) == [("apply", None, "received", "user:1")]


def test_each_step_moves_the_state_and_is_audited_once(session, world):
    _, gz, _ = world
    with clock.frozen_at(THURSDAY):
        case = _open(session, world)
        with committing(session):
            cases.step(session, case, "forward", clerk(gz), "转办认定部门")
            cases.step(session, case, "note", clerk(gz, 2), "补充材料", {"pages": 3})
            cases.step(session, case, "decide", CREDIT_OFFICE_GZ, "准予修复")
    assert case.state == "decided" and case.closed_at == THURSDAY
    assert case.due is None and session.scalars(select(CaseReminder)).all() == []
    assert _steps(session, case) == [
        ("apply", None, "received", "user:1"),
        ("forward", "received", "forwarded", "user:1"),
        ("note", "forwarded", "forwarded", "user:2"),
        ("decide", "forwarded", "decided", "user:90"),
    ]
    audited = _audited(session, case)
    assert [(action, actor) for action, actor, _ in audited] == [
        ("lists.propose", "user:1"),
        ("lists.enter", "user:1"),
        ("lists.statement", "user:2"),
        ("lists.drop", "user:90"),
    ]
    assert audited[2][2]["pages"] == 3 and audited[1][2]["due"] == "2026-02-27"


def test_a_step_not_allowed_from_the_current_state_is_refused(session, world):
    _, gz, _ = world
    with clock.frozen_at(THURSDAY):
        case = _open(session, world)
        with pytest.raises(DomainError) as refused:
            cases.step(session, case, "decide", clerk(gz))
    assert refused.value.code == "cases.transition_refused"
    assert refused.value.message == "案件当前为“已受理”，不能进行“决定”"
    session.rollback()
    assert case.state == "received" and len(_steps(session, case)) == 1
    assert len(_audited(session, case)) == 1


def test_a_closed_case_takes_no_more_steps(session, world):
    _, gz, _ = world
    with clock.frozen_at(THURSDAY):
        case = _open(session, world)
        with committing(session):
            cases.step(session, case, "forward", clerk(gz))
            cases.step(session, case, "decide", clerk(gz))
        with pytest.raises(DomainError, match="已决定"):
            cases.step(session, case, "note", clerk(gz))


def test_an_unknown_step_or_the_opening_one_cannot_be_taken(session, world):
    _, gz, _ = world
    with clock.frozen_at(THURSDAY):
        case = _open(session, world)
        for name in ("approve", "apply"):
            with pytest.raises(DomainError) as refused:
                cases.step(session, case, name, clerk(gz))
            assert refused.value.code == "cases.unknown_transition"


def test_another_departments_clerk_is_refused_and_the_refusal_audited(session, world):
    _, gz, sz = world
    with clock.frozen_at(THURSDAY):
        case = _open(session, world)
        strangers = [clerk(sz, 7), Principal(Role.CREDIT_OFFICE, None, "440300", "user:8")]
        for stranger in strangers:
            with pytest.raises(PermissionDenied), committing(session):
                cases.step(session, case, "forward", stranger)
        with pytest.raises(PermissionDenied), committing(session):
            cases.open(session, "sample", world[0], gz, clerk(sz, 7))
    session.expire_all()
    assert case.state == "received" and len(_steps(session, case)) == 1
    refusals = session.execute(
        select(AuditEntry.actor, AuditEntry.target_type, AuditEntry.detail["action"].as_string())
        .where(AuditEntry.action == "permission.refused")
        .order_by(AuditEntry.id)
    ).all()
    assert refusals == [
        ("user:7", "sample_case", "lists.enter"),
        ("user:8", "sample_case", "lists.enter"),
        ("user:7", "department", "lists.propose"),
    ]


def test_a_role_without_the_action_may_not_open_a_case(session, world):
    _, gz, _ = world
    window = Principal(Role.SERVICE_WINDOW, gz.id, "440100", "user:5")
    with clock.frozen_at(THURSDAY), pytest.raises(PermissionDenied):
        _open(session, world, window)
