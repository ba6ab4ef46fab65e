"""The home page's "waiting for me" panels. Each app registers providers in its AppConfig.ready();
core renders whatever they return for the user, in order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from .models import User


@dataclass(frozen=True)
class PanelAction:
    """A button beside an item: a POST to ``url`` (one click: the page it posts to needs nothing more)
    or, with ``post=False``, a link to the page where it is done."""

    label: StrOrPromise
    url: str
    post: bool = False


@dataclass(frozen=True)
class PanelItem:
    label: StrOrPromise
    count: int | None = None
    url: str = ""
    tone: str = "normal"  # normal | warn | danger
    action: PanelAction | None = None


@dataclass(frozen=True)
class Panel:
    title: StrOrPromise
    items: list[PanelItem] = field(default_factory=list)
    empty_text: StrOrPromise = ""
    order: int = 100


Provider = Callable[["User"], "Panel | None"]
_providers: list[Provider] = []


def register_panel(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def panels_for(user: User) -> list[Panel]:
    panels = [p for p in (provider(user) for provider in _providers) if p is not None]
    return sorted(panels, key=lambda p: p.order)
