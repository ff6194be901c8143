"""Commitments over HTTP: a window system or a department's key signs for a subject at a
window. Its steps (fulfilment, breach) go through `POST /api/v1/cases/{id}/transitions`."""

from __future__ import annotations

from xinyong.commitments import entry
from xinyong.commitments.models import CommitmentCase
from xinyong.commitments.schemas import CommitmentIn, CommitmentOut
from xinyong.commitments.service import Signer
from xinyong.http.answers import refusals
from xinyong.http.deps import Database
from xinyong.http.principal import SignedIn, api_router

router = api_router("信用承诺")


def commitment_out(case: CommitmentCase) -> CommitmentOut:
    return CommitmentOut(
        id=case.id,
        number=case.number,
        state=case.state,
        state_label=case.state_label,
        template=case.template,
        commitment_type=case.commitment_type,
        matter=case.matter,
        text=case.text,
        subject_id=case.subject_id,
        department_id=case.department_id,
        record_id=case.record_id,
        signed_on=case.signed_on,
        fulfil_by=case.fulfil_by,
        opened_at=case.opened_at,
    )


@router.post(
    "/commitments",
    summary="窗口代为签署信用承诺（生成信用承诺信息并跟踪履约）",
    response_model=CommitmentOut,
    status_code=201,
    responses=refusals(400, 401, 403, 404, 422),
)
def sign_commitment(session: Database, caller: SignedIn, body: CommitmentIn) -> CommitmentOut:
    signer = Signer(body.signer.name, body.signer.document_type, body.signer.number)
    case = entry.sign_by_api(
        session,
        caller,
        body.template,
        uscc=body.uscc,
        id_number=body.id_number,
        department_code=body.department,
        matter=body.matter,
        declared=body.declared,
        signer=signer,
    )
    return commitment_out(case)
