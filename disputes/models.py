"""The dispute (行政争议) and everything recorded about it.

A dispute's lifecycle is one guarded state machine on ``Dispute.status`` (see ``transitions.py``);
the stage shown to clerks is derived from the status. What each stage records lives on its own row
(``Resolution``, ``Reconsideration``, ``Litigation``): re-entering a stage opens a new row, so
nothing recorded earlier is overwritten. ``DisputeEvent`` is the case's timeline (who, when,
from, to, why); django-simple-history keeps every field change of the case and its parties.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.contrib.admin import display as admin_display
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin
from simple_history.models import HistoricalRecords

from core.access import ScopeRule
from core.crypto import blind_index
from core.fields import EncryptedCharField
from core.masking import mask_id_number, mask_phone
from core.models import Organisation, Region
from core.validators import validate_phone, validate_resident_id, validate_uscc

from .choices import (
    STATUS_STAGE,
    ActKind,
    CaseKind,
    ClosingReason,
    ConfirmationResult,
    Consent,
    DecisionType,
    Instance,
    LitigationOutcome,
    MatterCategory,
    PartyKind,
    PartyRole,
    Source,
    Stage,
    Status,
    TransferTarget,
)
from .search import SimpleSearchVector
from .transitions import DisputeLifecycle

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from core.models import User

USER = settings.AUTH_USER_MODEL


class DisputeSeries(models.Model):
    """Similar disputes settled together (示范性化解): the lead case's outcome is applied to members."""

    name = models.CharField(_("name"), max_length=128, help_text=_("E.g. 土门镇13户征地补偿系列案."))
    centre = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("centre"),
        help_text=_("The centre that handles the series."),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("The centre's region: decides which clerks see the series."),
    )
    lead = models.OneToOneField(
        "Dispute",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_series",
        verbose_name=_("lead case"),
        help_text=_("The demonstration case whose outcome the members follow."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("What the cases have in common and how they are settled together."),
    )
    created_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
        help_text=_("Who grouped the cases into the series."),
    )
    created_at = models.DateTimeField(
        _("created at"), default=timezone.now, help_text=_("When the series was created.")
    )

    access = ScopeRule(region="region")

    class Meta:
        verbose_name = _("dispute series")
        verbose_name_plural = _("dispute series")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class DisputeManager(models.Manager["Dispute"]):
    """Cases without their search vector: only the database reads it (``disputes.search``), so no list
    or page fetches it."""

    def get_queryset(self) -> models.QuerySet[Dispute]:
        return super().get_queryset().defer("search_vector")


