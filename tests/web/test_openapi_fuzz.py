"""Property-based run of the OpenAPI schema (schemathesis): every answer is a documented non-5xx.

Semantic refusals of schema-valid input (neither file nor text, unknown planner) are answered
with a documented 400, so schemathesis's "positive data accepted" check is not among the checks.

Schemathesis's pytest plugin does not work with pytest 9 (it reads a removed ``_nodeid``), so each
operation's case strategy is driven by Hypothesis directly.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ablab.web.app import create_app

OPERATIONS = [
    ("GET", "/api/options"),
    ("POST", "/api/plans"),
    ("GET", "/api/jobs/{job_id}"),
    ("GET", "/api/runs"),
    ("GET", "/api/runs/{run}/plans/{paper_id}"),
    ("GET", "/api/runs/{run}/plans/{paper_id}/download/{fmt}"),
    ("GET", "/api/compare/{paper_id}"),
    ("GET", "/api/evals"),
    ("GET", "/api/evals/{name}"),
    ("POST", "/api/digests"),
    ("GET", "/api/digests"),
    ("GET", "/api/digests/{run}/{paper_id}"),
    ("GET", "/api/digests/{run}/{paper_id}/download"),
]


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
"""No 5xx; every status code, media type and body is one the schema documents."""


@pytest.fixture
def api_schema(runs_dir: Path) -> schemathesis.BaseSchema:
    app = create_app(runs_dir, max_upload_bytes=64 * 1024)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_every_operation_is_fuzzed(api_schema: schemathesis.BaseSchema) -> None:
    found = {(op.ok().method.upper(), op.ok().path) for op in api_schema.get_all_operations()}
    assert found == set(OPERATIONS)


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
def test_api_never_fails_with_a_server_error(
    api_schema: schemathesis.BaseSchema, method: str, path: str
) -> None:
    operation = api_schema[path][method]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=60,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def check(case: schemathesis.Case) -> None:
        response = case.call()
        case.validate_response(response, checks=CHECKS)

    check()
