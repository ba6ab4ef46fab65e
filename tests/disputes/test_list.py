"""The case list, its export and the home-page counts, as a clerk uses them."""

import re
from datetime import date, datetime, timedelta
from io import BytesIO
from urllib.parse import quote

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import load_workbook

from core import workdays
from core.home import panels_for
from core.models import Region
from core.roles import Role
from disputes import selectors, views_list
from disputes.choices import CaseKind, Consent, Source
from disputes.clocks import current_clock, running_deadlines
from disputes.models import Dispute
from disputes.services import dispute_transition
from tests.disputes.factories import County
from tests.factories import RegionFactory, user_with_role

pytestmark = pytest.mark.django_db

ROW = re.compile(r'data-testid="case-row">\s*<td class="nowrap"><a href="/disputes/(\d+)/">')


@pytest.fixture
def clock():
    """Monday 15 June 2026, 10:00 in Beijing; ``clock.shift()`` moves it on."""
    with time_machine.travel(datetime(2026, 6, 15, 10, 0, tzinfo=workdays.SHANGHAI), tick=False) as traveller:
        yield traveller


def act(dispute, action, actor, **data):
    return dispute_transition(dispute_id=dispute.pk, action=action, actor=actor, data=data)


class Cases:
    """Five cases of 郧西县, one per situation a clerk filters for (today: 2026-06-15).

    a 王大山 v. 自然资源局, resolution, accepted                       received 06-08
    b 李小红 v. 公安局, reconsideration application, awaiting acceptance  received 06-12
    c 赵六 v. 自然资源局, petition transfer, awaiting correction          received 05-06
    d 周杰 v. 自然资源局, mediating, mediator 陈建国                      received 05-20
    e 孙丽 v. 自然资源局, reconsideration accepted 03-03: decision overdue received 03-02
    """

    def __init__(self, clock):
        self.county = c = County()
        minute = timedelta(minutes=1)
        self.a = c.register(applicant="王大山", received_on=date(2026, 6, 8))
        clock.shift(minute)
        self.b = c.register(
            applicant="李小红",
            kind=CaseKind.RECONSIDERATION,
            source=Source.RECONSIDERATION,
            respondent=c.other_agency,
            received_on=date(2026, 6, 12),
            act_summary="对李小红作出的行政拘留十日的处罚决定",
            facts="申请人认为处罚事实不清",
        )
        clock.shift(minute)
        self.c = c.register(applicant="赵六", source=Source.PETITION_TRANSFER, received_on=date(2026, 5, 6))
        clock.shift(minute)
        self.d = c.register(
            applicant="周杰",
            received_on=date(2026, 5, 20),
            facts="申请人承包的林地被划入生态公益林，一直未获补偿",
        )
        clock.shift(minute)
        self.e = c.register(
            applicant="孙丽",
            kind=CaseKind.RECONSIDERATION,
            source=Source.RECONSIDERATION,
            received_on=date(2026, 3, 2),
        )
        clock.shift(minute)
        act(self.e, "accept", c.clerk, accepted_on="2026-03-03")
        clock.shift(minute)
        act(self.d, "accept", c.clerk, accepted_on="2026-05-21")
        clock.shift(minute)
        act(self.d, "assign_mediators", c.clerk, mediators=[c.mediator.pk])
        clock.shift(minute)
        act(self.c, "request_correction", c.clerk, items="补充身份证明")
        clock.shift(minute)
        act(self.a, "accept", c.clerk, accepted_on="2026-06-10")
        clock.shift(minute)

    def pks(self, *names):
        return [getattr(self, n).pk for n in names]


@pytest.fixture
def cases(clock):
    return Cases(clock)


def listed(client, **params) -> list[int]:
    response = client.get(reverse("disputes:list"), params)
    assert response.status_code == 200
    return [int(pk) for pk in ROW.findall(response.content.decode())]


# --- filters ---------------------------------------------------------------------------------------


