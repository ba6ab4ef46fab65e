"""The dispute (行政争议) and everything recorded about it.

A dispute's lifecycle is one guarded state machine on ``Dispute.status`` (see ``transitions.py``);
the stage shown to clerks is derived from the status. What each stage records lives on its own row
(``Resolution``, ``Reconsideration``, ``Litigation``): re-entering a stage opens a new row, so
nothing recorded earlier is overwritten. ``DisputeEvent`` is the case's timeline (who, when,
from, to, why); django-simple-history keeps every field change of the case and its parties.
"""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin
from simple_history.models import HistoricalRecords

from core.access import ScopeRule
from core.models import Organisation, Region
from core.validators import validate_phone, validate_resident_id, validate_uscc

from .choices import (
    STATUS_STAGE,
    ActKind,
    CaseKind,
    ClosingReason,
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
from .transitions import DisputeLifecycle

USER = settings.AUTH_USER_MODEL


class DisputeSeries(models.Model):
    """Similar disputes settled together (示范性化解): the lead case's outcome is applied to members."""

    name = models.CharField(_("name"), max_length=128, help_text=_("E.g. 土门镇13户征地补偿系列案."))
    centre = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    lead = models.OneToOneField(
        "Dispute",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_series",
        verbose_name=_("lead case"),
        help_text=_("The demonstration case whose outcome the members follow."),
    )
    description = models.TextField(_("description"), blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    access = ScopeRule(region="region")

    class Meta:
        verbose_name = _("dispute series")
        verbose_name_plural = _("dispute series")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name


class Dispute(FSMModelMixin, DisputeLifecycle, models.Model):
    # Identity
    number = models.CharField(
        _("case number"),
        max_length=64,
        unique=True,
        help_text=_("Official form, e.g. 〔2026〕郧西化字第12号."),
    )
    kind = models.CharField(_("case kind"), max_length=20, choices=CaseKind.choices)
    year = models.PositiveSmallIntegerField(_("number year"))
    sequence = models.PositiveIntegerField(_("number in year"))
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
    source = models.CharField(_("source"), max_length=24, choices=Source.choices)
    received_on = models.DateField(
        _("received on"), help_text=_("The day the application or referral arrived.")
    )
    consent = models.CharField(
        _("party's consent to pre-filing resolution"),
        max_length=12,
        choices=Consent.choices,
        default=Consent.NOT_ASKED,
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
    )
    act_kind = models.CharField(_("kind of act"), max_length=20, choices=ActKind.choices)
    act_date = models.DateField(_("date of the act"))
    act_document_number = models.CharField(
        _("document number of the act"),
        max_length=64,
        blank=True,
        help_text=_("E.g. 郧西公（治）决字〔2026〕88号."),
    )
    act_summary = models.CharField(_("the act in dispute"), max_length=255)
    matter = models.CharField(_("matter"), max_length=24, choices=MatterCategory.choices)
    amount = models.DecimalField(
        _("amount involved (yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    claims = models.TextField(_("claims"), help_text=_("What the applicant asks for."))
    facts = models.TextField(_("facts and reasons"), blank=True)
    # Lifecycle
    status = FSMField(
        _("status"), max_length=24, choices=Status.choices, default=Status.REGISTERED, protected=True
    )
    status_before_suspension = models.CharField(max_length=24, blank=True, editable=False)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    mediators = models.ManyToManyField(
        USER,
        through="MediatorAssignment",
        through_fields=("dispute", "mediator"),
        related_name="mediated_disputes",
        verbose_name=_("mediators"),
    )
    series = models.ForeignKey(
        DisputeSeries,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("series"),
    )
    # Post-decision
    duty_to_perform = models.BooleanField(_("agency has a duty to perform"), default=False)
    perform_by = models.DateField(_("perform by"), null=True, blank=True)
    performed_on = models.DateField(_("performed on"), null=True, blank=True)
    performance_note = models.TextField(_("performance note"), blank=True)
    agency_lost = models.BooleanField(_("agency lost"), null=True, blank=True)
    loss_report_on = models.DateField(_("loss analysis report submitted on"), null=True, blank=True)
    loss_report_summary = models.TextField(_("loss analysis and performance plan"), blank=True)
    # Closing
    closing_reason = models.CharField(
        _("closing reason"), max_length=24, choices=ClosingReason.choices, blank=True
    )
    closing_note = models.TextField(_("closing note"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # Bookkeeping
    registered_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    search_text = models.TextField(
        editable=False, blank=True, help_text=_("Names, numbers and facts, for search.")
    )

    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"])
    access = ScopeRule(
        region="region",
        organisations=("respondent", "court"),
        people=("mediators", "registered_by"),
        distinct=True,
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
            models.Index(fields=["region", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.number

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("disputes:detail", args=[self.pk])

    @property
    def stage(self) -> str:
        return STATUS_STAGE[Status(self.status)]

    def get_stage_display(self) -> str:
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
        Dispute, on_delete=models.PROTECT, related_name="parties", verbose_name=_("dispute")
    )
    role = models.CharField(_("role in the case"), max_length=20, choices=PartyRole.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=PartyKind.choices, default=PartyKind.PERSON)
    name = models.CharField(_("name of party"), max_length=128)
    id_number = models.CharField(
        _("resident ID number"), max_length=18, blank=True, validators=[validate_resident_id]
    )
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, validators=[validate_uscc]
    )
    legal_representative = models.CharField(_("legal representative"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    address = models.CharField(_("address"), max_length=255, blank=True)
    represents = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="representatives",
        verbose_name=_("represents"),
        help_text=_("For a representative or lawyer: the party they act for."),
    )
    law_firm = models.CharField(_("law firm"), max_length=128, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["pk"]
        indexes = [models.Index(fields=["id_number"]), models.Index(fields=["credit_code"])]

    def __str__(self) -> str:
        return self.name

    @property
    def identifier(self) -> str:
        return self.id_number or self.credit_code


class DisputeEvent(models.Model):
    """One entry of the case timeline: a transition, a note, an upload. Never edited or deleted."""

    dispute = models.ForeignKey(
        Dispute, on_delete=models.PROTECT, related_name="events", verbose_name=_("dispute")
    )
    action = models.CharField(_("action"), max_length=40)
    from_status = models.CharField(_("from"), max_length=24, blank=True)
    to_status = models.CharField(_("to"), max_length=24, blank=True)
    actor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    document = models.CharField(_("document"), max_length=128, blank=True)
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
        constraints = [
            models.UniqueConstraint(
                fields=["dispute", "request_key"],
                condition=~models.Q(request_key=""),
                name="case_event_request_done_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dispute} {self.action} @ {self.at:%Y-%m-%d %H:%M}"

    def get_from_status_display(self) -> str:
        return Status(self.from_status).label if self.from_status else ""

    def get_to_status_display(self) -> str:
        return Status(self.to_status).label if self.to_status else ""


class MediatorAssignment(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="assignments")
    mediator = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("mediator")
    )
    assigned_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("assigned by")
    )
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)

    class Meta:
        verbose_name = _("mediator assignment")
        verbose_name_plural = _("mediator assignments")
        constraints = [models.UniqueConstraint(fields=["dispute", "mediator"], name="mediator_assigned_once")]

    def __str__(self) -> str:
        return f"{self.dispute} · {self.mediator}"


class Resolution(models.Model):
    """One attempt at substantive resolution at the centre (化解)."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="resolutions")
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    due_on = models.DateField(_("resolution due"), null=True, blank=True, help_text=_("30 days, extendable."))
    agreement_terms = models.TextField(_("agreement and performance terms"), blank=True)
    agreement_signed_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    agreement_perform_by = models.DateField(_("agreement to be performed by"), null=True, blank=True)
    confirmation_court = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("confirming court"),
    )
    confirmation_requested_on = models.DateField(_("confirmation requested on"), null=True, blank=True)
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True)
    confirmation_number = models.CharField(_("confirmation ruling number"), max_length=64, blank=True)
    failure_reason = models.TextField(_("why resolution failed"), blank=True)
    transfer_target = models.CharField(
        _("transferred to"), max_length=20, choices=TransferTarget.choices, blank=True
    )
    transfer_to = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("receiving body"),
    )
    transferred_on = models.DateField(_("transferred on"), null=True, blank=True)
    feedback_on = models.DateField(_("feedback received on"), null=True, blank=True)
    feedback_note = models.TextField(_("feedback"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("resolution attempt")
        verbose_name_plural = _("resolution attempts")
        ordering = ["opened_at"]

    def __str__(self) -> str:
        return f"{self.dispute} · {self.opened_at:%Y-%m-%d}"


class ResolutionSession(models.Model):
    resolution = models.ForeignKey(Resolution, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=128, blank=True)
    participants = models.TextField(_("participants"), blank=True)
    summary = models.TextField(_("summary"))
    recorded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("resolution session")
        verbose_name_plural = _("resolution sessions")
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.resolution} · {self.held_on}"


class Reconsideration(models.Model):
    """Administrative reconsideration (行政复议) of the act; the decision clock lives here."""

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="reconsiderations")
    accepted_on = models.DateField(_("accepted on"))
    simplified = models.BooleanField(_("simplified procedure"), default=False)
    reply_due = models.DateField(_("reply due"), null=True, blank=True)
    reply_received_on = models.DateField(_("reply received on"), null=True, blank=True)
    hearing_at = models.DateTimeField(_("hearing at"), null=True, blank=True)
    hearing_place = models.CharField(_("hearing place"), max_length=128, blank=True)
    suspended_on = models.DateField(_("suspended on"), null=True, blank=True)
    suspension_reason = models.TextField(_("suspension reason"), blank=True)
    suspended_days = models.PositiveIntegerField(
        _("days suspended"), default=0, help_text=_("Suspensions stop the decision clock (Art. 39).")
    )
    extension_days = models.PositiveSmallIntegerField(_("extension (days)"), default=0)
    extension_reason = models.TextField(_("extension reason"), blank=True)
    extension_approved_by = models.CharField(_("extension approved by"), max_length=64, blank=True)
    decision_type = models.CharField(_("decision"), max_length=20, choices=DecisionType.choices, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)

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

    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="litigations")
    court = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="litigations", verbose_name=_("court")
    )
    court_case_number = models.CharField(_("court case number"), max_length=64, blank=True)
    trial_level = models.CharField(
        _("instance"), max_length=10, choices=Instance.choices, default=Instance.FIRST
    )
    filed_on = models.DateField(_("filed on"))
    notice_received_on = models.DateField(_("response notice received on"), null=True, blank=True)
    answer_due = models.DateField(_("answer due"), null=True, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    session_at = models.DateTimeField(_("court session at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=LitigationOutcome.choices, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    agency_lost = models.BooleanField(_("agency lost"), null=True, blank=True)
    appealed_on = models.DateField(_("appealed on"), null=True, blank=True)
    effective_on = models.DateField(_("in effect on"), null=True, blank=True)

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
    return f"disputes/{instance.dispute_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


class Attachment(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(
        _("file"), upload_to=_upload_to, validators=[FileExtensionValidator(ALLOWED_UPLOAD_EXTENSIONS)]
    )
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100)
    description = models.CharField(_("description"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class Note(models.Model):
    dispute = models.ForeignKey(Dispute, on_delete=models.PROTECT, related_name="notes")
    text = models.TextField(_("note"))
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("author"))
    created_at = models.DateTimeField(_("written at"), default=timezone.now)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:40]
