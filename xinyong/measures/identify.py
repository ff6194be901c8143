"""Identifying the subjects a check asks about: each key (a USCC, an ID number, or a name with
a code) to its subject, set-based, or to the exact reason it names none."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from xinyong import codes
from xinyong.codes.schemes import (
    SCHEMES,
    Scheme,
    normalize_organisation_code,
    organisation_lengths_text,
    organisation_scheme,
)
from xinyong.errors import InvalidCode
from xinyong.policy.enums import SubjectType
from xinyong.subjects import registry
from xinyong.subjects.registry import Key, key_of, lookup_many, organisation_key

CHUNK = registry.CHUNK  # subjects per query, for the memberships of those identified too


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
        code = normalize_organisation_code(key.code)
        scheme = organisation_scheme(code)
        if scheme is None:
            raise InvalidCode(
                f"代码应为{organisation_lengths_text()}，实际为{len(code)}位", "checks.code_length"
            )
        SCHEMES[scheme].validate(code)


def resolve(session: Session, keys: Sequence[SubjectKey]) -> list[tuple[int, str, str] | Missing]:
    """(subject id, name, registration status) for each key, or why it names none: one
    registry lookup for all."""
    lookups = [_lookup(key) for key in keys]
    found = lookup_many(session, [lookup for lookup in lookups if lookup is not None])
    resolved: list[tuple[int, str, str] | Missing] = []
    for key, lookup in zip(keys, lookups, strict=True):
        known = found.get(lookup) if lookup else None
        if known is None:
            resolved.append(_missing(key, None))
        elif key.name and codes.normalize_name(key.name) != known.name_key:
            resolved.append(_missing(key, (known.name, known.subject_type)))
        else:
            resolved.append((known.subject_id, known.name, known.status))
    return resolved


def _lookup(key: SubjectKey) -> Key | None:
    """The registry key to look the key up by (codes normalised, not yet checked: the keys not
    found are checked afterwards, to say why)."""
    if key.uscc:
        return key_of(Scheme.USCC, key.uscc)
    if key.id_number:
        return key_of(Scheme.ID_NUMBER, key.id_number)
    if key.name and key.code:
        return organisation_key(key.code)
    return None
