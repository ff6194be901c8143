"""Who may do what (issue 11 items 1, 3, 8 and 18): every caller — anonymous, a wrong key, the
keys of two departments, staff of each role and a credit office of another city — against the
routes that act on a department's objects: listing cases, proposals, check feedback, batches.
A refusal changes nothing and leaves a `permission.refused` entry in the audit log that names
the actor, the action and the target, committed although the request itself is rolled back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.factories import (
    AUTHORITY_USCC,
    COMPANY_USCC,
    console_client,
    csrf_of,
    demo_row,
    penalty,
    penalty_row,
    store,
    write_csv,
)
from xinyong import clock
from xinyong.auth import audit
from xinyong.auth import service as auth
from xinyong.auth.models import AuditEntry, Role
from xinyong.auth.principal import PUBLIC, Principal
from xinyong.collection.models import Batch
from xinyong.db import committing
from xinyong.errors import DomainError, NotFound
from xinyong.lists import service as lists
from xinyong.lists.models import CaseStatus, ListCase
from xinyong.measures import service as checks
from xinyong.measures.identify import SubjectKey
from xinyong.measures.models import CheckFeedback
from xinyong.policy.enums import SubjectType
from xinyong.subjects.models import Subject
from xinyong.subjects.service import SubjectIn, register

PASSWORD = "authorisation-test-password"
MONDAY = datetime(2026, 11, 16, 2, 0, tzinfo=UTC)  # 10:00 in Beijing
REFUSED = "permission.refused"


@dataclass
class Caller:
    name: str
    client: TestClient
    actor: str | None  # as the audit log names it; None for callers nobody can name
    headers: dict[str, str]


@dataclass
class World:
    callers: dict[str, Caller]
    departments: dict[str, object]
    company_id: int


def _login(app, username: str) -> TestClient:
    return console_client(app, username, PASSWORD)


STAFF = {  # name → (role, region, department)
    "admin_gz": (Role.PLATFORM_ADMIN, "440100", None),
    "office_gz": (Role.CREDIT_OFFICE, "440100", None),
    "office_sz": (Role.CREDIT_OFFICE, "440300", None),
    "provider_a": (Role.DATA_PROVIDER, "440100", "a"),
    "provider_b": (Role.DATA_PROVIDER, "440100", "b"),
    "regulator_b": (Role.REGULATOR, "440100", "b"),
    "window_a": (Role.SERVICE_WINDOW, "440100", "a"),
    "bank_gz": (Role.FINANCIAL_INSTITUTION, "440100", None),
}


@pytest.fixture
def world(app, session) -> World:
    with clock.frozen_at(MONDAY), committing(session):
        company = register(
            session, SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC)
        )
        departments = {
            "a": auth.create_department(
                session, "gz-rsj", "广州市人力资源和社会保障局", "440100", AUTHORITY_USCC
            ),
            "b": auth.create_department(session, "gz-scjg", "广州市市场监督管理局", "440100"),
        }
        keys = {k: auth.create_api_key(session, d, "业务系统") for k, d in departments.items()}
        users = {
            name: auth.create_user(
                session, name, PASSWORD, role, region, name, departments.get(dept or "")
            )
            for name, (role, region, dept) in STAFF.items()
        }
    anonymous = TestClient(app)
    callers = {
        "anonymous": Caller("anonymous", anonymous, "public", {}),
        "wrong_key": Caller("wrong_key", anonymous, None, {"X-API-Key": "xy_not-a-key"}),
        "key_a": Caller("key_a", anonymous, "department:gz-rsj", {"X-API-Key": keys["a"]}),
        "key_b": Caller("key_b", anonymous, "department:gz-scjg", {"X-API-Key": keys["b"]}),
    }
    for name, user in users.items():
        callers[name] = Caller(name, _login(app, name), f"user:{user.id}", {})
    return World(callers, departments, company.id)


def _refusals(session) -> list[tuple[str, str | None, str | None, str | None]]:
    session.rollback()  # a fresh snapshot: refusals are committed by their own transaction
    query = select(AuditEntry).where(AuditEntry.action == REFUSED).order_by(AuditEntry.id)
    entries = session.scalars(query)
    return [(e.actor, e.detail.get("action"), e.target_type, e.target_id) for e in entries]


def _assert_refused_once(session, before, caller: Caller, action: str, target) -> None:
    new = _refusals(session)[len(before) :]
    assert new == [(caller.actor, action, *target)], (caller.name, action, new)


# --- item 1: listing cases ---------------------------------------------------------------

CASE_ALLOWED = {"admin_gz", "office_gz", "provider_a"}


def _propose(caller: Caller, company_uscc: str = COMPANY_USCC):
    token = _token(caller)
    return caller.client.post(
        "/admin/lists",
        data={
            "list_type": "serious_dishonesty",
            "uscc": company_uscc,
            "document_number": "穗人社失信〔2026〕9号",
            "reason": "拖欠农民工工资数额较大",
            "legal_basis": "《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》",
            "csrf": token,
        },
    )


def _token(caller: Caller) -> str:
    """The session's form token (the login form shows it to signed-in staff too)."""
    return csrf_of(caller.client.get("/admin/login").text)