def test_unfiltered_list_shows_every_case_newest_received_first(client, cases):
    client.force_login(cases.county.clerk)
    assert listed(client) == cases.pks("b", "a", "d", "c", "e")


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"stage": "intake"}, "bc"),
        ({"stage": "resolution"}, "ad"),
        ({"stage": "reconsideration"}, "e"),
        ({"stage": "litigation"}, ""),
        ({"stage": "open"}, "abcde"),
        ({"status": "registered"}, "b"),
        ({"status": "correction"}, "c"),
        ({"status": "accepted,mediating"}, "ad"),
        ({"source": "reconsideration"}, "be"),
        ({"source": "petition_transfer"}, "c"),
        ({"kind": "reconsideration"}, "be"),
        ({"kind": "resolution"}, "acd"),
        ({"received_from": "2026-05-01", "received_to": "2026-05-31"}, "cd"),
        ({"received_from": "2026-06-08"}, "ab"),
        ({"received_to": "2026-05-06"}, "ce"),
        ({"overdue": "yes"}, "e"),
        ({"overdue": "no"}, "abcd"),
        ({"stage": "resolution", "overdue": "yes"}, ""),
        ({"source": "reconsideration", "overdue": "no"}, "b"),
    ],
)
def test_each_filter_narrows_the_list(client, cases, params, expected):
    client.force_login(cases.county.clerk)
    assert sorted(listed(client, **params)) == sorted(cases.pks(*expected))


def test_respondent_region_and_mediator_filters(client, cases):
    c = cases.county
    client.force_login(c.clerk)
    assert listed(client, respondent=c.other_agency.pk) == cases.pks("b")
    assert sorted(listed(client, respondent=c.agency.pk)) == sorted(cases.pks("a", "c", "d", "e"))
    assert listed(client, mediator=c.mediator.pk) == cases.pks("d")
    assert len(listed(client, region=c.region.pk)) == 5
    township = RegionFactory(name="土门镇", code="420322100", level=Region.Level.TOWNSHIP, parent=c.region)
    assert listed(client, region=township.pk) == []
    # The city is above the county clerk's reach: not a choice, so an error rather than a filter.
    response = client.get(reverse("disputes:list"), {"region": c.region.parent.pk})
    assert "选择一个有效的选项" in response.content.decode()


def test_region_filter_includes_everything_below_the_region(client, cases):
    c = cases.county
    city_clerk = user_with_role(Role.CENTRE_CLERK, region=c.region.parent)
    client.force_login(city_clerk)
    assert len(listed(client, region=c.region.parent.pk)) == 5  # the city: its county's cases too
    assert len(listed(client, region=c.region.pk)) == 5
    other_county = RegionFactory(
        name="郧阳区", code="420304", level=Region.Level.COUNTY, parent=c.region.parent
    )
    assert listed(client, region=other_county.pk) == []


def test_search_by_two_character_name_number_and_phrase_from_the_facts(client, cases):
    client.force_login(cases.county.clerk)
    assert listed(client, q="周杰") == cases.pks("d")
    assert listed(client, q=cases.e.number) == cases.pks("e")
    assert listed(client, q=cases.b.number) == cases.pks("b")
    assert listed(client, q="生态公益林") == cases.pks("d")
    assert listed(client, q="行政拘留") == cases.pks("b")
    # The way clerks type a number: half-width brackets, or only its tail.
    assert listed(client, q=cases.a.number.replace("〔", "[").replace("〕", "]")) == cases.pks("a")
    assert listed(client, q="复字第2号") == cases.pks("e")
    assert listed(client, q="不存在的名字") == []


def test_search_combines_with_filters(client, cases):
    client.force_login(cases.county.clerk)
    assert listed(client, q="补偿", stage="resolution") == cases.pks("a", "d")
    assert listed(client, q="补偿", stage="intake") == cases.pks("b", "c")  # the claims ask for 补偿
    assert listed(client, q="邻村", stage="intake") == cases.pks("c")


