import pytest

from disputes.services import dispute_transition
from tests.disputes.factories import County

pytestmark = pytest.mark.django_db


def test_main_path_smoke():
    c = County()
    d = c.register()
    assert d.number == "〔2026〕郧西化字第1号"
    d = dispute_transition(dispute_id=d.pk, action="accept", actor=c.clerk, data={"accepted_on": "2026-03-03"})
    assert d.status == "accepted"
    d = dispute_transition(dispute_id=d.pk, action="assign_mediators", actor=c.clerk, data={"mediators": [c.mediator.pk]})
    d = dispute_transition(dispute_id=d.pk, action="reach_agreement", actor=c.mediator, data={"agreement_terms": "补偿20万元", "signed_on": "2026-03-20"})
    d = dispute_transition(dispute_id=d.pk, action="request_confirmation", actor=c.clerk, data={"court": c.court.pk, "requested_on": "2026-03-21"})
    d = dispute_transition(dispute_id=d.pk, action="confirm", actor=c.court_clerk, data={"confirmed_on": "2026-03-25", "confirmation_number": "(2026)鄂0322民特1号"})
    assert d.status == "closed" and d.closing_reason == "confirmed"
    assert [e.action for e in d.events.all()] == ["register", "accept", "assign_mediators", "reach_agreement", "request_confirmation", "confirm"]
    assert d.history.count() >= 5
