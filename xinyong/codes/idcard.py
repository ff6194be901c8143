"""公民身份号码 (GB 11643-1999): 6-digit address code, birth date, sequence, check character.

stdnum's `cn.ric` also demands that the county code existed in the birth year; counties are
renamed and merged, so the platform checks only the province and uses stdnum in tests.
"""

from datetime import date

from xinyong import clock
from xinyong.codes._text import compact
from xinyong.errors import InvalidCode

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# GB/T 2260 province codes (first two digits).
PROVINCES = frozenset(
    {
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    }
)


def normalize_id_number(value: str) -> str:
    return compact(value)


def id_check_char(body17: str) -> str:
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(body17, WEIGHTS, strict=True)) % 11]


def _birth_date(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def validate_id_number(value: str) -> str:
    number = compact(value)
    if len(number) == 15:
        raise InvalidCode("请使用18位公民身份号码", "id_number.length")
    if len(number) != 18:
        raise InvalidCode(f"公民身份号码应为18位，实际为{len(number)}位", "id_number.length")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise InvalidCode("公民身份号码含有非法字符", "id_number.charset")
    if number[:2] not in PROVINCES:
        raise InvalidCode("公民身份号码的地址码不存在", "id_number.region")
    born = _birth_date(number)
    if born is None or born > clock.today() or born.year < 1900:
        raise InvalidCode("公民身份号码中的出生日期无效", "id_number.birth_date")
    if number[17] != id_check_char(number[:17]):
        raise InvalidCode("公民身份号码校验位错误", "id_number.checksum")
    return number


def is_valid_id_number(value: str) -> bool:
    try:
        validate_id_number(value)
    except InvalidCode:
        return False
    return True


def id_birth_date(value: str) -> date:
    born = _birth_date(validate_id_number(value))
    assert born is not None
    return born


def id_sex(value: str) -> str:
    """GB 11643: the 17th digit (sequence code) is odd for men and even for women."""
    return "男" if int(validate_id_number(value)[16]) % 2 else "女"


def mask_id_number(value: str) -> str:
    """Show at most the first 4 and last 4 characters: 4401**********123X.

    Anything shorter than an old 15-digit number is masked whole, so a fragment never leaks."""
    text = compact(value)
    if len(text) < 15:
        return "*" * len(text)
    return text[:4] + "*" * (len(text) - 8) + text[-4:]


def make_id_number(body17: str) -> str:
    return body17 + id_check_char(body17)
