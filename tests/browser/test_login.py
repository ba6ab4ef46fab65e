"""Each demo role logs in through a real browser and lands on its own Chinese home page."""

import pytest

from demo import data
from demo.services import demo_seed

from .conftest import login

DEMO_USERS = [(u[0], u[1], u[2]) for u in data.USERS]


@pytest.mark.parametrize(("username", "name", "organisation"), DEMO_USERS, ids=[u[0] for u in DEMO_USERS])
def test_demo_role_logs_in_and_sees_home(page, screenshot, username, name, organisation):
    demo_seed()
    login(page, username, data.DEMO_PASSWORD)
    assert page.url.rstrip("/") == page.base_url.rstrip("/")
    assert page.get_by_role("heading", name=f"您好，{name}").is_visible()
    assert page.get_by_test_id("current-user").inner_text() == name
    assert organisation in page.content()
    assert page.get_by_role("heading", name="待办事项").is_visible()
    assert page.title().endswith("化解")
    screenshot(page, f"home-{username}")


def test_wrong_password_stays_on_login_with_a_message(page, screenshot):
    demo_seed()
    login(page, "clerk", "not-the-password")
    assert "/accounts/login/" in page.url
    assert page.get_by_role("alert").is_visible()
    assert "请输入一个正确的" in page.get_by_role("alert").inner_text()
    screenshot(page, "login-error")


def test_language_switch_to_english_and_back(page, screenshot):
    demo_seed()
    login(page, "clerk", data.DEMO_PASSWORD)
    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", name="Waiting for me").wait_for()
    screenshot(page, "home-clerk-en")
    page.get_by_role("button", name="简体中文").click()
    page.get_by_role("heading", name="待办事项").wait_for()


def test_agency_liaison_cannot_open_another_agencys_page(page, screenshot):
    demo_seed()
    from core.models import Organisation

    police = Organisation.objects.get(name="郧西县公安局")
    login(page, "liaison", data.DEMO_PASSWORD)
    response = page.goto(f"{page.base_url}/directory/{police.pk}/")
    assert response.status == 404
    assert page.get_by_role("heading", name="页面或记录不存在").is_visible()
    assert "郧西县公安局" not in page.content()
    screenshot(page, "not-found-liaison")


def test_clerk_browses_the_directory(page, screenshot):
    demo_seed()
    login(page, "clerk", data.DEMO_PASSWORD)
    page.get_by_role("link", name="机构名录").click()
    page.get_by_role("heading", name="机构名录").wait_for()
    page.get_by_label("类型").select_option("court")
    page.get_by_role("button", name="筛选").click()
    page.get_by_role("link", name="郧西县人民法院").click()
    page.get_by_role("heading", name="郧西县人民法院").wait_for()
    assert "李娜" in page.content()
    screenshot(page, "directory-court")
