"""POST /api/v1/checks, /checks/batch, /checks/{id}/feedback and GET /checks/figures."""

import csv
import io
import json
from datetime import UTC, date, datetime

import pytest

from tests.factories import COMPANY_USCC, demo_row, store
from xinyong import clock
from xinyong.auth import service as auth
from xinyong.db import committing
from xinyong.policy.enums import SubjectType
from xinyong.subjects.service import SubjectIn, register


@pytest.fixture(autouse=True)
def now():
    with clock.frozen_at(datetime(2026, 11, 23, 4, 0, tzinfo=UTC)):
        yield


@pytest.fixture
def key(session):
    with committing(session):
        company = register(
            session, SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC)
        )
        department = auth.create_department(session, "gz-czj", "广州市财政局", "440100")
        plain = auth.create_api_key(session, department, "政府采购系统")
    store(session, company.id, demo_row("sxbzxr", company, date(2026, 5, 1)), "sxbzxr")
    return plain


def test_one_check_names_lists_and_measures_with_legal_basis(client, key):
    response = client.post(
        "/api/v1/checks",
        headers={"X-API-Key": key},
        json={"subject": {"uscc": COMPANY_USCC}, "matter": "procurement"},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["found"] and body["lists"][0]["name"] == "严重失信主体名单"
    assert body["measures"][0]["legal_basis"] == "《中华人民共和国政府采购法》第二十二条"
    feedback = client.post(
        f"/api/v1/checks/{body['check_id']}/feedback",
        headers={"X-API-Key": key},
        json={"measure": "C01", "applied": True},
    )
    assert feedback.status_code == 201
    (figure,) = client.get("/api/v1/checks/figures", headers={"X-API-Key": key}).json()
    assert (figure["hits"], figure["feedback_rate"]) == (1, 1.0)


def test_a_batch_reports_each_subject(client, key):
    subjects = [{"uscc": COMPANY_USCC}, {"name": "无此公司", "code": COMPANY_USCC}, {}]
    response = client.post(
        "/api/v1/checks/batch",
        headers={"X-API-Key": key},
        json={"subjects": subjects, "matter": "bidding"},
    )
    body = response.json()
    assert (response.status_code, body["checks"], body["hits"]) == (201, 3, 1)
    assert [i["found"] for i in body["items"]] == [True, False, False]
    assert "未找到" in body["items"][2]["message"]


def test_checks_need_a_caller_and_a_known_matter(client, key):
    payload = {"subject": {"uscc": COMPANY_USCC}, "matter": "procurement"}
    assert client.post("/api/v1/checks", json=payload).status_code == 401
    unknown = client.post(
        "/api/v1/checks", headers={"X-API-Key": key}, json={**payload, "matter": "x"}
    )
    assert unknown.status_code == 400 and "未知的事项" in unknown.json()["message"]
    missing = client.post(
        "/api/v1/checks",
        headers={"X-API-Key": key},
        json={"subject": {"uscc": "91440106MA5CXQ2B00"}, "matter": "procurement"},
    )
    assert missing.status_code == 422 and "校验位错误" in missing.json()["message"]
    assert client.post("/api/v1/checks", headers={"X-API-Key": key}, json={}).status_code == 422


def test_as_of_before_the_listing_answers_without_it(client, key):
    response = client.post(
        "/api/v1/checks",
        headers={"X-API-Key": key},
        json={"subject": {"uscc": COMPANY_USCC}, "matter": "procurement", "as_of": "2026-04-30"},
    )
    assert response.json()["measures"] == []


def test_a_batch_streams_as_ndjson_or_csv_with_the_same_answers(client, key):
    subjects = [{"uscc": COMPANY_USCC}, {"name": "无此公司", "code": COMPANY_USCC}]
    body = {"subjects": subjects, "matter": "bidding"}
    headers = {"X-API-Key": key}
    lines = client.post(
        "/api/v1/checks/batch", headers={**headers, "Accept": "application/x-ndjson"}, json=body
    )
    assert lines.status_code == 201 and lines.headers["content-type"] == "application/x-ndjson"
    head, *items = [json.loads(line) for line in lines.text.splitlines()]
    assert (head, [i["found"] for i in items]) == ({"checks": 2, "hits": 1}, [True, False])
    assert items[0]["lists"][0]["name"] == "严重失信主体名单"
    table = client.post("/api/v1/checks/batch?format=csv", headers=headers, json=body)
    assert table.status_code == 201 and table.headers["content-type"].startswith("text/csv")
    assert table.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(table.content.decode("utf-8-sig"))))
    assert len(rows) == 3 and rows[1][1] == COMPANY_USCC and "严重失信主体名单" in rows[1]
    status = rows[0].index("subject_status")
    assert (rows[1][status], rows[2][status]) == ("存续", "")  # the second names no subject
    assert (
        client.post("/api/v1/checks/batch?format=xml", headers=headers, json=body).status_code
        == 422
    )
