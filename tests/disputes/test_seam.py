"""The seam the apps above disputes plug into (disputes/seam.py, docs/seam.md): transition handlers
inside the transition's transaction, actions and panels on the case page — with test handlers and
actions registered here, and with the real one the hearings app registers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import FrozenInstanceError

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from core.roles import Capability
from disputes import seam
from disputes.choices import Status
from disputes.models import Dispute, DisputeEvent, Note
from disputes.selectors import available_actions
from disputes.services import TransitionRefused, dispute_transition
from tests.disputes.factories import County
from tests.disputes.test_lifecycle import act, recon_accepted, writes_nothing

pytestmark = pytest.mark.django_db


@pytest.fixture
def c() -> County:
    return County()


@pytest.fixture
def handlers() -> Iterator[list[seam.TransitionHandler]]:
    """Handlers a test registers through this list are removed again afterwards."""
    registered: list[seam.TransitionHandler] = []
    yield registered
    for handler in registered:
        seam.unregister_transition_handler(handler)


def register(handlers, handler, **filters) -> None:
    seam.register_transition_handler(handler, **filters)
    handlers.append(handler)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def actions_bar(response) -> str:
    html = response.content.decode()
    if 'data-testid="actions"' not in html:
        return ""
    start = html.index('data-testid="actions"')
    return html[start : html.index("</nav>", start)]


# --- transition handlers ---------------------------------------------------------------------------


def test_handlers_run_after_the_transition_in_registration_order_with_its_context(c, handlers):
    seen: list[tuple] = []
    contexts: list[seam.TransitionContext] = []

    def first(ctx: seam.TransitionContext) -> None:
        # The transition is applied and its timeline entry written when a handler runs.
        assert Dispute.objects.get(pk=ctx.dispute.pk).status == Status.ACCEPTED
        assert DisputeEvent.objects.filter(pk=ctx.event.pk, action="accept").exists()
        seen.append(
            ("first", ctx.action, ctx.from_status, ctx.to_status, ctx.actor, str(ctx.data["accepted_on"]))
        )

    def second(ctx: seam.TransitionContext) -> None:
        seen.append(("second", ctx.action))
        contexts.append(ctx)

    register(handlers, first, actions={"accept"})
    register(handlers, second, actions={"accept"})
    d = c.register()
    act(d, "accept", c.clerk, accepted_on="2026-03-03")
    assert seen == [
        ("first", "accept", Status.REGISTERED, Status.ACCEPTED, c.clerk, "2026-03-03"),
        ("second", "accept"),
    ]
    # The context is frozen and its data read-only: a handler cannot change what the next one sees.
    context = contexts[0]
    with pytest.raises(FrozenInstanceError):
        context.action = "decide"  # type: ignore[misc]
    with pytest.raises(TypeError):
        context.data["accepted_on"] = "2026-03-04"  # type: ignore[index]


def test_handlers_are_filtered_by_action_and_by_the_status_reached(c, handlers):
    calls: dict[str, list[str]] = {"register": [], "accept": [], "to_accepted": [], "to_mediating": []}
    register(handlers, lambda ctx: calls["register"].append(ctx.to_status), actions={"register"})
    register(handlers, lambda ctx: calls["accept"].append(ctx.action), actions={"accept"})
    register(handlers, lambda ctx: calls["to_accepted"].append(ctx.action), statuses_to={Status.ACCEPTED})
    register(handlers, lambda ctx: calls["to_mediating"].append(ctx.action), statuses_to={Status.MEDIATING})

    d = c.register()
    act(d, "accept", c.clerk, accepted_on="2026-03-03")
    assert calls == {
        "register": [Status.REGISTERED],  # the entry event, action "register"
        "accept": ["accept"],
        "to_accepted": ["accept"],
        "to_mediating": [],
    }
    act(d, "assign_mediators", c.clerk, mediators=[c.mediator.pk])
    assert calls["to_mediating"] == ["assign_mediators"] and calls["accept"] == ["accept"]


def test_a_refusing_handler_rolls_back_the_transition_and_the_earlier_handlers_writes(c, handlers):
    d = c.register()

    def writes(ctx: seam.TransitionContext) -> None:
        Note.objects.create(dispute=ctx.dispute, text="由处理程序写入", author=ctx.actor)

    def refuses(ctx: seam.TransitionContext) -> None:
        raise TransitionRefused("听证室尚未落实，暂不能受理。")

    register(handlers, writes, actions={"accept"})
    register(handlers, refuses, actions={"accept"})
    with writes_nothing(), pytest.raises(TransitionRefused, match="听证室尚未落实"):
        act(d, "accept", c.clerk, accepted_on="2026-03-03")
    assert not Note.objects.filter(dispute=d).exists()
    assert Dispute.objects.get(pk=d.pk).status == Status.REGISTERED

    # Through the page: the user is told why, and nothing is recorded.
    response = client_for(c.clerk).post(
        reverse("disputes:action", args=[d.pk, "accept"]),
        {"accepted_on": "2026-03-03", "expected_status": Status.REGISTERED},
        follow=True,
    )
    assert "听证室尚未落实，暂不能受理。" in response.content.decode()
    assert Dispute.objects.get(pk=d.pk).status == Status.REGISTERED
    assert not d.events.filter(action="accept").exists() and not Note.objects.filter(dispute=d).exists()


def test_a_handlers_validation_error_is_shown_on_the_action_page_and_nothing_is_written(c, handlers):
    d = c.register()

    def refuses(ctx: seam.TransitionContext) -> None:
        raise ValidationError({"accepted_on": "受理日期须与纸质登记簿一致。"})

    register(handlers, refuses, actions={"accept"})
    response = client_for(c.clerk).post(
        reverse("disputes:action", args=[d.pk, "accept"]),
        {"accepted_on": "2026-03-03", "expected_status": Status.REGISTERED},
    )
    assert response.status_code == 200  # the form again, with the handler's message on its field
    assert "受理日期须与纸质登记簿一致。" in response.content.decode()
    assert Dispute.objects.get(pk=d.pk).status == Status.REGISTERED
    assert not d.events.filter(action="accept").exists()


def test_a_refusal_at_registration_registers_nothing(c, handlers):
    def refuses(ctx: seam.TransitionContext) -> None:
        raise ValidationError({"received_on": "本中心当日暂停登记。"})

    register(handlers, refuses, actions={"register"})
    before = Dispute.objects.count()
    with pytest.raises(ValidationError, match="本中心当日暂停登记"):
        c.register()
    assert Dispute.objects.count() == before and not DisputeEvent.objects.exists()


# --- case-page actions of other apps ---------------------------------------------------------------


@pytest.fixture
def intake_action() -> Iterator[seam.CaseAction]:
    action = seam.CaseAction(
        app="testapp",
        code="interview",
        label="预约面谈",
        url_name="disputes:detail",  # any page taking the case's pk will do for the link
        statuses=frozenset({Status.REGISTERED}),
        capabilities=(Capability.MANAGE_CASES,),
        tone="primary",
    )
    seam.register_case_action(action)
    yield action
    seam.unregister_case_action(action.name)


def test_an_apps_action_shows_in_its_statuses_to_holders_of_its_capabilities(c, intake_action):
    d = c.register()
    bar = actions_bar(client_for(c.clerk).get(d.get_absolute_url()))
    assert 'data-action="testapp.interview"' in bar and "预约面谈" in bar
    assert f'href="{d.get_absolute_url()}"' in bar
    assert 'class="button primary" href="' + d.get_absolute_url() in bar  # the tone, like the others
    assert 'data-action="accept"' in bar  # alongside the lifecycle actions

    # The agency's liaison sees the case but holds no MANAGE_CASES: no such button.
    assert "testapp.interview" not in actions_bar(client_for(c.liaison).get(d.get_absolute_url()))

    # API: among the app actions, as a link; never among the transitions.
    api = APIClient()
    api.force_authenticate(c.clerk)
    detail = api.get(reverse("api-dispute-detail", args=[d.pk])).json()
    assert {
        "action": "testapp.interview",
        "label": "预约面谈",
        "tone": "primary",
        "url": d.get_absolute_url(),
        "api_url": "",
    } in detail["app_actions"]
    assert "testapp.interview" not in [a["action"] for a in detail["allowed_actions"]]

    # Another status: not offered.
    act(d, "accept", c.clerk, accepted_on="2026-03-03")
    assert "testapp.interview" not in actions_bar(client_for(c.clerk).get(d.get_absolute_url()))


def test_a_transition_taken_over_by_an_app_is_offered_as_its_action_and_refused_to_others(c):
    """The hearings app performs ``schedule_hearing`` (hearings/apps.py)."""
    d = recon_accepted(c)
    assert "schedule_hearing" not in available_actions(d, c.clerk)
    bar = actions_bar(client_for(c.clerk).get(d.get_absolute_url()))
    assert 'data-action="hearings.schedule"' in bar
    assert f'href="{reverse("hearings:schedule", args=[d.pk])}"' in bar
    assert "/act/schedule_hearing/" not in bar
    # The transition's own permission decides who is offered it: not the agency's liaison.
    assert "hearings.schedule" not in actions_bar(client_for(c.liaison).get(d.get_absolute_url()))

    # Anyone else running the transition is refused, with nothing written.
    with writes_nothing(), pytest.raises(TransitionRefused):
        dispute_transition(
            dispute_id=d.pk, action="schedule_hearing", actor=c.clerk, data={"hearing_at": "2026-03-20T09:30"}
        )
    # The generic action page sends the user to the app's page; the generic API endpoint answers 409.
    page = client_for(c.clerk).get(reverse("disputes:action", args=[d.pk, "schedule_hearing"]))
    assert page.status_code == 302 and page["Location"] == reverse("hearings:schedule", args=[d.pk])
    api = APIClient()
    api.force_authenticate(c.clerk)
    response = api.post(
        reverse("api-dispute-transition", kwargs={"pk": d.pk, "action": "schedule_hearing"}),
        {"expected_status": Status.RECON_ACCEPTED, "hearing_at": "2026-03-20T09:30"},
        format="json",
    )
    assert response.status_code == 409
    assert Dispute.objects.get(pk=d.pk).status == Status.RECON_ACCEPTED


def test_a_second_app_cannot_take_over_the_same_transition():
    with pytest.raises(ValueError, match="schedule_hearing"):
        seam.register_case_action(
            seam.CaseAction(
                app="other", code="x", label="x", url_name="disputes:detail", performs="schedule_hearing"
            )
        )
