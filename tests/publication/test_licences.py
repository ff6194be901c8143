"""A licence no longer valid is no longer published as valid (issue 11 item 11).

Source: 行政许可、行政处罚信用信息数据标准（2021年修订）“当前状态”（1 有效，2 无效）, and
catalog/xzxk.yaml: a licence whose 当前状态 is 无效 (注销、吊销、撤销) stops being published.
The API's status and the page read the same declaration."""

from datetime import date

import pytest
from sqlalchemy import select, update

from tests.factories import demo_row, store
from xinyong.auth import service as auth
from xinyong.db import committing
from xinyong.jobs import run_job
from xinyong.records.models import Record, RecordEvent, RecordStatus


@pytest.fixture
def provider(session, now):
    with committing(session):
        department = auth.create_department(session, "gz-xzsp", "广州市行政审批局", "440100")
        return department, auth.create_api_key(session, department, "审批系统")


def _licence(session, company, department, status, number="穗审批〔2026〕8号"):
    row = demo_row("xzxk", company, date(2026, 3, 2))
    row.update(xk_wsh=number, xk_yxqz="2026-03-02", xk_yxqzi="2031-03-01", xk_zt=status)
    return store(session, company.id, row, "xzxk", department)


def test_an_invalid_licence_is_not_published_and_its_status_says_invalid(
    client, session, company, provider
):
    """issue 11 item 11: 当前状态 无效 → the record's status is 无效 in the API (as on the page)
    and the public no longer sees it, though 有效期至 is years away."""
    department, key = provider
    valid = _licence(session, company, department, "有效", "穗审批〔2026〕7号")
    invalid = _licence(session, company, department, "无效")
    assert client.get(f"/api/v1/records/{valid}").json()["status_label"] == "有效"
    assert client.get(f"/api/v1/records/{invalid}").status_code == 404
    public = client.get(f"/api/v1/subjects/{company.id}/records").json()["items"]
    assert [r["id"] for r in public] == [valid]
    staff = client.get(f"/api/v1/records/{invalid}", headers={"X-API-Key": key}).json()
    shown = {f["label"]: f["value"] for f in staff["fields"]}
    assert staff["status_label"] == shown["当前状态"] == "无效"
    assert staff["publish_until"] == staff["publish_from"]  # publication ended: never as valid
    assert "穗审批〔2026〕8号" not in client.get(f"/subjects/{company.id}?tab=xzxk").text


def test_a_licence_corrected_to_invalid_stops_being_published(client, session, company, provider):
    """issue 11 item 11: the department re-sends the licence with 当前状态 无效 (注销)."""
    department, _ = provider
    first = _licence(session, company, department, "有效")
    assert client.get(f"/api/v1/records/{first}").status_code == 200
    second = _licence(session, company, department, "无效")
    assert second != first
    for record_id in (first, second):
        assert client.get(f"/api/v1/records/{record_id}").status_code == 404
    assert client.get(f"/api/v1/subjects/{company.id}/records").json()["items"] == []


def test_the_expiry_job_ends_invalid_licences_stored_before_the_rule(
    sessions, session, company, provider
):
    """issue 11 item 11: a licence stored as 有效 before `invalid_when` existed, whose 当前状态
    is 无效, gets the status 无效 from the expiry job, with an event; a valid one is left."""
    department, _ = provider
    valid = _licence(session, company, department, "有效", "穗审批〔2026〕7号")
    invalid = _licence(session, company, department, "无效")
    session.execute(update(Record).values(status=RecordStatus.VALID.value))  # as stored before
    session.commit()
    assert run_job(sessions, "expire") == 1
    session.expire_all()
    assert session.get(Record, invalid).status == RecordStatus.INVALID
    assert session.get(Record, valid).status == RecordStatus.VALID
    (event,) = session.scalars(select(RecordEvent).where(RecordEvent.record_id == invalid))
    assert (event.from_status, event.to_status) == ("valid", "invalid")
    assert run_job(sessions, "expire") == 0
