"""Activation codes and applicant accounts (issue 13, "Who the applicant is"): a code is
single-use, expires, is stored hashed; guessing is throttled; only roles of the
`applicants.issue_code` rule issue one, and every issue and refusal is audited."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from tests.applicants.sample import MOMENT, WINDOW, code_for, two_companies
from xinyong import clock
from xinyong.applicants import service as applicants
from xinyong.applicants.models import ActivationCode, Applicant
from xinyong.auth.models import AuditEntry
from xinyong.auth.permissions import Target
from xinyong.auth.principal import Kind, Principal
from xinyong.auth.service import LoginThrottled
from xinyong.errors import DomainError, PermissionDenied
from xinyong.policy import load_policy
from xinyong.policy.enums import Role

PASSWORD = "a-strong-password"


def _last(session, action):  # type: ignore[no-untyped-def]
    session.expire_all()
    return session.scalar(
        select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id.desc())
    )


def test_a_code_is_printable_without_ambiguous_characters():
    for _ in range(50):
        code = applicants.new_code()
        assert re.fullmatch(r"[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}", code)
    assert applicants.normalised(" abcd－efgh ｊｋｍｎ") == "ABCDEFGHJKMN"


def test_a_code_activates_one_account_bound_to_its_subject_once(session):
    """issue 13: the code is single-use; the account is bound to the code's subject."""
    mine, _other = two_companies(session)
    with clock.frozen_at(MOMENT):
        code = code_for(session, mine)
        made = applicants.activate(session, code.lower().replace("-", " "), "zhang", PASSWORD)
        assert made.subject_id == mine.id
        with pytest.raises(DomainError) as again:
            applicants.activate(session, code, "zhang2", PASSWORD)
    assert again.value.code == "applicants.code_used"
    assert session.scalar(select(Applicant.username).where(Applicant.id == made.id)) == "zhang"
    assert _last(session, "applicant.activate").target_id == str(mine.id)


def test_an_expired_code_is_refused(session):
    """issue 13: the code expires after the validity of applicants.yaml."""
    mine, _other = two_companies(session)
    with clock.frozen_at(MOMENT):
        code = code_for(session, mine)
    lifetime = load_policy().applicants.activation_code.lifetime
    with clock.frozen_at(MOMENT + lifetime), pytest.raises(DomainError) as late:
        applicants.activate(session, code, "zhang", PASSWORD)
    assert late.value.code == "applicants.code_expired"
    with clock.frozen_at(MOMENT + lifetime - timedelta(seconds=1)):
        assert applicants.activate(session, code, "zhang", PASSWORD).subject_id == mine.id


def test_wrong_codes_are_refused_and_throttled_by_address(session, settings):
    """Guessing codes is stopped by the login throttle of the caller's address."""
    two_companies(session)
    limit = settings.login_failures_per_account
    with clock.frozen_at(MOMENT):
        for _ in range(limit):
            with pytest.raises(DomainError) as wrong:
                applicants.activate(session, "2345-6789-ABCD", "zhang", PASSWORD, "10.0.0.9")
            assert wrong.value.code == "applicants.code_invalid"
        with pytest.raises(LoginThrottled):
            applicants.activate(session, "2345-6789-ABCD", "zhang", PASSWORD, "10.0.0.9")
    assert _last(session, "applicant.activation_throttled") is not None


def test_the_code_is_stored_hashed_and_nowhere_in_plain(session):
    mine, _other = two_companies(session)
    with clock.frozen_at(MOMENT):
        code = code_for(session, mine)
    plain = applicants.normalised(code)
    rows = session.execute(text("SELECT * FROM activation_codes")).all()
    audit_rows = session.execute(text("SELECT detail, note FROM audit_log")).all()
    dumped = repr(rows) + repr(audit_rows)
    assert plain not in dumped and code not in dumped
    stored = session.scalar(select(ActivationCode.code_hash))
    assert stored == applicants.code_hash(code) and len(stored) == 64


@pytest.mark.parametrize("role", [Role.DATA_PROVIDER, Role.REGULATOR, Role.FINANCIAL_INSTITUTION])
def test_issuing_is_refused_for_roles_without_the_action_and_audited(session, role):
    mine, _other = two_companies(session)
    clerk = Principal(role, None, "440100", "user:77")
    with pytest.raises(PermissionDenied):
        applicants.issue_code(session, clerk, mine, "窗口核验")
    refused = _last(session, "permission.refused")
    assert refused.actor == "user:77" and refused.detail["action"] == "applicants.issue_code"


def test_an_issue_is_audited_with_its_purpose_and_purposes_come_from_policy(session):
    mine, _other = two_companies(session)
    code_for(session, mine, "信用修复告知书")
    issued = _last(session, "applicants.issue_code")
    assert issued.actor == WINDOW.actor and issued.detail["purpose"] == "信用修复告知书"
    with pytest.raises(DomainError) as unknown:
        applicants.issue_code(session, WINDOW, mine, "随便")
    assert unknown.value.code == "applicants.purpose_unknown"


def test_an_applicant_has_no_staff_permission(session):
    mine, other = two_companies(session)
    with clock.frozen_at(MOMENT):
        made = applicants.activate(session, code_for(session, mine), "zhang", PASSWORD)
    principal = Principal.of_applicant(made)
    assert principal.kind is Kind.APPLICANT and principal.subject_id == mine.id
    for action, governing in load_policy().permissions.items():
        if governing.public:  # anyone's (an organisation's public credit report)
            assert principal.may(action, Target("case", 1, subject_id=other.id)), action
        elif governing.applicant:  # a rule for applicants: on its own subject's objects only
            assert not principal.may(action, Target("case", 1, subject_id=other.id)), action
            assert principal.may(action, Target("case", 1, subject_id=mine.id)), action
        else:
            assert not principal.may(action), action


def test_applicants_sign_in_with_their_password_and_are_throttled(session, settings):
    mine, _other = two_companies(session)
    with clock.frozen_at(MOMENT):
        applicants.activate(session, code_for(session, mine), "zhang", PASSWORD)
        assert applicants.authenticate_applicant(session, "zhang", PASSWORD).subject_id == mine.id
        for _ in range(settings.login_failures_per_account):
            assert applicants.authenticate_applicant(session, "zhang", "wrong-password") is None
        with pytest.raises(LoginThrottled):
            applicants.authenticate_applicant(session, "zhang", PASSWORD)


def test_two_activations_racing_on_one_code_open_one_account(session, sessions):
    """Single use holds under a race: the code was read unused by both, the first to commit
    wins, the second is refused and opens no account."""
    mine, _other = two_companies(session)
    with clock.frozen_at(MOMENT):
        code = code_for(session, mine)
        with sessions() as late:
            read_early = late.scalar(
                select(ActivationCode).where(ActivationCode.code_hash == applicants.code_hash(code))
            )
            assert read_early is not None and read_early.used_at is None
            late.commit()  # end its snapshot; the row object stays as it was read
            applicants.activate(session, code, "first", PASSWORD)
            with pytest.raises(DomainError) as lost, late.begin():
                applicants._open_account(late, read_early, "second", PASSWORD)
    assert lost.value.code == "applicants.code_used"
    names = session.scalars(select(Applicant.username).where(Applicant.subject_id == mine.id))
    assert list(names) == ["first"]
