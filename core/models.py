"""Regions, organisations, users and their roles: what every other app hangs its records on."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import cached_property
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .access import ScopeRule
from .fields import EncryptedCharField
from .masking import mask_phone
from .roles import ROLE_CAPABILITIES, ROLE_ORGANISATION_KINDS, Role
from .workdays import calendar_edited


def normalise_username(username: str) -> str:
    """One form per account name: full-width letters and digits made half-width (NFKC), spaces around
    it dropped, lower case. Applied when an account is created and at every sign-in, so that ``Clerk``,
    `` clerk `` and ``ｃｌｅｒｋ`` are the same account (and count towards the same lockout)."""
    return unicodedata.normalize("NFKC", username or "").strip().casefold()


phone_validator = RegexValidator(
    r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$",
    _("Enter a mobile number (11 digits) or a landline with area code, e.g. 0719-6222110."),
)


class Region(models.Model):
    """An administrative division. ``path`` (codes from the root, slash-separated) makes
    "this region and everything below it" one indexed prefix query."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Province")
        CITY = 2, _("City")
        COUNTY = 3, _("County")
        TOWNSHIP = 4, _("Township")

    name = models.CharField(_("name"), max_length=64, help_text=_("Official name, e.g. 郧西县."))
    code = models.CharField(
        _("division code"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^\d{6}(\d{3})?(\d{3})?$", _("A division code has 6, 9 or 12 digits."))],
        help_text=_("Statistical division code (6 digits down to county, 9 or 12 for townships)."),
    )
    level = models.PositiveSmallIntegerField(
        _("level"),
        choices=Level.choices,
        help_text=_("Province, city, county or township; a region's parent is exactly one level up."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("The region one level up; empty only for a province."),
    )
    path = models.CharField(
        _("path"), max_length=255, editable=False, db_index=True, help_text=_("Codes from the province down.")
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level=1, parent__isnull=True)
                | models.Q(level__gt=1, parent__isnull=False),
                name="region_only_provinces_have_no_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        old_path = self.path
        self.path = self._computed_path()
        with transaction.atomic():
            super().save(*args, **kwargs)
            if old_path and old_path != self.path:
                # Moved or re-coded: carry the whole subtree along.
                for child in (
                    Region.objects.filter(path__startswith=old_path).exclude(pk=self.pk).order_by("level")
                ):
                    child.save(update_fields=["path"])

    def clean(self) -> None:
        if self.parent_id is None and self.level != self.Level.PROVINCE:
            raise ValidationError({"parent": _("Only a province may have no parent region.")})
        if self.parent is not None:
            if self.parent.level != self.level - 1:
                raise ValidationError(
                    {"parent": _("The parent must be exactly one level up (a county's parent is a city).")}
                )
            if self.pk and self.parent.path.startswith(self.path or "\0"):
                raise ValidationError({"parent": _("A region cannot be placed under itself.")})

    def _computed_path(self) -> str:
        return f"{self.parent.path if self.parent else '/'}{self.code}/"

    def ancestors(self) -> list[Region]:
        codes = [c for c in self.path.strip("/").split("/") if c]
        by_code = {r.code: r for r in Region.objects.filter(code__in=codes)}
        return [by_code[c] for c in codes if c in by_code]

    @property
    def full_name(self) -> str:
        return "".join(r.name for r in self.ancestors())


class Organisation(models.Model):
    class Kind(models.TextChoices):
        CENTRE = "centre", _("Dispute resolution centre")
        JUSTICE_BUREAU = "justice_bureau", _("Justice bureau")
        COURT = "court", _("People's court")
        PROCURATORATE = "procuratorate", _("People's procuratorate")
        AGENCY = "agency", _("Administrative agency")
        LEGAL_AID_CENTRE = "legal_aid_centre", _("Legal-aid centre")
        LAW_FIRM = "law_firm", _("Law firm")
        COMMITTEE = "committee", _("Resolution committee")

    name = models.CharField(
        _("name"), max_length=128, help_text=_("Full official name, e.g. 郧西县自然资源和规划局.")
    )
    short_name = models.CharField(
        _("short name"),
        max_length=32,
        blank=True,
        help_text=_("Used in document numbers and tight lists, e.g. 郧西 in 〔2026〕郧西化字第12号."),
    )
    kind = models.CharField(
        _("kind"),
        max_length=32,
        choices=Kind.choices,
        db_index=True,
        help_text=_("What the organisation is; decides which roles its users may hold."),
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="organisations",
        help_text=_("Where the organisation sits; its users see records of this region and below."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
        help_text=_("For a unit run by another body, e.g. a centre run by the justice bureau."),
    )
    address = models.CharField(
        _("address"),
        max_length=255,
        blank=True,
        help_text=_("Postal address, printed on documents the organisation issues."),
    )
    phone = models.CharField(
        _("phone"),
        max_length=20,
        blank=True,
        validators=[phone_validator],
        help_text=_("Contact number, printed on documents the organisation issues."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive organisations are kept for history but offered nowhere."),
    )

    access = ScopeRule(region="region", organisations=("pk",))

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["region__path", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="organisation_name_unique_in_region"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("An organisation cannot be its own parent.")})


class HuajieUserManager(UserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(**{self.model.USERNAME_FIELD: normalise_username(username or "")})


class User(AbstractUser):
    """A person who logs in. Chinese names are one field (``name``); first/last name stay unused."""

    name = models.CharField(
        _("full name"), max_length=64, blank=True, help_text=_("As on the resident ID card.")
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        help_text=_("Decides which records the user sees. Only superusers may have none."),
    )
    title = models.CharField(
        _("position"), max_length=64, blank=True, help_text=_("E.g. 局长, 书记员, 复议股股长.")
    )
    phone = EncryptedCharField(
        _("mobile"),
        max_length=20,
        blank=True,
        validators=[phone_validator],
        help_text=_("Mobile number for contact and text-message reminders (encrypted at rest)."),
    )

    access = ScopeRule(region="organisation__region", organisations=("organisation",), people=("pk",))

    objects: ClassVar[HuajieUserManager] = HuajieUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["organisation__name", "username"]

    def __str__(self) -> str:
        return self.name or self.username

    def get_full_name(self) -> str:
        return self.name or self.username

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.username = normalise_username(self.username)
        super().save(*args, **kwargs)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @classmethod
    def normalize_username(cls, username: str) -> str:
        return normalise_username(username)

    def get_short_name(self) -> str:
        return self.name or self.username

    @cached_property
    def role_codes(self) -> frozenset[str]:
        """The user's roles, read once per request. Inactive users have none."""
        if not self.is_active or self.pk is None:
            return frozenset()
        return frozenset(self.roles.values_list("role", flat=True))

    @cached_property
    def capabilities(self) -> frozenset[str]:
        caps: set[str] = set()
        for role in self.role_codes:
            caps |= ROLE_CAPABILITIES.get(role, frozenset())
        return frozenset(caps)

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes.intersection(roles))

    def can(self, capability: str) -> bool:
        # From the roles only: being a superuser opens the Django admin site, it grants no case work.
        return self.is_active and capability in self.capabilities

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in Role.values if r in self.role_codes]

    @property
    def is_agency_head(self) -> bool:
        return self.has_role(Role.AGENCY_HEAD_PRINCIPAL, Role.AGENCY_HEAD_DEPUTY)


class UserRole(models.Model):
    """One role held by one user. A table (not a list on the user) so that roles are queryable."""

    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="roles",
        help_text=_("The person who holds the role."),
    )
    role = models.CharField(
        _("role"),
        max_length=32,
        choices=Role.choices,
        help_text=_("What the person may do; only roles that fit the organisation's kind are allowed."),
    )
    granted_at = models.DateTimeField(
        _("granted at"), default=timezone.now, help_text=_("When the role was given.")
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="user_role_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"

    def clean(self) -> None:
        organisation = self.user.organisation if self.user_id else None
        if organisation is None:
            if self.user_id and not self.user.is_superuser:
                raise ValidationError(_("Give the user an organisation before assigning a role."))
            return
        allowed = ROLE_ORGANISATION_KINDS.get(self.role, frozenset())
        if organisation.kind not in allowed:
            raise ValidationError(
                {
                    "role": _("The role “%(role)s” cannot be held in a %(kind)s.")
                    % {"role": Role(self.role).label, "kind": organisation.get_kind_display()}
                }
            )


class Heartbeat(models.Model):
    """The last time each background process proved it was alive (shown to administrators)."""

    name = models.CharField(
        _("process"), max_length=32, unique=True, help_text=_("The background process, e.g. worker or beat.")
    )
    seen_at = models.DateTimeField(
        _("last seen"), help_text=_("The last time the process reported itself alive.")
    )

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} @ {self.seen_at:%Y-%m-%d %H:%M}"


class CalendarDayQuerySet(models.QuerySet["CalendarDay"]):
    """Bulk writes bypass ``save()``/``delete()``; these tell the working-day cache as well."""

    def update(self, **kwargs: Any) -> int:
        rows = super().update(**kwargs)
        calendar_edited(None)
        return rows

    def delete(self) -> tuple[int, dict[str, int]]:
        result = super().delete()
        calendar_edited(None)
        return result

    def bulk_create(self, objs: Iterable[CalendarDay], *args: Any, **kwargs: Any) -> list[CalendarDay]:
        created = super().bulk_create(objs, *args, **kwargs)
        calendar_edited({int(str(obj.date)[:4]) for obj in created})
        return created

    def bulk_update(
        self, objs: Iterable[CalendarDay], fields: Iterable[str], *args: Any, **kwargs: Any
    ) -> int:
        rows = super().bulk_update(objs, fields, *args, **kwargs)
        calendar_edited(None)
        return rows


class CalendarDay(models.Model):
    """One exception to "Monday to Friday are working days": a statutory holiday, or a weekend day made
    a working day (调休). Published by the State Council each November for the next year; loaded with
    ``manage.py load_calendar``. Deadlines are counted by ``core.workdays``."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Statutory holiday")
        WORKDAY = "workday", _("Make-up working day")

    date = models.DateField(_("date"), unique=True, help_text=_("The day this entry is about."))
    kind = models.CharField(
        _("day type"),
        max_length=16,
        choices=Kind.choices,
        help_text=_(
            "A statutory holiday is a rest day even on a weekday; a make-up working day is a Saturday "
            "or Sunday on which people work."
        ),
    )
    name = models.CharField(
        _("name"), max_length=64, help_text=_("The holiday this day belongs to, e.g. 国庆节 or 春节.")
    )
    source = models.CharField(
        _("source notice"),
        max_length=255,
        blank=True,
        help_text=_("The notice that published the day, e.g. 国办发明电〔2024〕12号."),
    )

    objects = CalendarDayQuerySet.as_manager()

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name} ({self.get_kind_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        # ``date`` may still be the ISO string it was created with.
        calendar_edited({int(str(self.date)[:4])})

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        year = int(str(self.date)[:4])
        result = super().delete(*args, **kwargs)
        calendar_edited({year})
        return result

    def clean(self) -> None:
        if self.kind == self.Kind.WORKDAY and self.date and self.date.weekday() < 5:
            raise ValidationError(
                {"kind": _("A make-up working day must be a Saturday or Sunday; weekdays already are.")}
            )


class NumberSequence(models.Model):
    """The last number issued in an official series (see core.sequences). ``series`` names it, e.g.
    ``case:郧西化`` or ``doc:郧西化受``; two bodies sharing a short name share the series, so they can
    never issue the same number."""

    series = models.CharField(_("series"), max_length=64, help_text=_("E.g. case:郧西化 or doc:郧西化受."))
    year = models.PositiveSmallIntegerField(_("year"), help_text=_("Numbers start again at 1 each year."))
    last_value = models.PositiveIntegerField(
        _("last number issued"),
        default=0,
        help_text=_("The highest number issued so far this year; the next one is one more."),
    )

    class Meta:
        verbose_name = _("number sequence")
        verbose_name_plural = _("number sequences")
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="number_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.series} {self.year}: {self.last_value}"
