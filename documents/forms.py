"""The forms of the document pages: a draft's editable text, built from its type's field list."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from .types import SPECS, DocumentType


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
            widget = (
                forms.Textarea(attrs={"rows": 8 if spec.name == "body" else 4})
                if spec.multiline
                else forms.TextInput()
            )
            field = DraftTextField(
                label=spec.label, required=for_issue and spec.required, strip=True, widget=widget
            )
            field.marked_required = spec.required  # shown with an asterisk whatever the button
            self.fields[spec.name] = field


class NewDocumentForm(forms.Form):
    """The type of a new document, chosen on the case page."""

    doc_type = forms.ChoiceField(label=_("Document type"), choices=DocumentType.choices)

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices is not None:
            cast(forms.ChoiceField, self.fields["doc_type"]).choices = choices