class Dispute(FSMModelMixin, DisputeLifecycle, models.Model):
    # Identity
    number = models.CharField(
        _("case number"),
        max_length=64,
        unique=True,
        help_text=_("Official form, e.g. 〔2026〕郧西化字第12号."),
    )
    kind = models.CharField(
        _("case kind"),
        max_length=20,
        choices=CaseKind.choices,
        help_text=_(
            "Substantive resolution or administrative reconsideration; decides the case number's series."
        ),
    )
    year = models.PositiveSmallIntegerField(
        _("number year"), help_text=_("The year part of the case number.")
    )
    sequence = models.PositiveIntegerField(
        _("number in year"), help_text=_("The serial part of the case number, counted per series and year.")
    )
    centre = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="centre_disputes",
        verbose_name=_("centre"),
        help_text=_("The resolution centre or justice bureau handling the case."),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("The centre's region: decides which clerks see the case."),
    )
    # Intake
    source = models.CharField(
        _("source"), max_length=24, choices=Source.choices, help_text=_("How the case reached the centre.")
    )
    received_on = models.DateField(
        _("received on"), help_text=_("The day the application or referral arrived.")
    )
    consent = models.CharField(
        _("party's consent to pre-filing resolution"),
        max_length=12,
        choices=Consent.choices,
        default=Consent.NOT_ASKED,
        help_text=_("For a case pushed by the court: whether the party agreed to resolution before filing."),
    )
    consent_note = models.TextField(
        _("consent note"), blank=True, help_text=_("Required when the party refused: the reason given.")
    )
    court = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pushed_disputes",
        verbose_name=_("pushing court"),
        limit_choices_to={"kind": "court"},
        help_text=_("For a case pushed by the court: the court that pushed it."),
    )
    court_case_number = models.CharField(
        _("court case number"), max_length=64, blank=True, help_text=_("E.g. (2026)鄂0322行初12号.")
    )
    # The act in dispute
    respondent = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="respondent_disputes",
        verbose_name=_("respondent agency"),
        limit_choices_to={"kind": "agency"},
        help_text=_("The administrative agency whose act is disputed."),
    )
    act_kind = models.CharField(
        _("kind of act"),
        max_length=20,
        choices=ActKind.choices,
        help_text=_("The kind of administrative act in dispute."),
    )
    act_date = models.DateField(
        _("date of the act"),
        help_text=_("The day the agency made the act; the time limits to apply and to sue run from it."),
    )
    act_document_number = models.CharField(
        _("document number of the act"),
        max_length=64,
        blank=True,
        help_text=_("E.g. 郧西公（治）决字〔2026〕88号."),
    )
    act_summary = models.CharField(
        _("the act in dispute"),
        max_length=255,
        help_text=_("The act in one line, as in the application, e.g. the penalty decision and its number."),
    )
    matter = models.CharField(
        _("matter"),
        max_length=24,
        choices=MatterCategory.choices,
        help_text=_("The field of administration, for statistics."),
    )
    amount = models.DecimalField(
        _("amount involved (yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("Money at stake, if any: fine, compensation or fee."),
    )
    claims = models.TextField(_("claims"), help_text=_("What the applicant asks for."))
    facts = models.TextField(
        _("facts and reasons"), blank=True, help_text=_("The facts and reasons the applicant gives.")
    )
    # Lifecycle
    status = FSMField(
        _("status"),
        max_length=24,
        choices=Status.choices,
        default=Status.REGISTERED,
        protected=True,
        help_text=_("Where the case stands in its lifecycle; changed only by the case's actions."),
    )
    status_before_suspension = models.CharField(
        max_length=24,
        blank=True,
        editable=False,
        help_text=_("The status to return to when a suspended reconsideration resumes."),
    )
    status_changed_at = models.DateTimeField(
        _("status changed at"), default=timezone.now, help_text=_("When the status last changed.")
    )
    mediators: models.ManyToManyField[User, MediatorAssignment] = models.ManyToManyField(
        USER,
        through="MediatorAssignment",
        through_fields=("dispute", "mediator"),
        related_name="mediated_disputes",
        verbose_name=_("mediators"),
        help_text=_("The mediators assigned to the case."),
    )
    series = models.ForeignKey(
        DisputeSeries,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("series"),
        help_text=_("The series of similar cases this one belongs to, if any."),
    )
    # Post-decision
    duty_to_perform = models.BooleanField(
        _("agency has a duty to perform"),
        default=False,
        help_text=_("Whether the decision or judgment leaves the agency something to perform."),
    )
    perform_by = models.DateField(
        _("perform by"), null=True, blank=True, help_text=_("The deadline for the agency to perform.")
    )
    performed_on = models.DateField(
        _("performed on"), null=True, blank=True, help_text=_("The day the agency performed.")
    )
    performance_note = models.TextField(
        _("performance note"), blank=True, help_text=_("How the agency performed.")
    )
    agency_lost = models.BooleanField(
        _("agency lost"),
        null=True,
        blank=True,
        help_text=_("Whether the agency lost; a loss requires an analysis report before closing."),
    )
    loss_report_on = models.DateField(
        _("loss analysis report submitted on"),
        null=True,
        blank=True,
        help_text=_("The day the agency submitted its analysis of the loss."),
    )
    loss_report_summary = models.TextField(
        _("loss analysis and performance plan"),
        blank=True,
        help_text=_("Why the agency lost and how it will perform and improve."),
    )
    # Closing
    closing_reason = models.CharField(
        _("closing reason"),
        max_length=24,
        choices=ClosingReason.choices,
        blank=True,
        help_text=_("How the case ended."),
    )
    closing_note = models.TextField(
        _("closing note"), blank=True, help_text=_("Anything the closing reason does not say.")
    )
    closed_at = models.DateTimeField(
        _("closed at"), null=True, blank=True, help_text=_("When the case was closed.")
    )
    # Bookkeeping
    registered_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
        help_text=_("The clerk who registered the case."),
    )
    created_at = models.DateTimeField(
        _("registered at"), default=timezone.now, help_text=_("When the case was registered.")
    )
    updated_at = models.DateTimeField(
        _("updated at"), auto_now=True, help_text=_("When any field of the case last changed.")
    )
    search_text = models.TextField(
        editable=False, blank=True, help_text=_("Names, numbers and facts, for search.")
    )
    # The search text as PostgreSQL's text search reads it, kept by the database (a generated column):
    # a search filters on it without parsing every row it walks (``disputes.search``). On SQLite, which
    # has no text search, the column is a copy of the text, never read.
    search_vector = models.GeneratedField(
        expression=SimpleSearchVector("search_text"),
        output_field=SearchVectorField(),
        db_persist=True,
        verbose_name=_("search vector"),
        help_text=_("The search text as the database's full-text search reads it (kept by the database)."),
    )
    # Written by the deadline engine only (``case_deadlines.clocks_changed``), never by ``save()``.
    next_due_on = models.DateField(
        _("earliest last day"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The last day of the case's running clock that ends first (none when no clock runs)."),
    )

    history = HistoricalRecords(excluded_fields=["search_text", "search_vector", "updated_at", "next_due_on"])
    objects = DisputeManager()
    if TYPE_CHECKING:  # set before save() so that simple-history records who made the change, and why
        _history_user: User | None
        _change_reason: str
    access = ScopeRule(
        region="region",
        organisations=("respondent", "court"),
        people=("mediators", "registered_by"),
    )

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(consent="refused") | ~models.Q(consent_note=""),
                name="dispute_refusal_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["respondent", "status"]),
            # The list's default order (newest received first), within a region and across all of them,
            # so a first page reads 20 index entries, not the region's every row (docs/performance.md).
            models.Index(
                fields=["region", "-received_on", "-created_at", "-id"], name="dispute_region_received"
            ),
            models.Index(fields=["-received_on", "-created_at", "-id"], name="dispute_received"),
            # The home page counts the open cases of a region by status.
            models.Index(fields=["region", "status"], name="dispute_region_status"),
            # An agency's cases (an agency user's whole list) in the list's order.
            models.Index(
                fields=["respondent", "-received_on", "-created_at", "-id"],
                name="dispute_respondent_received",
            ),
            # The overdue cases: only cases with a running clock have a last day.
            models.Index(
                fields=["region", "next_due_on"],
                condition=models.Q(next_due_on__isnull=False),
                name="dispute_region_next_due",
            ),
            models.Index(
                fields=["respondent", "next_due_on"],
                condition=models.Q(next_due_on__isnull=False),
                name="dispute_respondent_next_due",
            ),
            models.Index(
                fields=["next_due_on"], condition=models.Q(next_due_on__isnull=False), name="dispute_next_due"
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saved as usual, except ``next_due_on``: a case object read before its clocks moved must not
        write its old copy back, so an update leaves it out unless named in ``update_fields``."""
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                f.attname
                for f in self._meta.concrete_fields
                if not f.primary_key
                and not f.generated
                and f.name != "next_due_on"
                and f.attname not in self.get_deferred_fields()
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("disputes:detail", args=[self.pk])

    @property
    def stage(self) -> str:
        return STATUS_STAGE[Status(self.status)]

    def get_stage_display(self) -> StrOrPromise:
        return Stage(self.stage).label

    @property
    def applicant_names(self) -> str:
        return "、".join(p.name for p in self.parties.all() if p.role == PartyRole.APPLICANT)

    # The one rule for "the current row" of a stage (a case may be resolved, reconsidered or tried more
    # than once): the latest, by these fields, the last breaking ties. Python and SQL both read it.
    CURRENT_ROW_ORDER = {
        "resolutions": ("opened_at", "pk"),
        "reconsiderations": ("accepted_on", "pk"),
        "litigations": ("filed_on", "pk"),
    }

    def current_row(self, relation: str):
        """The current row of the stage ``relation`` (a key of ``CURRENT_ROW_ORDER``), or None. Picked
        from the prefetched rows when the case was loaded with them (no query), else one query."""
        fields = self.CURRENT_ROW_ORDER[relation]
        manager = getattr(self, relation)
        if relation in getattr(self, "_prefetched_objects_cache", {}):
            return max(manager.all(), key=lambda row: tuple(getattr(row, f) for f in fields), default=None)
        return manager.order_by(*(f"-{f}" for f in fields)).first()

    @classmethod
    def current_row_q(cls, relation: str) -> models.Q:
        """The same rule in SQL, to filter rows of ``relation``'s model inside a subquery whose outer
        query is the case: ``Resolution.objects.filter(dispute=OuterRef("pk")).filter(current_row_q(…))``."""
        model = cast(type[models.Model], cls._meta.get_field(relation).related_model)
        latest = (
            model._default_manager.filter(dispute=models.OuterRef("dispute"))
            .order_by(*(f"-{f}" for f in cls.CURRENT_ROW_ORDER[relation]))
            .values("pk")[:1]
        )
        return models.Q(pk=models.Subquery(latest))

    @property
    def current_resolution(self) -> Resolution | None:
        return self.current_row("resolutions")

    @property
    def current_reconsideration(self) -> Reconsideration | None:
        return self.current_row("reconsiderations")

    @property
    def current_litigation(self) -> Litigation | None:
        return self.current_row("litigations")


# The case's records (parties, timeline, stage rows, files, notes) are legal records: each points to
# the case with PROTECT, so deleting a case that has any is refused rather than cascading them away.
class Party(models.Model):
    dispute = models.ForeignKey(
        Dispute,
        on_delete=models.PROTECT,
        related_name="parties",
        verbose_name=_("dispute"),
        help_text=_("The case the party takes part in."),
    )
    role = models.CharField(
        _("role in the case"),
        max_length=20,
        choices=PartyRole.choices,
        help_text=_("Applicant, third party, representative or lawyer."),
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=PartyKind.choices,
        default=PartyKind.PERSON,
        help_text=_("A natural person, or a legal person or other organisation."),
    )
    name = models.CharField(
        _("name of party"),
        max_length=128,
        help_text=_("Full name as on the ID card, or the registered name of the organisation."),
    )
    id_number = EncryptedCharField(
        _("resident ID number"),
        max_length=18,
        blank=True,
        validators=[validate_resident_id],
        help_text=_("For a natural person: the 18-character resident ID number (encrypted at rest)."),
    )
    id_number_hash = models.CharField(
        _("ID number hash"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Keyed hash of the ID number, to find it by exact match (core.crypto)."),
    )
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validate_uscc],
        help_text=_("For a legal person: the 18-character unified social credit code."),
    )
    legal_representative = models.CharField(
        _("legal representative"),
        max_length=64,
        blank=True,
        help_text=_("For a legal person: its legal representative or principal."),
    )
    phone = EncryptedCharField(
        _("phone"),
        max_length=20,
        blank=True,
        validators=[validate_phone],
        help_text=_("A mobile number or a landline with area code (encrypted at rest)."),
    )
    phone_hash = models.CharField(
        _("phone hash"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Keyed hash of the phone number, to find it by exact match (core.crypto)."),
    )
    address = models.CharField(
        _("address"), max_length=255, blank=True, help_text=_("Address for service of documents.")
    )
    represents = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="representatives",
        verbose_name=_("represents"),
        help_text=_("For a representative or lawyer: the party they act for."),
    )
    law_firm = models.CharField(
        _("law firm"), max_length=128, blank=True, help_text=_("For a lawyer: the law firm they practise at.")
    )

    history = HistoricalRecords()
    if TYPE_CHECKING:  # set before save() so that simple-history records who made the change
        _history_user: User | None

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["id_number_hash"], name="party_id_number_hash"),
            models.Index(fields=["phone_hash"], name="party_phone_hash"),
            models.Index(fields=["credit_code"]),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.id_number_hash = blind_index(self.id_number)
        self.phone_hash = blind_index(self.phone)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"id_number", "phone"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "id_number_hash", "phone_hash"}
        super().save(*args, **kwargs)

    @property
    def identifier(self) -> str:
        return self.id_number or self.credit_code

    @property
    def masked_identifier(self) -> str:
        return self.identifier_shown(self.id_number, self.credit_code)

    @staticmethod
    def identifier_shown(id_number: str, credit_code: str) -> str:
        """The identifier as shown by default: an ID number masked, a credit code (not personal) whole."""
        return mask_id_number(id_number) if id_number else credit_code

    @property
    @admin_display(description=_("resident ID number"))
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    @admin_display(description=_("phone"))
    def masked_phone(self) -> str:
        return mask_phone(self.phone)


class DisputeEvent(models.Model):
    """One entry of the case timeline: a transition, a note, an upload. Never edited or deleted."""

    dispute = models.ForeignKey(
        Dispute,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("dispute"),
        help_text=_("The case the entry belongs to."),
    )
    action = models.CharField(
        _("action"), max_length=40, help_text=_("What was done, e.g. accept or register.")
    )
    from_status = models.CharField(
        _("from"),
        max_length=24,
        blank=True,
        help_text=_("The case's status before the action; empty if it did not change."),
    )
    to_status = models.CharField(
        _("to"),
        max_length=24,
        blank=True,
        help_text=_("The case's status after the action; empty if it did not change."),
    )
    actor = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"), help_text=_("Who did it.")
    )
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True, help_text=_("When it was done."))
    reason = models.TextField(
        _("reason"), blank=True, help_text=_("The reason given, where the action asks for one.")
    )
    data = models.JSONField(
        _("details"),
        default=dict,
        blank=True,
        help_text=_("What was entered with the action, e.g. dates and numbers."),
    )
    document = models.CharField(
        _("document"),
        max_length=128,
        blank=True,
        help_text=_("The kind of document the action calls for, if any."),
    )
    request_key = models.CharField(
        _("request key"),
        max_length=64,
        blank=True,
        help_text=_(
            "Set by the page or client once per intended action, so that a repeated request is done once."
        ),
    )

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "pk"]
        # The reports read the decisions of a period (决定后回访率): among millions of steps, a partial index.
        indexes = [
            models.Index(fields=["at"], condition=models.Q(action="decide"), name="case_event_decided_at")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["dispute", "request_key"],
                condition=~models.Q(request_key=""),
                name="case_event_request_done_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dispute} {self.action} @ {self.at:%Y-%m-%d %H:%M}"

    def get_from_status_display(self) -> StrOrPromise:
        return Status(self.from_status).label if self.from_status else ""

    def get_to_status_display(self) -> StrOrPromise:
        return Status(self.to_status).label if self.to_status else ""


class MediatorAssignment(models.Model):
    dispute = models.ForeignKey(
        Dispute,
        on_delete=models.PROTECT,
        related_name="assignments",
        help_text=_("The case the mediator is assigned to."),
    )
    mediator = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("mediator"),
        help_text=_("The mediator who works on the case."),
    )
    assigned_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assigned by"),
        help_text=_("Who made the assignment."),
    )
    assigned_at = models.DateTimeField(
        _("assigned at"), default=timezone.now, help_text=_("When the mediator was assigned.")
    )

    class Meta:
        verbose_name = _("mediator assignment")
        verbose_name_plural = _("mediator assignments")
        constraints = [models.UniqueConstraint(fields=["dispute", "mediator"], name="mediator_assigned_once")]

    def __str__(self) -> str:
        return f"{self.dispute} · {self.mediator}"


class Resolution(models.Model):
    """One attempt at substantive resolution at the centre (化解)."""

    dispute = models.ForeignKey(
        Dispute,
        on_delete=models.PROTECT,
        related_name="resolutions",
        help_text=_("The case the attempt belongs to."),
    )
    opened_at = models.DateTimeField(
        _("opened at"), default=timezone.now, help_text=_("When the attempt started.")
    )
    accepted_on = models.DateField(
        _("accepted on"),
        null=True,
        blank=True,
        help_text=_(
            "The day the centre accepted the case, as the clerk recorded it (empty for a reopened case)."
        ),
    )
    due_on = models.DateField(_("resolution due"), null=True, blank=True, help_text=_("30 days, extendable."))
    agreement_terms = models.TextField(
        _("agreement and performance terms"),
        blank=True,
        help_text=_("What the parties agreed and how it is to be performed."),
    )
    agreement_signed_on = models.DateField(
        _("agreement signed on"),
        null=True,
        blank=True,
        help_text=_("The day the parties signed the agreement."),
    )
    agreement_perform_by = models.DateField(
        _("agreement to be performed by"),
        null=True,
        blank=True,
        help_text=_("The day by which the agreement is to be performed."),
    )
    confirmation_court = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("confirming court"),
        help_text=_("The court asked to confirm the agreement."),
    )
    confirmation_requested_on = models.DateField(
        _("confirmation requested on"),
        null=True,
        blank=True,
        help_text=_("The day the parties applied for judicial confirmation."),
    )
    confirmation_result = models.CharField(
        _("court's ruling on confirmation"),
        max_length=16,
        choices=ConfirmationResult.choices,
        blank=True,
        help_text=_("Confirmed, not confirmed or application dismissed; empty until the court has ruled."),
    )
    confirmed_on = models.DateField(
        _("date of the ruling on confirmation"),
        null=True,
        blank=True,
        help_text=_("The day the court ruled on the application, whatever the ruling."),
    )
    confirmation_number = models.CharField(
        _("confirmation ruling number"),
        max_length=64,
        blank=True,
        help_text=_("The number of the court's confirmation ruling."),
    )
    confirmation_refusal_reasons = models.TextField(
        _("court's reasons for refusing confirmation"),
        blank=True,
        help_text=_("Why the court did not confirm the agreement or dismissed the application."),
    )
    failure_reason = models.TextField(
        _("why resolution failed"), blank=True, help_text=_("Why the parties could not agree.")
    )
    transfer_target = models.CharField(
        _("transferred to"),
        max_length=20,
        choices=TransferTarget.choices,
        blank=True,
        help_text=_("After a failed resolution: reconsideration or litigation."),
    )
    transfer_to = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("receiving body"),
        help_text=_("The body the case was transferred to."),
    )
    transferred_on = models.DateField(
        _("transferred on"), null=True, blank=True, help_text=_("The day the case was transferred.")
    )
    feedback_on = models.DateField(
        _("feedback received on"),
        null=True,
        blank=True,
        help_text=_("The day the receiving body's feedback letter arrived."),
    )
    feedback_note = models.TextField(
        _("feedback"), blank=True, help_text=_("What the receiving body reported back.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("resolution attempt")
        verbose_name_plural = _("resolution attempts")
        ordering = ["opened_at"]

    def __str__(self) -> str:
        return f"{self.dispute} · {self.opened_at:%Y-%m-%d}"


class ResolutionSession(models.Model):
    resolution = models.ForeignKey(
        Resolution,
        on_delete=models.PROTECT,
        related_name="sessions",
        help_text=_("The resolution attempt the session belongs to."),
    )
    held_on = models.DateField(_("held on"), help_text=_("The day of the meeting, visit or call."))
    place = models.CharField(_("place"), max_length=128, blank=True, help_text=_("Where it took place."))
    participants = models.TextField(_("participants"), blank=True, help_text=_("Who took part."))
    summary = models.TextField(_("summary"), help_text=_("What was discussed and where the parties stand."))
    intent = models.BooleanField(
        _("preliminary intent reached"),
        default=False,
        help_text=_(
            "Whether the parties reached a preliminary intent to settle (达成初步意向) at this session."
        ),
    )
    recorded_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
        help_text=_("Who wrote the record."),
    )
    recorded_at = models.DateTimeField(
        _("recorded at"), default=timezone.now, help_text=_("When the record was written.")
    )

    class Meta:
        verbose_name = _("resolution session")
        verbose_name_plural = _("resolution sessions")
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.resolution} · {self.held_on}"


class Reconsideration(models.Model):
    """Administrative reconsideration (行政复议) of the act; the decision clock lives here."""

    dispute = models.ForeignKey(
        Dispute,
        on_delete=models.PROTECT,
        related_name="reconsiderations",
        help_text=_("The case under reconsideration."),
    )
    accepted_on = models.DateField(
        _("accepted on"),
        help_text=_("The day the application was accepted; the decision period runs from it."),
    )
    simplified = models.BooleanField(
        _("simplified procedure"),
        default=False,
        help_text=_("Whether the simplified procedure applies (30-day decision period)."),
    )
    reply_due = models.DateField(
        _("reply due"), null=True, blank=True, help_text=_("The day by which the respondent must reply.")
    )
    copy_sent_on = models.DateField(
        _("copy sent on"),
        null=True,
        blank=True,
        help_text=_(
            "The day the copy of the application was served on the respondent (its reply runs from it)."
        ),
    )
    reply_received_on = models.DateField(
        _("reply received on"), null=True, blank=True, help_text=_("The day the respondent's reply arrived.")
    )
    hearing_at = models.DateTimeField(
        _("hearing at"), null=True, blank=True, help_text=_("Date and time of the hearing, if one is held.")
    )
    hearing_place = models.CharField(
        _("hearing place"), max_length=128, blank=True, help_text=_("Where the hearing is held.")
    )
    suspended_on = models.DateField(
        _("suspended on"), null=True, blank=True, help_text=_("The day the reconsideration was suspended.")
    )
    suspension_reason = models.TextField(
        _("suspension reason"), blank=True, help_text=_("Why the reconsideration was suspended.")
    )
    suspended_days = models.PositiveIntegerField(
        _("days suspended"), default=0, help_text=_("Suspensions stop the decision clock (Art. 39).")
    )
    extension_days = models.PositiveSmallIntegerField(
        _("extension (days)"), default=0, help_text=_("Days added to the decision period (at most 30).")
    )
    extension_reason = models.TextField(
        _("extension reason"), blank=True, help_text=_("Why the decision period was extended.")
    )
    extension_approved_by = models.CharField(
        _("extension approved by"), max_length=64, blank=True, help_text=_("Who approved the extension.")
    )
    decision_type = models.CharField(
        _("decision"),
        max_length=20,
        choices=DecisionType.choices,
        blank=True,
        help_text=_("What the reconsideration decided about the act."),
    )
    decided_on = models.DateField(
        _("decided on"), null=True, blank=True, help_text=_("The day the decision was made.")
    )
    decision_number = models.CharField(
        _("decision number"),
        max_length=64,
        blank=True,
        help_text=_("The number of the reconsideration decision."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reconsideration")
        verbose_name_plural = _("reconsiderations")
        ordering = ["accepted_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(extension_days__lte=30), name="reconsideration_extension_max_30"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dispute} · {self.accepted_on}"


class Litigation(models.Model):
    """Administrative litigation (行政诉讼) in one instance."""

    dispute = models.ForeignKey(
        Dispute,
        on_delete=models.PROTECT,
        related_name="litigations",
        help_text=_("The case being litigated."),
    )
    court = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="litigations",
        verbose_name=_("court"),
        help_text=_("The court hearing the case in this instance."),
    )
    court_case_number = models.CharField(
        _("court case number"),
        max_length=64,
        blank=True,
        help_text=_("The court's case number, e.g. (2026)鄂0322行初12号."),
    )
    trial_level = models.CharField(
        _("instance"),
        max_length=10,
        choices=Instance.choices,
        default=Instance.FIRST,
        help_text=_("First or second instance."),
    )
    filed_on = models.DateField(_("filed on"), help_text=_("The day the court docketed the case."))
    notice_received_on = models.DateField(
        _("response notice received on"),
        null=True,
        blank=True,
        help_text=_(
            "The day the agency received the court's response notice; the answer period runs from it."
        ),
    )
    answer_due = models.DateField(
        _("answer due"),
        null=True,
        blank=True,
        help_text=_("The last day to file the defence (15 days after the notice)."),
    )
    answered_on = models.DateField(
        _("answered on"), null=True, blank=True, help_text=_("The day the defence was filed.")
    )
    session_at = models.DateTimeField(
        _("court session at"), null=True, blank=True, help_text=_("Date and time of the court session.")
    )
    outcome = models.CharField(
        _("outcome"),
        max_length=12,
        choices=LitigationOutcome.choices,
        blank=True,
        help_text=_("How the instance ended: judgment, ruling, withdrawal or mediation."),
    )
    decided_on = models.DateField(
        _("decided on"), null=True, blank=True, help_text=_("The day the court decided.")
    )
    agency_lost = models.BooleanField(
        _("agency lost"), null=True, blank=True, help_text=_("Whether the agency lost in this instance.")
    )
    appealed_on = models.DateField(
        _("appealed on"), null=True, blank=True, help_text=_("The day an appeal was filed, if any.")
    )
    effective_on = models.DateField(
        _("in effect on"), null=True, blank=True, help_text=_("The day the court's decision took effect.")
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("litigation")
        verbose_name_plural = _("litigations")
        ordering = ["filed_on", "pk"]

    def __str__(self) -> str:
        return f"{self.dispute} · {self.court_case_number or self.filed_on}"


ALLOWED_UPLOAD_EXTENSIONS = ["pdf", "jpg", "jpeg", "png", "doc", "docx", "xls", "xlsx", "ofd", "txt"]
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _upload_to(instance: Attachment, filename: str) -> str:
    # A random folder per file: a stored path can be neither guessed nor enumerated.
    return f"disputes/{instance.dispute_id}/{uuid.uuid4().hex}/{filename}"


class Attachment(models.Model):
    dispute = models.ForeignKey(
        Dispute,
        on_delete=models.PROTECT,
        related_name="attachments",
        help_text=_("The case the file belongs to."),
    )
    file = models.FileField(
        _("file"),
        upload_to=_upload_to,
        validators=[FileExtensionValidator(ALLOWED_UPLOAD_EXTENSIONS)],
        help_text=_("The uploaded file; served only to users who can reach the case."),
    )
    original_name = models.CharField(
        _("file name"), max_length=255, help_text=_("The file's name on the uploader's computer.")
    )
    size = models.PositiveIntegerField(_("size (bytes)"), help_text=_("Size of the file."))
    content_type = models.CharField(
        _("content type"),
        max_length=100,
        help_text=_("The file's format as the browser reported it, e.g. application/pdf."),
    )
    description = models.CharField(
        _("description"),
        max_length=255,
        blank=True,
        help_text=_("What the file is, e.g. 行政处罚决定书 or 身份证复印件."),
    )
    uploaded_by = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
        help_text=_("Who uploaded the file."),
    )
    uploaded_at = models.DateTimeField(
        _("uploaded at"), default=timezone.now, help_text=_("When the file was uploaded.")
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class Note(models.Model):
    dispute = models.ForeignKey(
        Dispute, on_delete=models.PROTECT, related_name="notes", help_text=_("The case the note is about.")
    )
    text = models.TextField(_("note"), help_text=_("A working note, seen by everyone who can see the case."))
    author = models.ForeignKey(
        USER,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
        help_text=_("Who wrote the note."),
    )
    created_at = models.DateTimeField(
        _("written at"), default=timezone.now, help_text=_("When the note was written.")
    )

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:40]