def _step(caller: Caller, case_id: int, action: str, **form: str):
    token = _token(caller)
    return caller.client.post(
        f"/admin/lists/{case_id}/{action}",
        data={"csrf": token, **form},
        headers=caller.headers,
        follow_redirects=False,
    )


def _case_in(session, world: World, status: CaseStatus) -> int:
    """A case of department A brought to `status` by A's own clerk."""
    clerk = world.callers["provider_a"]
    assert "已登记拟列入" in _propose(clerk).text
    case_id = session.scalar(select(ListCase.id).order_by(ListCase.id.desc()))
    steps = {
        CaseStatus.PROPOSED: [],
        CaseStatus.NOTIFIED: [("notify", {})],
        CaseStatus.LISTED: [("notify", {}), ("statement", {"text": "无异议"}), ("enter", {})],
    }[status]
    for action, form in steps:
        assert _step(clerk, case_id, action, **form).status_code == 200
    return case_id


CASE_ACTIONS = [  # (action, state it needs, form)
    ("notify", CaseStatus.PROPOSED, {}),
    ("drop", CaseStatus.PROPOSED, {"text": "撤回"}),
    ("statement", CaseStatus.NOTIFIED, {"text": "伪造的陈述申辩"}),
    ("enter", CaseStatus.NOTIFIED, {}),
    ("remove", CaseStatus.LISTED, {"how": "decision", "text": "伪造的移出决定"}),
]


def test_listing_case_of_another_department_is_refused_and_audited(session, world):
    """issue 11 item 1: every case action is authorised against the case's department and
    region; another department, another city, a window officer or a bank changes nothing, and
    each attempt is audited. Anonymous callers and API keys are sent to the login page."""
    with clock.frozen_at(MONDAY):
        cases = {status: _case_in(session, world, status) for _, status, _ in CASE_ACTIONS}
        for name, caller in world.callers.items():
            if name in CASE_ALLOWED:
                continue
            for action, status, form in CASE_ACTIONS:
                before = _refusals(session)
                response = _step(caller, cases[status], action, **form)
                session.expire_all()
                assert session.get(ListCase, cases[status]).status == status, (name, action)
                if caller.headers or name == "anonymous":
                    assert response.status_code == 303, (name, action)
                    assert _refusals(session) == before
                    continue
                assert response.status_code in (403, 404), (name, action, response.status_code)
                assert "已告知" not in response.text and "已列入并公示" not in response.text
                target = ("list_case", str(cases[status]))
                _assert_refused_once(session, before, caller, f"lists.{action}", target)


