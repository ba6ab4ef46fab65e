"""The case page's deadlines card: every running clock of the case with its basis and how its last
day was counted, the completed ones folded away."""

from datetime import timedelta

from django.utils import timezone

from core.models import Organisation, User
from deadlines.models import Deadline
from demo import data
from demo.services import demo_seed
from disputes.choices import ActKind, CaseKind, Consent, MatterCategory, PartyKind, PartyRole, Source
from disputes.services import PartyInput, dispute_register, dispute_transition
from hearings.services import hearing_schedule

from .conftest import login


def test_case_page_shows_every_running_clock_with_its_basis(page, screenshot):
    demo_seed()
    clerk = User.objects.get(username="clerk")
    today = timezone.localdate()
    dispute = dispute_register(
        actor=clerk,
        centre=clerk.organisation,
        data={
            "kind": CaseKind.RECONSIDERATION,
            "source": Source.RECONSIDERATION,
            "received_on": today - timedelta(days=3),
            "respondent": Organisation.objects.filter(
                kind="agency", region=clerk.organisation.region
            ).first(),
            "act_kind": ActKind.EXPROPRIATION,
            "act_date": today - timedelta(days=30),
            "act_document_number": "郧西自然资征〔2026〕41号",
            "act_summary": "土门镇集体土地征收补偿安置决定",
            "matter": MatterCategory.LAND,
            "claims": "请求撤销补偿安置决定",
            "facts": "申请人认为补偿标准偏低",
            "consent": Consent.NOT_ASKED,
        },
        parties=[
            PartyInput(role=PartyRole.APPLICANT, kind=PartyKind.PERSON, name="周桂兰", phone="13972800000")
        ],
    )
    dispute_transition(
        dispute_id=dispute.pk,
        action="accept",
        actor=clerk,
        data={"accepted_on": (today - timedelta(days=2)).isoformat()},
    )
    hearing_at = (timezone.localtime() + timedelta(days=14)).replace(
        hour=9, minute=30, second=0, microsecond=0
    )
    hearing_schedule(
        dispute_id=dispute.pk,
        actor=clerk,
        data={"hearing_at": hearing_at.strftime("%Y-%m-%dT%H:%M"), "hearing_place": "郧西县司法局复议听证室"},
    )
    running = Deadline.objects.filter(subject_id=dispute.pk, status="open")
    # Four statutory clocks, the respondent's attendance on the hearing day (its reminders, seed 003) and
    # its answer whether its head attends, due the day before.
    assert running.count() == 6

    login(page, "clerk", data.DEMO_PASSWORD)
    page.goto(page.base_url + dispute.get_absolute_url())
    card = page.get_by_test_id("deadlines")
    items = card.locator("li.deadline")
    assert items.count() == 6
    text = card.inner_text()
    for label in (
        "申请书副本送被申请人",
        "被申请人答复及举证",
        "听证通知",
        "参加行政复议听证",
        "答复负责人参加听证",
        "行政复议决定",
    ):
        assert label in text
    assert "依据：行政复议法 第六十二条" in text
    assert "60 日，自" in text and "次日起算" in text
    assert "前 5 个工作日" in text  # the hearing notice, counted back from the hearing
    # The met acceptance review is in the folded list, hidden until opened.
    done = page.get_by_test_id("deadlines-done")
    assert not done.locator("table").is_visible()
    done.locator("summary").click()
    assert "受理审查" in done.inner_text() and "按期办结" in done.inner_text()
    # The card looks like the other cards of the case page.
    style = (
        "e => { const s = getComputedStyle(e); return [s.backgroundColor, s.borderRadius, s.paddingLeft]; }"
    )
    assert card.evaluate(style) == page.get_by_test_id("hearings").evaluate(style)
    card.scroll_into_view_if_needed()
    screenshot(page, "case-deadlines")
