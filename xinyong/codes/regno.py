"""15-digit 工商注册号 (GS 15-2006, legacy): 14 digits and an ISO 7064 MOD 11,10 check digit.

Issued before the 统一社会信用代码; still found on old records and licences.
"""

from stdnum.iso7064 import mod_11_10

from xinyong.codes._text import compact, is_digits
from xinyong.errors import InvalidCode


def normalize_reg_no(value: str) -> str:
    """No spaces of any kind, half-width digits."""
    return compact(value)


def make_reg_no(body14: str) -> str:
    """The 14 body digits followed by their ISO 7064 MOD 11,10 check digit."""
    if len(body14) != 14 or not is_digits(body14):
        raise InvalidCode("工商注册号本体应为14位数字", "reg_no.length")
    return body14 + mod_11_10.calc_check_digit(body14)


def is_valid_reg_no(value: str) -> bool:
    """True for 15 ASCII digits whose last is the right check digit."""
    number = compact(value)
    return len(number) == 15 and is_digits(number) and mod_11_10.is_valid(number)


def validate_reg_no(value: str) -> str:
    """The normalised number, or InvalidCode naming what is wrong in Chinese."""
    number = compact(value)
    if len(number) != 15:
        raise InvalidCode(f"工商注册号应为15位数字，实际为{len(number)}位", "reg_no.length")
    if not is_digits(number):
        bad = next(c for c in number if not is_digits(c))
        raise InvalidCode(f"工商注册号含有非法字符“{bad}”", "reg_no.charset")
    if not mod_11_10.is_valid(number):
        raise InvalidCode("工商注册号校验位错误", "reg_no.checksum")
    return number
