"""Taking a step on a case of any kind through one door (`POST /api/v1/cases/{id}/transitions`).

A kind's own service knows what its steps need and do (a repair's approval changes a record, an
objection's outcome corrects one); this module maps each kind to the function that takes its
steps, by dotted path, so the engine does not import the parts built on it (the layering keeps
`cases` below them). A handler authorises and acts inside the caller's transaction and returns
the case; `take` opens and commits it."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from xinyong.auth import permissions
from xinyong.auth.principal import Principal
from xinyong.cases import kinds
from xinyong.cases.models import Case
from xinyong.db import committing
from xinyong.errors import DomainError, NotFound


@dataclass(frozen=True)
class Upload:
    """A file handed in with a step, for the handler to attach (`cases.files.attach`)."""

    material: str
    filename: str | None
    data: bytes


@dataclass(frozen=True)
class StepIn:
    """A step asked for: the transition's name, a note for the log, the kind's own fields
    (`Transition.fields`, by name) and any files handed in with it."""

    transition: str
    note: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    files: list[Upload] = field(default_factory=list)


Handler = Callable[[Session, Principal, Case, StepIn], Case]

# kind code → "module:function" of the handler (one line per kind).
HANDLERS: dict[str, str] = {
    "repair": "xinyong.repairs.service:take_step",
    "objection": "xinyong.objections.service:take_step",
    "commitment": "xinyong.commitments.service:take_step",
}


def handler(kind: str) -> Handler:
    """The handler of `kind`; a DomainError when its steps are not taken through this door."""
    path = HANDLERS.get(kind)
    if path is None:
        name = kinds.kind(kind).name
        raise DomainError(f"“{name}”案件请在其办理页面操作", "cases.no_api_steps")
    module, function = path.split(":")
    found: Handler = getattr(importlib.import_module(module), function)
    return found


def visible_case(session: Session, principal: Principal, case_id: int) -> Case:
    """The case, for a principal who may see it (the kind's `view_action`); otherwise the same
    404 as a case that does not exist (refusal audited)."""
    missing = NotFound(f"案件不存在：{case_id}", "cases.not_found")
    case = session.get(Case, case_id)
    if case is None:
        raise missing
    permissions.require(session, principal, kinds.kind(case.kind).view_action, case, unseen=missing)
    return case


def take(session: Session, principal: Principal, case_id: int, asked: StepIn) -> Case:
    """Take the step `asked` on the case through its kind's handler, in one transaction."""
    with committing(session):
        case = visible_case(session, principal, case_id)
        return handler(case.kind)(session, principal, case, asked)
