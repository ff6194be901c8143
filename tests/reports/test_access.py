"""Who gets which report (permissions.yaml, rules reports_*): anyone an organisation's public
report; a natural person's only that person (applicant account) or the region's staff; a 专项
the subject itself or staff; a department's key neither. A caller is refused by role before
an id is looked up, and an id it may not see answers as one that does not exist."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.reports.sample import MOMENT, world
from xinyong import clock
from xinyong.auth.principal import PUBLIC
from xinyong.auth.service import AuthError
from xinyong.db import committing
from xinyong.errors import DomainError, NotFound, PermissionDenied
from xinyong.policy import load_policy, use_policy
from xinyong.policy.loader import SHIPPED_DIR
from xinyong.reports import service
from xinyong.reports.service import ReportRequest

MISSING = 10**9


def issue(session, who, request):  # type: ignore[no-untyped-def]
    with clock.frozen_at(MOMENT), committing(session):
        return service.issue(session, who, request)


def download(session, who, report_id):  # type: ignore[no-untyped-def]
    with clock.frozen_at(MOMENT), committing(session):
        return service.download(session, who, report_id)


def refused(session, who, request) -> DomainError:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as caught:
        issue(session, who, request)
    return caught.value


def test_anyone_gets_an_organisations_public_report(session):
    w = world(session)
    for who in (PUBLIC, w.applicant(w.person.id), w.staff, w.department_key):
        made = issue(session, who, ReportRequest(w.company.id))
        assert made.kind == "org"
        assert download(session, who, made.id).content[:5] == b"%PDF-"


def test_the_public_cannot_learn_that_a_person_exists(session):
    """A person's id and a missing id answer alike, with or without the kind named."""
    w = world(session)
    for subject_id in (w.person.id, MISSING):
        assert refused(session, PUBLIC, ReportRequest(subject_id)).code == "subject.not_found"
        error = refused(session, PUBLIC, ReportRequest(subject_id, kind="person"))
        assert isinstance(error, AuthError)  # by role, before the id: 401 for both
        error = refused(session, PUBLIC, ReportRequest(subject_id, kind="special"))
        assert isinstance(error, AuthError)


def test_a_person_gets_their_own_report_and_not_anothers(session):
    w = world(session)
    own = issue(session, w.applicant(w.person.id), ReportRequest(w.person.id))
    assert own.kind == "person" and own.public_view
    assert download(session, w.applicant(w.person.id), own.id).content[:5] == b"%PDF-"
    stranger = w.applicant(w.company.id, number=2)
    for subject_id in (w.person.id, MISSING):
        error = refused(session, stranger, ReportRequest(subject_id, kind="person"))
        assert isinstance(error, NotFound) and error.code == "subject.not_found"
    for who in (stranger, PUBLIC, w.department_key):
        with pytest.raises(NotFound) as caught:
            download(session, who, own.id)
        assert caught.value.code == "reports.not_found"
    assert download(session, w.staff, own.id).content[:5] == b"%PDF-"  # the region's staff


def test_the_special_report_is_for_the_subject_itself_or_staff(session):
    w = world(session)
    own = issue(session, w.applicant(w.company.id), ReportRequest(w.company.id, kind="special"))
    assert own.kind == "special"
    other = w.applicant(w.other.id, number=2)
    assert refused(session, other, ReportRequest(w.company.id, kind="special")).code == (
        "subject.not_found"
    )
    with pytest.raises(NotFound):
        download(session, other, own.id)
    with pytest.raises(NotFound):
        download(session, PUBLIC, own.id)
    assert issue(session, w.window, ReportRequest(w.company.id, kind="special")).kind == "special"


def test_a_departments_key_gets_no_personal_or_special_report(session):
    """permissions.yaml: reports_person and reports_special list no data provider — refused by
    role, the same for an existing and a missing subject."""
    w = world(session)
    for subject_id in (w.person.id, MISSING):
        for kind in ("person", "special"):
            error = refused(session, w.department_key, ReportRequest(subject_id, kind=kind))
            assert isinstance(error, PermissionDenied) and error.code == "reports.forbidden"


def test_a_staff_report_goes_only_to_its_maker_its_department_and_the_credit_office(session):
    w = world(session)
    made = issue(session, w.window, ReportRequest(w.company.id))
    assert not made.public_view and made.viewer["role"] == "service_window"
    assert download(session, w.window, made.id).content[:5] == b"%PDF-"
    assert download(session, w.staff, made.id).content[:5] == b"%PDF-"  # the region's office
    for who in (PUBLIC, w.applicant(w.company.id)):
        with pytest.raises(NotFound):
            download(session, who, made.id)


def test_report_ids_cannot_be_probed(session):
    """Counting ids: every report the caller may not have, and every missing one, is the same
    404 `reports.not_found`."""
    w = world(session)
    made = [
        issue(session, w.applicant(w.person.id), ReportRequest(w.person.id)),
        issue(session, w.staff, ReportRequest(w.person.id)),
        issue(session, w.staff, ReportRequest(w.company.id, kind="special")),
    ]
    for report_id in [r.id for r in made] + [MISSING]:
        with pytest.raises(NotFound) as caught:
            download(session, PUBLIC, report_id)
        assert caught.value.code == "reports.not_found"


def test_free_twice_a_year_when_the_city_turns_it_on(session, tmp_path: Path):
    """《河南省社会信用条例》第四十条: a subject's own report is free twice a year — off by
    default, enforced when a city's reports.yaml sets `per_year`; staff are not counted."""
    assert load_policy().reports.free_own_reports.per_year is None
    shipped = yaml.safe_load((SHIPPED_DIR / "reports.yaml").read_text())
    shipped["free_own_reports"]["per_year"] = 2
    (tmp_path / "reports.yaml").write_text(yaml.safe_dump(shipped, allow_unicode=True))
    use_policy(tmp_path)
    w = world(session)
    me = w.applicant(w.company.id)
    issue(session, me, ReportRequest(w.company.id))
    issue(session, me, ReportRequest(w.company.id, kind="special"))
    assert refused(session, me, ReportRequest(w.company.id)).code == "reports.free_used"
    issue(session, w.staff, ReportRequest(w.company.id))
    with clock.frozen_at(MOMENT.replace(year=2027)), committing(session):
        service.issue(session, me, ReportRequest(w.company.id))  # a new year


def test_the_shipped_kinds_name_permission_rules_and_catalog_items():
    policy = load_policy()
    for kind in policy.reports.kinds:
        assert kind.action in policy.permissions
        for section in kind.sections:
            assert all(code in policy.items for code in section.items)
    special = policy.reports.kind("special")
    assert special is not None
    titles = [s.title for s in special.sections]
    assert titles == ["行政处罚（含简易程序）", "行政强制", "严重失信主体名单", "刑事裁判"]
    assert special.period.max_years == 5
