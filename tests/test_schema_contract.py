"""The OpenAPI schema is a contract a client can rely on: it validates, it says what each lifecycle
action takes, every error status an operation can answer is declared with its body, and the list's
filters are the FilterSet's. (The live check against a running server is scripts/api_contract.sh.)"""

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from disputes.actions import ACTIONS

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_schema_is_drawn_without_warnings():
    # A warning is a guess drf-spectacular had to make (an untyped field, one choice set under two
    # names): the schema then says less, or other, than the API does.
    GENERATOR_STATS.reset()
    SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS._warn_cache and not GENERATOR_STATS._error_cache, dict(
        GENERATOR_STATS._warn_cache
    )


def component(schema, ref):
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def test_schema_is_valid_openapi(schema):
    validate_schema(schema)  # raises on any violation of the OpenAPI 3 meta-schema


def test_every_action_is_an_operation_with_its_forms_fields(schema):
    for action, spec in ACTIONS.items():
        operation = schema["paths"][f"/api/disputes/{{id}}/transitions/{action}/"]["post"]
        body = component(schema, operation["requestBody"]["content"]["application/json"]["schema"]["$ref"])
        form_fields = set(spec.form.base_fields)
        assert set(body["properties"]) == form_fields | {"expected_status"}, action
        required = {n for n, f in spec.form.base_fields.items() if f.required} | {"expected_status"}
        if spec.form.reason_required:
            required.add("reason")
        assert set(body["required"]) == required, action
        assert {"200", "400", "401", "403", "404", "409"} <= set(operation["responses"]), action


def test_every_operation_declares_its_errors_with_a_json_body(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "401" in responses, (method, path)
            if any(p["in"] == "path" for p in operation.get("parameters", [])):
                assert "404" in responses, (method, path)
            if "requestBody" in operation or any(p["in"] == "query" for p in operation.get("parameters", [])):
                assert "400" in responses, (method, path)
            for code, response in responses.items():
                if code.startswith("4"):
                    assert "application/json" in response["content"], (method, path, code)


def test_blank_choices_are_null_in_the_schema(schema):
    schemas = schema["components"]["schemas"]
    for name, field in [("DisputeDetailOutput", "closing_reason"), ("ResolutionOutput", "transfer_target")]:
        prop = schemas[name]["properties"][field]
        assert prop["nullable"] is True
        refs = [component(schema, alternative["$ref"]) for alternative in prop["oneOf"]]
        assert all("" not in enum.get("enum", []) for enum in refs)


def test_the_case_list_parameters_are_the_filtersets(schema):
    from disputes.filters import DisputeFilterSet

    parameters = {p["name"]: p for p in schema["paths"]["/api/disputes/"]["get"]["parameters"]}
    assert set(DisputeFilterSet.base_filters) | {"page"} == set(parameters)
    assert "" not in parameters["stage"]["schema"]["enum"]
    assert parameters["q"]["schema"]["minLength"] == 1
    assert parameters["page"]["schema"]["minimum"] == 1
    assert parameters["status"]["schema"]["type"] == "array"
