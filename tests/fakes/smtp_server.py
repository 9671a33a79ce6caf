"""A loopback SMTP server (aiosmtpd) with STARTTLS and login, keeping what it receives."""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import socket
import ssl
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def write_loopback_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1/localhost; (cert, key) paths."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)

    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


@dataclass
class FakeSmtp:
    """Received messages, and a switch to refuse the next ones with an SMTP code."""

    username: str = "mailer"
    password: str = "mail-password-for-tests"
    received: list[Message] = field(default_factory=list)
    refuse_with: list[int] = field(default_factory=list)
    # Keep the next N messages but answer DATA only after `hang_seconds` (the client has given
    # up by then): the ambiguous case, where the server has the message and the sender can't know.
    hang_after_accept: int = 0
    hang_seconds: float = 3.0
    cert: Path | None = None
    port: int = 0
    _controller: Controller | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802, ARG002
        """aiosmtpd hook: keep the message or refuse it as scripted."""
        if self.refuse_with:
            code = self.refuse_with.pop(0)
            return f"{code} refused for the test"
        self.received.append(message_from_bytes(envelope.content))
        if self.hang_after_accept > 0:
            self.hang_after_accept -= 1
            await asyncio.sleep(self.hang_seconds)
        return "250 OK"

    def _authenticate(
        self,
        server: Any,
        session: Any,
        envelope: Any,
        mechanism: str,
        data: Any,  # noqa: ARG002
    ) -> AuthResult:
        ok = (
            isinstance(data, LoginPassword)
            and data.login.decode() == self.username
            and data.password.decode() == self.password
        )
        return AuthResult(success=ok)

    def start(self, folder: Path) -> FakeSmtp:
        """Serve with STARTTLS required, on a free loopback port."""
        self.cert, key = write_loopback_certificate(folder)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert, key)
        self.port = _free_port()
        self._controller = Controller(
            self,
            hostname="127.0.0.1",
            port=self.port,
            tls_context=context,
            require_starttls=True,
            authenticator=self._authenticate,
            auth_require_tls=True,
        )
        self._controller.start()
        return self

    def stop(self) -> None:
        """Stop serving."""
        if self._controller is not None:
            self._controller.stop()
