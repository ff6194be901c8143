"""The 信用修复告知书 over the API: a department's system fetches the notice of its own record
as a PDF to serve it with the decision (两书同达). The first fetch issues it; every later one
prints the same notice, with the same number and code."""

from __future__ import annotations

from fastapi.responses import Response

from xinyong.http.answers import refusals
from xinyong.http.deps import Database
from xinyong.http.params import RowId
from xinyong.http.principal import SignedIn, api_router
from xinyong.notices import service as notices
from xinyong.notices.schemas import PDF, pdf_response

router = api_router("信用修复告知书")


@router.get(
    "/records/{record_id}/repair-notice",
    summary="信用修复告知书（PDF，首次获取时出具）",
    response_class=Response,
    responses={
        200: {"content": {PDF: {}}, "description": "信用修复告知书 PDF（载有激活码）"},
        **refusals(400, 401, 403, 404, 422),
    },
)
def repair_notice(session: Database, caller: SignedIn, record_id: RowId) -> Response:
    return pdf_response(notices.download_for_record(session, caller, record_id))
