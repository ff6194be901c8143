"""The change feed over HTTP, for partner platforms' keys (and the credit office's staff)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

from fastapi import Query

from xinyong.changes import feed
from xinyong.changes.schemas import ChangedRecordOut, ChangedSubjectOut, ChangeOut, ChangePageOut
from xinyong.http.answers import refusals
from xinyong.http.deps import Database
from xinyong.http.principal import Caller, api_router

router = api_router("信用信息变更")


@router.get(
    "/changes",
    summary="信用信息变更（修复、撤销、到期、更正、异议标注），供合作方同步",
    response_model=ChangePageOut,
    responses=refusals(400, 401, 403, 422, 503),
)
def list_changes(
    session: Database,
    caller: Caller,
    since: Annotated[
        str | None,
        Query(max_length=32, description="上一页返回的 next；首次读取不带此参数"),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=feed.MAX_LIMIT, description="每页条数")] = (
        feed.DEFAULT_LIMIT
    ),
) -> ChangePageOut:
    page = feed.read(session, caller, since, limit)
    return ChangePageOut(
        changes=[
            ChangeOut(
                cursor=c.cursor,
                at=c.at,
                change=c.change,
                change_label=c.label,
                from_status=c.from_status,
                to_status=c.to_status,
                reason=c.reason,
                case_id=c.case_id,
                record=ChangedRecordOut(**asdict(c.record)),
                subject=ChangedSubjectOut(**asdict(c.subject)),
                public=c.public,
            )
            for c in page.changes
        ],
        next=page.next,
        more=page.more,
    )
