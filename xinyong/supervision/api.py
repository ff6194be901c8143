"""双随机、一公开 over HTTP: inspectors and 回避 links, plans, draws (drawn, read, verified),
results, and the published draws anyone may read."""

from __future__ import annotations

from dataclasses import asdict

from xinyong.db import committing
from xinyong.http.answers import refusals
from xinyong.http.deps import Database
from xinyong.http.params import PageNumber, RowId
from xinyong.http.principal import Caller, api_router
from xinyong.supervision import draws, inspectors, plans, results, views
from xinyong.supervision.models import Avoidance, Inspector, Plan
from xinyong.supervision.schemas import (
    AvoidanceIn,
    AvoidanceOut,
    DrawIn,
    DrawnOut,
    DrawOut,
    InspectorIn,
    InspectorOut,
    PlanIn,
    PlanOut,
    PoolOut,
    ResultIn,
    ResultOut,
    VerifiedOut,
)

router = api_router("双随机抽查")


def _inspector(made: Inspector) -> InspectorOut:
    return InspectorOut(
        id=made.id,
        department_id=made.department_id,
        name=made.name,
        badge_number=made.badge_number,
        active=made.active,
    )


def _avoidance(link: Avoidance) -> AvoidanceOut:
    return AvoidanceOut(
        id=link.id,
        inspector_id=link.inspector_id,
        subject_id=link.subject_id,
        reason=link.reason,
        ended_at=link.ended_at,
    )


def _plan(plan: Plan, department_name: str | None = None, draw_id: int | None = None) -> PlanOut:
    return PlanOut(
        id=plan.id,
        department_id=plan.department_id,
        department_name=department_name,
        matter=plan.matter,
        region_prefix=plan.region_prefix,
        subject_types=plan.subject_types,
        name_keyword=plan.name_keyword,
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
        inspectors_per_subject=plan.inspectors_per_subject,
        draw_id=draw_id,
    )


def _draw(page: views.DrawPage) -> DrawOut:
    return DrawOut(
        id=page.draw.id,
        plan_id=page.plan.id,
        department_name=page.department_name,
        matter=page.plan.matter,
        seed=page.draw.seed,
        drawn_at=page.draw.drawn_at,
        inputs=page.inputs,
        total=page.total,
        page=page.page,
        pages=page.pages,
        subjects=[
            DrawnOut(**{k: v for k, v in asdict(line).items() if k != "class_label"})
            for line in page.lines
        ],
    )


@router.get(
    "/supervision/inspectors",
    summary="检查人员库与回避关系",
    response_model=PoolOut,
    responses=refusals(401, 403, 404),
)
def inspector_pool(
    session: Database, caller: Caller, department_id: RowId | None = None
) -> PoolOut:
    with committing(session):
        pool = inspectors.pool(session, caller, department_id)
    return PoolOut(
        department_id=pool.department.id,
        inspectors=[_inspector(i) for i in pool.inspectors],
        avoidances=[_avoidance(link) for link, _name, _subject in pool.links],
    )


@router.post(
    "/supervision/inspectors",
    summary="登记检查人员",
    response_model=InspectorOut,
    status_code=201,
    responses=refusals(400, 401, 403, 404, 422),
)
def add_inspector(session: Database, caller: Caller, body: InspectorIn) -> InspectorOut:
    with committing(session):
        made = inspectors.add_inspector(
            session, caller, body.name, body.badge_number, body.department_id
        )
    return _inspector(made)


@router.post(
    "/supervision/inspectors/{inspector_id}/deactivate",
    summary="停用检查人员（不再被抽取）",
    response_model=InspectorOut,
    responses=refusals(401, 403, 404),
)
def deactivate_inspector(session: Database, caller: Caller, inspector_id: RowId) -> InspectorOut:
    with committing(session):
        return _inspector(inspectors.set_active(session, caller, inspector_id, False))


@router.post(
    "/supervision/inspectors/{inspector_id}/reactivate",
    summary="恢复检查人员",
    response_model=InspectorOut,
    responses=refusals(401, 403, 404),
)
def reactivate_inspector(session: Database, caller: Caller, inspector_id: RowId) -> InspectorOut:
    with committing(session):
        return _inspector(inspectors.set_active(session, caller, inspector_id, True))


