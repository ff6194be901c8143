"""issue 12: the permissions matrix. SPEC below is the contract a reviewer reads — every role's
scope for every action — and the tests hold `policy/permissions.yaml` and the code to it: the
policy says exactly this, every action the code asks about is ruled and every rule is used,
and each service, called by every role from the object's department, from another department of
its region and from another city (and by the public), allows what SPEC covers and refuses the
rest with the Chinese refusal and one audited `permission.refused` entry."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.factories import (
    AUTHORITY_USCC,
    COMPANY_USCC,
    PERSON_ID,
    check_with_hit,
    listing_case,
    penalty_row,
)
from xinyong import clock, codes
from xinyong.applicants import service as applicants
from xinyong.auth import permissions
from xinyong.auth import service as auth
from xinyong.auth.models import AuditEntry, Department
from xinyong.auth.principal import PUBLIC, Principal
from xinyong.auth.service import AuthError
from xinyong.cases.kinds import all_kinds
from xinyong.collection import service as collection
from xinyong.commitments import entry as commitment_entry
from xinyong.commitments import service as commitments
from xinyong.db import committing
from xinyong.errors import NotFound, PermissionDenied
from xinyong.lists import service as lists
from xinyong.measures import service as checks
from xinyong.measures.identify import SubjectKey
from xinyong.policy import load_policy
from xinyong.policy.enums import Role, SubjectType
from xinyong.subjects.service import SubjectIn, register
from xinyong.web.templating import CONSOLE_MENU

# fmt: off
SPEC: dict[Role, dict[str, str | None]] = {
    Role.PLATFORM_ADMIN: {
        "lists.view": "region", "lists.propose": "region", "lists.notify": "region",
        "lists.statement": "region", "lists.enter": "region", "lists.drop": "region",
        "lists.remove": "region",
        "batches.read": "region", "batches.send": "region",
        "checks.run": "own", "checks.feedback": "own", "checks.figures": "region",
        "applicants.issue_code": "region",
    },
    Role.CREDIT_OFFICE: {
        "lists.view": "region", "lists.propose": "region", "lists.notify": "region",
        "lists.statement": "region", "lists.enter": "region", "lists.drop": "region",
        "lists.remove": "region",
        "batches.read": "region", "batches.send": "region",
        "checks.run": "own", "checks.feedback": "own", "checks.figures": "region",
        "applicants.issue_code": "region",
    },
    Role.DATA_PROVIDER: {
        "lists.view": "own", "lists.propose": "own", "lists.notify": "own",
        "lists.statement": "own", "lists.enter": "own", "lists.drop": "own",
        "lists.remove": "own",
        "batches.read": "own", "batches.send": "own",
        "checks.run": "own", "checks.feedback": "own", "checks.figures": "own",
        "applicants.issue_code": None,
    },
    Role.REGULATOR: {
        "lists.view": "own", "lists.propose": "own", "lists.notify": "own",
        "lists.statement": "own", "lists.enter": "own", "lists.drop": "own",
        "lists.remove": "own",
        "batches.read": None, "batches.send": None,
        "checks.run": "own", "checks.feedback": "own", "checks.figures": "own",
        "applicants.issue_code": None,
    },
    Role.SERVICE_WINDOW: {
        "lists.view": None, "lists.propose": None, "lists.notify": None,
        "lists.statement": None, "lists.enter": None, "lists.drop": None,
        "lists.remove": None,
        "batches.read": None, "batches.send": None,
        "checks.run": "own", "checks.feedback": "own", "checks.figures": "own",
        "applicants.issue_code": "own",
    },
    Role.FINANCIAL_INSTITUTION: {  # banks: the public's view until authorised access exists
        "lists.view": None, "lists.propose": None, "lists.notify": None,
        "lists.statement": None, "lists.enter": None, "lists.drop": None,
        "lists.remove": None,
        "batches.read": None, "batches.send": None,
        "checks.run": None, "checks.feedback": None, "checks.figures": None,
        "applicants.issue_code": None,
    },
}
# fmt: on
# Credit commitments (xinyong.commitments): sign for a subject, record it kept or broken, see it.
COMMITMENTS: dict[Role, tuple[str | None, str | None, str | None]] = {
    Role.PLATFORM_ADMIN: ("region", "region", "region"),
    Role.CREDIT_OFFICE: ("region", "region", "region"),
    Role.DATA_PROVIDER: ("own", "own", "own"),
    Role.REGULATOR: (None, "own", "own"),
    Role.SERVICE_WINDOW: ("region", None, "region"),
    Role.FINANCIAL_INSTITUTION: (None, None, None),
}
for _role, (_sign, _decide, _view) in COMMITMENTS.items():
    SPEC[_role] |= {
        "commitments.sign": _sign, "commitments.decide": _decide, "commitments.view": _view
    }  # fmt: skip
ACTIONS = sorted(SPEC[Role.PLATFORM_ADMIN])
REFUSED = permissions.REFUSED
MONDAY = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # 12:00 in Beijing
XINYONG = Path(__file__).parents[2] / "xinyong"


def test_the_policy_says_exactly_what_the_spec_says():
    ruled = load_policy().permissions
    assert set(ruled) == set(ACTIONS)
    for role, actions in SPEC.items():
        for action, expected in actions.items():
            scope = ruled[action].roles.get(role)
            assert (scope.value if scope else None) == expected, (role, action)


# Where the code names an action: permissions.require(session, who, "x.y" ...), .may("x.y"),
# may(who, "x.y"); the console menu and the case kinds' policy name the rest.
ASKED = [
    re.compile(r'require\(\s*session,\s*\w+,\s*"([a-z_]+\.[a-z_]+)"'),
    re.compile(r'\.may\(\s*"([a-z_]+\.[a-z_]+)"'),
    re.compile(r'\bmay\(\s*\w+,\s*"([a-z_]+\.[a-z_]+)"'),
]


def _actions_the_code_asks_about() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in XINYONG.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for pattern in ASKED:
            for action in pattern.findall(text):
                found.setdefault(action, set()).add(str(path.relative_to(XINYONG)))
    for _href, _label, action in CONSOLE_MENU:
        if action is not None:
            found.setdefault(action, set()).add("web/templating.py CONSOLE_MENU")
    for code, kind in all_kinds().items():
        for action in kind.actions:
            found.setdefault(action, set()).add(f"policy/cases/{code}.yaml")
    return found


def test_every_action_asked_about_is_ruled_and_every_rule_is_used():
    asked = _actions_the_code_asks_about()
    ruled = set(load_policy().permissions)
    assert {a: w for a, w in asked.items() if a not in ruled} == {}, "asked but not ruled"
    assert ruled - set(asked) == set(), "ruled but asked nowhere (a dead rule)"
    assert len(asked["lists.propose"]) >= 2  # the scan sees both the service and the case kind


# --- the services ------------------------------------------------------------------------

PLACES = {  # where the principal sits, relative to the object (of department "own", 广州)
    "own": ("gz-rsj", "广州市人力资源和社会保障局", "440100", AUTHORITY_USCC),
    "region": ("gz-scjg", "广州市市场监督管理局", "440100"),
    "city": ("sz-scjg", "深圳市市场监督管理局", "440300"),
}


@dataclass
class World:
    session: Any
    sessions: Any
    tmp_path: Path
    departments: dict[str, Department]
    company: Any

    @property
    def clerk(self) -> Principal:  # may do every listing step on the object's department
        own = self.departments["own"]
        return Principal(Role.DATA_PROVIDER, own.id, own.region_code, "user:900001")

    def principal(self, role: Role, place: str) -> Principal:
        department = self.departments[place]
        actor = f"user:{list(Role).index(role)}{list(PLACES).index(place)}"
        return Principal(role, department.id, department.region_code, actor)


@pytest.fixture
def world(session, sessions, tmp_path) -> World:
    with clock.frozen_at(MONDAY), committing(session):
        company = register(
            session, SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC)
        )
        departments = {p: auth.create_department(session, *d) for p, d in PLACES.items()}
    return World(session, sessions, tmp_path, departments, company)


def _case(state: str) -> Callable[[World], Any]:
    return lambda w: listing_case(w.session, w.clerk, w.company, w.departments["own"], state)


def _batch(w: World) -> int:
    spool = w.tmp_path / f"records-{len(list(w.tmp_path.iterdir()))}.jsonl"
    code = w.departments["own"].code
    sent = collection.ingest_records(w.sessions, [penalty_row()], "xzcf", code, spool=spool)
    return sent.batch_id


def _propose(s, p, w, _):  # type: ignore[no-untyped-def]
    reason, basis = "拖欠农民工工资数额较大", "《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》"
    own = w.departments["own"].id
    return lists.propose(
        s, p, "serious_dishonesty", w.company, own, document_number="穗人社失信〔2026〕99号",
        reason=reason, legal_basis=basis,
    )  # fmt: skip


def _check(s, p, w, _):  # type: ignore[no-untyped-def]
    return checks.check(s, p, SubjectKey(uscc=COMPANY_USCC), "procurement")


def _fresh_company(w: World) -> Any:
    """A company of its own per attempt: a subject has one running commitment per matter."""
    org = codes.make_org_code(f"MA{len(list(w.tmp_path.iterdir())):06d}"[:8])
    company = SubjectIn(
        SubjectType.ENTERPRISE, f"广州市承诺{org}有限公司", uscc=codes.make_uscc("91440106" + org)
    )
    with committing(w.session):
        made = register(w.session, company)
    (w.tmp_path / f"company-{made.id}").touch()
    return made


SIGNER = commitments.Signer("王五", "居民身份证", PERSON_ID)


def _sign(s, p, w, company):  # type: ignore[no-untyped-def]
    own = w.departments["own"]
    return commitments.sign(
        s, p, "credit_repair", company, own, declared=True, signer=SIGNER
    )  # fmt: skip


def _commitment(w: World) -> Any:
    with committing(w.session):
        return _sign(w.session, w.clerk, w, _fresh_company(w))


def _figures_show(s, p, w, _) -> bool:  # type: ignore[no-untyped-def]
    return w.departments["own"].id in {f.department_id for f in checks.figures(s, p)}


@dataclass(frozen=True)
class Call:
    """How a service does the action: `prepare` builds its object through the services, `act`
    calls it. `shows`: it answers a list, allowed by role, and covers the object iff it shows
    it. `by_role`: it has no object, so only the role decides."""

    prepare: Callable[[World], Any]
    act: Callable[[Any, Principal, World, Any], Any]
    shows: bool = False
    by_role: bool = False


SERVICES: dict[str, Call] = {
    "lists.view": Call(
        _case("proposed"),
        lambda s, p, w, case: case.id in [c.id for c, _ in lists.recent_cases(s, p)],
        shows=True,
    ),
    "lists.propose": Call(lambda w: None, _propose),
    "lists.notify": Call(_case("proposed"), lambda s, p, w, case: lists.notify(s, p, case)),
    "lists.statement": Call(
        _case("notified"), lambda s, p, w, case: lists.record_statement(s, p, case, "陈述")
    ),
    "lists.enter": Call(_case("stated"), lambda s, p, w, case: lists.enter(s, p, case)),
    "lists.drop": Call(_case("proposed"), lambda s, p, w, case: lists.drop(s, p, case, "撤回")),
    "lists.remove": Call(
        _case("listed"), lambda s, p, w, case: lists.remove_case(s, p, case, "decision", "撤销")
    ),
    "batches.read": Call(_batch, lambda s, p, w, batch_id: collection.read_batch(s, p, batch_id)),
    "batches.send": Call(
        lambda w: w.departments["own"].code,
        lambda s, p, w, code: collection.batch_department(s, p, code),
    ),
    "checks.run": Call(lambda w: None, _check, by_role=True),
    "checks.feedback": Call(
        lambda w: check_with_hit(w.session, w.departments["own"], w.company),
        lambda s, p, w, check_id: checks.feedback(s, p, check_id, "C01", True, None),
    ),
    "checks.figures": Call(
        lambda w: check_with_hit(w.session, w.departments["own"], w.company),
        _figures_show,
        shows=True,
    ),
    "commitments.sign": Call(_fresh_company, _sign),
    "commitments.decide": Call(
        _commitment, lambda s, p, w, case: commitments.fulfil(s, p, case, "已履约")
    ),
    "commitments.view": Call(
        _commitment, lambda s, p, w, case: commitment_entry.shown_case(s, p, case.id)
    ),
    "applicants.issue_code": Call(
        lambda w: None,
        lambda s, p, w, _: applicants.issue_code(s, p, w.company, "窗口核验"),
        by_role=True,
    ),
}
# Actions whose service answers a principal that may act but not on this object as it answers
# a missing object, so guessed ids stay hidden.
HIDDEN = {
    "lists.notify": "lists.case_not_found",
    "lists.statement": "lists.case_not_found",
    "lists.enter": "lists.case_not_found",
    "lists.drop": "lists.case_not_found",
    "lists.remove": "lists.case_not_found",
    "checks.feedback": "checks.not_found",
    "commitments.view": "commitments.not_found",
}


def _covers(scope: str | None, place: str, call: Call) -> bool:
    if scope is None:
        return False
    return call.by_role or place == "own" or (scope == "region" and place == "region")


def _refusals(session, action: str) -> int:
    session.rollback()  # a fresh snapshot: refusals are committed by their own transaction
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == REFUSED))
    return sum(1 for entry in entries if entry.detail.get("action") == action)


def _attempt(world: World, principal: Principal, action: str) -> tuple[object, Exception | None]:
    """(the answer or None, the refusal or None), and the refusal entries it left."""
    call, session = SERVICES[action], world.session
    target = call.prepare(world)
    try:
        with committing(session):
            return call.act(session, principal, world, target), None
    except (PermissionDenied, NotFound, AuthError) as refusal:
        return None, refusal


def _scope_refusals(action: str) -> set[str]:
    text = permissions.rule(action).scope_refusal
    return {text.format(where=where) for where in ("本部门", "本地区")}


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", list(Role), ids=str)
def test_the_service_allows_what_the_spec_covers_and_refuses_the_rest(world, role, action):
    scope, call, governing = SPEC[role][action], SERVICES[action], permissions.rule(action)
    with clock.frozen_at(MONDAY):
        for place in PLACES:
            covered = _covers(scope, place, call)
            before = _refusals(world.session, action)
            answer, refusal = _attempt(world, world.principal(role, place), action)
            left = _refusals(world.session, action) - before
            where = (role, action, place)
            if scope is None:  # refused by role, wherever it sits
                assert isinstance(refusal, PermissionDenied), (*where, refusal)
                assert refusal.message == f"{role.label}账号{governing.refusal}", where
                assert refusal.code == governing.code and left == 1, where
            elif call.shows:  # a list: never refused, shows the object only where it reaches
                assert refusal is None and answer is covered and left == 0, where
            elif covered:
                assert refusal is None and left == 0, (*where, refusal)
            elif action in HIDDEN:
                assert isinstance(refusal, NotFound) and refusal.code == HIDDEN[action], where
                assert left == 1, where
            else:
                assert isinstance(refusal, PermissionDenied), (*where, refusal)
                assert refusal.message in _scope_refusals(action), (*where, refusal.message)
                assert left == 1, where


@pytest.mark.parametrize("action", ACTIONS)
def test_the_public_is_asked_to_sign_in_for_every_action(world, action):
    with clock.frozen_at(MONDAY):
        before = _refusals(world.session, action)
        _answer, refusal = _attempt(world, PUBLIC, action)
        left = _refusals(world.session, action) - before
    assert isinstance(refusal, AuthError) and refusal.status_code == 401, (action, refusal)
    assert refusal.message == "请提供有效的 API 密钥或先登录" and left == 1, action
