"""Loading the YAML policy into typed, cross-checked objects.

Every policy file is one concern, declared once in `REGISTRY` below (where its YAML is, its
schema module, its cross-check, the `Policy` attributes it fills), in the order they are
checked: a concern's cross-check sees the attributes of those before it. The shipped folder
(this package's folder) holds:

    codelists.yaml          shared code lists: `codelists: [{name, label, source, entries}]`
    catalog/<code>.yaml     one catalog item per file
    holidays.yaml           holiday years: `years: [{year, holidays, workdays, source}]`
    disclosure.yaml         who sees which records (`DisclosurePolicy`)
    lists.yaml              list types and the listing procedure (`ListsFile`)
    measures.yaml           matters and reward/punishment measures (`MeasuresFile`)
    permissions.yaml        what each role may do, and how far (`PermissionsFile`)
    cases/<kind>.yaml       one case kind per file: states, transitions, deadlines (`CaseKind`)
    applicants.yaml         applicant accounts: the activation code's validity and purposes
    notices.yaml            the 信用修复告知书 (number, code, wording) and the repair reminders
    repair.yaml             credit repair: the items repaired here, the 承诺书 (`RepairPolicy`)
    commitments.yaml        credit commitment templates per type and matter, and who may not sign
    evaluation/<code>.yaml  one 公共信用综合评价 model per file (`EvaluationModel`)
    supervision.yaml        分级分类监管 classes per department, 双随机 outcomes
    reports.yaml            credit report kinds: sections (catalog items), wording, numbers

Merge rule for a city's folder: the shipped policy is read first, then the city's folder on
top of it, which has the same layout and may hold only some files. A catalog item replaces
the shipped item with the same `code` as a whole (fields are not merged one by one) or adds a
new item; a code list in the city's `codelists.yaml` replaces the shipped list with the same
`name` or adds one, and a year in its `holidays.yaml` replaces the shipped year; a whole file
(`disclosure.yaml`, `lists.yaml`, `measures.yaml`, `applicants.yaml`, `notices.yaml`,
`repair.yaml`, `commitments.yaml`, `supervision.yaml`, `reports.yaml`) replaces the shipped
file. Within one folder two files may not define the same item code. The merged result is
cross-checked as one policy, so a city item may use shipped code lists and the other way round.

Which city folder: the one given to `load_policy(folder)`, else the active one, which the app
factory and the command line set from `Settings.policy_dir` with `use_policy` (until then,
the process settings' folder). Nothing here reads the environment: `config.Settings` does.

A wrong policy raises `PolicyError` with one line: `file:line: item X, field Y: reason`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from xinyong.config import get_settings
from xinyong.errors import PolicyError
from xinyong.policy.checks import (
    check_case_kind,
    check_codelist,
    check_commitments,
    check_evaluation_model,
    check_item,
    check_lists,
    check_measures,
    check_notices,
    check_permissions,
    check_repair,
    check_reports,
    check_supervision,
    check_year,
)
from xinyong.policy.concerns import Concern, EntriesFile, EntryFolder, Read, WholeFile
from xinyong.policy.documents import display
from xinyong.policy.schemas import (
    ApplicantsPolicy,
    CaseKind,
    CatalogItem,
    Category,
    CodeList,
    CodeListFile,
    CommitmentsPolicy,
    DisclosurePolicy,
    EvaluationModel,
    HolidayFile,
    HolidayYear,
    ListsFile,
    MeasuresFile,
    NoticesPolicy,
    PermissionsFile,
    Policy,
    RepairPolicy,
    ReportsPolicy,
    SupervisionPolicy,
)

SHIPPED_DIR = Path(__file__).resolve().parent


def _values(read: Read[Any]) -> dict[Any, Any]:
    return {key: loaded.value for key, loaded in read.items()}


def _single(read: Read[Any]) -> Any:
    (loaded,) = read.values()
    return loaded.value


_CATEGORY_ORDER = {category: i for i, category in enumerate(Category)}


def _catalog(read: Read[CatalogItem], policy: Policy) -> dict[str, Any]:
    """Items in display order (category, then `order`), bound to the policy's code lists."""
    ordered = sorted(read.values(), key=lambda loaded: _display_order(loaded.value))
    for loaded in ordered:
        loaded.value.attach(policy.codelists)
    return {
        "items": {loaded.value.code: loaded.value for loaded in ordered},
        "sources": {loaded.value.code: display(loaded.document.path) for loaded in ordered},
    }


def _display_order(item: CatalogItem) -> tuple[int, int, str]:
    return (_CATEGORY_ORDER[item.category], item.order, item.code)


def _measures(read: Read[MeasuresFile], policy: Policy) -> dict[str, Any]:
    measures: MeasuresFile = _single(read)
    return {
        "matters": {matter.code: matter for matter in measures.matters},
        "measures": {measure.code: measure for measure in measures.measures},
    }


