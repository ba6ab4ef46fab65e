"""Deadlines as rows: a rule (data the centre can edit), one ``Deadline`` per running clock of a subject,
and each change of a deadline's due date or status in ``DeadlineChange``.

The subject is generic (a content type and an id, as for ``documents.Document``): this app knows no case
model. The app that owns a subject plans and moves its clocks through ``deadlines.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.access import ScopeRule
from core.models import Organisation, Region
from core.workdays import days_remaining

USER = settings.AUTH_USER_MODEL


class Unit(models.TextChoices):
    CALENDAR_DAYS = "days", _("calendar days")
    WORKING_DAYS = "working_days", _("working days")
    MONTHS = "months", _("months")


class Party(models.TextChoices):
    AGENCY = "agency", _("Administrative agency")
    CENTRE = "centre", _("Resolution centre / reconsideration body")
    COURT = "court", _("Court")
    LEGAL_AID = "legal_aid", _("Legal aid centre")
    APPLICANT = "applicant", _("Applicant")
    MEDIATOR = "mediator", _("Mediator")


class Status(models.TextChoices):
    OPEN = "open", _("Running")
    MET = "met", _("Met")
    MISSED = "missed", _("Missed")
    PAUSED = "paused", _("Paused")
    CANCELLED = "cancelled", _("Cancelled")


class ChangeReason(models.TextChoices):
    PLANNED = "planned", _("Planned")
    REPLANNED = "replanned", _("Started again from a new date")
    HOLIDAY_ADDED = "holiday_added", _("Holiday added to the calendar")
    HOLIDAY_REMOVED = "holiday_removed", _("Holiday removed from the calendar")
    PROVISIONAL_REPLACED = "provisional_replaced", _("Provisional calendar replaced by the published one")
    EXTENSION = "extension", _("Extension")
    SUSPENSION = "suspension", _("Suspension")
    RESUMPTION = "resumption", _("Resumption")
    DATE_CORRECTED = "date_corrected", _("Starting date corrected")
    MET = "met", _("Met")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


class Problem(models.TextChoices):
    """The bulletins' 四不问题: what a missed clock of a rule says about the agency answering for it."""

    NOT_ANSWERING = "not_answering", _("Did not answer (不答辩)")
    NOT_APPEARING = "not_appearing", _("Did not appear (不出庭)")
    NOT_SPEAKING = "not_speaking", _("Did not speak (不发声)")
    NOT_PERFORMING = "not_performing", _("Did not perform (不履行)")


class DeadlineRule(models.Model):
    """One statutory or local time limit, as data: the defaults of ../shared/DEADLINES.md are loaded by a
    data migration, and a centre adjusts them in the admin. A running ``Deadline`` copies the length and
    unit when it is planned, so editing a rule changes only clocks planned afterwards."""

    code = models.SlugField(
        _("code"),
        max_length=64,
        unique=True,
        help_text=_("Stable identifier the code plans deadlines by, e.g. recon_reply; never change it."),
    )
    label_zh = models.CharField(
        _("label (Chinese)"), max_length=120, help_text=_("Name of the time limit shown in Chinese.")
    )
    label_en = models.CharField(
        _("label (English)"), max_length=120, help_text=_("Name of the time limit shown in English.")
    )
    law = models.CharField(
        _("law"),
        max_length=120,
        blank=True,
        help_text=_("The law or rule the limit comes from, e.g. 行政复议法, or 本地规定 for local practice."),
    )
    article = models.CharField(
        _("article"), max_length=60, blank=True, help_text=_("The article(s), e.g. 第四十八条.")
    )
    start_event = models.CharField(
        _("starting event"),
        max_length=200,
        help_text=_("What starts the clock, e.g. receipt of the application copy."),
    )
    length = models.IntegerField(
        _("length"),
        help_text=_(
            "How many units the period lasts. Negative for a period counted back from the event, "
            "e.g. -5 for a notice served at least 5 working days before a hearing."
        ),
    )
    unit = models.CharField(
        _("unit"),
        max_length=16,
        choices=Unit.choices,
        help_text=_("Calendar days, working days (holidays and weekends not counted) or months."),
    )
    rolls_over = models.BooleanField(
        _("rolls over"),
        default=True,
        help_text=_("When the last day is a rest day or holiday, the period ends on the next working day."),
    )
    responsible_party = models.CharField(
        _("responsible party"),
        max_length=16,
        choices=Party.choices,
        help_text=_("Who must act before the deadline."),
    )
    reminder_offsets = models.JSONField(
        _("reminders (days before)"),
        default=list,
        blank=True,
        help_text=_("Days before the due date on which to remind, e.g. [7, 1]."),
    )
    missed_problem = models.CharField(
        _("a miss opens a remedy"),
        max_length=16,
        choices=Problem.choices,
        blank=True,
        help_text=_(
            "When a clock of this rule passes its last day unmet, a remedy task (补救) opens for the body "
            "answering for it, counted under this problem in the bulletins; empty for none."
        ),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive rules plan no new deadlines; running ones go on.")
    )
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("Anything a clerk should know when applying the rule.")
    )

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(length=0), name="deadline_rule_length_nonzero")
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.code})"

    @property
    def label(self) -> str:
        """The label in the active language (Chinese unless English is active)."""
        return self.label_en if (get_language() or "").startswith("en") and self.label_en else self.label_zh

    @property
    def basis(self) -> str:
        return " ".join(part for part in (self.law, self.article) if part)

    def clean(self) -> None:
        errors = {}
        if self.length == 0:
            errors["length"] = _("A period cannot last zero units.")
        if self.length is not None and self.length < 0 and self.unit == Unit.MONTHS:
            errors["unit"] = _("A period counted back from the event must be in days or working days.")
        offsets = self.reminder_offsets
        if not isinstance(offsets, list) or not all(isinstance(o, int) and o >= 0 for o in offsets):
            errors["reminder_offsets"] = _("Give a list of whole numbers of days, e.g. [7, 1].")
        if errors:
            raise ValidationError(errors)


