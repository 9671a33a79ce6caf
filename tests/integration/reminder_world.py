"""A reminder world for tests: the app on SQLite or MySQL with a movable clock, the real Twilio
client talking to the loopback fake, the real SMTP client talking to aiosmtpd, and workers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from core.adapters.smtp import SmtpMailer
from core.adapters.twilio import TwilioWhatsAppSender
from core.bootstrap import App
from core.reminders.schedules import ReminderSpec, ReminderView
from tests.conftest import build_app, make_settings
from tests.factories import make_user
from tests.fakes.adapters import fake_adapters
from tests.fakes.clock import FakeClock
from tests.fakes.smtp_server import FakeSmtp
from tests.fakes.twilio_server import FakeTwilio
from workers.reminder_worker import ReminderWorker

START = datetime(2026, 6, 1, 6, 0)  # a Monday, 07:00 in London


@dataclass
class World:
    """Everything a reminder test touches."""

    app: App
    clock: FakeClock
    twilio: FakeTwilio
    smtp: FakeSmtp

    def worker(self, name: str = "w1") -> ReminderWorker:
        """A worker on this app (same process; its own id)."""
        return ReminderWorker(self.app, worker_id=name)

    def user_with_whatsapp(self, phone: str = "+447911123456") -> str:
        """A registered user whose number is linked and verified with the real code."""
        user = make_user(self.app)
        self.app.whatsapp.start(user.id, phone)
        body = self.twilio.sent_to(phone)[-1].body or ""
        code = re.search(r"\b(\d{6})\b", body)
        assert code is not None
        self.app.whatsapp.confirm(user.id, code.group(1))
        return user.id

    def schedule(self, user_id: str, **fields: Any) -> ReminderView:
        """A daily 09:00 London mood reminder unless `fields` say otherwise."""
        values: dict[str, Any] = {
            "kind": "mood",
            "channel": "whatsapp",
            "time_of_day": "09:00",
            "days_of_week": "0123456",
            "timezone": "Europe/London",
        } | fields
        return self.app.reminders.create(user_id, ReminderSpec(**values))

    def reminder_owner(self, sid: str) -> str:
        """The user a sent reminder (by its Twilio SID) belongs to."""
        with self.app.engine.connect() as connection:
            owner = connection.execute(
                sa.text("SELECT user_id FROM reminder_deliveries WHERE provider_message_id = :s"),
                {"s": sid},
            ).scalar()
        return str(owner)

    def reminder_messages(self, phone: str = "+447911123456") -> list[Any]:
        """Messages sent to `phone` other than the linking code."""
        return [m for m in self.twilio.sent_to(phone) if "verification code" not in (m.body or "")]


def build_world(tmp_path: Path, database_url: str | None = None, **overrides: Any) -> World:
    """Start the fakes and build the app against them."""
    mail_timeout = float(overrides.pop("mail_timeout", 5.0))
    clock = FakeClock(START)
    twilio = FakeTwilio(hang_seconds=1.5, now=lambda: clock.now().replace(tzinfo=UTC)).start()
    smtp = FakeSmtp().start(tmp_path)
    values: dict[str, Any] = {
        "twilio_account_sid": twilio.account_sid,
        "twilio_auth_token": twilio.auth_token,
        "twilio_whatsapp_from": "+14155238886",
        "twilio_api_base_url": twilio.url,
        "twilio_timeout_seconds": 1.0,
        "reminder_send_rate": 1000.0,
        "reminder_lease_seconds": 30.0,
    } | overrides
    if database_url:
        values["database_url"] = database_url
    settings = make_settings(tmp_path, **values)
    sender = TwilioWhatsAppSender(
        account_sid=twilio.account_sid,
        auth_token=twilio.auth_token,
        from_number="+14155238886",
        base_url=twilio.url,
        timeout=1.0,
    )
    mailer = SmtpMailer(
        host="127.0.0.1",
        port=smtp.port,
        sender="companion@example.org",
        username=smtp.username,
        password=smtp.password,
        ca_file=smtp.cert,
        timeout=mail_timeout,
    )
    app = build_app(settings, fake_adapters(settings, clock=clock, sender=sender, mailer=mailer))
    return World(app, clock, twilio, smtp)
