"""`codelists.yaml`: shared code lists, each entry found by its code, label or an alias."""

from __future__ import annotations

from typing import Any

from pydantic import Field, PrivateAttr

from xinyong.policy.schemas.common import CODE_PATTERN, MaySource, PolicyModel, lookup_key


class CodeEntry(PolicyModel):
    code: str = Field(min_length=1)
    label: str = Field(min_length=1)
    aliases: list[str] = []


class CodeList(MaySource):
    name: str = Field(pattern=CODE_PATTERN)
    label: str
    entries: list[CodeEntry] = Field(min_length=1)

    _index: dict[str, str] = PrivateAttr(default_factory=dict)
    _labels: dict[str, str] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        self._labels = {e.code: e.label for e in self.entries}
        for entry in reversed(self.entries):  # codes win over labels, first entry wins
            for name in (*entry.aliases, entry.label):
                self._index[lookup_key(name)] = entry.code
        for entry in self.entries:
            self._index[lookup_key(entry.code)] = entry.code

    def resolve(self, value: str) -> str | None:
        """The code for a code, label or alias (compared by `lookup_key`), else None."""
        return self._index.get(lookup_key(value))

    def label_of(self, code: str) -> str:
        return self._labels.get(code, code)

    @property
    def index(self) -> dict[str, str]:
        """lookup_key(code, label or alias) → code."""
        return self._index


class CodeListFile(PolicyModel):
    codelists: list[CodeList]
