"""The case pages through the Django test client: what a clerk sees and what each click writes.

Expected messages are computed with gettext in Chinese, so the tests hold before and after the
translations of new messages are merged.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import capfirst
from django.utils.translation import gettext, override

from disputes.choices import CaseKind, Source, Status
from disputes.models import Attachment, Dispute, DisputeEvent, DisputeSeries, Party
from disputes.services import dispute_transition, series_create
from tests.disputes.factories import County, credit_code, resident_id

pytestmark = pytest.mark.django_db


def zh(msgid: str, **params) -> str:
    """The message as a Chinese-speaking user sees it, HTML-escaped as in the page."""
    with override("zh-hans"):
        text = gettext(msgid)
    return escape(text % params if params else text)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def section(response, testid: str, end: str) -> str:
    html = response.content.decode()
    start = html.index(f'data-testid="{testid}"')
    return html[start : html.index(end, start)]


@pytest.fixture
def county():
    return County()


def register_data(c: County, **overrides) -> dict:
    data = {
        "kind": "resolution",
        "source": "walk_in",
        "received_on": "2026-03-02",
        "respondent": c.agency.pk,
        "act_kind": "expropriation",
        "act_date": "2026-01-15",
        "act_document_number": "郧西自然资征〔2026〕3号",
        "act_summary": "土门镇集体土地征收补偿安置决定",
        "matter": "land",
        "amount": "186000",
        "claims": "请求撤销补偿安置决定，按新标准补偿",
        "facts": "申请人房屋位于土门镇，征收补偿标准低于邻村",
        "parties-TOTAL_FORMS": "1",
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "1",
        "parties-MAX_NUM_FORMS": "50",
        "parties-0-role": "applicant",
        "parties-0-kind": "person",
        "parties-0-name": "王大山",
        "parties-0-id_number": resident_id(),
        "parties-0-phone": "13907191234",
        "parties-0-address": "郧西县土门镇",
    }
    data.update(overrides)
    return data


def _wrong_last(code: str) -> str:
    return code[:-1] + ("1" if code[-1] != "1" else "2")


def nothing_written():
    return Dispute.objects.count() == 0 and Party.objects.count() == 0 and DisputeEvent.objects.count() == 0


# --- registration -------------------------------------------------------------------------------------


def test_register_page_offers_only_agencies_of_the_clerks_region(county):
    from tests.factories import OrganisationFactory
    from tests.factories import county as other_county

    far_agency = OrganisationFactory(name="外县公安局", kind="agency", region=other_county("外县"))
    response = client_for(county.clerk).get(reverse("disputes:register"))
    assert response.status_code == 200
    html = response.content.decode()
    assert county.agency.name in html and far_agency.name not in html


def test_register_success_redirects_to_the_case_with_its_number(county):
    client = client_for(county.clerk)
    data = register_data(
        county,
        **{
            "parties-TOTAL_FORMS": "2",
            "parties-1-role": "third_party",
            "parties-1-kind": "legal_person",
            "parties-1-name": "郧西县土门镇联合村股份经济合作社",
            "parties-1-credit_code": credit_code("N2420322MA4").lower(),  # lower case is accepted
        },
    )
    response = client.post(reverse("disputes:register"), data)
    dispute = Dispute.objects.get()
    assert response.status_code == 302 and response["Location"] == dispute.get_absolute_url()
    assert dispute.number == "〔2026〕郧西化字第1号"
    assert dispute.centre == county.centre and dispute.registered_by == county.clerk
    parties = list(dispute.parties.order_by("pk"))
    assert [p.role for p in parties] == ["applicant", "third_party"]
    assert parties[1].credit_code == credit_code("N2420322MA4")
    page = client.get(response["Location"])
    assert zh("Registered, case number: %(number)s", number=dispute.number) in page.content.decode()


def test_court_clerk_registers_at_the_centre_of_the_courts_county(county):
    client = client_for(county.court_clerk)
    data = register_data(
        county,
        source="court_push",
        court=county.court.pk,
        court_case_number="(2026)鄂0322行初12号",
        consent="given",
    )
    response = client.post(reverse("disputes:register"), data)
    assert response.status_code == 302
    dispute = Dispute.objects.get()
    assert dispute.centre == county.centre and dispute.consent == "given" and dispute.court == county.court


@pytest.mark.parametrize(
    ("overrides", "field_error"),
    [
        ({"parties-0-id_number": _wrong_last(resident_id())}, "check digit"),
        (
            {
                "parties-0-kind": "legal_person",
                "parties-0-id_number": "",
                "parties-0-credit_code": _wrong_last(credit_code()),
            },
            "credit code",
        ),
        ({"received_on": (date(2026, 11, 26)).isoformat()}, "future"),
        ({"parties-0-role": "third_party"}, "no applicant"),
        ({"source": "court_push", "consent": "refused", "consent_note": ""}, "no reason"),
        ({"parties-0-kind": "person", "parties-0-id_number": ""}, "missing id"),
    ],
    ids=[
        "bad-id-check-digit",
        "bad-credit-code",
        "future-date",
        "missing-applicant",
        "refusal-without-reason",
        "no-id",
    ],
)
@time_machine.travel(date(2026, 11, 25), tick=False)
def test_register_refusals_name_the_field_and_write_nothing(county, overrides, field_error):
    if field_error == "no reason":
        overrides["court"] = county.court.pk
    response = client_for(county.clerk).post(reverse("disputes:register"), register_data(county, **overrides))
    assert response.status_code == 200
    html = response.content.decode()
    summary = section(response, "error-summary", "</div>")
    expected = {
        "check digit": zh("The resident ID number's check digit is wrong: check the last character."),
        "credit code": zh(
            "The unified social credit code's check character is wrong: check the last character."
        ),
        "future": zh("%(field)s cannot be later than today.", field=capfirst(gettext_zh("received on"))),
        "no applicant": zh("Name at least one applicant."),
        "no reason": zh("Record the reason the party gave for refusing."),
        "missing id": zh("Enter the resident ID number of a natural person."),
    }[field_error]
    assert expected in html
    # The summary at the top names where the error is.
    if field_error in ("check digit", "missing id"):
        assert zh("Party %(number)s", number=1) in summary and zh("Resident ID number") in summary
    if field_error == "credit code":
        assert zh("Unified social credit code") in summary
    if field_error == "no reason":
        assert escape(capfirst(gettext_zh("consent note"))) in summary
    assert nothing_written()


def gettext_zh(msgid: str) -> str:
    with override("zh-hans"):
        return gettext(msgid)


def test_duplicate_warning_then_register_anyway(county):
    first = county.register()
    client = client_for(county.clerk)
    response = client.post(reverse("disputes:register"), register_data(county))
    assert response.status_code == 200
    warning = section(response, "duplicates", "</ul>")
    assert first.number in warning and first.get_absolute_url() in warning
    assert Dispute.objects.count() == 1

    response = client.post(reverse("disputes:register"), register_data(county, confirm_duplicate="on"))
    assert response.status_code == 302
    assert Dispute.objects.count() == 2


# --- the case page --------------------------------------------------------------------------------


@time_machine.travel(timezone.make_aware(timezone.datetime(2026, 3, 4, 10, 0)), tick=False)
def test_case_page_shows_header_clock_and_only_allowed_actions(county):
    dispute = county.register(kind=CaseKind.RECONSIDERATION, source=Source.RECONSIDERATION)
    response = client_for(county.clerk).get(dispute.get_absolute_url())
    assert response.status_code == 200
    head = section(response, "case-head", "</section>")
    assert (
        dispute.number in head
        and "王大山" in head
        and county.agency.name in head
        and county.centre.name in head
    )
    clock = section(response, "clock", "</aside>")
    # Received Monday 2 March: the acceptance review (行政复议法 第三十条) ends five working days later,
    # Monday 9 March.
    assert "2026年3月9日" in clock and "<strong>5</strong>" in clock
    actions = section(response, "actions", "</nav>")
    for allowed in ("accept", "request_correction", "reject", "withdraw"):
        assert f'data-action="{allowed}"' in actions
    for not_now in ("assign_mediators", "reach_agreement", "confirm", "decide"):
        assert f'data-action="{not_now}"' not in actions

    # The respondent agency's liaison sees the case but has nothing to do at intake.
    liaison_page = client_for(county.liaison).get(dispute.get_absolute_url())
    assert liaison_page.status_code == 200
    assert 'data-testid="actions"' not in liaison_page.content.decode()


@time_machine.travel(timezone.make_aware(timezone.datetime(2026, 4, 20, 10, 0)), tick=False)
def test_overdue_clock_is_marked(county):
    dispute = county.register()
    dispute_transition(
        dispute_id=dispute.pk, action="accept", actor=county.clerk, data={"accepted_on": "2026-03-03"}
    )
    response = client_for(county.clerk).get(dispute.get_absolute_url())
    clock = section(response, "clock", "</aside>")
    assert "clock-overdue" in response.content.decode()
    assert "2026年4月2日" in clock  # 30 days from 3 March


def test_main_path_through_the_action_pages(county):
    dispute = county.register()
    clerk = client_for(county.clerk)
    steps = [
        (clerk, "accept", {"accepted_on": "2026-03-03"}, Status.ACCEPTED),
        (clerk, "assign_mediators", {"mediators": [county.mediator.pk]}, Status.MEDIATING),
        (
            client_for(county.mediator),
            "reach_agreement",
            {"agreement_terms": "补偿20万元，30日内支付", "signed_on": "2026-03-20"},
            Status.AGREED,
        ),
        (
            clerk,
            "request_confirmation",
            {"court": county.court.pk, "requested_on": "2026-03-21"},
            Status.CONFIRMATION_REQUESTED,
        ),
        (
            client_for(county.court_clerk),
            "confirm",
            {"confirmed_on": "2026-03-25", "confirmation_number": "(2026)鄂0322民特1号"},
            Status.CLOSED,
        ),
    ]
    for client, action, data, after in steps:
        url = reverse("disputes:action", args=[dispute.pk, action])
        form_page = client.get(url)
        assert form_page.status_code == 200, action
        shown = dispute.status
        assert f'name="expected_status" value="{shown}"' in form_page.content.decode()
        response = client.post(url, {**data, "expected_status": shown})
        assert response.status_code == 302, (action, response.content.decode()[:2000])
        dispute.refresh_from_db()
        assert dispute.status == after, action
    page = clerk.get(dispute.get_absolute_url())
    html = page.content.decode()
    assert 'data-testid="actions"' in html  # closed: only "reopen" is left
    assert 'data-action="reopen"' in html and 'data-action="confirm"' not in html
    timeline = section(page, "timeline", "</ol>")
    assert timeline.count('data-testid="timeline-entry"') == 6
    assert "陈建国" in timeline and "(2026)鄂0322民特1号" in timeline
    assert [e.action for e in dispute.events.all()] == [
        "register",
        "accept",
        "assign_mediators",
        "reach_agreement",
        "request_confirmation",
        "confirm",
    ]


def test_action_validation_errors_are_shown_on_their_fields(county):
    dispute = county.register()
    url = reverse("disputes:action", args=[dispute.pk, "accept"])
    response = client_for(county.clerk).post(
        url, {"accepted_on": "2026-02-01", "expected_status": "registered"}
    )
    assert response.status_code == 200
    # Both dates named, in Chinese, on the field (the rule table in disputes/actions/dates.py).
    assert "受理日期（2026年2月1日）不得早于收案日期（2026年3月2日）" in response.content.decode()
    assert 'value="registered"' in response.content.decode()
    dispute.refresh_from_db()
    assert dispute.status == Status.REGISTERED and dispute.events.count() == 1


def test_stale_expected_status_is_refused_with_a_message_and_changes_nothing(county):
    dispute = county.register()
    dispute_transition(
        dispute_id=dispute.pk, action="accept", actor=county.clerk, data={"accepted_on": "2026-03-03"}
    )
    client = client_for(county.clerk)
    url = reverse("disputes:action", args=[dispute.pk, "reject"])
    response = client.post(url, {"reason": "材料不全", "expected_status": "registered"})
    assert response.status_code == 302 and response["Location"] == dispute.get_absolute_url()
    dispute.refresh_from_db()
    assert dispute.status == Status.ACCEPTED and dispute.events.count() == 2
    page = client.get(response["Location"])
    with override("zh-hans"):
        status = str(Status.ACCEPTED.label)
    expected = zh(
        "The case has changed in the meantime (now: %(status)s). Reload the page and check before acting.",
        status=status,
    )
    assert expected in page.content.decode()


def test_double_submit_records_one_event(county):
    dispute = county.register()
    client = client_for(county.clerk)
    url = reverse("disputes:action", args=[dispute.pk, "accept"])
    for _ in range(2):
        response = client.post(url, {"accepted_on": "2026-03-03", "expected_status": "registered"})
        assert response.status_code == 302
    assert dispute.events.filter(action="accept").count() == 1
    assert dispute.resolutions.count() == 1


def test_action_page_refusals(county):
    dispute = county.register()
    assert (
        client_for(county.clerk)
        .get(reverse("disputes:action", args=[dispute.pk, "no_such_action"]))
        .status_code
        == 404
    )
    # The case allows acceptance, but an agency liaison may not do it.
    assert (
        client_for(county.liaison).get(reverse("disputes:action", args=[dispute.pk, "accept"])).status_code
        == 403
    )
    response = client_for(county.liaison).post(
        reverse("disputes:action", args=[dispute.pk, "accept"]), {"accepted_on": "2026-03-03"}
    )
    assert response.status_code == 403
    # Not possible in this state: back to the case with a message.
    response = client_for(county.clerk).get(reverse("disputes:action", args=[dispute.pk, "confirm"]))
    assert response.status_code == 302
    dispute.refresh_from_db()
    assert dispute.status == Status.REGISTERED


def test_other_agency_gets_404_everywhere(county):
    dispute = county.register()
    Attachment.objects.all().delete()
    client_for(county.clerk).post(
        reverse("disputes:attachment-add", args=[dispute.pk]),
        {"file": SimpleUploadedFile("受理材料.pdf", b"%PDF-1.4 test", content_type="application/pdf")},
    )
    attachment = Attachment.objects.get()
    outsider = client_for(county.other_liaison)
    urls = [
        dispute.get_absolute_url(),
        reverse("disputes:action", args=[dispute.pk, "accept"]),
        reverse("disputes:attachment-download", args=[dispute.pk, attachment.pk]),
    ]
    for url in urls:
        assert outsider.get(url).status_code == 404, url
    assert outsider.post(reverse("disputes:note-add", args=[dispute.pk]), {"text": "x"}).status_code == 404
    assert outsider.post(reverse("disputes:action", args=[dispute.pk, "accept"]), {}).status_code == 404
    assert dispute.notes.count() == 0


def test_note_and_attachment_appear_in_the_timeline_and_download(county):
    dispute = county.register()
    client = client_for(county.clerk)
    response = client.post(reverse("disputes:note-add", args=[dispute.pk]), {"text": "申请人来电询问进度"})
    assert response.status_code == 302
    content = b"%PDF-1.4 acceptance"
    response = client.post(
        reverse("disputes:attachment-add", args=[dispute.pk]),
        {
            "file": SimpleUploadedFile("身份证复印件.pdf", content, content_type="application/pdf"),
            "description": "申请人身份证明",
        },
    )
    assert response.status_code == 302
    page = client.get(dispute.get_absolute_url())
    timeline = section(page, "timeline", "</ol>")
    assert "申请人来电询问进度" in timeline and "身份证复印件.pdf" in timeline
    attachment = Attachment.objects.get()
    download = client_for(county.liaison).get(
        reverse("disputes:attachment-download", args=[dispute.pk, attachment.pk])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert (
        "attachment;" in download["Content-Disposition"]
        and "filename*=utf-8''" in download["Content-Disposition"]
    )

    # An attachment of another case is not reachable through this case's URL.
    other = county.register(applicant="李四")
    assert (
        client.get(reverse("disputes:attachment-download", args=[other.pk, attachment.pk])).status_code == 404
    )


def test_empty_note_is_refused(county):
    dispute = county.register()
    response = client_for(county.clerk).post(reverse("disputes:note-add", args=[dispute.pk]), {"text": "  "})
    assert response.status_code == 200
    assert dispute.notes.count() == 0


@pytest.mark.parametrize(
    ("name", "size", "message"),
    [
        ("卷宗.pdf", 20 * 1024 * 1024 + 1, "The file is larger than 20 MB."),
        ("setup.exe", 100, "Files of this type cannot be attached. Allowed: %(types)s."),
    ],
    ids=["too-large", "wrong-type"],
)
def test_upload_refused(county, name, size, message):
    from disputes.models import ALLOWED_UPLOAD_EXTENSIONS

    dispute = county.register()
    upload = SimpleUploadedFile(name, b"0" * size, content_type="application/octet-stream")
    response = client_for(county.clerk).post(
        reverse("disputes:attachment-add", args=[dispute.pk]), {"file": upload}
    )
    assert response.status_code == 200
    params = {"types": ", ".join(ALLOWED_UPLOAD_EXTENSIONS)} if "%(types)s" in message else {}
    assert zh(message, **params) in section(response, "upload-form", "</form>")
    assert Attachment.objects.count() == 0
    assert not dispute.events.filter(action="attach").exists()


def test_history_section_shows_field_changes(county):
    dispute = county.register()
    client = client_for(county.clerk)
    client.post(
        reverse("disputes:action", args=[dispute.pk, "accept"]),
        {"accepted_on": "2026-03-03", "expected_status": "registered"},
    )
    page = client.get(dispute.get_absolute_url())
    history = section(page, "history", "</details>")
    with override("zh-hans"):
        field = capfirst(str(Dispute._meta.get_field("status").verbose_name))
        before, after = str(Status.REGISTERED.label), str(Status.ACCEPTED.label)
    assert "<details" in page.content.decode().split('data-testid="history"')[0][-40:]
    assert escape(field) in history and escape(before) in history and escape(after) in history
    assert county.clerk.name in history


def test_case_page_query_count_does_not_grow_with_the_timeline(county, settings, tmp_path):
    """Measured at two sizes of the timeline (notes, files, sessions, transitions): the same count."""
    settings.MEDIA_ROOT = tmp_path
    dispute = county.register()
    client = client_for(county.clerk)
    dispute_transition(
        dispute_id=dispute.pk, action="accept", actor=county.clerk, data={"accepted_on": "2026-03-03"}
    )
    client.post(reverse("disputes:note-add", args=[dispute.pk]), {"text": "一"})

    def queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(dispute.get_absolute_url())
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    queries()  # warm caches (session, calendar)
    small, _ = queries()
    for text in ("二", "三", "四"):
        client.post(reverse("disputes:note-add", args=[dispute.pk]), {"text": text})
    for name in ("a.pdf", "b.pdf"):
        upload = SimpleUploadedFile(name, b"%PDF-1.4", content_type="application/pdf")
        client.post(reverse("disputes:attachment-add", args=[dispute.pk]), {"file": upload})
    dispute_transition(
        dispute_id=dispute.pk,
        action="assign_mediators",
        actor=county.clerk,
        data={"mediators": [county.mediator.pk, county.clerk.pk]},
    )
    for day in ("2026-03-05", "2026-03-09"):
        dispute_transition(
            dispute_id=dispute.pk,
            action="record_session",
            actor=county.mediator,
            data={"held_on": day, "summary": "双方到场"},
        )
    large, html = queries()
    assert all(text in html for text in ("四", "a.pdf", "b.pdf", "双方到场"))  # the larger timeline is shown
    assert large == small
    # The header's unread notifications are one of them; the legal-aid card four (whatever the parties),
    # the follow-up visits one.
    assert small <= 26


# --- series ------------------------------------------------------------------------------------------


def test_series_page_is_for_case_managers_and_cases_outside_a_series(county):
    lead = county.register(applicant="王大山")
    member = county.register(applicant="李四")
    url = reverse("disputes:series-create", args=[lead.pk])
    assert client_for(county.mediator).get(url).status_code in (403, 404)
    clerk = client_for(county.clerk)
    assert "series-no-candidates" not in clerk.get(url).content.decode()
    series_create(actor=county.clerk, name="系列案", lead_id=lead.pk, member_ids=[member.pk])
    response = clerk.get(url)
    assert response.status_code == 302
    lead.refresh_from_db()
    assert response["Location"] == reverse("disputes:series-detail", args=[lead.series_id])
    assert "series-create-link" not in clerk.get(lead.get_absolute_url()).content.decode()


def test_series_created_from_the_case_page_and_lead_agreement_applied(county):
    lead = county.register(applicant="王大山")
    members = [county.register(applicant=name, act_date=date(2026, 1, 16)) for name in ("李四", "赵五")]
    for d in [lead, *members]:
        dispute_transition(
            dispute_id=d.pk, action="accept", actor=county.clerk, data={"accepted_on": "2026-03-03"}
        )
    client = client_for(county.clerk)
    create_url = reverse("disputes:series-create", args=[lead.pk])
    case_page = client.get(lead.get_absolute_url()).content.decode()
    assert f'href="{create_url}"' in case_page and "series-form" not in case_page  # candidates: own page
    page = client.get(create_url)
    form = section(page, "series-form", "</form>")
    assert all(m.number in form for m in members)
    assert client.post(lead.get_absolute_url(), {"name": "x"}).status_code == 405  # the case page only shows

    # Bad input: the page again with the error, nothing created.
    response = client.post(create_url, {"name": "土门镇征地补偿系列案", "member_ids": []})
    assert response.status_code == 200 and not DisputeSeries.objects.exists()
    response = client.post(
        create_url, {"name": "土门镇征地补偿系列案", "member_ids": [m.pk for m in members]}
    )
    series = DisputeSeries.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "disputes:series-detail", args=[series.pk]
    )
    assert set(series.members.values_list("pk", flat=True)) == {lead.pk, *(m.pk for m in members)}

    # Without the lead's agreement there is nothing to apply.
    response = client.post(response["Location"], {"member_ids": [members[0].pk]})
    assert response.status_code == 302
    assert Dispute.objects.get(pk=members[0].pk).status == Status.ACCEPTED

    dispute_transition(
        dispute_id=lead.pk,
        action="assign_mediators",
        actor=county.clerk,
        data={"mediators": [county.mediator.pk]},
    )
    dispute_transition(
        dispute_id=lead.pk,
        action="reach_agreement",
        actor=county.mediator,
        data={"agreement_terms": "每户补偿20万元", "signed_on": "2026-03-20"},
    )
    series_page = client.get(reverse("disputes:series-detail", args=[series.pk]))
    assert "每户补偿20万元" in series_page.content.decode()
    response = client.post(
        reverse("disputes:series-detail", args=[series.pk]), {"member_ids": [m.pk for m in members]}
    )
    assert response.status_code == 302
    for m in members:
        m.refresh_from_db()
        assert m.status == Status.AGREED and m.current_resolution.agreement_terms == "每户补偿20万元"

    # Out of reach: the other agency's liaison cannot see the series.
    assert (
        client_for(county.other_liaison).get(reverse("disputes:series-detail", args=[series.pk])).status_code
        == 404
    )


def test_suspended_reconsideration_shows_paused_clock(county):
    dispute = county.register(kind="reconsideration", source="reconsideration")
    dispute_transition(
        dispute_id=dispute.pk, action="accept", actor=county.clerk, data={"accepted_on": "2026-03-03"}
    )
    today = timezone.localdate()
    dispute_transition(
        dispute_id=dispute.pk,
        action="suspend",
        actor=county.clerk,
        data={"suspended_on": (today - timedelta(days=1)).isoformat(), "reason": "等待另案结果"},
    )
    response = client_for(county.clerk).get(dispute.get_absolute_url())
    clock = section(response, "clock", "</aside>")
    assert zh("Suspended (the period is paused)") in clock


def test_the_action_page_carries_a_request_key_so_a_resubmitted_session_counts_once(county):
    dispute = county.register()
    clerk = client_for(county.clerk)
    clerk.post(
        reverse("disputes:action", args=[dispute.pk, "accept"]),
        {"accepted_on": "2026-03-03", "expected_status": "registered"},
    )
    clerk.post(
        reverse("disputes:action", args=[dispute.pk, "assign_mediators"]),
        {"mediators": [county.mediator.pk], "expected_status": "accepted"},
    )
    url = reverse("disputes:action", args=[dispute.pk, "record_session"])
    page = clerk.get(url).content.decode()
    key = page.split('name="request_key" value="')[1].split('"')[0]
    assert len(key) == 32
    body = {
        "held_on": "2026-03-05",
        "summary": "听取双方意见",
        "expected_status": "mediating",
        "request_key": key,
    }
    assert clerk.post(url, body).status_code == 302
    assert clerk.post(url, body).status_code == 302  # the browser's back button and submit again
    assert dispute.events.filter(action="record_session").count() == 1
