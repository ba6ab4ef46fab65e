import re

import pytest

from core.roles import Role
from security.models import ApiToken, token_digest
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
    # (A random token on the page may contain the letters "cdn": look for hosts, not substrings.)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", body) and "unpkg" not in body.lower()
    assert "/static/drf_spectacular_sidecar/" in body


def test_token_login_and_me(api_client):
    user = user_with_role(Role.AGENCY_HEAD_PRINCIPAL, username="head", name="赵志强")
    response = api_client.post("/api/auth/token/", {"username": "head", "password": "pass-word-123"})
    assert response.status_code == 200
    token = response.json()["token"]
    # Only the key's hash is kept; the token ends within API_TOKEN_HOURS.
    stored = ApiToken.objects.get(user=user)
    assert stored.digest == token_digest(token) and token not in stored.digest
    assert response.json()["expires_at"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api_client.get("/api/me/").json()
    assert me["name"] == "赵志强"
    assert me["roles"] == ["agency_head_principal"]
    assert "attend_hearing" in me["capabilities"]


def test_bad_token_is_refused_in_chinese(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Token nonsense")
    response = api_client.get("/api/me/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 401
    assert "令牌无效、已过期或已撤销" in response.json()["detail"]


def test_regions_are_readable_reference_data(api_client):
    clerk = user_with_role(Role.CENTRE_CLERK)
    api_client.force_authenticate(clerk)
    codes = {r["code"] for r in api_client.get("/api/regions/").json()["results"]}
    assert clerk.organisation.region.code in codes


# --- every API error is JSON, in Chinese ------------------------------------------------------------

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def chinese_json_error(response, status):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert isinstance(body, dict)
    messages = [m for value in body.values() for m in (value if isinstance(value, list) else [value])]
    assert messages and all(CHINESE.search(str(m)) for m in messages), body
    return body


@pytest.mark.parametrize(
    "path",
    [
        "/api/disputes/null%2Cnull/",  # a malformed id: no route matches
        "/api/regions/1.4e-45/",
        "/api/disputes/1/transitions/teleport/",  # an unknown action
        "/api/no-such-endpoint/",
        "/api/disputes/1",  # no trailing slash: not a redirect to an HTML page either
    ],
)
def test_an_api_address_no_route_matches_is_a_json_404_in_chinese(api_client, path):
    api_client.force_authenticate(user_with_role(Role.CENTRE_CLERK))
    for method in ("get", "post", "patch"):
        chinese_json_error(getattr(api_client, method)(path), 404)


def test_a_missing_record_is_404_without_the_model_name(api_client):
    api_client.force_authenticate(user_with_role(Role.CENTRE_CLERK))
    body = chinese_json_error(api_client.get("/api/users/987654/"), 404)
    assert "User" not in body["detail"] and "matches" not in body["detail"]


def test_malformed_json_and_empty_bodies_are_refused_in_chinese(api_client):
    api_client.force_authenticate(user_with_role(Role.CENTRE_CLERK))
    bad = api_client.post("/api/disputes/", "{not json", content_type="application/json")
    assert "JSON parse error" not in chinese_json_error(bad, 400)["detail"]
    empty = api_client.post("/api/disputes/", "null", content_type="application/json")
    assert "No data provided" not in str(chinese_json_error(empty, 400))


def test_method_media_type_and_accept_refusals_are_json_in_chinese(api_client):
    api_client.force_authenticate(user_with_role(Role.CENTRE_CLERK))
    chinese_json_error(api_client.delete("/api/me/"), 405)
    chinese_json_error(api_client.post("/api/disputes/", "x", content_type="text/plain"), 415)
    chinese_json_error(api_client.get("/api/me/", HTTP_ACCEPT="application/xml"), 406)


def test_csrf_refusal_under_api_is_json(client):
    # A browser session (no token) that posts without its CSRF token, to an address DRF does not serve.
    client.force_login(user_with_role(Role.CENTRE_CLERK))
    client.handler.enforce_csrf_checks = True
    response = client.post("/api/disputes/1/transitions/teleport/", {})
    assert response["Content-Type"].startswith("application/json")


def test_an_empty_or_meaningless_filter_value_is_refused_not_ignored(api_client):
    api_client.force_authenticate(user_with_role(Role.CENTRE_CLERK))
    body = chinese_json_error(api_client.get("/api/organisations/", {"kind": ""}), 400)
    assert set(body) == {"kind"}
    chinese_json_error(api_client.get("/api/organisations/", {"is_active": "null"}), 400)
    chinese_json_error(api_client.get("/api/regions/", {"code": ""}), 400)
    assert api_client.get("/api/organisations/", {"kind": "agency"}).status_code == 200


def test_a_page_that_is_not_a_positive_number_is_404(api_client):
    api_client.force_authenticate(user_with_role(Role.CENTRE_CLERK))
    for page in ("", "0", "-1", "x"):
        chinese_json_error(api_client.get("/api/regions/", {"page": page}), 404)
    assert api_client.get("/api/regions/", {"page": "1"}).status_code == 200


def test_an_api_crash_is_a_json_500(client, settings, monkeypatch):
    from core.api import views

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.MeSerializer, "to_representation", boom)
    client.raise_request_exception = False
    client.force_login(user_with_role(Role.CENTRE_CLERK))
    chinese_json_error(client.get("/api/me/"), 500)
