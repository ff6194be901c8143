"""GET /api/v1/checks/{id}/receipt.pdf (issue 17): the printed 联合奖惩核查结果 — its text (the
number, the subject, the matter, the list found, the measure with its legal basis, the checking
department), the same file on every print, only for the department that made the check, and
verifiable at /verify like a credit report (genuine, altered, made up)."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime

import pytest

from tests.factories import COMPANY_USCC, PERSON_ID, csrf_of, demo_row, store
from tests.reports.pdf import needs_poppler, text_of
from xinyong import clock
from xinyong.auth import service as auth
from xinyong.db import committing
from xinyong.policy.enums import SubjectType
from xinyong.subjects.service import SubjectIn, register

pytestmark = needs_poppler


@pytest.fixture(autouse=True)
def now():
    with clock.frozen_at(datetime(2026, 11, 23, 4, 0, tzinfo=UTC)):
        yield


@pytest.fixture
def keys(session):
    with committing(session):
        company = register(
            session, SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC)
        )
        register(session, SubjectIn(SubjectType.NATURAL_PERSON, "王小明", id_number=PERSON_ID))
        finance = auth.create_department(session, "gz-czj", "广州市财政局", "440100")
        other = auth.create_department(session, "gz-jtj", "广州市交通运输局", "440100")
        mine = auth.create_api_key(session, finance, "政府采购系统")
        theirs = auth.create_api_key(session, other, "交通系统")
    store(session, company.id, demo_row("sxbzxr", company, date(2026, 5, 1)), "sxbzxr")
    return {"mine": {"X-API-Key": mine}, "theirs": {"X-API-Key": theirs}}


def _check(client, headers, subject):
    response = client.post(
        "/api/v1/checks", headers=headers, json={"subject": subject, "matter": "procurement"}
    )
    assert response.status_code == 201, response.text
    return response.json()["check_id"]


def test_the_receipt_says_what_the_check_answered_and_reprints_the_same_file(
    client, keys, tmp_path
):
    check_id = _check(client, keys["mine"], {"uscc": COMPANY_USCC})
    first = client.get(f"/api/v1/checks/{check_id}/receipt.pdf", headers=keys["mine"])
    assert first.status_code == 200 and first.headers["content-type"] == "application/pdf"
    assert first.headers["cache-control"] == "private, no-store"
    text = text_of(tmp_path, first.content)
    for expected in (
        "联合奖惩核查结果",
        "广州市某某科技有限公司",
        COMPANY_USCC,
        "政府采购",
        "严重失信主体名单",
        "《中华人民共和国政府采购法》第二十二条",
        "广州市财政局",
        "命中1项联合奖惩措施",
        "第1页/共1页",
    ):
        assert expected in text, expected
    number = next(w for w in text.split("凭证编号：")[1:2])[:21]
    assert number.startswith("XYHC2026")
    again = client.get(f"/api/v1/checks/{check_id}/receipt.pdf", headers=keys["mine"])
    assert again.content == first.content


def test_a_person_is_masked_and_a_clean_check_says_nothing_was_found(client, keys, tmp_path):
    check_id = _check(client, keys["mine"], {"id_number": PERSON_ID})
    pdf = client.get(f"/api/v1/checks/{check_id}/receipt.pdf", headers=keys["mine"]).content
    text = text_of(tmp_path, pdf)
    assert "王小明" not in text and PERSON_ID not in text and "王**" in text
    assert "未发现该主体列入红名单、黑名单或重点关注名单" in text


def test_only_the_department_that_checked_gets_the_receipt(client, keys):
    check_id = _check(client, keys["mine"], {"uscc": COMPANY_USCC})
    other = client.get(f"/api/v1/checks/{check_id}/receipt.pdf", headers=keys["theirs"])
    missing = client.get("/api/v1/checks/999999/receipt.pdf", headers=keys["theirs"])
    assert other.status_code == missing.status_code == 404  # ids are guessable: one answer
    assert other.json()["code"] == missing.json()["code"] == "checks.not_found"
    assert client.get(f"/api/v1/checks/{check_id}/receipt.pdf").status_code == 401


def test_the_receipt_verifies_and_an_altered_or_made_up_one_does_not(client, keys, tmp_path):
    check_id = _check(client, keys["mine"], {"uscc": COMPANY_USCC})
    pdf = client.get(f"/api/v1/checks/{check_id}/receipt.pdf", headers=keys["mine"]).content
    number = text_of(tmp_path, pdf).split("凭证编号：")[1][:21]
    genuine = client.get(
        f"/api/v1/reports/verify/{number}", params={"sha256": hashlib.sha256(pdf).hexdigest()}
    ).json()
    assert genuine["matches"] is True and genuine["receipt"] is True
    assert genuine["kind"] == "联合奖惩核查结果" and genuine["sections"] == ["严重失信主体名单"]
    assert genuine["subject_name"] == "广州市某某科技有限公司" and genuine["period"] == "政府采购"
    altered = pdf[:-40] + bytes([pdf[-40] ^ 1]) + pdf[-39:]
    forged = client.get(
        f"/api/v1/reports/verify/{number}", params={"sha256": hashlib.sha256(altered).hexdigest()}
    ).json()
    assert forged["matches"] is False
    made_up = number[:-2] + ("0" if number[-2] != "0" else "1") + number[-1]
    assert client.get(f"/api/v1/reports/verify/{made_up}").status_code == 404
    data = {"number": number.lower(), "csrf": csrf_of(client.get("/verify").text)}
    page = client.post("/verify", data=data, files={"file": ("r.pdf", pdf, "application/pdf")})
    assert "核验通过" in page.text and "办理事项" in page.text