@router.post(
    "/supervision/inspectors/{inspector_id}/avoidances",
    summary="登记回避关系",
    response_model=AvoidanceOut,
    status_code=201,
    responses=refusals(400, 401, 403, 404, 422),
)
def add_avoidance(
    session: Database, caller: Caller, inspector_id: RowId, body: AvoidanceIn
) -> AvoidanceOut:
    with committing(session):
        link = inspectors.link(session, caller, inspector_id, body.subject_id, body.reason)
    return _avoidance(link)


@router.post(
    "/supervision/avoidances/{avoidance_id}/end",
    summary="解除回避关系",
    response_model=AvoidanceOut,
    responses=refusals(401, 403, 404),
)
def end_avoidance(session: Database, caller: Caller, avoidance_id: RowId) -> AvoidanceOut:
    with committing(session):
        return _avoidance(inspectors.end_link(session, caller, avoidance_id))


@router.get(
    "/supervision/plans",
    summary="抽查计划",
    response_model=list[PlanOut],
    responses=refusals(401, 403),
)
def list_plans(session: Database, caller: Caller) -> list[PlanOut]:
    with committing(session):
        found = plans.plans(session, caller)
    return [_plan(line.plan, line.department_name, line.draw_id) for line in found]


@router.post(
    "/supervision/plans",
    summary="制定抽查计划",
    response_model=PlanOut,
    status_code=201,
    responses=refusals(400, 401, 403, 404, 422),
)
def create_plan(session: Database, caller: Caller, body: PlanIn) -> PlanOut:
    wanted = plans.PlanIn(
        matter=body.matter,
        region_prefix=body.region_prefix,
        subject_types=body.subject_types,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        inspectors_per_subject=body.inspectors_per_subject,
        name_keyword=body.name_keyword,
    )
    with committing(session):
        return _plan(plans.create(session, caller, wanted, body.department_id))


@router.post(
    "/supervision/plans/{plan_id}/draw",
    summary="抽取（双随机）",
    response_model=DrawOut,
    status_code=201,
    responses=refusals(400, 401, 403, 404, 422),
)
def draw_plan(session: Database, caller: Caller, plan_id: RowId, body: DrawIn) -> DrawOut:
    with committing(session):
        made = draws.run(session, caller, plan_id, body.seed)
        return _draw(views.draw_page(session, caller, made.id))


@router.get(
    "/supervision/draws/{draw_id}",
    summary="抽取结果（含监管类别与检查人员，内部）",
    response_model=DrawOut,
    responses=refusals(401, 403, 404, 422),
)
def read_draw(session: Database, caller: Caller, draw_id: RowId, page: PageNumber = 1) -> DrawOut:
    with committing(session):  # the reading is audited
        return _draw(views.draw_page(session, caller, draw_id, page))


@router.get(
    "/supervision/draws/{draw_id}/verify",
    summary="复核抽取（以记录的种子重新抽取）",
    response_model=VerifiedOut,
    responses=refusals(401, 403, 404),
)
def verify_draw(session: Database, caller: Caller, draw_id: RowId) -> VerifiedOut:
    with committing(session):
        checked = draws.verify(session, caller, draw_id)
    return VerifiedOut(**asdict(checked))


@router.post(
    "/supervision/draws/{draw_id}/results",
    summary="录入抽查检查结果",
    response_model=ResultOut,
    status_code=201,
    responses=refusals(400, 401, 403, 404, 422),
)
def record_result(session: Database, caller: Caller, draw_id: RowId, body: ResultIn) -> ResultOut:
    found = results.Found(body.outcome, body.inspected_on, body.note, body.document_number)
    with committing(session):
        made = results.record(session, caller, draw_id, body.subject_id, found)
    return ResultOut(
        draw_id=made.draw_id,
        subject_id=made.subject_id,
        outcome=made.outcome,
        record_id=made.record_id,
    )


@router.get(
    "/supervision/published/{draw_id}",
    summary="公开的抽取结果与检查结果（一公开）",
    response_model=DrawOut,
    responses=refusals(404, 422),
)
def published_draw(session: Database, draw_id: RowId, page: PageNumber = 1) -> DrawOut:
    with committing(session):
        return _draw(views.published_draw(session, draw_id, page))