class Deadline(models.Model):
    """One clock of one subject. ``due_on`` is stored (lists, counts and the overdue filter read it) and
    computed by ``deadlines.arithmetic`` from ``count_from``, ``count_length`` and ``count_unit``: the
    planned start and length at first, then the resumption day and the days left after a suspension, or
    a longer length after an extension. A recompute (calendar change) counts again from those."""

    access = ScopeRule(
        region="region", organisations=("responsible_organisation",), people=("responsible_person",)
    )

    rule = models.ForeignKey(
        DeadlineRule,
        on_delete=models.PROTECT,
        related_name="deadlines",
        verbose_name=_("rule"),
        help_text=_("The time limit this clock counts."),
    )
    subject_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("What kind of record the deadline belongs to, e.g. a dispute."),
    )
    subject_id = models.PositiveBigIntegerField(
        _("subject record"), help_text=_("The record the deadline belongs to.")
    )
    subject = GenericForeignKey("subject_type", "subject_id")
    key = models.CharField(
        _("key"),
        max_length=64,
        blank=True,
        default="",
        help_text=_("Tells apart several deadlines of one rule for one subject, e.g. one per hearing."),
    )
    start_event = models.CharField(
        _("starting event"),
        max_length=200,
        blank=True,
        help_text=_("The event that started the clock, as recorded when it was planned."),
    )
    starts_on = models.DateField(_("starts on"), help_text=_("The day of the starting event (not counted)."))
    length = models.IntegerField(_("length"), help_text=_("The rule's length when the deadline was planned."))
    unit = models.CharField(
        _("unit"), max_length=16, choices=Unit.choices, help_text=_("The rule's unit when planned.")
    )
    rolls_over = models.BooleanField(
        _("rolls over"), default=True, help_text=_("The rule's roll-over setting when planned.")
    )
    count_from = models.DateField(
        _("counted from"),
        help_text=_("The day the present count starts from: the start, or the day a suspension ended."),
    )
    count_length = models.IntegerField(
        _("counted length"), help_text=_("Units counted from that day: the length, days left or extended.")
    )
    count_unit = models.CharField(
        _("counted unit"), max_length=16, choices=Unit.choices, help_text=_("The unit of the present count.")
    )
    due_fixed = models.BooleanField(
        _("due date set by hand"),
        default=False,
        help_text=_("Set when an extension gave a date: calendar changes no longer move it."),
    )
    due_on = models.DateField(_("due on"), help_text=_("The last day; the deadline expires at its end."))
    responsible_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="deadlines",
        verbose_name=_("responsible organisation"),
        help_text=_("The body that must act before the deadline."),
    )
    responsible_person = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deadlines",
        verbose_name=_("responsible person"),
        help_text=_("The person who must act, where known."),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("The subject's region, copied at planning, so that reach is one indexed lookup."),
    )
    status = models.CharField(
        _("deadline status"),
        max_length=12,
        choices=Status.choices,
        default=Status.OPEN,
        help_text=_("Running, met, missed, paused or cancelled; changed only by the deadline services."),
    )
    met_on = models.DateField(
        _("met on"), null=True, blank=True, help_text=_("The day the deadline was met.")
    )
    paused_on = models.DateField(
        _("paused on"), null=True, blank=True, help_text=_("The day the clock was paused (suspension).")
    )
    paused_days_left = models.IntegerField(
        _("days left when paused"),
        null=True,
        blank=True,
        help_text=_("Units of the count still to run when the clock was paused."),
    )
    provisional = models.BooleanField(
        _("provisional"),
        default=False,
        help_text=_("The due date was counted through a year whose holiday calendar is not yet published."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, help_text=_("When planned."))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, help_text=_("When last changed."))

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="deadline_status_due"),
            models.Index(fields=["region", "status", "due_on"], name="deadline_region_status_due"),
            models.Index(
                fields=["responsible_organisation", "status", "due_on"], name="deadline_org_status_due"
            ),
            # "Overdue in my region": the running clocks of a region by last day, with their subject, so
            # the overdue semi-join reads the index alone (PostgreSQL keeps the INCLUDE columns).
            models.Index(
                fields=["region", "due_on"],
                include=["subject_type", "subject_id"],
                condition=models.Q(status="open"),
                name="deadline_open_region_due",
            ),
        ]
        constraints = [
            # Planning the same clock twice updates the one row (also the subject lookup index).
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "rule", "key"], name="deadline_one_per_subject_rule_key"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule.label} → {self.due_on:%Y-%m-%d}"

    @property
    def days_left(self) -> int | None:
        """Calendar days to the last day (0 on it, negative when overdue) for a running clock; the units
        left for a paused one; ``None`` once it has ended (met, missed or cancelled)."""
        if self.status == Status.OPEN:
            return days_remaining(self.due_on)
        if self.status == Status.PAUSED:
            return self.paused_days_left
        return None

    @property
    def met_in_time(self) -> bool | None:
        if self.met_on is None:
            return None
        return self.met_on <= self.due_on


