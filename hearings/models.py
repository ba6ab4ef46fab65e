"""The hearings of a case, of three kinds: a reconsideration hearing (复议听证, 《行政复议法》 第五十条、第五十一条)
held by the reconsideration body, a court session (庭审) recorded from the court's notice for the agency
head's appearance, and a resolution meeting (化解会) at the centre. Each records when and where it is
held (a room or an online link), its panel, its participants and the issues to be heard, when notice
was given, and whether it was held or called off.

The case's status ("hearing scheduled") belongs to ``disputes``; this app records the hearing itself
and moves the case only through ``disputes.services`` (see docs/seam.md).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.access import ScopeRule
from core.models import Organisation
from disputes.models import Dispute, DisputeEvent, Litigation, Party


class HearingKind(models.TextChoices):
    RECON_HEARING = "recon_hearing", _("Reconsideration hearing")
    COURT_SESSION = "court_session", _("Court session")
    RESOLUTION_MEETING = "resolution_meeting", _("Resolution meeting")


class Room(models.Model):
    """A hearing or meeting room of an organisation (the reconsideration body's hearing room, the
    centre's mediation room, a court's courtroom): what the calendar books and checks for clashes."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="hearing_rooms",
        verbose_name=_("organisation"),
        help_text=_("The organisation the room belongs to."),
    )
    name = models.CharField(_("name"), max_length=64, help_text=_("As signposted, e.g. 第一听证室."))
    address = models.CharField(
        _("address"), max_length=128, blank=True, help_text=_("Where the room is, for the notices.")
    )
    is_active = models.BooleanField(
        _("in use"), default=True, help_text=_("Rooms no longer used stay on the hearings held in them.")
    )

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["organisation", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="room_unique_name")]

    def __str__(self) -> str:
        return self.name


class MustAttendBasis(models.TextChoices):
    """Seed 003's must-attend situations (应出庭): when the head's presence is required."""

    FIRST_OF_YEAR = "first_of_year", _("The agency's first case with a hearing this year")
    HELPS_RESOLUTION = "helps_resolution", _("The head's presence helps resolve the dispute")
    COURT_SUGGESTION = "court_suggestion", _("The court suggested in writing that the head appear")