# --- who sees what --------------------------------------------------------------------------------


def test_an_agency_sees_only_its_own_cases(client, cases):
    c = cases.county
    client.force_login(c.liaison)
    assert sorted(listed(client)) == sorted(cases.pks("a", "c", "d", "e"))
    client.force_login(c.other_liaison)
    assert listed(client) == cases.pks("b")


def test_naming_another_agency_in_the_filter_shows_an_error_not_its_cases(client, cases):
    c = cases.county
    client.force_login(c.other_liaison)
    response = client.get(reverse("disputes:list"), {"respondent": c.agency.pk})
    assert response.status_code == 200
    body = response.content.decode()
    assert "选择一个有效的选项" in body
    assert [int(pk) for pk in ROW.findall(body)] == cases.pks("b")
    assert cases.a.number not in body


def test_a_mediator_sees_the_cases_assigned_to_them(client, cases):
    client.force_login(cases.county.mediator)
    assert listed(client) == cases.pks("d")


def test_court_clerk_sees_the_county(client, cases):
    client.force_login(cases.county.court_clerk)
    assert len(listed(client)) == 5


def test_a_role_without_case_access_is_refused(client, cases):
    client.force_login(user_with_role(Role.COMMITTEE_MEMBER))
    assert client.get(reverse("disputes:list")).status_code == 403
    assert client.get(reverse("disputes:export")).status_code == 403


def test_a_user_with_no_cases_gets_an_empty_list_not_an_error(client, clock):
    client.force_login(user_with_role(Role.CENTRE_CLERK))
    response = client.get(reverse("disputes:list"))
    assert response.status_code == 200
    assert ROW.findall(response.content.decode()) == []


# --- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"received_from": "2026-13-45"}, "输入一个有效的日期。"),
        ({"received_to": "昨天"}, "输入一个有效的日期。"),
        ({"stage": "nonsense"}, "选择一个有效的选项"),
        ({"status": "accepted,bogus"}, "选择一个有效的选项"),
        ({"source": "<script>"}, "选择一个有效的选项"),
        ({"kind": "x"}, "选择一个有效的选项"),
        ({"respondent": "abc"}, "选择一个有效的选项"),
        ({"respondent": "99999999999999999999999"}, "选择一个有效的选项"),
        ({"region": "-1"}, "选择一个有效的选项"),
        ({"mediator": "1.5"}, "选择一个有效的选项"),
        ({"overdue": "maybe"}, "选择一个有效的选项"),
        ({"per_page": "100000"}, "选择一个有效的选项"),
        ({"sort": "password"}, "选择一个有效的选项"),
        ({"q": "周\x00杰"}, "不允许"),
        ({"q": "长" * 101}, "100"),
    ],
)
def test_bad_filter_input_is_reported_beside_the_field(client, cases, params, message):
    client.force_login(cases.county.clerk)
    response = client.get(reverse("disputes:list"), params)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert 'role="alert"' in body
    # The list still shows, without the filter it could not read.
    assert len(ROW.findall(body)) == 5


def test_a_bad_filter_leaves_the_good_ones_applied(client, cases):
    client.force_login(cases.county.clerk)
    response = client.get(
        reverse("disputes:list"), {"source": "reconsideration", "received_from": "2026-02-30"}
    )
    body = response.content.decode()
    assert "输入一个有效的日期。" in body
    assert sorted(int(pk) for pk in ROW.findall(body)) == sorted(cases.pks("b", "e"))


def test_reversed_date_range_is_an_error(client, cases):
    client.force_login(cases.county.clerk)
    response = client.get(
        reverse("disputes:list"), {"received_from": "2026-06-01", "received_to": "2026-05-01"}
    )
    assert response.status_code == 200
    assert gettext("The end date cannot be earlier than the start date.") in response.content.decode()


