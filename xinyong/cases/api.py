"""Cases over HTTP for staff and department systems: a filtered listing and one case. A case
the caller may not see is a 404, like one that does not exist."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from xinyong import clock
from xinyong.cases import browse, handlers
from xinyong.cases.browse import CaseRow
from xinyong.cases.schemas import CaseDetailOut, CaseOut, CasePageOut, StepOut, TransitionIn
from xinyong.http.answers import refusals
from xinyong.http.deps import Database
from xinyong.http.params import PageNumber, RowId
from xinyong.http.principal import SignedIn, api_router

router = api_router("案件")
CODE = r"^[a-z][a-z0-9_]{0,31}$"  # a kind or state code as policy writes them


def _case(row: CaseRow) -> dict[str, object]:
    case = row.case
    return {
        "id": case.id,
        "kind": case.kind,
        "kind_name": row.kind_name,
        "state": case.state,
        "state_label": row.state_label,
        "subject_id": case.subject_id,
        "subject_name": row.subject_name,
        "department_id": case.department_id,
        "department_name": row.department_name,
        "record_id": case.record_id,
        "opened_at": case.opened_at,
        "closed_at": case.closed_at,
        "due": case.due,
        "due_count": case.due_count,
        "suspended_on": case.suspended_on,
        "answer_due": case.answer_due,
        "overdue": row.overdue(clock.today()),
    }


@router.get(
    "/cases",
    summary="案件列表（可按类型、状态、是否逾期筛选）",
    response_model=CasePageOut,
    responses=refusals(400, 401, 403, 404, 422),
)
def list_cases(
    session: Database,
    caller: SignedIn,
    kind: Annotated[str | None, Query(pattern=CODE, description="案件类型，如 listing")] = None,
    state: Annotated[str | None, Query(pattern=CODE, description="状态，如 notified")] = None,
    overdue: Annotated[bool, Query(description="只列期限已过而未办结的")] = False,
    page: PageNumber = 1,
) -> CasePageOut:
    found = browse.list_cases(session, caller, kind=kind, state=state, overdue=overdue, page=page)
    return CasePageOut(
        total=found.total,
        page=found.page,
        page_size=found.page_size,
        items=[CaseOut.model_validate(_case(row)) for row in found.rows],
    )


@router.get(
    "/cases/{case_id}",
    summary="一个案件及其办理步骤",
    response_model=CaseDetailOut,
    responses=refusals(401, 403, 404, 422),
)
def show_case(session: Database, caller: SignedIn, case_id: RowId) -> CaseDetailOut:
    view = browse.show_case(session, caller, case_id)
    steps = [
        StepOut(
            transition=s.transition,
            label=view.step_label(s),
            from_state=s.from_state,
            to_state=s.to_state,
            at=s.at,
            actor=s.actor,
            note=s.note,
            data=s.data or {},
        )
        for s in view.steps
    ]
    detail = _case(view.row) | {"details": view.row.case.details or {}, "steps": steps}
    return CaseDetailOut.model_validate(detail)


@router.post(
    "/cases/{case_id}/transitions",
    summary="办理案件的一个步骤（如受理、转办、批准、驳回；步骤见案件类型策略）",
    response_model=CaseDetailOut,
    responses=refusals(400, 401, 403, 404, 413, 422),
)
def take_transition(
    session: Database, caller: SignedIn, case_id: RowId, body: TransitionIn
) -> CaseDetailOut:
    asked = handlers.StepIn(body.transition, body.note, body.data)
    handlers.take(session, caller, case_id, asked)
    return show_case(session, caller, case_id)
