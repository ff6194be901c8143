"""GET /api/v1/subjects, /subjects/{id}, /subjects/{id}/records, /records/{id}, /lists: the
public view when anonymous, the provider's fuller view by API key, audited."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from tests.factories import COMPANY_USCC, PERSON_ID, demo_row, penalty, store
from xinyong import clock, codes
from xinyong.auth import service as auth
from xinyong.auth.models import AuditEntry
from xinyong.db import committing
from xinyong.policy.enums import SubjectType
from xinyong.subjects.service import SubjectIn, register

NOW = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def now():
    with clock.frozen_at(NOW):
        yield NOW


@pytest.fixture
def company(session):
    with committing(session):
        return register(
            session, SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC)
        )


@pytest.fixture
def provider(session):
    with committing(session):
        department = auth.create_department(session, "gz-scjgj", "广州市市场监督管理局", "440100")
        return department, auth.create_api_key(session, department, "执法系统")


def test_search_finds_by_fragment_with_badges(client, session, company):
    store(session, company.id, penalty(1, date(2026, 6, 1)))
    body = client.get("/api/v1/subjects", params={"q": "某某科"}).json()
    assert body["total"] == 1
    (hit,) = body["items"]
    assert (hit["name"], hit["uscc"], hit["region_name"]) == (
        "广州市某某科技有限公司",
        COMPANY_USCC,
        "天河区",
    )
    assert hit["badges"] == []


def test_an_empty_query_is_a_400_in_chinese(client):
    response = client.get("/api/v1/subjects", params={"q": " "})
    assert response.status_code == 400
    assert response.json()["message"] == "请输入主体名称或统一社会信用代码"


def test_archive_and_records_in_the_public_view(client, session, company):
    record_id = store(session, company.id, penalty(1, date(2026, 6, 1)))
    archive = client.get(f"/api/v1/subjects/{company.id}").json()
    sections = {s["category"]: s["records"] for s in archive["sections"]}
    assert sections["行政处罚"] == 1 and sections["行政许可"] == 0
    (record,) = client.get(f"/api/v1/subjects/{company.id}/records").json()["items"]
    assert (record["id"], record["view"], record["status_label"]) == (record_id, "public", "有效")
    assert record["repair_from"] == "2026-09-01"  # 令第36号: general, repair after 3 months
    labels = {f["label"] for f in record["fields"]}
    assert "法定代表人证件号码" not in labels and "处罚类别" in labels


def test_a_provider_key_gets_its_own_records_in_full_and_is_audited(
    client, session, company, provider
):
    department, key = provider
    record_id = store(session, company.id, penalty(1, date(2026, 6, 1)), department=department)
    response = client.get(f"/api/v1/records/{record_id}", headers={"X-API-Key": key})
    assert response.json()["view"] == "full"
    ids = {f["label"]: f["value"] for f in response.json()["fields"]}
    assert ids["法定代表人证件号码"] == codes.mask_id_number(PERSON_ID)
    entry = session.scalar(select(AuditEntry).where(AuditEntry.action == "publication.view"))
    assert entry is not None and entry.actor == "department:gz-scjgj"


def test_a_wrong_key_is_401_not_the_public_view(client, company):
    response = client.get(f"/api/v1/subjects/{company.id}", headers={"X-API-Key": "xy_nope"})
    assert response.status_code == 401


def test_as_of_before_the_record_was_received_hides_it(client, session, company):
    store(session, company.id, penalty(1, date(2026, 6, 1)))
    url = f"/api/v1/subjects/{company.id}/records"
    assert client.get(url, params={"as_of": "2026-11-22"}).json()["items"] == []
    assert len(client.get(url, params={"as_of": "2026-11-23T13:00:00"}).json()["items"]) == 1
    assert client.get(url, params={"as_of": "soon"}).status_code == 422


def test_missing_and_hidden_records_are_the_same_404(client, session, company):
    record_id = store(session, company.id, penalty(1, date(2025, 1, 10)))  # window over
    hidden = client.get(f"/api/v1/records/{record_id}")
    missing = client.get(f"/api/v1/records/{record_id + 99}")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["code"] == missing.json()["code"] == "record.not_found"
    assert client.get("/api/v1/subjects/999999").status_code == 404


def test_lists_filter_by_kind_item_region_and_date(client, session, company):
    store(session, company.id, demo_row("sxbzxr", company, date(2026, 5, 1)), "sxbzxr")
    store(session, company.id, demo_row("nsxyA", company, date(2026, 4, 1)), "nsxyA")
    black = client.get("/api/v1/lists", params={"kind": "black"}).json()
    red = client.get("/api/v1/lists", params={"kind": "red"}).json()
    assert [i["item_code"] for i in black["items"]] == ["sxbzxr"]
    assert [i["item_code"] for i in red["items"]] == ["nsxyA"]
    later = client.get("/api/v1/lists", params={"kind": "red", "decided_from": "2026-05-01"})
    assert later.json()["total"] == 0
    elsewhere = client.get("/api/v1/lists", params={"kind": "black", "region": "440300"})
    assert elsewhere.json()["total"] == 0
    badges = client.get("/api/v1/subjects", params={"q": COMPANY_USCC}).json()["items"][0]
    assert badges["badges"] == ["守信激励", "严重失信"]
    reversed_dates = {"decided_from": "2026-06-01", "decided_to": "2026-01-01"}
    assert client.get("/api/v1/lists", params=reversed_dates).status_code == 400
