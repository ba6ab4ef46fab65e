"""Registering a dispute: the intake form with its parties, the duplicate warning, and the
field-by-field refusals of the service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.decorators import capability_required
from core.http import AuthenticatedHttpRequest
from core.roles import Capability

from . import selectors, services
from .forms import (
    DisputeRegisterForm,
    PartyFormSet,
    centre_for,
)
from .models import Dispute

# --- registration ---------------------------------------------------------------------------------


@capability_required(Capability.REGISTER_DISPUTE)
@require_http_methods(["GET", "POST"])
def dispute_register_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    centre = centre_for(user)
    duplicates: list[Dispute] = []
    if request.method == "POST":
        form = DisputeRegisterForm(request.POST, user=user)
        formset = PartyFormSet(request.POST, prefix="parties")
        form_ok, formset_ok = form.is_valid(), formset.is_valid()
        if centre is None:
            form.add_error(
                None, _("There is no resolution centre or justice bureau in your region to register at.")
            )
        elif form_ok and formset_ok:
            filled = formset.filled_forms()
            parties = [f.party_input() for f in filled]
            duplicates = selectors.dispute_possible_duplicates(
                user=user,
                respondent=form.cleaned_data["respondent"],
                act_date=form.cleaned_data["act_date"],
                parties=parties,
            )
            if duplicates and not form.cleaned_data.get("confirm_duplicate"):
                pass  # show the warning; the clerk ticks "register anyway" to go on
            else:
                try:
                    dispute = services.dispute_register(
                        actor=user, centre=centre, data=form.service_data(), parties=parties
                    )
                except ValidationError as exc:
                    _register_errors(form, formset, filled, exc)
                else:
                    messages.success(
                        request, _("Registered, case number: %(number)s") % {"number": dispute.number}
                    )
                    return redirect(dispute)
    else:
        form = DisputeRegisterForm(user=user)
        formset = PartyFormSet(prefix="parties")
    return render(
        request,
        "disputes/register.html",
        {
            "form": form,
            "formset": formset,
            "centre": centre,
            "duplicates": duplicates,
            "error_summary": _error_summary(form, formset) if form.is_bound else [],
            "nav_current": "disputes-new",
        },
    )


def _register_errors(form, formset, filled, exc: ValidationError) -> None:
    """Put the service's refusal next to the field it names."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for key, errors in exc.message_dict.items():
        if key == "parties":
            formset.non_form_errors().extend(errors)
        elif key.startswith("parties."):
            _, index, name = (key.split(".", 2) + ["", ""])[:3]
            party_form = filled[int(index)] if index.isdigit() and int(index) < len(filled) else None
            if party_form is not None:
                for message in errors:
                    party_form.add_error(name if name in party_form.fields else None, message)
            else:
                formset.non_form_errors().extend(errors)
        else:
            for message in errors:
                form.add_error(key if key in form.fields else None, message)


def _error_summary(form, formset) -> list[tuple[str, str]]:
    """Every error with the field it is about, for the box at the top of a long form."""
    items: list[tuple[str, str]] = []
    for name, errors in form.errors.items():
        label = str(form.fields[name].label) if name in form.fields else ""
        items.extend((label, str(e)) for e in errors)
    for e in formset.non_form_errors():
        items.append((_("Parties"), str(e)))
    for number, party_form in enumerate(formset.forms, start=1):
        for name, errors in party_form.errors.items():
            where = _("Party %(number)s") % {"number": number}
            if name in party_form.fields:
                where = f"{where} · {party_form.fields[name].label}"
            items.extend((where, str(e)) for e in errors)
    return items
