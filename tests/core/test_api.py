import pytest
from rest_framework.authtoken.models import Token

from core.roles import Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_schema_is_openapi_3_and_lists_the_endpoints(api_client):
    api_client.force_authenticate(user_with_role(Role.CENTRE_CLERK))
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert {"/api/me/", "/api/organisations/", "/api/organisations/{id}/", "/api/regions/"} <= set(
        schema["paths"]
    )


def test_docs_page_loads_swagger_from_our_own_static_files(client):
    client.force_login(user_with_role(Role.CENTRE_CLERK))
    body = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in body
    assert "cdn" not in body.lower() and "unpkg" not in body.lower()
    assert "/static/drf_spectacular_sidecar/" in body


def test_token_login_and_me(api_client):
    user = user_with_role(Role.AGENCY_HEAD_PRINCIPAL, username="head", name="赵志强")
    response = api_client.post("/api/auth/token/", {"username": "head", "password": "pass-word-123"})
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(user=user).key == token
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api_client.get("/api/me/").json()
    assert me["name"] == "赵志强"
    assert me["roles"] == ["agency_head_principal"]
    assert "attend_hearing" in me["capabilities"]


def test_bad_token_is_refused_in_chinese(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token nonsense")
    response = api_client.get("/api/me/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 401
    assert "认证令牌无效" in response.json()["detail"]


def test_regions_are_readable_reference_data(api_client):
    clerk = user_with_role(Role.CENTRE_CLERK)
    api_client.force_authenticate(clerk)
    codes = {r["code"] for r in api_client.get("/api/regions/").json()["results"]}
    assert clerk.organisation.region.code in codes
