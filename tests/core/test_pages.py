"""The UI shell as a clerk meets it: login, home per role, language switch, error pages."""

import pytest
from django.urls import reverse

from core.models import Heartbeat
from core.roles import Role
from core.tasks import heartbeat
from tests.factories import OrganisationFactory, UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_login_page_is_chinese_by_default(client):
    body = client.get(reverse("login")).content.decode()
    assert '<html lang="zh-hans">' in body
    assert "登录" in body and "用户名" in body and "密码" in body


def test_wrong_password_is_refused_with_a_chinese_message(client):
    user_with_role(Role.CENTRE_CLERK, username="zhangmin")
    response = client.post(reverse("login"), {"username": "zhangmin", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()  # Django's own zh-hans message
    assert "_auth_user_id" not in client.session


def test_login_then_home_greets_the_user_with_role_and_organisation(client):
    user = user_with_role(Role.CENTRE_CLERK, name="张敏", username="zhangmin")
    response = client.post(
        reverse("login"), {"username": "zhangmin", "password": "pass-word-123"}, follow=True
    )
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "您好，张敏" in body
    assert user.organisation.name in body
    assert "化解中心工作人员" in body


def test_english_is_one_click_away_and_sticks(client):
    user_with_role(Role.CENTRE_CLERK, name="张敏", username="zhangmin")
    client.login(username="zhangmin", password="pass-word-123")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("home")).content.decode()
    assert "Hello, 张敏" in body and "Waiting for me" in body
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "待办事项" in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("role", Role.values)
def test_every_role_has_a_home_page(role, client):
    client.force_login(user_with_role(role))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "待办事项" in response.content.decode()


def test_menu_offers_only_what_the_role_may_open(client):
    client.force_login(user_with_role(Role.COMMITTEE_MEMBER))
    body = client.get(reverse("home")).content.decode()
    assert reverse("organisation-list") not in body
    assert client.get(reverse("organisation-list")).status_code == 403
    client.force_login(user_with_role(Role.CENTRE_CLERK))
    assert reverse("organisation-list") in client.get(reverse("home")).content.decode()


def test_user_without_role_is_told_why_they_see_nothing(client):
    client.force_login(UserFactory(organisation=OrganisationFactory()))
    assert "您还没有被分配角色" in client.get(reverse("home")).content.decode()


def test_administrator_sees_users_without_roles_and_worker_health(client):
    admin = user_with_role(Role.ADMINISTRATOR)
    UserFactory(organisation=admin.organisation)  # no role
    client.force_login(admin)
    body = client.get(reverse("home")).content.decode()
    assert "未分配角色的用户" in body
    assert "后台任务尚未运行" in body
    heartbeat.delay()
    assert Heartbeat.objects.filter(name="worker").exists()
    assert "后台任务最近运行于" in client.get(reverse("home")).content.decode()


def test_committee_member_home_shows_the_region_overview(client):
    member = user_with_role(Role.COMMITTEE_MEMBER)
    OrganisationFactory(region=member.organisation.region)
    client.force_login(member)
    body = client.get(reverse("home")).content.decode()
    assert f"{member.organisation.region.name}的机构" in body
    assert "行政机关" in body


def test_404_and_403_pages_are_chinese(client):
    client.force_login(user_with_role(Role.COMMITTEE_MEMBER))
    not_found = client.get("/no-such-page/")
    assert not_found.status_code == 404 and "页面或记录不存在" in not_found.content.decode()
    forbidden = client.get(reverse("organisation-list"))
    assert forbidden.status_code == 403 and "您无权打开此页面" in forbidden.content.decode()


def test_500_page_is_chinese_and_self_contained(client):
    from django.template.loader import render_to_string

    assert "系统出现错误" in render_to_string("500.html")


def test_directory_filters_by_kind_and_name(client):
    clerk = user_with_role(Role.CENTRE_CLERK)
    region = clerk.organisation.region
    OrganisationFactory(name="郧西县公安局", region=region)
    OrganisationFactory(name="郧西县人民法院", kind="court", region=region)
    client.force_login(clerk)
    body = client.get(reverse("organisation-list"), {"kind": "court"}).content.decode()
    assert "郧西县人民法院" in body and "郧西县公安局" not in body
    body = client.get(reverse("organisation-list"), {"q": "公安"}).content.decode()
    assert "郧西县公安局" in body and "郧西县人民法院" not in body


def test_password_change_works_and_rejects_a_weak_password(client):
    user = user_with_role(Role.CENTRE_CLERK)
    client.force_login(user)
    weak = client.post(
        reverse("password_change"),
        {"old_password": "pass-word-123", "new_password1": "123", "new_password2": "123"},
    )
    assert weak.status_code == 200 and "密码" in weak.content.decode()
    user.refresh_from_db()
    assert user.check_password("pass-word-123")
    ok = client.post(
        reverse("password_change"),
        {
            "old_password": "pass-word-123",
            "new_password1": "Yunxi-2026-river",
            "new_password2": "Yunxi-2026-river",
        },
    )
    assert ok.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Yunxi-2026-river")


def test_healthz_reports_the_database(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_logout_needs_post_and_ends_the_session(client):
    client.force_login(user_with_role(Role.CENTRE_CLERK))
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 302
