"""Identifying the subjects a check asks about: each key (a USCC, an ID number, or a name with
a code) to its subject, set-based, or to the exact reason it names none."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong import codes
from xinyong.db import one_of
from xinyong.errors import InvalidCode
from xinyong.policy.enums import SubjectType
from xinyong.subjects.models import Subject, SubjectIdentifier
from xinyong.subjects.pii import id_number_hash

CHUNK = 5000  # subjects per query: few round trips, well under both databases' limits


@dataclass(frozen=True)
class SubjectKey:
    """How a caller names a subject: a USCC, an ID number, or a name with any of its codes."""

    uscc: str | None = None
    id_number: str | None = None
    name: str | None = None
    code: str | None = None

    def shown(self) -> str:
        """The key as kept with the answer; an ID number only masked."""
        if self.id_number:
            return codes.mask_id_number(codes.normalize_id_number(self.id_number))
        return " ".join(v for v in (self.uscc, self.name, self.code) if v)


NOT_FOUND = "checks.subject_not_found"
INVALID_CODE = "checks.invalid_code"
NAME_MISMATCH = "checks.name_mismatch"


@dataclass(frozen=True)
class Missing:
    """Why a key named no subject, as the clerk should read it."""

    message: str
    code: str


def _missing(key: SubjectKey, registered: tuple[str, str] | None) -> Missing:
    """Said exactly: a malformed code or wrong check character (checked only now, for the keys
    not found), a name that is not the code's (an organisation's registered name is public; a
    person's is never told), or a well-formed code the registry does not hold."""
    shown = key.shown() or "（未提供标识）"
    if registered is not None:
        name, subject_type = registered
        # A person's name is never told; nor an individual business's, which is often its
        # operator's own name when the shop has none.
        if subject_type == SubjectType.NATURAL_PERSON:
            return Missing(f"所填姓名与公民身份号码登记的姓名不符：{shown}", NAME_MISMATCH)
        if subject_type == SubjectType.INDIVIDUAL_BUSINESS:
            return Missing(f"所填名称与该代码登记的名称不符：{shown}", NAME_MISMATCH)
        return Missing(f"该代码登记名称为“{name}”，与所填名称“{key.name}”不符", NAME_MISMATCH)
    try:
        _validate(key)
    except InvalidCode as bad:
        return Missing(f"{bad.message}：{shown}", INVALID_CODE)
    return Missing(f"未找到该信用主体：{shown}", NOT_FOUND)


def _validate(key: SubjectKey) -> None:
    if key.uscc:
        codes.validate_uscc(key.uscc)
    elif key.id_number:
        codes.validate_id_number(key.id_number)
    elif key.name and key.code:
        code = codes.normalize_org_code(key.code)
        check = {18: codes.validate_uscc, 9: codes.validate_org_code, 15: codes.validate_reg_no}
        if len(code) not in check:
            raise InvalidCode(
                f"代码应为18位统一社会信用代码、9位组织机构代码或15位工商注册号，实际为{len(code)}位",
                "checks.code_length",
            )
        check[len(code)](code)


def resolve(session: Session, keys: Sequence[SubjectKey]) -> list[tuple[int, str] | Missing]:
    """(subject id, name) for each key, or why it names none."""
    lookups: list[tuple[str, str] | None] = []
    for key in keys:
        lookups.append(_lookup(key))
    wanted: dict[str, set[str]] = defaultdict(set)
    for lookup in lookups:
        if lookup:
            wanted[lookup[0]].add(lookup[1])
    ids: dict[tuple[str, str], int] = {}
    names: dict[int, tuple[str, str, str]] = {}
    for scheme, values in wanted.items():
        ordered = sorted(values)
        for start in range(0, len(ordered), CHUNK):
            rows = session.execute(
                select(
                    SubjectIdentifier.value,
                    Subject.id,
                    Subject.name,
                    Subject.name_key,
                    Subject.subject_type,
                )
                .join(Subject, Subject.id == SubjectIdentifier.subject_id)
                .where(
                    SubjectIdentifier.scheme == scheme,
                    one_of(session, SubjectIdentifier.value, ordered[start : start + CHUNK]),
                )
            )
            for value, subject_id, name, name_key, subject_type in rows:
                ids[(scheme, value)] = subject_id
                names[subject_id] = (name, name_key, subject_type)
    resolved: list[tuple[int, str] | Missing] = []
    for key, lookup in zip(keys, lookups, strict=True):
        found = ids.get(lookup) if lookup else None
        if found is None:
            resolved.append(_missing(key, None))
            continue
        name, name_key, subject_type = names[found]
        if key.name and codes.normalize_name(key.name) != name_key:
            resolved.append(_missing(key, (name, subject_type)))
            continue
        resolved.append((found, name))
    return resolved


def _lookup(key: SubjectKey) -> tuple[str, str] | None:
    """(scheme, stored value) to look the key up by. Codes are only normalised, not checked:
    a code with a wrong check character matches no stored (valid) code, and a batch saves a
    hundred thousand checksum computations; the keys not found are checked afterwards."""
    if key.uscc:
        return "uscc", codes.normalize_uscc(key.uscc)
    if key.id_number:
        try:
            return "id_number", id_number_hash(codes.validate_id_number(key.id_number))
        except InvalidCode:
            return None
    if key.name and key.code:
        code = codes.normalize_org_code(key.code)
        for scheme, length in (("uscc", 18), ("org_code", 9), ("reg_no", 15)):
            if len(code) == length:
                return scheme, code
    return None
