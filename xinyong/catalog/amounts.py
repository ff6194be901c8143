"""Amounts of money written in words in a decision's text (处罚内容: "罚款四百元", "罚款3.5万元",
"罚款人民币伍万元整"), read so that an amount field can be compared with what the text says."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {
    c: i for i, c in enumerate("〇壹贰叁肆伍陆柒捌玖")
}
_DIGITS["两"] = 2
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_TEN_THOUSANDS = {"万": 10**4, "萬": 10**4}
_HUNDRED_MILLIONS = {"亿": 10**8, "億": 10**8}
_BIG_UNITS = _TEN_THOUSANDS | _HUNDRED_MILLIONS
_ARABIC = r"\d[\d,]*(?:\.\d+)?"
_WORD = "".join((*_DIGITS, *_SMALL_UNITS, *_BIG_UNITS))
# A run of digits and numeral characters directly before 元 (after NFKC: full-width digits and
# commas are plain ones).
_AMOUNT = re.compile(rf"((?:{_ARABIC}|[{_WORD}])+)元")
_TOKEN = re.compile(rf"{_ARABIC}|[{_WORD}]")


@dataclass(frozen=True)
class TextAmount:
    yuan: Decimal
    words: str  # as written, e.g. 四百元
    lead: str  # the text since the amount before it: what the amount is of (罚款, 没收违法所得)


def amounts_in_text(text: str) -> list[TextAmount]:
    """Every amount the text states in 元 or 万元, in order, as yuan; unreadable ones skipped."""
    found = []
    since = 0
    normal = unicodedata.normalize("NFKC", text)
    for match in _AMOUNT.finditer(normal):
        yuan = _value(_TOKEN.findall(match[1]))
        if yuan:
            found.append(TextAmount(yuan, match[0], normal[since : match.start()]))
        since = match.end()
    return found


def _value(tokens: list[str]) -> Decimal | None:
    """一万二千 → 12000, 3.5万 → 35000, 十 → 10, 一亿二千万 → 120000000."""
    total, section, number = Decimal(0), Decimal(0), Decimal(0)
    for token in tokens:
        if token in _DIGITS:
            number = Decimal(_DIGITS[token])
        elif token in _SMALL_UNITS:
            if not number and token not in "十拾":
                return None  # 百元, 千元 without a digit: not an amount
            section += (number or 1) * _SMALL_UNITS[token]
            number = Decimal(0)
        elif token in _TEN_THOUSANDS:
            total += (section + number) * _TEN_THOUSANDS[token]
            section = number = Decimal(0)
        elif token in _HUNDRED_MILLIONS:
            total = (total + section + number) * _HUNDRED_MILLIONS[token]
            section = number = Decimal(0)
        else:
            number = Decimal(token.replace(",", ""))
    return total + section + number or None
