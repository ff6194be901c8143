"""The publication view: audience × disclosure level × window × status, `as_of`, fields, audit.

Sources: disclosure levels and roles — xinyong/policy/disclosure.yaml; penalty windows —
国家发展改革委令第36号《信用修复管理办法》(in force 2026-04-01, replacing 令第58号): a general
penalty is published for at most 1 year, one of 警告/通报批评 only is not published."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.factories import PERSON_ID, penalty, store
from tests.publication.conftest import LEVEL_ITEMS, NOW
from xinyong import clock, codes
from xinyong.auth.models import AuditEntry
from xinyong.auth.principal import PUBLIC, Principal
from xinyong.db import committing
from xinyong.errors import NotFound
from xinyong.policy.enums import Role
from xinyong.publication import RecordQuery, get_record, visible_records
from xinyong.publication.service import Badge, badges
from xinyong.records import service as records
from xinyong.records.models import Record, RecordStatus

# The rule as the policy file states it, written out independently of the SQL:
# role → (levels seen in full in its region, sees history, sees its own department's records).
ROLE_RULES = {
    Role.CREDIT_OFFICE: ({"public", "shared", "authorized", "closed"}, True, False),
    Role.REGULATOR: ({"public", "shared"}, True, False),
    Role.SERVICE_WINDOW: ({"public", "shared"}, False, False),
    Role.DATA_PROVIDER: ({"public", "shared"}, True, True),
}  # financial institutions: the public view until authorised access (issue 11 item 18)
STATES = ("current", "past_window", "never_published", "repaired", "revoked", "objection")


def _audiences(departments):
    gz, sz = departments["gz"], departments["sz"]
    return {
        "public": PUBLIC,
        "credit_office_gz": Principal(Role.CREDIT_OFFICE, None, "440100", "user:1"),
        "credit_office_sz": Principal(Role.CREDIT_OFFICE, None, "440300", "user:2"),
        "regulator_gz": Principal(Role.REGULATOR, None, "440100", "user:3"),
        "service_window_gz": Principal(Role.SERVICE_WINDOW, None, "440100", "user:4"),
        "provider_own_sz": Principal(Role.DATA_PROVIDER, sz.id, "440300", "department:sz"),
        "provider_other_gz": Principal(Role.DATA_PROVIDER, gz.id, "440100", "department:gz"),
        "bank_gz": Principal(Role.FINANCIAL_INSTITUTION, None, "440100", "user:5"),
    }


def _expected(viewer: Principal, level: str, state: str, own_department: bool) -> str:
    published = state in ("current", "objection")  # disclosure.yaml: objection_marked: true
    public = level == "public" and published
    full = False
    if viewer.role in ROLE_RULES:
        levels, history, own = ROLE_RULES[viewer.role]
        in_region = viewer.region_code == "440100"  # the records are of 440106, in Guangzhou
        full = (level in levels and in_region) or (own and own_department)
        if not history:
            full = full and published
    return "full" if full else "public" if public else "hidden"


def _build_matrix(session, company, department):
    made = {}
    number = 100
    for level, item_code in LEVEL_ITEMS.items():
        for state in STATES:
            number += 1
            changes = {"cf_cflb": "警告", "cf_nr_fk": ""} if state == "never_published" else {}
            decided = date(2025, 1, 10) if state == "past_window" else date(2026, 6, 1)
            row = penalty(number, decided, **changes)
            record_id = store(session, company.id, row, item_code, department)
            record = session.get(Record, record_id)
            with committing(session):
                if state in ("repaired", "revoked"):
                    records.change_status(session, record, RecordStatus(state), "user:1", "测试")
                if state == "objection":
                    records.set_objection(session, record, True, "user:1", "主体提出异议")
            made[record_id] = (level, state)
    return made


def test_disclosure_matrix(session, company, departments, now):
    made = _build_matrix(session, company, departments["sz"])
    wrong = []
    for name, viewer in _audiences(departments).items():
        page = visible_records(session, viewer, RecordQuery(subject_id=company.id))
        got = {r.id: "full" if r.full else "public" for r in page.records}
        for record_id, (level, state) in made.items():
            expected = _expected(viewer, level, state, name == "provider_own_sz")
            if got.get(record_id, "hidden") != expected:
                wrong.append((name, level, state, got.get(record_id, "hidden"), expected))
    assert wrong == []


def test_public_sees_public_fields_only_and_staff_see_ids_masked(session, company, now):
    record_id = store(session, company.id, penalty(1, date(2026, 6, 1)))
    public = get_record(session, PUBLIC, record_id)
    labels = {f.label for f in public.fields}
    assert "法定代表人证件号码" not in labels and "行政处罚决定书文号" in labels
    staff = get_record(session, Principal(Role.CREDIT_OFFICE, None, "440100", "user:1"), record_id)
    shown = {f.label: f.value for f in staff.fields}
    assert shown["法定代表人证件号码"] == codes.mask_id_number(PERSON_ID) != PERSON_ID
    assert shown["罚款金额（万元）"] == "5"


def test_hidden_record_is_the_same_not_found_as_a_missing_one(session, company, now):
    record_id = store(session, company.id, penalty(1, date(2026, 6, 1)), "xzcf_gx")
    with pytest.raises(NotFound) as hidden:
        get_record(session, PUBLIC, record_id)
    with pytest.raises(NotFound) as missing:
        get_record(session, PUBLIC, record_id + 1000)
    assert hidden.value.code == missing.value.code == "record.not_found"


def test_window_end_by_as_of(session, company, now):
    """令第36号: a general penalty is published for at most 1 year from the decision date;
    the window is [decision date, decision date + 1 year)."""
    with clock.frozen_at(datetime(2025, 11, 23, 1, 0, tzinfo=UTC)):  # received that morning
        record_id = store(session, company.id, penalty(1, date(2025, 11, 23)))
    visible = {}
    for day in (date(2025, 11, 22), date(2025, 11, 23), date(2026, 11, 22), date(2026, 11, 23)):
        # asked on that day: the public sees nothing through as_of that it does not see now
        with clock.frozen_at(datetime.combine(day, datetime.max.time(), tzinfo=clock.SHANGHAI)):
            query = RecordQuery(record_id=record_id)
            visible[day] = bool(visible_records(session, PUBLIC, query, day).records)
    assert visible == {
        date(2025, 11, 22): False,  # before the decision
        date(2025, 11, 23): True,
        date(2026, 11, 22): True,  # last day
        date(2026, 11, 23): False,  # the window has ended
    }


def test_past_its_window_is_hidden_before_the_expiry_job_runs(session, company, now):
    record_id = store(session, company.id, penalty(1, date(2025, 11, 23)))
    assert session.get(Record, record_id).status == RecordStatus.VALID
    assert visible_records(session, PUBLIC, RecordQuery(record_id=record_id)).records == []


def test_warning_only_penalty_is_never_published(session, company, now):
    """令第58号 / 第36号: penalties of 警告 or 通报批评 only are not published."""
    row = penalty(1, date(2026, 6, 1), cf_cflb="警告;通报批评", cf_nr_fk="")
    record_id = store(session, company.id, row)
    assert visible_records(session, PUBLIC, RecordQuery(record_id=record_id)).records == []
    staff = Principal(Role.CREDIT_OFFICE, None, "440100", "user:1")
    (shown,) = visible_records(session, staff, RecordQuery(record_id=record_id)).records
    assert shown.never_published and not shown.published


def test_status_as_of_follows_the_record_events(session, company, now):
    record_id = store(session, company.id, penalty(1, date(2026, 6, 1)))
    repaired_at = NOW + timedelta(hours=1)
    with clock.frozen_at(repaired_at), committing(session):
        records.change_status(
            session, session.get(Record, record_id), RecordStatus.REPAIRED, "user:1", "信用修复"
        )
    query = RecordQuery(record_id=record_id)
    staff = Principal(Role.CREDIT_OFFICE, None, "440100", "user:1")
    before = visible_records(session, staff, query, repaired_at - timedelta(seconds=1)).records
    assert [(r.status, r.published) for r in before] == [(RecordStatus.VALID, True)]
    assert [r.status for r in visible_records(session, staff, query, repaired_at).records] == [
        RecordStatus.REPAIRED
    ]
    # issue 11 item 6: the public never sees through as_of what it may not see now
    assert visible_records(session, PUBLIC, query, repaired_at - timedelta(seconds=1)).records == []
    assert visible_records(session, PUBLIC, query, repaired_at).records == []
    assert visible_records(session, PUBLIC, query).records == []


def test_objection_is_marked_and_as_of_before_it_is_not(session, company, now):
    record_id = store(session, company.id, penalty(1, date(2026, 6, 1)))
    opened = NOW + timedelta(hours=2)
    with clock.frozen_at(opened), committing(session):
        records.set_objection(session, session.get(Record, record_id), True, "user:1", "异议")
    query = RecordQuery(record_id=record_id)
    (then,) = visible_records(session, PUBLIC, query, NOW).records
    (later,) = visible_records(session, PUBLIC, query, opened).records
    assert (then.in_objection, later.in_objection) == (False, True)
    assert badges(session, PUBLIC, [company.id])[company.id] == {Badge.OBJECTION}


def test_as_of_shows_the_version_current_then(session, company, now):
    first = store(session, company.id, penalty(1, date(2026, 6, 1)))
    corrected_at = NOW + timedelta(days=1)
    with clock.frozen_at(corrected_at):
        second = store(session, company.id, penalty(1, date(2026, 6, 1), cf_nr_fk="6"))
    query = RecordQuery(subject_id=company.id)
    staff = Principal(Role.CREDIT_OFFICE, None, "440100", "user:1")
    with clock.frozen_at(corrected_at):
        assert [r.id for r in visible_records(session, staff, query, NOW).records] == [first]
        assert [r.id for r in visible_records(session, PUBLIC, query).records] == [second]
        # the public asks about the past with today's text, never a version corrected since
        assert [r.id for r in visible_records(session, PUBLIC, query, NOW).records] == [second]
        earlier = NOW - timedelta(days=1)
        for viewer in (staff, PUBLIC):  # not yet received
            assert visible_records(session, viewer, query, earlier).records == []


def test_staff_views_of_non_public_data_are_audited(session, company, now):
    shared = store(session, company.id, penalty(1, date(2026, 6, 1)), "xzcf_gx")
    staff = Principal(Role.CREDIT_OFFICE, None, "440100", "user:7")
    visible_records(session, PUBLIC, RecordQuery(subject_id=company.id))
    assert (
        session.scalars(select(AuditEntry).where(AuditEntry.action == "publication.view")).all()
        == []
    )
    visible_records(session, staff, RecordQuery(subject_id=company.id))
    (entry,) = session.scalars(select(AuditEntry).where(AuditEntry.action == "publication.view"))
    assert (entry.actor, entry.target_type, entry.target_id) == (
        "user:7",
        "subject",
        str(company.id),
    )
    assert entry.detail["records"] == [shared]


def test_badges_for_serious_and_trust(session, company, now):
    serious = penalty(1, date(2026, 6, 1))
    store(session, company.id, serious)
    session.execute(Record.__table__.update().values(severity="serious"))
    session.commit()
    assert badges(session, PUBLIC, [company.id]) == {company.id: {Badge.SERIOUS_DISHONESTY}}


def test_as_of_a_date_means_the_end_of_that_day():
    from xinyong.publication.service import as_of_moment

    assert as_of_moment(date(2026, 11, 23)) == datetime(
        2026, 11, 23, 15, 59, 59, 999999, tzinfo=UTC
    )


def test_staff_badges_from_non_public_records_are_audited(session, company, now):
    shared = store(session, company.id, penalty(1, date(2026, 6, 1)), "xzcf_gx")
    session.execute(Record.__table__.update().values(severity="serious"))
    session.commit()
    staff = Principal(Role.REGULATOR, None, "440100", "user:8")
    assert badges(session, PUBLIC, [company.id]) == {company.id: set()}
    assert badges(session, staff, [company.id]) == {company.id: {Badge.SERIOUS_DISHONESTY}}
    (entry,) = session.scalars(select(AuditEntry).where(AuditEntry.action == "publication.view"))
    assert (entry.actor, entry.detail["records"]) == ("user:8", [shared])
