"""The second factor (TOTP): enrolment by a first valid code, the second step of signing in (wrong codes,
too many of them, an expired step, a safe ``next``), the roles held at enrolment when ``OTP_REQUIRED``,
turning it off, and the security administrator's reset."""

import base64
import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.roles import Role
from security.models import AuditEntry
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"
LOGIN = "/accounts/login/"
VERIFY = "/accounts/login/verify/"
SETUP = "/accounts/second-factor/"


def code_for(device: TOTPDevice, *, offset: int = 0) -> str:
    """The device's current code (``offset`` steps of 30 s away), as an authenticator app shows it."""
    device.refresh_from_db()
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def wrong_code(device: TOTPDevice) -> str:
    right = {code_for(device, offset=n) for n in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in right)


def confirmed_device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


@pytest.fixture
def clerk():
    return user_with_role(Role.CENTRE_CLERK, username="clerk")


@pytest.fixture
def liaison():
    return user_with_role(Role.AGENCY_LIAISON, username="liaison")


@pytest.fixture
def required(settings):
    settings.OTP_REQUIRED = True
    settings.DEMO_LOGINS = False
    return settings


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _sign_in(client: Client, username: str, *, next_url: str | None = None):
    data = {"username": username, "password": PASSWORD}
    url = LOGIN if next_url is None else f"{LOGIN}?next={next_url}"
    if next_url is not None:
        data["next"] = next_url
    return client.post(url, data, REMOTE_ADDR="10.0.0.1")


def _signed_in(client: Client) -> bool:
    return client.get(reverse("disputes:list")).status_code == 200


# --- enrolment ------------------------------------------------------------------------------------


def test_enrolment_shows_the_qr_and_key_and_a_right_code_turns_it_on(clerk):
    client = _client(clerk)
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        page = client.get(SETUP)
        assert page.status_code == 200
        html = page.content.decode()
        src = re.search(r'<img [^>]*src="(data:image/svg\+xml[^"]+)"', html).group(1)
        svg = unquote(src.split(",", 1)[1].replace("&#x27;", "'"))
        assert svg.startswith("<svg xmlns='http://www.w3.org/2000/svg'")  # an <img> draws it
        device = TOTPDevice.objects.get(user=clerk, confirmed=False)
        key = re.search(r'data-testid="otp-secret">([A-Z2-7=]+)<', html).group(1)
        assert base64.b32decode(key) == device.bin_key  # the key typed by hand is the QR's key
        assert f"secret={key.rstrip('=')}" in device.config_url and "issuer=Huajie" in device.config_url
        # Opening the page again keeps the same key (the app already scanned it).
        client.get(SETUP)
        assert TOTPDevice.objects.filter(user=clerk).count() == 1

        # A wrong code: refused in Chinese, nothing confirmed, nothing audited.
        response = client.post(SETUP, {"code": wrong_code(device)})
        assert response.status_code == 200
        assert "验证码错误" in response.content.decode()
        assert not TOTPDevice.objects.filter(user=clerk, confirmed=True).exists()
        assert not AuditEntry.objects.filter(action="otp_changed").exists()
        response = client.post(SETUP, {"code": "12ab56"})
        assert "验证码错误" in response.content.decode()

        # The right code (a few seconds on: django-otp waits a moment after a failure).
        clock.shift(timedelta(seconds=5))
        code = code_for(device)
        response = client.post(SETUP, {"code": f"{code[:3]} {code[3:]}"}, follow=True)
        assert response.redirect_chain[-1][0] == SETUP
        html = response.content.decode()
        assert "第二重验证已启用" in html and 'data-testid="otp-on"' in html
        assert 'data-testid="otp-qr"' not in html and 'data-testid="otp-secret"' not in html
    device.refresh_from_db()
    assert device.confirmed
    entry = AuditEntry.objects.get(action="otp_changed")
    assert entry.user == clerk and entry.object_id == str(clerk.pk) and entry.detail == {"otp": "added"}


# --- signing in with the second factor ------------------------------------------------------------


