"""Writes: telling people (``notify``), sending what waits on the outside channels
(``deliveries_send``), reading (``notifications_mark_read``) and choosing channels
(``preference_set``). Keyword-only; ``notify`` joins the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from . import channels
from .models import Channel, Delivery, DeliveryStatus, Notification, Preference

if TYPE_CHECKING:
    from core.models import User

LEASE = timedelta(minutes=5)  # a sender has this long to send what it claimed
MAX_ATTEMPTS = 5
BATCH = 200

# Called with a delivery that failed its last try (``on_delivery_failed``): an app above that must act
# on it (a reminder that did not arrive becomes the centre's work) registers here.
_failure_hooks: list[Callable[[Delivery], None]] = []


def on_delivery_failed(hook: Callable[[Delivery], None]) -> None:
    if hook not in _failure_hooks:
        _failure_hooks.append(hook)


def backoff(attempts: int) -> timedelta:
    """How long after its ``attempts``-th failed try a delivery is tried again: 2, 4, 8, 16 minutes."""
    return timedelta(minutes=2**attempts)


def _channels_of(user: User) -> list[tuple[str, str]]:
    """The outside channels ``user`` chose and has an address for: (channel, address)."""
    preference = Preference.objects.filter(user=user).first() or Preference(user=user)
    chosen = []
    if preference.email and user.email:
        chosen.append((Channel.EMAIL.value, user.email))
    if preference.sms and user.phone:
        chosen.append((Channel.SMS.value, user.phone))
    return chosen


def notify(
    *, recipients: Iterable[User], kind: str, key: str, title: str, body: str = "", url: str = ""
) -> list[Notification]:
    """Tell each of ``recipients`` (inactive users are skipped) about ``key``: an item in their inbox,
    and a delivery on each outside channel they chose, sent after the transaction commits. Someone
    already told about ``key`` is not told again (also when another job tells them at the same
    moment). Returns the notifications made now."""
    made, deliveries = [], []
    for user in {u.pk: u for u in recipients if u.is_active}.values():
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    recipient=user, kind=kind, key=key, title=title[:200], body=body, url=url
                )
        except IntegrityError:
            continue  # told already (the unique key), possibly a moment ago by another job
        deliveries += [
            Delivery(notification=notification, channel=c, address=a) for c, a in _channels_of(user)
        ]
        made.append(notification)
    if deliveries:
        Delivery.objects.bulk_create(deliveries)
        transaction.on_commit(_queue_sending)
    return made


# Called after a transaction that made deliveries commits: the app's ready() registers the queueing of
# the sending job (``tasks.queue_sending``), so this module imports no task.
_senders: list[Callable[[], None]] = []


def on_deliveries_made(hook: Callable[[], None]) -> None:
    if hook not in _senders:
        _senders.append(hook)


def _queue_sending() -> None:
    for hook in _senders:
        hook()


def _claim(now: datetime, limit: int) -> list[int]:
    """Claim up to ``limit`` deliveries that are due: rows another sender holds (locked, or leased
    and not yet expired) are skipped, so two senders never take the same one."""
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
            .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
            .order_by("next_attempt_at", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        Delivery.objects.filter(pk__in=ids).update(claimed_until=now + LEASE, attempts=F("attempts") + 1)
    return ids


def _send(delivery: Delivery) -> None:
    notification = delivery.notification
    text = f"{notification.title}\n{notification.body}".strip()
    if delivery.channel == Channel.EMAIL:
        channels.send_email(to=delivery.address, subject=notification.title, text=text)
    elif delivery.channel == Channel.SMS:
        channels.send_sms(to=delivery.address, text=text, reference=f"huajie-{delivery.pk}")
    else:
        raise channels.SendError(f"unknown channel {delivery.channel}")


def deliveries_send(*, now: datetime | None = None, limit: int = BATCH) -> dict[str, int]:
    """Send the deliveries that are due, a batch at a time until none is left: each is claimed first,
    then sent outside any transaction, then recorded (sent; or tried again later with backoff; or
    failed after ``MAX_ATTEMPTS``, which the failure hooks hear of). Returns the counts."""
    counts = {"sent": 0, "retry": 0, "failed": 0}
    while True:
        moment = now or timezone.now()
        ids = _claim(moment, limit)
        if not ids:
            return counts
        for delivery in Delivery.objects.filter(pk__in=ids).select_related("notification"):
            try:
                _send(delivery)
            except channels.SendError as exc:
                last = delivery.attempts >= MAX_ATTEMPTS
                delivery.status = DeliveryStatus.FAILED if last else DeliveryStatus.PENDING
                delivery.next_attempt_at = moment + backoff(delivery.attempts)
                delivery.claimed_until = None
                delivery.last_error = str(exc)[:2000]
                delivery.save(update_fields=["status", "next_attempt_at", "claimed_until", "last_error"])
                if last:
                    counts["failed"] += 1
                    for hook in _failure_hooks:
                        hook(delivery)
                else:
                    counts["retry"] += 1
            else:
                Delivery.objects.filter(pk=delivery.pk).update(
                    status=DeliveryStatus.SENT, sent_at=timezone.now(), claimed_until=None, last_error=""
                )
                counts["sent"] += 1
        if len(ids) < limit:  # the last batch: nothing more was due when it was claimed
            return counts


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark ``user``'s notifications ``ids`` (all unread ones when ``None``) read. Another person's ids
    are ignored. Returns how many were unread."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def preference_set(*, user: User, email: bool, sms: bool) -> Preference:
    preference, _created = Preference.objects.update_or_create(
        user=user, defaults={"email": email, "sms": sms}
    )
    return preference
