"""issue 12: the permissions matrix. SPEC below is the contract a reviewer reads — every role's
scope for every action — and the tests hold `policy/permissions.yaml` and the code to it: the
policy says exactly this, every action the code asks about is ruled and every rule is used,
and each service, called by every role from the object's department, from another department of
its region and from another city (and by the public), allows what SPEC covers and refuses the
rest with the Chinese refusal and one audited `permission.refused` entry."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from tests.factories import (
    AUTHORITY_USCC,
    COMPANY_USCC,
    PERSON_ID,
    check_with_hit,
    listing_case,
    penalty,
    penalty_row,
    store,
)
from tests.repairs.sample import COMPLETE, CREDIT_OFFICE, WALK_IN
from xinyong import clock, codes
from xinyong.applicants import service as applicants
from xinyong.auth import permissions
from xinyong.auth import service as auth
from xinyong.auth.models import AuditEntry, Department
from xinyong.auth.principal import PUBLIC, Principal
from xinyong.auth.service import AuthError
from xinyong.cases import browse, handlers
from xinyong.cases.handlers import StepIn
from xinyong.cases.kinds import all_kinds
from xinyong.changes import feed as changes_feed
from xinyong.collection import service as collection
from xinyong.commitments import entry as commitment_entry
from xinyong.commitments import service as commitments
from xinyong.db import committing
from xinyong.errors import NotFound, PermissionDenied
from xinyong.evaluation import explain, runs
from xinyong.evaluation.models import EvaluationResult, EvaluationRun
from xinyong.evaluation.runs import evaluate, model_named
from xinyong.lists import service as lists
from xinyong.measures import receipts
from xinyong.measures import service as checks
from xinyong.measures.identify import SubjectKey
from xinyong.notices import service as notices
from xinyong.objections import service as objections
from xinyong.policy import load_policy
from xinyong.policy.enums import Role, SubjectType
from xinyong.records import status
from xinyong.records.models import Record, RecordStatus
from xinyong.repairs import service as repairs
from xinyong.reports import authorisations
from xinyong.reports import service as reports
from xinyong.subjects import merging, verification
from xinyong.subjects.service import SubjectIn, register, register_many
from xinyong.supervision import draws as supervision_draws
from xinyong.supervision import inspectors as supervision_inspectors
from xinyong.supervision import plans as supervision_plans
from xinyong.supervision import results as supervision_results
from xinyong.supervision import views as supervision_views
from xinyong.web.templating import CONSOLE_MENU

# fmt: off
SPEC: dict[Role, dict[str, str | None]] = {
    Role.PLATFORM_ADMIN: {
        "lists.view": "region", "lists.propose": "region", "lists.notify": "region",
        "lists.statement": "region", "lists.enter": "region", "lists.drop": "region",
        "lists.remove": "region",
        "batches.read": "region", "batches.send": "region",
        "checks.run": "own", "checks.feedback": "own", "checks.receipt": "own",
        "checks.figures": "region",
        "applicants.issue_code": "region",
        "notices.view": "region", "notices.issue": "region", "notices.download": "region",
        "changes.read": "region",
        "repairs.apply": "region", "repairs.supplement": "region", "repairs.withdraw": "region",
        "repairs.review": "region", "repairs.forward": "region", "repairs.decide": "region",
        "repairs.view": "region",
        "objections.file": "region", "objections.withdraw": "region", "objections.view": "region",
        "objections.review": "region", "objections.decide": "region",
    },
    Role.CREDIT_OFFICE: {
        "lists.view": "region", "lists.propose": "region", "lists.notify": "region",
        "lists.statement": "region", "lists.enter": "region", "lists.drop": "region",
        "lists.remove": "region",
        "batches.read": "region", "batches.send": "region",
        "checks.run": "own", "checks.feedback": "own", "checks.receipt": "own",
        "checks.figures": "region",
        "applicants.issue_code": "region",
        "notices.view": "region", "notices.issue": "region", "notices.download": "region",
        "changes.read": "region",
        "repairs.apply": "region", "repairs.supplement": "region", "repairs.withdraw": "region",
        "repairs.review": "region", "repairs.forward": "region", "repairs.decide": "region",
        "repairs.view": "region",
        "objections.file": "region", "objections.withdraw": "region", "objections.view": "region",
        "objections.review": "region", "objections.decide": "region",
    },
    Role.DATA_PROVIDER: {
        "lists.view": "own", "lists.propose": "own", "lists.notify": "own",
        "lists.statement": "own", "lists.enter": "own", "lists.drop": "own",
        "lists.remove": "own",
        "batches.read": "own", "batches.send": "own",
        "checks.run": "own", "checks.feedback": "own", "checks.receipt": "own",
        "checks.figures": "own",
        "applicants.issue_code": None,
        "notices.view": "own", "notices.issue": "own", "notices.download": "own",
        "changes.read": None,
        "repairs.apply": "own", "repairs.supplement": "own", "repairs.withdraw": "own",
        "repairs.review": None, "repairs.forward": None, "repairs.decide": "own",
        "repairs.view": "own",
        "objections.file": "own", "objections.withdraw": "own", "objections.view": "own",
        "objections.review": None, "objections.decide": "own",
    },
    Role.REGULATOR: {
        "lists.view": "own", "lists.propose": "own", "lists.notify": "own",
        "lists.statement": "own", "lists.enter": "own", "lists.drop": "own",
        "lists.remove": "own",
        "batches.read": None, "batches.send": None,
        "checks.run": "own", "checks.feedback": "own", "checks.receipt": "own",
        "checks.figures": "own",
        "applicants.issue_code": None,
        "notices.view": "own", "notices.issue": "own", "notices.download": "own",
        "changes.read": None,
        "repairs.apply": None, "repairs.supplement": None, "repairs.withdraw": None,
        "repairs.review": None, "repairs.forward": None, "repairs.decide": "own",
        "repairs.view": "own",
        "objections.file": None, "objections.withdraw": None, "objections.view": "own",
        "objections.review": None, "objections.decide": "own",
    },
    Role.SERVICE_WINDOW: {
        "lists.view": None, "lists.propose": None, "lists.notify": None,
        "lists.statement": None, "lists.enter": None, "lists.drop": None,
        "lists.remove": None,
        "batches.read": None, "batches.send": None,
        "checks.run": "own", "checks.feedback": "own", "checks.receipt": "own",
        "checks.figures": "own",
        "applicants.issue_code": "own",
        "notices.view": None, "notices.issue": None, "notices.download": None,
        "changes.read": None,
        "repairs.apply": "region", "repairs.supplement": "region", "repairs.withdraw": "region",
        "repairs.review": None, "repairs.forward": None, "repairs.decide": None,
        "repairs.view": "region",
        "objections.file": "region", "objections.withdraw": "region", "objections.view": "region",
        "objections.review": None, "objections.decide": None,
    },
    Role.FINANCIAL_INSTITUTION: {  # banks: the public's view until authorised access exists
        "lists.view": None, "lists.propose": None, "lists.notify": None,
        "lists.statement": None, "lists.enter": None, "lists.drop": None,
        "lists.remove": None,
        "batches.read": None, "batches.send": None,
        "checks.run": None, "checks.feedback": None, "checks.receipt": None,
        "checks.figures": None,
        "applicants.issue_code": None,
        "notices.view": None, "notices.issue": None, "notices.download": None,
        "changes.read": None,
        "repairs.apply": None, "repairs.supplement": None, "repairs.withdraw": None,
        "repairs.review": None, "repairs.forward": None, "repairs.decide": None,
        "repairs.view": None,
        "objections.file": None, "objections.withdraw": None, "objections.view": None,
        "objections.review": None, "objections.decide": None,
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
# The 待核实 queue (xinyong.subjects.verification): the credit office's, of its region.
# Merging subjects and relinking records (xinyong.subjects.merging) likewise.
for _role in SPEC:
    for _action in ("subjects.review", "subjects.merge"):
        SPEC[_role][_action] = (
            "region" if _role in (Role.PLATFORM_ADMIN, Role.CREDIT_OFFICE) else None
        )
# Grades (xinyong.evaluation): staff and departments of the region see them; the office runs.
for _role in SPEC:
    _sees = (Role.PLATFORM_ADMIN, Role.CREDIT_OFFICE, Role.REGULATOR, Role.DATA_PROVIDER)
    SPEC[_role]["evaluation.view"] = "region" if _role in _sees else None
    SPEC[_role]["evaluation.run"] = (
        "region" if _role in (Role.PLATFORM_ADMIN, Role.CREDIT_OFFICE) else None
    )
# 双随机抽查 (xinyong.supervision): the inspecting department its own plans, inspectors and
# draws; the credit office and the administrator their region's; results are the inspecting
# department's to record (the administrator's for its region).
SUPERVISION: dict[Role, tuple[str | None, str | None, str | None]] = {
    Role.PLATFORM_ADMIN: ("region", "region", "region"),
    Role.CREDIT_OFFICE: ("region", "region", None),
    Role.DATA_PROVIDER: ("own", "own", "own"),
    Role.REGULATOR: ("own", "own", "own"),
    Role.SERVICE_WINDOW: (None, None, None),
    Role.FINANCIAL_INSTITUTION: (None, None, None),
}
for _role, (_manage, _view, _record) in SUPERVISION.items():
    SPEC[_role] |= {
        "supervision.manage": _manage, "supervision.view": _view, "supervision.record": _record
    }  # fmt: skip
# Credit reports (xinyong.reports): an organisation's public report is anyone's (`public: true`,
# no role listed); a person's and the 专项 the region's staff (and the subject itself); a report
# made from a staff view its maker's department, or the region's office and administrator.
REPORTS: dict[Role, tuple[str | None, str | None]] = {
    Role.PLATFORM_ADMIN: ("region", "region"),
    Role.CREDIT_OFFICE: ("region", "region"),
    Role.DATA_PROVIDER: (None, "own"),
    Role.REGULATOR: ("region", "own"),
    Role.SERVICE_WINDOW: ("region", "own"),
    Role.FINANCIAL_INSTITUTION: (None, None),
}
for _role, (_issue, _copy) in REPORTS.items():
    SPEC[_role] |= {
        "reports.public": None, "reports.person": _issue, "reports.special": _issue,
        "reports.staff_copy": _copy,
        "reports.authorise": None,  # the subject itself only (applicant account)
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
        if isinstance(action, str):  # a function (案件办理) asks the case kinds' actions
            found.setdefault(action, set()).add("web/templating.py CONSOLE_MENU")
    for code, kind in all_kinds().items():
        for action in kind.actions:
            found.setdefault(action, set()).add(f"policy/cases/{code}.yaml")
    for report_kind in load_policy().reports.kinds:  # reports.service asks each kind's action
        found.setdefault(report_kind.action, set()).add(f"policy/reports.yaml {report_kind.code}")
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


_penalties = itertools.count(100)


def _penalty(w: World) -> int:
    """A published penalty of the object's department on the company (decided 2026-08-30)."""
    number = next(_penalties)
    return store(
        w.session, w.company.id, penalty(number, date(2026, 8, 30)), department=w.departments["own"]
    )


