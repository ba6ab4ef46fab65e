from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from core.models import User


class PreferenceForm(forms.Form):
    """The channels besides the inbox. A channel needs an address on the user's account."""

    email = forms.BooleanField(label=_("By e-mail"), required=False)
    sms = forms.BooleanField(label=_("By text message"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["email"].help_text = (
            _("To %(address)s.") % {"address": user.email}
            if user.email
            else _("Your account has no e-mail address: ask the administrator to add it.")
        )
        self.fields["sms"].help_text = (
            _("To %(number)s.") % {"number": user.phone}
            if user.phone
            else _("Your account has no mobile number: ask the administrator to add it.")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("email") and not self.user.email:
            self.add_error("email", _("There is no e-mail address to send to."))
        if data.get("sms") and not self.user.phone:
            self.add_error("sms", _("There is no mobile number to send to."))
        return data