class DeadlineChange(models.Model):
    """One change of a deadline's due date or status, with its reason: the deadline's history."""

    deadline = models.ForeignKey(
        Deadline,
        on_delete=models.PROTECT,
        related_name="changes",
        verbose_name=_("deadline"),
        help_text=_("The deadline that changed."),
    )
    old_due_on = models.DateField(
        _("old due date"),
        null=True,
        blank=True,
        help_text=_("The last day before the change; empty when planned."),
    )
    new_due_on = models.DateField(_("new due date"), help_text=_("The last day after the change."))
    old_status = models.CharField(
        _("old status"), max_length=12, choices=Status.choices, blank=True, help_text=_("Status before.")
    )
    new_status = models.CharField(
        _("new status"), max_length=12, choices=Status.choices, help_text=_("Status after.")
    )
    reason = models.CharField(
        _("reason"), max_length=24, choices=ChangeReason.choices, help_text=_("Why the deadline changed.")
    )
    note = models.TextField(_("note"), blank=True, help_text=_("Details, e.g. the approval of an extension."))
    actor = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
        help_text=_("Who made the change; empty for the system (e.g. a calendar recompute)."),
    )
    at = models.DateTimeField(_("at"), default=timezone.now, help_text=_("When the change was recorded."))

    class Meta:
        verbose_name = _("deadline change")
        verbose_name_plural = _("deadline changes")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.old_due_on} → {self.new_due_on}"


class ReminderStatus(models.TextChoices):
    PENDING = "pending", _("Planned")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")


