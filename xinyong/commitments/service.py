"""Credit commitments (国办发〔2019〕35号) as the `commitment` case kind: a subject signs a
template's commitment (online for itself, or at a window where staff file it and record who
signed), unless a bar of the template holds (深圳 条例 第五十九条); the signing is stored as a
信用承诺 record (xycn, published per the catalog) and opens a case whose deadline is the
template's fulfilment term. The accepting department records it kept (已履约) or broken
(已违诺); when the term passes, the `commitments` job does what the template says. A breach is
a 违背信用承诺 record (wfcn): published, on the archive, named by checks, barring the next
commitment. Callers own the transaction, as with every service here."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong import clock, codes
from xinyong.auth import permissions
from xinyong.auth.models import Department
from xinyong.auth.principal import Kind, Principal
from xinyong.cases import service as cases
from xinyong.cases.handlers import StepIn
from xinyong.cases.models import Case
from xinyong.catalog import get_item, validate_payload
from xinyong.commitments.models import KIND, CommitmentCase, CommitmentState
from xinyong.commitments.terms import commitment_text, refuse_if_barred, template
from xinyong.config import get_settings
from xinyong.errors import DomainError
from xinyong.notifications.models import ChannelName, RecipientKind
from xinyong.notifications.service import notify
from xinyong.policy import load_policy
from xinyong.policy.enums import Role, SubjectType
from xinyong.policy.schemas import CommitmentTemplate
from xinyong.records import service as records
from xinyong.records.service import RecordDraft
from xinyong.records.windows import add_duration
from xinyong.subjects import service as subjects
from xinyong.subjects.models import Subject

PLEDGE_ITEM, BREACH_ITEM = "xycn", "wfcn"
COUNTERPART = {  # subject type → 主体类别 (counterpart_category)
    SubjectType.NATURAL_PERSON.value: "自然人",
    SubjectType.INDIVIDUAL_BUSINESS.value: "个体工商户",
}
ID_CARD = "居民身份证"
SIGN, FULFIL, BREACH = "sign", "fulfil", "breach"
__all__ = ["Signer", "breach", "commitment_text", "fulfil", "settle_due", "sign", "take_step"]


@dataclass(frozen=True)
class Signer:
    """Who signed at the window for the subject: kept with the number masked only."""

    name: str
    document_type: str  # an `id_document_type` label: 居民身份证
    number: str


# --- signing ------------------------------------------------------------------------------


def sign(
    session: Session,
    principal: Principal,
    template_code: str,
    subject: Subject,
    department: Department,
    *,
    matter: str | None = None,
    declared: bool,
    signer: Signer | None = None,
) -> CommitmentCase:
    """The subject signs the template's commitment for `matter`, accepted by `department`: a
    信用承诺 record and a case in 履约中 until the fulfilment term. An applicant signs for its
    own subject; staff and department systems sign at a window and say who signed."""
    found = template(template_code)
    on = permissions.Target(
        "department", department.id, department.id, department.region_code, subject_id=subject.id
    )
    permissions.require(session, principal, "commitments.sign", on)
    online = principal.kind is Kind.APPLICANT
    chosen = _matter(found, matter)
    _check_department(found, department)
    if online and not found.online:
        raise DomainError(f"《{found.name}》须到窗口签署", "commitments.window_only")
    if not declared:
        raise DomainError("请阅读承诺内容并勾选承诺声明后再签署", "commitments.not_declared")
    shown_signer = None if online else _signer(signer)
    refuse_if_barred(session, subject, found)
    _refuse_duplicate(session, subject, found, chosen)
    today = clock.today()
    text = commitment_text(found.code, subject, matter=chosen, department=department.name)
    details: dict[str, object] = {
        "template": found.code,
        "commitment_type": found.type,
        "matter": chosen,
        "text": text,
        "signed_on": today.isoformat(),
        "channel": "online" if online else "window",
        **(shown_signer or {}),
    }
    days = found.fulfilment.working_days
    case = cases.open(session, KIND, subject, department, principal, details, days=days)
    assert isinstance(case, CommitmentCase)
    assert case.due is not None
    case.number = f"XYCN{today:%Y}{case.id:08d}"
    case.fulfil_by = case.due
    case.record_id = _store_pledge(session, principal, case, found, subject, department)
    notify(
        session,
        ChannelName.SITE,
        RecipientKind.DEPARTMENT,
        department.id,
        f"新的信用承诺：第 {case.id} 号（{found.type}）",
        f"{subject.name}签署了《{found.name}》（事项：{chosen}），"
        f"承诺于 {case.fulfil_by} 前{found.fulfilment.label}。请在期限内确认履约情况。",
        case_id=case.id,
    )
    return case


def _matter(found: CommitmentTemplate, matter: str | None) -> str:
    if not matter:
        return found.matters[0]
    if matter not in found.matters:
        choices = "、".join(found.matters)
        raise DomainError(f"《{found.name}》适用的事项为：{choices}", "commitments.matter")
    return matter


def _check_department(found: CommitmentTemplate, department: Department) -> None:
    if not department.active:
        raise DomainError(f"{department.name}已停用，不能受理信用承诺", "commitments.department")
    if found.department is not None and not department.name.endswith(found.department):
        raise DomainError(
            f"《{found.name}》由{found.department}受理，不能提交给{department.name}",
            "commitments.department",
        )


def _signer(signer: Signer | None) -> dict[str, str]:
    """Who signed at the window, its number kept masked only (个人信息保护法: no more than the
    purpose needs: the window shows it checked the signer, not the number itself)."""
    if signer is None or not signer.name.strip() or not signer.number.strip():
        raise DomainError("窗口签署须登记签署人姓名及其身份证件", "commitments.signer")
    document = load_policy().codelist("id_document_type")
    code = document.resolve(signer.document_type or ID_CARD)
    if code is None:
        raise DomainError(f"未知的证件类型：{signer.document_type}", "commitments.signer")
    label = document.label_of(code)
    number = signer.number.strip().upper()
    if label == ID_CARD and not codes.is_valid_id_number(number):
        raise DomainError("签署人的居民身份证号码无效，请核对", "commitments.signer")
    return {
        "signer_name": signer.name.strip()[:50],
        "signer_document": label,
        "signer_number_masked": codes.mask_id_number(number),
    }


def _refuse_duplicate(
    session: Session, subject: Subject, found: CommitmentTemplate, matter: str
) -> None:
    """One running commitment per subject, template and matter (the records' natural key is
    the subject, type, matter and day: a second one the same day would overwrite the first)."""
    running = session.scalars(
        select(CommitmentCase).where(
            CommitmentCase.subject_id == subject.id, CommitmentCase.closed_at.is_(None)
        )
    )
    for case in running:
        if case.template == found.code and case.matter == matter:
            raise DomainError(
                f"已有履约中的同一信用承诺（第 {case.id} 号，履约期限至 {case.fulfil_by}）",
                "commitments.running",
            )


def _identity(session: Session, principal: Principal, subject: Subject, why: str) -> dict[str, str]:
    """The fields that name the subject on a record: a person's ID number through the audited
    reveal (the record masks and hashes it), else the organisation's USCC."""
    named = subjects.identifier_for_entry(session, subject, principal.actor, why)
    if named is not None and named[0] == "id_number":
        return {"zjlx": ID_CARD, "zjhm": named[1]}
    if named is not None:
        return {"shxym": named[1]}
    return {}


