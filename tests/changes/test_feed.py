"""The change feed (issue 13, Sync): every repair, revocation, expiry, correction and 异议中 mark
reaches partner platforms once, in order, by cursor, with the subject's ID number masked and
whether the record is still public — so that no downstream site keeps a repaired record
(国办发〔2025〕22号: repair results are shared with 信用中国 and credit agencies, which update)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from tests.factories import (
    AUTHORITY_USCC,
    COMPANY_USCC,
    PASSWORD,
    PERSON_ID,
    console_client,
    penalty,
    store,
)
from xinyong import clock
from xinyong.auth import service as auth
from xinyong.auth.models import AuditEntry, Department
from xinyong.auth.principal import PUBLIC, Principal
from xinyong.catalog import get_item, validate_payload
from xinyong.changes import feed
from xinyong.cli import app as cli_app
from xinyong.db import committing
from xinyong.errors import Busy, DomainError, PermissionDenied
from xinyong.policy.enums import Role, SubjectType
from xinyong.records import service as records
from xinyong.records import status
from xinyong.records.models import Record, RecordStatus
from xinyong.subjects.service import SubjectIn, register

MONDAY = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # 12:00 in Beijing
DECIDED = date(2026, 9, 1)  # a penalty published now (一般: at least 3 months)


@pytest.fixture
def city(session):
    """A providing department of 广州, the province's platform and 深圳's credit agency as
    partners, a company and a person with a published penalty each."""
    with clock.frozen_at(MONDAY), committing(session):
        provider = auth.create_department(
            session, "gz-scjg", "广州市市场监督管理局", "440100", AUTHORITY_USCC
        )
        province = auth.create_department(session, "gd-xy", "广东省公共信用信息平台", "440000")
        elsewhere = auth.create_department(session, "sz-xyjg", "深圳某信用服务机构", "440300")
        company = register(
            session, SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC)
        )
        person = register(
            session, SubjectIn(SubjectType.NATURAL_PERSON, "李四", id_number=PERSON_ID)
        )
    with clock.frozen_at(MONDAY):
        company_record = store(session, company.id, penalty(1, DECIDED), department=provider)
        person_row = penalty(
            2, DECIDED, cf_xdr_mc="李四", cf_xdr_lb="自然人", cf_xdr_shxym="",
            cf_frdb="", cf_fr_zjlx="", cf_fr_zjhm="", cf_xdr_zjlx="身份证", cf_xdr_zjhm=PERSON_ID,
        )  # fmt: skip
        person_record = store(session, person.id, person_row, department=provider)
    return {
        "provider": provider,
        "province": Principal.of_partner(province),
        "elsewhere": Principal.of_partner(elsewhere),
        "company": company_record,
        "person": person_record,
        "session": session,
    }


def _repair(session, record_id: int, case_id: int | None = None) -> None:
    with clock.frozen_at(MONDAY), committing(session):
        record = session.get_one(Record, record_id)
        status.change(session, record, RecordStatus.REPAIRED, "user:7", "信用修复", case_id)


def _read(session, principal, since=None, limit=feed.DEFAULT_LIMIT) -> feed.ChangePage:
    with clock.frozen_at(MONDAY):
        return feed.read(session, principal, since, limit)


def test_a_repaired_record_reaches_the_partner_once_and_is_no_longer_public(city):
    """令第36号 / 国办发〔2025〕22号: a repaired record stops being published, and partners are
    told so — once: reading on from the cursor given brings nothing again."""
    session = city["session"]
    _repair(session, city["company"])
    page = _read(session, city["province"])
    assert [c.change for c in page.changes] == ["repaired"]
    change = page.changes[0]
    assert (change.from_status, change.to_status, change.public) == ("valid", "repaired", False)
    assert change.record.id == city["company"] and change.record.item_name == "行政处罚"
    assert change.record.document_number == "穗市监罚〔2026〕1号"
    assert change.record.decision_date == DECIDED
    assert change.subject.uscc == COMPANY_USCC and change.subject.id_number_masked is None
    assert change.label == "信用修复，停止公示" and page.next == change.cursor and not page.more
    again = _read(session, city["province"], page.next)
    assert again.changes == [] and again.next == page.next and not again.more


def test_pages_follow_the_cursor_in_order_without_gaps_or_repeats(city):
    session = city["session"]
    with clock.frozen_at(MONDAY), committing(session):
        for flag in (True, False, True, False):
            record = session.get_one(Record, city["company"])
            records.set_objection(session, record, flag, "user:7", "异议")
    _repair(session, city["person"])
    seen, cursor, pages = [], None, []
    while True:
        page = _read(session, city["province"], cursor, limit=2)
        pages.append((len(page.changes), page.more))
        seen += page.changes
        if not page.changes:
            break
        cursor = page.next
    assert pages == [(2, True), (2, True), (1, False), (0, False)]
    cursors = [int(c.cursor) for c in seen]
    assert cursors == sorted(set(cursors))
    kinds = [c.change for c in seen]
    assert kinds == ["objection_opened", "objection_closed"] * 2 + ["repaired"]
    assert [c.public for c in seen[:4]] == [True] * 4  # kept up marked 异议中, then cleared


def test_a_persons_id_number_is_masked_never_plain(city):
    session = city["session"]
    _repair(session, city["person"])
    (change,) = _read(session, city["province"]).changes
    assert change.subject.uscc is None and change.subject.name == "李四"
    masked = change.subject.id_number_masked
    assert masked == PERSON_ID[:4] + "*" * 10 + PERSON_ID[-4:]
    assert PERSON_ID not in repr(change)


def test_a_correction_sent_again_is_a_corrected_change_on_the_new_version(city):
    """A re-sent record with changed content supersedes the current version: partners get a
    `corrected` change naming the new version, still public."""
    session = city["session"]
    item = get_item("xzcf")
    with clock.frozen_at(MONDAY):
        row = penalty(1, DECIDED, cf_nr_fk="6", cf_nr="罚款人民币陆万元")
        values = validate_payload(item, row, received_on=clock.today()).values
        old = session.get_one(Record, city["company"])
        draft = records.RecordDraft(
            old.subject_id, values, department_id=city["provider"].id, region_code="440106"
        )
        with committing(session):
            (stored,) = records.store_many(session, item, [draft])
            again = records.store_many(session, item, [draft])  # the same content: no change
    assert stored.outcome is records.Outcome.CORRECTED
    assert again[0].outcome is records.Outcome.UNCHANGED
    (change,) = _read(session, city["province"]).changes
    assert change.change == "corrected" and change.record.id == stored.record_id
    assert change.record.version == 2 and change.public
    assert (change.from_status, change.to_status) == ("valid", "valid")


def test_an_old_versions_change_reports_whether_the_record_is_public_now(city):
    session = city["session"]
    with clock.frozen_at(MONDAY), committing(session):
        records.set_objection(session, session.get_one(Record, city["company"]), True, "u", "异议")
    _repair(session, city["company"])
    first, second = _read(session, city["province"]).changes
    assert (first.change, second.change) == ("objection_opened", "repaired")
    assert not first.public and not second.public  # public as of reading, not as of the change


def test_a_partner_reads_the_changes_of_its_region_only(city):
    session = city["session"]
    _repair(session, city["company"])
    assert len(_read(session, city["province"]).changes) == 1
    assert _read(session, city["elsewhere"]).changes == []


@pytest.mark.parametrize("bad", ["abc", "-1", "１２", "1.5", "9" * 19])
def test_a_bad_cursor_is_refused_in_chinese(city, bad):
    with pytest.raises(DomainError) as refused:
        _read(city["session"], city["province"], bad)
    assert refused.value.code == "changes.bad_cursor" and "游标无效" in refused.value.message


def test_a_cursor_past_the_last_change_is_refused_as_ahead(city):
    _repair(city["session"], city["company"])
    last = _read(city["session"], city["province"]).next
    with pytest.raises(DomainError) as refused:
        _read(city["session"], city["province"], str(int(last) + 1))
    assert refused.value.code == "changes.cursor_ahead"


def test_each_reading_is_audited_naming_the_records_no_longer_public(city):
    session = city["session"]
    _repair(session, city["company"])
    _read(session, city["province"])
    session.rollback()
    (entry,) = session.scalars(select(AuditEntry).where(AuditEntry.action == "changes.read"))
    assert entry.actor == "partner:gd-xy"
    assert entry.detail["not_public"] == [city["company"]] and entry.detail["count"] == 1


@pytest.mark.parametrize(
    "principal",
    [
        Principal(Role.DATA_PROVIDER, 1, "440100", "department:gz-scjg"),
        Principal(Role.REGULATOR, 1, "440100", "user:3"),
        Principal(Role.SERVICE_WINDOW, 1, "440100", "user:4"),
        Principal(Role.FINANCIAL_INSTITUTION, None, "440100", "user:5"),
    ],
    ids=lambda p: p.actor,
)
def test_departments_and_other_staff_may_not_read_the_feed(city, principal):
    with pytest.raises(PermissionDenied) as refused:
        _read(city["session"], principal)
    assert refused.value.code == "changes.forbidden"
    assert refused.value.message.endswith("账号不能读取信用信息变更")


def test_the_credit_office_reads_what_partners_are_sent(city):
    _repair(city["session"], city["company"])
    office = Principal(Role.CREDIT_OFFICE, None, "440100", "user:2")
    assert [c.change for c in _read(city["session"], office).changes] == ["repaired"]


# --- over HTTP --------------------------------------------------------------------------


@pytest.fixture
def keys(city):
    session = city["session"]
    with clock.frozen_at(MONDAY), committing(session):
        province = session.scalar(select(Department).where(Department.code == "gd-xy"))
        partner = auth.create_api_key(session, province, "省平台同步", partner=True)
        department = auth.create_api_key(session, city["provider"], "业务系统")
        auth.create_user(
            session, "office", PASSWORD, Role.CREDIT_OFFICE, "440100", "信用办", city["provider"]
        )
    return {"partner": {"X-API-Key": partner}, "department": {"X-API-Key": department}}


def test_a_partner_key_reads_the_feed_over_http(app, city, keys):
    _repair(city["session"], city["person"])
    client = TestClient(app)
    with clock.frozen_at(MONDAY):
        answer = client.get("/api/v1/changes", params={"limit": 10}, headers=keys["partner"])
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert PERSON_ID not in answer.text
    (change,) = body["changes"]
    assert change["change"] == "repaired" and change["public"] is False
    assert change["subject"]["id_number_masked"] and change["record"]["natural_key"]
    assert body["next"] == change["cursor"] and body["more"] is False


@pytest.mark.parametrize(
    ("method", "path", "json"),
    [
        ("post", "/api/v1/batches", {"item": "xzcf", "records": []}),
        ("get", "/api/v1/batches", None),
        ("get", "/api/v1/cases", None),
        ("get", "/api/v1/whoami", None),
        ("post", "/api/v1/cases/1/transitions", {"transition": "notify"}),
        ("post", "/api/v1/checks", {"subject": {"uscc": COMPANY_USCC}, "matter": "procurement"}),
        ("post", "/api/v1/checks/batch", {"subjects": [{"uscc": COMPANY_USCC}], "matter": "x"}),
    ],
)
def test_a_partner_key_may_do_nothing_else(app, city, keys, method, path, json):
    client = TestClient(app)
    with clock.frozen_at(MONDAY):
        body = {"json": json} if json else {}
        answer = getattr(client, method)(path, headers=keys["partner"], **body)
    assert answer.status_code == 403, (path, answer.status_code, answer.text)
    assert re.search("合作方", answer.json()["message"]), answer.text
    session = city["session"]
    session.rollback()
    refusals = session.scalars(select(AuditEntry).where(AuditEntry.actor == "partner:gd-xy"))
    assert [e.action for e in refusals] == ["permission.refused"]


def test_a_department_key_and_the_public_may_not_read_the_feed(app, keys):
    client = TestClient(app)
    with clock.frozen_at(MONDAY):
        by_key = client.get("/api/v1/changes", headers=keys["department"])
        anonymous = client.get("/api/v1/changes")
    assert by_key.status_code == 403
    assert by_key.json() == {
        "code": "changes.forbidden",
        "message": "数据提供部门账号不能读取信用信息变更",
    }
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "auth.required"


def test_the_credit_offices_session_reads_the_feed(app, keys):
    with clock.frozen_at(MONDAY):
        office = console_client(app, "office")
        assert office.get("/api/v1/changes").status_code == 200


@pytest.mark.parametrize(
    ("params", "code"),
    [({"since": "abc"}, "changes.bad_cursor"), ({"limit": 1001}, None), ({"limit": 0}, None)],
)
def test_bad_paging_gets_a_clear_answer(app, keys, params, code):
    with clock.frozen_at(MONDAY):
        answer = TestClient(app).get("/api/v1/changes", params=params, headers=keys["partner"])
    assert answer.status_code == (400 if code else 422), answer.text
    if code:
        assert answer.json()["code"] == code and "游标无效" in answer.json()["message"]


def test_the_public_sees_nothing_of_the_feed(city):
    with pytest.raises(auth.AuthError):
        _read(city["session"], PUBLIC)


def test_departments_api_key_partner_issues_a_key_that_reads_only_the_feed(
    app, session, settings, city
):
    runner = CliRunner()
    url = settings.effective_database_url
    issued = runner.invoke(
        cli_app, ["departments", "api-key", "gd-xy", "--name", "省平台", "--partner",
                  "--database-url", url],
    )  # fmt: skip
    assert issued.exit_code == 0, issued.output
    key = re.findall(r"xy_[\w-]+", issued.output.replace("\n", ""))[0]  # Rich wraps it
    assert "合作方密钥" in issued.output
    listed = runner.invoke(cli_app, ["departments", "api-keys", "gd-xy", "--database-url", url])
    assert "合作方" in listed.output
    client = TestClient(app)
    with clock.frozen_at(MONDAY):
        assert client.get("/api/v1/changes", headers={"X-API-Key": key}).status_code == 200
        refused = client.get("/api/v1/batches", headers={"X-API-Key": key})
    assert refused.status_code == 403 and refused.json()["code"] == "changes.partner_only"


def test_on_postgresql_a_page_waits_for_a_change_still_being_written(city, sessions, monkeypatch):
    """Ids are drawn before commit: a reader must not hand out a cursor past a change another
    transaction is still writing (it would never be read). Here it answers busy instead."""
    session = city["session"]
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time: its ids are in commit order")
    monkeypatch.setattr(feed, "LOCK_WAIT_MS", 200)
    with sessions() as writer, clock.frozen_at(MONDAY):
        record = writer.get_one(Record, city["company"])
        status.change(writer, record, RecordStatus.REPAIRED, "user:7", "信用修复")
        with pytest.raises(Busy) as busy:
            _read(session, city["province"])
        assert busy.value.code == "changes.busy"
        writer.commit()
    assert [c.change for c in _read(session, city["province"]).changes] == ["repaired"]


def test_changes_to_records_the_public_never_sees_are_not_in_the_feed(city):
    """A city's 政务共享 item (公积金缴存, `disclosure: shared`): partners copy public records
    only, so its changes would name a subject's record they could never see."""
    from tests.fixtures import CITY
    from xinyong.policy import use_policy

    use_policy(CITY)
    session = city["session"]
    with clock.frozen_at(MONDAY):
        row = {"dw_mc": "广州市某某科技有限公司", "dw_shxym": COMPANY_USCC, "jc_ny": "2026-10-01"}
        company = session.get_one(Record, city["company"]).subject_id
        shared = store(session, company, row, "gjjjc", department=city["provider"])
    _repair(session, shared)
    _repair(session, city["company"])
    changes = _read(session, city["province"]).changes
    assert [(c.record.item_code, c.change) for c in changes] == [("xzcf", "repaired")]
