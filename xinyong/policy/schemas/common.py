"""What every policy model shares: strict models (unknown keys fail), sources with their
confidence, the text form names are compared in, and durations written in plain English."""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

CODE_PATTERN = r"^[a-z][a-zA-Z0-9_]*$"


_SPACES = re.compile(r"\s+")


def lookup_key(text: str) -> str:
    """The form in which headers, labels and code-list values are compared: NFKC (full-width
    to half-width), no whitespace at all (full-width spaces included), case-folded."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).casefold()


class PolicyModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class MaySource(PolicyModel):
    """A model whose source is optional; when it has one, it says how sure it is."""

    source: str | None = None
    verified: bool | None = None

    @model_validator(mode="after")
    def _confidence_given(self) -> MaySource:
        if self.source and self.verified is None:
            raise ValueError("a source needs its confidence, `verified: true` or `false`")
        return self


class Sourced(PolicyModel):
    """A policy value with the text it comes from and whether that text itself was read
    (`verified: true` only then, see DOMAIN.md): required, so no value is shipped unmarked."""

    source: str
    verified: bool


# --- durations ("3 months", "1 year") -------------------------------------------------

UNIT_LABELS = {"day": "天", "month": "个月", "year": "年"}
_DURATION = re.compile(r"^\s*(\d+)\s*(day|days|month|months|year|years)\s*$")


def _parse_duration(value: Any) -> Any:
    if isinstance(value, str):
        match = _DURATION.match(value)
        if not match:
            raise ValueError(f"bad duration '{value}' (write e.g. '3 months' or '1 year')")
        return {"amount": int(match[1]), "unit": match[2].rstrip("s")}
    return value


class Duration(PolicyModel):
    """A period written in policy files as "3 months", "1 year" or "90 days"."""

    amount: int = Field(ge=0)
    unit: Literal["day", "month", "year"]

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        return _parse_duration(value)

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}{'' if self.amount == 1 else 's'}"

    @property
    def label(self) -> str:
        return f"{self.amount}{UNIT_LABELS[self.unit]}"
