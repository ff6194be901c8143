"""The subject registry: one row per subject, its identifiers, its name history, and the
profile its registration records give it (法人库) with the history of its changes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db import Base, BigId, UtcDateTime


class Subject(Base):
    __tablename__ = "subjects"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(32), index=True)
    name: Mapped[str] = mapped_column(String(255))
    # normalize_name(name): simplified, half-width, no spaces — what searches match on
    name_key: Mapped[str] = mapped_column(String(255), index=True)
    uscc: Mapped[str | None] = mapped_column(String(18), unique=True)
    region_code: Mapped[str | None] = mapped_column(String(6), index=True)
    # The registration status (codelist registration_status), from the subject's registration
    # records; `active` until one says otherwise.
    status: Mapped[str] = mapped_column(String(16), default="active")
    # 已核实: a registration record created or described the subject. A subject first named by
    # another department's record is 待核实 until its registration record arrives.
    verified: Mapped[bool] = mapped_column(default=True, server_default=true())
    # 重错码: the subject this one was found to be (subjects.merging); its records, codes and
    # cases moved there, and it is kept only so that the merge can be reversed.
    merged_into: Mapped[int | None] = mapped_column(ForeignKey("subjects.id"))
    # Personal ID numbers: encrypted (AES-GCM), looked up by keyed hash, shown masked.
    id_number_cipher: Mapped[bytes | None] = mapped_column(LargeBinary)
    id_number_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    id_number_masked: Mapped[str | None] = mapped_column(String(18))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_subjects_unverified", "verified", "id"),)  # the 待核实 queue


class SubjectIdentifier(Base):
    """Every identifier a subject is known by: USCC, legacy codes, the keyed ID-number hash."""

    __tablename__ = "subject_identifiers"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    scheme: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("scheme", "value"),)


class SubjectName(Base):
    __tablename__ = "subject_names"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    name: Mapped[str] = mapped_column(String(255))
    name_key: Mapped[str] = mapped_column(String(255), index=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(64))

    __table_args__ = (Index("ix_subject_names_subject", "subject_id", "valid_from"),)


class SubjectProfile(Base):
    """What the subject's latest registration record says (基本信息), one row per subject."""

    __tablename__ = "subject_profiles"

    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), primary_key=True)
    legal_representative: Mapped[str | None] = mapped_column(String(100))
    organisation_type: Mapped[str | None] = mapped_column(String(100))
    founded_on: Mapped[date | None] = mapped_column(Date)
    authority: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(300))
    capital: Mapped[Decimal | None] = mapped_column(Numeric(20, 6))  # 万元
    currency: Mapped[str | None] = mapped_column(String(20))
    scope: Mapped[str | None] = mapped_column(Text)
    approved_on: Mapped[date | None] = mapped_column(Date)
    term_until: Mapped[date | None] = mapped_column(Date)
    item_code: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[int] = mapped_column(BigId)  # the registration record it was read from
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SubjectChange(Base):
    """One change a registration record made to the subject (变更记录): the history shown with
    its dates. Names also keep their own history (SubjectName) for as-of lookups."""

    __tablename__ = "subject_changes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    field: Mapped[str] = mapped_column(String(32))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    changed_on: Mapped[date] = mapped_column(Date)
    record_id: Mapped[int] = mapped_column(BigId)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_subject_changes_subject", "subject_id", "changed_on"),)


class SubjectMerge(Base):
    """Two subjects found to be one (重错码): `absorbed` merged into `survivor`, with why and by
    whom, and — once reversed — when, by whom and why."""

    __tablename__ = "subject_merges"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    survivor_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    absorbed_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    merged_by: Mapped[str] = mapped_column(String(64))
    merged_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # What the survivor took over beyond the moved rows, to give back on reversal.
    took_uscc: Mapped[bool] = mapped_column(default=False)
    took_verified: Mapped[bool] = mapped_column(default=False)
    # The survivor had no registration of its own: it took the absorbed subject's profile,
    # change history and status; `status_before` is its own status, given back on reversal.
    took_profile: Mapped[bool] = mapped_column(default=False)
    status_before: Mapped[str | None] = mapped_column(String(16))
    reversed_by: Mapped[str | None] = mapped_column(String(64))
    reversed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reverse_reason: Mapped[str | None] = mapped_column(Text)


class SubjectMove(Base):
    """One row a merge moved to the survivor (a record version, an identifier, a case ...), so
    that reversing the merge moves exactly these back."""

    __tablename__ = "subject_moves"

    merge_id: Mapped[int] = mapped_column(ForeignKey("subject_merges.id"), primary_key=True)
    table_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    row_id: Mapped[int] = mapped_column(BigId, primary_key=True)
