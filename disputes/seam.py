"""The seam through which the apps above ``disputes`` (hearings, legal aid, follow-ups) plug into a case
without ``disputes`` importing them. Each app fills these registries in its ``AppConfig.ready()``, as
it does for home-page panels, navigation and document subjects. See docs/seam.md.

* **Transition handlers** run inside ``services.dispute_transition``'s transaction, after the
  transition is applied and its timeline entry written (and after ``dispute_register``'s entry event,
  action ``"register"``). A handler that raises ``ValidationError`` or ``TransitionRefused`` refuses the
  whole action: everything is rolled back and the user is shown its message. Handlers run in
  registration order (the order of ``INSTALLED_APPS``, then of the calls).
* **Case actions** are links on the case page's action bar (and in the API's ``app_actions``) to a
  page of the app that owns them. An action that ``performs`` a lifecycle transition is offered exactly
  when the state machine allows that transition to the user, and ``dispute_transition`` then refuses
  that transition to everyone but its app (which calls it with ``by_app``): the details the app records
  with it cannot be skipped.
* **Case panels** are cards of the app's own template on the case page.

The state machine stays here: an app moves the case only through ``services.dispute_transition``.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from django.urls import reverse

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from core.models import User

    from .models import Dispute, DisputeEvent


# --- transition handlers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TransitionContext:
    """What a handler is told about the action just taken. ``dispute`` is the locked, saved case row
    (read it; change it only through disputes' services). ``data`` is the action's cleaned input."""

    dispute: Dispute
    action: str  # a lifecycle action's name, or "register"
    from_status: str  # "" for "register"
    to_status: str
    actor: User
    data: Mapping[str, Any]
    event: DisputeEvent  # the timeline entry the action wrote


TransitionHandler = Callable[[TransitionContext], None]


@dataclass(frozen=True)
class _Registration:
    handler: TransitionHandler
    actions: frozenset[str] | None
    statuses_to: frozenset[str] | None


_handlers: list[_Registration] = []


def register_transition_handler(
    handler: TransitionHandler,
    *,
    actions: Collection[str] | None = None,
    statuses_to: Collection[str] | None = None,
) -> None:
    """Run ``handler`` after every action named in ``actions`` (None: every action, "register"
    included) that leaves the case in one of ``statuses_to`` (None: any status). Registering the same
    handler twice with the same filters is a no-op (``ready()`` may run more than once in tests)."""
    registration = _Registration(
        handler,
        frozenset(actions) if actions is not None else None,
        frozenset(statuses_to) if statuses_to is not None else None,
    )
    if registration not in _handlers:
        _handlers.append(registration)


def unregister_transition_handler(handler: TransitionHandler) -> None:
    """Remove ``handler`` (for tests that register their own)."""
    _handlers[:] = [r for r in _handlers if r.handler is not handler]


def run_transition_handlers(
    *,
    dispute: Dispute,
    action: str,
    from_status: str,
    actor: User,
    data: Mapping[str, Any],
    event: DisputeEvent,
) -> None:
    """Called by ``services`` inside the action's transaction; whatever a handler raises propagates."""
    context = TransitionContext(
        dispute=dispute,
        action=action,
        from_status=from_status,
        to_status=dispute.status,
        actor=actor,
        data=MappingProxyType(dict(data)),
        event=event,
    )
    for registration in list(_handlers):
        if registration.actions is not None and action not in registration.actions:
            continue
        if registration.statuses_to is not None and context.to_status not in registration.statuses_to:
            continue
        registration.handler(context)


# --- case actions ----------------------------------------------------------------------------------


Tone = Literal["normal", "primary", "danger"]


@dataclass(frozen=True)
class CaseAction:
    """A link on the case page to a page of another app.

    ``url_name`` (and ``api_url_name``, if the app offers the step in its API) are reversed with the
    case's primary key. Without ``performs``, the action is offered in ``statuses`` (empty: any) to users
    holding any of ``capabilities`` (empty: anyone who can see the case). With ``performs``, the
    lifecycle transition of that name decides: its sources, conditions and permission.
    """

    app: str  # the owning app's label, also what it passes as ``by_app``
    code: str  # unique among the app's actions
    label: StrOrPromise
    url_name: str
    api_url_name: str = ""
    performs: str = ""
    statuses: frozenset[str] = field(default_factory=frozenset)
    capabilities: tuple[str, ...] = ()
    tone: Tone = "normal"

    @property
    def name(self) -> str:
        return f"{self.app}.{self.code}"

    def url(self, dispute: Dispute) -> str:
        return reverse(self.url_name, args=[dispute.pk])

    def api_url(self, dispute: Dispute) -> str:
        return reverse(self.api_url_name, args=[dispute.pk]) if self.api_url_name else ""


_actions: dict[str, CaseAction] = {}


def register_case_action(action: CaseAction) -> None:
    performed = {a.performs: a for a in _actions.values() if a.performs and a.name != action.name}
    if action.performs and action.performs in performed:
        raise ValueError(f"{action.performs} is already performed by {performed[action.performs].name}.")
    _actions[action.name] = action


def unregister_case_action(name: str) -> None:
    _actions.pop(name, None)


def performing_action(lifecycle_action: str) -> CaseAction | None:
    """The app action that carries out ``lifecycle_action``, if an app has taken it over."""
    return next((a for a in _actions.values() if a.performs == lifecycle_action), None)


def app_actions() -> list[CaseAction]:
    """Every registered action, in registration order."""
    return list(_actions.values())


def performed_actions() -> set[str]:
    return {a.performs for a in _actions.values() if a.performs}


@dataclass(frozen=True)
class OfferedAction:
    """An action the case page shows: a lifecycle action (``app`` empty) or another app's."""

    name: str
    label: str
    tone: str
    url: str
    api_url: str = ""
    app: str = ""


def offer(action: CaseAction, dispute: Dispute) -> OfferedAction:
    """How the case page and the API show an app's action."""
    return OfferedAction(
        name=action.name,
        label=str(action.label),
        tone=action.tone,
        url=action.url(dispute),
        api_url=action.api_url(dispute),
        app=action.app,
    )


# --- case panels -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CasePanel:
    """A card on the case page: ``template`` rendered with what ``context(dispute, user)`` returns (None:
    no card). ``column`` is the main column (after the stage records) or the side column (first)."""

    name: str
    template: str
    context: Callable[[Any, Any], dict[str, Any] | None]
    column: Literal["main", "side"] = "main"
    order: int = 100


_panels: dict[str, CasePanel] = {}


def register_case_panel(panel: CasePanel) -> None:
    _panels[panel.name] = panel


@dataclass(frozen=True)
class RenderedPanel:
    template: str
    context: dict[str, Any]


def case_panels(dispute: Dispute, user: User) -> dict[str, list[RenderedPanel]]:
    """The panels to show on ``dispute``'s page for ``user``, by column."""
    columns: dict[str, list[RenderedPanel]] = {"main": [], "side": []}
    for panel in sorted(_panels.values(), key=lambda p: p.order):
        context = panel.context(dispute, user)
        if context is not None:
            columns[panel.column].append(RenderedPanel(panel.template, context))
    return columns


# --- timeline entries of the apps above ----------------------------------------------------------------

_event_labels: dict[str, Any] = {}


def register_event_label(action: str, label: Any) -> None:
    """Name a timeline entry an app writes with ``services.dispute_event_add`` (e.g. a head's answer)."""
    _event_labels[action] = label


def event_label(action: str) -> Any | None:
    return _event_labels.get(action)
