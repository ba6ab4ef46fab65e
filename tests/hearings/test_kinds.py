"""The three kinds of hearing: a court session recorded from the court's notice (3-day head-appearance
notice, the agency's first first-instance case of the year must-attend), a resolution meeting at the
centre, and the reconsideration hearing's room, panel, participants and issues; clashes by room, panel
member and agency; rescheduling and calling off; the notices; the figures per kind."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from core import workdays
from core.models import Organisation
from core.roles import Role
from deadlines.models import Status as ClockStatus
from disputes.clocks import case_deadlines
from disputes.models import Dispute, DisputeEvent
from documents.models import Document
from documents.types import DocumentType
from hearings import notices, services
from hearings.models import Attendance, Hearing, HearingKind, MustAttendBasis, Participant, Room
from hearings.selectors import participation_by_kind
from notifications.models import Notification
from tests.disputes.factories import County
from tests.disputes.test_agency_duties import sued
from tests.disputes.test_lifecycle import act, mediating, recon_accepted
from tests.factories import OrganisationFactory, user_with_role
from tests.hearings.test_head_attendance import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def c() -> County:
    county = County()
    county.head = user_with_role(
        Role.AGENCY_HEAD_PRINCIPAL, organisation=county.agency, name="赵志强", title="局长"
    )
    county.other_head = user_with_role(Role.AGENCY_HEAD_PRINCIPAL, organisation=county.other_agency)
    county.room = Room.objects.create(organisation=county.centre, name="第一调解室", address="郧西县城关镇")
    county.second_room = Room.objects.create(organisation=county.centre, name="第二调解室")
    county.judge = user_with_role(Role.COURT_CLERK, organisation=county.court, name="王法官")
    return county


def in_court(c: County, respondent: Organisation | None = None) -> Dispute:
    d = sued(c)
    if respondent is not None:
        Dispute.objects.filter(pk=d.pk).update(respondent=respondent)
        d.refresh_from_db()
    act(d, "receive_notice", c.court_clerk, received_on="2026-09-16")
    return d


def record_session(c: County, d: Dispute, actor=None, **data) -> Hearing:
    return services.court_session_record(
        dispute_id=d.pk,
        actor=actor or c.court_clerk,
        data={"session_at": "2026-11-20T09:30", "place": "第三法庭", **data},
    )


def clock(d: Dispute, rule: str, key: str):
    return case_deadlines().get(subject_id=d.pk, rule__code=rule, key=key)


# --- court sessions ------------------------------------------------------------------------------------


def test_a_court_session_needs_its_3_day_notice_or_a_reason_and_asks_the_agency(c):
    with at(date(2026, 11, 18)):
        d = in_court(c)
        # Friday 20 November: the notice had to reach the agency by Tuesday 17 November.
        with pytest.raises(ValidationError) as refused:
            record_session(c, d, notice_served_on="2026-11-18")
        assert "2026年11月17日" in refused.value.message_dict["short_notice_reason"][0]
        assert not Hearing.objects.exists() and not DisputeEvent.objects.filter(
            action="court_session_noticed"
        )
        hearing = record_session(
            c, d, notice_served_on="2026-11-18", short_notice_reason="法院因合议庭调整提前开庭，已电话告知"
        )
    assert (hearing.kind, hearing.litigation, hearing.place) == (
        HearingKind.COURT_SESSION,
        d.current_litigation,
        "第三法庭",
    )
    assert hearing.short_notice_reason == "法院因合议庭调整提前开庭，已电话告知"
    key = f"court_session-{hearing.pk}"
    notice = clock(d, "court_head_notice", key)
    assert (notice.status, notice.due_on, notice.met_on, notice.responsible_organisation) == (
        ClockStatus.MET,
        date(2026, 11, 17),
        date(2026, 11, 18),
        c.court,
    )
    ask = clock(d, "hearing_head_answer", key)
    assert (ask.status, ask.due_on, ask.responsible_organisation) == (
        ClockStatus.OPEN,
        date(2026, 11, 19),
        c.agency,
    )
    assert clock(d, "hearing_attendance", key).due_on == date(2026, 11, 20)
    request = Notification.objects.get(recipient=c.head, kind="hearing_request")
    assert "开庭" in request.title and d.number in request.title
    event = DisputeEvent.objects.get(dispute=d, action="court_session_noticed")
    assert event.actor == c.court_clerk and "第三法庭" in event.reason
    # Around a weekend: a Monday session's notice is due by the Friday before, and a notice then is in time.
    with at(date(2026, 11, 19)):
        moved = record_session(c, d, session_at="2026-11-23T09:30", notice_served_on="2026-11-19")
    assert moved.short_notice_reason == "" and moved.replaces == hearing


def test_the_agencys_first_first_instance_case_of_the_year_must_be_attended_and_only_it(c):
    with at(date(2026, 11, 2)):
        first = in_court(c)
        second = in_court(c)
        elsewhere = in_court(c, respondent=c.other_agency)
        later = record_session(c, second, session_at="2026-11-27T09:30")
        earliest = record_session(c, first, session_at="2026-11-20T09:30")
        other = record_session(c, elsewhere, session_at="2026-11-20T14:30", court_suggests_head=True)
    # The second case was recorded first, so it was the first then; the first case's earlier session is too.
    assert (earliest.must_attend, earliest.must_attend_basis) == (True, MustAttendBasis.FIRST_OF_YEAR)
    assert earliest.must_attend_note.startswith("本年度该机关第一件")
    assert later.must_attend  # marked when recorded: the centre can take the mark off
    assert (other.must_attend, other.must_attend_basis) == (True, MustAttendBasis.FIRST_OF_YEAR)
    assert "法院书面建议" in other.must_attend_note
    with at(date(2026, 11, 3)):
        third = in_court(c)
        assert not record_session(c, third, session_at="2026-12-04T09:30").must_attend


def test_a_court_session_is_held_when_the_court_records_it_and_called_off_by_an_earlier_outcome(c):
    with at(date(2026, 11, 2)):
        d = in_court(c)
        act(d, "file_answer", c.liaison, answered_on="2026-10-01")
        hearing = record_session(c, d)
    with at(date(2026, 11, 20), hour=15):
        act(d, "hold_session", c.court_clerk, session_at="2026-11-20T09:30")
        hearing.refresh_from_db()
        assert hearing.status == Hearing.Status.HELD
        assert clock(d, "hearing_attendance", f"court_session-{hearing.pk}").status == ClockStatus.MET
        # The next session is noticed; the court decides before it: it is called off.
        nxt = record_session(c, d, session_at="2026-12-04T09:30")
        act(d, "record_outcome", c.court_clerk, outcome="judgment", decided_on="2026-11-20", agency_lost="no")
    nxt.refresh_from_db()
    assert nxt.status == Hearing.Status.CANCELLED
    assert clock(d, "hearing_head_answer", f"court_session-{nxt.pk}").status == ClockStatus.CANCELLED
    # The court's clerk records the attendance at a court session; the agency never does.
    with at(date(2026, 11, 21)):
        record = services.attendance_record(
            hearing_id=hearing.pk,
            actor=c.court_clerk,
            data={"attended": "principal", "head_name": "赵志强（局长）", "spoke": "on"},
        )
        assert record.head_attended
        with pytest.raises(PermissionDenied):
            services.attendance_record(
                hearing_id=hearing.pk,
                actor=c.liaison,
                data={"attended": "principal", "correction_reason": "x"},
            )


def test_who_may_record_a_court_session(c):
    with at(date(2026, 11, 2)):
        d = in_court(c)
        with pytest.raises(PermissionDenied):
            record_session(c, d, actor=c.head)  # the head answers; the liaison records
        with pytest.raises(Dispute.DoesNotExist):  # another agency does not even reach the case
            record_session(c, d, actor=c.other_liaison)
        assert record_session(c, d, actor=c.liaison).created_by == c.liaison  # the notice reached it
        meeting_case = mediating(c)
        with pytest.raises(ValidationError, match="in court|诉讼"):
            record_session(c, meeting_case)


# --- resolution meetings, rooms, panel, participants ---------------------------------------------------


def meeting(c: County, d: Dispute, actor=None, **data) -> Hearing:
    return services.meeting_schedule(
        dispute_id=d.pk,
        actor=actor or c.clerk,
        data={"meeting_at": "2026-03-20T09:30", "room": c.room.pk, **data},
    )


def test_a_meeting_records_its_room_panel_participants_and_issues(c):
    procuratorate = OrganisationFactory(
        name="郧西县人民检察院", kind=Organisation.Kind.PROCURATORATE, region=c.region
    )
    with at(date(2026, 3, 11)):
        d = mediating(c)
        hearing = meeting(
            c,
            d,
            presiding=c.mediator.pk,
            clerk=c.clerk.pk,
            issues="补偿标准\n过渡安置",
            procuratorate_invited="on",
            legal_aid_lawyer="李明（湖北汉江律师事务所）",
            online_link="https://meeting.example.gov.cn/123",
        )
    assert (hearing.kind, hearing.place, hearing.room) == (
        HearingKind.RESOLUTION_MEETING,
        "第一调解室",
        c.room,
    )
    assert [p.name for p in hearing.panel()] == [c.mediator.name, c.clerk.name]
    roles = list(hearing.participants.values_list("role", "name"))
    assert (Participant.Role.AGENCY, c.agency.name) in roles
    assert (Participant.Role.PROCURATORATE, procuratorate.name) in roles
    assert (Participant.Role.LEGAL_AID_LAWYER, "李明（湖北汉江律师事务所）") in roles
    assert any(role == Participant.Role.APPLICANT for role, _name in roles)
    assert Notification.objects.filter(
        recipient=c.head, kind="hearing_request", title__contains="化解会"
    ).exists()
    page = Client()
    page.force_login(c.head)
    html = page.get(hearing.get_absolute_url()).content.decode()
    assert (
        "第一调解室" in html and "补偿标准" in html and procuratorate.name in html and c.mediator.name in html
    )
    case_page = page.get(d.get_absolute_url()).content.decode()
    assert "化解会" in case_page or "Resolution meeting" in case_page


def test_clashes_by_room_panel_member_and_agency_and_the_bad_input_refused(c):
    with at(date(2026, 3, 11)):
        first, second = mediating(c), mediating(c)
        elsewhere = mediating(c, respondent=c.other_agency)
        meeting(c, first, presiding=c.mediator.pk)
        # The same room two hours later: refused, naming the case in the way.
        with pytest.raises(ValidationError) as refused:
            meeting(c, elsewhere, meeting_at="2026-03-20T11:00")
        assert first.number in refused.value.message_dict["meeting_at"][0]
        # Another room, but the same mediator presiding.
        with pytest.raises(ValidationError) as refused:
            meeting(c, elsewhere, meeting_at="2026-03-20T10:00", room=c.second_room.pk, clerk=c.mediator.pk)
        assert c.mediator.name in refused.value.message_dict["meeting_at"][0]
        # Another room, another panel, but the same agency: its head cannot be in both.
        with pytest.raises(ValidationError) as refused:
            meeting(c, second, meeting_at="2026-03-20T10:00", room=c.second_room.pk)
        assert c.agency.name in refused.value.message_dict["meeting_at"][0]
        # A past day, no place at all, a panel member twice, a room of another organisation: refused.
        with pytest.raises(ValidationError, match="today or later|今天"):
            meeting(c, elsewhere, meeting_at="2026-03-10T10:00")
        with pytest.raises(ValidationError) as refused:
            meeting(c, elsewhere, meeting_at="2026-03-21T10:00", room="")
        assert "place" in refused.value.message_dict
        with pytest.raises(ValidationError) as refused:
            meeting(c, elsewhere, meeting_at="2026-03-21T10:00", presiding=c.mediator.pk, clerk=c.mediator.pk)
        assert "clerk" in refused.value.message_dict
        foreign = Room.objects.create(organisation=c.other_agency, name="会议室")
        with pytest.raises(ValidationError) as refused:
            meeting(c, elsewhere, meeting_at="2026-03-21T10:00", room=foreign.pk)
        assert "room" in refused.value.message_dict
        assert Hearing.objects.count() == 1
        # Another room, another agency, another panel at the same time: fine.
        meeting(c, elsewhere, meeting_at="2026-03-20T09:30", room=c.second_room.pk)


def test_rescheduling_keeps_the_chain_and_calling_off_ends_the_clocks(c):
    with at(date(2026, 3, 11)):
        d = mediating(c)
        first = meeting(c, d)
        second = meeting(c, d, meeting_at="2026-03-24T14:30")
        first.refresh_from_db()
        assert (first.status, second.replaces) == (Hearing.Status.CANCELLED, first)
        assert (
            clock(d, "hearing_head_answer", f"resolution_meeting-{first.pk}").status == ClockStatus.CANCELLED
        )
        assert clock(d, "hearing_head_answer", f"resolution_meeting-{second.pk}").status == ClockStatus.OPEN
        with pytest.raises(ValidationError):
            services.hearing_cancel(hearing_id=second.pk, actor=c.clerk, data={"reason": ""})
        with pytest.raises(PermissionDenied):
            services.hearing_cancel(hearing_id=second.pk, actor=c.liaison, data={"reason": "不来了"})
        services.hearing_cancel(hearing_id=second.pk, actor=c.clerk, data={"reason": "申请人住院"})
    second.refresh_from_db()
    assert (second.status, second.closed_reason) == (Hearing.Status.CANCELLED, "申请人住院")
    for rule in ("hearing_head_answer", "hearing_attendance"):
        assert clock(d, rule, f"resolution_meeting-{second.pk}").status == ClockStatus.CANCELLED
    assert Notification.objects.filter(recipient=c.head, kind="hearing_cancelled").exists()
    assert "申请人住院" in DisputeEvent.objects.get(dispute=d, action="hearing_cancelled").reason
    page = Client()
    page.force_login(c.clerk)
    html = page.get(second.get_absolute_url()).content.decode()
    assert 'data-testid="hearing-history"' in html and first.get_absolute_url() in html
    # A reconsideration hearing is not called off this way.
    with at(date(2026, 3, 11)):
        recon = act(recon_accepted(c), "record_reply", c.liaison, reply_received_on="2026-03-06")
        act(recon, "schedule_hearing", c.clerk, hearing_at="2026-03-27T09:30", hearing_place="复议听证室")
        with pytest.raises(PermissionDenied):
            services.hearing_cancel(
                hearing_id=Hearing.objects.get(dispute=recon).pk, actor=c.clerk, data={"reason": "x"}
            )


def test_a_meeting_is_held_when_the_dispute_moves_on_after_it(c):
    with at(date(2026, 3, 11)):
        d = mediating(c)
        hearing = meeting(c, d)
    with at(date(2026, 3, 20), hour=15):
        act(d, "reach_agreement", c.mediator, agreement_terms="补偿20万元", signed_on="2026-03-20")
    hearing.refresh_from_db()
    assert hearing.status == Hearing.Status.HELD
    assert clock(d, "hearing_attendance", f"resolution_meeting-{hearing.pk}").status == ClockStatus.MET


def test_the_reconsideration_hearing_takes_a_room_and_a_panel_from_the_page(c):
    with at(date(2026, 3, 9)):
        d = act(recon_accepted(c), "record_reply", c.liaison, reply_received_on="2026-03-06")
        client = Client()
        client.force_login(c.clerk)
        url = reverse("hearings:schedule", args=[d.pk])
        page = client.get(url).content.decode()
        assert "第一调解室" in page and c.mediator.name in page
        response = client.post(
            url,
            {
                "hearing_at": "2026-03-20T09:30",
                "room": c.room.pk,
                "presiding": c.clerk.pk,
                "officers": [c.mediator.pk],
                "issues": "征收补偿决定的合法性",
                "expected_status": d.status,
                "request_key": "k1",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    hearing = Hearing.objects.get(dispute=d)
    assert (hearing.place, hearing.room, hearing.presiding) == ("第一调解室", c.room, c.clerk)
    assert list(hearing.officers.all()) == [c.mediator]
    d.refresh_from_db()
    assert d.current_reconsideration.hearing_place == "第一调解室"


# --- notices --------------------------------------------------------------------------------------------


def test_each_kind_drafts_its_own_notices_filled_from_the_hearing(c):
    with at(date(2026, 3, 9)):
        recon = act(recon_accepted(c), "record_reply", c.liaison, reply_received_on="2026-03-06")
        act(
            recon,
            "schedule_hearing",
            c.clerk,
            hearing_at="2026-03-20T09:30",
            room=c.room.pk,
            issues="征收补偿决定的合法性\n补偿标准是否适当",
        )
        hearing = Hearing.objects.get(dispute=recon)
        assert [t for t, _ in notices.notice_types(hearing, c.clerk)] == [
            DocumentType.HEARING_NOTICE,
            DocumentType.HEAD_ATTENDANCE_NOTICE,
        ]
        assert notices.notice_types(hearing, c.liaison) == []  # the agency does not draft them
        client = Client()
        client.force_login(c.clerk)
        response = client.post(
            hearing.get_absolute_url(), {"form": "notice", "doc_type": DocumentType.HEARING_NOTICE}
        )
        doc = Document.objects.get(doc_type=DocumentType.HEARING_NOTICE)
        assert response.status_code == 302 and response["Location"] == reverse(
            "documents:detail", args=[doc.pk]
        )
        assert doc.fields["hearing_time"] == "2026年3月20日 09:30"
        assert doc.fields["hearing_place"] == "郧西县城关镇第一调解室"
        assert doc.fields["issues"] == "征收补偿决定的合法性\n补偿标准是否适当"
        with pytest.raises(ValidationError):
            notices.notice_draft(hearing=hearing, actor=c.clerk, doc_type=DocumentType.MEETING_NOTICE)
    with at(date(2026, 11, 2)):
        session = record_session(c, in_court(c))
        assert notices.notice_types(session, c.court_clerk) == [
            (DocumentType.HEAD_ATTENDANCE_NOTICE, "行政机关负责人出庭应诉通知书")
        ]
        letter = notices.notice_draft(
            hearing=session, actor=c.court_clerk, doc_type=DocumentType.HEAD_ATTENDANCE_NOTICE
        )
        assert letter.fields["addressee"] == f"{c.agency.name}主要负责人"
        assert letter.fields["hearing_place"] == "第三法庭" and letter.context["forum"] == "litigation"
    with at(date(2026, 3, 11)):
        gathering = meeting(
            c, mediating(c), meeting_at="2026-03-24T09:30", online_link="https://meeting.example.gov.cn/9"
        )
        drafted = notices.notice_draft(hearing=gathering, actor=c.clerk, doc_type=DocumentType.MEETING_NOTICE)
        assert (
            drafted.fields["hearing_place"]
            == "郧西县城关镇第一调解室（线上参加：https://meeting.example.gov.cn/9）"
        )
        assert c.agency.name in drafted.fields["addressee"]


# --- the figures per kind -------------------------------------------------------------------------------


def test_the_figures_per_kind_equal_a_hand_count(c):
    """120 court sessions, 119 with a head (99.17%, seed 004), 80 of them the principal (66.67%), one head
    silent; 12 reconsideration hearings, 11 with a head (91.67%), 9 principal (75.00%), 2 must-attend of
    which 1 with a head (50.00%); 2 meetings, both with a head; 1 court session only scheduled (not
    counted: no attendance recorded)."""
    d = recon_accepted(c)

    def hearings(kind: str, n: int, **extra) -> list[Hearing]:
        return [
            Hearing.objects.create(
                dispute=d,
                kind=kind,
                scheduled_by_event=DisputeEvent.objects.create(
                    dispute=d, action="x", actor=c.clerk, from_status=d.status, to_status=d.status
                ),
                scheduled_at=datetime(2026, 3, 1, 9, 0, tzinfo=workdays.SHANGHAI),
                status=Hearing.Status.HELD,
                created_by=c.clerk,
                **extra,
            )
            for _ in range(n)
        ]

    def record(rows: list[Hearing], attended: list[str], silent: set[int] = frozenset()) -> None:
        Attendance.objects.bulk_create(
            Attendance(
                hearing=h,
                attended=a,
                head_name="" if a in ("staff", "nobody") else "某",
                spoke=a in ("principal", "deputy") and i not in silent,
                recorded_by=c.clerk,
            )
            for i, (h, a) in enumerate(zip(rows, attended, strict=True))
        )

    court = hearings(HearingKind.COURT_SESSION, 120)
    record(court, ["principal"] * 80 + ["deputy"] * 39 + ["staff"], silent={7})
    recon = hearings(HearingKind.RECON_HEARING, 10) + hearings(HearingKind.RECON_HEARING, 2, must_attend=True)
    record(recon, ["principal"] * 9 + ["deputy", "nobody", "deputy"])
    meetings = hearings(HearingKind.RESOLUTION_MEETING, 2)
    record(meetings, ["deputy", "principal"])
    Hearing.objects.filter(pk=hearings(HearingKind.COURT_SESSION, 1)[0].pk).update(status="scheduled")
    figures = participation_by_kind(Hearing.objects.all())
    court_figures = figures[HearingKind.COURT_SESSION]
    assert (len(court_figures.held), len(court_figures.with_head)) == (120, 119)
    assert court_figures.head_rate == Decimal("99.17") and court_figures.principal_rate == Decimal("66.67")
    assert court_figures.silent_heads == [court[7].pk] and court[-1].pk not in court_figures.with_head
    recon_figures = figures[HearingKind.RECON_HEARING]
    assert (len(recon_figures.held), len(recon_figures.with_head), len(recon_figures.with_principal)) == (
        12,
        11,
        9,
    )
    assert recon_figures.head_rate == Decimal("91.67") and recon_figures.principal_rate == Decimal("75.00")
    assert recon_figures.must_attend == [recon[10].pk, recon[11].pk]
    assert recon_figures.must_attend_with_head == [recon[11].pk]
    assert recon_figures.must_attend_rate == Decimal("50.00")
    assert figures[HearingKind.RESOLUTION_MEETING].head_rate == Decimal("100.00")


# --- the API --------------------------------------------------------------------------------------------


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_the_api_records_court_sessions_and_meetings_and_calls_them_off_within_reach(c):
    with at(date(2026, 11, 18)):
        d = in_court(c)
        url = reverse("api-hearing-court-session", args=[d.pk])
        body = {"session_at": "2026-11-20T09:30", "place": "第三法庭", "notice_served_on": "2026-11-18"}
        short = api(c.court_clerk).post(url, body, format="json")
        assert short.status_code == 400 and "short_notice_reason" in short.json()
        assert api(c.other_liaison).post(url, body, format="json").status_code == 404
        made = api(c.court_clerk).post(
            url, {**body, "short_notice_reason": "合议庭调整", "officers": [c.judge.pk]}, format="json"
        )
        assert made.status_code == 201, made.content
        row = made.json()
        assert (row["kind"], row["officers"], row["must_attend"]) == ("court_session", [c.judge.pk], True)
        assert {p["role"] for p in row["participants"]} >= {"applicant", "agency"}
        cancel = reverse("api-hearing-cancel", args=[row["id"]])
        assert api(c.court_clerk).post(cancel, {}, format="json").status_code == 400
        assert api(c.other_liaison).post(cancel, {"reason": "改期"}, format="json").status_code == 404
        done = api(c.court_clerk).post(cancel, {"reason": "法院通知延期"}, format="json")
        assert done.status_code == 200 and done.json()["status"] == "cancelled"
    with at(date(2026, 3, 11)):
        m = mediating(c)
        made = api(c.clerk).post(
            reverse("api-hearing-meeting", args=[m.pk]),
            {"meeting_at": "2026-03-20T09:30", "room": c.room.pk, "procuratorate_invited": True},
            format="json",
        )
        assert made.status_code == 201, made.content
        assert (made.json()["place"], made.json()["procuratorate_invited"]) == ("第一调解室", True)
        bad = api(c.clerk).post(
            reverse("api-hearing-meeting", args=[m.pk]),
            {"meeting_at": "2026-03-21T09:30", "room": c.room.pk, "procuratorate_invited": "yes"},
            format="json",
        )
        assert bad.status_code == 400


def test_the_agency_reports_the_courts_summons_within_two_days_unless_it_recorded_it(c):
    with at(date(2026, 11, 16)):
        d = in_court(c)
        hearing = record_session(c, d, notice_served_on="2026-11-16")
        report = clock(d, "report_receipt", f"court_session-{hearing.pk}")
        assert (report.status, report.due_on, report.responsible_organisation) == (
            ClockStatus.OPEN,
            date(2026, 11, 18),
            c.agency,
        )
    with at(date(2026, 11, 17)):
        act(d, "report_receipt", c.liaison)  # the one-click 收文报备 of the case
    report.refresh_from_db()
    assert (report.status, report.met_on) == (ClockStatus.MET, date(2026, 11, 17))
    with at(date(2026, 11, 17)):
        moved = record_session(c, d, actor=c.liaison, session_at="2026-11-27T09:30")
    own = clock(d, "report_receipt", f"court_session-{moved.pk}")
    assert (own.status, own.met_on) == (ClockStatus.MET, date(2026, 11, 17))  # its own record reports it
