"""Files handed in with a case: checked against the kind's `materials` policy (type sniffed
from the bytes, never taken from the name or the browser; size and count bounded), kept whole
with their SHA-256, audited; and read back only by a principal who may see the case.

An upload is untrusted: nothing here parses it beyond its first bytes, and it is served back
only as a download (`Content-Disposition: attachment`) with the type found here."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, defer

from xinyong import clock
from xinyong.auth import audit, permissions
from xinyong.auth.principal import Principal
from xinyong.cases import kinds
from xinyong.cases.models import Case, CaseFile
from xinyong.db import committing
from xinyong.errors import DomainError, NotFound
from xinyong.policy.schemas import Material

# The first bytes of each accepted type, and the type it is served back as.
SIGNATURES: dict[str, tuple[bytes, str]] = {
    "pdf": (b"%PDF-", "application/pdf"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png"),
    "jpeg": (b"\xff\xd8\xff", "image/jpeg"),
}
TYPE_NAMES = {"pdf": "PDF", "png": "PNG 图片", "jpeg": "JPG 图片"}
NAME_LENGTH = 120


def sniff(data: bytes) -> str | None:
    """The accepted type the bytes begin with, or None."""
    return next((t for t, (magic, _) in SIGNATURES.items() if data.startswith(magic)), None)


def safe_name(filename: str | None) -> str:
    """The name as shown and offered back: no directories, no control characters, bounded."""
    name = re.split(r"[\\/]", unicodedata.normalize("NFC", filename or ""))[-1]
    name = "".join(c for c in name if unicodedata.category(c)[0] != "C").strip(" .")
    return name[-NAME_LENGTH:] or "材料"


def attach(
    session: Session,
    case: Case,
    principal: Principal,
    material_code: str,
    filename: str | None,
    data: bytes,
    *,
    action: str,
) -> CaseFile:
    """Store `data` as a file of the kind's material `material_code` on the case, once the
    principal may do `action` (the kind's step under which files are handed in) on it."""
    permissions.require(session, principal, action, case)
    kind = kinds.kind(case.kind)
    material = kind.material(material_code)
    if material is None:
        raise DomainError(f"{kind.noun}不需要“{material_code}”这类材料", "cases.unknown_material")
    _check(session, case, material, data)
    found = sniff(data)
    assert found is not None  # _check refused anything else
    stored = CaseFile(
        case_id=case.id,
        material=material.code,
        filename=safe_name(filename),
        content_type=SIGNATURES[found][1],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=data,
        uploaded_at=clock.now(),
        uploaded_by=principal.actor,
    )
    session.add(stored)
    session.flush()
    detail = {
        "kind": case.kind,
        "material": material.code,
        "file_id": stored.id,
        "sha256": stored.sha256,
        "size": stored.size,
        "subject_id": case.subject_id,
    }
    audit.write(session, principal.actor, "cases.attach", "case", case.id, detail)
    return stored


def _check(session: Session, case: Case, material: Material, data: bytes) -> None:
    if not data:
        raise DomainError(f"“{material.label}”是空文件", "cases.file_empty")
    if len(data) > material.max_bytes:
        limit = f"{material.max_bytes / 1024 / 1024:.0f} MB"
        raise DomainError(f"“{material.label}”超过 {limit}，请压缩后再上传", "cases.file_too_large")
    found = sniff(data)
    if found not in material.types:
        allowed = "、".join(TYPE_NAMES[t] for t in material.types)
        raise DomainError(
            f"“{material.label}”只接受 {allowed} 文件（按文件内容判断，不看扩展名）",
            "cases.file_type",
        )
    count = session.scalar(
        select(func.count())
        .select_from(CaseFile)
        .where(CaseFile.case_id == case.id, CaseFile.material == material.code)
    )
    if (count or 0) >= material.max_files:
        raise DomainError(
            f"“{material.label}”最多上传 {material.max_files} 个文件", "cases.too_many_files"
        )


def files_of(session: Session, case: Case) -> Sequence[CaseFile]:
    """The case's files without their content, in the order handed in."""
    query = select(CaseFile).where(CaseFile.case_id == case.id).order_by(CaseFile.id)
    return session.scalars(query.options(defer(CaseFile.content))).all()


def missing(session: Session, case: Case) -> list[Material]:
    """The kind's required materials the case has no file of yet: the one-time list an
    incomplete application is given."""
    handed_in = set(
        session.scalars(select(CaseFile.material).where(CaseFile.case_id == case.id)).all()
    )
    return [m for m in kinds.kind(case.kind).materials if m.required and m.code not in handed_in]


def open_file(session: Session, principal: Principal, file_id: int) -> CaseFile:
    """One file with its content, for a principal who may see its case (the kind's
    `view_action`); otherwise the same 404 as a file that does not exist. Audited."""
    missing_file = NotFound(f"材料不存在：{file_id}", "cases.file_not_found")
    stored = session.get(CaseFile, file_id)
    case = session.get(Case, stored.case_id) if stored is not None else None
    if stored is None or case is None:
        raise missing_file
    view = kinds.kind(case.kind).view_action
    permissions.require(session, principal, view, case, unseen=missing_file)
    with committing(session):
        detail = {"kind": case.kind, "case_id": case.id, "sha256": stored.sha256}
        audit.write(session, principal.actor, "cases.file_read", "case_file", stored.id, detail)
    return stored
