"""HTML forms of the case pages: registration (the dispute and its parties), notes, uploads, series.

The forms check what a clerk should be told at once, field by field; the services check again and
are the only writers. Lifecycle actions use the forms in ``actions.py`` (shared with the API).
"""

from __future__ import annotations

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Organisation, User
from core.validators import (
    normalise_resident_id,
    normalise_uscc,
    validate_phone,
    validate_resident_id,
    validate_uscc,
)
from core.widgets import DateInput

from .choices import CaseKind, Consent, PartyKind, PartyRole, Source
from .models import ALLOWED_UPLOAD_EXTENSIONS, Dispute
from .services import PartyInput

REGISTER_FIELDS = [
    "kind",
    "source",
    "received_on",
    "court",
    "court_case_number",
    "consent",
    "consent_note",
    "respondent",
    "act_kind",
    "act_date",
    "act_document_number",
    "act_summary",
    "matter",
    "amount",
    "claims",
    "facts",
]


def centre_for(user: User) -> Organisation | None:
    """Where ``user`` registers cases: their own centre or justice bureau; for a court clerk, the
    centre of the court's region (its justice bureau when the county has no centre)."""
    organisation = user.organisation
    if organisation is None:
        return None
    if organisation.kind in (Organisation.Kind.CENTRE, Organisation.Kind.JUSTICE_BUREAU):
        return organisation
    for kind in (Organisation.Kind.CENTRE, Organisation.Kind.JUSTICE_BUREAU):
        found = (
            Organisation.objects.filter(region=organisation.region, kind=kind, is_active=True)
            .order_by("pk")
            .first()
        )
        if found:
            return found
    return None


def _region_orgs(user: User, kind: str, *, with_ancestors: bool = False):
    """Active organisations of ``kind`` in the user's region and below (and above, if asked)."""
    qs = Organisation.objects.filter(kind=kind, is_active=True).select_related("region")
    region = user.organisation.region if user.organisation else None
    if region is None:
        return qs.none()
    q = Q(region__path__startswith=region.path)
    if with_ancestors:
        codes = region.path.strip("/").split("/")
        q |= Q(region__path__in=["/" + "/".join(codes[:i]) + "/" for i in range(1, len(codes))])
    return qs.filter(q)


class DisputeRegisterForm(forms.ModelForm):
    """The intake form. Its cleaned data (less ``confirm_duplicate``) is what ``dispute_register`` takes."""

    confirm_duplicate = forms.BooleanField(label=_("Register anyway"), required=False)

    class Meta:
        model = Dispute
        fields = REGISTER_FIELDS
        widgets = {
            "received_on": DateInput,
            "act_date": DateInput,
            "consent_note": forms.Textarea(attrs={"rows": 2}),
            "claims": forms.Textarea(attrs={"rows": 3}),
            "facts": forms.Textarea(attrs={"rows": 4}),
            "amount": forms.NumberInput(attrs={"step": "0.01", "min": "0"}),
        }

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        cast(forms.ModelChoiceField, self.fields["respondent"]).queryset = _region_orgs(
            user, Organisation.Kind.AGENCY
        ).order_by("region__path", "name")
        cast(forms.ModelChoiceField, self.fields["court"]).queryset = _region_orgs(
            user, Organisation.Kind.COURT, with_ancestors=True
        ).order_by("region__path", "name")
        self.fields["received_on"].initial = timezone.localdate
        # A justice bureau's reconsideration office registers reconsiderations; a centre resolutions.
        cast(forms.ChoiceField, self.fields["kind"]).choices = CaseKind.choices
        at_bureau = user.organisation and user.organisation.kind == Organisation.Kind.JUSTICE_BUREAU
        self.fields["kind"].initial = CaseKind.RECONSIDERATION if at_bureau else CaseKind.RESOLUTION
        consent = cast(forms.ChoiceField, self.fields["consent"])
        consent.choices = [(c.value, c.label) for c in (Consent.GIVEN, Consent.REFUSED)]
        consent.required = False
        consent.widget = forms.RadioSelect(choices=consent.choices)
        if user.organisation and user.organisation.kind == Organisation.Kind.COURT:
            self.fields["source"].initial = Source.COURT_PUSH
            self.fields["court"].initial = user.organisation.pk
        for name in ("received_on", "act_date"):
            self.fields[name].widget.attrs["max"] = timezone.localdate().isoformat()

    def _not_future(self, name: str):
        value = self.cleaned_data.get(name)
        if value and value > timezone.localdate():
            raise ValidationError(
                _("%(field)s cannot be later than today."),
                code="future",
                params={"field": self.fields[name].label},
            )
        return value

    def clean_received_on(self):
        return self._not_future("received_on")

    def clean_act_date(self):
        return self._not_future("act_date")

    def clean(self):
        super().clean()
        data = self.cleaned_data  # what ModelForm.clean() returns; the stub allows None
        if data.get("source") == Source.COURT_PUSH:
            if not data.get("court"):
                self.add_error("court", _("Name the court that pushes the case."))
            consent = data.get("consent")
            if consent not in (Consent.GIVEN, Consent.REFUSED):
                self.add_error("consent", _("Record whether the party consented to pre-filing resolution."))
            elif consent == Consent.REFUSED and not (data.get("consent_note") or "").strip():
                self.add_error("consent_note", _("Record the reason the party gave for refusing."))
        else:
            # Consent is asked only of court-filed cases; what the hidden fields held is dropped.
            data["consent"] = Consent.NOT_ASKED
            data["consent_note"] = ""
            data["court"] = None
            data["court_case_number"] = ""
        act_date, received_on = data.get("act_date"), data.get("received_on")
        if act_date and received_on and act_date > received_on:
            self.add_error(
                "act_date", _("The act cannot be later than the day the application was received.")
            )
        return data

    def service_data(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in REGISTER_FIELDS}


class PartyForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=PartyRole.choices, initial=PartyRole.APPLICANT)
    kind = forms.ChoiceField(label=_("Kind"), choices=PartyKind.choices, initial=PartyKind.PERSON)
    name = forms.CharField(label=_("Name (person or organisation)"), max_length=128)
    id_number = forms.CharField(
        label=_("Resident ID number"),
        max_length=24,
        required=False,
        help_text=_("Required for an applicant or third party."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=24,
        required=False,
        help_text=_("Required for an applicant or third party."),
    )
    legal_representative = forms.CharField(label=_("Legal representative"), max_length=64, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    law_firm = forms.CharField(label=_("Law firm"), max_length=128, required=False)

    def clean_phone(self):
        value = "".join(self.cleaned_data["phone"].split())
        if value:
            validate_phone(value)
        return value

    def clean(self):
        super().clean()
        data = self.cleaned_data  # what Form.clean() returns; the stub allows None
        kind, role = data.get("kind"), data.get("role")
        # Applicants and third parties must be identified; a representative's number is optional.
        identify = role in (PartyRole.APPLICANT, PartyRole.THIRD_PARTY)
        if kind == PartyKind.PERSON:
            data["credit_code"] = data["legal_representative"] = ""
            value = normalise_resident_id(data.get("id_number", ""))
            data["id_number"] = value
            if value:
                try:
                    validate_resident_id(value)
                except ValidationError as exc:
                    self.add_error("id_number", exc)
            elif identify:
                self.add_error("id_number", _("Enter the resident ID number of a natural person."))
        elif kind == PartyKind.LEGAL_PERSON:
            data["id_number"] = ""
            value = normalise_uscc(data.get("credit_code", ""))
            data["credit_code"] = value
            if value:
                try:
                    validate_uscc(value)
                except ValidationError as exc:
                    self.add_error("credit_code", exc)
            elif identify:
                self.add_error("credit_code", _("Enter the unified social credit code of a legal person."))
        if role != PartyRole.LAWYER:
            data["law_firm"] = ""
        return data

    def party_input(self) -> PartyInput:
        d = self.cleaned_data
        return PartyInput(
            role=d["role"],
            kind=d["kind"],
            name=d["name"].strip(),
            id_number=d["id_number"],
            credit_code=d["credit_code"],
            legal_representative=d["legal_representative"],
            phone=d["phone"],
            address=d["address"],
            law_firm=d["law_firm"],
        )


class BasePartyFormSet(forms.BaseFormSet):
    # Django's own words speak of "forms" ("请至少提交 1 个表单"): a clerk adds parties.
    default_error_messages = {
        **forms.BaseFormSet.default_error_messages,
        "too_few_forms": _("Add at least one party."),
        "too_many_forms": _("A case can have at most 50 parties."),
    }

    def clean(self):
        if any(self.errors):
            return
        roles = [f.cleaned_data.get("role") for f in self.filled_forms()]
        if PartyRole.APPLICANT not in roles:
            raise ValidationError(_("Name at least one applicant."), code="no_applicant")

    def filled_forms(self) -> list[PartyForm]:
        return [f for f in self.forms if f.is_valid() and f.has_changed() and f.cleaned_data]


# formset_factory returns a subclass of ``formset``; the stub says BaseFormSet.
PartyFormSet: type[BasePartyFormSet] = forms.formset_factory(  # type: ignore[assignment]
    PartyForm, formset=BasePartyFormSet, extra=0, min_num=1, validate_min=True, max_num=50, validate_max=True
)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("At most 20 MB; PDF, images, Word, Excel, OFD or text."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{ext}" for ext in ALLOWED_UPLOAD_EXTENSIONS)}
        ),
    )
    description = forms.CharField(label=_("Description"), max_length=255, required=False)


class SeriesCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Series name"), max_length=128, help_text=_("E.g. 土门镇13户征地补偿系列案.")
    )
    member_ids = forms.TypedMultipleChoiceField(
        label=_("Member cases"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["member_ids"]).choices = [
            (d.pk, f"{d.number} · {d.applicant_names}") for d in candidates
        ]


class SeriesApplyForm(forms.Form):
    member_ids = forms.TypedMultipleChoiceField(
        label=_("Apply the lead case's agreement to"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["member_ids"]).choices = [
            (d.pk, f"{d.number} · {d.applicant_names}") for d in members
        ]
