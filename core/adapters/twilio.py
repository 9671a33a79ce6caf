"""WhatsApp through Twilio with the official `twilio` client.

- `TWILIO_API_BASE_URL` points the client at another host (the loopback fake in tests) through
  a `TwilioHttpClient` that rewrites the API origin; every request has a timeout.
- 429 is retried here with exponential backoff and jitter (tenacity); if it persists the caller
  gets a retryable `DeliveryError` and tries again later.
- A timeout, a cut connection or a 5xx is ambiguous (Twilio may have created the message):
  `DeliveryError(ambiguous=True)`, which the caller reconciles with `find_sent` before resending.
- 4xx errors are permanent (21211 invalid number, 21610 opted out, 63016 outside the window
  without a template...): `DeliveryError(retryable=False, code=...)`.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

import requests
from tenacity import (
    retry,
    retry_if_exception,
    stop_after_attempt,
    wait_random_exponential,
)
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from core.ports import DeliveryError, MessageTemplate, SentMessage

log = logging.getLogger(__name__)

TWILIO_API_ORIGIN = "https://api.twilio.com"
_RATE_LIMIT_TRIES = 4
_LIST_LIMIT = 50


class _RetargetedHttpClient(TwilioHttpClient):  # type: ignore[misc]
    """Twilio's own HTTP client, sending what it would send to api.twilio.com to `base_url`."""

    def __init__(self, base_url: str, *, timeout: float) -> None:
        super().__init__(timeout=timeout)
        self._base = base_url.rstrip("/")

    def request(self, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
        """Send the request to the configured origin instead of Twilio's."""
        if self._base and url.startswith(TWILIO_API_ORIGIN):
            url = self._base + url[len(TWILIO_API_ORIGIN) :]
        return super().request(method, url, *args, **kwargs)


class _RateLimited(Exception):
    """Twilio answered 429."""


def _is_rate_limit(error: BaseException) -> bool:
    return isinstance(error, _RateLimited)


class TwilioWhatsAppSender:
    """`MessageSender` port: WhatsApp messages through Twilio's Messages API."""

    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        from_number: str,
        base_url: str = "",
        timeout: float = 10.0,
        status_callback: str = "",
    ) -> None:
        http = _RetargetedHttpClient(base_url or TWILIO_API_ORIGIN, timeout=timeout)
        self._client = Client(account_sid, auth_token, http_client=http)
        self._from = _whatsapp(from_number)
        self._status_callback = status_callback

    def send(self, *, to: str, body: str, template: MessageTemplate | None = None) -> str:
        """Create the message; returns its SID. Raises `DeliveryError` (see the module doc)."""
        params: dict[str, Any] = {"to": _whatsapp(to), "from_": self._from}
        if template is not None:
            params["content_sid"] = template.content_sid
            params["content_variables"] = json.dumps(template.variables)
        else:
            params["body"] = body
        if self._status_callback:
            params["status_callback"] = self._status_callback
        retried = retry(
            retry=retry_if_exception(_is_rate_limit),
            wait=wait_random_exponential(multiplier=0.5, max=8.0),
            stop=stop_after_attempt(_RATE_LIMIT_TRIES),
            reraise=True,
        )(self._create)
        try:
            sid: str = retried(params)
        except _RateLimited as exc:
            raise DeliveryError("Twilio rate limit", retryable=True, code="429") from exc
        return sid

    def find_sent(self, *, to: str, since: datetime, until: datetime) -> list[SentMessage]:
        """Messages from our number to `to` created between `since` and `until` (naive UTC)."""
        try:
            found = self._client.messages.list(
                to=_whatsapp(to), from_=self._from, limit=_LIST_LIMIT
            )
        except (TwilioException, requests.RequestException) as exc:
            raise DeliveryError(
                "could not list Twilio messages", retryable=True, code=_code_of(exc)
            ) from exc
        messages = []
        for item in found:
            created = _naive_utc(item.date_created)
            if created is not None and since <= created <= until:
                body = str(item.body or "")
                messages.append(SentMessage(item.sid, to, str(item.status), created, body))
        return messages

    def _create(self, params: dict[str, Any]) -> str:
        try:
            message = self._client.messages.create(**params)
        except TwilioRestException as exc:
            raise _classify(exc) from exc
        except requests.exceptions.ConnectTimeout as exc:
            raise DeliveryError("Twilio unreachable", retryable=True, code="connect") from exc
        except requests.exceptions.ConnectionError as exc:
            if isinstance(exc.__cause__, ConnectionRefusedError) or "refused" in str(exc):
                raise DeliveryError("Twilio unreachable", retryable=True, code="connect") from exc
            raise DeliveryError(
                "Twilio connection lost", retryable=True, ambiguous=True, code="network"
            ) from exc
        except requests.RequestException as exc:  # read timeout and the rest: maybe sent
            raise DeliveryError(
                "no answer from Twilio", retryable=True, ambiguous=True, code="timeout"
            ) from exc
        return str(message.sid)


def _classify(exc: TwilioRestException) -> Exception:
    status = exc.status
    if status == 429:
        return _RateLimited()
    if status >= 500:
        return DeliveryError(
            "Twilio server error", retryable=True, ambiguous=True, code=str(status)
        )
    return DeliveryError(
        "Twilio refused the message", retryable=False, code=str(exc.code or status)
    )


def _code_of(exc: BaseException) -> str:
    if isinstance(exc, TwilioRestException):
        return str(exc.code or exc.status)
    return type(exc).__name__


def _whatsapp(number: str) -> str:
    return number if number.startswith("whatsapp:") else f"whatsapp:{number}"


def _naive_utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)