def test_a_page_number_out_of_range_shows_the_last_page(client, clock):
    c = County()
    registered = [c.register(applicant=f"申请人{i}", received_on=date(2026, 6, 1)).pk for i in range(27)]
    newest_first = registered[::-1]  # same day and moment: the later registration first
    client.force_login(c.clerk)
    assert listed(client, page="999") == newest_first[25:] == [registered[1], registered[0]]
    assert listed(client, page="999") == listed(client, page=2)
    assert listed(client, page="abc") == newest_first[:25]  # not a number: the first page


# --- sorting --------------------------------------------------------------------------------------


def test_sorting_by_each_whitelisted_key(client, cases):
    client.force_login(cases.county.clerk)
    assert listed(client, sort="received_on") == cases.pks("e", "c", "d", "a", "b")
    assert listed(client, sort="-received_on") == cases.pks("b", "a", "d", "c", "e")
    by_number = sorted(
        [cases.a, cases.b, cases.c, cases.d, cases.e], key=lambda d: (d.year, d.kind, d.sequence)
    )
    assert listed(client, sort="number") == [d.pk for d in by_number]
    assert listed(client, sort="-number") == [d.pk for d in reversed(by_number)]
    # Last changed: a (accepted last), c, d, e; b never moved since registration.
    assert listed(client, sort="-status_changed_at") == cases.pks("a", "c", "d", "e", "b")
    assert listed(client, sort="status_changed_at") == cases.pks("b", "e", "d", "c", "a")


def test_sorting_by_respondent_groups_each_agency(client, cases):
    client.force_login(cases.county.clerk)
    names = {d.pk: d.respondent.name for d in Dispute.objects.select_related("respondent")}
    ascending = [names[pk] for pk in listed(client, sort="respondent")]
    descending = [names[pk] for pk in listed(client, sort="-respondent")]
    assert ascending.count(cases.county.other_agency.name) == 1
    assert ascending[0] != ascending[-1]
    assert [n for i, n in enumerate(ascending) if i == 0 or n != ascending[i - 1]] == list(
        dict.fromkeys(reversed(descending))
    )


def test_column_headers_link_to_sorting_and_keep_the_filters(client, cases):
    client.force_login(cases.county.clerk)
    body = client.get(reverse("disputes:list"), {"source": "reconsideration", "page": "1"}).content.decode()
    # Newest first is the default, so the date column offers oldest first.
    assert 'href="?source=reconsideration&amp;sort=received_on"' in body
    assert "source=reconsideration&amp;sort=-number" in body
    assert "page=1&amp;sort" not in body


# --- the page -------------------------------------------------------------------------------------


def test_the_page_shows_what_a_clerk_reads(client, cases):
    client.force_login(cases.county.clerk)
    body = client.get(reverse("disputes:list")).content.decode()
    d = cases.d
    assert d.number in body and reverse("disputes:detail", args=[d.pk]) in body
    assert "周杰" in body and d.respondent.name in body
    assert "2026-05-20" in body
    assert str(d.get_stage_display()) in body and d.get_status_display() in body
    assert reverse("disputes:register") in body  # the clerk may register
    assert reverse("disputes:export") in body
    assert 'class="tag overdue"' in body  # e is overdue
    assert gettext("Cases found: %(n)s") % {"n": 5} in body


def test_agency_users_get_no_register_button(client, cases):
    client.force_login(cases.county.liaison)
    body = client.get(reverse("disputes:list")).content.decode()
    assert reverse("disputes:register") not in body


def test_a_status_group_from_the_home_page_is_shown_in_the_filter_bar(client, cases):
    client.force_login(cases.county.clerk)
    body = client.get(reverse("disputes:list"), {"status": "accepted,mediating"}).content.decode()
    assert '<option value="accepted,mediating" selected>' in body


