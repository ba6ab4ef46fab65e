"""Legal aid (法律援助, the third of the four 100%): screening a party without a representative against
the conditions of the Legal Aid Law (法律援助法 第三十一条、第三十二条、第四十二条), the application and its
decision (7 days, Art. 43), provisional aid (Art. 44), the objection to a refusal (5 days, Art. 49), the
lawyer assigned (3 days, Art. 43) from the roster without a conflict of interest, and the end of aid
(Art. 48).

A case is reached by its assigned lawyer through ``Assignment.active_user`` (registered with
``core.access.register_people`` in ``apps.py``): set while the assignment runs, cleared when it ends.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.access import ScopeRule
from core.models import Organisation, Region
from disputes.models import Dispute, Party


class Art31Matter(models.TextChoices):
    """The administrative matters of Art. 31 for which a party in economic hardship may have aid."""

    NONE = "", _("None of the matters of Art. 31")
    STATE_COMPENSATION = "state_compensation", _("State compensation")
    SOCIAL_ASSISTANCE = "social_assistance", _("Social insurance, subsistence allowance or social assistance")
    PENSION = "pension", _("Pensions and survivors' benefits (抚恤金)")
    WAGES = "wages", _("Labour remuneration")
    WORK_INJURY = "work_injury", _("Work-injury compensation")


class Art32Situation(models.TextChoices):
    """The situations of Art. 32: aid without a means test."""

    NONE = "", _("None of the situations of Art. 32")
    HERO_RELATIVE = "hero_relative", _("A hero's or martyr's close relative protecting their honour")
    BRAVE_ACT = "brave_act", _("Rights arising from an act of bravery (见义勇为)")
    ACQUITTED = "acquitted", _("State compensation after acquittal on retrial")
    ABUSE_VICTIM = "abuse_victim", _("A victim of abuse, abandonment or domestic violence")


class Art42Group(models.TextChoices):
    """The groups of Art. 42 whose means check is waived on proof of their status."""

    NONE = "", _("None of the groups of Art. 42")
    DEPENDENT = "dependent", _("A minor, elderly or disabled person without a fixed income")
    ASSISTED = "assisted", _("A recipient of social or judicial assistance, or of special care (优抚)")
    MIGRANT_WORKER = "migrant_worker", _("A migrant worker claiming wages or work-injury compensation")


class Result(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    NEEDS_REVIEW = "needs_review", _("Needs review")


class Screening(models.Model):
    """One screening of a party against the legal conditions, with the result the conditions give and the
    result that counts (a clerk's override, with its reason). A party screened again has a new row; the
    latest counts."""

    # Seen by the region's clerks and legal-aid staff, the case's mediators and its assigned lawyer
    # (through the case): never by the agency on the other side, nor the court.
    access = ScopeRule(
        region="dispute__region", people=("dispute__mediators", "dispute__registered_by"), via="dispute"
    )

    dispute = models.ForeignKey(
        Dispute,
        on_delete=models.PROTECT,
        related_name="aid_screenings",
        verbose_name=_("dispute"),
        help_text=_("The case the party takes part in."),
    )
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        related_name="aid_screenings",
        verbose_name=_("party"),
        help_text=_("The party screened (without a representative)."),
    )
    matter = models.CharField(
        _("matter of Art. 31"),
        max_length=24,
        choices=Art31Matter.choices,
        blank=True,
        help_text=_("The matter of Art. 31 the dispute concerns, if any."),
    )
    situation = models.CharField(
        _("situation of Art. 32"),
        max_length=24,
        choices=Art32Situation.choices,
        blank=True,
        help_text=_("A situation of Art. 32 (no means test), if any."),
    )
    group = models.CharField(
        _("group of Art. 42"),
        max_length=24,
        choices=Art42Group.choices,
        blank=True,
        help_text=_("A group of Art. 42 (means check waived on proof), if any."),
    )
    group_proof = models.CharField(
        _("proof of the group"),
        max_length=200,
        blank=True,
        help_text=_("The document proving the group, e.g. 低保证号 or 残疾证号."),
    )
    hardship_declared = models.BooleanField(
        _("economic hardship declared"),
        default=False,
        help_text=_("The applicant declared economic hardship in writing (个人诚信承诺)."),
    )
    computed = models.CharField(
        _("result of the conditions"),
        max_length=16,
        choices=Result.choices,
        help_text=_("What the conditions give."),
    )
    reasons = models.JSONField(
        _("reasons"),
        default=list,
        help_text=_("The reason for each criterion, as shown to the clerk."),
    )
    result = models.CharField(
        _("result"),
        max_length=16,
        choices=Result.choices,
        help_text=_("The result that counts: the conditions', or the clerk's override."),
    )
    override_reason = models.TextField(
        _("reason for the override"),
        blank=True,
        help_text=_("Why the clerk set a result other than the conditions give (required then)."),
    )
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("screened by"),
        help_text=_("Who screened the party."),
    )
    screened_at = models.DateTimeField(
        _("screened at"), auto_now_add=True, help_text=_("When the party was screened.")
    )

    class Meta:
        verbose_name = _("legal-aid screening")
        verbose_name_plural = _("legal-aid screenings")
        ordering = ["screened_at", "pk"]

    def __str__(self) -> str:
        return f"{self.party} · {self.get_result_display()}"

    @property
    def overridden(self) -> bool:
        return self.result != self.computed


class Lawyer(models.Model):
    """A legal-aid lawyer on the roster: the user they sign in as, their law firm, the regions they take
    cases in, their expertise and how many aid cases they take at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="aid_lawyer",
        verbose_name=_("user"),
        help_text=_("The lawyer's account (role: legal-aid lawyer)."),
    )
    firm = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="aid_lawyers",
        limit_choices_to={"kind": "law_firm"},
        verbose_name=_("law firm"),
        help_text=_("The firm the lawyer practises at (none for a legal-aid centre's own lawyer)."),
    )
    licence_number = models.CharField(
        _("licence number"), max_length=32, blank=True, help_text=_("执业证号.")
    )
    regions = models.ManyToManyField(
        Region,
        related_name="aid_lawyers",
        verbose_name=_("regions"),
        help_text=_("The regions the lawyer takes cases in (a region includes those below it)."),
    )
    expertise = models.JSONField(
        _("expertise"),
        default=list,
        blank=True,
        help_text=_("The matter categories the lawyer knows best (the case's matter categories)."),
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=5, help_text=_("How many aid cases the lawyer takes at once.")
    )
    is_active = models.BooleanField(
        _("on the roster"), default=True, help_text=_("Lawyers off the roster are not proposed.")
    )

    class Meta:
        verbose_name = _("legal-aid lawyer")
        verbose_name_plural = _("legal-aid lawyers")
        ordering = ["user__name", "pk"]

    def __str__(self) -> str:
        return f"{self.user.name}（{self.firm.name}）" if self.firm else self.user.name


