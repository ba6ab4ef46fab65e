"""What a person was told, and whether it reached them on each channel.

A ``Notification`` is one item in a person's inbox in Huajie: what happened or is due, and a link to
where it is done. ``key`` says what it is about (a reminder of one deadline at one offset, say); a person
is never told the same key twice, so a job that runs twice, or two that run at once, tell once. Each
other channel the person chose gets a ``Delivery`` row (e-mail, text message), sent after the
notification's transaction commits, retried with backoff, its outcome recorded.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import EncryptedCharField


class Channel(models.TextChoices):
    IN_APP = "in_app", _("In Huajie")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
        help_text=_("Who is told."),
    )
    kind = models.SlugField(
        _("kind"), max_length=48, help_text=_("What sort of news this is, e.g. deadline_reminder.")
    )
    key = models.CharField(
        _("key"),
        max_length=200,
        help_text=_("What the notification is about; a person is never told the same key twice."),
    )
    title = models.CharField(_("title"), max_length=200, help_text=_("One line, as the inbox lists it."))
    body = models.TextField(_("text"), blank=True, help_text=_("The details."))
    url = models.CharField(
        _("link"), max_length=500, blank=True, help_text=_("Where the action it asks for is done.")
    )
    created_at = models.DateTimeField(_("sent at"), default=timezone.now, help_text=_("When it was sent."))
    read_at = models.DateTimeField(
        _("read at"), null=True, blank=True, help_text=_("When the recipient opened or marked it read.")
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key"),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_inbox"),
            models.Index(
                fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One notification on one outside channel. ``pending`` until a sender claims it (``claimed_until``,
    a lease: a sender that died mid-send leaves it to be claimed again when the lease runs out), then
    ``sent``, or back to ``pending`` with the next try later, or ``failed`` after the last try."""

    notification = models.ForeignKey(
        Notification,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("notification"),
        help_text=_("What is sent."),
    )
    channel = models.CharField(
        _("channel"), max_length=8, choices=Channel.choices, help_text=_("How it is sent.")
    )
    address = EncryptedCharField(
        _("address"),
        max_length=254,
        help_text=_("The e-mail address or mobile number it goes to (encrypted at rest)."),
    )
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
        help_text=_("Waiting, sent, or failed after the last try."),
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0, help_text=_("Tries so far."))
    next_attempt_at = models.DateTimeField(
        _("next try"), default=timezone.now, help_text=_("When a waiting delivery is tried (again).")
    )
    claimed_until = models.DateTimeField(
        _("claimed until"),
        null=True,
        blank=True,
        help_text=_("A sender is sending it until then; after that it may be claimed again."),
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, help_text=_("When it was sent."))
    last_error = models.TextField(_("last error"), blank=True, help_text=_("Why the last try failed."))

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="delivery_once_per_channel"),
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(status="pending"),
                name="delivery_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.notification} → {self.get_channel_display()}"


class Preference(models.Model):
    """The channels a person wants besides the inbox (which is always on)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
        help_text=_("Whose choice this is."),
    )
    email = models.BooleanField(
        _("by e-mail"), default=True, help_text=_("Also send notifications to the user's e-mail address.")
    )
    sms = models.BooleanField(
        _("by text message"), default=False, help_text=_("Also send notifications to the user's mobile.")
    )

    class Meta:
        verbose_name = _("notification channels")
        verbose_name_plural = _("notification channels")

    def __str__(self) -> str:
        return str(self.user)