def test_empty_result_offers_to_clear_the_filters(client, cases):
    client.force_login(cases.county.clerk)
    body = client.get(reverse("disputes:list"), {"q": "不存在的名字"}).content.decode()
    assert gettext("No cases match these filters.") in body
    assert gettext("Clear filters") in body


def test_pages_hold_25_and_per_page_up_to_100(client, clock):
    c = County()
    for i in range(27):
        c.register(applicant=f"申请人{i}", received_on=date(2026, 6, 1))
    client.force_login(c.clerk)
    assert len(listed(client)) == 25
    assert len(listed(client, page=2)) == 2
    assert len(listed(client, per_page=50)) == 27


# --- query count ----------------------------------------------------------------------------------


def _list_queries(client, params) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("disputes:list"), params)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(ROW.findall(response.content.decode()))


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_list_export_and_home_cost_the_same_queries_for_10_and_100_rows(client, clock):
    c = County()

    def build(n, start):
        for i in range(start, start + n):
            d = c.register(applicant=f"申请人{i}", received_on=date(2026, 1, 20) + timedelta(days=i % 140))
            if i % 3 == 0:
                act(d, "accept", c.clerk, accepted_on="2026-06-01")

    build(10, 0)
    client.force_login(c.clerk)
    params = {"per_page": 100, "stage": "open", "q": "申请人"}  # a search and a filter, matching every case
    client.get(reverse("disputes:list"), params)  # warm the session and the working-day calendar
    ten, rows = _list_queries(client, params)
    assert rows == 10
    ten_export = _queries(client, reverse("disputes:export"), params)
    ten_home = _queries(client, reverse("home"))
    build(90, 10)
    hundred, rows = _list_queries(client, params)
    assert rows == 100
    assert hundred == ten
    assert _queries(client, reverse("disputes:export"), params) == ten_export
    assert _queries(client, reverse("home")) == ten_home


# --- export ---------------------------------------------------------------------------------------


def _sheet(response):
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return load_workbook(BytesIO(body)).active


def test_export_is_an_xlsx_of_the_filtered_rows_with_chinese_headers(client, cases):
    client.force_login(cases.county.clerk)
    response = client.get(reverse("disputes:export"), {"source": "reconsideration", "page": "3"})
    assert response.status_code == 200
    assert response["Content-Type"] == views_list.XLSX_TYPE
    filename = f"{gettext('Administrative disputes')}_20260615.xlsx"
    assert f"filename*=UTF-8''{quote(filename)}" in response["Content-Disposition"]
    assert 'filename="disputes_20260615.xlsx"' in response["Content-Disposition"]
    sheet = _sheet(response)
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [gettext(str(header)) for header, _width in views_list.EXPORT_COLUMNS]
    assert {r[0] for r in rows[1:]} == {cases.b.number, cases.e.number}  # every page, only the filtered
    by_number = {r[0]: r for r in rows[1:]}
    b = by_number[cases.b.number]
    assert b[3] == "李小红"
    assert b[4].startswith("420322") and "********" in b[4]  # masked, as on every page
    assert b[5].count("*") == 4 or b[5] == ""
    assert b[6] == cases.county.other_agency.name
    assert b[7] == "对李小红作出的行政拘留十日的处罚决定"
    assert b[9].date() == date(2026, 6, 12)
    assert b[11] == cases.b.get_status_display()


def test_export_headers_are_the_chinese_ledger_columns_when_translated(client, cases):
    translated = [gettext(str(header)) for header, _width in views_list.EXPORT_COLUMNS]
    if translated[0] == "Case number":
        pytest.skip("the zh-hans catalogue has not been compiled with this app's strings yet")
    expected = [
        "案号",
        "来源",
        "类型",
        "申请人",
        "申请人证件号码",
        "申请人联系电话",
        "被申请人",
        "争议行为",
        "争议类型",
        "收案日期",
        "当前阶段",
        "当前状态",
    ]
    client.force_login(cases.county.clerk)
    rows = list(_sheet(client.get(reverse("disputes:export"))).iter_rows(values_only=True))
    assert list(rows[0]) == expected


