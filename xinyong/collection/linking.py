"""Linking collected rows to subjects: by USCC, then legacy codes, then ID number; a subject
nobody has registered yet is created — 已核实 by a registration record, else 待核实 until its
registration record arrives (issue 15); a different name goes into the name history."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from xinyong import codes
from xinyong.catalog import subject_type_of
from xinyong.codes.schemes import Scheme
from xinyong.errors import DomainError
from xinyong.policy.enums import SubjectType
from xinyong.policy.schemas import CatalogItem
from xinyong.subjects import registry
from xinyong.subjects import service as subjects
from xinyong.subjects.models import Subject

CACHE_LIMIT = 200_000  # identifiers remembered; a batch of a million rows stays well under 1 GiB


@dataclass(frozen=True, slots=True)
class Link:
    """A row's subject, or why it has none; `warning` when the name differs from the registry."""

    subject_id: int | None
    problem: str | None = None
    warning: str | None = None


class SubjectLinker:
    """Links rows of one batch; remembers what it found so repeated subjects cost nothing."""

    def __init__(self, session: Session, item: CatalogItem, source: str, region: str | None):
        self.session = session
        self.item = item
        self.source = source  # written into the name history, e.g. 广州市市场监督管理局报送
        self.region = region
        self.known: dict[tuple[str, str], int] = {}  # (scheme, lookup value) → subject id
        self.name_keys: dict[int, str] = {}
        self.names_seen: dict[int, str] = {}  # a name as sent that matched: skips normalising
        self.renamed: set[int] = set()
        columns = item.columns
        self.fields = [
            (scheme, field)
            for scheme, field in (
                (Scheme.USCC, columns.subject_uscc),
                (Scheme.ORG_CODE, columns.subject_org_code),
                (Scheme.REG_NO, columns.subject_reg_no),
                (Scheme.ID_NUMBER, columns.subject_id_number),
            )
            if field
        ]

    def link(self, rows: Sequence[Mapping[str, Any]]) -> list[Link]:
        """One Link per validated row (values by field code), in order."""
        if len(self.known) > CACHE_LIMIT:
            self.known.clear()
            self.names_seen.clear()
        pairs = [self._pairs(values) for values in rows]
        self._look_up({p for row in pairs for p in row if p not in self.known})
        self._register_missing(rows, pairs)
        links = [self._link_one(values, row) for values, row in zip(rows, pairs, strict=True)]
        self._adopt_identifiers(pairs, links)
        return links

    def _pairs(self, values: Mapping[str, Any]) -> list[tuple[str, str]]:
        """(scheme, lookup value) in lookup order; ID numbers only where they are valid ones
        (a passport or other document is not a registry identifier)."""
        found = []
        for scheme, field in self.fields:
            value = values.get(field)
            if value and (key := registry.key_of(scheme, value, normalised=True)) is not None:
                found.append(key)
        return found

    def _look_up(self, wanted: set[tuple[str, str]]) -> None:
        for key, known in registry.lookup_many(self.session, wanted).items():
            self.known[key] = known.subject_id
            self.name_keys[known.subject_id] = known.name_key

    def _register_missing(
        self, rows: Sequence[Mapping[str, Any]], pairs: list[list[tuple[str, str]]]
    ) -> None:
        """Create the subjects none of whose identifiers is known, one per group of rows that
        share an identifier, in one bulk insert."""
        groups: dict[tuple[str, str], int] = {}
        newcomers: list[subjects.SubjectIn] = []
        members: list[list[tuple[str, str]]] = []
        for values, row in zip(rows, pairs, strict=True):
            if not row or any(p in self.known for p in row):
                continue
            group = next((groups[p] for p in row if p in groups), None)
            if group is None:
                newcomer = self._subject_in(values)
                if newcomer is None or not _registrable(newcomer):
                    continue
                group = len(newcomers)
                newcomers.append(newcomer)
                members.append([])
            for pair in row:
                groups.setdefault(pair, group)
                members[group].append(pair)
        if not newcomers:
            return
        verified = self.item.registration is not None
        ids = subjects.register_many(self.session, newcomers, source=self.source, verified=verified)
        for subject_id, newcomer, group_pairs in zip(ids, newcomers, members, strict=True):
            self.name_keys[subject_id] = codes.normalize_name(newcomer.name)
            for pair in group_pairs:
                self.known[pair] = subject_id

    def _adopt_identifiers(self, pairs: list[list[tuple[str, str]]], links: list[Link]) -> None:
        """A subject found by a legacy code or ID number becomes known by the row's other
        identifiers too (e.g. the USCC it was given later), unless another subject holds them."""
        adopted: dict[tuple[str, str], int] = {}
        for row, link in zip(pairs, links, strict=True):
            if link.subject_id is None:
                continue
            for pair in row:
                if pair not in self.known and pair not in adopted:
                    adopted[pair] = link.subject_id
        registry.adopt_identifiers(self.session, adopted)
        self.known.update(adopted)

    def _subject_in(self, values: Mapping[str, Any]) -> subjects.SubjectIn | None:
        item, columns = self.item, self.item.columns
        uscc = values.get(columns.subject_uscc) if columns.subject_uscc else None
        kind = (subjects.subject_type_from_uscc(uscc) if uscc else None) or subject_type_of(
            item, values
        )
        if kind is None:
            return None
        id_number = values.get(columns.subject_id_number) if columns.subject_id_number else None
        person = kind is SubjectType.NATURAL_PERSON
        return subjects.SubjectIn(
            subject_type=kind,
            name=values[columns.subject_name],
            uscc=uscc,
            org_code=values.get(columns.subject_org_code) if columns.subject_org_code else None,
            reg_no=values.get(columns.subject_reg_no) if columns.subject_reg_no else None,
            id_number=id_number if person and id_number else None,
            region_code=None if uscc or (person and id_number) else self.region,
            named_since=self._approved(values),
        )

    def _approved(self, values: Mapping[str, Any]) -> date | None:
        """A registration record's 核准日期: its name holds from then (None for other items)."""
        registration = self.item.registration
        if registration is None or registration.approved_on is None:
            return None
        approved = values.get(registration.approved_on)
        return approved if isinstance(approved, date) else None

    def _link_one(self, values: Mapping[str, Any], row: list[tuple[str, str]]) -> Link:
        subject_id = next((self.known[p] for p in row if p in self.known), None)
        if subject_id is None:
            return Link(None, self._why_unlinked(values))
        name = values[self.item.columns.subject_name]
        if self.names_seen.get(subject_id) == name:
            return Link(subject_id)
        if codes.normalize_name(name) == self.name_keys.get(subject_id):
            self.names_seen[subject_id] = name
            return Link(subject_id)
        return Link(subject_id, warning=self._rename(subject_id, name, values))

    def _why_unlinked(self, values: Mapping[str, Any]) -> str:
        try:
            newcomer = self._subject_in(values)
            if newcomer is None:
                return "无法确定行政相对人类别，不能关联主体"
            subjects.check_subject(newcomer)
        except DomainError as error:
            return error.message
        return "缺少可识别主体的代码（统一社会信用代码、原有代码或公民身份号码）"

    def _rename(self, subject_id: int, name: str, values: Mapping[str, Any]) -> str:
        registered = self.session.get_one(Subject, subject_id)
        old = registered.name
        if subject_id in self.renamed:
            return f"行政相对人名称“{name}”与主体名称“{old}”不一致"
        # A registration record's change of name takes effect on its 核准日期.
        subjects.rename(self.session, registered, name, self.source, on=self._approved(values))
        self.renamed.add(subject_id)
        self.name_keys[subject_id] = registered.name_key
        return f"行政相对人名称“{name}”与登记名称“{old}”不一致，已记入名称历史"


def _registrable(newcomer: subjects.SubjectIn) -> bool:
    try:
        subjects.check_subject(newcomer)
    except DomainError:
        return False
    return True
