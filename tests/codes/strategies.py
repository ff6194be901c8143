"""Hypothesis strategies and helpers shared by the identifier tests."""

from hypothesis import strategies as st

from xinyong.codes.uscc import ALPHABET

DIGITS = "0123456789"
ORG_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # GB 11714 附录A

org_bodies = st.text(ALPHABET, min_size=8, max_size=8)  # org codes that can sit inside a USCC
uscc_heads = st.sampled_from(["91", "92", "93", "11", "12", "51", "52", "53", "N2", "Y1", "A1"])
digit_heads = st.sampled_from(["91", "92", "93", "11", "12", "13", "19", "51", "52", "53", "31"])
regions = st.sampled_from(["440106", "440100", "110101", "320602", "411502", "429004"])
uscc_chars = st.sampled_from(ALPHABET)

# How people type codes: full-width forms, ideographic and inner spaces, lower case.
_FULL_WIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}


@st.composite
def messy(draw, code: str) -> str:
    """The code as someone might have typed it; normalising must give the code back."""
    out = []
    for char in code:
        char = draw(st.sampled_from([char, char.lower(), _FULL_WIDTH[char.lower()]]))
        out.append(char + draw(st.sampled_from(["", "", "", " ", "\u3000", "\t"])))
    return draw(st.sampled_from(["", " ", "\u3000"])) + "".join(out)


def is_chinese(message: str) -> bool:
    """A user-facing message must be written in Chinese."""
    return any("\u4e00" <= c <= "\u9fff" for c in message)