class Hearing(models.Model):
    # A hearing is seen by whoever sees its case (the same reach, through the case).
    access = ScopeRule(
        region="dispute__region",
        organisations=("dispute__respondent", "dispute__court"),
        people=("dispute__mediators", "dispute__registered_by"),
        via="dispute",
    )

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    dispute = models.ForeignKey(
        Dispute,
        on_delete=models.PROTECT,
        related_name="hearings",
        verbose_name=_("dispute"),
        help_text=_("The case the hearing is held in."),
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=HearingKind.choices,
        default=HearingKind.RECON_HEARING,
        help_text=_("Reconsideration hearing, court session or resolution meeting."),
    )
    litigation = models.ForeignKey(
        Litigation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="court_sessions",
        verbose_name=_("litigation"),
        help_text=_("For a court session: the instance it belongs to."),
    )
    replaces = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
        verbose_name=_("replaces"),
        help_text=_("The hearing this one was rescheduled from."),
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
        _("place"),
        max_length=128,
        blank=True,
        help_text=_("Where the hearing is held, as the notice gives it (the room's name, or the court's)."),
    )
    room = models.ForeignKey(
        Room,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hearings",
        verbose_name=_("room"),
        help_text=_("The organisation's room it is held in, if one of them."),
    )
    online_link = models.URLField(
        _("online link"), blank=True, help_text=_("For a hearing held online: the link to join it.")
    )
    presiding = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("presiding officer"),
        help_text=_("Who presides (主持人 / 审判长)."),
    )
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="+",
        verbose_name=_("hearing officers"),
        help_text=_("The other members of the panel (听证员 / 合议庭成员)."),
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("clerk"),
        help_text=_("Who keeps the record (记录员 / 书记员)."),
    )
    issues = models.TextField(
        _("issues to be heard"), blank=True, help_text=_("The points in dispute (争议焦点), one a line.")
    )
    procuratorate_invited = models.BooleanField(
        _("procuratorate invited"),
        default=False,
        help_text=_("Whether the procuratorate is invited to attend."),
    )
    notice_served_on = models.DateField(
        _("notice served on"),
        null=True,
        blank=True,
        help_text=_(
            "The day the notice was served: on the parties, at least 5 working days before a "
            "reconsideration hearing; on the agency, at least 3 days before a court session."
        ),
    )
    must_attend = models.BooleanField(
        _("head must attend"),
        default=False,
        help_text=_("Marked by the centre as a hearing the agency's head must attend (应出尽出, seed 003)."),
    )
    must_attend_basis = models.CharField(
        _("why the head must attend"),
        max_length=24,
        choices=MustAttendBasis.choices,
        blank=True,
        help_text=_("The ground the centre marked it on."),
    )
    must_attend_note = models.TextField(
        _("note on the marking"), blank=True, help_text=_("What the centre added, e.g. the court's letter.")
    )
    short_notice_reason = models.TextField(
        _("reason for the short notice"),
        blank=True,
        help_text=_(
            "Why the hearing was scheduled too soon for its notice period (5 working days before a "
            "reconsideration hearing, Art. 51; 3 days before a court session for the head's appearance), "
            "as the clerk gave it."
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
            # A rescheduled hearing cancels the one it replaces: one open hearing of a kind per case.
            models.UniqueConstraint(
                fields=["dispute", "kind"],
                condition=models.Q(status="scheduled"),
                name="hearing_one_scheduled_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dispute.number} · {self.scheduled_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("hearings:detail", args=[self.pk])

    @property
    def where(self) -> str:
        """The place as people read it: the room (or place), and the link when online."""
        return " · ".join(part for part in (self.place, self.online_link) if part)

    def panel(self) -> list[Any]:
        """The panel's users (presiding, officers, clerk), each once."""
        people, seen = [], set()
        for person in (self.presiding, *self.officers.all(), self.clerk):
            if person is not None and person.pk not in seen:
                seen.add(person.pk)
                people.append(person)
        return people


class Participant(models.Model):
    """Who takes part in a hearing besides the panel: the parties, the agency, the procuratorate when
    invited, a legal-aid lawyer, others. Filled from the case when the hearing is scheduled."""

    class Role(models.TextChoices):
        APPLICANT = "applicant", _("Applicant / plaintiff")
        THIRD_PARTY = "third_party", _("Third party")
        REPRESENTATIVE = "representative", _("Representative or lawyer")
        AGENCY = "agency", _("Respondent agency")
        PROCURATORATE = "procuratorate", _("Procuratorate")
        LEGAL_AID_LAWYER = "legal_aid_lawyer", _("Legal-aid lawyer")
        OTHER = "other", _("Other")

    hearing = models.ForeignKey(
        Hearing,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("hearing"),
        help_text=_("The hearing taken part in."),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, help_text=_("In what capacity they take part.")
    )
    name = models.CharField(_("name"), max_length=128, help_text=_("The person's or body's name."))
    party = models.ForeignKey(
        Party,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("party"),
        help_text=_("The case's party, when it is one."),
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organisation"),
        help_text=_("The organisation, when it is one (the agency, the procuratorate)."),
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["hearing", "pk"]

    def __str__(self) -> str:
        return f"{self.get_role_display()}：{self.name}"


class HeadAnswer(models.Model):
    """The agency's answer to a hearing's request that its head take part (行政机关负责人参与听证): given
    in Huajie by the head or the liaison on the head's behalf, replacing the paper return slip. A new
    answer replaces the earlier one, which stays in the history (the latest counts)."""

    class Answer(models.TextChoices):
        PRINCIPAL = "principal", _("The principal head will attend")
        DEPUTY = "deputy", _("A deputy head will attend")
        NONE = "none", _("No head can attend")

    hearing = models.ForeignKey(
        Hearing,
        on_delete=models.PROTECT,
        related_name="head_answers",
        verbose_name=_("hearing"),
        help_text=_("The hearing the answer is for."),
    )
    answer = models.CharField(
        _("answer"), max_length=12, choices=Answer.choices, help_text=_("Who of the agency's heads attends.")
    )
    head_name = models.CharField(
        _("head attending"),
        max_length=64,
        blank=True,
        help_text=_("The head who will attend (name and post), for a principal or deputy head."),
    )
    reason = models.TextField(
        _("reason"), blank=True, help_text=_("Why no head can attend (required for that answer).")
    )
    delegate_name = models.CharField(
        _("delegated staff member"),
        max_length=64,
        blank=True,
        help_text=_("The staff member authorised to attend instead (授权委托), when no head can."),
    )

    class Approval(models.TextChoices):
        NOT_NEEDED = "", _("Not needed")
        PENDING = "pending", _("Awaiting the centre's approval")
        APPROVED = "approved", _("Approved by the centre")
        REFUSED = "refused", _("Refused by the centre")

    approval = models.CharField(
        _("centre's approval"),
        max_length=10,
        choices=Approval.choices,
        blank=True,
        default="",
        help_text=_("A hearing the head must attend: “no head” needs the centre's approval."),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewed by"),
        help_text=_("The centre's clerk who approved or refused it."),
    )
    review_note = models.TextField(
        _("review note"), blank=True, help_text=_("The centre's reason for approving or refusing.")
    )
    reviewed_at = models.DateTimeField(
        _("reviewed at"), null=True, blank=True, help_text=_("When it was reviewed.")
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("answered by"),
        help_text=_("Who gave the answer (the head, or the liaison on the head's behalf)."),
    )
    answered_at = models.DateTimeField(_("answered at"), auto_now_add=True, help_text=_("When it was given."))

    class Meta:
        verbose_name = _("head's answer")
        verbose_name_plural = _("heads' answers")
        ordering = ["answered_at", "pk"]

    def __str__(self) -> str:
        return f"{self.hearing} · {self.get_answer_display()}"


class Attendance(models.Model):
    """Who attended the hearing for the agency, as the centre's clerk recorded it on the day; fixed once
    recorded: a correction is a new entry naming the one it corrects and why (the latest counts)."""

    class Attended(models.TextChoices):
        PRINCIPAL = "principal", _("The principal head")
        DEPUTY = "deputy", _("A deputy head")
        STAFF = "staff", _("Staff only")
        NOBODY = "nobody", _("Nobody")

    hearing = models.ForeignKey(
        Hearing,
        on_delete=models.PROTECT,
        related_name="attendances",
        verbose_name=_("hearing"),
        help_text=_("The hearing attended."),
    )
    attended = models.CharField(
        _("attended for the agency"),
        max_length=12,
        choices=Attended.choices,
        help_text=_("Who actually attended for the agency."),
    )
    head_name = models.CharField(
        _("head who attended"),
        max_length=64,
        blank=True,
        help_text=_("The head's name and post, if a head attended."),
    )
    spoke = models.BooleanField(
        _("the head spoke to the substance"),
        default=False,
        help_text=_(
            "Whether the attending head spoke on resolving the dispute (出庭不出声 counts as a failure)."
        ),
    )
    duration_minutes = models.PositiveIntegerField(
        _("duration (minutes)"), null=True, blank=True, help_text=_("How long the hearing lasted.")
    )
    outcome = models.TextField(_("outcome"), blank=True, help_text=_("What the hearing came to."))
    corrects = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrected_by",
        verbose_name=_("corrects"),
        help_text=_("The earlier record this one corrects."),
    )
    correction_reason = models.TextField(
        _("reason for the correction"), blank=True, help_text=_("Why the earlier record was wrong.")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
        help_text=_("The clerk who recorded it."),
    )
    recorded_at = models.DateTimeField(
        _("recorded at"), auto_now_add=True, help_text=_("When it was recorded.")
    )

    class Meta:
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        ordering = ["recorded_at", "pk"]

    def __str__(self) -> str:
        return f"{self.hearing} · {self.get_attended_display()}"

    @property
    def head_attended(self) -> bool:
        return self.attended in (self.Attended.PRINCIPAL, self.Attended.DEPUTY)