def _notice(w: World) -> int:
    with committing(w.session):
        return notices.issue_for(w.session, w.clerk, _penalty(w)).id


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


_penalty_numbers = itertools.count(1)


def _repaired_record(w: World) -> int:
    """A record of the object's department, repaired: one change in the feed."""
    decided = clock.today() - timedelta(days=120)
    own = w.departments["own"]
    number = next(_penalty_numbers)
    record_id = store(w.session, w.company.id, penalty(number, decided), department=own)
    with committing(w.session):
        record = w.session.get_one(Record, record_id)
        status.change(w.session, record, RecordStatus.REPAIRED, "user:1", "信用修复")
    return record_id


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
    "checks.receipt": Call(
        lambda w: check_with_hit(w.session, w.departments["own"], w.company),
        lambda s, p, w, check_id: receipts.receipt(s, p, check_id),
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
    "notices.view": Call(
        _penalty,
        lambda s, p, w, record_id: (
            record_id in [line.record.id for line in notices.department_lines(s, p)]
        ),
        shows=True,
    ),
    "notices.issue": Call(_penalty, lambda s, p, w, record_id: notices.issue_for(s, p, record_id)),
    "notices.download": Call(_notice, lambda s, p, w, notice_id: notices.download(s, p, notice_id)),
    "changes.read": Call(
        lambda w: _repaired_record(w),
        lambda s, p, w, record_id: (
            record_id in [c.record.id for c in changes_feed.read(s, p, None).changes]
        ),
        shows=True,
    ),
}
# Repairs: a fresh eligible penalty of the object's department per attempt, and a case on it
# filed by the department's clerk, taken to the state the step starts from.
_penalties = itertools.count(500)


