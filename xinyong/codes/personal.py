"""Personal numbers typed into free text (违法事实, 备注, …): 18-digit 公民身份号码 whose check
character is right, and 11-digit mainland mobile numbers (1[3-9]…). Collection warns about them;
publication shows them masked (个人信息保护法: personal information wherever it appears).

A number counts only as a whole run of digits: 18 digits inside a 20-digit account number are
not an ID number, 11 digits inside a longer run not a mobile number."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from xinyong.codes.idcard import is_valid_id_number, mask_id_number

_DIGIT = "0-9\uff10-\uff19"  # half- and full-width: clerks type both
_PATTERN = re.compile(
    rf"(?<![{_DIGIT}])(?:"
    rf"(?P<id>[{_DIGIT}]{{17}}[{_DIGIT}Xx\uff38\uff58])"
    rf"|(?:(?:\+|\uff0b)?86[- ]?)?(?P<mobile>[1\uff11][3-9\uff13-\uff19][{_DIGIT}]{{9}})"
    rf")(?![{_DIGIT}])"
)
MOBILE_SHOWN_HEAD, MOBILE_SHOWN_TAIL = 3, 4  # 138****5678, as mobile numbers are usually masked


class NumberKind(StrEnum):
    ID_NUMBER = "id_number"
    MOBILE = "mobile"

    @property
    def label(self) -> str:
        return "身份证号码" if self is NumberKind.ID_NUMBER else "手机号码"


@dataclass(frozen=True)
class PersonalNumber:
    kind: NumberKind
    start: int  # the number's span in the text (a +86 prefix stays outside it)
    end: int


def find_personal_numbers(text: str) -> list[PersonalNumber]:
    """Every valid ID number and mobile number in `text`, in order."""
    found = []
    for match in _PATTERN.finditer(text):
        if match["id"] is not None:
            if is_valid_id_number(match["id"]):
                found.append(PersonalNumber(NumberKind.ID_NUMBER, *match.span("id")))
        else:
            found.append(PersonalNumber(NumberKind.MOBILE, *match.span("mobile")))
    return found


def mask_personal_numbers(text: str) -> str:
    """`text` with each personal number masked: an ID number as `mask_id_number` shows the
    structured ones (4401**********123X), a mobile number as 138****5678; nothing else
    changes."""
    numbers = find_personal_numbers(text)
    if not numbers:
        return text
    pieces, last = [], 0
    for number in numbers:
        value = text[number.start : number.end]
        masked = (
            mask_id_number(value) if number.kind is NumberKind.ID_NUMBER else _mask_mobile(value)
        )
        pieces += [text[last : number.start], masked]
        last = number.end
    pieces.append(text[last:])
    return "".join(pieces)


def _mask_mobile(value: str) -> str:
    hidden = len(value) - MOBILE_SHOWN_HEAD - MOBILE_SHOWN_TAIL
    return value[:MOBILE_SHOWN_HEAD] + "*" * hidden + value[-MOBILE_SHOWN_TAIL:]