def test_export_is_scoped_like_the_list(client, cases):
    client.force_login(cases.county.other_liaison)
    rows = list(_sheet(client.get(reverse("disputes:export"))).iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [cases.b.number]


def test_export_over_the_cap_is_refused_with_a_message(client, cases, monkeypatch):
    monkeypatch.setattr(views_list, "EXPORT_LIMIT", 4)
    client.force_login(cases.county.clerk)
    response = client.get(reverse("disputes:export"), {"stage": "open"})
    assert response.status_code == 302
    assert response["Location"] == reverse("disputes:list") + "?stage=open"
    body = client.get(response["Location"]).content.decode()
    assert "5" in body and "4" in body and 'class="message' in body
    assert client.get(reverse("disputes:export"), {"stage": "resolution"}).status_code == 200


def test_export_with_bad_filters_goes_back_to_the_list(client, cases):
    client.force_login(cases.county.clerk)
    response = client.get(reverse("disputes:export"), {"received_from": "x"})
    assert response.status_code == 302
    assert "输入一个有效的日期。" in client.get(response["Location"]).content.decode()


# --- overdue is the case page's clock ------------------------------------------------------------


def test_overdue_matches_the_clock_on_the_case_page(clock):
    c = County()
    clerk = c.clerk
    clock.move_to(datetime(2026, 4, 20, 10, 0, tzinfo=workdays.SHANGHAI))
    recon = {"kind": CaseKind.RECONSIDERATION, "source": Source.RECONSIDERATION}
    # Decision due 2026-04-20 + 60 = 06-19, a holiday: the period ends on Monday 06-22.
    # (Each respondent replies at once, so only the decision clock runs.)
    holiday_end = c.register(applicant="甲", received_on=date(2026, 4, 20), **recon)
    act(holiday_end, "accept", clerk, accepted_on="2026-04-20")
    act(holiday_end, "record_reply", c.liaison, reply_received_on="2026-04-20")
    # Simplified procedure: 30 days.
    simplified = c.register(applicant="乙", received_on=date(2026, 4, 20), **recon)
    act(simplified, "accept", clerk, accepted_on="2026-04-20", simplified=True)
    act(simplified, "record_reply", c.liaison, reply_received_on="2026-04-20")
    # Extended by 30 days: due 2026-04-01 + 90 = 06-30.
    extended = c.register(applicant="丙", received_on=date(2026, 4, 1), **recon)
    act(extended, "accept", clerk, accepted_on="2026-04-01")
    act(extended, "record_reply", c.liaison, reply_received_on="2026-04-03")
    act(extended, "extend", clerk, days=30, approved_by="局长", reason="案情复杂")
    # Suspended: the clock stands still.
    suspended = c.register(applicant="丁", received_on=date(2026, 1, 5), act_date=date(2026, 1, 2), **recon)
    act(suspended, "accept", clerk, accepted_on="2026-01-05")
    act(suspended, "record_reply", c.liaison, reply_received_on="2026-01-09")
    act(suspended, "suspend", clerk, suspended_on="2026-02-01", reason="等待鉴定")
    # Court pushed, party refused: litigation; the answer is due 15 days after the notice.
    sued = c.register(
        applicant="戊",
        source=Source.COURT_PUSH,
        court=c.court,
        consent=Consent.REFUSED,
        consent_note="当事人不同意诉前化解",
        court_case_number="(2026)鄂0322行初5号",
        received_on=date(2026, 4, 1),
    )
    clock.move_to(datetime(2026, 6, 1, 10, 0, tzinfo=workdays.SHANGHAI))
    act(sued, "receive_notice", c.court_clerk, received_on="2026-06-01")  # answer due 06-16
    # Performance due 06-12.
    performing = c.register(applicant="己", received_on=date(2026, 3, 2), **recon)
    act(performing, "accept", clerk, accepted_on="2026-03-02")
    act(performing, "record_reply", c.liaison, reply_received_on="2026-03-05")
    act(
        performing,
        "decide",
        clerk,
        decision_type="order_performance",
        decided_on="2026-05-20",
        duty_to_perform=True,
        perform_by="2026-06-12",
    )
    act(performing, "take_effect", clerk, effective_on="2026-05-25")
    # Intake: acceptance review (5 working days) and correction (10 working days).
    waiting = c.register(applicant="庚", received_on=date(2026, 6, 1), **recon)
    correcting = c.register(applicant="辛", received_on=date(2026, 5, 25), **recon)
    act(correcting, "request_correction", clerk, items="补充材料")  # asked 06-01
    # Resolution: 30 days from acceptance, 06-01 + 30 = 07-01.
    resolving = c.register(applicant="壬", received_on=date(2026, 6, 1))
    act(resolving, "accept", clerk, accepted_on="2026-06-01")
    everything = Dispute.objects.all()
    assert everything.count() == 9

    for day in [
        (6, 8),
        (6, 9),
        (6, 10),
        (6, 12),
        (6, 15),
        (6, 16),
        (6, 17),
        (6, 19),
        (6, 22),
        (6, 23),
        (7, 1),
        (7, 2),
    ]:
        clock.move_to(datetime(2026, *day, 9, 0, tzinfo=workdays.SHANGHAI))
        by_clock = set()
        for d in everything:
            running = current_clock(running_deadlines(d))
            if running and running.overdue:
                by_clock.add(d.pk)
        by_sql = set(
            selectors.dispute_list(user=clerk, filters={"overdue": "yes"}).values_list("pk", flat=True)
        )
        assert by_sql == by_clock, day
        flagged = {d.pk for d in selectors.dispute_list(user=clerk, filters={}) if d.is_overdue}
        assert flagged == by_clock, day

    clock.move_to(datetime(2026, 6, 22, 9, 0, tzinfo=workdays.SHANGHAI))
    late = set(selectors.dispute_list(user=clerk, filters={"overdue": True}).values_list("pk", flat=True))
    assert holiday_end.pk not in late  # the holiday moved the end of the period to today
    assert {simplified.pk, performing.pk, waiting.pk, sued.pk} <= late
    assert suspended.pk not in late and extended.pk not in late
    clock.move_to(datetime(2026, 6, 23, 9, 0, tzinfo=workdays.SHANGHAI))
    assert holiday_end.pk in set(
        selectors.dispute_list(user=clerk, filters={"overdue": True}).values_list("pk", flat=True)
    )

    # Performing the decision stops its clock; the follow-up visit (decided 05-20 + 30 days = 06-19, the
    # Dragon Boat Festival: 06-22) is still owed, and overdue from 06-23.
    clock.move_to(datetime(2026, 6, 22, 9, 0, tzinfo=workdays.SHANGHAI))
    act(performing, "record_performance", clerk, performed_on="2026-06-22", performance_note="已按决定履行")
    late = set(selectors.dispute_list(user=clerk, filters={"overdue": True}).values_list("pk", flat=True))
    assert performing.pk not in late
    clock.move_to(datetime(2026, 6, 23, 9, 0, tzinfo=workdays.SHANGHAI))
    late = set(selectors.dispute_list(user=clerk, filters={"overdue": True}).values_list("pk", flat=True))
    assert performing.pk in late
    assert current_clock(running_deadlines(performing)).label == "决定后回访"


# --- home panels ----------------------------------------------------------------------------------


def _items(user) -> dict[str, tuple[int, str]]:
    return {str(item.label): (item.count, item.url) for panel in panels_for(user) for item in panel.items}


def test_home_panels_count_the_clerks_work_and_link_to_the_same_cases(client, cases):
    clerk = cases.county.clerk
    items = _items(clerk)
    counts = {label: count for label, (count, _url) in items.items()}
    assert counts[gettext("Cases to accept")] == 1
    assert counts[gettext("Cases awaiting correction")] == 1
    assert counts[gettext("Under resolution")] == 2
    assert counts[gettext("Reconsideration under way")] == 1
    assert counts[gettext("In litigation")] == 0
    assert counts[gettext("Overdue")] == 1
    client.force_login(clerk)
    for label, (count, url) in items.items():
        if count is None:
            continue  # not a count: a deadline of the clerk's own, linked to its case
        if url.startswith(reverse("deadlines:remedies")):
            assert count == 0  # no remedy task in these cases (tests/disputes/test_agency_duty_pages.py)
            continue
        path, query = url.split("?")
        assert path == reverse("disputes:list")
        response = client.get(url)
        assert len(ROW.findall(response.content.decode())) == count, label
    body = client.get(reverse("home")).content.decode()
    assert "/disputes/?overdue=yes" in body
    assert "/disputes/?status=accepted%2Cmediating" in body


def test_home_panel_for_an_agency_counts_its_own_cases(client, cases):
    items = _items(cases.county.liaison)
    assert items[gettext("Open cases")][0] == 4
    assert items[gettext("Overdue")][0] == 1
    assert gettext("Cases to accept") not in items  # intake is the centre's work
    assert _items(cases.county.other_liaison)[gettext("Open cases")][0] == 1
    titles = [str(p.title) for p in panels_for(cases.county.liaison)]
    assert gettext("Cases of this agency") in titles


def test_home_panel_for_a_mediator_shows_their_cases(client, cases):
    mediator = cases.county.mediator
    titles = [str(p.title) for p in panels_for(mediator)]
    assert titles.count(gettext("My cases")) == 1
    assert gettext("Case work") not in titles
    items = _items(mediator)
    assert items[gettext("Open cases")][0] == 1
    assert items[gettext("Under resolution")][0] == 1
    client.force_login(mediator)
    assert listed(
        client, **dict(pair.split("=") for pair in items[gettext("Open cases")][1].split("?")[1].split("&"))
    ) == cases.pks("d")


def test_home_counts_are_three_queries(cases):
    clerk = cases.county.clerk
    selectors.home_counts(user=clerk)  # warm the calendar
    with CaptureQueriesContext(connection) as ctx:
        counts = selectors.home_counts(user=clerk)
    assert len(ctx.captured_queries) == 3  # open cases by status; the clerk's own by status; the overdue
    assert counts["open"] == 5 and counts["overdue"] == 1


def test_committee_members_get_no_case_panels(cases):
    member = user_with_role(Role.COMMITTEE_MEMBER)
    assert not any(p.title in (gettext("Case work"), gettext("My cases")) for p in panels_for(member))


# --- the case page selector ------------------------------------------------------------------------


def test_dispute_get_loads_the_case_page_in_a_fixed_number_of_queries(cases):
    from django.http import Http404

    c = cases.county
    with CaptureQueriesContext(connection) as ctx:
        d = selectors.dispute_get(user=c.clerk, pk=cases.d.pk)
    fetched = len(ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        names = [p.name for p in d.parties.all()]
        actions = [(e.action, e.actor.name) for e in d.events.all()]
        mediators = [a.mediator.name for a in d.assignments.all()]
        _ = [list(r.sessions.all()) for r in d.resolutions.all()]
        _ = (
            list(d.reconsiderations.all()),
            list(d.litigations.all()),
            list(d.attachments.all()),
            list(d.notes.all()),
        )
        _ = d.respondent.name, d.centre.name, d.region.name
    assert len(ctx.captured_queries) == 0
    assert names == ["周杰"] and mediators == ["陈建国"]
    assert [a for a, _n in actions] == ["register", "accept", "assign_mediators"]
    assert fetched <= 12
    with pytest.raises(Http404):
        selectors.dispute_get(user=c.other_liaison, pk=cases.d.pk)
