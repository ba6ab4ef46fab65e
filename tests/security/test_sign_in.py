"""Signing in: the lockout whatever the spelling of the name and the address, the password policy, a new
session at each sign-in, the idle and absolute limits, the user's own sessions."""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import normalise_username
from core.roles import Role
from security import passwords
from security.models import AuditEntry, PasswordHistory, UserSession
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"
LOGIN = "/accounts/login/"
VARIANTS = ["Clerk", " clerk ", "ＣＬＥＲＫ", "CLERK", "ｃｌｅｒｋ"]  # case, spaces, full width


@pytest.fixture
def clerk():
    return user_with_role(Role.CENTRE_CLERK, username="clerk")


def _login(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_usernames_are_normalised_at_creation_and_at_sign_in(clerk):
    assert normalise_username("  ＣＬＥＲＫ\u3000") == "clerk"
    user = get_user_model().objects.create_user(" Ｗang ", password=PASSWORD)
    assert user.username == "wang"
    for variant in VARIANTS:
        client = Client()
        assert _login(client, variant, PASSWORD).status_code == 302, variant
        assert client.session["_auth_user_id"] == str(clerk.pk)


def test_five_failures_lock_the_account_whatever_the_spelling_and_the_address(clerk):
    for n, variant in enumerate(VARIANTS):
        response = _login(Client(), variant, "wrong-password", ip=f"10.0.{n % 2}.9")  # two addresses
        assert response.status_code in (200, 429)
    # The right password, from a third address, no longer opens it: the page says why.
    response = _login(Client(), "clerk", PASSWORD, ip="192.168.1.5")
    assert response.status_code == 429
    assert "已锁定 15 分钟" in response.content.decode()
    assert "_auth_user_id" not in Client().session
    # The token endpoint is locked too.
    api = Client()
    response = api.post(
        "/api/auth/token/", {"username": "CLERK", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9"
    )
    assert response.status_code == 429 and "已锁定" in response.json()["detail"]
    # Audited: the failures (by the normalised name) and the lockout.
    failed = AuditEntry.objects.filter(action="sign_in_failed", username="clerk")
    assert failed.count() >= 5
    assert AuditEntry.objects.filter(action="locked_out", username="clerk").exists()
    # 15 minutes later the right password works again.
    with time_machine.travel(timezone.now() + timedelta(minutes=16), tick=False):
        client = Client()
        assert _login(client, "clerk", PASSWORD).status_code == 302


def test_four_failures_do_not_lock_and_a_success_resets_the_count(clerk):
    for _ in range(4):
        _login(Client(), "clerk", "wrong")
    assert _login(Client(), "clerk", PASSWORD).status_code == 302
    for _ in range(4):
        _login(Client(), "clerk", "wrong")
    assert _login(Client(), "clerk", PASSWORD).status_code == 302


def test_the_token_endpoint_locks_after_five_failures(clerk):
    api = Client()
    for variant in VARIANTS:
        response = api.post(
            "/api/auth/token/", {"username": variant, "password": "nope"}, REMOTE_ADDR="10.1.1.1"
        )
        assert response.status_code in (400, 429)
    response = api.post(
        "/api/auth/token/", {"username": "clerk", "password": PASSWORD}, REMOTE_ADDR="10.2.2.2"
    )
    assert response.status_code == 429
    assert _login(Client(), "clerk", PASSWORD).status_code == 429  # the page as well


@pytest.mark.parametrize(
    "password, accepted",
    [
        ("huajie2027", False),  # short, two kinds
        ("huajiehuajie2027", False),  # long enough, two kinds
        ("Huajie2027", False),  # three kinds, too short
        ("Huajie-2027-xian", True),
        ("HUAJIE2027xian", True),
    ],
)
def test_the_password_policy(clerk, password, accepted):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password, clerk)
    except ValidationError:
        assert not accepted
    else:
        assert accepted


def test_a_password_may_not_repeat_one_of_the_last_five(clerk):
    client = Client()
    client.force_login(clerk)
    used = [f"Xian-county-{n}A" for n in range(6)]
    previous = PASSWORD
    for new in used:
        response = client.post(
            reverse("password_change"), {"old_password": previous, "new_password1": new, "new_password2": new}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        previous = new
    # The last five (and the current one) are refused; the sixth back is allowed again.
    for old in used[-5:]:
        response = client.post(
            reverse("password_change"), {"old_password": previous, "new_password1": old, "new_password2": old}
        )
        assert response.status_code == 200 and "未用过的密码" in response.content.decode()
    assert PasswordHistory.objects.filter(user_id=clerk.pk).count() == 5
    response = client.post(
        reverse("password_change"),
        {"old_password": previous, "new_password1": used[0], "new_password2": used[0]},
    )
    assert response.status_code == 302


def test_a_weak_or_old_password_must_be_changed_before_anything_else(clerk, settings):
    settings.DEMO_LOGINS = False
    clerk.set_password("huajie2026")  # the demo password: too weak for the policy
    clerk.save()
    client = Client()
    assert _login(client, "clerk", "huajie2026").status_code == 302
    response = client.get(reverse("disputes:list"))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    assert client.get("/api/me/").status_code == 403
    page = client.get(reverse("password_change"))
    assert "不符合现行规则或已到期" in page.content.decode()
    new = "Yunxi-centre-2026"
    response = client.post(
        reverse("password_change"), {"old_password": "huajie2026", "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert client.get(reverse("disputes:list")).status_code == 200

    # 91 days on, the password has expired: signing in leads to the change first.
    with time_machine.travel(timezone.now() + timedelta(days=91), tick=False):
        assert passwords.is_expired(clerk)
        client = Client()
        _login(client, "clerk", new)
        assert client.get(reverse("disputes:list"))["Location"] == reverse("password_change")


def test_the_demo_logins_are_exempt_only_when_the_setting_says_so(clerk, settings):
    clerk.set_password("huajie2026")
    clerk.save()
    settings.DEMO_LOGINS = True  # make run
    client = Client()
    _login(client, "clerk", "huajie2026")
    assert client.get(reverse("disputes:list")).status_code == 200
    settings.DEMO_LOGINS = False
    client = Client()
    _login(client, "clerk", "huajie2026")
    assert client.get(reverse("disputes:list")).status_code == 302


def test_signing_in_starts_a_new_session(clerk):
    client = Client()
    client.get(LOGIN)
    client.cookies["sessionid"] = "attacker-chosen-session-key"
    _login(client, "clerk", PASSWORD)
    assert client.cookies["sessionid"].value != "attacker-chosen-session-key"
    before = client.session.session_key
    client.post(reverse("logout"))
    _login(client, "clerk", PASSWORD)
    assert client.session.session_key != before


def test_a_session_ends_after_30_idle_minutes(clerk):
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        _login(client, "clerk", PASSWORD)
        assert client.get(reverse("disputes:list")).status_code == 200
        clock.shift(timedelta(minutes=29))
        assert client.get(reverse("disputes:list")).status_code == 200  # activity keeps it alive
        clock.shift(timedelta(minutes=29))
        assert client.get(reverse("disputes:list")).status_code == 200
        clock.shift(timedelta(minutes=31))
        response = client.get(reverse("disputes:list"))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        assert not UserSession.objects.live().filter(user=clerk).exists()  # no longer listed


def test_a_session_ends_12_hours_after_sign_in_however_active(clerk):
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        _login(client, "clerk", PASSWORD)
        for _ in range(25):  # a request every 29 minutes: never idle
            clock.shift(timedelta(minutes=29))
            response = client.get(reverse("disputes:list"))
            if response.status_code != 200:
                break
        assert response.status_code == 302
        assert timezone.now() - start > timedelta(hours=12)
        assert timezone.now() - start <= timedelta(hours=12, minutes=29)
        assert AuditEntry.objects.filter(action="session_expired", user=clerk).exists()


def test_a_user_sees_their_sessions_and_ends_another(clerk):
    office, phone = Client(), Client()
    _login(office, "clerk", PASSWORD, ip="10.0.0.1")
    _login(phone, "clerk", PASSWORD, ip="10.0.0.2")
    page = office.get(reverse("my-sessions"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "10.0.0.1" in html and "10.0.0.2" in html and "当前会话" in html
    other = UserSession.objects.get(user=clerk, ip="10.0.0.2")
    response = office.post(reverse("session-end", args=[other.sid]))
    assert response.status_code == 302
    assert phone.get(reverse("disputes:list")).status_code == 302  # signed out
    assert office.get(reverse("disputes:list")).status_code == 200
    # Nobody ends another user's session.
    stranger = user_with_role(Role.CENTRE_CLERK, username="stranger")
    spy = Client()
    _login(spy, "stranger", PASSWORD)
    mine = UserSession.objects.get(user=clerk)
    spy.post(reverse("session-end", args=[mine.sid]))
    assert UserSession.objects.filter(pk=mine.pk).exists()
    assert stranger.pk != clerk.pk


def test_sign_ins_and_sign_outs_are_audited(clerk):
    client = Client()
    _login(client, "clerk", "wrong", ip="10.3.3.3")
    _login(client, "clerk", PASSWORD, ip="10.3.3.3")
    client.post(reverse("logout"), REMOTE_ADDR="10.3.3.3")
    actions = list(
        AuditEntry.objects.filter(username="clerk").order_by("pk").values_list("action", "result", "ip")
    )
    assert ("sign_in_failed", "failure", "10.3.3.3") in actions
    assert ("sign_in", "success", "10.3.3.3") in actions
    assert ("sign_out", "success", "10.3.3.3") in actions


def test_a_password_an_administrator_set_must_be_changed_at_sign_in(clerk, settings):
    settings.DEMO_LOGINS = False
    admin = user_with_role(
        Role.ADMINISTRATOR, organisation=clerk.organisation, is_staff=True, is_superuser=True
    )
    desk = Client()
    desk.force_login(admin)
    given = "Given-by-admin-2026"
    response = desk.post(
        reverse("admin:auth_user_password_change", args=[clerk.pk]),
        {"password1": given, "password2": given, "usable_password": "true"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    client = Client()
    assert _login(client, "clerk", given).status_code == 302
    assert client.get(reverse("disputes:list"))["Location"] == reverse("password_change")
    mine = "Chosen-by-me-2026"
    client.post(
        reverse("password_change"), {"old_password": given, "new_password1": mine, "new_password2": mine}
    )
    assert client.get(reverse("disputes:list")).status_code == 200
    # Their own choice is not "given": the next sign-in goes straight in.
    client = Client()
    _login(client, "clerk", mine)
    assert client.get(reverse("disputes:list")).status_code == 200
