"""Bulletins (通报): the figures of a closed period, issued by a centre as a numbered PDF and archived with
the data they were built from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Organisation, Region


class Bulletin(models.Model):
    """One bulletin of one period for one region, as issued. Its ``snapshot`` holds every figure it prints,
    so a later correction of a case never changes it; building the period again makes a new bulletin."""

    class Kind(models.TextChoices):
        MONTH = "month", _("Monthly")
        QUARTER = "quarter", _("Quarterly")
        HALF = "half", _("Half-yearly")
        YEAR = "year", _("Annual")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="bulletins",
        verbose_name=_("issued by"),
        help_text=_("The centre that issues the bulletin."),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("The region the bulletin covers (and those below it)."),
    )
    kind = models.CharField(
        _("kind"), max_length=8, choices=Kind.choices, help_text=_("The period's length.")
    )
    first = models.DateField(_("first day"), help_text=_("The period's first day."))
    last = models.DateField(_("last day"), help_text=_("The period's last day."))
    snapshot = models.JSONField(
        _("data"),
        default=dict,
        help_text=_("Every figure the bulletin prints, as it stood when it was built."),
    )
    document = models.OneToOneField(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("document"),
        help_text=_("The issued PDF."),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
        help_text=_("Who asked for it; empty when it was built on schedule."),
    )
    built_at = models.DateTimeField(
        _("built at"), default=timezone.now, help_text=_("When its data was read.")
    )

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        ordering = ["-first", "kind", "-built_at"]
        indexes = [models.Index(fields=["region", "kind", "first"])]

    def __str__(self) -> str:
        return f"{self.region} {self.get_kind_display()} {self.first:%Y-%m-%d}"


class Subscription(models.Model):
    """A reader who receives the bulletins of their region by the channels they chose (e-mail included)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="bulletin_subscription",
        verbose_name=_("user"),
        help_text=_("The subscriber."),
    )
    created_at = models.DateTimeField(_("subscribed at"), default=timezone.now, help_text=_("Since when."))

    class Meta:
        verbose_name = _("bulletin subscription")
        verbose_name_plural = _("bulletin subscriptions")

    def __str__(self) -> str:
        return str(self.user)