@pytest.mark.parametrize("name", sorted(CASE_ALLOWED))
def test_the_cases_department_and_its_region_run_the_procedure(session, world, name):
    """issue 11 item 1: the department's own clerk, the credit office and the platform
    administrator of its city may take its case through every step."""
    caller = world.callers[name]
    with clock.frozen_at(MONDAY):
        proposed = _case_in(session, world, CaseStatus.PROPOSED)
        for action, form in [("notify", {}), ("statement", {"text": "无异议"}), ("enter", {})]:
            assert _step(caller, proposed, action, **form).status_code == 200, (name, action)
        removed = _step(caller, proposed, "remove", how="repair", text="已完成信用修复")
        assert removed.status_code == 200 and "已移出" in removed.text
        dropped = _case_in(session, world, CaseStatus.PROPOSED)
        assert "不予列入" in _step(caller, dropped, "drop", text="理由成立").text
    session.expire_all()
    assert session.get(ListCase, proposed).status == CaseStatus.REMOVED
    assert session.get(ListCase, dropped).status == CaseStatus.DROPPED
    assert _refusals(session) == []


def test_a_guessed_case_id_answers_as_not_found(session, world):
    """issue 11 item 1: a department that may not see a case cannot tell it from one that
    does not exist."""
    with clock.frozen_at(MONDAY):
        case_id = _case_in(session, world, CaseStatus.PROPOSED)
        other = world.callers["provider_b"]
        foreign = _step(other, case_id, "notify")
        missing = _step(other, case_id + 1000, "notify")
    assert foreign.status_code == missing.status_code == 404
    assert "列入案件不存在" in foreign.text and "列入案件不存在" in missing.text


PROPOSE_REFUSED = {"window_a", "bank_gz"}


def test_only_listing_roles_propose_and_refusals_are_audited(session, world):
    """issue 11 items 1 and 18: window officers and banks cannot propose a listing."""
    with clock.frozen_at(MONDAY):
        for name in ("provider_a", "provider_b", "regulator_b", *sorted(PROPOSE_REFUSED)):
            caller = world.callers[name]
            before = _refusals(session)
            count = session.query(ListCase).count()
            response = _propose(caller)
            session.expire_all()
            if name in PROPOSE_REFUSED:
                assert response.status_code == 403, name
                assert session.query(ListCase).count() == count
                department = world.departments["a"] if name == "window_a" else None
                target = ("department", str(department.id)) if department else (None, None)
                _assert_refused_once(session, before, caller, "lists.propose", target)
            else:
                assert "已登记拟列入" in response.text, name
                assert session.query(ListCase).count() == count + 1


# --- item 18: pending proposals ----------------------------------------------------------


def test_pending_proposals_are_shown_only_to_the_case_owner_and_audited(session, world):
    """issue 11 item 18: a pending proposal is seen by its department and the credit office
    and administrator of its city only; banks and window staff are refused (audited); every
    view of pending cases is audited."""
    with clock.frozen_at(MONDAY):
        case_id = _case_in(session, world, CaseStatus.PROPOSED)
        for name, caller in world.callers.items():
            if caller.headers or name == "anonymous":
                continue
            before = _refusals(session)
            views = session.query(AuditEntry).filter(AuditEntry.action == "lists.view").count()
            page = caller.client.get("/admin/lists")
            shown = f'action="/admin/lists/{case_id}/notify"' in page.text
            assert shown == (name in CASE_ALLOWED), name
            session.rollback()
            seen = session.query(AuditEntry).filter(AuditEntry.action == "lists.view").count()
            assert seen == views + (1 if shown else 0), name
            if name in PROPOSE_REFUSED:
                assert page.status_code == 403, name
                _assert_refused_once(session, before, caller, "lists.view", (None, None))
            else:
                assert page.status_code == 200 and _refusals(session) == before, name


