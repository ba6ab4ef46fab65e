"""Times read as times on the case page: 2026年11月1日 10:00 (Beijing time), never the ISO text the
timeline's data keeps; in English, an ordinary English date."""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine

from disputes.choices import CaseKind, Source
from tests.disputes.factories import County
from tests.disputes.test_lifecycle import act

pytestmark = pytest.mark.django_db

ISO = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime(2026, 10, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


def _text(html: str, start: str, end: str) -> str:
    """The visible text of the page from the element marked ``start`` to ``end``, tags dropped."""
    part = html[html.index(start) :]
    part = part[: part.index(end)]
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", part)))


@pytest.fixture
def hearing_case():
    c = County()
    d = c.register(kind=CaseKind.RECONSIDERATION, source=Source.RECONSIDERATION)
    d = act(d, "accept", c.clerk, accepted_on="2026-10-09")
    # 10:00 in Beijing, sent as UTC by a client: shown in the centre's time.
    d = act(d, "schedule_hearing", c.clerk, hearing_at="2026-11-01T02:00:00+00:00", hearing_place="复议室")
    return c, d


def test_timeline_and_stage_records_show_chinese_dates_and_local_times(client, hearing_case):
    c, d = hearing_case
    assert d.events.get(action="schedule_hearing").data["hearing_at"].startswith("2026-11-01T")  # ISO kept
    client.force_login(c.clerk)
    html = client.get(d.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    timeline = _text(html, 'data-testid="timeline"', "</ol>")
    assert "听证时间：2026年11月1日 10:00" in timeline
    assert "受理日期：2026年10月9日" in timeline
    assert "2026-11-01T10:00:00+08:00" not in html
    assert not ISO.search(timeline), ISO.search(timeline)

    stages = _text(html, 'data-testid="stages"', 'id="timeline"')
    assert "2026年11月1日 10:00" in stages and "2026年10月9日" in stages
    assert not ISO.search(stages), stages


def test_in_english_the_dates_are_english(client, hearing_case):
    c, d = hearing_case
    client.force_login(c.clerk)
    client.cookies["django_language"] = "en"
    html = client.get(d.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    timeline = _text(html, 'data-testid="timeline"', "</ol>")
    assert "Hearing at: Nov. 1, 2026, 10 a.m." in timeline
    assert "Accepted on: Oct. 9, 2026" in timeline
    assert "2026-11-01T10:00:00+08:00" not in html
    assert "2026年" not in timeline and "：" not in timeline
