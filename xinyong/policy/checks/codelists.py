"""Cross-checks of one code list: no name (code, label or alias) may stand for two codes."""

from __future__ import annotations

from collections.abc import Iterator

from xinyong.policy.checks.problem import Problem
from xinyong.policy.schemas import CodeList, Policy, lookup_key


def check_codelist(codelist: CodeList, policy: Policy) -> Iterator[Problem]:
    """A code list stands alone: `policy` is not consulted."""
    seen: dict[str, str] = {}
    for i, entry in enumerate(codelist.entries):
        for key, name in entry_names(entry.code, entry.label, entry.aliases):
            other = seen.setdefault(lookup_key(name), entry.code)
            if other != entry.code:
                yield Problem(("entries", i, key), f"'{name}' also names code '{other}'")


def entry_names(code: str, label: str, aliases: list[str]) -> Iterator[tuple[str, str]]:
    """(key, name) for every name an entry or a field answers to."""
    yield "code", code
    yield "label", label
    for alias in aliases:
        yield "aliases", alias
