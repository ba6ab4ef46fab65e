"""The second factor: a TOTP device (django-otp) per user, confirmed by a first valid code."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.roles import Role

# Who must have a second factor when OTP_REQUIRED is on: the administrators and the centre's staff.
REQUIRED_ROLES = frozenset(
    {
        Role.ADMINISTRATOR,
        Role.SECURITY_ADMINISTRATOR,
        Role.AUDIT_ADMINISTRATOR,
        Role.CENTRE_CLERK,
        Role.MEDIATOR,
    }
)


def device_of(user: Any, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=confirmed).first()


def has_device(user: Any) -> bool:
    return device_of(user) is not None


def verify(user: Any, code: str) -> bool:
    device = device_of(user)
    code = "".join((code or "").split())
    return device is not None and code.isdigit() and device.verify_token(code)


def refused_until(device: TOTPDevice | None) -> datetime | None:
    """When django-otp takes a code again after wrong ones (it waits 1, 2, 4, 8… seconds, doubling with
    each failure until a right code), or None when it takes one now. Until then every code, the right
    one too, is refused: the user must be told to wait, not that the code is wrong."""
    if device is None:
        return None
    allowed, data = device.verify_is_allowed()
    return None if allowed else (data or {}).get("locked_until")


def required_for(user: Any) -> bool:
    if not settings.OTP_REQUIRED or settings.DEMO_LOGINS:
        return False
    return bool(user.is_superuser or user.role_codes & REQUIRED_ROLES)
