"""Applicant accounts and the activation codes that open them; a code is kept only as its HMAC."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db import Base, BigId, UtcDateTime

USERNAME_LENGTH = 64


class Applicant(Base):
    """One subject's account (a company or a person applying for itself); several may exist
    for one subject, e.g. a company's staff who each activated a code."""

    __tablename__ = "applicants"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"), index=True)
    username: Mapped[str] = mapped_column(String(USERNAME_LENGTH), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # As for staff: logging out moves it on, so every copy of an older cookie stops working.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class ActivationCode(Base):
    """A single-use code printed on a document served to the subject or issued at a window."""

    __tablename__ = "activation_codes"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subject_id: Mapped[int] = mapped_column(ForeignKey("subjects.id"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(32))
    issued_by: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    used_by: Mapped[int | None] = mapped_column(ForeignKey("applicants.id"))

    __table_args__ = (Index("ix_activation_codes_subject", "subject_id", "issued_at"),)
