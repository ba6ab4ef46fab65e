"""Remedy tasks (补救, seed 003): a missed answer, appearance or performance opens one for the body that
answered for the clock, and the centre sees it until it is remedied.

A clock opens a remedy when its rule names a problem (``DeadlineRule.missed_problem``, the bulletins'
四不问题) and it is missed: past its last day still running (found by ``remedies_open_missed``, the
beat's daily scan, the morning after), ended unmet (*missed*), or met late. ``remedy_follow`` is called
by the deadline services with every change of a clock, under its row lock, so a clock opens one remedy
however many scans and services meet it: the late duty done closes it as remedied; a last day moved
past today (a date corrected), or a clock judged not missed when it ends (the stage ended in time:
a case recorded after the fact), voids it. The body records its measures (``remedy_record``) through the
subject's app (a case action), and the task closes with who, when and what.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Count, Exists, Model, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from core import workdays
from notifications.services import notify

from .models import Deadline, Remedy, RemedyStatus, Status
from .reminders import centre_clerks, duty_holders
from .subjects import shown

if TYPE_CHECKING:
    from core.models import User

BATCH = 200
# A miss older than this when its task opens (the first scan after the rules were set, or after a
# case recorded late) is listed, not announced: nobody is woken for last year's misses.
ANNOUNCE_WITHIN = timedelta(days=7)


def _missed(deadline: Deadline, today: date) -> bool:
    if deadline.status == Status.MISSED:
        return True
    if deadline.status == Status.OPEN:
        return deadline.due_on < today
    return deadline.status == Status.MET and deadline.met_on is not None and deadline.met_on > deadline.due_on


def _open(deadline: Deadline, *, tell: bool = True) -> Remedy:
    """Open the remedy task of ``deadline`` and tell the body and the centre (unless the duty is
    already done: a late answer recorded at once is remedied as it opens; or the miss is older than
    ``ANNOUNCE_WITHIN``)."""
    remedy = Remedy.objects.create(
        deadline=deadline,
        organisation=deadline.responsible_organisation,
        region=deadline.region,
        problem=deadline.rule.missed_problem,
        missed_on=deadline.due_on,
    )
    if not tell or workdays.today() - deadline.due_on > ANNOUNCE_WITHIN:
        return remedy
    label, url = shown(deadline, act="remedy")
    case_url = shown(deadline)[1]
    with override("zh-hans"):
        title = _("Remedy needed: %(subject)s %(rule)s was missed (last day %(due)s)") % {
            "subject": label,
            "rule": deadline.rule.label,
            "due": date_format(deadline.due_on, "DATE_FORMAT"),
        }
        body = _("%(organisation)s: study and record the remedial measures (补救措施).") % {
            "organisation": deadline.responsible_organisation
        }
    notify(
        recipients=duty_holders(deadline),
        kind="remedy_opened",
        key=f"remedy:{remedy.pk}",
        title=title,
        body=body,
        url=url,
    )
    notify(
        recipients=centre_clerks(deadline),
        kind="remedy_opened",
        key=f"remedy:{remedy.pk}",
        title=title,
        body=body,
        url=case_url,
    )
    return remedy


def remedy_follow(deadline: Deadline, *, actor: User | None = None, today: date | None = None) -> None:
    """Bring ``deadline``'s remedy in line with the clock (the deadline services call this with each
    change, holding the clock's row): open one when it is missed, close it as remedied when the duty is
    done late, void it when the last day moved to today or later or the clock ended as not missed."""
    if not deadline.rule.missed_problem:
        return
    today = today or workdays.today()
    remedy = Remedy.objects.filter(deadline=deadline).first()
    if remedy is None:
        # A clock still running past its last day waits for the scan (the stage may yet end in time: a
        # case recorded after the fact); one that ended missed, or was met late, was missed.
        if deadline.status != Status.OPEN and _missed(deadline, today):
            remedy = _open(deadline, tell=deadline.status == Status.MISSED)
        else:
            return
    if remedy.status != RemedyStatus.OPEN:
        return
    if deadline.status == Status.MET and deadline.met_on is not None:
        remedy.status, remedy.remedied_on = RemedyStatus.REMEDIED, deadline.met_on
        remedy.measures = remedy.measures or _("The duty was done late, on %(day)s.") % {
            "day": date_format(deadline.met_on, "DATE_FORMAT")
        }
        remedy.remedied_by, remedy.remedied_at = actor, timezone.now()
        remedy.save()
    elif deadline.status in (Status.OPEN, Status.PAUSED) and deadline.due_on >= today:
        _void(
            remedy,
            actor,
            _("The last day moved to %(day)s: not missed.")
            % {"day": date_format(deadline.due_on, "DATE_FORMAT")},
        )
    elif deadline.status == Status.CANCELLED:
        # Ended as no longer applying before its last day (the stage ended in time): judged not missed.
        _void(remedy, actor, _("The duty ended before its last day: not missed."))


def _void(remedy: Remedy, actor: User | None, why: str) -> None:
    remedy.status, remedy.remedied_at, remedy.remedied_by = RemedyStatus.VOID, timezone.now(), actor
    remedy.measures = why
    remedy.save()


def may_have_remedy(deadline: Deadline) -> bool:
    """Whether ``deadline`` can have a remedy task (its rule names a problem and it is past its last day,
    or ended missed or met late): lets a page that has the clocks skip asking for their tasks."""
    if not deadline.rule.missed_problem:
        return False
    return deadline.status == Status.MISSED or deadline.due_on < workdays.today()


def missed_without_remedy(today: date) -> QuerySet[Deadline]:
    """The clocks that should have a remedy task and have none: of a rule that names a problem, past
    their last day still running, or ended missed (one query; few rules name a problem)."""
    return Deadline.objects.filter(
        Q(status=Status.OPEN, due_on__lt=today) | Q(status=Status.MISSED),
        ~Exists(Remedy.objects.filter(deadline=OuterRef("pk"))),
        rule__missed_problem__gt="",
    )


def remedies_open_missed(*, today: date | None = None, limit: int = BATCH) -> int:
    """The scan (beat, hourly; it matters the morning after a last day): open a remedy task for every
    missed clock that has none, a batch per transaction under row locks another scan skips. Returns how
    many it opened."""
    today = today or workdays.today()
    opened = 0
    while True:
        with transaction.atomic():
            batch = list(
                missed_without_remedy(today)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("rule", "responsible_organisation", "responsible_person", "region")
                .prefetch_related("subject")
                .order_by("due_on", "pk")[:limit]
            )
            if not batch:
                return opened
            for deadline in batch:
                _open(deadline)
            opened += len(batch)


@transaction.atomic
def remedy_record(*, subject: Model, measures: str, remedied_on: date, actor: User) -> list[Remedy]:
    """The body records what it did about the misses of ``subject``: each of its open remedy tasks is
    remedied on ``remedied_on`` with ``measures``, by ``actor``. Returns the tasks closed."""
    closed = list(open_remedies_of(subject).select_for_update())
    Remedy.objects.filter(pk__in=[r.pk for r in closed]).update(
        status=RemedyStatus.REMEDIED,
        remedied_on=remedied_on,
        measures=measures,
        remedied_by=actor,
        remedied_at=timezone.now(),
    )
    return closed


def open_remedies_of(subject: Model) -> QuerySet[Remedy]:
    from django.contrib.contenttypes.models import ContentType

    return Remedy.objects.filter(
        deadline__subject_type=ContentType.objects.get_for_model(subject),
        deadline__subject_id=subject.pk,
        status=RemedyStatus.OPEN,
    )


def problem_counts(remedies: QuerySet[Remedy]) -> list[dict[str, object]]:
    """The 四不问题 per body: one row per organisation with how many misses of each problem (voided ones
    are not misses), most first."""
    rows = (
        remedies.exclude(status=RemedyStatus.VOID)
        .values("organisation_id", "organisation__name", "problem")
        .annotate(n=Count("pk"), still_open=Count("pk", filter=Q(status=RemedyStatus.OPEN)))
        .order_by()
    )
    table: dict[int, dict[str, object]] = {}
    for row in rows:
        entry = table.setdefault(
            row["organisation_id"],
            {"organisation": row["organisation__name"], "total": 0, "open": 0, "problems": {}},
        )
        entry["problems"][row["problem"]] = row["n"]  # type: ignore[index]
        entry["total"] = int(entry["total"]) + row["n"]  # type: ignore[call-overload]
        entry["open"] = int(entry["open"]) + row["still_open"]  # type: ignore[call-overload]
    return sorted(table.values(), key=lambda e: (-int(e["total"]), str(e["organisation"])))  # type: ignore[call-overload]
