"""Registering subjects and finding them again by any identifier they are known by."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from xinyong import clock, codes
from xinyong.auth import audit
from xinyong.auth.permissions import Target
from xinyong.codes.schemes import LOOKUP_ORDER, SCHEMES, Scheme
from xinyong.db import allocate_ids, table_of
from xinyong.errors import DomainError, NotFound
from xinyong.policy.enums import SubjectType
from xinyong.records.models import Record
from xinyong.subjects.models import Subject, SubjectIdentifier, SubjectName
from xinyong.subjects.pii import id_number_hash, seal, unseal
from xinyong.subjects.registry import key_of, lookup_many, organisation_key, stored_value

# GB 32100-2015: 登记管理部门码 + 机构类别码 → subject type.
_TYPE_BY_USCC_PREFIX = {
    "91": SubjectType.ENTERPRISE,
    "93": SubjectType.ENTERPRISE,  # 农民专业合作社
    "92": SubjectType.INDIVIDUAL_BUSINESS,
    "11": SubjectType.GOVERNMENT_AGENCY,
    "12": SubjectType.PUBLIC_INSTITUTION,
    "51": SubjectType.SOCIAL_ORGANIZATION,
    "52": SubjectType.SOCIAL_ORGANIZATION,
    "53": SubjectType.SOCIAL_ORGANIZATION,
}


class DuplicateSubject(DomainError):
    status_code = 409


@dataclass
class SubjectIn:
    """A subject as a department or the registry describes it, before validation."""

    subject_type: SubjectType
    name: str
    uscc: str | None = None
    org_code: str | None = None
    reg_no: str | None = None
    id_number: str | None = None
    region_code: str | None = None
    status: str = "active"
    named_since: date | None = None  # the name's start in its history (else: today)


@dataclass(frozen=True)
class _Clean:
    subject_type: SubjectType
    name: str
    name_key: str
    region_code: str | None
    status: str
    identifiers: dict[str, str]  # scheme → normalised value (id_number: the plain number)

    def lookup_pairs(self) -> list[tuple[str, str]]:
        return [(scheme, stored_value(scheme, v)) for scheme, v in self.identifiers.items()]


def subject_type_from_uscc(uscc: str) -> SubjectType | None:
    return _TYPE_BY_USCC_PREFIX.get(uscc[:2])


def _clean(data: SubjectIn) -> _Clean:
    name = codes.clean_name(data.name or "")
    if not name:
        raise DomainError("主体名称不能为空", "subject.name_empty")
    ids: dict[str, str] = {}
    for scheme, rule in SCHEMES.items():
        if raw := getattr(data, scheme.value):
            ids[scheme.value] = rule.validate(raw)
    person = data.subject_type == SubjectType.NATURAL_PERSON
    if person and Scheme.ID_NUMBER not in ids:
        raise DomainError("自然人须提供公民身份号码", "subject.id_number_missing")
    if not person and not any(s in ids for s, r in SCHEMES.items() if not r.personal):
        raise DomainError("非自然人主体须提供统一社会信用代码或原有代码", "subject.code_missing")
    region = data.region_code or _region_from_identifiers(ids)
    return _Clean(data.subject_type, name, codes.normalize_name(name), region, data.status, ids)


def check_subject(data: SubjectIn) -> None:
    """Raise the DomainError registering `data` would raise for its content (not duplicates)."""
    _clean(data)


def _region_from_identifiers(ids: dict[str, str]) -> str | None:
    candidate = ids["uscc"][2:8] if "uscc" in ids else ids.get("id_number", "")[:6]
    return candidate if candidate and codes.is_valid_region(candidate) else None


def register_many(
    session: Session, subjects: Sequence[SubjectIn], source: str = "登记", *, verified: bool = True
) -> list[int]:
    """Validate and insert new subjects in bulk; raises on an invalid or already known subject.
    `verified` False: organisations named only by another department's record, 待核实 until
    registered. A natural person is always verified: the ID number is the identity, and no
    registration source describes persons."""
    cleaned = [_clean(s) for s in subjects]
    pairs = [pair for c in cleaned for pair in c.lookup_pairs()]
    if len(set(pairs)) != len(pairs):
        raise DuplicateSubject("同一批次中主体标识重复", "subject.duplicate")
    now, today = clock.now(), clock.today()
    ids = allocate_ids(session, table_of(Subject), len(cleaned))
    rows = [
        _subject_row(sid, c, now)
        | {"verified": verified or c.subject_type is SubjectType.NATURAL_PERSON}
        for sid, c in zip(ids, cleaned, strict=True)
    ]
    try:
        session.execute(insert(table_of(Subject)), rows)
        session.execute(
            insert(table_of(SubjectIdentifier)),
            [
                {"subject_id": sid, "scheme": scheme, "value": value}
                for sid, c in zip(ids, cleaned, strict=True)
                for scheme, value in c.lookup_pairs()
            ],
        )
    except IntegrityError as exc:
        raise DuplicateSubject("主体已存在（标识已被登记）", "subject.duplicate") from exc
    session.execute(
        insert(table_of(SubjectName)),
        [
            {
                "subject_id": sid,
                "name": c.name,
                "name_key": c.name_key,
                "valid_from": min(s.named_since, today) if s.named_since else today,
                "source": source,
            }
            for sid, c, s in zip(ids, cleaned, subjects, strict=True)
        ],
    )
    return ids


def register(session: Session, subject: SubjectIn, source: str = "登记") -> Subject:
    (subject_id,) = register_many(session, [subject], source)
    return session.get_one(Subject, subject_id)


def _subject_row(subject_id: int, c: _Clean, now: object) -> dict[str, object]:
    id_number = c.identifiers.get("id_number")
    return {
        "id": subject_id,
        "subject_type": c.subject_type.value,
        "name": c.name,
        "name_key": c.name_key,
        "uscc": c.identifiers.get("uscc"),
        "region_code": c.region_code,
        "status": c.status,
        "id_number_cipher": seal(id_number) if id_number else None,
        "id_number_hash": id_number_hash(id_number) if id_number else None,
        "id_number_masked": codes.mask_id_number(id_number) if id_number else None,
        "created_at": now,
        "updated_at": now,
    }


def resolve(
    session: Session,
    *,
    uscc: str | None = None,
    org_code: str | None = None,
    reg_no: str | None = None,
    id_number: str | None = None,
) -> Subject | None:
    """The subject known by these identifiers, trying USCC, legacy codes, then the ID number."""
    given = {"uscc": uscc, "org_code": org_code, "reg_no": reg_no, "id_number": id_number}
    keys = [key_of(scheme, raw) for scheme in LOOKUP_ORDER if (raw := given[scheme.value])]
    found = lookup_many(session, [key for key in keys if key is not None])
    first = next((found[key] for key in keys if key in found), None)
    return session.get(Subject, first.subject_id) if first is not None else None


def get(session: Session, subject_id: int) -> Subject:
    subject = session.get(Subject, subject_id)
    if subject is None:
        raise NotFound(f"主体不存在：{subject_id}", "subject.not_found")
    return subject


def rename(
    session: Session, subject: Subject, new_name: str, source: str, on: date | None = None
) -> bool:
    """Record a new name in the history, in effect from `on` (a registration's 核准日期; else
    today); returns False when the name is the same subject name."""
    name = codes.clean_name(new_name)
    key = codes.normalize_name(name)
    if key == subject.name_key:
        return False
    since = min(on, clock.today()) if on else clock.today()
    current = session.scalar(
        select(SubjectName).where(
            SubjectName.subject_id == subject.id, SubjectName.valid_to.is_(None)
        )
    )
    if current is not None:
        since = max(since, current.valid_from)  # never before the name it replaces began
        current.valid_to = since
    session.add(
        SubjectName(subject_id=subject.id, name=name, name_key=key, valid_from=since, source=source)
    )
    subject.name, subject.name_key, subject.updated_at = name, key, clock.now()
    return True


def name_history(session: Session, subject_id: int) -> list[SubjectName]:
    return list(
        session.scalars(
            select(SubjectName)
            .where(SubjectName.subject_id == subject_id)
            .order_by(SubjectName.valid_from, SubjectName.id)
        )
    )


def reveal_id_number(session: Session, subject: Subject, actor: str, reason: str) -> str:
    """The unmasked ID number, for an audited staff view only."""
    if subject.id_number_cipher is None:
        raise NotFound("该主体没有公民身份号码", "subject.no_id_number")
    audit.write(session, actor, "subject.reveal_id_number", "subject", subject.id, note=reason)
    return unseal(subject.id_number_cipher)


def identifier_for_entry(
    session: Session, subject: Subject, actor: str, reason: str
) -> tuple[Scheme, str] | None:
    """The identifier a list entry names its subject by: a person's ID number — in clear,
    since the entry is validated and stored like any record, which masks and hashes it — taken
    through the audited reveal; else an organisation's USCC; None when it has neither."""
    if subject.subject_type == SubjectType.NATURAL_PERSON.value and subject.id_number_cipher:
        return Scheme.ID_NUMBER, reveal_id_number(session, subject, actor, reason)
    if subject.uscc:
        return Scheme.USCC, subject.uscc
    return None


