"""15-digit 工商注册号 (GS 15-2006, legacy): 14 digits and an ISO 7064 MOD 11,10 check digit."""

from stdnum.iso7064 import mod_11_10

from xinyong.codes._text import compact
from xinyong.errors import InvalidCode


def normalize_reg_no(value: str) -> str:
    return compact(value)


def is_valid_reg_no(value: str) -> bool:
    number = compact(value)
    return len(number) == 15 and number.isdigit() and mod_11_10.is_valid(number)


def validate_reg_no(value: str) -> str:
    number = compact(value)
    if len(number) != 15 or not number.isdigit():
        raise InvalidCode(f"工商注册号应为15位数字，实际为“{number}”", "reg_no.length")
    if not mod_11_10.is_valid(number):
        raise InvalidCode("工商注册号校验位错误", "reg_no.checksum")
    return number


def make_reg_no(body14: str) -> str:
    return body14 + mod_11_10.calc_check_digit(body14)
