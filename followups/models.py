"""Follow-up visits after a decision (决定后回访, the fourth of the four 100%): planned by the
reconsideration decision, assigned to a clerk, recorded with their outcome, and able to reopen
substantive resolution on the case (a new resolution attempt, linked to the visit).

A visit that could not reach the applicant is an outcome of its own, with the attempt's note; the next
attempt is planned as a new visit (``follows``), so the attempts are listed in order. The case's
``followup_visit`` clock (30 days, ``disputes.case_deadlines``) is met by the first visit that reaches
the applicant.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.access import ScopeRule
from core.models import Organisation
from disputes.models import Dispute, DisputeEvent


class CentrePolicy(models.Model):
    """How a centre follows up (its own setting; without one, the defaults): the days a visit is due after
    the decision, and whether agreements and court outcomes are followed up too."""

    centre = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="followup_policy",
        limit_choices_to={"kind": "centre"},
        verbose_name=_("centre"),
        help_text=_("The resolution centre the policy is for."),
    )
    visit_days = models.PositiveSmallIntegerField(
        _("visit due after (days)"),
        default=30,
        help_text=_("Days after the decision (or agreement, or outcome) the visit is due."),
    )
    after_agreements = models.BooleanField(
        _("visit after agreements"), default=False, help_text=_("Also follow up resolution agreements.")
    )
    after_court_outcomes = models.BooleanField(
        _("visit after court outcomes"), default=False, help_text=_("Also follow up litigation outcomes.")
    )

    class Meta:
        verbose_name = _("follow-up policy")
        verbose_name_plural = _("follow-up policies")

    def __str__(self) -> str:
        return str(self.centre)


class Visit(models.Model):
    access = ScopeRule(
        region="dispute__region",
        organisations=("dispute__respondent",),
        people=("dispute__mediators", "dispute__registered_by", "assigned_to"),
        via="dispute",
    )

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        DONE = "done", _("Visited")
        UNREACHABLE = "unreachable", _("Could not reach the applicant")
        CANCELLED = "cancelled", _("Cancelled")

    class Method(models.TextChoices):
        PHONE = "phone", _("Phone")
        VISIT = "visit", _("In person")
        LETTER = "letter", _("Letter")
        ONLINE = "online", _("Online")

    class Satisfaction(models.TextChoices):
        VERY_SATISFIED = "very_satisfied", _("Very satisfied")
        SATISFIED = "satisfied", _("Satisfied")
        NEUTRAL = "neutral", _("Neither")
        DISSATISFIED = "dissatisfied", _("Dissatisfied")

    class Performed(models.TextChoices):
        YES = "yes", _("Performed")
        PARTLY = "partly", _("Partly performed")
        NO = "no", _("Not performed")
        NOT_APPLICABLE = "not_applicable", _("Nothing to perform")

    dispute = models.ForeignKey(
        Dispute,
        on_delete=models.PROTECT,
        related_name="visits",
        verbose_name=_("dispute"),
        help_text=_("The case decided."),
    )
    decision_event = models.ForeignKey(
        DisputeEvent,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decision"),
        help_text=_("The timeline entry of the decision the visit follows."),
    )
    follows = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_attempt",
        verbose_name=_("after the attempt"),
        help_text=_("The attempt that could not reach the applicant, which this one repeats."),
    )
    due_on = models.DateField(_("due on"), help_text=_("When the visit is due (30 days after the decision)."))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="followup_visits",
        verbose_name=_("assigned to"),
        help_text=_("The clerk who makes the visit."),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=Status.choices,
        default=Status.PLANNED,
        help_text=_("Where it stands."),
    )
    visited_on = models.DateField(
        _("visited on"), null=True, blank=True, help_text=_("The day of the visit.")
    )
    method = models.CharField(
        _("method"), max_length=8, choices=Method.choices, blank=True, help_text=_("How the visit was made.")
    )
    reached = models.CharField(
        _("whom it reached"),
        max_length=128,
        blank=True,
        help_text=_("Whom the clerk spoke to, e.g. 申请人本人."),
    )
    satisfaction = models.CharField(
        _("satisfaction"),
        max_length=16,
        choices=Satisfaction.choices,
        blank=True,
        help_text=_("The applicant's satisfaction with the decision and its handling."),
    )
    performed = models.CharField(
        _("performance"),
        max_length=16,
        choices=Performed.choices,
        blank=True,
        help_text=_("Whether the decision (or agreement) has been performed."),
    )
    remaining = models.TextField(
        _("what remains in dispute"),
        blank=True,
        help_text=_("What the applicant still disputes, if anything."),
    )
    resolvable = models.BooleanField(
        _("can still be resolved"),
        null=True,
        blank=True,
        help_text=_("Whether the dispute can still be resolved in substance (reopens resolution)."),
    )
    attempt_note = models.TextField(
        _("attempt"),
        blank=True,
        help_text=_("For an attempt that did not reach the applicant: what was tried."),
    )
    reopened_by = models.ForeignKey(
        DisputeEvent,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reopened resolution"),
        help_text=_("The timeline entry reopening resolution after this visit."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
        help_text=_("Who recorded the visit."),
    )
    recorded_at = models.DateTimeField(
        _("recorded at"), null=True, blank=True, help_text=_("When it was recorded.")
    )
    created_at = models.DateTimeField(_("planned at"), auto_now_add=True, help_text=_("When it was planned."))

    class Meta:
        verbose_name = _("follow-up visit")
        verbose_name_plural = _("follow-up visits")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["assigned_to", "status", "due_on"])]

    def __str__(self) -> str:
        return f"{self.dispute} · {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("followups:visit", args=[self.pk])

    def attempts(self) -> list[Visit]:
        """The earlier attempts this visit repeats, first first."""
        chain: list[Visit] = []
        current = self.follows
        while current is not None and len(chain) < 20:
            chain.append(current)
            current = current.follows
        return chain[::-1]
