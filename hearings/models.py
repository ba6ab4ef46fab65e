"""A hearing of a reconsideration (听证, 《行政复议法》 第五十条、第五十一条): when and where it is held,
when the parties were given notice, and whether it was held or called off.

The case's status ("hearing scheduled") belongs to ``disputes``; this app records the hearing itself
and moves the case only through ``disputes.services`` (see docs/seam.md).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from disputes.models import Dispute, DisputeEvent


class Hearing(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    dispute = models.ForeignKey(
        Dispute,
        on_delete=models.PROTECT,
        related_name="hearings",
        verbose_name=_("dispute"),
        help_text=_("The reconsideration case the hearing is held in."),
    )
    scheduled_by_event = models.OneToOneField(
        DisputeEvent,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("scheduled by"),
        help_text=_("The timeline entry that scheduled the hearing (one hearing per entry)."),
    )
    scheduled_at = models.DateTimeField(_("scheduled at"), help_text=_("When the hearing is to be held."))
    place = models.CharField(
        _("place"), max_length=128, blank=True, help_text=_("Where the hearing is held.")
    )
    notice_served_on = models.DateField(
        _("notice served on"),
        null=True,
        blank=True,
        help_text=_(
            "The day the parties were given notice of the hearing (at least 5 working days before it)."
        ),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=Status.choices,
        default=Status.SCHEDULED,
        help_text=_(
            "Scheduled until the case moves on: held when the decision is recorded, otherwise cancelled."
        ),
    )
    held_at = models.DateTimeField(
        _("held at"), null=True, blank=True, help_text=_("When the hearing took place, once it is held.")
    )
    closed_reason = models.CharField(
        _("closed because"),
        max_length=128,
        blank=True,
        help_text=_("Why the hearing was marked held or cancelled (the case action that closed it)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
        help_text=_("Who scheduled the hearing."),
    )
    created_at = models.DateTimeField(
        _("created at"), auto_now_add=True, help_text=_("When it was scheduled.")
    )

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["scheduled_at", "pk"]
        constraints = [
            # A rescheduled hearing cancels the one it replaces: one open hearing per case.
            models.UniqueConstraint(
                fields=["dispute"],
                condition=models.Q(status="scheduled"),
                name="hearing_one_scheduled_per_dispute",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dispute.number} · {self.scheduled_at:%Y-%m-%d %H:%M}"
