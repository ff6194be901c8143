"""Subject names: a matching key that ignores script, width, spacing and bracket style."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import opencc

# Applied after NFKC, which has already turned （）［］｛｝ into ()[]{}.
_BRACKETS = str.maketrans(
    {
        "[": "(",
        "]": ")",
        "{": "(",
        "}": ")",
        "【": "(",
        "】": ")",
        "〔": "(",
        "〕": ")",
        "〖": "(",
        "〗": ")",
        "〘": "(",
        "〙": ")",
        "⦅": "(",
        "⦆": ")",
    }
)
_ANY_BRACKET = re.compile(r"[\[\]{}【】〔〕〖〗〘〙⦅⦆]")
# Han ideographs (BMP, compatibility, extensions B and later), CJK punctuation and brackets.
_CJK = r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f()]"
_SPACE_NEAR_CJK = re.compile(rf"(?<={_CJK}) | (?={_CJK})")


@cache
def _t2s() -> opencc.OpenCC:
    # t2s, not tw2sp: legal names must keep their words, only the script changes.
    return opencc.OpenCC("t2s")


def normalize_name(value: str) -> str:
    """The key names are matched on: 廣州市 某某（集团） and 广州市某某(集团) give the same key.

    NFKC, every bracket as (), no space next to a Chinese character or bracket, one space
    elsewhere, traditional → simplified, Latin letters upper-case."""
    text = unicodedata.normalize("NFKC", value)
    if _ANY_BRACKET.search(text):  # rare; translate() costs more than the search
        text = text.translate(_BRACKETS)
    words = text.split()
    text = _SPACE_NEAR_CJK.sub("", " ".join(words)) if len(words) > 1 else "".join(words)
    return _t2s().convert(text).upper()


def clean_name(value: str) -> str:
    """The name as stored and shown: original script, trimmed, one space at most, （） brackets."""
    return " ".join(value.split()).replace("(", "（").replace(")", "）")


def name_pieces(name_key: str) -> str:
    """What the SQLite name index holds for a name key: its two-character pieces (letters and
    digits only, as the FTS tokenizer splits on punctuation) and its last character alone, so
    that a one-character query also finds a name that ends with it."""
    chars = "".join(c for c in name_key if c.isalnum())
    if not chars:
        return ""
    return " ".join([chars[i : i + 2] for i in range(len(chars) - 1)] + [chars[-1]])


def search_facets(subject_type: str | None, region_code: str | None) -> str:
    """What SQLite's name index holds beside a name's pieces, in a column of its own: the
    subject's type and each level of its region (`t` + the type without `_`, `r` + the code's
    first 2, 4 and 6 digits), so that a search's filters intersect index lists instead of
    re-reading every row a common fragment matches (migration 0020). Rows confirm them."""
    facets = [f"t{subject_type.replace('_', '')}"] if subject_type else []
    code = region_code or ""
    if len(code) == 6 and code.isascii() and code.isdigit():
        facets.extend(f"r{code[:length]}" for length in (2, 4, 6))
    return " ".join(facets)


def mask_person_name(name: str) -> str:
    """A natural person's name on a public page: its first character, the rest as *: 王**."""
    text = name.strip()
    return text[:1] + "*" * max(len(text) - 1, 1) if text else ""
