"""Judicial confirmation (司法确认): the court confirms the agreement, or refuses it (不予确认, 驳回申请)
with its reasons, and the case goes back to the centre's resolution or to failed, as the clerk records.
Also: the court clerk's home page counts the agreements awaiting confirmation."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from core.home import panels_for
from disputes import selectors
from disputes.choices import ClosingReason, ConfirmationResult, Status
from tests.disputes.factories import County
from tests.disputes.test_action_dates import agreed, confirmation_requested
from tests.disputes.test_lifecycle import act, assert_event, writes_nothing

pytestmark = pytest.mark.django_db

S = Status
RULING = {"confirmed_on": "2026-04-01", "confirmation_number": "(2026)鄂0322民特1号"}
REASONS = "协议约定的补偿标准违反法律强制性规定"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime(2026, 6, 30, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


@pytest.fixture
def c():
    return County()


def test_confirmed_closes_the_case_and_calls_for_the_confirmation_document(c):
    d = confirmation_requested(c)
    d = act(d, "confirm", c.court_clerk, result=ConfirmationResult.CONFIRMED, **RULING)
    assert (d.status, d.closing_reason) == (S.CLOSED, ClosingReason.CONFIRMED)
    event = assert_event(d, "confirm", c.court_clerk, S.CONFIRMATION_REQUESTED, S.CLOSED)
    assert event.document == "confirmation"
    r = d.current_resolution
    assert (r.confirmation_result, r.confirmed_on, r.confirmation_refusal_reasons) == (
        ConfirmationResult.CONFIRMED,
        date(2026, 4, 1),
        "",
    )


def test_not_confirmed_goes_back_to_resolution_with_the_courts_reasons(c):
    d = confirmation_requested(c)
    d = act(
        d,
        "confirm",
        c.court_clerk,
        result=ConfirmationResult.NOT_CONFIRMED,
        court_reasons=REASONS,
        after_refusal="mediating",
        **RULING,
    )
    assert d.status == S.MEDIATING and not d.closing_reason and d.closed_at is None
    event = assert_event(d, "confirm", c.court_clerk, S.CONFIRMATION_REQUESTED, S.MEDIATING)
    assert event.document == ""  # no 化解确认书 for an agreement the court did not confirm
    assert (event.data["result"], event.data["court_reasons"]) == (ConfirmationResult.NOT_CONFIRMED, REASONS)
    r = d.current_resolution
    assert (r.confirmation_result, r.confirmation_refusal_reasons, r.confirmation_number) == (
        ConfirmationResult.NOT_CONFIRMED,
        REASONS,
        "(2026)鄂0322民特1号",
    )
    assert d.resolutions.count() == 1  # the same attempt continues

    # The centre continues: a new session, a new agreement, a new application (the old ruling is
    # cleared from the row; the timeline and the row's history keep it).
    d = act(d, "record_session", c.mediator, held_on="2026-04-10", summary="按法院意见重新协商")
    d = act(d, "reach_agreement", c.mediator, agreement_terms="补偿18万元", signed_on="2026-04-15")
    d = act(d, "request_confirmation", c.clerk, court=c.court.pk, requested_on="2026-04-16")
    r = d.current_resolution
    assert (r.confirmation_result, r.confirmed_on, r.confirmation_refusal_reasons) == ("", None, "")
    assert r.history.filter(confirmation_result=ConfirmationResult.NOT_CONFIRMED).exists()
    d = act(d, "confirm", c.court_clerk, confirmed_on="2026-04-20", confirmation_number="(2026)鄂0322民特9号")
    assert (d.status, d.closing_reason) == (S.CLOSED, ClosingReason.CONFIRMED)


def test_dismissed_goes_to_failed_and_the_case_can_be_transferred(c):
    d = confirmation_requested(c)
    d = act(
        d,
        "confirm",
        c.court_clerk,
        result=ConfirmationResult.DISMISSED,
        court_reasons=REASONS,
        after_refusal="failed",
        **RULING,
    )
    assert d.status == S.FAILED
    assert_event(d, "confirm", c.court_clerk, S.CONFIRMATION_REQUESTED, S.FAILED)
    r = d.current_resolution
    assert (r.confirmation_result, r.failure_reason) == (ConfirmationResult.DISMISSED, REASONS)
    # The transfer cannot be dated before the court's ruling.
    with writes_nothing(), pytest.raises(ValidationError) as info:
        act(d, "transfer", c.clerk, target="litigation", transfer_to=c.court.pk, transferred_on="2026-03-31")
    assert "司法确认裁定日期（2026年4月1日）" in info.value.message_dict["transferred_on"][0]
    d = act(d, "transfer", c.clerk, target="litigation", transfer_to=c.court.pk, transferred_on="2026-04-01")
    assert d.status == S.TRANSFERRED


@pytest.mark.parametrize("result", [ConfirmationResult.NOT_CONFIRMED, ConfirmationResult.DISMISSED])
def test_a_refusal_needs_the_courts_reasons_and_where_the_case_goes(c, result):
    d = confirmation_requested(c)
    with writes_nothing(), pytest.raises(ValidationError) as info:
        act(d, "confirm", c.court_clerk, result=result, after_refusal="mediating", **RULING)
    assert set(info.value.message_dict) == {"court_reasons"}
    with writes_nothing(), pytest.raises(ValidationError) as info:
        act(d, "confirm", c.court_clerk, result=result, court_reasons=REASONS, **RULING)
    assert set(info.value.message_dict) == {"after_refusal"}
    with writes_nothing(), pytest.raises(ValidationError) as info:
        act(
            d,
            "confirm",
            c.court_clerk,
            result="maybe",
            court_reasons=REASONS,
            after_refusal="failed",
            **RULING,
        )
    assert set(info.value.message_dict) == {"result"}


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.mark.parametrize(
    "result, after, status",
    [
        (ConfirmationResult.CONFIRMED, "", S.CLOSED),
        (ConfirmationResult.NOT_CONFIRMED, "mediating", S.MEDIATING),
        (ConfirmationResult.DISMISSED, "failed", S.FAILED),
    ],
)
def test_each_ruling_through_the_api(c, result, after, status):
    d = confirmation_requested(c)
    url = f"/api/disputes/{d.pk}/transitions/confirm/"
    body = {"expected_status": S.CONFIRMATION_REQUESTED, "result": result, **RULING}
    client = _api(c.court_clerk)
    if result != ConfirmationResult.CONFIRMED:
        with writes_nothing():
            refused = client.post(
                url, {**body, "after_refusal": after}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
            )
        assert refused.status_code == 400 and "court_reasons" in refused.json()
        body.update(court_reasons=REASONS, after_refusal=after)
    response = client.post(url, body, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == status


def test_the_ruling_form_offers_the_three_rulings_and_the_stage_card_shows_a_refusal(c, client):
    d = confirmation_requested(c)
    client.force_login(c.court_clerk)
    page = client.get(reverse("disputes:action", args=[d.pk, "confirm"])).content.decode()
    for label in ("确认有效", "不予确认", "驳回申请", "继续化解", "化解不成"):
        assert label in page, label
    response = client.post(
        reverse("disputes:action", args=[d.pk, "confirm"]),
        {
            "expected_status": S.CONFIRMATION_REQUESTED,
            "result": ConfirmationResult.NOT_CONFIRMED,
            "court_reasons": REASONS,
            "after_refusal": "mediating",
            **RULING,
        },
    )
    assert response.status_code == 302
    d.refresh_from_db()
    assert d.status == S.MEDIATING
    case_page = client.get(d.get_absolute_url()).content.decode()
    stages = case_page[case_page.index('data-testid="stages"') :]
    assert "不予确认" in stages and REASONS in stages and "2026年4月1日" in stages


# --- the court clerk's home page -----------------------------------------------------------------------


def test_court_clerk_home_counts_agreements_awaiting_confirmation_in_three_queries(c, client):
    waiting = confirmation_requested(c)
    agreed(c)  # agreed, not yet before the court: not counted
    selectors.home_counts(user=c.court_clerk)  # warm the user's roles and the calendar
    with CaptureQueriesContext(connection) as ctx:
        counts = selectors.home_counts(user=c.court_clerk)
    assert len(ctx.captured_queries) == 3
    assert counts["awaiting_confirmation"] == 1

    items = {str(i.label): i for p in panels_for(c.court_clerk) for i in p.items}
    item = items["待司法确认"]
    assert item.count == 1
    client.force_login(c.court_clerk)
    listing = client.get(item.url).content.decode()
    assert waiting.number in listing
    assert len(re.findall(r'data-testid="case-row"', listing)) == 1
    home = client.get(reverse("home")).content.decode()
    assert "待司法确认" in home and item.url.replace("&", "&amp;") in home