def test_a_bank_sees_only_what_the_public_sees(client, session, world):
    """issue 11 item 18: until authorised access (信易贷) exists, a financial institution gets
    the public view: no non-public fields and no staff view of records."""
    with clock.frozen_at(datetime(2026, 11, 23, 4, 0, tzinfo=UTC)):
        company = session.get(Subject, world.company_id)
        record_id = store(session, company.id, penalty(1, date(2026, 6, 1)))
        public = client.get(f"/api/v1/records/{record_id}").json()
        bank = world.callers["bank_gz"].client.get(f"/api/v1/records/{record_id}").json()
        office = world.callers["office_gz"].client.get(f"/api/v1/records/{record_id}").json()
    assert bank == public
    assert office != public  # the credit office's view is the full one


# --- item 3: check feedback --------------------------------------------------------------

FEEDBACK_ALLOWED = {"key_a", "provider_a", "window_a"}


def test_check_feedback_only_by_the_checking_department(session, world):
    """issue 11 item 3: feedback on a check is given only by the department that made it
    (its system or its staff); anonymous callers get 401, everyone else the same answer as a
    check that does not exist; every refusal is audited."""
    with clock.frozen_at(datetime(2026, 11, 23, 4, 0, tzinfo=UTC)):
        company = session.get(Subject, world.company_id)
        store(session, company.id, demo_row("sxbzxr", company, date(2026, 5, 1)), "sxbzxr")
        key_a = world.callers["key_a"]
        made = key_a.client.post(
            "/api/v1/checks",
            headers=key_a.headers,
            json={"subject": {"uscc": COMPANY_USCC}, "matter": "procurement"},
        )
        check_id = made.json()["check_id"]
        body = {"measure": "C01", "applied": True}
        for name, caller in world.callers.items():
            before = _refusals(session)
            count = session.query(CheckFeedback).count()
            response = caller.client.post(
                f"/api/v1/checks/{check_id}/feedback", headers=caller.headers, json=body
            )
            session.rollback()
            if name in FEEDBACK_ALLOWED:
                assert response.status_code == 201, (name, response.text)
                assert session.query(CheckFeedback).count() == count + 1
                continue
            assert session.query(CheckFeedback).count() == count, name
            if name in ("anonymous", "wrong_key"):
                assert response.status_code == 401, name
            elif name == "bank_gz":  # banks make no joint checks at all
                assert response.status_code == 403, name
            else:
                assert response.status_code == 404, name
                missing = caller.client.post(
                    f"/api/v1/checks/{check_id + 1000}/feedback", headers=caller.headers, json=body
                )
                assert missing.status_code == 404 and missing.json()["code"] == "checks.not_found"
                assert response.json() == {
                    "code": "checks.not_found",
                    "message": f"核查记录不存在：{check_id}",
                }
            if caller.actor is not None:
                by_role = name in ("anonymous", "bank_gz")  # refused before any lookup
                target = (None, None) if by_role else ("check", str(check_id))
                _assert_refused_once(session, before, caller, "checks.feedback", target)


# --- item 8: batches ---------------------------------------------------------------------

BATCH_READERS = {"key_a", "provider_a", "office_gz", "admin_gz"}
BATCH_ROLE_REFUSED = {"regulator_b", "window_a", "bank_gz"}


@pytest.fixture
def batch_id(session, world, received, tmp_path) -> int:
    """A batch of department A with one rejected row (its rows hold data as sent)."""
    rows = [penalty_row(), penalty_row(**{"处罚类别": "吃", "行政处罚决定书文号": "文2"})]
    key_a = world.callers["key_a"]
    with write_csv(tmp_path / "处罚.csv", rows).open("rb") as data:
        response = key_a.client.post(
            "/api/v1/batches",
            headers=key_a.headers,
            data={"item": "xzcf"},
            files={"file": ("处罚.csv", data, "text/csv")},
        )
    assert response.status_code == 201
    return response.json()["batch_id"]


def _expect_batch_answer(
    session, before, caller: Caller, response, action: str, target, allowed: bool
):
    name = caller.name
    if name in ("anonymous", "wrong_key"):
        assert response.status_code == 401, (name, action)
        return
    if allowed:
        assert response.status_code in (200, 201), (name, action, response.text)
        return
    assert response.status_code == 403, (name, action, response.status_code)
    _assert_refused_once(session, before, caller, action, target or (None, None))