def _store_pledge(
    session: Session,
    principal: Principal,
    case: CommitmentCase,
    found: CommitmentTemplate,
    subject: Subject,
    department: Department,
) -> int:
    """The 信用承诺 record of the signing, published per xycn's rule while valid."""
    named = _identity(
        session, principal, subject, f"信用承诺（案件 {case.id}）：承诺信息须载明主体"
    )
    values: dict[str, object] = {
        "cn_xdr_mc": subject.name,
        "cn_xdr_lb": COUNTERPART.get(subject.subject_type, "法人及非法人组织"),
        **{f"cn_{key}": value for key, value in named.items()},
        "cn_lx": found.type,
        "cn_sx": case.matter,
        "cn_nr": case.text,
        "cn_bh": case.number,
        "cn_rq": case.signed_on.isoformat(),
        "cn_yxqz": add_duration(case.signed_on, found.valid_for).isoformat(),
        "cn_sldw": department.name,
        **({"cn_sldwdm": department.uscc} if department.uscc else {}),
    }
    return _store(session, PLEDGE_ITEM, subject, department, values)


def _store(
    session: Session, item_code: str, subject: Subject, department: Department, values: dict
) -> int:
    item = get_item(item_code)
    result = validate_payload(item, values, received_on=clock.today())
    if not result.ok:
        problems = "；".join(issue.message for issue in result.issues)
        raise DomainError(f"无法生成{item.name}信息：{problems}", "commitments.record_invalid")
    draft = RecordDraft(
        subject.id, result.values, department_id=department.id, region_code=department.region_code
    )
    (stored,) = records.store_many(session, item, [draft])
    return stored.record_id


# --- fulfilment and breach ----------------------------------------------------------------


def take_step(session: Session, principal: Principal, case: Case, asked: StepIn) -> Case:
    """The handler of the generic step door (`cases.handlers`): 确认已履约 or 认定违诺."""
    assert isinstance(case, CommitmentCase)
    if asked.transition == FULFIL:
        evidence = asked.data.get("evidence")
        return fulfil(session, principal, case, evidence if isinstance(evidence, str) else None)
    if asked.transition == BREACH:
        reasons = asked.data.get("reasons")
        return breach(session, principal, case, reasons if isinstance(reasons, str) else "")
    cases.allow(session, case, asked.transition, principal)  # the engine's own refusal
    raise DomainError("信用承诺没有该步骤", "cases.unknown_transition")


