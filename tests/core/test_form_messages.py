"""Messages a person reads on a form are written for them: never a blank answer, never Django's
words about "forms"."""

import pytest
from django.urls import reverse

from core.roles import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_an_empty_login_says_which_field_is_missing(client):
    body = client.post("/accounts/login/", {"username": "", "password": ""}).content.decode()
    assert 'id="id_username_error"' in body and 'id="id_password_error"' in body
    assert body.count("此项为必填项") == 2
    assert "表单" not in body


def test_registering_without_a_party_asks_for_a_party_not_a_form(client):
    client.force_login(user_with_role(Role.CENTRE_CLERK))
    response = client.post(
        reverse("disputes:register"),
        {"parties-TOTAL_FORMS": "0", "parties-INITIAL_FORMS": "0", "parties-MIN_NUM_FORMS": "1"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "请至少填写一名当事人" in body
    assert "个表单" not in body
