"""The identifier schemes a subject is known by, in one table: their Chinese names, lengths and
how each is normalised and checked. Registering, linking, checks and search all read it, so a
new scheme (or a changed length) is one row here, not four copies of `(18, 9, 15)`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from xinyong.codes.idcard import is_valid_id_number, normalize_id_number, validate_id_number
from xinyong.codes.orgcode import is_valid_org_code, normalize_org_code, validate_org_code
from xinyong.codes.regno import is_valid_reg_no, normalize_reg_no, validate_reg_no
from xinyong.codes.uscc import is_valid_uscc, normalize_uscc, validate_uscc


class Scheme(StrEnum):
    """Machine names, as stored in `subject_identifiers.scheme`."""

    USCC = "uscc"
    ORG_CODE = "org_code"
    REG_NO = "reg_no"
    ID_NUMBER = "id_number"


@dataclass(frozen=True)
class SchemeRule:
    scheme: Scheme
    label: str
    length: int
    normalize: Callable[[str], str]
    validate: Callable[[str], str]  # the normalised value, or InvalidCode in Chinese
    is_valid: Callable[[str], bool]
    personal: bool  # a person's number: stored encrypted, looked up by keyed hash


# In lookup order: the USCC first, then the legacy codes it replaced, then a person's number.
SCHEMES: dict[Scheme, SchemeRule] = {
    rule.scheme: rule
    for rule in (
        SchemeRule(
            Scheme.USCC,
            "统一社会信用代码",
            18,
            normalize_uscc,
            validate_uscc,
            is_valid_uscc,
            False,
        ),
        SchemeRule(
            Scheme.ORG_CODE,
            "组织机构代码",
            9,
            normalize_org_code,
            validate_org_code,
            is_valid_org_code,
            False,
        ),
        SchemeRule(
            Scheme.REG_NO,
            "工商注册号",
            15,
            normalize_reg_no,
            validate_reg_no,
            is_valid_reg_no,
            False,
        ),
        SchemeRule(
            Scheme.ID_NUMBER,
            "公民身份号码",
            18,
            normalize_id_number,
            validate_id_number,
            is_valid_id_number,
            True,
        ),
    )
}

LOOKUP_ORDER: tuple[Scheme, ...] = tuple(SCHEMES)
# An organisation's codes: public, and told apart by their length alone.
ORGANISATION_SCHEMES: tuple[Scheme, ...] = tuple(s for s, r in SCHEMES.items() if not r.personal)
_BY_LENGTH = {SCHEMES[s].length: s for s in ORGANISATION_SCHEMES}  # the lengths all differ


def organisation_scheme(code: str) -> Scheme | None:
    """Which organisation code a normalised code is, by its length (18, 9 or 15)."""
    return _BY_LENGTH.get(len(code))


def normalize_organisation_code(value: str) -> str:
    """Any organisation code as typed (spaces, full-width, hyphen, lower case) normalised;
    the organisation-code rule is the loosest and leaves the other codes as their own rule would."""
    return normalize_org_code(value)


def organisation_lengths_text() -> str:
    """“18位统一社会信用代码、9位组织机构代码或15位工商注册号”, from the table."""
    named = [f"{SCHEMES[s].length}位{SCHEMES[s].label}" for s in ORGANISATION_SCHEMES]
    return "、".join(named[:-1]) + "或" + named[-1]
