"""The outbox: site messages sent and shown as notices, SMS and mail kept with the reason
while a city has not configured them, failed tries counted and retried, personal numbers
masked before anything is stored (个人信息保护法)."""

import pytest
from sqlalchemy import select

from tests.factories import PERSON_ID
from xinyong import codes
from xinyong.config import get_settings, use_settings
from xinyong.db import committing
from xinyong.errors import DomainError
from xinyong.notifications import channels as channel_module
from xinyong.notifications import service as outbox
from xinyong.notifications.channels import SiteChannel, Unconfigured
from xinyong.notifications.models import ChannelName, Message, RecipientKind

MOBILE = "13812345678"


def _put(session, channel=ChannelName.SITE, key=7, body="您的申请已受理"):
    with committing(session):
        return outbox.notify(session, channel, RecipientKind.SUBJECT, key, "申请已受理", body).id


class Flaky:
    """A gateway that fails `failures` times, then hands messages over."""

    def __init__(self, failures: int) -> None:
        self.failures, self.sent = failures, []

    def send(self, message):
        if self.failures:
            self.failures -= 1
            raise ConnectionError(f"短信网关无响应（{MOBILE}）")
        self.sent.append(message.id)


def test_a_site_message_is_sent_once_and_shows_in_the_recipients_notices(session):
    message_id = _put(session)
    assert outbox.notices(session, RecipientKind.SUBJECT, 7) == []  # not before it is sent
    with committing(session):
        assert outbox.deliver(session) == 1
    (notice,) = outbox.notices(session, RecipientKind.SUBJECT, 7)
    assert (notice.id, notice.attempts, notice.last_error) == (message_id, 1, None)
    assert notice.sent_at is not None
    assert outbox.notices(session, RecipientKind.SUBJECT, 8) == []
    assert outbox.notices(session, RecipientKind.DEPARTMENT, 7) == []
    with committing(session):
        assert outbox.deliver(session) == 0  # sent once


def test_unconfigured_sms_and_mail_stay_unsent_with_the_reason_and_no_attempt(session):
    sms, mail = _put(session, ChannelName.SMS), _put(session, ChannelName.MAIL)
    site = _put(session)
    with committing(session):
        assert outbox.deliver(session) == 1
        assert outbox.deliver(session) == 0
    rows = {m.id: m for m in session.scalars(select(Message))}
    assert (rows[sms].sent_at, rows[sms].attempts, rows[sms].last_error) == (
        None,
        0,
        "未配置短信通道",
    )
    assert (rows[mail].sent_at, rows[mail].last_error) == (None, "未配置邮件通道")
    assert rows[site].sent_at is not None


def test_a_failing_gateway_is_retried_with_each_attempt_counted_and_its_reason_masked(session):
    message_id = _put(session, ChannelName.SMS)
    gateway = Flaky(failures=2)
    adapters = {ChannelName.SITE: SiteChannel(), ChannelName.SMS: gateway}
    for expected_attempts in (1, 2):
        with committing(session):
            assert outbox.deliver(session, adapters=adapters) == 0
        message = session.get_one(Message, message_id)
        assert message.attempts == expected_attempts and message.sent_at is None
        assert message.last_error == "短信网关无响应（138****5678）"
    with committing(session):
        assert outbox.deliver(session, adapters=adapters) == 1
    session.refresh(message)
    assert (message.attempts, message.last_error, gateway.sent) == (3, None, [message_id])


def test_a_message_that_failed_the_maximum_tries_is_left_for_an_operator(session, settings):
    message_id = _put(session, ChannelName.SMS)
    use_settings(settings.model_copy(update={"notify_max_attempts": 2}))
    try:
        adapters = {ChannelName.SMS: Flaky(failures=5)}
        for _ in range(4):
            with committing(session):
                outbox.deliver(session, adapters=adapters)
        assert session.get_one(Message, message_id).attempts == 2
    finally:
        use_settings(settings)


def test_a_configured_adapter_is_the_one_the_settings_name(settings, monkeypatch):
    """A city names its gateway's factory; the factory is called with the settings."""
    made = []
    monkeypatch.setattr(channel_module, "city_sms", lambda s: made.append(s) or Flaky(0), False)
    configured = settings.model_copy(
        update={"sms_adapter": "xinyong.notifications.channels:city_sms"}
    )
    adapters = channel_module.channels(configured)
    assert isinstance(adapters[ChannelName.SMS], Flaky) and made == [configured]
    assert isinstance(adapters[ChannelName.MAIL], Unconfigured)
    with pytest.raises(RuntimeError, match="cannot be loaded"):
        channel_module.channels(settings.model_copy(update={"mail_adapter": "nowhere:mail"}))
    assert get_settings().sms_adapter is None


def test_personal_numbers_are_masked_in_the_title_and_body_before_they_are_stored(session):
    with committing(session):
        message = outbox.notify(
            session,
            ChannelName.SMS,
            RecipientKind.SUBJECT,
            1,
            f"关于 {PERSON_ID} 的通知",
            f"身份证号 {PERSON_ID}，手机 {MOBILE}，请于期限内办理。",
        )
    stored = session.get_one(Message, message.id)
    text = stored.subject + stored.body
    assert PERSON_ID not in text and MOBILE not in text
    assert codes.mask_id_number(PERSON_ID) in stored.body and "138****5678" in stored.body


def test_a_message_without_words_is_refused(session):
    with pytest.raises(DomainError) as refused:
        outbox.notify(session, ChannelName.SITE, RecipientKind.SUBJECT, 1, " ", "正文")
    assert refused.value.code == "notifications.empty"
