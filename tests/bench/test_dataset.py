"""The benchmark province (bench/dataset.py), built small into the test database: what it makes must be
what the app itself reads as valid cases."""

import pytest
from django.db import connection

from bench.dataset import build_dataset

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the generator writes PostgreSQL SQL"),
]

CASES = 2000
STAGE_ROW = {
    "resolution": ["accepted", "mediating", "agreed", "confirmation_requested", "failed", "transferred"],
    "reconsiderations": [
        "recon_accepted",
        "recon_replied",
        "recon_hearing",
        "recon_suspended",
        "recon_decided",
    ],
    "litigations": ["lit_filed", "lit_noticed", "lit_answered", "lit_heard", "lit_decided", "lit_appealed"],
}
# Open statuses in which every case has a running (open or paused) stored deadline.
CLOCKED = ["accepted", "mediating", "agreed", "recon_accepted", "recon_replied", "recon_hearing",
           "recon_suspended", "recon_decided", "lit_noticed"]  # fmt: skip


@pytest.fixture
def province():
    return build_dataset(cases=CASES)


def test_the_province_is_valid_for_the_app(province):
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count, Min

    from core.models import User
    from deadlines.models import Deadline
    from deadlines.selectors import open_deadlines_overdue_count
    from disputes.models import Dispute, Litigation, Reconsideration, Resolution
    from disputes.selectors import OPEN_STATUSES, dispute_get, dispute_list

    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # every foreign key the load wrote, checked now

    assert Dispute.objects.count() == CASES == province.counts["disputes_dispute"]
    statuses = dict(Dispute.objects.values_list("status").annotate(n=Count("pk")))
    assert statuses["closed"] > CASES // 2
    assert len(set(statuses) & set(OPEN_STATUSES)) >= 15

    models = {"resolution": Resolution, "reconsiderations": Reconsideration, "litigations": Litigation}
    for relation, wanted in STAGE_ROW.items():
        rows = (
            models[relation].objects.filter(dispute__status__in=wanted).values("dispute").distinct().count()
        )
        assert rows == Dispute.objects.filter(status__in=wanted).count(), relation

    subject_type = ContentType.objects.get_for_model(Dispute)
    clocked = Dispute.objects.filter(status__in=CLOCKED)
    running = Deadline.objects.filter(subject_type=subject_type, status__in=("open", "paused"))
    assert clocked.exclude(pk__in=running.values("subject_id")).count() == 0
    assert (
        not running.filter(subject_id__in=Dispute.objects.filter(status="closed").values("pk"))
        .exclude(rule__code="followup_visit")
        .exists()
    )

    clerk = User.objects.get(username=province.county_clerk)
    page = list(dispute_list(user=clerk, filters={})[:20])
    assert len(page) == 20 and all(d.region_id == clerk.organisation.region_id for d in page)
    case = dispute_get(user=clerk, pk=page[0].pk)
    assert case.number.startswith(f"〔{case.year}〕")

    top = User.objects.get(username=province.province_clerk)
    assert dispute_list(user=top, filters={}).count() == CASES
    overdue = open_deadlines_overdue_count(user=top)
    open_cases = Dispute.objects.filter(status__in=OPEN_STATUSES).count()
    assert 0 < overdue < open_cases
    # Each case's earliest last day is the one the deadline services would have written.
    written = dict(Dispute.objects.filter(next_due_on__isnull=False).values_list("pk", "next_due_on"))
    earliest = dict(
        Deadline.objects.filter(subject_type=subject_type, status="open")
        .values_list("subject_id")
        .annotate(first=Min("due_on"))
    )
    assert written == earliest and written
    assert 0 < dispute_list(user=top, filters={"overdue": "yes"}).count() < open_cases

    liaison = User.objects.get(username=province.agency_liaison)
    assert dispute_list(user=liaison, filters={}).exists()

    applicant = case.parties.filter(role="applicant").first()
    found = dispute_list(user=top, filters={"q": applicant.name})
    assert case.pk in set(found.values_list("pk", flat=True))
