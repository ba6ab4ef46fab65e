"""Reminders of deadlines (提醒): planned from each rule's ``reminder_offsets`` (7 and 1 days before the
last day, say) for whoever handles the duties of the deadline's organisation (``core.roles.DUTY_ROLES``:
an agency's liaisons, a centre's clerks) and the person named on it; moved while pending when the last
day moves; cancelled when the clock ends; sent once each by one scan.

``reminders_plan`` is called by the deadline services whenever a clock's last day or status changes
(in their transaction). ``reminders_send_due`` is the scan (``tasks.send_reminders``, run by beat):
one indexed query for the pending reminders whose day has come, each claimed under a row lock that
another scan skips, told through ``notifications.services.notify`` with the reminder's own key and
marked sent in the same transaction, so a scan run twice, or two at once, tell each person once.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from core import workdays
from core.roles import DUTY_ROLES
from notifications.services import notify

from .models import Deadline, Reminder, ReminderStatus, Status
from .subjects import shown, shown_subject

if TYPE_CHECKING:
    from core.models import Region, User
    from notifications.models import Delivery

BATCH = 200


def duty_holders(deadline: Deadline) -> list[User]:
    """Who answers for ``deadline``: whoever handles its organisation's duties (``core.roles.DUTY_ROLES``:
    an agency's liaisons, a centre's clerks) and the person named on it, if any."""
    from core.models import User

    organisation = deadline.responsible_organisation
    roles = DUTY_ROLES.get(organisation.kind, ())
    people = list(
        User.objects.filter(organisation=organisation, is_active=True, roles__role__in=roles)
        .distinct()
        .order_by("pk")
    )
    person = deadline.responsible_person
    if person is not None and person.is_active and person not in people:
        people.append(person)
    return people


def reminders_plan(deadline: Deadline, *, today: date | None = None) -> None:
    """Bring ``deadline``'s reminders in line with its present last day and status: a running clock has
    a pending reminder per offset and person whose day is still to come; the pending ones of an ended
    clock are cancelled; a sent one whose clock's last day has since moved is followed by a correction."""
    today = today or workdays.today()
    existing = {(r.offset_days, r.recipient_id): r for r in deadline.reminders.all()}
    if deadline.status != Status.OPEN:
        deadline.reminders.filter(status=ReminderStatus.PENDING).update(status=ReminderStatus.CANCELLED)
        return
    offsets = sorted({int(o) for o in (deadline.rule.reminder_offsets or []) if int(o) > 0}, reverse=True)
    people = duty_holders(deadline)
    # Someone no longer answering for the clock (another person named, a liaison gone) is not reminded.
    gone = [
        r.pk
        for r in existing.values()
        if r.status == ReminderStatus.PENDING and r.recipient_id not in {p.pk for p in people}
    ]
    if gone:
        Reminder.objects.filter(pk__in=gone).update(status=ReminderStatus.CANCELLED)
    for offset in offsets:
        remind_on = deadline.due_on - timedelta(days=offset)
        for person in people:
            reminder = existing.get((offset, person.pk))
            if reminder is None:
                if remind_on >= today:
                    Reminder.objects.create(
                        deadline=deadline,
                        offset_days=offset,
                        recipient=person,
                        remind_on=remind_on,
                        due_on=deadline.due_on,
                    )
                continue
            if reminder.due_on == deadline.due_on:
                continue
            if reminder.status == ReminderStatus.SENT:
                _correct(reminder, deadline, person)
            elif remind_on >= today:
                Reminder.objects.filter(pk=reminder.pk).update(
                    remind_on=remind_on, due_on=deadline.due_on, status=ReminderStatus.PENDING
                )
            else:  # the new reminder day has passed already: nothing to send late
                Reminder.objects.filter(pk=reminder.pk).update(
                    remind_on=remind_on, due_on=deadline.due_on, status=ReminderStatus.CANCELLED
                )


def _correct(reminder: Reminder, deadline: Deadline, person: User) -> None:
    """Tell ``person``, who was reminded of the old last day, of the new one."""
    label, url = shown(deadline)
    with override("zh-hans"):
        title = _("Deadline moved: %(subject)s %(rule)s now ends on %(due)s") % {
            "subject": label,
            "rule": deadline.rule.label,
            "due": date_format(deadline.due_on, "DATE_FORMAT"),
        }
        body = _("The reminder you were sent named %(old)s as the last day.") % {
            "old": date_format(reminder.due_on, "DATE_FORMAT")
        }
    notify(
        recipients=[person],
        kind="deadline_moved",
        key=f"deadline-moved:{reminder.pk}:{deadline.due_on.isoformat()}",
        title=title,
        body=body,
        url=url,
    )
    Reminder.objects.filter(pk=reminder.pk).update(due_on=deadline.due_on, corrected_at=timezone.now())


def due_reminders(today: date) -> QuerySet[Reminder]:
    """The pending reminders whose day has come (the partial index ``reminder_due``)."""
    return Reminder.objects.filter(status=ReminderStatus.PENDING, remind_on__lte=today)


