"""Shared clean-up of identifier input: full-width to half-width, no spaces, upper-case."""

import unicodedata

# Full-width forms (U+FF01–U+FF5E) to ASCII and U+3000 to a space, in one translate() call.
_HALF = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def compact(value: str) -> str:
    """The identifier with every kind of space removed, half-width and upper-case."""
    text = value.translate(_HALF)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text)
    return "".join(text.split()).upper()


def is_digits(text: str) -> bool:
    """ASCII digits only: str.isdigit() alone also accepts ² and Arabic-Indic digits."""
    return text.isascii() and text.isdigit()