def test_batches_of_another_department_or_region_are_refused_over_the_api(session, world, batch_id):
    """issue 11 item 8: a batch, its receipt and its rejected rows (ID numbers in clear) are
    read only by its department and the credit office or administrator of its region."""
    for name, caller in world.callers.items():
        for path in ("", "/rejections"):
            before = _refusals(session)
            response = caller.client.get(
                f"/api/v1/batches/{batch_id}{path}", headers=caller.headers
            )
            target = ("batch", str(batch_id))
            allowed = name in BATCH_READERS
            _expect_batch_answer(session, before, caller, response, "batches.read", target, allowed)
        before = _refusals(session)
        listed = caller.client.get("/api/v1/batches", headers=caller.headers)
        if name in BATCH_READERS:
            assert [b["batch_id"] for b in listed.json()] == [batch_id], name
        elif name in ("key_b", "provider_b", "office_sz"):
            assert listed.status_code == 200 and listed.json() == [], name
        else:
            _expect_batch_answer(session, before, caller, listed, "batches.read", None, False)


def test_uploads_in_another_departments_name_are_refused(session, world, received):
    """issue 11 item 8: only department A (its key or clerk) and the credit office or
    administrator of A's region may send a batch in A's name."""
    senders = {"key_a", "provider_a", "office_gz", "admin_gz"}
    for name, caller in world.callers.items():
        before = _refusals(session)
        count = session.query(Batch).count()
        body = {"item": "xzcf", "department": "gz-rsj", "records": [penalty_row()]}
        response = caller.client.post("/api/v1/batches", headers=caller.headers, json=body)
        session.rollback()
        assert session.query(Batch).count() == count + (1 if name in senders else 0), name
        department = ("department", str(world.departments["a"].id))
        _expect_batch_answer(
            session, before, caller, response, "batches.send", department, name in senders
        )


def test_console_batch_pages_follow_the_same_rule(session, world, batch_id, tmp_path):
    """issue 11 item 8: the console's receipt, rejected-row download and upload use the same
    service rule as the API."""
    for name, caller in world.callers.items():
        if caller.headers or name == "anonymous":
            for path in ("", "/rejections"):
                url = f"/admin/collection/batches/{batch_id}{path}"
                assert caller.client.get(url, follow_redirects=False).status_code == 303
            continue
        for path in ("", "/rejections"):
            before = _refusals(session)
            response = caller.client.get(f"/admin/collection/batches/{batch_id}{path}")
            allowed = name in BATCH_READERS
            target = ("batch", str(batch_id))
            _expect_batch_answer(session, before, caller, response, "batches.read", target, allowed)
        if name in BATCH_ROLE_REFUSED:
            continue
        before = _refusals(session)
        token = _token(caller)
        path = write_csv(tmp_path / f"{name}.csv", [penalty_row()])
        with path.open("rb") as data:
            sent = caller.client.post(
                "/admin/collection",
                data={"item": "xzcf", "department": "gz-rsj", "csrf": token},
                files={"file": (path.name, data, "text/csv")},
                follow_redirects=False,
            )
        if name in BATCH_READERS:
            assert sent.status_code == 303, (name, sent.text)
        else:
            assert sent.status_code == 403, (name, sent.status_code)
            department = ("department", str(world.departments["a"].id))
            _assert_refused_once(session, before, caller, "batches.send", department)


