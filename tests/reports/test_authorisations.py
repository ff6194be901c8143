"""Authorisation codes (issue 17): a subject gives a third party (a bidding agency) a code for
its 专项信用报告; the third party gets the report with the subject's USCC and the code, as the
subject itself would get it; each use is listed for the subject; a wrong, another subject's,
used-up, expired or revoked code is one refusal; only the subject itself may grant."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.applicants.sample import MOMENT, code_for, two_companies
from tests.factories import COMPANY_USCC, OTHER_USCC, csrf_of
from tests.reports.pdf import needs_poppler, text_of
from xinyong import clock
from xinyong.auth.principal import Principal
from xinyong.db import committing
from xinyong.errors import DomainError, NotFound, PermissionDenied
from xinyong.policy.enums import Role
from xinyong.reports import authorisations

pytestmark = needs_poppler
PASSWORD = "a-strong-password"


def _owner(subject) -> Principal:  # type: ignore[no-untyped-def]
    return Principal(None, None, None, "applicant:77", "申请人", subject.id)


def _grant(session, subject, **changes):  # type: ignore[no-untyped-def]
    values = {"grantee": "某某招标代理有限公司", "sections": None, "starts_on": None,
              "ends_on": None, "days": None, "uses": 2} | changes  # fmt: skip
    with committing(session):
        return authorisations.grant(session, _owner(subject), **values)


def _redeem(session, uscc, code):  # type: ignore[no-untyped-def]
    with committing(session):
        return authorisations.redeem(session, uscc, code)


def test_a_third_party_gets_the_subjects_special_report_as_many_times_as_granted(session, tmp_path):
    mine, _other = two_companies(session)
    with clock.frozen_at(MOMENT):
        granted = _grant(session, mine, sections=["xzcf"])
        printed = _redeem(session, COMPANY_USCC, granted.code.lower().replace("-", " "))
        again = _redeem(session, COMPANY_USCC, granted.code)
        with pytest.raises(NotFound) as used_up:
            _redeem(session, COMPANY_USCC, granted.code)
        (listed,) = authorisations.mine(session, _owner(mine))
    text = text_of(tmp_path, printed.content)
    assert (
        "专项信用报告" in text
        and "广州市某某科技有限公司" in text
        and "穗市监罚〔2026〕1号" in text
    )
    assert used_up.value.code == "reports.authorisation_invalid"
    assert [u.number for u in listed.uses] == [
        printed.filename.removesuffix(".pdf"),
        again.filename.removesuffix(".pdf"),
    ]
    assert listed.state == "已用完" and listed.authorisation.uses_left == 0
    assert listed.sections == ["行政处罚（含简易程序）"]


def test_wrong_other_expired_and_revoked_codes_are_one_refusal(session):
    mine, other = two_companies(session)
    with clock.frozen_at(MOMENT):
        granted = _grant(session, mine, days=1)
        revoked = _grant(session, mine)
        with committing(session):
            authorisations.revoke(session, _owner(mine), revoked.authorisation.id)
        refusals = []
        for uscc, code in [
            (COMPANY_USCC, "AAAA-BBBB-CCCC"),  # made up
            (OTHER_USCC, granted.code),  # another subject's USCC
            ("not a code", granted.code),
            (COMPANY_USCC, revoked.code),
            (COMPANY_USCC, ""),
        ]:
            with pytest.raises(NotFound) as refused:
                _redeem(session, uscc, code)
            refusals.append((refused.value.code, refused.value.message))
    with clock.frozen_at(MOMENT + timedelta(days=1, seconds=1)), pytest.raises(NotFound) as late:
        _redeem(session, COMPANY_USCC, granted.code)
    refusals.append((late.value.code, late.value.message))
    assert len(set(refusals)) == 1 and refusals[0][0] == "reports.authorisation_invalid"
    # Revoking another subject's authorisation: it does not exist.
    with pytest.raises(NotFound), committing(session):
        authorisations.revoke(session, _owner(other), granted.authorisation.id)


def test_only_the_subject_itself_grants_and_within_the_policys_bounds(session):
    mine, _other = two_companies(session)
    staff = Principal(Role.CREDIT_OFFICE, None, "440100", "user:1", "信用办")
    with clock.frozen_at(MOMENT):
        with pytest.raises(PermissionDenied):
            authorisations.grant(session, staff, "某单位", None, None, None)
        for changes, code in [
            ({"grantee": "  "}, "reports.grantee"),
            ({"days": 91}, "reports.authorisation_days"),
            ({"uses": 11}, "reports.authorisation_uses"),
            ({"sections": ["nothing"]}, "reports.section"),
        ]:
            with pytest.raises(DomainError) as refused:
                _grant(session, mine, **changes)
            assert refused.value.code == code


def test_the_applicant_grants_on_its_page_and_the_third_party_downloads(client, session):
    mine, _other = two_companies(session)
    with clock.frozen_at(MOMENT):
        form = client.get("/account/activate").text
        answer = {"code": code_for(session, mine), "username": "zhang", "password": PASSWORD}
        client.post("/account/activate", data=answer | {"csrf": csrf_of(form)})
        page = client.get("/account/reports")
        assert page.status_code == 200 and "授权第三方查询" in page.text
        made = client.post(
            "/account/reports/authorisations",
            data={
                "csrf": csrf_of(page.text),
                "grantee": "某某招标代理有限公司",
                "days": "30",
                "uses": "1",
                "sections": ["xzcf", "xzqz"],
            },
        )
        assert made.status_code == 200 and "授权码已生成" in made.text
        code = made.text.split('<p class="code big">')[1].split("</p>")[0]
        special = client.post(
            "/account/reports/special",
            data={"csrf": csrf_of(page.text), "starts_on": "2026-01-01"},
            follow_redirects=False,
        )
        assert special.status_code == 303 and special.headers["location"].endswith(".pdf")
        client.post("/account/logout", data={"csrf": csrf_of(page.text)})
        third = client.get("/reports/authorised")
        pdf = client.post(
            "/reports/authorised",
            data={"csrf": csrf_of(third.text), "uscc": COMPANY_USCC, "code": code},
        )
        assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
        again = client.post("/api/v1/reports/authorised", json={"uscc": COMPANY_USCC, "code": code})
        assert again.status_code == 404
        assert again.json()["code"] == "reports.authorisation_invalid"
