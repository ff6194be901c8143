"""Who may do what on which object: the one place that answers it.

A principal (a staff member, a department's API key — which acts as its department's data
provider — or the anonymous public) may do an action when `policy/permissions.yaml` gives its
role a scope for that action and the object lies inside that scope: its own department's objects
(`OWN`), or those of every department inside its region (`REGION`: a city's code covers its
districts, the rule publication uses); an applicant account, its own subject's objects
(`SUBJECT`), where a rule lets applicants act at all; a partner platform's key, the objects of
its department's region where a rule lets partners act (`partner: true`), nothing else; a
rule with `public: true` lets anyone act on anything (`ANY`).
Services call `require` before they act; a refusal raises PermissionDenied (401 for the
anonymous) and leaves an audit entry that is committed even though the request's own
transaction is rolled back."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NoReturn

from sqlalchemy import ColumnElement, false, select
from sqlalchemy.orm import Session, sessionmaker

from xinyong import codes
from xinyong.auth import audit
from xinyong.auth.models import Department
from xinyong.auth.principal import Kind, Principal
from xinyong.auth.service import AuthError
from xinyong.db import in_region, transaction
from xinyong.errors import DomainError, PermissionDenied
from xinyong.policy import load_policy
from xinyong.policy.enums import Scope
from xinyong.policy.schemas import PermissionRule

REFUSED = "permission.refused"
# Signed in without a staff role: what a refusal calls them (申请人账号不能…, 合作方账号不能…).
PARTNER_ROUTE = "partner.route"  # the audited action of a partner key on any other route
ACCOUNTS_WITHOUT_ROLE = {Kind.APPLICANT: "申请人", Kind.PARTNER: "合作方"}


def rule(action: str) -> PermissionRule:
    """The rule of `permissions.yaml` that governs `action` (an unknown action is a bug)."""
    found = load_policy().permissions.get(action)
    if found is None:
        raise KeyError(f"no permission rule for action {action!r} in permissions.yaml")
    return found


@dataclass(frozen=True)
class Target:
    """What an action is on: its kind and id (for the audit log), its owner and region."""

    kind: str
    id: object
    department_id: int | None = None
    region_code: str | None = None
    made_by: str | None = None  # the actor who made it, when no department did
    subject_id: int | None = None  # the subject it is about (an applicant's scope)


def may(principal: Principal, action: str, on: Target | None = None) -> bool:
    """May `principal` do `action` (on `on`; without it: on anything at all, by its role)?"""
    reach = scope(principal, action)
    if reach is None:
        return False
    return on is None or _within(principal, reach, on)


def require(
    session: Session,
    principal: Principal,
    action: str,
    on: object = None,
    *,
    unseen: DomainError | None = None,
) -> None:
    """Refuse unless `principal` may do `action` on `on` (a Target, Department, region code
    or a row owned by a department, e.g. a ListCase or Batch; None: by role alone). Each
    refusal is audited. `unseen` is the not-found answer given instead of PermissionDenied
    to a principal whose role may act but not on this object, so guessed ids stay hidden."""
    target = None if on is None else target_of(session, on)
    role_ok = may(principal, action)
    if role_ok and (target is None or may(principal, action, target)):
        return
    _record_refusal(session, principal, action, target)
    governing = rule(action)
    if principal.role is None and principal.kind not in ACCOUNTS_WITHOUT_ROLE:
        raise AuthError("请提供有效的 API 密钥或先登录", "auth.required")
    if not role_ok:
        who = principal.role.label if principal.role else ACCOUNTS_WITHOUT_ROLE[principal.kind]
        raise PermissionDenied(f"{who}账号{governing.refusal}", governing.code)
    if unseen is not None:
        raise unseen
    reach = scope(principal, action)
    where = {Scope.OWN: "本部门", Scope.SUBJECT: "本主体"}.get(reach or Scope.REGION, "本地区")
    raise PermissionDenied(governing.scope_refusal.format(where=where), governing.code)


def refuse_partner(session: Session, principal: Principal, path: str) -> NoReturn:
    """Refuse (audited) a partner's key on a route for staff and department systems: a
    partner reads the change feed and nothing else, whatever its department may do."""
    _record_refusal(session, principal, PARTNER_ROUTE, Target("route", path[:64]))
    raise PermissionDenied(
        "合作方密钥只能读取信用信息变更（GET /api/v1/changes）", "changes.partner_only"
    )


def departments_where(principal: Principal, action: str, department_id: Any) -> ColumnElement[bool]:
    """SQL: `department_id` (a column) names a department the principal may do `action` on."""
    reach = scope(principal, action)
    if reach is Scope.OWN:
        if principal.department_id is None:
            return false()
        return department_id == principal.department_id  # type: ignore[no-any-return]
    if reach is Scope.REGION:
        inside = select(Department.id).where(
            in_region(Department.region_code, principal.region_code)
        )
        return department_id.in_(inside)  # type: ignore[no-any-return]
    return false()  # an applicant's objects are its subject's: `subjects_where`


def subjects_where(principal: Principal, action: str, subject_id: Any) -> ColumnElement[bool]:
    """SQL: `subject_id` (a column) names the applicant's own subject, where applicants may do
    `action`; false for everyone else (staff are scoped by department: `departments_where`)."""
    if scope(principal, action) is Scope.SUBJECT and principal.subject_id is not None:
        return subject_id == principal.subject_id  # type: ignore[no-any-return]
    return false()


def target_of(session: Session, on: object) -> Target:
    """The Target of an object: a Department, a region code, or a row with `department_id`
    (its region is its department's; a row of no department may carry its own region)."""
    if isinstance(on, Target):
        return on
    if isinstance(on, str):
        return Target("region", on, region_code=on)
    if isinstance(on, Department):
        return Target("department", on.id, on.id, on.region_code)
    kind = re.sub(r"(?<!^)(?=[A-Z])", "_", type(on).__name__).lower()  # ListCase → list_case
    department_id = getattr(on, "department_id", None)
    department = session.get(Department, department_id) if department_id is not None else None
    region = department.region_code if department else getattr(on, "region_code", None)
    subject_id = getattr(on, "subject_id", None)
    return Target(kind, getattr(on, "id", None), department_id, region, subject_id=subject_id)


def scope(principal: Principal, action: str) -> Scope | None:
    """How far the principal's role may do `action`, or None when it may not at all."""
    governing = rule(action)
    if governing.public:
        return Scope.ANY
    if principal.kind is Kind.APPLICANT:
        return Scope.SUBJECT if governing.applicant else None
    if principal.kind is Kind.PARTNER:
        return Scope.REGION if governing.partner else None
    return None if principal.role is None else governing.roles.get(principal.role)


def _within(principal: Principal, scope: Scope, target: Target) -> bool:
    if scope is Scope.ANY:
        return True
    if scope is Scope.SUBJECT:
        return principal.subject_id is not None and target.subject_id == principal.subject_id
    if scope is Scope.OWN:
        mine = (
            principal.department_id is not None and target.department_id == principal.department_id
        )
        return mine or (target.made_by is not None and target.made_by == principal.actor)
    return codes.region_covers(principal.region_code, target.region_code)


def _record_refusal(
    session: Session, principal: Principal, action: str, target: Target | None
) -> None:
    """The entry is written in its own transaction on the same database: the request's one
    is rolled back with the refusal. Services authorise before they write, so the caller's
    transaction holds no lock this one would wait for."""
    detail = {
        "action": action,
        "role": principal.role.value if principal.role else None,
        "department_id": principal.department_id,
        "region_code": principal.region_code,
    }
    with transaction(sessionmaker(session.get_bind())) as own:
        audit.write(
            own,
            principal.actor,
            REFUSED,
            target.kind if target else None,
            target.id if target else None,
            detail,
        )