def count_by_type(session: Session) -> dict[SubjectType, int]:
    rows = session.execute(
        select(Subject.subject_type, func.count()).group_by(Subject.subject_type)
    )
    counts = {SubjectType(t): n for t, n in rows}
    return {t: counts.get(t, 0) for t in SubjectType}


def as_of_name(session: Session, subject_id: int, day: date) -> str | None:
    """The subject's name on a given day (name history)."""
    return session.scalar(
        select(SubjectName.name)
        .where(
            SubjectName.subject_id == subject_id,
            SubjectName.valid_from <= day,
            (SubjectName.valid_to.is_(None)) | (SubjectName.valid_to > day),
        )
        .order_by(SubjectName.valid_from.desc())
        .limit(1)
    )


MAX_ID_DIGITS = 15  # a registry number; longer digit strings are codes, never ids


def subject_named(session: Session, named: str) -> int:
    """The subject a clerk names by its USCC or organisation code, or by its number in the
    registry (主体编号, as in its archive's address)."""
    text_ = named.strip()
    key = organisation_key(text_) if text_ else None
    if key is not None and (known := lookup_many(session, [key]).get(key)) is not None:
        return known.subject_id
    numbered = text_.isdigit() and len(text_) <= MAX_ID_DIGITS
    if numbered and session.get(Subject, int(text_)) is not None:
        return int(text_)
    raise NotFound(
        f"未找到主体：{text_[:40]}（请填写统一社会信用代码、组织机构代码或主体编号）",
        "subject.not_found",
    )


def subject_identified(session: Session, named: str) -> int:
    """`subject_named`, or a natural person named by its ID number (公民身份号码), which only
    its keyed hash finds: how the `xinyong report` command names whom a report is about."""
    text_ = named.strip()
    key = key_of(Scheme.ID_NUMBER, text_) if len(text_) in (15, 18) else None
    if key is not None and (known := lookup_many(session, [key]).get(key)) is not None:
        return known.subject_id
    try:
        return subject_named(session, text_)
    except NotFound:
        raise NotFound(
            f"未找到主体：{codes.mask_personal_numbers(text_[:40])}"
            "（请填写统一社会信用代码、身份证号码或主体编号）",
            "subject.not_found",
        ) from None


def region_of(session: Session, subject: Subject) -> str | None:
    """A subject's region, which permissions judge it by: its own, else that of the first
    record sent about it (a subject named only by a department's record may have none)."""
    return subject.region_code or session.scalar(
        select(Record.region_code).where(Record.subject_id == subject.id).order_by(Record.id)
    )


def subject_target(session: Session, subject: Subject) -> Target:
    """The subject as permissions judge an action on it: by its region and as itself."""
    return Target(
        "subject", subject.id, region_code=region_of(session, subject), subject_id=subject.id
    )