# What the scan reads of a due reminder, as plain rows (no model objects for a batch of 200: the scan's
# query costs what the same statement by hand costs; bench/bench_reminders.py).
SCAN_FIELDS = (
    "pk",
    "recipient_id",
    "deadline__status",
    "deadline__due_on",
    "deadline__subject_type_id",
    "deadline__subject_id",
    "deadline__rule__code",
    "deadline__rule__label_zh",
    "deadline__rule__label_en",
    "deadline__rule__law",
    "deadline__rule__article",
)


def scan_batch(today: date, limit: int = BATCH) -> QuerySet[Any]:
    """One batch of the scan: the due reminders in order (``SCAN_FIELDS``, named rows), locked,
    skipping those another scan holds."""
    return (
        due_reminders(today)
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("remind_on", "pk")
        .values_list(*SCAN_FIELDS, named=True)[:limit]
    )


def _subjects(rows: list[Any]) -> dict[tuple[int, int], Any]:
    """The batch's subjects (the cases), one query per kind of subject."""
    wanted: dict[int, set[int]] = {}
    for row in rows:
        wanted.setdefault(row.deadline__subject_type_id, set()).add(row.deadline__subject_id)
    found = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is not None:
            for pk, subject in model._default_manager.in_bulk(list(ids)).items():
                found[(type_id, pk)] = subject
    return found


def _tell(row: Any, subject: Any, recipient: User) -> None:
    label, url = shown_subject(subject, act=row.deadline__rule__code)  # the link goes where the duty is done
    due = row.deadline__due_on
    with override("zh-hans"):
        title = _("Reminder: %(subject)s %(rule)s ends in %(days)s days, on %(due)s") % {
            "subject": label,
            "rule": row.deadline__rule__label_zh or row.deadline__rule__label_en,
            "days": max((due - workdays.today()).days, 0),
            "due": date_format(due, "DATE_FORMAT"),
        }
        body = _("Basis: %(law)s %(article)s.") % {
            "law": row.deadline__rule__law,
            "article": row.deadline__rule__article,
        }
    notify(
        recipients=[recipient],
        kind="deadline_reminder",
        key=f"deadline-reminder:{row.pk}:{due.isoformat()}",
        title=title,
        body=body,
        url=url,
    )


def reminders_send_due(*, today: date | None = None, limit: int = BATCH) -> int:
    """Send every reminder whose day has come, a batch per transaction: claimed under a row lock that a
    concurrent scan skips, told, marked sent. A reminder of a clock that is no longer running is
    cancelled instead. Returns how many were sent."""
    from core.models import User

    today = today or workdays.today()
    sent = 0
    while True:
        with transaction.atomic():
            batch = list(scan_batch(today, limit))
            if not batch:
                return sent
            ended = [r.pk for r in batch if r.deadline__status != Status.OPEN]
            told = [r for r in batch if r.deadline__status == Status.OPEN]
            subjects = _subjects(told)
            people = User.objects.in_bulk([r.recipient_id for r in told])
            for row in told:
                subject = subjects.get((row.deadline__subject_type_id, row.deadline__subject_id))
                _tell(row, subject, people[row.recipient_id])
            Reminder.objects.filter(pk__in=ended).update(status=ReminderStatus.CANCELLED)
            Reminder.objects.filter(pk__in=[r.pk for r in told]).update(
                status=ReminderStatus.SENT, sent_at=timezone.now()
            )
            sent += len(told)


def centre_clerks(deadline: Deadline) -> list[User]:
    """The clerks of the resolution centre of the deadline's region (``centre_clerks_of``)."""
    return centre_clerks_of(deadline.region)


def centre_clerks_of(region: Region | None) -> list[User]:
    """The clerks of the resolution centre of ``region``, or of the nearest region above that has one."""
    from core.models import Organisation, User
    from core.roles import Role

    while region is not None:
        clerks = list(
            User.objects.filter(
                is_active=True,
                organisation__kind=Organisation.Kind.CENTRE,
                organisation__region=region,
                roles__role=Role.CENTRE_CLERK,
            )
            .distinct()
            .order_by("pk")
        )
        if clerks:
            return clerks
        region = region.parent
    return []


def reminder_undelivered(delivery: Delivery) -> None:
    """Registered with ``notifications.services.on_delivery_failed``: a reminder that could not be sent
    by e-mail or text message after the last try becomes the centre's work (提醒未送达). Its clerks are
    told whom it did not reach, on which channel and why, with the link to the case, so they can
    phone."""
    notification = delivery.notification
    if notification.kind != "deadline_reminder":
        return
    parts = notification.key.split(":")
    if len(parts) < 2 or not parts[1].isdigit():
        return
    reminder = (
        Reminder.objects.select_related("deadline__region", "deadline__rule", "recipient")
        .filter(pk=int(parts[1]))
        .first()
    )
    if reminder is None:
        return
    with override("zh-hans"):
        title = _("Reminder not delivered: %(person)s did not get it by %(channel)s") % {
            "person": reminder.recipient,
            "channel": delivery.get_channel_display(),
        }
        body = _("%(reminder)s\nWhy: %(error)s\nTell them another way (they can also read it in Huajie).") % {
            "reminder": notification.title,
            "error": delivery.last_error or "—",
        }
    notify(
        recipients=centre_clerks(reminder.deadline),
        kind="reminder_undelivered",
        key=f"reminder-undelivered:{delivery.pk}",
        title=title,
        body=body,
        url=notification.url,
    )
