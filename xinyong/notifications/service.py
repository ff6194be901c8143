"""The one way into the outbox (`notify`, in the caller's transaction: a message exists only
if what it tells of was committed) and out of it (`deliver`), and a recipient's notices.

Texts are masked before they are stored: a personal ID or mobile number in a message would
otherwise sit in the outbox and go out over SMS in clear (个人信息保护法)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from xinyong import clock, codes
from xinyong.config import get_settings
from xinyong.errors import DomainError
from xinyong.notifications.channels import Channel, NotConfigured, Unconfigured, channels
from xinyong.notifications.models import ChannelName, Message, RecipientKind

SUBJECT_LIMIT = 200
ERROR_LIMIT = 500


def notify(
    session: Session,
    channel: ChannelName,
    recipient_kind: RecipientKind,
    recipient_key: int,
    subject: str,
    body: str,
    *,
    case_id: int | None = None,
) -> Message:
    """Put one message in the outbox; `deliver` sends it."""
    if not subject.strip() or not body.strip():
        raise DomainError("通知须有标题和正文", "notifications.empty")
    message = Message(
        channel=ChannelName(channel).value,
        recipient_kind=RecipientKind(recipient_kind).value,
        recipient_key=recipient_key,
        subject=codes.mask_personal_numbers(subject.strip())[:SUBJECT_LIMIT],
        body=codes.mask_personal_numbers(body.strip()),
        case_id=case_id,
        created_at=clock.now(),
        attempts=0,
    )
    session.add(message)
    session.flush()  # its id, for the caller's audit entry or answer
    return message


def deliver(
    session: Session, limit: int = 500, adapters: Mapping[str, Channel] | None = None
) -> int:
    """Send up to `limit` pending messages, oldest first, through their channel's adapter;
    returns how many were sent. Each try is counted; a message that failed
    `notify_max_attempts` times waits for an operator. A channel the city has not configured
    is not tried: its messages keep their place with the reason as `last_error`."""
    settings = get_settings()
    adapters = adapters if adapters is not None else channels(settings)
    ready = [name for name, adapter in adapters.items() if not isinstance(adapter, Unconfigured)]
    for name, adapter in adapters.items():
        if isinstance(adapter, Unconfigured):
            _note_unconfigured(session, name, adapter)
    pending = session.scalars(
        select(Message)
        .where(
            Message.sent_at.is_(None),
            Message.channel.in_(ready),
            Message.attempts < settings.notify_max_attempts,
        )
        .order_by(Message.id)
        .limit(limit)
        .with_for_update(skip_locked=True)  # several servers run the jobs (PostgreSQL)
    ).all()
    return sum(_send(message, adapters[message.channel]) for message in pending)


def notices(
    session: Session, recipient_kind: RecipientKind, recipient_key: int, limit: int = 50
) -> Sequence[Message]:
    """The recipient's site messages that were sent, newest first."""
    return session.scalars(
        select(Message)
        .where(
            Message.recipient_kind == RecipientKind(recipient_kind).value,
            Message.recipient_key == recipient_key,
            Message.channel == ChannelName.SITE.value,
            Message.sent_at.is_not(None),
        )
        .order_by(Message.id.desc())
        .limit(limit)
    ).all()


def deliver_job(session: Session) -> int:
    """The job: send what is pending."""
    return deliver(session)


def _send(message: Message, adapter: Channel) -> bool:
    message.attempts = (message.attempts or 0) + 1
    try:
        adapter.send(message)
    except NotConfigured as exc:  # an adapter that gives up on its own configuration
        message.attempts -= 1
        message.last_error = exc.message
        return False
    except Exception as exc:  # any gateway failure: kept, counted, retried next run
        reason = codes.mask_personal_numbers(str(exc) or type(exc).__name__)
        message.last_error = reason[:ERROR_LIMIT]
        return False
    message.sent_at, message.last_error = clock.now(), None
    return True


def _note_unconfigured(session: Session, channel: str, adapter: Unconfigured) -> None:
    reason = NotConfigured(adapter.channel).message
    session.execute(
        update(Message)
        .where(
            Message.channel == channel,
            Message.sent_at.is_(None),
            Message.last_error.is_distinct_from(reason),
        )
        .values(last_error=reason),
        execution_options={"synchronize_session": False},
    )