def _penalty(w: World) -> int:
    row = penalty(next(_penalties), date(2026, 6, 1))  # repairable from 2026-09-01
    return store(w.session, w.company.id, row, department=w.departments["own"])


def _repair(state: str) -> Callable[[World], Any]:
    def made(w: World) -> Any:
        uploads = COMPLETE[:1] if state == "incomplete" else COMPLETE
        with committing(w.session):
            case = repairs.apply(w.session, w.clerk, _penalty(w), uploads, True, on_behalf=WALK_IN)
        if state == "forwarded":
            handlers.take(w.session, CREDIT_OFFICE, case.case.id, StepIn("forward"))
        return case.case

    return made


def _door(transition: str, **data: str) -> Callable[[Any, Principal, World, Any], Any]:
    """A step through the generic door, asked as the console offers it: a role that may never
    take the step is told so first (the door itself answers 404 first for a case the caller
    cannot see, whatever its role)."""

    def act(s, p, w, case):  # type: ignore[no-untyped-def]
        action = all_kinds()["repair"].transition(transition).action
        permissions.require(s, p, action)
        if transition == "supplement":
            repairs.hand_in(s, p, case.id, COMPLETE[1:])
        return handlers.take(s, p, case.id, StepIn(transition, None, dict(data)))

    return act


