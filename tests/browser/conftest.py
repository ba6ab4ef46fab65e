"""Playwright driving Debian's Chromium against pytest-django's live server.

Without /usr/bin/chromium these tests are skipped with a message saying so; with
HUAJIE_REQUIRE_BROWSER=1 (set by .ci/run) a missing browser is a failure, so CI cannot pass by
skipping them. Screenshots go to test-output/screenshots/.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("HUAJIE_CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("HUAJIE_REQUIRE_BROWSER") == "1"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
# Chromium's own background traffic is refused on a closed network; keep it quiet and fast.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make to set up
# data are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}: browser tests skipped (sudo apt-get install chromium)."
        if REQUIRE_BROWSER:
            pytest.fail(message.replace("skipped", "required (HUAJIE_REQUIRE_BROWSER=1)"))
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, transactional_db, settings):
    # The journeys run on the demo county and sign in with its shared password, as `make run` does.
    settings.DEMO_LOGINS = True
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 860})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def login(page, username: str, password: str) -> None:
    page.goto(f"{page.base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_load_state("domcontentloaded")


def accepted_case(
    *, kind: str, matter: str, applicant: str, act: str, act_number: str, received_days_ago: int
):
    """A case the demo's clerk registered ``received_days_ago`` days ago against the demo agency (自然资源
    和规划局) and accepted the next day, as the journeys start from."""
    from datetime import timedelta

    from django.utils import timezone

    from core.models import User
    from disputes.choices import ActKind, Consent, PartyKind, PartyRole, Source
    from disputes.services import PartyInput, dispute_register, dispute_transition

    clerk = User.objects.get(username="clerk")
    today = timezone.localdate()
    dispute = dispute_register(
        actor=clerk,
        centre=clerk.organisation,
        data={
            "kind": kind,
            "source": Source.RECONSIDERATION if kind == "reconsideration" else Source.WALK_IN,
            "received_on": today - timedelta(days=received_days_ago),
            "respondent": User.objects.get(username="liaison").organisation,
            "act_kind": ActKind.CONFIRMATION,
            "act_date": today - timedelta(days=received_days_ago + 30),
            "act_document_number": act_number,
            "act_summary": act,
            "matter": matter,
            "claims": f"请求撤销{act}",
            "facts": f"申请人不服{act}",
            "consent": Consent.NOT_ASKED,
        },
        parties=[
            PartyInput(role=PartyRole.APPLICANT, kind=PartyKind.PERSON, name=applicant, phone="13972855555")
        ],
    )
    dispute_transition(
        dispute_id=dispute.pk,
        action="accept",
        actor=clerk,
        data={"accepted_on": (today - timedelta(days=received_days_ago - 1)).isoformat()},
    )
    dispute.refresh_from_db()
    return dispute
