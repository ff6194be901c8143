"""Loading the YAML policy into typed, cross-checked objects.

Layout of a policy folder (the shipped one is this package's folder):

    codelists.yaml          shared code lists: `codelists: [{name, label, source, entries}]`
    catalog/<code>.yaml     one catalog item per file
    holidays.yaml           holiday years: `years: [{year, holidays, workdays, source}]`
    disclosure.yaml         who sees which records (`DisclosurePolicy`)
    lists.yaml              list types and the listing procedure (`ListsFile`)
    measures.yaml           matters and reward/punishment measures (`MeasuresFile`)

Merge rule for a city's folder (`load_policy(dir)`, or `XINYONG_POLICY_DIR` when no folder is
given): the shipped policy is read first, then the city's folder on top of it, which has the
same layout and may hold only some files. A catalog item replaces the shipped item with the
same `code` as a whole (fields are not merged one by one) or adds a new item; a code list in
the city's `codelists.yaml` replaces the shipped list with the same `name` or adds one, and a
year in its `holidays.yaml` replaces the shipped year. Within one folder two files may not
define the same item code. The merged result is cross-checked as one policy, so a city item
may use shipped code lists and the other way round.

A wrong policy raises `PolicyError` with one line: `file:line: item X, field Y: reason`.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from xinyong.errors import PolicyError
from xinyong.policy.checks import Path as YamlPath
from xinyong.policy.checks import Problem, check_codelist, check_item, list_kind_clash
from xinyong.policy.schemas import (
    CatalogItem,
    Category,
    CodeListFile,
    DisclosurePolicy,
    HolidayFile,
    HolidayYear,
    ListsFile,
    ListType,
    MeasuresFile,
    Policy,
)

_Model = TypeVar("_Model", bound=BaseModel)

SHIPPED_DIR = Path(__file__).resolve().parent
ENV_VAR = "XINYONG_POLICY_DIR"
CODELISTS_FILE = "codelists.yaml"
CATALOG_DIR = "catalog"
HOLIDAYS_FILE = "holidays.yaml"
DISCLOSURE_FILE = "disclosure.yaml"
LISTS_FILE = "lists.yaml"
MEASURES_FILE = "measures.yaml"
WHOLE_FILES = (DISCLOSURE_FILE, LISTS_FILE, MEASURES_FILE)

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_policy(policy_dir: Path | str | None = None) -> Policy:
    """The shipped policy with a city's folder on top (`policy_dir`, else XINYONG_POLICY_DIR).

    Loads are cached per folder; `forget_policy()` clears the cache (tests, reloads)."""
    overlay = policy_dir or os.environ.get(ENV_VAR) or None
    return _load(Path(overlay).resolve() if overlay else None)


_forget_hooks: list[Callable[[], None]] = []


def forget_policy() -> None:
    """Clear the cached policies and the caches built from them (see `on_forget`)."""
    _load.cache_clear()
    for hook in _forget_hooks:
        hook()


def on_forget(hook: Callable[[], None]) -> Callable[[], None]:
    """Run `hook` on every `forget_policy()`: for modules that cache what they built from it."""
    _forget_hooks.append(hook)
    return hook


@functools.cache
def _load(overlay: Path | None) -> Policy:
    if overlay is not None and not overlay.is_dir():
        raise PolicyError(f"{_display(overlay)}: policy folder not found")
    codelists = _read_codelists(SHIPPED_DIR)
    items = _read_items(SHIPPED_DIR)
    holidays = _read_holidays(SHIPPED_DIR)
    disclosure = _read_whole(SHIPPED_DIR / DISCLOSURE_FILE, DisclosurePolicy)
    lists = _read_whole(SHIPPED_DIR / LISTS_FILE, ListsFile)
    measures = _read_whole(SHIPPED_DIR / MEASURES_FILE, MeasuresFile)
    if overlay is not None:
        codelists.update(_read_codelists(overlay))
        items.update(_read_items(overlay))
        holidays.update(_read_holidays(overlay))
        disclosure = _read_whole(overlay / DISCLOSURE_FILE, DisclosurePolicy) or disclosure
        lists = _read_whole(overlay / LISTS_FILE, ListsFile) or lists
        measures = _read_whole(overlay / MEASURES_FILE, MeasuresFile) or measures
    for name, read in (
        (DISCLOSURE_FILE, disclosure),
        (LISTS_FILE, lists),
        (MEASURES_FILE, measures),
    ):
        if read is None:
            raise PolicyError(f"{_display(SHIPPED_DIR / name)}: file not found")
    assert disclosure is not None and lists is not None and measures is not None
    policy = _assemble(codelists, items, holidays, disclosure[1])
    return _with_lists_and_measures(policy, lists, measures)


# --- reading ----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Document:
    """One parsed YAML file: its data and node tree (for line numbers)."""

    path: Path
    data: Any
    node: yaml.Node | None

    def fail(self, path: YamlPath, reason: str, owner: str, field: str | None = None) -> NoReturn:
        """Raise the one-line PolicyError for a problem at `path` in this document."""
        line = _line_of(self.node, path)
        where = f"{_display(self.path)}:{line}" if line else _display(self.path)
        subject = f"{owner}, field {field}" if field else owner
        raise PolicyError(f"{where}: {subject}: {reason}")


@dataclass(frozen=True)
class _Loaded:
    value: Any  # CatalogItem or CodeList
    document: _Document
    path: YamlPath  # where the value sits in its document


def _parse(path: Path) -> _Document:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"{_display(path)}: cannot read: {exc}") from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{_display(path)}:{mark.line + 1}" if mark else _display(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PolicyError(f"{where}: bad YAML: {problem}") from None
    finally:
        loader.dispose()
    return _Document(path, data, node)


def _read_keyed_file(
    path: Path, model: type[_Model], entries: str, key: str, kind: str
) -> tuple[_Document, _Model] | None:
    """A policy file of keyed entries (code lists, holiday years): a problem stops loading with
    one line naming the entry."""
    return _read_whole(path, model, lambda data, loc: _entry_owner(data, loc, entries, key, kind))


def _read_codelists(folder: Path) -> dict[str, _Loaded]:
    read = _read_keyed_file(folder / CODELISTS_FILE, CodeListFile, "codelists", "name", "codelist")
    if read is None:
        return {}
    doc, parsed = read
    found: dict[str, _Loaded] = {}
    for i, codelist in enumerate(parsed.codelists):
        if codelist.name in found:
            doc.fail(
                ("codelists", i, "name"), "duplicate codelist name", f"codelist {codelist.name}"
            )
        found[codelist.name] = _Loaded(codelist, doc, ("codelists", i))
    return found


def _read_holidays(folder: Path) -> dict[int, HolidayYear]:
    read = _read_keyed_file(folder / HOLIDAYS_FILE, HolidayFile, "years", "year", "year")
    if read is None:
        return {}
    doc, parsed = read
    found: dict[int, HolidayYear] = {}
    for i, entry in enumerate(parsed.years):
        owner = f"year {entry.year}"
        if entry.year in found:
            doc.fail(("years", i, "year"), "duplicate year", owner)
        problem = next(entry.problems(), None)
        if problem is not None:
            doc.fail(("years", i, *problem[0]), problem[1], owner)
        found[entry.year] = entry
    return found


def _read_whole(
    path: Path, model: type[_Model], owner: Callable[[Any, YamlPath], str] | None = None
) -> tuple[_Document, _Model] | None:
    """A policy file checked against its schema as one object (a city's copy replaces the
    shipped one); None when the folder has none. `owner` names what a problem is in (default:
    the file's name)."""
    if not path.exists():
        return None
    doc = _parse(path)
    try:
        return doc, model.model_validate(doc.data)
    except ValidationError as exc:
        loc, reason = _first_error(exc)
        doc.fail(loc, reason, owner(doc.data, loc) if owner else path.stem)


def _read_items(folder: Path) -> dict[str, _Loaded]:
    found: dict[str, _Loaded] = {}
    for path in sorted((folder / CATALOG_DIR).glob("*.yaml")):
        loaded = _read_item(path)
        code = loaded.value.code
        if code in found:
            other = _display(found[code].document.path)
            loaded.document.fail(("code",), f"item code also defined in {other}", f"item {code}")
        found[code] = loaded
    return found


def _read_item(path: Path) -> _Loaded:
    doc = _parse(path)
    if not isinstance(doc.data, dict):
        doc.fail((), "a catalog file must hold one item (a mapping)", f"item {path.stem}")
    try:
        item = CatalogItem.model_validate(doc.data)
    except ValidationError as exc:
        loc, reason = _first_error(exc)
        doc.fail(loc, reason, f"item {doc.data.get('code', path.stem)}", _field_at(doc.data, loc))
    return _Loaded(item, doc, ())


# --- assembling and cross-checking ------------------------------------------------------


def _assemble(
    codelists: dict[str, _Loaded],
    items: dict[str, _Loaded],
    holidays: dict[int, HolidayYear],
    disclosure: DisclosurePolicy,
) -> Policy:
    for loaded in codelists.values():
        codelist = loaded.value
        _raise_first(check_codelist(codelist, loaded.path), loaded, f"codelist {codelist.name}")
    lists = {name: loaded.value for name, loaded in codelists.items()}
    for loaded in items.values():
        _raise_first(check_item(loaded.value, lists), loaded, f"item {loaded.value.code}")
    ordered = sorted(items.values(), key=lambda loaded: _display_order(loaded.value))
    for loaded in ordered:
        loaded.value.attach(lists)
    return Policy(
        codelists=lists,
        items={loaded.value.code: loaded.value for loaded in ordered},
        sources={loaded.value.code: _display(loaded.document.path) for loaded in ordered},
        holidays=dict(sorted(holidays.items())),
        disclosure=disclosure,
    )


def _raise_first(problems: Iterator[Problem], loaded: _Loaded, owner: str) -> None:
    problem = next(problems, None)
    if problem is not None:
        loaded.document.fail((*loaded.path, *problem.path), problem.reason, owner, problem.field)


_CATEGORY_ORDER = {category: i for i, category in enumerate(Category)}


def _display_order(item: CatalogItem) -> tuple[int, int, str]:
    return (_CATEGORY_ORDER[item.category], item.order, item.code)


# --- error messages ---------------------------------------------------------------------


def _first_error(exc: ValidationError) -> tuple[YamlPath, str]:
    error = exc.errors(include_url=False)[0]
    loc: YamlPath = tuple(error["loc"])
    key = next((part for part in reversed(loc) if isinstance(part, str)), "value")
    kind, value = error["type"], error.get("input")
    if kind in ("enum", "literal_error"):
        reason = f"unknown {key} '{value}'"
    elif kind == "union_tag_invalid":
        reason = f"unknown kind '{error.get('ctx', {}).get('tag', value)}'"
    elif kind == "extra_forbidden":
        reason = f"unknown key '{key}'"
    elif kind == "missing":
        reason = f"missing '{key}'"
    else:
        reason = f"{key}: {error['msg'].removeprefix('Value error, ')}"
    return loc, reason


def _field_at(data: Any, loc: YamlPath) -> str | None:
    """The code of the field a pydantic error points into, if it points into `fields`."""
    if len(loc) >= 2 and loc[0] == "fields" and isinstance(loc[1], int):
        fields = data.get("fields")
        if isinstance(fields, list) and loc[1] < len(fields) and isinstance(fields[loc[1]], dict):
            return fields[loc[1]].get("code")
    return None


def _entry_owner(data: Any, loc: YamlPath, key: str, name: str, kind: str) -> str:
    """`kind name` of the entry of list `key` a pydantic error points into, else `key`."""
    if len(loc) >= 2 and loc[0] == key and isinstance(loc[1], int):
        try:
            return f"{kind} {data[key][loc[1]].get(name, loc[1])}"
        except (KeyError, IndexError, TypeError, AttributeError):
            pass
    return key


def _line_of(node: yaml.Node | None, path: YamlPath) -> int | None:
    """1-based line of the YAML node at `path`, or of its deepest existing ancestor."""
    if node is None:
        return None
    for part in path:
        child = _child(node, part)
        if child is not None:  # parts that are not in the YAML (union tags) are skipped
            node = child
    return node.start_mark.line + 1


def _child(node: yaml.Node, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        return next((v for k, v in node.value if k.value == part), None)
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]
    return None


def _display(path: Path) -> str:
    """A path relative to the working folder when it lies under it, else as is."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _with_lists_and_measures(
    policy: Policy,
    lists: tuple[_Document, ListsFile],
    measures: tuple[_Document, MeasuresFile],
) -> Policy:
    """Check list types against the catalog and measures against list types and matters."""
    doc, parsed_lists = lists
    list_types: dict[str, ListType] = {}
    for i, list_type in enumerate(parsed_lists.list_types):
        owner = f"list type {list_type.code}"
        for j, item in enumerate(list_type.items):
            if item not in policy.items:
                doc.fail(("list_types", i, "items", j), f"unknown catalog item '{item}'", owner)
        procedure = list_type.procedure
        if procedure is not None and procedure.item not in list_type.items:
            doc.fail(("list_types", i, "procedure", "item"), "not one of the list's items", owner)
        for j, item in enumerate(list_type.items):
            if (clash := list_kind_clash(policy, list_types, list_type, item)) is not None:
                doc.fail(("list_types", i, "items", j), clash, owner)
        list_types[list_type.code] = list_type
    doc, parsed_measures = measures
    matters = {m.code: m for m in parsed_measures.matters}
    found = {}
    for i, measure in enumerate(parsed_measures.measures):
        owner = f"measure {measure.code}"
        if measure.code in found:
            doc.fail(("measures", i, "code"), "duplicate measure code", owner)
        for j, code in enumerate(measure.list_types):
            if code not in list_types:
                doc.fail(("measures", i, "list_types", j), f"unknown list type '{code}'", owner)
        for j, code in enumerate(measure.matters):
            if code not in matters:
                doc.fail(("measures", i, "matters", j), f"unknown matter '{code}'", owner)
        entries = {
            item for t in measure.list_types if t in list_types for item in list_types[t].items
        }
        for j, basis in enumerate(measure.bases):
            for k, item in enumerate(basis.items):
                if item not in entries:
                    at = ("measures", i, "legal_basis", j, "items", k)
                    doc.fail(at, f"'{item}' is not an item of the measure's lists", owner)
        found[measure.code] = measure
    return policy.model_copy(
        update={"list_types": list_types, "matters": matters, "measures": found}
    )