SERVICES |= {
    "repairs.apply": Call(
        _penalty,
        lambda s, p, w, record_id: repairs.apply(
            s, p, record_id, COMPLETE, True, on_behalf=WALK_IN
        ),
    ),
    "repairs.supplement": Call(_repair("incomplete"), _door("supplement")),
    "repairs.withdraw": Call(_repair("applied"), _door("withdraw")),
    "repairs.review": Call(_repair("applied"), _door("ask_supplement", missing="缴款凭证不清晰")),
    "repairs.forward": Call(_repair("applied"), _door("forward")),
    "repairs.decide": Call(_repair("forwarded"), _door("approve")),
    "repairs.view": Call(
        _repair("applied"),
        lambda s, p, w, case: (
            case.id in [r.case.id for r in browse.list_cases(s, p, kind="repair").rows]
        ),
        shows=True,
    ),
}

_penalties = itertools.count(500)
FILED_FOR = objections.FiledFor("张三", "居民身份证", "110101199003071234")


def _disputed(w: World) -> int:
    """A record of the object's department, to object to."""
    row = penalty(next(_penalties), date(2026, 6, 1))
    return store(w.session, w.company.id, row, department=w.departments["own"])


def _objection(state: str) -> Callable[[World], Any]:
    """An objection on a record of the object's department, filed by its region's credit
    office, taken to `state` (received or forwarded)."""

    def prepare(w: World) -> Any:
        own = w.departments["own"]
        office = Principal(Role.CREDIT_OFFICE, own.id, own.region_code, "user:900002")
        record_id = _disputed(w)
        with committing(w.session):
            case = objections.file_objection(
                w.session, office, w.company.id, record_id=record_id, category="wrong",
                statement="文号有误", filed_for=FILED_FOR,
            )  # fmt: skip
            if state == "forwarded":
                objections.take_step(
                    w.session, office, case, StepIn("forward", None, {"request": "请核实"})
                )
        return case

    return prepare


