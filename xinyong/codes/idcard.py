"""公民身份号码 (GB 11643-1999): 6-digit address code, birth date, sequence, check character.

stdnum's `cn.ric` also demands that the county code existed in the birth year; counties are
renamed and merged, so the platform checks only the province and uses stdnum in tests.
"""

from datetime import date

from xinyong import clock
from xinyong.codes._text import compact, is_digits
from xinyong.errors import InvalidCode

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"  # GB 11643 (ISO 7064 MOD 11-2), indexed by Σ mod 11
# GB/T 2260 province-level codes, the first two digits of an address code, by 大区.
PROVINCES = frozenset(
    {
        *("11", "12", "13", "14", "15"),  # 华北
        *("21", "22", "23"),  # 东北
        *("31", "32", "33", "34", "35", "36", "37"),  # 华东
        *("41", "42", "43", "44", "45", "46"),  # 中南
        *("50", "51", "52", "53", "54"),  # 西南
        *("61", "62", "63", "64", "65"),  # 西北
        *("71", "81", "82"),  # 台湾、香港、澳门
    }
)
# The standard's own example (440524188001010014) was born in 1880: no tighter lower bound.
EARLIEST_BIRTH_YEAR = 1800


def normalize_id_number(value: str) -> str:
    """No spaces of any kind (inner, full-width), half-width, x written X."""
    return compact(value)


def id_check_char(body17: str) -> str:
    """GB 11643 校验码: Σ(ai·Wi) mod 11 indexes `10X98765432`."""
    if len(body17) != 17 or not is_digits(body17):
        raise InvalidCode("公民身份号码本体应为17位数字", "id_number.length")
    return _check_char(body17)


def make_id_number(body17: str) -> str:
    """The 17 body digits followed by their check character."""
    return body17 + id_check_char(body17)


def validate_id_number(value: str) -> str:
    """The normalised 18-character number, or InvalidCode naming what is wrong in Chinese."""
    number = compact(value)
    if len(number) == 15 and is_digits(number):
        raise InvalidCode("这是15位旧号码，请使用18位公民身份号码", "id_number.length")
    if len(number) != 18:
        raise InvalidCode(f"公民身份号码应为18位，实际为{len(number)}位", "id_number.length")
    if not is_digits(number[:17]) or not (is_digits(number[17]) or number[17] == "X"):
        bad = next(c for c in number if not is_digits(c))
        raise InvalidCode(f"公民身份号码含有非法字符“{bad}”", "id_number.charset")
    if number[:2] not in PROVINCES:
        raise InvalidCode(
            f"公民身份号码的地址码“{number[:6]}”不属于任何省级行政区", "id_number.region"
        )
    if _birth_date(number) is None:
        raise InvalidCode(f"公民身份号码中的出生日期“{number[6:14]}”无效", "id_number.birth_date")
    if number[17] != _check_char(number[:17]):
        raise InvalidCode("公民身份号码校验位错误", "id_number.checksum")
    return number


def is_valid_id_number(value: str) -> bool:
    """True when validate_id_number would accept the value."""
    try:
        validate_id_number(value)
    except InvalidCode:
        return False
    return True


def id_birth_date(value: str) -> date:
    """The birth date a valid number encodes (positions 7–14)."""
    born = _birth_date(validate_id_number(value))
    assert born is not None  # validate_id_number has checked it
    return born


def id_sex(value: str) -> str:
    """男 or 女: GB 11643 gives odd sequence codes (17th digit) to men, even to women."""
    return "男" if int(validate_id_number(value)[16]) % 2 else "女"


def mask_id_number(value: str) -> str:
    """Show at most the first 4 and last 4 characters: 4401**********123X.

    Anything shorter than an old 15-digit number is masked whole, so a fragment never leaks."""
    text = compact(value)
    if len(text) < 15:
        return "*" * len(text)
    return text[:4] + "*" * (len(text) - 8) + text[-4:]


def _check_char(body17: str) -> str:
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(body17, WEIGHTS, strict=True)) % 11]


def _birth_date(number: str) -> date | None:
    """The encoded birth date, or None when it is not a real date, too early, or in the future."""
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None
    return born if born.year >= EARLIEST_BIRTH_YEAR and born <= clock.today() else None