class Engagement(models.Model):
    """A lawyer or a firm acting, or having acted, for an agency (法律顾问, 代理): a conflict of interest in
    any case against that agency."""

    agency = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("agency"),
        help_text=_("The agency acted for."),
    )
    firm = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("law firm"),
        help_text=_("The firm that acted for it (every lawyer of the firm is in conflict)."),
    )
    lawyer = models.ForeignKey(
        Lawyer,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="engagements",
        verbose_name=_("lawyer"),
        help_text=_("The lawyer who acted for it, if a lawyer rather than the firm."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True, help_text=_("E.g. 常年法律顾问."))

    class Meta:
        verbose_name = _("engagement for an agency")
        verbose_name_plural = _("engagements for agencies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(firm__isnull=False) | models.Q(lawyer__isnull=False),
                name="engagement_names_a_firm_or_a_lawyer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.lawyer or self.firm} → {self.agency}"


class Application(models.Model):
    """An application for legal aid by a party, and what became of it."""

    # Seen by the region's clerks and legal-aid staff, the case's mediators and its assigned lawyer
    # (through the case): never by the agency on the other side, nor the court.
    access = ScopeRule(
        region="dispute__region", people=("dispute__mediators", "dispute__registered_by"), via="dispute"
    )

    class Status(models.TextChoices):
        RECEIVED = "received", _("Awaiting the decision")
        GRANTED = "granted", _("Granted, awaiting a lawyer")
        ASSIGNED = "assigned", _("Lawyer assigned")
        REFUSED = "refused", _("Refused")
        OBJECTED = "objected", _("Refusal objected to")
        ENDED = "ended", _("Aid ended")

    class EndReason(models.TextChoices):
        """Art. 48."""

        DECEPTION = "deception", _("Aid obtained by deception or other improper means")
        CONCEALMENT = "concealment", _("Important facts concealed or false evidence given")
        UNLAWFUL_USE = "unlawful_use", _("Aid used for unlawful activity")
        MEANS_CHANGED = "means_changed", _("The economic situation changed: no longer eligible")
        CASE_ENDED = "case_ended", _("The case ended or was withdrawn")
        OWN_LAWYER = "own_lawyer", _("The party engaged a lawyer or agent of their own")
        PARTY_REQUEST = "party_request", _("The party asked, with good reason, to end the aid")
        OTHER = "other", _("Another ground of law")

    dispute = models.ForeignKey(
        Dispute,
        on_delete=models.PROTECT,
        related_name="aid_applications",
        verbose_name=_("dispute"),
        help_text=_("The case the aid is for."),
    )
    party = models.ForeignKey(
        Party,
        on_delete=models.PROTECT,
        related_name="aid_applications",
        verbose_name=_("party"),
        help_text=_("The party applying."),
    )
    screening = models.ForeignKey(
        Screening,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("screening"),
        help_text=_("The party's screening when the application was filed."),
    )
    received_on = models.DateField(_("received on"), help_text=_("The day the application was received."))
    materials = models.JSONField(
        _("materials"),
        default=list,
        help_text=_(
            "The materials supplied (identity, the hardship declaration or proof, the case's papers)."
        ),
    )
    limitation_ends_on = models.DateField(
        _("limitation period ends on"),
        null=True,
        blank=True,
        help_text=_("The last day of a limitation period the party faces, if near (Art. 44)."),
    )
    provisional = models.BooleanField(
        _("provisional aid"),
        default=False,
        help_text=_("Granted at once: fewer than 7 days remained before a limitation period (Art. 44)."),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=Status.choices,
        default=Status.RECEIVED,
        help_text=_("Where it stands."),
    )
    decided_on = models.DateField(
        _("decided on"), null=True, blank=True, help_text=_("The day aid was granted or refused.")
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
        help_text=_("Who decided."),
    )
    refusal_reasons = models.TextField(
        _("reasons for the refusal"),
        blank=True,
        help_text=_("Written reasons, required for a refusal (Art. 43)."),
    )
    objected_on = models.DateField(
        _("objected on"), null=True, blank=True, help_text=_("The day the applicant objected to the refusal.")
    )
    objection = models.TextField(_("objection"), blank=True, help_text=_("What the applicant objected."))
    objection_upheld = models.BooleanField(
        _("objection upheld"),
        null=True,
        blank=True,
        help_text=_("The review of the objection (Art. 49): upheld (aid granted) or dismissed."),
    )
    objection_reviewed_on = models.DateField(
        _("objection reviewed on"), null=True, blank=True, help_text=_("The day the objection was reviewed.")
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True, help_text=_("The day aid ended."))
    end_reason = models.CharField(
        _("why aid ended"),
        max_length=16,
        choices=EndReason.choices,
        blank=True,
        help_text=_("The ground of Art. 48."),
    )
    end_note = models.TextField(_("note on the end"), blank=True, help_text=_("The facts of the ground."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("filed by"),
        help_text=_("Who filed the application."),
    )
    created_at = models.DateTimeField(_("filed at"), auto_now_add=True, help_text=_("When it was filed."))

    class Meta:
        verbose_name = _("legal-aid application")
        verbose_name_plural = _("legal-aid applications")
        ordering = ["received_on", "pk"]
        constraints = [
            # One open application per party: a new one once the earlier was refused for good or ended.
            models.UniqueConstraint(
                fields=["party"],
                condition=models.Q(status__in=["received", "granted", "assigned", "objected"]),
                name="aid_one_open_application_per_party",
            )
        ]

    def __str__(self) -> str:
        return f"{self.party} · {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("legal_aid:application", args=[self.pk])


class Assignment(models.Model):
    """A lawyer assigned to an application (指派). A new assignment ends the running one; the lawyer reaches
    the case while ``active_user`` is set."""

    dispute = models.ForeignKey(
        Dispute,
        on_delete=models.PROTECT,
        related_name="aid_assignments",
        verbose_name=_("dispute"),
        help_text=_("The case (a copy of the application's, for the lawyer's reach)."),
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("application"),
        help_text=_("The application granted."),
    )
    lawyer = models.ForeignKey(
        Lawyer,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("lawyer"),
        help_text=_("The lawyer assigned."),
    )
    active_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reaching the case"),
        help_text=_("The lawyer's account while the assignment runs (empty once it ended)."),
    )
    proposal = models.JSONField(
        _("why this lawyer"),
        default=list,
        blank=True,
        help_text=_("The reasons the lawyer was proposed (expertise, region, load), as shown."),
    )
    assigned_on = models.DateField(_("assigned on"), help_text=_("The day the lawyer was assigned."))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assigned by"),
        help_text=_("Who assigned the lawyer."),
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True, help_text=_("The day it ended."))
    end_note = models.CharField(
        _("why it ended"), max_length=200, blank=True, help_text=_("Reassigned, or the aid ended.")
    )

    class Meta:
        verbose_name = _("lawyer assignment")
        verbose_name_plural = _("lawyer assignments")
        ordering = ["assigned_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(ended_on__isnull=True),
                name="aid_one_running_assignment",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.lawyer}"