def _file(s, p, w, record_id):  # type: ignore[no-untyped-def]
    return objections.file_objection(
        s, p, w.company.id, record_id=record_id, category="wrong", statement="文号有误",
        filed_for=FILED_FOR,
    )  # fmt: skip


def _step(name: str, **data: str) -> Callable[[Any, Principal, World, Any], Any]:
    return lambda s, p, w, case: objections.take_step(s, p, case, StepIn(name, None, data))


SERVICES |= {
    "objections.file": Call(_disputed, _file),
    "objections.withdraw": Call(_objection("received"), _step("withdraw")),
    "objections.view": Call(
        _objection("received"), lambda s, p, w, case: objections.get_case(s, p, case.id)
    ),
    "objections.review": Call(_objection("received"), _step("forward", request="请核实")),
    "objections.decide": Call(_objection("forwarded"), _step("keep", reasons="信息无误")),
}


def _unverified(w: World) -> int:
    """A company only the object's department's penalty names (待核实), one per attempt."""
    org = codes.make_org_code(f"MB{len(list(w.tmp_path.iterdir())):06d}"[:8])
    company = SubjectIn(
        SubjectType.ENTERPRISE, f"广州市待核{org}有限公司", uscc=codes.make_uscc("91440106" + org)
    )
    with committing(w.session):
        (made,) = register_many(w.session, [company], verified=False)
    (w.tmp_path / f"company-{made}").touch()
    store(
        w.session,
        made,
        penalty(next(_penalties), date(2026, 8, 30)),
        department=w.departments["own"],
    )
    return made


SERVICES["subjects.review"] = Call(
    _unverified, lambda s, p, w, subject_id: verification.verify(s, p, subject_id, "已对照登记信息")
)
SERVICES["subjects.merge"] = Call(
    lambda w: (_unverified(w), _unverified(w)),
    lambda s, p, w, pair: merging.merge(s, p, *pair, "同一主体的原代码与新代码"),
)


def _graded(w: World) -> int:
    """A company of 广州 the enterprise model has graded."""
    made = _unverified(w)
    evaluate(sessionmaker(bind=w.session.get_bind()), model_named("enterprise"), "user:test")
    return made


SERVICES["evaluation.view"] = Call(
    _graded, lambda s, p, w, subject_id: explain.explain(s, p, subject_id)
)
SERVICES["evaluation.run"] = Call(
    lambda w: None, lambda s, p, w, _: runs.request(s, p, "enterprise"), by_role=True
)


def _supervision_plan(w: World, keyword: str = "不存在的名称") -> int:
    today = clock.today()
    wanted = supervision_plans.PlanIn(
        "食品经营许可事项检查", "4401", ["enterprise"], date(today.year, 1, 1),
        date(today.year, 12, 31), 1, keyword,
    )  # fmt: skip
    with committing(w.session):
        return supervision_plans.create(w.session, w.clerk, wanted, w.departments["own"].id).id


def _supervision_draw(w: World) -> int:
    """A draw of the own department's plan (over no candidates: reading it needs none)."""
    plan_id = _supervision_plan(w)
    with committing(w.session):
        return supervision_draws.run(w.session, w.clerk, plan_id).id