class Reminder(models.Model):
    """One reminder of one deadline, ``offset_days`` before its last day, to one person: planned from the
    rule's ``reminder_offsets`` when the clock starts, moved while pending when the last day moves,
    cancelled when the clock ends; sent once by the scan (``reminders.reminders_send_due``). A reminder
    already sent stays as it was; when its clock's last day moves afterwards, the person is told of the
    new date (``corrected_at``)."""

    deadline = models.ForeignKey(
        Deadline,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("deadline"),
        help_text=_("The clock reminded of."),
    )
    offset_days = models.PositiveSmallIntegerField(
        _("days before"), help_text=_("How many days before the last day the reminder is sent.")
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="deadline_reminders",
        verbose_name=_("recipient"),
        help_text=_(
            "Who is reminded: the person named on the deadline, or whoever handles the duties of its organisation."
        ),
    )
    remind_on = models.DateField(_("remind on"), help_text=_("The day the reminder is sent."))
    due_on = models.DateField(
        _("last day reminded of"), help_text=_("The deadline's last day as the reminder states it.")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ReminderStatus.choices,
        default=ReminderStatus.PENDING,
        help_text=_("Planned, sent, or cancelled (the clock ended first)."),
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, help_text=_("When it was sent."))
    corrected_at = models.DateTimeField(
        _("corrected at"),
        null=True,
        blank=True,
        help_text=_("When the person was told that the last day moved after this reminder was sent."),
    )

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["remind_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline", "offset_days", "recipient"], name="reminder_once_per_offset_and_person"
            ),
        ]
        indexes = [
            models.Index(fields=["remind_on"], condition=models.Q(status="pending"), name="reminder_due"),
        ]

    def __str__(self) -> str:
        return f"{self.deadline} −{self.offset_days}d → {self.recipient}"


class CalendarFeed(models.Model):
    """A person's private calendar address: their deadlines as an iCalendar feed that a phone or desktop
    calendar subscribes to. The token is the only credential, so it can be replaced at any time (the
    old address then stops working)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("user"),
        help_text=_("Whose deadlines the feed lists."),
    )
    token = models.CharField(
        _("token"), max_length=64, unique=True, help_text=_("The secret part of the feed's address.")
    )
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, help_text=_("When this address was made.")
    )

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)


class RemedyStatus(models.TextChoices):
    OPEN = "open", _("Open")
    REMEDIED = "remedied", _("Remedied")
    VOID = "void", _("Void (the last day moved)")


class Remedy(models.Model):
    """A remedy task (补救): opened when a clock whose rule names a problem (``missed_problem``) passes its
    last day unmet (the next day's scan), or ends missed, or is met late; for the body that answered for
    it, visible to the centre; remedied when the duty is done late or the body records its measures
    (``remedies``). Counted per agency and problem for the bulletins' 四不问题; never deleted."""

    access = ScopeRule(region="region", organisations=("organisation",))

    deadline = models.OneToOneField(
        Deadline,
        on_delete=models.CASCADE,
        related_name="remedy",
        verbose_name=_("deadline"),
        help_text=_("The missed clock; one remedy task per clock."),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="remedies",
        verbose_name=_("organisation"),
        help_text=_("The body that missed the deadline and must remedy it."),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("The deadline's region, for reach."),
    )
    problem = models.CharField(
        _("problem"),
        max_length=16,
        choices=Problem.choices,
        help_text=_("What the miss counts as in the bulletins (from the rule when it opened)."),
    )
    missed_on = models.DateField(
        _("missed on"), help_text=_("The deadline's last day: the miss is counted in its month.")
    )
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now, help_text=_("When it opened."))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RemedyStatus.choices,
        default=RemedyStatus.OPEN,
        help_text=_("Open until the duty is done late or the measures are recorded."),
    )
    remedied_on = models.DateField(
        _("remedied on"),
        null=True,
        blank=True,
        help_text=_("The day the duty was done or the measures taken."),
    )
    measures = models.TextField(
        _("remedial measures"),
        blank=True,
        help_text=_("What the body did about the miss (补救措施), as it recorded it."),
    )
    remedied_by = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
        help_text=_("Who recorded the remedy; empty when the late duty itself closed it."),
    )
    remedied_at = models.DateTimeField(
        _("recorded at"), null=True, blank=True, help_text=_("When the remedy was recorded.")
    )

    class Meta:
        verbose_name = _("remedy task")
        verbose_name_plural = _("remedy tasks")
        ordering = ["missed_on", "pk"]
        indexes = [
            models.Index(fields=["organisation", "status", "missed_on"], name="remedy_org_status"),
            models.Index(fields=["region", "status", "missed_on"], name="remedy_region_status"),
        ]

    def __str__(self) -> str:
        return f"{self.get_problem_display()}: {self.deadline}"
