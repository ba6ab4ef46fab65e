"""The outside channels: e-mail through Django's e-mail backend (``EMAIL_BACKEND``), text messages
through a gateway named in settings (``SMS_GATEWAY``, a dotted path to a class). The default gateway
only writes the message to the log; a deployment plugs in its provider's with a class that has
``send(to=…, text=…, reference=…)`` and raises ``SendError`` when the provider refuses."""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SendError(Exception):
    """The channel did not take the message (the text is kept as the delivery's last error)."""


class SmsGateway(Protocol):
    def send(self, *, to: str, text: str, reference: str) -> None:
        """Send ``text`` to the mobile number ``to``. ``reference`` is the delivery's own id: a provider
        that accepts one can drop a message it already took."""


class LoggingSmsGateway:
    """Writes each message to the log instead of sending it: the default, until a provider is set."""

    def send(self, *, to: str, text: str, reference: str) -> None:
        logger.info("SMS %s to %s: %s", reference, to, text)


def sms_gateway() -> SmsGateway:
    gateway: SmsGateway = import_string(settings.SMS_GATEWAY)()
    return gateway


def send_email(*, to: str, subject: str, text: str) -> None:
    try:
        send_mail(subject, text, None, [to], fail_silently=False)
    except Exception as exc:  # the backend's own errors (SMTP, connection) become the delivery's reason
        raise SendError(f"{type(exc).__name__}: {exc}") from exc


def send_sms(*, to: str, text: str, reference: str) -> None:
    try:
        sms_gateway().send(to=to, text=text, reference=reference)
    except SendError:
        raise
    except Exception as exc:
        raise SendError(f"{type(exc).__name__}: {exc}") from exc
