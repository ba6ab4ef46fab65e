"""How the documents app reaches a document's subject (a case) without importing its app.

The app that owns a subject model registers, in its AppConfig.ready():
  - ``resolve(user, pk)``: the subject if the user may see it, else Http404 (the same scoping as the
    subject's own pages: a document is visible exactly when its case is);
  - ``context(subject, doc_type)``: the case facts printed in a document (number, parties, …);
  - ``initial(subject, doc_type)``: the pre-filled editable fields of a new draft;
  - ``issuer(subject, doc_type)``: the organisation that issues that document about the subject —
    the body that acts (a hearing notice comes from the body that holds the hearing);
  - ``url(subject)``: where to send the user back to;
  - ``fitting_types(subject)``: the document types that fit the subject's present stage, most
    likely first (offered first; the others behind "more").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model


@dataclass(frozen=True)
class SubjectAdapter:
    # The callables take the registering app's own model (hence Any, not Model).
    resolve: Callable[[Any, int], Model]
    context: Callable[[Any, str], dict]
    initial: Callable[[Any, str], dict]
    issuer: Callable[[Any, str], Any]
    url: Callable[[Any], str]
    fitting_types: Callable[[Any], list[str]] = lambda subject: []


_adapters: dict[str, SubjectAdapter] = {}


def register_subject(model: type[Model], adapter: SubjectAdapter) -> None:
    _adapters[model._meta.label_lower] = adapter


def adapter_for(model_or_label) -> SubjectAdapter:
    label = model_or_label if isinstance(model_or_label, str) else model_or_label._meta.label_lower
    try:
        return _adapters[label]
    except KeyError:
        raise LookupError(f"No document subject registered for {label}.") from None
