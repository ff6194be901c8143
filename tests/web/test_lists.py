"""The console listing page: a provider's clerk takes a subject through 拟列入 → 告知 → 陈述申辩 →
列入 → 移出 without JavaScript, and the portal shows the entry while it is listed."""

from datetime import UTC, datetime

import pytest

from tests.factories import AUTHORITY_USCC, COMPANY_USCC, csrf_of
from xinyong import clock
from xinyong.auth import service as auth
from xinyong.auth.models import Role
from xinyong.db import committing
from xinyong.lists.models import CaseStatus, ListCase
from xinyong.policy.enums import SubjectType
from xinyong.subjects.service import SubjectIn, register

PASSWORD = "listing-clerk-password"


@pytest.fixture
def clerk(client, session):
    with clock.frozen_at(datetime(2026, 11, 16, 2, 0, tzinfo=UTC)), committing(session):
        company = register(
            session, SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC)
        )
        department = auth.create_department(
            session, "gz-rsj", "广州市人力资源和社会保障局", "440100", AUTHORITY_USCC
        )
        auth.create_user(
            session, "zhao", PASSWORD, Role.DATA_PROVIDER, "440100", "赵敏", department
        )
    form = client.get("/admin/login").text
    client.post(
        "/admin/login", data={"username": "zhao", "password": PASSWORD, "csrf": csrf_of(form)}
    )
    return company


def test_a_clerk_lists_and_removes_a_subject(client, session, clerk):
    page = client.get("/admin/lists").text
    token = csrf_of(page)
    proposal = {
        "list_type": "serious_dishonesty",
        "uscc": COMPANY_USCC.lower(),
        "document_number": "穗人社失信〔2026〕9号",
        "reason": "拖欠农民工工资数额较大",
        "legal_basis": "《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》",
        "csrf": token,
    }
    with clock.frozen_at(datetime(2026, 11, 16, 2, 0, tzinfo=UTC)):
        done = client.post("/admin/lists", data=proposal)
        assert "已登记拟列入" in done.text
        case_id = session.query(ListCase.id).scalar()
        assert (
            "陈述申辩期至 2026-11-23"
            in client.post(f"/admin/lists/{case_id}/notify", data={"csrf": token}).text
        )
        early = client.post(f"/admin/lists/{case_id}/enter", data={"csrf": token})
        assert early.status_code == 400 and "期满后" in early.text
        client.post(f"/admin/lists/{case_id}/statement", data={"csrf": token, "text": "无异议"})
        assert (
            "已列入并公示"
            in client.post(f"/admin/lists/{case_id}/enter", data={"csrf": token}).text
        )
        archive = client.get(f"/subjects/{clerk.id}?tab=sxcj").text
        assert "严重失信主体名单" in archive and "穗人社失信〔2026〕9号" in archive
        removed = client.post(
            f"/admin/lists/{case_id}/remove",
            data={"csrf": token, "how": "repair", "text": "已完成信用修复"},
        )
        assert "已移出" in removed.text
        assert "穗人社失信〔2026〕9号" not in client.get(f"/subjects/{clerk.id}?tab=sxcj").text
    session.expire_all()
    assert session.get(ListCase, case_id).status == CaseStatus.REMOVED


def test_unknown_subject_and_stale_form_are_clear_errors(client, clerk):
    token = csrf_of(client.get("/admin/lists").text)
    missing = client.post(
        "/admin/lists",
        data={"list_type": "serious_dishonesty", "uscc": "X", "csrf": token},
    )
    assert missing.status_code == 400 and "未找到统一社会信用代码为 X 的主体" in missing.text
    stale = client.post("/admin/lists/1/notify", data={"csrf": "old"})
    assert "页面已过期" in stale.text
