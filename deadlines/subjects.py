"""How the deadlines app names a deadline's subject (a case, a hearing …) without importing its app.

The app that owns a subject model registers it in its ``AppConfig.ready()``::

    from deadlines.subjects import SubjectAdapter, register_subject

    register_subject(Dispute, SubjectAdapter(label=lambda d: d.number, url=lambda d: d.get_absolute_url()))

``deadline_plan`` refuses a subject whose model is not registered, so every clock belongs to a model
that says how it is shown.

An app that keeps a summary of its subjects' clocks on its own rows (the case list reads a case's
earliest running last day from the case itself, ``Dispute.next_due_on``) passes ``clocks_changed``: the
deadline services call it, in their own transaction, with the ids of the subjects whose clocks changed
due date or status, once per service call (a calendar recompute: once per batch). Reach is not the adapter's business: a deadline carries its own region and
responsible organisation and is scoped by ``core.access`` like any record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model


def _no_url(subject: Any) -> str:
    return ""


@dataclass(frozen=True)
class SubjectAdapter:
    # The callables take the registering app's own model (hence Any, not Model).
    label: Callable[[Any], str] = str
    url: Callable[[Any], str] = _no_url
    clocks_changed: Callable[[list[int]], object] | None = None
    # Where the duty a clock waits for is done (the one-click report, the answer, the remedy): given the
    # subject and the rule's code (or "remedy"), a page address, or "" for the subject's own page.
    act: Callable[[Any, str], str] | None = None
    # The rules whose duty is done by posting to its ``act`` page with nothing more (a report, 报备 or
    # 反馈): the home page offers them as one button.
    one_click: frozenset[str] = frozenset()


_adapters: dict[str, SubjectAdapter] = {}


def register_subject(model: type[Model], adapter: SubjectAdapter | None = None) -> None:
    _adapters[model._meta.label_lower] = adapter or SubjectAdapter()


def unregister_subject(model: type[Model]) -> None:
    """For tests that register a stand-in subject."""
    _adapters.pop(model._meta.label_lower, None)


def adapter_for(model_or_label: type[Model] | Model | str) -> SubjectAdapter:
    label = model_or_label if isinstance(model_or_label, str) else model_or_label._meta.label_lower
    try:
        return _adapters[label]
    except KeyError:
        raise LookupError(f"No deadline subject registered for {label}.") from None


def clocks_changed(label: str, subject_ids: Iterable[int]) -> None:
    """Tell the app owning the subjects ``label`` (a model's ``label_lower``) that their clocks changed."""
    hook = adapter_for(label).clocks_changed
    ids = sorted(set(subject_ids))
    if hook is not None and ids:
        hook(ids)


def shown(deadline: Any, *, act: str = "") -> tuple[str, str]:
    """A deadline's subject as its app shows it: (label, url); empty when the subject is gone. With
    ``act`` (a rule's code, or "remedy"), the url is the page where that duty is done, when the subject's
    app has one. Read ``deadline.subject`` prefetched (``prefetch_related("subject")``) where many
    deadlines are shown."""
    return shown_subject(deadline.subject, act=act)


def shown_subject(subject: Any, *, act: str = "") -> tuple[str, str]:
    """``shown`` for a subject already in hand (a scan that loaded a batch's subjects itself)."""
    if subject is None:
        return "", ""
    adapter = adapter_for(subject._meta.label_lower)
    url = (adapter.act(subject, act) if act and adapter.act else "") or adapter.url(subject)
    return adapter.label(subject), url


def duty(deadline: Any) -> tuple[str, bool] | None:
    """Where the duty ``deadline`` waits for is done, and whether one click does it; ``None`` when its
    subject's app has no page for it."""
    subject = deadline.subject
    if subject is None:
        return None
    kind = deadline.subject_type
    adapter = adapter_for(f"{kind.app_label}.{kind.model}")
    code = deadline.rule.code
    url = adapter.act(subject, code) if adapter.act else ""
    return (url, code in adapter.one_click) if url else None
