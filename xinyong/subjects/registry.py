"""Finding subjects by their identifiers, set-based: the one lookup collection, checks and
search share. Identifiers are keyed as stored — codes normalised, a person's number by its
keyed hash — so no caller ever handles the hash or the registry's tables."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from xinyong.codes.schemes import (
    SCHEMES,
    Scheme,
    normalize_organisation_code,
    organisation_scheme,
)
from xinyong.db import one_of, table_of
from xinyong.policy.enums import SubjectType
from xinyong.subjects.models import Subject, SubjectIdentifier
from xinyong.subjects.pii import id_number_hash

CHUNK = 5000  # identifiers per query: few round trips, well under both databases' limits

# (scheme, value as stored): what a subject is known by.
Key = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Known:
    """A subject found by one of its identifiers."""

    subject_id: int
    name: str
    name_key: str
    subject_type: SubjectType
    status: str = "active"  # the registration status (codelist registration_status)


def key_of(scheme: Scheme | str, value: str, *, normalised: bool = False) -> Key | None:
    """The stored key of `value` in `scheme`. Codes are only normalised (not at all when the
    catalog validator already did: `normalised`), not checked: a wrong check character matches
    no stored (valid) code, and checking a hundred thousand keys costs more than the lookup. A
    person's number must be a valid one (else None), since only its keyed hash is stored."""
    rule = SCHEMES[Scheme(scheme)]
    if not rule.personal:
        return rule.scheme.value, value if normalised else rule.normalize(value)
    if not rule.is_valid(value):
        return None
    return rule.scheme.value, id_number_hash(rule.normalize(value))


def organisation_key(code: str) -> Key | None:
    """The key of an organisation code of any scheme, told by its length (None: no such
    length)."""
    normalised = normalize_organisation_code(code)
    scheme = organisation_scheme(normalised)
    return (scheme.value, normalised) if scheme is not None else None


def stored_value(scheme: Scheme | str, normalised: str) -> str:
    """The value stored for an already validated identifier."""
    return id_number_hash(normalised) if SCHEMES[Scheme(scheme)].personal else normalised


def person_key(id_number: str) -> str:
    """The keyed hash a validated ID number is matched by, e.g. in a record's natural key:
    equal numbers give equal keys, and no key gives back its number."""
    return id_number_hash(id_number)


def lookup_many(session: Session, keys: Iterable[Key]) -> dict[Key, Known]:
    """The subject each key names, for the keys the registry knows: one query per scheme and
    chunk of CHUNK keys, never one per key."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for scheme, value in keys:
        wanted[scheme].add(value)
    found: dict[Key, Known] = {}
    for scheme, values in wanted.items():
        ordered = sorted(values)
        for start in range(0, len(ordered), CHUNK):
            rows = session.execute(
                select(
                    SubjectIdentifier.value,
                    Subject.id,
                    Subject.name,
                    Subject.name_key,
                    Subject.subject_type,
                    Subject.status,
                )
                .join(Subject, Subject.id == SubjectIdentifier.subject_id)
                .where(
                    SubjectIdentifier.scheme == scheme,
                    one_of(session, SubjectIdentifier.value, ordered[start : start + CHUNK]),
                )
            )
            for value, subject_id, name, name_key, subject_type, status in rows:
                found[(scheme, value)] = Known(
                    subject_id, name, name_key, SubjectType(subject_type), status
                )
    return found


def adopt_identifiers(session: Session, adopted: Mapping[Key, int]) -> None:
    """Make subjects known by further identifiers (key → subject id), e.g. the USCC a subject
    found by its legacy code was given later; a USCC also fills the subject's own column when
    empty. The caller has checked no other subject holds the keys."""
    if not adopted:
        return
    session.execute(
        insert(table_of(SubjectIdentifier)),
        [{"subject_id": sid, "scheme": s, "value": v} for (s, v), sid in adopted.items()],
    )
    for (scheme, value), subject_id in adopted.items():
        if scheme == Scheme.USCC:
            session.execute(
                update(Subject)
                .where(Subject.id == subject_id, Subject.uscc.is_(None))
                .values(uscc=value)
            )
