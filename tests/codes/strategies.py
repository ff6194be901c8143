"""Hypothesis strategies for identifier bodies."""

from hypothesis import strategies as st

from xinyong.codes.uscc import ALPHABET

DIGITS = "0123456789"
ORG_BODY_CHARS = DIGITS + "ABCDEFGHJKLMNPQRTUWXY"

org_bodies = st.text(ORG_BODY_CHARS, min_size=8, max_size=8)
uscc_heads = st.sampled_from(["91", "92", "93", "11", "12", "51", "52", "53", "N2", "Y1"])
regions = st.sampled_from(["440106", "440100", "110101", "320602", "411502"])
uscc_chars = st.sampled_from(ALPHABET)
