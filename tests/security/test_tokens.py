"""API tokens: kept as a hash, ended by expiry, by signing out and by a password change; the API is
throttled."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.roles import Role
from security.models import ApiToken, AuditEntry
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"


@pytest.fixture
def clerk():
    return user_with_role(Role.CENTRE_CLERK, username="clerk")


def _token(username: str = "clerk", password: str = PASSWORD) -> str:
    response = APIClient().post("/api/auth/token/", {"username": username, "password": password})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _me(token: str) -> int:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client.get("/api/me/").status_code


def test_a_token_is_stored_as_a_hash_and_expires(clerk, settings):
    settings.API_TOKEN_HOURS = 12
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        token = _token()
        stored = ApiToken.objects.get(user=clerk)
        assert token not in {stored.digest, stored.prefix} and stored.prefix == token[:8]
        assert stored.expires_at == start + timedelta(hours=12)
        assert _me(token) == 200
        clock.shift(timedelta(hours=11, minutes=59))
        assert _me(token) == 200
        clock.shift(timedelta(minutes=2))
        assert _me(token) == 401
    assert AuditEntry.objects.filter(action="token_issued", user=clerk).exists()


def test_signing_out_on_the_api_ends_that_token(clerk):
    first, second = _token(), _token()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    response = client.post("/api/auth/logout/")
    assert response.status_code == 200 and response.json() == {"revoked": 1}
    assert _me(first) == 401
    assert _me(second) == 200


def test_signing_out_of_the_website_ends_every_token(clerk):
    token = _token()
    browser = Client()
    browser.post("/accounts/login/", {"username": "clerk", "password": PASSWORD})
    browser.post(reverse("logout"))
    assert _me(token) == 401
    assert ApiToken.objects.get(user=clerk).revoked_reason == "logout"


def test_a_password_change_ends_every_token_and_every_other_session(clerk):
    token = _token()
    other = Client()
    other.post("/accounts/login/", {"username": "clerk", "password": PASSWORD})
    me = Client()
    me.post("/accounts/login/", {"username": "clerk", "password": PASSWORD})
    new = "Another-pass-2026"
    response = me.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert _me(token) == 401
    assert ApiToken.objects.get(user=clerk).revoked_reason == "password"
    assert other.get(reverse("disputes:list")).status_code == 302  # signed out
    assert me.get(reverse("disputes:list")).status_code == 200  # the one who changed it stays
    # An administrator's reset (no request of the user's) ends them all as well.
    token = _token(password=new)
    clerk.set_password("Reset-by-admin-1")
    clerk.save()
    assert _me(token) == 401
    assert me.get(reverse("disputes:list")).status_code == 302


def test_a_user_revokes_a_token_from_their_security_page(clerk):
    token = _token()
    browser = Client()
    browser.force_login(clerk)
    page = browser.get(reverse("my-sessions"))
    assert token[:8] in page.content.decode()
    pk = ApiToken.objects.get(user=clerk).pk
    browser.post(reverse("token-revoke", args=[pk]))
    assert _me(token) == 401


def test_a_user_with_a_second_factor_needs_the_code_for_a_token(clerk):
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=clerk, name="phone", confirmed=True)
    response = APIClient().post("/api/auth/token/", {"username": "clerk", "password": PASSWORD})
    assert response.status_code == 400 and "otp" in response.json()
    code = f"{totp(device.bin_key):06d}"
    response = APIClient().post("/api/auth/token/", {"username": "clerk", "password": PASSWORD, "otp": code})
    assert response.status_code == 200


def test_the_api_is_throttled(clerk, settings):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import ScopedRateThrottle, UserRateThrottle

    rates = {**api_settings.DEFAULT_THROTTLE_RATES, "user": "5/minute", "sign_in": "3/minute"}
    original = UserRateThrottle.THROTTLE_RATES
    UserRateThrottle.THROTTLE_RATES = ScopedRateThrottle.THROTTLE_RATES = rates
    try:
        from django.core.cache import cache

        cache.clear()
        client = APIClient()
        client.force_authenticate(clerk)
        statuses = [client.get("/api/me/").status_code for _ in range(7)]
        assert statuses[:5] == [200] * 5 and statuses[5:] == [429, 429]
        statuses = [
            APIClient().post("/api/auth/token/", {"username": "x", "password": "y"}).status_code
            for _ in range(5)
        ]
        assert statuses[:3] == [400] * 3 and 429 in statuses[3:]
    finally:
        UserRateThrottle.THROTTLE_RATES = ScopedRateThrottle.THROTTLE_RATES = original
        cache.clear()


def test_no_token_while_a_new_password_or_a_second_factor_is_due(clerk, settings):
    settings.DEMO_LOGINS = False
    clerk.set_password("huajie2026")  # weak
    clerk.save()
    response = APIClient().post("/api/auth/token/", {"username": "clerk", "password": "huajie2026"})
    assert response.status_code == 403 and "必须修改密码" in response.json()["detail"]
    clerk.set_password("Strong-enough-2026")
    clerk.save()
    settings.OTP_REQUIRED = True  # a centre clerk must have a second factor
    response = APIClient().post("/api/auth/token/", {"username": "clerk", "password": "Strong-enough-2026"})
    assert response.status_code == 403 and "第二重验证" in response.json()["detail"]
    assert not ApiToken.objects.filter(user=clerk).exists()


def test_sign_ins_on_the_api(clerk):
    first, second = _token(), _token()
    browser = Client()
    browser.post("/accounts/login/", {"username": "clerk", "password": PASSWORD}, REMOTE_ADDR="10.5.5.5")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    body = api.get("/api/auth/sign-ins/").json()
    assert [s["ip"] for s in body["sessions"]] == ["10.5.5.5"] and not body["sessions"][0]["current"]
    assert {t["prefix"] for t in body["tokens"]} == {first[:8], second[:8]}
    sid = body["sessions"][0]["sid"]
    assert api.post(f"/api/auth/sessions/{sid}/end/").status_code == 204
    assert browser.get(reverse("disputes:list")).status_code == 302  # that browser is signed out
    assert api.post(f"/api/auth/sessions/{sid}/end/").status_code == 404
    other = ApiToken.objects.get(prefix=second[:8]).pk
    assert api.post(f"/api/auth/tokens/{other}/revoke/").status_code == 204
    assert _me(second) == 401 and _me(first) == 200
    stranger = user_with_role(Role.CENTRE_CLERK, username="stranger")
    api.credentials(HTTP_AUTHORIZATION=f"Token {_token('stranger')}")
    mine = ApiToken.objects.filter(user=clerk, revoked_at__isnull=True).get().pk
    assert api.post(f"/api/auth/tokens/{mine}/revoke/").status_code == 404  # not theirs
    assert _me(first) == 200 and stranger.pk != clerk.pk
