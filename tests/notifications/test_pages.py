"""The inbox in the browser's pages and the API: one's own notifications only, read by opening them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from core.roles import Role
from notifications import services
from notifications.models import Notification, Preference
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def tell(user, key, title="答辩期限还有7日届满", url="/disputes/"):
    return services.notify(recipients=[user], kind="deadline_reminder", key=key, title=title, url=url)[0]


@pytest.fixture
def me():
    return user_with_role(Role.AGENCY_LIAISON, email="me@example.cn", phone="")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_header_counts_the_unread_and_the_inbox_lists_only_one_s_own(me):
    other = user_with_role(Role.AGENCY_LIAISON)
    tell(me, "a", title="答辩期限还有7日届满")
    tell(me, "b", title="开庭日期还有1日")
    tell(other, "a", title="他人的提醒")
    client = client_for(me)
    home = client.get(reverse("home")).content.decode()
    assert 'data-testid="unread-count">2<' in home
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "答辩期限还有7日届满" in page and "开庭日期还有1日" in page and "他人的提醒" not in page


def test_opening_marks_read_and_goes_to_the_action_another_s_is_not_found(me):
    mine = tell(me, "a", url="/disputes/?overdue=yes")
    theirs = tell(user_with_role(Role.AGENCY_LIAISON), "a")
    client = client_for(me)
    response = client.get(reverse("notifications:open", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == "/disputes/?overdue=yes"
    assert Notification.objects.get(pk=mine.pk).read_at is not None
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    outside = tell(me, "b", url="https://example.com/phish")
    assert client.get(reverse("notifications:open", args=[outside.pk]))["Location"] == reverse(
        "notifications:inbox"
    )


def test_mark_all_read_and_the_unread_tab(me):
    tell(me, "a")
    tell(me, "b")
    client = client_for(me)
    assert "read-all" in client.get(reverse("notifications:inbox")).content.decode()
    response = client.post(reverse("notifications:read"), {"all": "1"})
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=me, read_at__isnull=True).exists()
    page = client.get(reverse("notifications:inbox"), {"show": "unread"}).content.decode()
    assert 'data-testid="unread-count"' not in page and "read-all" not in page


def test_channels_need_an_address_and_a_refusal_changes_nothing(me):
    client = client_for(me)
    response = client.post(reverse("notifications:preferences"), {"email": "on", "sms": "on"})
    assert response.status_code == 200 and not Preference.objects.exists()
    assert "sms" in response.context["form"].errors
    response = client.post(reverse("notifications:preferences"), {"email": "on"})
    assert response.status_code == 302
    assert Preference.objects.get(user=me).email and not Preference.objects.get(user=me).sms


def test_the_api_lists_one_s_own_and_marks_read(me):
    first = tell(me, "a")
    tell(me, "b")
    theirs = tell(user_with_role(Role.AGENCY_LIAISON), "a")
    api = APIClient()
    assert api.get("/api/notifications/").status_code in (401, 403)
    api.force_authenticate(me)
    listed = api.get("/api/notifications/").json()
    assert listed["count"] == 2 and {n["read"] for n in listed["results"]} == {False}
    answer = api.post("/api/notifications/read/", {"ids": [first.pk, theirs.pk]}, format="json").json()
    assert answer == {"marked": 1, "unread": 1}
    assert api.get("/api/notifications/", {"unread": "true"}).json()["count"] == 1
    assert api.post("/api/notifications/read/", {"ids": ["x"]}, format="json").status_code == 400
    assert api.post("/api/notifications/read/", False, format="json").status_code == 400
    assert api.post("/api/notifications/read/", {"ids": [first.pk]}).status_code == 415  # JSON only
    assert api.get("/api/notifications/", {"unread": "null"}).status_code == 400
    assert api.get("/api/notifications/", {"unread": "2"}).status_code == 400
    assert api.get("/api/notifications/", {"unread": "false"}).json()["count"] == 1
    assert api.get("/api/notifications/", {"page": "99999999999999999999"}).status_code == 404
    assert api.post("/api/notifications/read/", {}, format="json").json() == {"marked": 1, "unread": 0}
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_the_home_page_lists_the_newest_unread_and_nothing_once_read(me):
    for i in range(7):
        tell(me, f"k{i}", title=f"第{i}条提醒")
    client = client_for(me)
    home = client.get(reverse("home")).content.decode()
    assert "第6条提醒" in home and "第2条提醒" in home and "第1条提醒" not in home  # the newest five
    assert "?show=unread" in home
    services.notifications_mark_read(user=me)
    assert "第6条提醒" not in client.get(reverse("home")).content.decode()
