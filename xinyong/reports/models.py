"""Issued credit reports: one row per report (its number, what it covers, for whom, as of when,
the SHA-256 of its PDF) and the PDF itself in a table of its own (decision 0017)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db import Base, BigId, Json, UtcDateTime


class Report(Base):
    """A report as issued. `viewer` is whose view of the publication it was made from (role,
    department, region; None: the public's), so it can be rendered again from the same inputs;
    `public_view` says the content is what the public sees. Verification reads only this row."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    scope: Mapped[dict[str, Any]] = mapped_column(Json)  # sections, from, to
    as_of: Mapped[datetime] = mapped_column(UtcDateTime)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    requested_by: Mapped[str] = mapped_column(String(64))  # the audit actor
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    viewer: Mapped[dict[str, Any] | None] = mapped_column(Json)
    public_view: Mapped[bool]
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_reports_subject_kind", "subject_id", "kind", "issued_at"),)


class ReportFile(Base):
    """The PDF exactly as delivered: a download later gives the same bytes, whatever changed."""

    __tablename__ = "report_files"

    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), primary_key=True)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class ReportAuthorisation(Base):
    """A subject's 授权码 for a third party's report: only its HMAC is kept; the scope the
    third party gets (kind, sections, period), until when and how many times, and whether
    the subject revoked it."""

    __tablename__ = "report_authorisations"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    grantee: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(32))
    scope: Mapped[dict[str, Any]] = mapped_column(Json)  # sections, from, to
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    uses_left: Mapped[int] = mapped_column(Integer)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_report_authorisations_subject", "subject_id", "created_at"),)


class AuthorisedReport(Base):
    """A report a third party got with an authorisation code: the subject sees each use."""

    __tablename__ = "report_authorised_uses"

    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), primary_key=True)
    authorisation_id: Mapped[int] = mapped_column(
        ForeignKey("report_authorisations.id"), index=True
    )
