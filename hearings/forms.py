"""The hearing page's form: the case's own hearing step (``disputes``' form for ``schedule_hearing``,
which checks the time against the case's earlier events) and what only the hearing records."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.widgets import DateInput
from disputes.actions.forms import HearingForm, not_future


class NoticeForm(forms.Form):
    notice_served_on = forms.DateField(
        label=_("Notice served on"),
        required=False,
        widget=DateInput,
        validators=[not_future],
        help_text=_(
            "At least 5 working days before the hearing (Administrative Reconsideration Law, Art. 51)."
        ),
    )


class ScheduleHearingForm(HearingForm, NoticeForm):
    """Everything the page asks, in one form; the services validate the two parts again."""
