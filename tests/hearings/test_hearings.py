"""The hearing step, owned by the hearings app and plugged into the case through disputes' seam: from
the case page's action to its page and back, through the API, and closed by the case's later actions
(the app's transition handler)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext, override
from rest_framework.test import APIClient

from core.roles import Role
from deadlines.models import Deadline
from disputes.choices import Status
from disputes.models import Dispute, DisputeEvent
from hearings.models import Hearing
from tests.disputes.factories import County
from tests.disputes.test_lifecycle import act, recon_accepted
from tests.factories import OrganisationFactory, county, user_with_role

pytestmark = pytest.mark.django_db

HEARING = {"hearing_at": "2026-03-20T09:30", "hearing_place": "复议听证室", "notice_served_on": "2026-03-12"}


@pytest.fixture
def c() -> County:
    return County()


@pytest.fixture
def replied(c) -> Dispute:
    return act(recon_accepted(c), "record_reply", c.liaison, reply_received_on="2026-03-10")


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def api_for(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def text(response, testid: str, end: str) -> str:
    """The visible text of the part of the page marked ``testid``, up to ``end``, tags dropped."""
    html = response.content.decode()
    start = html.index(f'data-testid="{testid}"')
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html[start : html.index(end, start)]))


def test_the_hearing_is_scheduled_from_the_case_page_and_shown_there(c, replied):
    client = client_for(c.clerk)
    case_page = client.get(replied.get_absolute_url())
    schedule_url = reverse("hearings:schedule", args=[replied.pk])
    html = case_page.content.decode()
    bar = html[html.index('data-testid="actions"') :]
    assert f'href="{schedule_url}" data-action="hearings.schedule">安排听证</a>' in bar[: bar.index("</nav>")]

    form = client.get(schedule_url)
    assert form.status_code == 200
    html = form.content.decode()
    for field in ("hearing_at", "hearing_place", "notice_served_on", "reason"):
        assert f'name="{field}"' in html
    key = html.split('name="request_key" value="')[1].split('"')[0]

    post = {**HEARING, "expected_status": Status.RECON_REPLIED, "request_key": key}
    response = client.post(schedule_url, post)
    assert response.status_code == 302 and response["Location"] == replied.get_absolute_url()
    d = Dispute.objects.get(pk=replied.pk)
    assert d.status == Status.RECON_HEARING
    hearing = Hearing.objects.get(dispute=d)
    assert (hearing.status, hearing.place, hearing.notice_served_on, hearing.created_by) == (
        Hearing.Status.SCHEDULED,
        "复议听证室",
        date(2026, 3, 12),
        c.clerk,
    )
    assert timezone.localtime(hearing.scheduled_at).strftime("%Y-%m-%d %H:%M") == "2026-03-20 09:30"
    # The notice period (5 working days before 03-20: served by 03-13) is met by the service on 03-12.
    notice = Deadline.objects.get(subject_id=d.pk, rule__code="hearing_notice")
    assert (notice.status, notice.due_on, notice.met_on, notice.met_in_time) == (
        "met",
        date(2026, 3, 13),
        date(2026, 3, 12),
        True,
    )
    event = hearing.scheduled_by_event
    assert (event.action, event.from_status, event.to_status, event.actor) == (
        "schedule_hearing",
        Status.RECON_REPLIED,
        Status.RECON_HEARING,
        c.clerk,
    )

    # The same submission again (a double click) is carried out once.
    assert client.post(schedule_url, post).status_code == 302
    assert Hearing.objects.filter(dispute=d).count() == 1
    assert d.events.filter(action="schedule_hearing").count() == 1

    # The case page: the status, the stage record, the hearings card and the timeline entry.
    page = client.get(d.get_absolute_url())
    assert "已安排听证" in text(page, "case-status", "</span>")
    card = text(page, "hearings", "</section>")
    assert "2026年3月20日 09:30" in card and "复议听证室" in card and "已安排" in card
    assert "听证通知送达日期 2026年3月12日" in card
    timeline = text(page, "timeline", "</ol>")
    assert "安排听证" in timeline and "听证时间：2026年3月20日 09:30" in timeline


def test_the_page_refuses_wrong_input_and_users_who_may_not(c, replied):
    client = client_for(c.clerk)
    url = reverse("hearings:schedule", args=[replied.pk])
    late_notice = {**HEARING, "notice_served_on": "2026-03-21", "expected_status": Status.RECON_REPLIED}
    response = client.post(url, late_notice)
    assert response.status_code == 200
    assert "听证通知的送达日期不得晚于听证日期。" in response.content.decode()
    response = client.post(url, {"hearing_place": "复议听证室", "expected_status": Status.RECON_REPLIED})
    assert response.status_code == 200 and "此项为必填项。" in response.content.decode()
    # Nothing was written by either: the case's status, its timeline, the hearings.
    assert Dispute.objects.get(pk=replied.pk).status == Status.RECON_REPLIED
    assert not DisputeEvent.objects.filter(dispute=replied, action="schedule_hearing").exists()
    assert not Hearing.objects.exists()

    # The agency's liaison sees the case, but may not schedule; a clerk elsewhere does not see it.
    assert client_for(c.liaison).get(url).status_code == 403
    assert client_for(c.liaison).post(url, {**HEARING}).status_code in (302, 403)
    assert not Hearing.objects.exists()
    elsewhere = user_with_role(
        Role.CENTRE_CLERK, organisation=OrganisationFactory(kind="centre", region=county("竹山县", "420323"))
    )
    assert client_for(elsewhere).get(url).status_code == 404

    # A resolution case never holds a hearing: not offered, and the page says why.
    resolution = act(c.register(applicant="李四"), "accept", c.clerk, accepted_on="2026-03-03")
    assert "hearings.schedule" not in client_for(c.clerk).get(resolution.get_absolute_url()).content.decode()
    refused = client.get(reverse("hearings:schedule", args=[resolution.pk]), follow=True)
    with override("zh-hans"):
        why = gettext("“%(action)s” is not possible while the case is “%(status)s”.") % {
            "action": "安排听证",
            "status": resolution.get_status_display(),
        }
    assert escape(why) in refused.content.decode()
    assert not Hearing.objects.exists()


def test_rescheduling_cancels_the_hearing_it_replaces(c, replied):
    act(replied, "schedule_hearing", c.clerk, **HEARING)
    d = act(replied, "schedule_hearing", c.clerk, hearing_at="2026-03-27T14:00", hearing_place="第二听证室")
    assert d.status == Status.RECON_HEARING
    first, second = Hearing.objects.filter(dispute=d).order_by("pk")
    assert (first.status, first.closed_reason) == (Hearing.Status.CANCELLED, "已重新安排")
    assert (second.status, second.place) == (Hearing.Status.SCHEDULED, "第二听证室")
    assert d.current_reconsideration.hearing_place == "第二听证室"  # the case's record follows


def test_the_handler_marks_the_hearing_held_when_the_decision_is_recorded(c, replied):
    d = act(replied, "schedule_hearing", c.clerk, **HEARING)
    # A suspension leaves it on the books; the case comes back to "hearing scheduled".
    d = act(d, "suspend", c.clerk, suspended_on="2026-03-16", reason="双方申请和解")
    assert Hearing.objects.get(dispute=d).status == Hearing.Status.SCHEDULED
    d = act(d, "resume", c.clerk, resumed_on="2026-03-18")
    d = act(
        d,
        "decide",
        c.clerk,
        decision_type="uphold",
        decided_on="2026-03-25",
        decision_number="郧西政复决字〔2026〕2号",
    )
    hearing = Hearing.objects.get(dispute=d)
    assert hearing.status == Hearing.Status.HELD
    assert hearing.held_at == hearing.scheduled_at and hearing.closed_reason == "登记复议决定"
    card = text(client_for(c.clerk).get(d.get_absolute_url()), "hearings", "</section>")
    assert "已举行" in card


def test_the_handler_cancels_the_hearing_when_the_application_is_withdrawn(c, replied):
    d = act(replied, "schedule_hearing", c.clerk, **HEARING)
    act(d, "withdraw", c.clerk, withdrawn_on="2026-03-18", reason="申请人撤回复议申请")
    hearing = Hearing.objects.get(dispute=d)
    assert (hearing.status, hearing.held_at) == (Hearing.Status.CANCELLED, None)


def test_the_hearing_through_the_api(c, replied):
    api = api_for(c.clerk)
    detail = api.get(reverse("api-dispute-detail", args=[replied.pk])).json()
    offered = {a["action"]: a for a in detail["app_actions"]}
    url = reverse("api-hearing-schedule", args=[replied.pk])
    assert offered["hearings.schedule"]["api_url"] == url
    assert offered["hearings.schedule"]["url"] == reverse("hearings:schedule", args=[replied.pk])
    assert "schedule_hearing" not in [a["action"] for a in detail["allowed_actions"]]

    # Refusals: the liaison's role (403), the input (400), nothing written.
    assert api_for(c.liaison).post(url, {"hearing_at": "2026-03-20T09:30"}, format="json").status_code == 403
    bad = api.post(url, {**HEARING, "notice_served_on": "2026-03-21"}, format="json")
    assert bad.status_code == 400 and "notice_served_on" in bad.json()
    assert not Hearing.objects.exists()

    body = {**HEARING, "expected_status": Status.RECON_REPLIED}
    created = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert created.status_code == 201, created.json()
    hearing = created.json()
    assert (hearing["status"], hearing["dispute_status"], hearing["place"], hearing["notice_served_on"]) == (
        "scheduled",
        Status.RECON_HEARING,
        "复议听证室",
        "2026-03-12",
    )
    again = api.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert again.status_code == 200 and again.json()["id"] == hearing["id"]
    assert [h["id"] for h in api.get(url).json()] == [hearing["id"]]

    # The case's own transition endpoint refuses the step: the hearing would go unrecorded.
    generic = api.post(
        reverse("api-dispute-transition", kwargs={"pk": replied.pk, "action": "schedule_hearing"}),
        {**HEARING, "expected_status": Status.RECON_HEARING},
        format="json",
    )
    assert generic.status_code == 409
    assert Hearing.objects.count() == 1

    schema = api.get(reverse("api-schema")).content.decode()
    assert "/api/disputes/{id}/hearings/" in schema and "hearings_schedule" in schema