def test_signing_in_asks_for_the_code_before_the_user_is_signed_in(clerk):
    device = confirmed_device(clerk)
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        response = _sign_in(client, "clerk")
        assert response.status_code == 302 and response["Location"] == VERIFY
        assert "_auth_user_id" not in client.session
        protected = client.get(reverse("disputes:list"))
        assert protected.status_code == 302 and protected["Location"].startswith(LOGIN)
        assert client.get(VERIFY).status_code == 200

        response = client.post(VERIFY, {"code": wrong_code(device)})
        assert response.status_code == 200 and "验证码错误" in response.content.decode()
        assert not _signed_in(client)
        failed = AuditEntry.objects.get(action="sign_in_failed")
        assert failed.user == clerk and failed.detail == {"reason": "otp"}

        clock.shift(timedelta(seconds=5))
        response = client.post(VERIFY, {"code": code_for(device)})
        assert response.status_code == 302 and response["Location"] == "/"
        assert client.session["_auth_user_id"] == str(clerk.pk)
        assert _signed_in(client)
        assert AuditEntry.objects.filter(action="sign_in", user=clerk).count() == 1
        # The step is spent: the page now sends back to sign in.
        assert client.get(VERIFY)["Location"] == LOGIN


def test_after_a_wrong_code_the_user_is_told_to_wait_not_that_the_right_code_is_wrong(clerk):
    # django-otp refuses every code for 1, 2, 4… seconds after wrong ones (and the count outlives the
    # sign-in): the page says until when, instead of calling the right code wrong.
    device = confirmed_device(clerk)
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        _sign_in(client, "clerk")
        client.post(VERIFY, {"code": wrong_code(device)})
        response = client.post(VERIFY, {"code": code_for(device)})
        html = response.content.decode()
        until = timezone.localtime(start + timedelta(seconds=1)).strftime("%H:%M:%S")
        assert f"验证码错误次数过多，请于 {until} 之后再试" in html and "验证码错误。" not in html
        assert not _signed_in(client)
        clock.shift(timedelta(seconds=2))
        assert client.post(VERIFY, {"code": code_for(device)})["Location"] == "/"


def test_five_wrong_codes_drop_the_pending_step(clerk):
    device = confirmed_device(clerk)
    client = Client()
    _sign_in(client, "clerk")
    for _ in range(4):
        response = client.post(VERIFY, {"code": wrong_code(device)})
        assert response.status_code == 200
    response = client.post(VERIFY, {"code": wrong_code(device)}, follow=True)
    assert response.redirect_chain == [(LOGIN, 302)]
    assert "验证码错误次数过多" in response.content.decode()
    # Even the right code does nothing now: the password has to be given again.
    response = client.post(VERIFY, {"code": code_for(device)})
    assert response["Location"] == LOGIN
    assert not _signed_in(client)
    assert AuditEntry.objects.filter(action="sign_in_failed", detail={"reason": "otp"}).count() == 5


def test_the_code_leads_to_the_next_page_and_only_to_a_safe_one(clerk):
    device = confirmed_device(clerk)
    cases = reverse("disputes:list")
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        _sign_in(client, "clerk", next_url=cases)
        response = client.post(VERIFY, {"code": code_for(device)})
        assert response.status_code == 302 and response["Location"] == cases

        clock.shift(timedelta(seconds=60))  # a new code: the one used may not be used again
        client = Client()
        _sign_in(client, "clerk", next_url="https://evil.example/")
        response = client.post(VERIFY, {"code": code_for(device)})
        assert response.status_code == 302 and response["Location"] == "/"
        assert _signed_in(client)


def test_a_code_is_used_once(clerk):
    device = confirmed_device(clerk)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        first, second = Client(), Client()
        _sign_in(first, "clerk")
        _sign_in(second, "clerk")
        code = code_for(device)
        assert first.post(VERIFY, {"code": code}).status_code == 302
        assert second.post(VERIFY, {"code": code}).status_code == 200  # replayed: refused
        assert not _signed_in(second)


def test_the_pending_step_expires_after_five_minutes(clerk):
    device = confirmed_device(clerk)
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        _sign_in(client, "clerk")
        clock.shift(timedelta(minutes=5, seconds=1))
        response = client.post(VERIFY, {"code": code_for(device)}, follow=True)
        assert response.redirect_chain == [(LOGIN, 302)]
        assert "验证步骤已超时" in response.content.decode()
        assert not _signed_in(client)
        # Within the five minutes it works.
        _sign_in(client, "clerk")
        clock.shift(timedelta(minutes=4, seconds=50))
        assert client.post(VERIFY, {"code": code_for(device)}).status_code == 302
        assert _signed_in(client)