REGISTRY: tuple[Concern[Any], ...] = (
    Concern[CodeList](
        EntriesFile(
            "codelists.yaml",
            CodeListFile,
            entries="codelists",
            key="name",
            kind="codelist",
            duplicate="duplicate codelist name",
        ),
        fill=lambda read, policy: {"codelists": _values(read)},
        check=check_codelist,
    ),
    Concern[CatalogItem](
        EntryFolder("catalog", CatalogItem, key="code", kind="item", fields="fields"),
        fill=_catalog,
        check=check_item,
    ),
    Concern[HolidayYear](
        EntriesFile(
            "holidays.yaml",
            HolidayFile,
            entries="years",
            key="year",
            kind="year",
            duplicate="duplicate year",
        ),
        fill=lambda read, policy: {"holidays": dict(sorted(_values(read).items()))},
        check=check_year,
    ),
    Concern[DisclosurePolicy](
        WholeFile("disclosure.yaml", DisclosurePolicy),
        fill=lambda read, policy: {"disclosure": _single(read)},
    ),
    Concern[ListsFile](
        WholeFile("lists.yaml", ListsFile),
        fill=lambda read, policy: {"list_types": {t.code: t for t in _single(read).list_types}},
        check=check_lists,
    ),
    Concern[MeasuresFile](
        WholeFile("measures.yaml", MeasuresFile),
        fill=_measures,
        check=check_measures,
    ),
    Concern[PermissionsFile](
        WholeFile("permissions.yaml", PermissionsFile),
        fill=lambda read, policy: {
            "permissions": {a: rule for rule in _single(read).rules for a in rule.actions}
        },
        check=check_permissions,
    ),
    Concern[CaseKind](
        EntryFolder("cases", CaseKind, key="code", kind="case kind"),
        fill=lambda read, policy: {
            "case_kinds": _values(read),
            "case_sources": {key: display(loaded.document.path) for key, loaded in read.items()},
        },
        check=check_case_kind,
    ),
    Concern[ApplicantsPolicy](
        WholeFile("applicants.yaml", ApplicantsPolicy),
        fill=lambda read, policy: {"applicants": _single(read)},
    ),
    Concern[NoticesPolicy](
        WholeFile("notices.yaml", NoticesPolicy),
        fill=lambda read, policy: {"notices": _single(read)},
        check=check_notices,
    ),
    Concern[RepairPolicy](
        WholeFile("repair.yaml", RepairPolicy),
        fill=lambda read, policy: {"repair": _single(read)},
        check=check_repair,
    ),
    Concern[CommitmentsPolicy](
        WholeFile("commitments.yaml", CommitmentsPolicy),
        fill=lambda read, policy: {"commitments": _single(read)},
        check=check_commitments,
    ),
    Concern[EvaluationModel](
        EntryFolder("evaluation", EvaluationModel, key="code", kind="evaluation model"),
        fill=lambda read, policy: {
            "evaluation_models": _values(read),
            "evaluation_sources": {k: display(loaded.document.path) for k, loaded in read.items()},
        },
        check=check_evaluation_model,
    ),
    Concern[SupervisionPolicy](
        WholeFile("supervision.yaml", SupervisionPolicy),
        fill=lambda read, policy: {"supervision": _single(read)},
        check=check_supervision,
    ),
    Concern[ReportsPolicy](
        WholeFile("reports.yaml", ReportsPolicy),
        fill=lambda read, policy: {"reports": _single(read)},
        check=check_reports,
    ),
)


# --- which folder ---------------------------------------------------------------------------

_UNSET = object()
_active: Path | object | None = _UNSET


def load_policy(policy_dir: Path | str | None = None) -> Policy:
    """The shipped policy with a city's folder on top: `policy_dir`, else the active folder.

    Loads are cached per folder; `forget_policy()` clears the cache (tests, reloads)."""
    if policy_dir:
        return _load(Path(policy_dir).resolve())
    return _load(active_policy_dir())


def use_policy(policy_dir: Path | str | None) -> Policy:
    """Make `policy_dir` (None: the shipped policy alone) what `load_policy()` returns, and
    load it now, so a broken policy stops start-up rather than a request. Called by the app
    factory and the command line with `Settings.policy_dir`."""
    global _active
    folder = Path(policy_dir).resolve() if policy_dir else None
    policy = _load(folder)
    if folder != _active:
        _active = folder
        _run_forget_hooks()  # caches built from the previous folder's policy
    return policy


def active_policy_dir() -> Path | None:
    """The city folder `load_policy()` reads: the one `use_policy` set, else the process
    settings' `policy_dir`."""
    if _active is _UNSET:
        folder = get_settings().policy_dir
        return folder.resolve() if folder else None
    assert _active is None or isinstance(_active, Path)
    return _active


_forget_hooks: list[Callable[[], None]] = []


def forget_policy() -> None:
    """Clear the cached policies and the caches built from them (see `on_forget`)."""
    _load.cache_clear()
    _run_forget_hooks()


def on_forget(hook: Callable[[], None]) -> Callable[[], None]:
    """Run `hook` on every `forget_policy()` and change of folder: for modules that cache what
    they built from the policy."""
    _forget_hooks.append(hook)
    return hook


def _run_forget_hooks() -> None:
    for hook in _forget_hooks:
        hook()


# --- loading ----------------------------------------------------------------------------------


@functools.cache
def _load(overlay: Path | None) -> Policy:
    if overlay is not None and not overlay.is_dir():
        raise PolicyError(f"{display(overlay)}: policy folder not found")
    reads = [_read(concern, overlay) for concern in REGISTRY]
    parts: dict[str, Any] = {}
    for concern, read in zip(REGISTRY, reads, strict=True):
        so_far = Policy.model_construct(**parts)
        if concern.check is not None:
            for loaded in read.values():
                loaded.raise_first(concern.check(loaded.value, so_far))
        parts.update(concern.fill(read, so_far))
    return Policy(**parts)


def _read(concern: Concern[Any], overlay: Path | None) -> Read[Any]:
    """The shipped values with the city's on top (same key: the city's replaces it)."""
    source = concern.source
    read = source.read(SHIPPED_DIR)
    if overlay is not None:
        read.update(source.read(overlay))
    if source.required and not read:
        raise PolicyError(f"{display(SHIPPED_DIR / source.where)}: file not found")
    return read
