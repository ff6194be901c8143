"""Document numbers that cannot be counted through: a prefix (XYBG for reports; a check
receipt takes its own), the year of issue, a random part in Crockford Base32 and a check
character (Luhn mod 32), e.g. XYBG2026K7Q3M9F2X4TBR.

The verification page is public, so a number must not lead to its neighbours: 12 random
characters are 60 bits, far past guessing. The check character catches a mistyped character
or two swapped neighbours before the database is asked. Typed numbers are read leniently
(lower case, spaces and hyphens, O for 0, I and L for 1), as Crockford's alphabet intends."""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford Base32: no I, L, O, U
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_NOISE = re.compile(r"[\s\-_.·]+")
MAX_TYPED = 64  # longer input is not a number: refused before any work


def new_number(prefix: str, year: int, random_length: int) -> str:
    body = f"{year:04d}" + "".join(secrets.choice(ALPHABET) for _ in range(random_length))
    return prefix + body + check_character(body)


def check_character(body: str) -> str:
    """Luhn mod N over Base32 values: every single-character error and most swaps of two
    neighbours change it."""
    factor, total = 2, 0
    for char in reversed(body):
        addend = factor * _VALUE[char]
        factor = 1 if factor == 2 else 2
        total += addend // 32 + addend % 32
    return ALPHABET[(32 - total % 32) % 32]


def normalised(text: str, prefix: str) -> str | None:
    """The number as stored, if `text` is a well-formed number with `prefix` (None: not one),
    read leniently: case, spaces, hyphens and the look-alike letters do not matter."""
    if len(text) > MAX_TYPED:
        return None
    compact = _NOISE.sub("", text).upper()
    if not compact.startswith(prefix):
        return None
    body = compact[len(prefix) :].translate(_READ_AS)
    if len(body) < 6 or not body[:4].isdigit() or any(c not in _VALUE for c in body):
        return None
    if check_character(body[:-1]) != body[-1]:
        return None
    return prefix + body