def _supervision_drawn(w: World) -> tuple[int, int]:
    """(draw, subject): a fresh company graded D, drawn by the own department's plan."""
    company = _fresh_company(w)
    with committing(w.session):
        now = clock.now()
        run = EvaluationRun(
            model_code="enterprise", model_version=1, as_of=now, started_at=now, finished_at=now,
            subjects=1, actor="user:test",
        )  # fmt: skip
        w.session.add(run)
        w.session.flush()
        w.session.add(EvaluationResult(run_id=run.id, subject_id=company.id, score=0, grade="D"))
        supervision_inspectors.add_inspector(
            w.session, w.clerk, "检查员", f"执法{company.id}", w.departments["own"].id
        )
    plan_id = _supervision_plan(w, company.name)
    with committing(w.session):
        return supervision_draws.run(w.session, w.clerk, plan_id).id, company.id


SERVICES["supervision.manage"] = Call(
    lambda w: None, lambda s, p, w, _: supervision_plans.create(
        s, p, supervision_plans.PlanIn(
            "双随机抽查", "4401", ["enterprise"], date(2026, 1, 1), date(2026, 12, 31)
        ), w.departments["own"].id,
    ),
)  # fmt: skip
SERVICES["supervision.view"] = Call(
    _supervision_draw, lambda s, p, w, draw_id: supervision_views.draw_page(s, p, draw_id)
)
SERVICES["supervision.record"] = Call(
    _supervision_drawn,
    lambda s, p, w, drawn: supervision_results.record(
        s, p, *drawn, supervision_results.Found("passed", clock.today())
    ),
)
_people = itertools.count(1)


def _person(w: World) -> int:
    """A natural person of 广州 of its own (a person's report)."""
    number = codes.make_id_number(f"44010619800101{next(_people):03d}")
    person = SubjectIn(SubjectType.NATURAL_PERSON, "李某", id_number=number, region_code="440106")
    with committing(w.session):
        return register(w.session, person).id


def _company_of_guangzhou(w: World) -> int:
    with committing(w.session):
        w.company.region_code = "440106"
    return w.company.id


def _staff_report(w: World) -> int:
    """A report the own department's window made from its staff view."""
    own = w.departments["own"]
    window = Principal(Role.SERVICE_WINDOW, own.id, own.region_code, "user:900009")
    with committing(w.session):
        made = reports.issue(w.session, window, reports.ReportRequest(_company_of_guangzhou(w)))
        return made.id


SERVICES["reports.person"] = Call(
    _person,
    lambda s, p, w, subject_id: reports.issue(s, p, reports.ReportRequest(subject_id, "person")),
)
SERVICES["reports.special"] = Call(
    _company_of_guangzhou,
    lambda s, p, w, subject_id: reports.issue(s, p, reports.ReportRequest(subject_id, "special")),
)
SERVICES["reports.authorise"] = Call(  # no staff role may: the subject itself authorises
    lambda w: None,
    lambda s, p, w, _none: authorisations.grant(s, p, "某单位", None, None, None),
    by_role=True,
)
SERVICES["reports.staff_copy"] = Call(
    _staff_report, lambda s, p, w, report_id: reports.download(s, p, report_id)
)
# Anyone may: no role is listed and none is refused (an organisation's public report).
PUBLIC_ACTIONS = {"reports.public": Call(
    _company_of_guangzhou,
    lambda s, p, w, subject_id: reports.issue(s, p, reports.ReportRequest(subject_id)),
)}  # fmt: skip
# Actions refused as a missing object even by role: everyone may download some report, so the
# role cannot be asked first; a report the caller may not have is the same 404 as none.
HIDDEN_BY_ROLE = {"reports.staff_copy": "reports.not_found"}
ROLE_ACTIONS = [a for a in ACTIONS if a not in PUBLIC_ACTIONS]
# Actions whose service answers a principal that may act but not on this object as it answers
# a missing object, so guessed ids stay hidden.
HIDDEN = {
    "reports.person": "subject.not_found",
    "reports.special": "subject.not_found",
    "reports.staff_copy": "reports.not_found",
    "subjects.review": "subject.not_found",
    "subjects.merge": "subject.not_found",
    "evaluation.view": "evaluation.not_found",
    "lists.notify": "lists.case_not_found",
    "lists.statement": "lists.case_not_found",
    "lists.enter": "lists.case_not_found",
    "lists.drop": "lists.case_not_found",
    "lists.remove": "lists.case_not_found",
    "checks.feedback": "checks.not_found",
    "checks.receipt": "checks.not_found",
    "notices.download": "notices.not_found",
    "repairs.apply": "repairs.record_not_found",
    "repairs.supplement": "cases.not_found",
    "repairs.withdraw": "cases.not_found",
    "repairs.review": "cases.not_found",
    "repairs.forward": "cases.not_found",
    "repairs.decide": "cases.not_found",
    "objections.file": "record.not_found",
    "objections.withdraw": "objections.not_found",
    "objections.view": "objections.not_found",
    "objections.review": "objections.not_found",
    "objections.decide": "objections.not_found",
    "commitments.view": "commitments.not_found",
    "supervision.view": "supervision.plan_not_found",
    "supervision.record": "supervision.plan_not_found",
}