def test_a_city_covers_its_districts_and_not_the_other_way(session, world, received, tmp_path):
    """issue 11 item 8, the region rule publication uses: a city's credit office reads the
    batches of a district department; a district's credit office cannot read the city's."""
    with committing(session):
        district = auth.create_department(session, "th-scjg", "天河区市场监督管理局", "440106")
        key = auth.create_api_key(session, district, "x")
        auth.create_user(session, "office_th", PASSWORD, Role.CREDIT_OFFICE, "440106")
    body = {"item": "xzcf", "records": [penalty_row()]}
    anonymous = world.callers["anonymous"].client
    sent = anonymous.post("/api/v1/batches", headers={"X-API-Key": key}, json=body).json()
    city = world.callers["office_gz"].client
    assert city.get(f"/api/v1/batches/{sent['batch_id']}").status_code == 200
    office_th = _login(city.app, "office_th")
    city_batch = anonymous.post(
        "/api/v1/batches", headers=world.callers["key_a"].headers, json=body
    ).json()
    assert office_th.get(f"/api/v1/batches/{sent['batch_id']}").status_code == 200
    assert office_th.get(f"/api/v1/batches/{city_batch['batch_id']}").status_code == 403


# --- the services themselves -------------------------------------------------------------


def test_the_lists_service_refuses_a_foreign_actor_and_keeps_the_audit_chain(session):
    """issue 11 item 1, at the service: each step asks the permissions rule itself, whoever
    calls it; the refusal entry survives the caller's rollback and the chain still verifies."""
    with clock.frozen_at(MONDAY), committing(session):
        company = register(
            session, SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC)
        )
        own = auth.create_department(session, "gz-rsj", "广州市人社局", "440100", AUTHORITY_USCC)
        other = auth.create_department(session, "gz-scjg", "广州市市场监督管理局", "440100")
    clerk = Principal(Role.DATA_PROVIDER, own.id, "440100", "user:1")
    foreign = {
        "another department": Principal(Role.DATA_PROVIDER, other.id, "440100", "department:x"),
        "another city": Principal(Role.CREDIT_OFFICE, None, "440300", "user:2"),
        "a window officer": Principal(Role.SERVICE_WINDOW, own.id, "440100", "user:3"),
        "the public": PUBLIC,
    }
    with clock.frozen_at(MONDAY):
        with committing(session):
            case = lists.propose(
                session,
                clerk,
                "serious_dishonesty",
                company,
                own.id,
                document_number="穗人社失信〔2026〕1号",
                reason="拖欠农民工工资数额较大",
                legal_basis="《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》",
            )
        for who, principal in foreign.items():
            with pytest.raises(DomainError) as refused, committing(session):
                lists.notify(session, principal, case)
            assert refused.value.status_code in (401, 403, 404), who
            with pytest.raises(DomainError), committing(session):
                lists.propose(
                    session,
                    principal,
                    "serious_dishonesty",
                    company,
                    own.id,
                    document_number="伪造",
                    reason="伪造",
                    legal_basis="伪造",
                )
    session.expire_all()
    assert session.get(ListCase, case.id).status == CaseStatus.PROPOSED
    assert session.query(ListCase).count() == 1
    actors = [actor for actor, *_ in _refusals(session)]
    assert sorted(actors) == sorted(2 * [p.actor for p in foreign.values()])
    assert audit.verify(session).ok


def test_a_check_made_by_staff_without_a_department_is_answered_by_them_only(session):
    """issue 11 item 3: a window officer with no department gives feedback on their own
    check; another officer cannot, and gets the answer a missing check gets."""
    with clock.frozen_at(datetime(2026, 11, 23, 4, 0, tzinfo=UTC)):
        with committing(session):
            company = register(
                session,
                SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC),
            )
        store(session, company.id, demo_row("sxbzxr", company, date(2026, 5, 1)), "sxbzxr")
        officer = Principal(Role.SERVICE_WINDOW, None, "440100", "user:1")
        colleague = Principal(Role.SERVICE_WINDOW, None, "440100", "user:2")
        with committing(session):
            answer = checks.check(session, officer, SubjectKey(uscc=COMPANY_USCC), "procurement")
        with pytest.raises(NotFound, match="核查记录不存在"), committing(session):
            checks.feedback(session, colleague, answer.check_id, "C01", True, None)
        with committing(session):
            checks.feedback(session, officer, answer.check_id, "C01", True, None)
    assert session.query(CheckFeedback).count() == 1
    assert _refusals(session) == [("user:2", "checks.feedback", "check", str(answer.check_id))]
