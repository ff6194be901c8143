"""Subject names: a matching key that ignores script, width, spacing and bracket style."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

import opencc

_BRACKETS = str.maketrans(
    {
        "【": "(",
        "】": ")",
        "〔": "(",
        "〕": ")",
        "[": "(",
        "]": ")",
        "［": "(",
        "］": ")",
        "（": "(",
        "）": ")",
        "｛": "(",
        "｝": ")",
    }
)
_CJK = r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff()]"
_SPACE_NEAR_CJK = re.compile(rf"(?<={_CJK})\s+|\s+(?={_CJK})")
_SPACES = re.compile(r"\s+")


@cache
def _t2s() -> opencc.OpenCC:
    # t2s, not tw2sp: legal names must keep their words, only the script changes.
    return opencc.OpenCC("t2s")


def normalize_name(value: str) -> str:
    """The key names are matched on: 廣州市某某（集团） and 广州市 某某(集团) give the same key."""
    text = unicodedata.normalize("NFKC", value).translate(_BRACKETS)
    text = _SPACE_NEAR_CJK.sub("", _SPACES.sub(" ", text).strip())
    return _t2s().convert(text).upper()


def clean_name(value: str) -> str:
    """The name as stored and shown: original script, trimmed, one space at most, （） brackets."""
    text = _SPACES.sub(" ", value.replace("\u3000", " ")).strip()
    return text.replace("(", "（").replace(")", "）")
