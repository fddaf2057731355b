"""A real local SMTP server for tests (aiosmtpd in its own thread) and the inbox it fills."""

from __future__ import annotations

import asyncio
import email
import socket
import time
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        self.messages.append(email.message_from_bytes(raw, policy=default_policy))  # type: ignore[arg-type]
        self.recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted"

    def to(self, address: str) -> EmailMessage:
        found = [m for m, r in zip(self.messages, self.recipients, strict=True) if address in r]
        assert len(found) == 1, (address, self.recipients)
        return found[0]

    def all_to(self, address: str) -> list[EmailMessage]:
        return [m for m, r in zip(self.messages, self.recipients, strict=True) if address in r]

    async def wait_for(
        self, address: str, *needles: str, seconds: float = 20.0, explain: Any = None
    ) -> EmailMessage:
        """The first mail to `address` whose plain text contains every needle, waiting for a
        server that sends from a job (the live server's in-process runner)."""
        deadline = time.monotonic() + seconds
        while True:
            for message in self.all_to(address):
                body = message.get_body(preferencelist=("plain",))
                if body is not None and all(n in body.get_content() for n in needles):
                    return message
            if time.monotonic() > deadline:
                seen = [str(m["Subject"]) for m in self.all_to(address)]
                more = explain() if explain else ""
                raise AssertionError(f"no mail to {address} with {needles!r}; got {seen} {more}")
            await asyncio.sleep(0.2)


class SmtpServer:
    def __init__(self, port: int) -> None:
        self.port = port
        self.inbox = Inbox()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=port)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()