# --- required for some roles ----------------------------------------------------------------------


def test_a_clerk_without_a_device_is_held_at_enrolment_until_done(clerk, required):
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert _sign_in(client, "clerk")["Location"] == "/"  # no device yet: signed in, but held
        for path in ("/", reverse("disputes:list"), reverse("my-sessions"), reverse("notifications:inbox")):
            response = client.get(path)
            assert response.status_code == 302 and response["Location"] == SETUP, path
        api = client.get("/api/me/")
        assert api.status_code == 403 and "请先在网页上完成登录步骤" in api.json()["detail"]
        page = client.get(SETUP)
        assert page.status_code == 200
        html = page.content.decode()
        assert 'data-testid="otp-required"' in html and "您的角色" in html

        clock.shift(timedelta(seconds=1))
        device = TOTPDevice.objects.get(user=clerk)
        assert client.post(SETUP, {"code": code_for(device)}).status_code == 302
        assert _signed_in(client)
        assert client.get("/api/me/").status_code == 200

        # From now on the clerk signs in with the code; the role's device cannot be turned off.
        response = client.post(SETUP, {"form": "remove"}, follow=True)
        assert "不能关闭" in response.content.decode()
        assert TOTPDevice.objects.filter(user=clerk, confirmed=True).exists()
        assert not AuditEntry.objects.filter(action="otp_changed", detail={"otp": "removed"}).exists()


def test_other_roles_and_the_demo_logins_are_not_held(clerk, liaison, required):
    client = Client()
    _sign_in(client, "liaison")
    assert _signed_in(client)
    page = client.get(SETUP)
    assert page.status_code == 200 and 'data-testid="otp-required"' not in page.content.decode()

    required.DEMO_LOGINS = True  # make run
    client = Client()
    _sign_in(client, "clerk")
    assert _signed_in(client)


def test_a_user_whose_role_does_not_require_it_turns_it_off(liaison, required):
    confirmed_device(liaison)
    client = _client(liaison)
    response = client.post(SETUP, {"form": "remove"}, follow=True)
    assert "第二重验证已关闭" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=liaison, confirmed=True).exists()
    assert 'data-testid="otp-qr"' in response.content.decode()  # offered again, with a new key
    entry = AuditEntry.objects.get(action="otp_changed")
    assert entry.user == liaison and entry.detail == {"otp": "removed"}
    # Signing in no longer asks for a code.
    client = Client()
    assert _sign_in(client, "liaison")["Location"] == "/"
    assert _signed_in(client)


# --- the security administrator's reset ------------------------------------------------------------


def test_the_security_administrator_resets_a_second_factor(clerk):
    confirmed_device(clerk)
    security = user_with_role(Role.SECURITY_ADMINISTRATOR, organisation=clerk.organisation)
    desk = _client(security)
    response = desk.post(reverse("security-desk"), {"form": "otp_reset", "username": " CLERK "}, follow=True)
    assert response.redirect_chain == [(reverse("security-desk"), 302)]
    assert "已重置 clerk 的第二重验证" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=clerk).exists()
    entry = AuditEntry.objects.get(action="otp_changed")
    assert entry.user == security and entry.object_id == str(clerk.pk) and entry.detail == {"otp": "reset"}
    # Signing in no longer asks for the lost phone's code.
    client = Client()
    assert _sign_in(client, "clerk")["Location"] == "/"

    # An unknown name: a clear error, nothing done.
    response = desk.post(reverse("security-desk"), {"form": "otp_reset", "username": "nobody"}, follow=True)
    assert "没有名为 nobody 的账号" in response.content.decode()
    assert AuditEntry.objects.filter(action="otp_changed").count() == 1
    # Nobody else may reset it.
    refused = _client(clerk).post(reverse("security-desk"), {"form": "otp_reset", "username": "clerk"})
    assert refused.status_code == 403
