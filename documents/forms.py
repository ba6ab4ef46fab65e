"""The forms of the document pages: a draft's editable text, built from its type's field list."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .types import DRAFTABLE, SPECS, DocumentType

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]


class DraftTextField(forms.CharField):
    """An editable part of a document. ``marked_required``: shown with an asterisk whatever the button
    (``required`` itself holds only when issuing)."""

    marked_required: bool = False


class DraftForm(forms.Form):
    """The editable fields of a draft (``types.SPECS[doc_type].fields``).

    Saving keeps whatever was typed, blanks included, so a clerk can come back to a draft; issuing
    (``for_issue=True``) also requires the fields the type marks required.
    """

    use_required_attribute = False  # "Save" must work on an unfinished draft: no browser checks

    def __init__(self, *args, doc_type: str, for_issue: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for spec in SPECS[doc_type].fields:
            required = for_issue and spec.required
            field: forms.Field
            if spec.kind == "date":
                # A real date (the browser's date picker; typed forms accepted too), stored as
                # 2026-11-01 and printed as 2026年11月1日.
                field = forms.DateField(
                    label=spec.label,
                    required=required,
                    input_formats=DATE_INPUT_FORMATS,
                    widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                    error_messages={"invalid": _("Enter a valid date, e.g. 2026-11-01.")},
                )
            else:
                widget = (
                    forms.Textarea(attrs={"rows": 8 if spec.name == "body" else 4})
                    if spec.multiline
                    else forms.TextInput()
                )
                field = forms.CharField(label=spec.label, required=required, strip=True, widget=widget)
            field.marked_required = spec.required  # type: ignore[union-attr] # shown with an asterisk whatever the button
            self.fields[spec.name] = field


class NewDocumentForm(forms.Form):
    """The type of a new document, chosen on the case page."""

    doc_type = forms.ChoiceField(
        label=_("Document type"), choices=[(v, DocumentType(v).label) for v in DRAFTABLE]
    )

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices is not None:
            cast(forms.ChoiceField, self.fields["doc_type"]).choices = choices