def fulfil(
    session: Session,
    principal: Principal,
    case: CommitmentCase,
    evidence: str | None = None,
    *,
    closed_by: str = "department",
) -> CommitmentCase:
    """已履约: the department confirms the commitment was kept (or the term passed unbroken)."""
    cases.allow(session, case, FULFIL, principal)
    shown = (evidence or "").strip()[:2000] or None
    case.closed_by = closed_by
    cases.step(session, case, FULFIL, principal, shown, {"closed_by": closed_by})
    _tell_subject(session, case, f"您的第 {case.id} 号信用承诺已确认履约", "感谢您守信践诺。")
    return case


def breach(
    session: Session,
    principal: Principal,
    case: CommitmentCase,
    reasons: str,
    *,
    closed_by: str = "department",
) -> CommitmentCase:
    """已违诺: the commitment was broken; a 违背信用承诺 record is made and published."""
    cases.allow(session, case, BREACH, principal)
    stated = reasons.strip()
    if not stated:
        raise DomainError("认定违诺须写明违诺情形", "commitments.reasons")
    if len(stated) > 2000:
        raise DomainError("违诺情形不能超过 2000 字", "commitments.reasons")
    found = template(case.template)
    subject = session.get_one(Subject, case.subject_id)
    department = session.get_one(Department, case.department_id)
    today = clock.today()
    named = _identity(session, principal, subject, f"违背信用承诺（案件 {case.id}）：须载明主体")
    basis = load_policy().commitments.breach.basis
    values: dict[str, object] = {
        "wf_mc": subject.name,
        "wf_lb": COUNTERPART.get(subject.subject_type, "法人及非法人组织"),
        **{f"wf_{key}": value for key, value in named.items()},
        "wf_cnbh": case.number,
        "wf_cnlx": found.type,
        "wf_cnsx": case.matter,
        "wf_cnrq": case.signed_on.isoformat(),
        "wf_qx": stated,
        "wf_yj": f"{basis}；《{found.name}》（编号 {case.number}）",
        "wf_rdrq": today.isoformat(),
        "wf_rdbm": department.name,
        **({"wf_rdbmdm": department.uscc} if department.uscc else {}),
    }
    record_id = _store(session, BREACH_ITEM, subject, department, values)
    case.breach_reasons, case.breach_record_id, case.closed_by = stated, record_id, closed_by
    cases.step(
        session, case, BREACH, principal, stated, {"record_id": record_id, "closed_by": closed_by}
    )
    _tell_subject(
        session,
        case,
        f"您的第 {case.id} 号信用承诺已被认定违诺",
        f"违诺情形：{stated}。该信息将记入信用记录并公示；纠正后可依规申请信用修复。"
        f"如有异议，请联系{department.name}。",
    )
    return case


def _tell_subject(session: Session, case: CommitmentCase, title: str, body: str) -> None:
    notify(
        session,
        ChannelName.SITE,
        RecipientKind.SUBJECT,
        case.subject_id,
        title,
        body,
        case_id=case.id,
    )


# --- the term passing ---------------------------------------------------------------------


def system_principal() -> Principal:
    """The platform settling terms on its own: the administrator's rights over the city the
    settings name, under the operator's actor (`cli`), as the jobs act."""
    settings = get_settings()
    return Principal(Role.PLATFORM_ADMIN, None, settings.city_code, Kind.OPERATOR.value, "系统")


def settle_due(session: Session) -> int:
    """The `commitments` job: every commitment still 履约中 on the day after its term is settled
    as its template says (`fulfilment.on_due`): broken, kept, or left in the department's
    overdue queue. Selected in one query; each then goes through the engine. Returns how many
    were settled."""
    today = clock.today()
    due = session.scalars(
        select(CommitmentCase)
        .where(
            CommitmentCase.state == CommitmentState.SIGNED.value,
            CommitmentCase.closed_at.is_(None),
            CommitmentCase.suspended_on.is_(None),
            CommitmentCase.due < today,
        )
        .order_by(CommitmentCase.due, CommitmentCase.id)
    ).all()
    system = system_principal()
    settled = 0
    for case in due:
        found = load_policy().commitments.template(case.template)
        if found is None or found.fulfilment.on_due == "wait":
            continue
        if found.fulfilment.on_due == "breach":
            reasons = f"承诺履行期限（{case.fulfil_by}）届满，未{found.fulfilment.label}"
            breach(session, system, case, reasons, closed_by="due")
        else:
            fulfil(session, system, case, "承诺期满，未被认定违诺", closed_by="due")
        settled += 1
    return settled
