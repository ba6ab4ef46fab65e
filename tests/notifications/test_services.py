"""Telling people once, and sending what waits on the outside channels: claimed, sent, retried, given up."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from core.roles import Role
from notifications import services
from notifications.models import Delivery, Notification
from tests.concurrency import POSTGRES_ONLY, run_together
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

SENT_SMS: list[dict] = []


class RecordingGateway:
    def send(self, *, to, text, reference):
        SENT_SMS.append({"to": to, "text": text, "reference": reference})


class RefusingGateway:
    def send(self, *, to, text, reference):
        raise RuntimeError("网关拒绝：余额不足")


@pytest.fixture
def gateway(settings):
    SENT_SMS.clear()
    settings.SMS_GATEWAY = "tests.notifications.test_services.RecordingGateway"
    return SENT_SMS


def person(**fields):
    return user_with_role(Role.AGENCY_LIAISON, email="liaison@example.cn", phone="13907191234", **fields)


def tell(*users, key="deadline:1:7"):
    return services.notify(
        recipients=users, kind="deadline_reminder", key=key, title="答辩期限还有7日届满", url="/disputes/1/"
    )


def test_a_person_is_told_once_per_key_on_the_channels_they_chose(
    gateway, django_capture_on_commit_callbacks
):
    liaison, quiet = person(), person()
    services.preference_set(user=liaison, email=True, sms=True)
    services.preference_set(user=quiet, email=False, sms=False)
    with django_capture_on_commit_callbacks(execute=True):
        made = tell(liaison, quiet, liaison)
    assert [n.recipient for n in made] == [liaison, quiet]
    assert tell(liaison, quiet) == []  # the same key again: nobody is told twice
    assert Notification.objects.count() == 2
    channels = sorted(Delivery.objects.values_list("notification__recipient", "channel", "status"))
    assert channels == [(liaison.pk, "email", "sent"), (liaison.pk, "sms", "sent")]  # sent after commit
    assert [m.to for m in mail.outbox] == [["liaison@example.cn"]] and mail.outbox[
        0
    ].subject == "答辩期限还有7日届满"
    assert gateway == [
        {"to": "13907191234", "text": "答辩期限还有7日届满", "reference": gateway[0]["reference"]}
    ]


def test_inactive_people_and_missing_addresses_get_no_delivery():
    gone = person(is_active=False)
    no_address = user_with_role(Role.AGENCY_LIAISON, email="", phone="")
    services.preference_set(user=no_address, email=True, sms=True)
    assert [n.recipient for n in tell(gone, no_address)] == [no_address]
    assert not Delivery.objects.exists()


def test_a_failing_channel_is_tried_again_later_then_given_up_and_reported(settings):
    settings.SMS_GATEWAY = "tests.notifications.test_services.RefusingGateway"
    liaison = person()
    services.preference_set(user=liaison, email=False, sms=True)
    tell(liaison)
    failed = []
    services.on_delivery_failed(failed.append)
    now = timezone.now()
    for attempt in range(1, services.MAX_ATTEMPTS + 1):
        counts = services.deliveries_send(now=now)
        delivery = Delivery.objects.get()
        assert delivery.attempts == attempt and "余额不足" in delivery.last_error
        if attempt < services.MAX_ATTEMPTS:
            assert counts == {"sent": 0, "retry": 1, "failed": 0}
            assert delivery.next_attempt_at == now + services.backoff(attempt)
            assert services.deliveries_send(now=now) == {"sent": 0, "retry": 0, "failed": 0}  # not yet due
            now = delivery.next_attempt_at
    assert counts == {"sent": 0, "retry": 0, "failed": 1} and delivery.status == "failed"
    assert [d.pk for d in failed] == [delivery.pk]
    services._failure_hooks.remove(failed.append)


def test_a_claimed_delivery_is_left_alone_until_its_lease_runs_out(gateway):
    liaison = person()
    services.preference_set(user=liaison, email=False, sms=True)
    tell(liaison)
    now = timezone.now()
    assert services._claim(now, 10) != []  # a sender took it … and died before sending
    assert services.deliveries_send(now=now) == {"sent": 0, "retry": 0, "failed": 0}
    later = now + services.LEASE + timedelta(seconds=1)
    assert services.deliveries_send(now=later) == {"sent": 1, "retry": 0, "failed": 0}
    assert len(gateway) == 1 and Delivery.objects.get().attempts == 2


def test_reading_marks_only_the_reader_s_own():
    me, other = person(), person()
    mine = tell(me, key="a")[0]
    theirs = tell(other, key="a")[0]
    assert services.notifications_mark_read(user=me, ids=[mine.pk, theirs.pk]) == 1
    assert Notification.objects.get(pk=theirs.pk).read_at is None
    tell(me, key="b")
    assert services.notifications_mark_read(user=me) == 1


@POSTGRES_ONLY[0]
@POSTGRES_ONLY[1]
def test_two_senders_at_once_send_each_delivery_once(gateway, monkeypatch):
    monkeypatch.setattr(services, "_queue_sending", lambda: None)  # left to the two senders below
    liaison = person()
    services.preference_set(user=liaison, email=False, sms=True)
    for i in range(60):
        tell(liaison, key=f"k{i}")
    results = run_together(
        lambda: services.deliveries_send(limit=7), lambda: services.deliveries_send(limit=7)
    )
    assert sum(r["sent"] for r in results) == 60, results
    assert len(gateway) == 60 and len({m["reference"] for m in gateway}) == 60
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
