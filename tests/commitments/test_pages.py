"""The entry forms of a commitment (issue 13): the window clerk's /admin/commitments/new and the
applicant's /account/commitments/new — choose, read the text filled in for the subject, declare,
sign — then the generic case page; the API's POST /api/v1/commitments for a department's key."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.applicants.sample import code_for
from tests.commitments.sample import COMPANY, FOOD, MONDAY, city
from tests.factories import (
    OTHER_USCC,
    PASSWORD,
    PERSON_ID,
    console_client,
    csrf_of,
    demo_row,
    store,
)
from xinyong import clock
from xinyong.auth import service as auth
from xinyong.commitments.models import CommitmentCase
from xinyong.db import committing
from xinyong.policy.enums import Role


@pytest.fixture
def town(session):  # type: ignore[no-untyped-def]
    return city(session)


def _window(app, session, town):  # type: ignore[no-untyped-def]
    with committing(session):
        auth.create_user(session, "window", PASSWORD, Role.SERVICE_WINDOW, "440100", "窗口", None)
    return console_client(app, "window")


def _read(client, town, base="/admin", **more):  # type: ignore[no-untyped-def]
    asked = {"template": FOOD, "matter": "食品经营许可（新办）", "department": town.market.id}
    return client.get(f"{base}/commitments/new", params=asked | more)


def test_the_window_files_a_commitment_read_with_the_subject_and_signed(app, session, town):
    client = _window(app, session, town)
    with clock.frozen_at(MONDAY):
        first = client.get("/admin/commitments/new")
        assert first.status_code == 200 and "食品经营许可容缺受理信用承诺书" in first.text
        page = _read(client, town, subject=town.company.uscc)
        assert page.status_code == 200, page.text
        assert COMPANY in page.text and "2026-12-14 前" in page.text and "登记签署" in page.text
        form = {
            "csrf": csrf_of(page.text),
            "template": FOOD,
            "matter": "食品经营许可（新办）",
            "department": town.market.id,
            "subject": town.company.uscc,
            "signer_name": "王五",
            "signer_document": "居民身份证",
            "signer_number": PERSON_ID,
            "declared": "yes",
        }
        done = client.post("/admin/commitments", data=form, follow_redirects=False)
        assert done.status_code == 303, done.text
        case = session.scalars(select(CommitmentCase)).one()
        assert done.headers["location"] == f"/admin/cases/{case.id}?done=sign"
        shown = client.get(done.headers["location"])
        assert shown.status_code == 200 and "已办理：签署承诺" in shown.text
        assert "认定违诺" not in shown.text  # the accepting department decides, not the window
    assert case.signer_name == "王五" and PERSON_ID not in str(case.details)


def test_without_the_declaration_the_form_says_so_in_chinese(app, session, town):
    client = _window(app, session, town)
    with clock.frozen_at(MONDAY):
        page = _read(client, town, subject=town.company.uscc)
        form = {
            "csrf": csrf_of(page.text),
            "template": FOOD,
            "matter": "食品经营许可（新办）",
            "department": town.market.id,
            "subject": town.company.uscc,
            "signer_name": "王五",
            "signer_number": PERSON_ID,
        }
        refused = client.post("/admin/commitments", data=form)
    assert refused.status_code == 400 and "勾选承诺声明" in refused.text


def test_a_barred_subject_sees_why_before_signing(app, session, town):
    """深圳 条例 第五十九条: the form names the bar and offers no signing."""
    with clock.frozen_at(MONDAY):
        row = demo_row("yzsxmd", town.company, MONDAY.date() - timedelta(days=30))
        store(session, town.company.id, row, "yzsxmd")
    client = _window(app, session, town)
    with clock.frozen_at(MONDAY):
        page = _read(client, town, subject=town.company.uscc)
    assert "被列入严重失信主体名单" in page.text and "登记签署" not in page.text


def test_a_role_that_may_not_sign_gets_the_403_page(app, session, town):
    with committing(session):
        auth.create_user(
            session, "bank", PASSWORD, Role.FINANCIAL_INSTITUTION, "440100", "银行", None
        )
    client = console_client(app, "bank")
    page = client.get("/admin/commitments/new")
    assert page.status_code == 403 and "不能登记信用承诺" in page.text


def test_the_applicant_signs_for_its_own_subject(app, session, town):
    client = TestClient(app)
    with clock.frozen_at(MONDAY):
        form = client.get("/account/activate").text
        code = code_for(session, town.company)
        data = {"code": code, "username": "zhang", "password": PASSWORD, "csrf": csrf_of(form)}
        client.post("/account/activate", data=data)
        page = _read(client, town, base="/account")
        assert page.status_code == 200, page.text
        assert (
            COMPANY in page.text and "签署承诺" in page.text and "签署人证件号码" not in page.text
        )
        form = {
            "csrf": csrf_of(page.text),
            "template": FOOD,
            "matter": "食品经营许可（新办）",
            "department": town.market.id,
            "declared": "yes",
        }
        done = client.post("/account/commitments", data=form, follow_redirects=False)
        assert done.status_code == 303, done.text
        case = session.scalars(select(CommitmentCase)).one()
        assert done.headers["location"] == f"/account/cases/{case.id}?done=sign"
        assert client.get("/account/cases").text.count(f"/account/cases/{case.id}") >= 1
    assert (case.subject_id, case.channel) == (town.company.id, "online")


def test_a_department_key_signs_through_the_api(client, session, town):
    with committing(session):
        key = auth.create_api_key(session, town.market, "政务服务窗口系统")
    body = {
        "template": FOOD,
        "uscc": town.company.uscc,
        "declared": True,
        "signer": {"name": "王五", "number": PERSON_ID},
    }
    with clock.frozen_at(MONDAY):
        made = client.post("/api/v1/commitments", json=body, headers={"X-API-Key": key})
        assert made.status_code == 201, made.text
        answer = made.json()
        assert (answer["state_label"], answer["fulfil_by"]) == ("履约中", "2026-12-14")
        assert answer["department_id"] == town.market.id and COMPANY in answer["text"]
        step = {"transition": "fulfil", "data": {"evidence": "材料已补齐"}}
        kept = client.post(
            f"/api/v1/cases/{answer['id']}/transitions", json=step, headers={"X-API-Key": key}
        )
        assert kept.status_code == 200 and kept.json()["state"] == "fulfilled"
        unknown = client.post(
            "/api/v1/commitments",
            json=body | {"uscc": OTHER_USCC.replace("T", "X")},
            headers={"X-API-Key": key},
        )
    assert unknown.status_code == 400 and unknown.json()["code"] == "commitments.subject"
