"""How a message leaves the outbox: one adapter per channel, each `send(message)` returning
when the message is handed over and raising when it is not.

The site channel is the platform itself: a sent site message is a notice the recipient reads
here, so sending it is marking it sent. SMS and mail go through a gateway the city chooses:
its settings name a factory (`XINYONG_SMS_ADAPTER`, `XINYONG_MAIL_ADAPTER`, as
`package.module:factory`, called with the settings) whose channel finds the recipient's number
or address itself. Until a city names one, its messages stay in the outbox with the reason."""

from __future__ import annotations

import importlib
from typing import Protocol

from xinyong.config import Settings
from xinyong.errors import DomainError
from xinyong.notifications.models import ChannelName, Message

UNCONFIGURED = {
    ChannelName.SMS: "未配置短信通道",
    ChannelName.MAIL: "未配置邮件通道",
}


class Channel(Protocol):
    def send(self, message: Message) -> None:
        """Hand the message over; raise (any exception, its text the reason) when it is not."""


class NotConfigured(DomainError):
    """The city has not named an adapter for this channel: nothing was tried."""

    def __init__(self, channel: ChannelName) -> None:
        super().__init__(UNCONFIGURED[channel], "notifications.unconfigured")


class SiteChannel:
    """A site message needs no gateway: once sent it shows in the recipient's notices."""

    def send(self, message: Message) -> None:
        return None


class Unconfigured:
    def __init__(self, channel: ChannelName) -> None:
        self.channel = channel

    def send(self, message: Message) -> None:
        raise NotConfigured(self.channel)


def channels(settings: Settings) -> dict[str, Channel]:
    """The adapter of each channel under these settings."""
    return {
        ChannelName.SITE: SiteChannel(),
        ChannelName.SMS: _configured(ChannelName.SMS, settings.sms_adapter, settings),
        ChannelName.MAIL: _configured(ChannelName.MAIL, settings.mail_adapter, settings),
    }


def _configured(channel: ChannelName, factory: str | None, settings: Settings) -> Channel:
    if not factory:
        return Unconfigured(channel)
    module, _, name = factory.partition(":")
    try:
        made: Channel = getattr(importlib.import_module(module), name)(settings)
    except (ImportError, AttributeError, ValueError) as exc:
        raise RuntimeError(f"{channel.value} adapter {factory!r} cannot be loaded: {exc}") from exc
    return made
