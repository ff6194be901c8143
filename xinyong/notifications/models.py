"""The outbox: one row per message to one recipient on one channel, kept after it is sent
(a site message is read from here as the recipient's notice)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db import Base, BigId, UtcDateTime


class ChannelName(StrEnum):
    SITE = "site"  # a notice shown on the platform to the recipient
    SMS = "sms"
    MAIL = "mail"


class RecipientKind(StrEnum):
    """Whose the message is: a subject's notices, or a department's reminder list."""

    SUBJECT = "subject"
    DEPARTMENT = "department"


class Message(Base):
    """A message waiting to be sent (`sent_at` empty) or sent. `attempts` counts the tries an
    adapter made; `last_error` says, in Chinese, why the latest did not send it."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    channel: Mapped[str] = mapped_column(String(8))
    recipient_kind: Mapped[str] = mapped_column(String(16))
    recipient_key: Mapped[int] = mapped_column(BigId)  # a subject id or a department id
    subject: Mapped[str] = mapped_column(String(200))  # the title, in Chinese
    body: Mapped[str] = mapped_column(Text)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_outbox_pending", "sent_at", "id"),
        Index("ix_outbox_recipient", "recipient_kind", "recipient_key", "id"),
        Index("ix_outbox_case", "case_id"),
    )
