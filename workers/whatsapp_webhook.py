"""The inbound WhatsApp webhook: `python -m workers.whatsapp_webhook` (or `make webhook`).

Flask behind waitress. Every request must carry a valid `X-Twilio-Signature` for the auth
token (403 otherwise). Twilio signs the URL it called, so behind a proxy or tunnel set
WEBHOOK_PUBLIC_URL to the public base URL (e.g. https://companion.example.org) and the
signature is checked against that instead of the address the proxy forwarded to.

- POST /twilio/whatsapp: an inbound message; answered at once with TwiML (core.reminders.inbound):
  keywords, mood entries and crisis resources in the answer itself; a chat reply is written in
  a background thread and sent through Twilio's REST API (Twilio waits at most 15 s).
- POST /twilio/status: a delivery status callback; updates the delivery row.
- GET /healthz: the database answers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

import sqlalchemy as sa
from flask import Flask, Response, request
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse
from waitress import serve

from core.bootstrap import App, load_settings, start_app
from core.reminders.inbound import WhatsAppInbox

log = logging.getLogger(__name__)

_TWIML = "application/xml"


def create_webhook(app: App) -> Flask:
    """The Flask application answering Twilio for `app`."""
    token = app.settings.twilio_auth_token
    if token is None or not token.get_secret_value():
        raise RuntimeError("TWILIO_AUTH_TOKEN is required to check Twilio's signatures")
    validator = RequestValidator(token.get_secret_value())
    public_url = app.settings.webhook_public_url.rstrip("/")
    inbox = WhatsAppInbox(
        engine=app.engine,
        store=app.store,
        links=app.whatsapp,
        chat=app.chat,
        conversations=app.conversations,
        profile=app.profile,
        sender=app.sender,  # chat replies go through the REST API, not the webhook's answer
    )
    web = Flask(__name__)
    web.extensions["whatsapp_inbox"] = inbox  # tests wait for the background replies
    web.config["MAX_CONTENT_LENGTH"] = 64 * 1024  # Twilio's form posts are small

    def signed(view: Callable[[], Response]) -> Callable[[], Response]:
        @wraps(view)
        def checked() -> Response:
            url = _signed_url(public_url)
            signature = request.headers.get("X-Twilio-Signature", "")
            if not validator.validate(url, request.form.to_dict(), signature):
                log.warning("refused a request with a bad Twilio signature")
                return Response("forbidden", status=403, mimetype="text/plain")
            return view()

        return checked

    @web.post("/twilio/whatsapp")
    @signed
    def inbound() -> Response:
        form = request.form
        replies = inbox.handle(
            message_sid=form.get("MessageSid", ""),
            sender=form.get("From", ""),
            body=form.get("Body", ""),
            media_count=_int(form.get("NumMedia", "0")),
        )
        twiml = MessagingResponse()
        for reply in replies:
            twiml.message(reply)
        return Response(str(twiml), mimetype=_TWIML)

    @web.post("/twilio/status")
    @signed
    def status() -> Response:
        form = request.form
        app.outbox.record_provider_status(
            form.get("MessageSid", ""), form.get("MessageStatus", ""), form.get("ErrorCode") or None
        )
        return Response(str(MessagingResponse()), mimetype=_TWIML)

    @web.get("/healthz")
    def healthz() -> Response:
        with app.engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
        return Response('{"ok": true}', mimetype="application/json")

    @web.errorhandler(Exception)
    def failed(error: Exception) -> tuple[str, int]:
        log.exception("webhook failed", exc_info=error)
        return "", 500  # Twilio retries; the MessageSid row was released, so it acts then

    return web


def _signed_url(public_url: str) -> str:
    if not public_url:
        return request.url
    query = request.query_string.decode()
    return public_url + request.path + (f"?{query}" if query else "")


def _int(value: Any) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


def main() -> None:
    """Start the webhook on WEBHOOK_PORT with waitress."""
    app = start_app(load_settings(emotion_warm_up=False))
    log.info("whatsapp webhook started", extra={"port": app.settings.webhook_port})
    serve(create_webhook(app), host="0.0.0.0", port=app.settings.webhook_port)  # noqa: S104


if __name__ == "__main__":
    main()
