"""A person's deadlines as an iCalendar feed (RFC 5545) for their own calendar app, at a private
address (``CalendarFeed``): one all-day event on each running clock's last day, titled with the case
and the rule, linking back to the case; and the timed events the apps above put on calendars
(``register_events``: a hearing in the feeds of those who attend it, and on the month calendar of
those who see its case). Written by hand: a few fixed properties, escaped and folded as the RFC says."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from .models import CalendarFeed, Deadline
from .subjects import shown

if TYPE_CHECKING:
    from core.models import User

FEED_LIMIT = 500  # running clocks in one feed: a person answers for far fewer


@dataclass(frozen=True)
class Event:
    """A timed event an app above puts on calendars (a hearing): when, for how long, what, where."""

    uid: str
    starts_at: datetime
    duration: timedelta
    title: str
    place: str = ""
    url: str = ""
    updated_at: datetime | None = None


# An app's events for a person: (user, first day, last day, mine) -> events. ``mine``: only those the
# person attends (the feed, "mine" on the month calendar); otherwise all within their reach.
EventSource = Callable[["User", date, date, bool], list[Event]]
_sources: list[EventSource] = []


def register_events(source: EventSource) -> None:
    if source not in _sources:
        _sources.append(source)


def events_for(user: User, first: date, last: date, *, mine: bool) -> list[Event]:
    """Every registered app's events for ``user`` between ``first`` and ``last``, in time order."""
    events = [event for source in _sources for event in source(user, first, last, mine)]
    return sorted(events, key=lambda e: (e.starts_at, e.uid))


def feed_for(*, user: User, renew: bool = False) -> CalendarFeed:
    """``user``'s feed address, made on first use; ``renew`` replaces its token (the old one stops)."""
    feed, created = CalendarFeed.objects.get_or_create(
        user=user, defaults={"token": secrets.token_urlsafe(32)}
    )
    if renew and not created:
        feed.token = secrets.token_urlsafe(32)
        feed.created_at = timezone.now()
        feed.save(update_fields=["token", "created_at"])
    return feed


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1), never
    splitting a UTF-8 character."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode()) > 75:
            out.append(current)
            current = " " + char
        else:
            current += char
    out.append(current)
    return "\r\n".join(out)


def ics(deadlines: Iterable[Deadline], *, base_url: str, name: str, events: Iterable[Event] = ()) -> str:
    stamp = timezone.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Huajie//Deadlines//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    for deadline in deadlines:
        label, url = shown(deadline)
        summary = f"{label} {deadline.rule.label}届满".strip()
        description = f"{deadline.rule.law}{deadline.rule.article}".strip()
        lines += [
            "BEGIN:VEVENT",
            f"UID:deadline-{deadline.pk}@huajie",
            f"DTSTAMP:{_utc(stamp)}",
            f"LAST-MODIFIED:{_utc(deadline.updated_at)}",
            f"DTSTART;VALUE=DATE:{deadline.due_on:%Y%m%d}",
            f"DTEND;VALUE=DATE:{deadline.due_on + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(summary)}",
            *([f"DESCRIPTION:{_escape(description)}"] if description else []),
            *([f"URL:{base_url}{url}"] if url else []),
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}@huajie",
            f"DTSTAMP:{_utc(stamp)}",
            *([f"LAST-MODIFIED:{_utc(event.updated_at)}"] if event.updated_at else []),
            f"DTSTART:{_utc(event.starts_at)}",
            f"DTEND:{_utc(event.starts_at + event.duration)}",
            f"SUMMARY:{_escape(event.title)}",
            *([f"LOCATION:{_escape(event.place)}"] if event.place else []),
            *([f"URL:{base_url}{event.url}"] if event.url else []),
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


def _utc(moment: datetime) -> str:
    return moment.astimezone(timezone.get_fixed_timezone(0)).strftime("%Y%m%dT%H%M%SZ")
