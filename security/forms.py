from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import normalise_username

from .models import AuditAction, AuditResult


class AuditFilterForm(forms.Form):
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    user = forms.CharField(label=_("User name"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", "—"), *AuditAction.choices])
    result = forms.ChoiceField(label=_("Result"), required=False, choices=[("", "—"), *AuditResult.choices])
    ip = forms.GenericIPAddressField(label=_("IP address"), required=False)
    object_type = forms.CharField(label=_("Object type"), required=False, max_length=64)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)

    def clean_user(self) -> str:
        return normalise_username(self.cleaned_data["user"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


class UnlockForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150)

    def clean_username(self) -> str:
        return normalise_username(self.cleaned_data["username"])
