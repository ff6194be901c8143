"""issue 12: the permissions matrix over HTTP. For every action one representative route — the
JSON API under /api/v1 (called with a department's key and with each staff role's console
session) or the console page under /admin — answers each caller as SPEC says: refused is 403
(401 for the anonymous API caller, the login page for the anonymous console visitor) as JSON
`{"code", "message"}` under /api and as a Chinese HTML page under /admin, never JSON; allowed
is no refusal. The console offers a role neither the menu item nor the form it would refuse."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.factories import (
    AUTHORITY_USCC,
    COMPANY_USCC,
    check_with_hit,
    console_client,
    csrf_of,
    listing_case,
    penalty_row,
)
from tests.security.test_permissions_matrix import MONDAY, SPEC
from xinyong import clock
from xinyong.auth import service as auth
from xinyong.auth.models import Department
from xinyong.auth.principal import Principal
from xinyong.db import committing
from xinyong.policy.enums import Role, SubjectType
from xinyong.subjects.service import SubjectIn, register
from xinyong.web.templating import CONSOLE_MENU

PASSWORD = "permissions-http-password"


@dataclass
class Site:
    session: Any
    department: Department  # every object's, and every staff member's
    company: Any
    key: str
    anonymous: TestClient
    staff: dict[Role, TestClient]

    @property
    def clerk(self) -> Principal:
        return Principal.of_department(self.department)


@pytest.fixture
def site(app, session) -> Site:
    with clock.frozen_at(MONDAY), committing(session):
        company = register(
            session, SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC)
        )
        department = auth.create_department(
            session, "gz-rsj", "广州市人力资源和社会保障局", "440100", AUTHORITY_USCC
        )
        key = auth.create_api_key(session, department, "业务系统")
        for role in Role:
            auth.create_user(session, role.value, PASSWORD, role, "440100", role.label, department)
    staff = {role: console_client(app, role.value, PASSWORD) for role in Role}
    return Site(session, department, company, key, TestClient(app), staff)


def _token(client: TestClient) -> str:
    return csrf_of(client.get("/admin/login").text)


def _step(step: str, **form: str) -> Callable[[Site, TestClient, dict[str, str], Any], Any]:
    def post(site: Site, client: TestClient, headers: dict[str, str], case: Any) -> Any:
        data = {"csrf": _token(client), **form}
        return client.post(f"/admin/lists/{case.id}/{step}", data=data, follow_redirects=False)

    return post


def _case(state: str) -> Callable[[Site], Any]:
    return lambda site: listing_case(site.session, site.clerk, site.company, site.department, state)


def _propose(site: Site, client: TestClient, headers: dict[str, str], _: Any) -> Any:
    return _proposal(client)


def _proposal(client: TestClient) -> Any:
    form = {
        "list_type": "serious_dishonesty",
        "uscc": COMPANY_USCC,
        "document_number": "穗人社失信〔2026〕9号",
        "reason": "拖欠农民工工资数额较大",
        "legal_basis": "《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》",
        "csrf": _token(client),
    }
    return client.post("/admin/lists", data=form, follow_redirects=False)


def _send(site: Site, client: TestClient, headers: dict[str, str], _: Any) -> Any:
    body = {"item": "xzcf", "department": "gz-rsj", "records": [penalty_row()]}
    return client.post("/api/v1/batches", headers=headers, json=body)


def _batch(site: Site) -> int:
    body = {"item": "xzcf", "records": [penalty_row()]}
    sent = site.anonymous.post("/api/v1/batches", headers={"X-API-Key": site.key}, json=body)
    assert sent.status_code == 201, sent.text
    return int(sent.json()["batch_id"])


def _check_hit(site: Site) -> int:
    return check_with_hit(site.session, site.department, site.company)


@dataclass(frozen=True)
class Route:
    """`prepare` builds the object through the services; `send` asks for the action on it."""

    prepare: Callable[[Site], Any]
    send: Callable[[Site, TestClient, dict[str, str], Any], Any]
    console: bool = False  # a page under /admin (else the API)


ROUTES: dict[str, Route] = {
    "lists.view": Route(
        _case("proposed"),
        lambda s, c, h, _: c.get("/admin/lists", follow_redirects=False),
        console=True,
    ),
    "lists.propose": Route(lambda site: None, _propose, console=True),
    "lists.notify": Route(_case("proposed"), _step("notify"), console=True),
    "lists.statement": Route(_case("notified"), _step("statement", text="陈述"), console=True),
    "lists.enter": Route(_case("stated"), _step("enter"), console=True),
    "lists.drop": Route(_case("proposed"), _step("drop", text="撤回"), console=True),
    "lists.remove": Route(
        _case("listed"), _step("remove", how="decision", text="撤销"), console=True
    ),
    "batches.read": Route(
        _batch, lambda s, c, h, batch_id: c.get(f"/api/v1/batches/{batch_id}", headers=h)
    ),
    "batches.send": Route(lambda site: None, _send),
    "checks.run": Route(
        lambda site: None,
        lambda s, c, h, _: c.post(
            "/api/v1/checks",
            headers=h,
            json={"subject": {"uscc": COMPANY_USCC}, "matter": "procurement"},
        ),
    ),
    "checks.feedback": Route(
        _check_hit,
        lambda s, c, h, check_id: c.post(
            f"/api/v1/checks/{check_id}/feedback",
            headers=h,
            json={"measure": "C01", "applied": True},
        ),
    ),
    "checks.figures": Route(
        _check_hit, lambda s, c, h, _: c.get("/api/v1/checks/figures", headers=h)
    ),
    "notices.view": Route(
        lambda site: None,
        lambda s, c, h, _: c.get("/admin/notices", follow_redirects=False),
        console=True,
    ),
    "changes.read": Route(
        lambda site: None, lambda s, c, h, _: c.get("/api/v1/changes", headers=h)
    ),
}
CALLERS = ["anonymous", "key", *(role.value for role in Role)]


def _caller(site: Site, name: str) -> tuple[TestClient, dict[str, str], Role | None]:
    if name == "anonymous":
        return site.anonymous, {}, None
    if name == "key":  # a department's system acts as its data provider
        return site.anonymous, {"X-API-Key": site.key}, Role.DATA_PROVIDER
    return site.staff[Role(name)], {}, Role(name)


def _assert_api_refusal(response: Any, status: int, role: Role | None) -> None:
    assert response.status_code == status, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message"}, body
    if role is not None:
        assert body["message"].startswith(f"{role.label}账号"), body


def _assert_console_refusal(response: Any, role: Role) -> None:
    assert response.status_code == 403, (response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("text/html")
    assert not response.text.lstrip().startswith("{")
    assert "无权访问" in response.text and f"{role.label}账号" in response.text


@pytest.mark.parametrize("action", sorted(ROUTES))
def test_each_action_over_http_answers_every_caller_as_the_spec_says(site, action):
    route = ROUTES[action]
    with clock.frozen_at(MONDAY):
        for name in CALLERS:
            if route.console and name == "key":
                continue  # the console takes no keys
            client, headers, role = _caller(site, name)
            response = route.send(site, client, headers, route.prepare(site))
            where = (action, name, response.status_code)
            if role is None and route.console:
                assert response.status_code == 303, where
                assert response.headers["location"].endswith("/admin/login"), where
            elif role is None:
                _assert_api_refusal(response, 401, None)
            elif SPEC[role][action] is None and route.console:
                _assert_console_refusal(response, role)
            elif SPEC[role][action] is None:
                _assert_api_refusal(response, 403, role)
            else:
                assert response.status_code < 400, (*where, response.text[:300])


# --- the console: neither the menu item nor the form ---------------------------------------

FORMS = {  # the console page of an action → (the form it shows, a direct post to it)
    "batches.read": ("/admin/collection", "/admin/collection"),
    "checks.run": ("/admin/checks", "/admin/checks"),
    "lists.view": ("/admin/lists", "/admin/lists"),
}


def _menu(html: str) -> set[str]:
    nav = html.split('aria-label="主导航"')[1].split("</nav>")[0]
    return {href for href, _label, _action in CONSOLE_MENU if f'href="{href}"' in nav}


def _direct_post(client: TestClient, path: str) -> Any:
    token = _token(client)
    if path == "/admin/collection":
        upload = {"file": ("处罚.csv", "行政相对人名称\n广州市某某科技有限公司\n", "text/csv")}
        return client.post(path, data={"item": "xzcf", "csrf": token}, files=upload)
    if path == "/admin/checks":
        form = {"matter": "procurement", "uscc": COMPANY_USCC, "csrf": token}
        return client.post(path, data=form)
    return _proposal(client)


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_a_console_role_sees_only_the_menu_items_and_forms_it_may_use(site, role):
    client = site.staff[role]
    principal = Principal(role, site.department.id, "440100", f"user:{role.value}")
    offered = {
        href
        for href, _l, action in CONSOLE_MENU
        if action is None or (action(principal) if callable(action) else SPEC[role][action])
    }
    with clock.frozen_at(MONDAY):
        home = client.get("/admin")
        assert _menu(home.text) == offered
        for action, (path, form_action) in FORMS.items():
            page = client.get(path)
            form = f'action="{form_action}"'
            if SPEC[role][action]:
                assert page.status_code == 200 and form in page.text, (role, path)
                assert path in _menu(page.text)
                continue
            assert path not in _menu(home.text)
            _assert_console_refusal(page, role)
            assert form not in page.text and "<form" not in page.text.split("</nav>")[-1]
            refused = _direct_post(client, form_action)
            _assert_console_refusal(refused, role)
            assert form not in refused.text, (role, form_action)
