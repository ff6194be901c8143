"""The shapes a policy concern's YAML can take, and the registry entry that declares a concern.

A concern is read from the shipped folder and then from a city's folder; the two readings are
merged by key (a city's value replaces the shipped value with the same key, or adds one):

- `WholeFile`: one file checked as one object (`disclosure.yaml`); a city's copy replaces it.
- `EntriesFile`: one file holding a list of keyed entries (`codelists.yaml` by `name`).
- `EntryFolder`: one file per entry in a folder (`catalog/<code>.yaml` by `code`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Hashable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel

from xinyong.policy.checks import Problem, YamlPath
from xinyong.policy.documents import Document, display, parse

if TYPE_CHECKING:
    from xinyong.policy.schemas import Policy

Value = TypeVar("Value", bound=BaseModel)


@dataclass(frozen=True)
class Loaded(Generic[Value]):
    """One value read from a policy folder: its document, where in it, and how messages name it
    (`item xzcf`, `codelist penalty_category`, `measures`)."""

    value: Value
    document: Document
    path: YamlPath
    owner: str

    def raise_first(self, problems: Iterable[Problem]) -> None:
        """Stop loading on the value's first problem, with file, line and owner."""
        problem = next(iter(problems), None)
        if problem is not None:
            owner = problem.owner or self.owner
            where = (*self.path, *problem.path)
            self.document.fail(where, problem.reason, owner, problem.field)


Read = dict[Hashable, Loaded[Value]]


class Source(ABC, Generic[Value]):
    """Where in a policy folder a concern's YAML is, and how it is read into keyed values."""

    required: bool = False  # the shipped folder must hold it

    @property
    @abstractmethod
    def where(self) -> str:
        """The file or folder, relative to a policy folder."""

    @abstractmethod
    def read(self, folder: Path) -> Read[Value]:
        """The values found in `folder` by key (empty when it has none of this concern)."""


@dataclass(frozen=True)
class WholeFile(Source[Value]):
    """A file checked against its schema as one object; a city's copy replaces the shipped one."""

    file: str
    model: type[Value]
    required: bool = True

    @property
    def where(self) -> str:
        return self.file

    def read(self, folder: Path) -> Read[Value]:
        path = folder / self.file
        if not path.exists():
            return {}
        doc = parse(path)
        value = doc.validate(self.model, lambda loc: (path.stem, None))
        return {self.file: Loaded(value, doc, (), path.stem)}


@dataclass(frozen=True)
class EntriesFile(Source[Value]):
    """A file `{<entries>: [...]}` of entries keyed by `key` (`codelists` by `name`, `years` by
    `year`); messages name an entry `<kind> <key>`, and a key may appear once per file."""

    file: str
    model: type[BaseModel]  # the whole file: one attribute `entries`, a list of Value
    entries: str
    key: str
    kind: str
    duplicate: str  # the reason given when a key repeats

    @property
    def where(self) -> str:
        return self.file

    def read(self, folder: Path) -> Read[Value]:
        path = folder / self.file
        if not path.exists():
            return {}
        doc = parse(path)
        parsed = doc.validate(self.model, lambda loc: (self._owner_at(doc.data, loc), None))
        found: Read[Value] = {}
        for i, entry in enumerate(getattr(parsed, self.entries)):
            key = getattr(entry, self.key)
            owner = f"{self.kind} {key}"
            if key in found:
                doc.fail((self.entries, i, self.key), self.duplicate, owner)
            found[key] = Loaded(entry, doc, (self.entries, i), owner)
        return found

    def _owner_at(self, data: Any, loc: YamlPath) -> str:
        """`kind key` of the entry a pydantic error points into, else the list's name."""
        if len(loc) >= 2 and loc[0] == self.entries and isinstance(loc[1], int):
            try:
                return f"{self.kind} {data[self.entries][loc[1]].get(self.key, loc[1])}"
            except (KeyError, IndexError, TypeError, AttributeError):
                pass
        return self.entries


@dataclass(frozen=True)
class EntryFolder(Source[Value]):
    """A folder with one entry per `*.yaml` file, keyed by `key` (catalog items by `code`); a
    key may be defined once per folder. `fields` names a list in an entry whose elements are
    fields (`code`), so a message can say which field a problem is in."""

    folder: str
    model: type[Value]
    key: str
    kind: str
    fields: str | None = None

    @property
    def where(self) -> str:
        return self.folder

    def read(self, folder: Path) -> Read[Value]:
        found: Read[Value] = {}
        for path in sorted((folder / self.folder).glob("*.yaml")):
            loaded = self._read_one(path)
            key = getattr(loaded.value, self.key)
            if key in found:
                other = display(found[key].document.path)
                reason = f"{self.kind} {self.key} also defined in {other}"
                loaded.document.fail((self.key,), reason, loaded.owner)
            found[key] = loaded
        return found

    def _read_one(self, path: Path) -> Loaded[Value]:
        doc = parse(path)
        if not isinstance(doc.data, dict):
            reason = f"a {self.folder} file must hold one {self.kind} (a mapping)"
            doc.fail((), reason, f"{self.kind} {path.stem}")
        owner = f"{self.kind} {doc.data.get(self.key, path.stem)}"
        value = doc.validate(self.model, lambda loc: (owner, self._field_at(doc.data, loc)))
        return Loaded(value, doc, (), f"{self.kind} {getattr(value, self.key)}")

    def _field_at(self, data: Any, loc: YamlPath) -> str | None:
        """The code of the field a pydantic error points into, if it points into `fields`."""
        if self.fields is None or len(loc) < 2 or loc[0] != self.fields:
            return None
        fields = data.get(self.fields)
        index = loc[1]
        if isinstance(fields, list) and isinstance(index, int) and index < len(fields):
            field = fields[index]
            return field.get("code") if isinstance(field, dict) else None
        return None


@dataclass(frozen=True)
class Concern(Generic[Value]):
    """One policy concern, declared once in the loader's registry: where its YAML is and its
    schema (`source`), its cross-check against the policy assembled so far (`check`, per value),
    and `fill`, which turns the merged values into the `Policy` attributes it fills."""

    source: Source[Value]
    fill: Callable[[Read[Value], Policy], dict[str, Any]]
    check: Callable[[Value, Policy], Iterator[Problem]] | None = None