def _covers(scope: str | None, place: str, call: Call) -> bool:
    if scope is None:
        return False
    return call.by_role or place == "own" or (scope == "region" and place == "region")


# A step through the generic door on a case the caller may not see is refused (and audited) as
# a reading of the case: the kind's view action.
AUDITED_AS = {
    f"repairs.{a}": "repairs.view"
    for a in ("supplement", "withdraw", "review", "forward", "decide")
}


def _refusals(session, action: str) -> int:
    session.rollback()  # a fresh snapshot: refusals are committed by their own transaction
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == REFUSED))
    counted = {action, AUDITED_AS.get(action, action)}
    return sum(1 for entry in entries if entry.detail.get("action") in counted)


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


@pytest.mark.parametrize("action", ROLE_ACTIONS)
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
            if scope is None and action in HIDDEN_BY_ROLE:
                assert isinstance(refusal, NotFound), (*where, refusal)
                assert refusal.code == HIDDEN_BY_ROLE[action] and left == 1, where
            elif scope is None:  # refused by role, wherever it sits
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


@pytest.mark.parametrize("action", ROLE_ACTIONS)
def test_the_public_is_asked_to_sign_in_for_every_action(world, action):
    with clock.frozen_at(MONDAY):
        before = _refusals(world.session, action)
        _answer, refusal = _attempt(world, PUBLIC, action)
        left = _refusals(world.session, action) - before
    if action in HIDDEN_BY_ROLE:  # a report the public may not have is one that does not exist
        assert isinstance(refusal, NotFound) and refusal.code == HIDDEN_BY_ROLE[action], action
        assert left == 1, action
        return
    assert isinstance(refusal, AuthError) and refusal.status_code == 401, (action, refusal)
    assert refusal.message == "请提供有效的 API 密钥或先登录" and left == 1, action


@pytest.mark.parametrize("action", sorted(PUBLIC_ACTIONS))
def test_anyone_may_do_a_public_action_from_anywhere(world, action):
    """A rule with `public: true` (permissions.yaml): every role from every place, and the
    public, act without a refusal."""
    assert permissions.rule(action).public
    call = PUBLIC_ACTIONS[action]
    with clock.frozen_at(MONDAY):
        for principal in [PUBLIC] + [world.principal(r, p) for r in Role for p in PLACES]:
            before = _refusals(world.session, action)
            target = call.prepare(world)
            with committing(world.session):
                call.act(world.session, principal, world, target)
            assert _refusals(world.session, action) == before, principal
