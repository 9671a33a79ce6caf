"""Email through SMTP with STARTTLS (`smtplib`), credentials from settings.

4xx replies and connection failures before the message was handed over are retryable; 5xx
replies are permanent; a connection lost or timing out after DATA began is ambiguous (the
server may have queued it). SMTP has no way to ask whether it did, so the caller sends again,
and the copy carries the same Message-ID (stable per delivery) for the receiving side to drop.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from core.ports import DeliveryError

_TRANSIENT_FLOOR, _PERMANENT_FLOOR = 400, 500


class SmtpMailer:
    """`Mailer` port over SMTP; STARTTLS is required unless turned off (local relays)."""

    def __init__(
        self,
        *,
        host: str,
        port: int,
        sender: str,
        username: str = "",
        password: str = "",
        starttls: bool = True,
        ca_file: Path | None = None,
        timeout: float = 15.0,
    ) -> None:
        self._host = host
        self._port = port
        self._sender = sender
        self._username = username
        self._password = password
        self._starttls = starttls
        self._context = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
        self._timeout = timeout

    def send(self, *, to: str, subject: str, body: str, key: str | None = None) -> str:
        """Send one plain-text email; returns its Message-ID. Raises `DeliveryError`.

        With `key` the Message-ID is `<reminder.KEY@DOMAIN>`, the same on every try."""
        domain = self._sender.rpartition("@")[2]
        message = EmailMessage()
        message["From"] = self._sender
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = formatdate(usegmt=True)
        message["Message-ID"] = (
            f"<reminder.{key}@{domain or 'localhost'}>"
            if key
            else make_msgid(domain=domain or None)
        )
        message.set_content(body)
        handed_over = False
        try:
            with smtplib.SMTP(self._host, self._port, timeout=self._timeout) as client:
                client.ehlo()
                if self._starttls:
                    client.starttls(context=self._context)
                    client.ehlo()
                if self._username:
                    client.login(self._username, self._password)
                handed_over = True
                client.send_message(message)
        except smtplib.SMTPResponseException as exc:
            raise _reply_error(exc) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            permanent = any(code >= _PERMANENT_FLOOR for code in codes)
            raise DeliveryError(
                "recipient refused", retryable=not permanent, code=str(codes[0] if codes else "")
            ) from exc
        except (smtplib.SMTPException, OSError) as exc:  # OSError covers timeouts
            raise DeliveryError(
                "mail server unreachable" if not handed_over else "mail server stopped answering",
                retryable=True,
                ambiguous=handed_over,
                code=type(exc).__name__,
            ) from exc
        return str(message["Message-ID"])


def _reply_error(exc: smtplib.SMTPResponseException) -> DeliveryError:
    code = exc.smtp_code
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return DeliveryError("mail login refused", retryable=False, code=str(code))
    return DeliveryError(
        "mail server refused the message",
        retryable=_TRANSIENT_FLOOR <= code < _PERMANENT_FLOOR,
        code=str(code),
    )
